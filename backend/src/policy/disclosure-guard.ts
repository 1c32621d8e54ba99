// The disclosure guard: no provider may say the caller-ID customer's data before the caller
// is verified. Each sentence is checked before it may be spoken; the candidate's records are
// read once per conversation. A cited knowledge answer is public text, so a generic product
// or tier word in it ("Gold members get free Express shipping") is not this caller's data —
// refusing it would itself reveal what the caller-ID customer owns.
import type { Customer } from '../../../contracts/crm';
import type { Crm } from '../crm/crm-port';
import { findDisclosures, type AccountFacts } from './policy';

/** Said instead of a sentence the guard blocked. */
export const VERIFY_FIRST_LINE =
  'Before I can discuss your account, I need to verify your identity. Please tell me the zip code or date of birth on the account.';

export class DisclosureGuard {
  readonly #crm: Pick<Crm, 'listOrders' | 'listTickets'>;
  #facts: { customerId: string; facts: Promise<AccountFacts> } | undefined;

  constructor(crm: Pick<Crm, 'listOrders' | 'listTickets'>) {
    this.#crm = crm;
  }

  /** The kinds of account data the sentence would disclose; empty when it may be said. */
  async check(sentence: string, citations: readonly string[], caller: { verified: boolean; candidate: Customer | undefined }): Promise<string[]> {
    const customer = caller.candidate;
    if (caller.verified || !customer) return [];
    if (this.#facts?.customerId !== customer.id) this.#facts = { customerId: customer.id, facts: this.#load(customer) };
    const facts = await this.#facts.facts;
    return findDisclosures(sentence, facts).filter((kind) => citations.length === 0 || (kind !== 'order_item' && kind !== 'tier'));
  }

  async #load(customer: Customer): Promise<AccountFacts> {
    const [orders, tickets] = await Promise.all([this.#crm.listOrders(customer.id), this.#crm.listTickets(customer.id)]);
    return { customer, orders, tickets };
  }
}
