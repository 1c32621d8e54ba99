// The tools the brain can call, run against the CRM under the policy guard: tools that
// touch a customer's account refuse until identity is verified and only ever see the
// verified customer's own records. Every call, allowed or refused, is a session event.
import { ToolArgs } from '../../../contracts/brain-tools';
import { ToolName, type EscalationReason } from '../../../contracts/conversation';
import type { Customer, Order } from '../../../contracts/crm';
import type { KnowledgeLookup, ToolOutcome, ToolRunner } from '../brain/brain';
import { extractDate, extractZip } from '../brain/caller-understanding';
import type { Crm } from '../crm/crm-port';
import type { SessionStore } from '../store/session-store';
import type { CallerState } from './caller-state';

const NEEDS_VERIFICATION = new Set<ToolName>(['order_status', 'list_orders', 'create_ticket']);

export interface ToolBoxDeps {
  sessionId: string;
  crm: Crm;
  store: SessionStore;
  caller: CallerState;
  /** For search_knowledge; public articles, no verification needed. */
  knowledge?: KnowledgeLookup;
  currentTurn: () => number;
  onVerified: (customer: Customer, method: 'zip' | 'dob') => Promise<void>;
  onVerificationFailed: (method: 'zip' | 'dob' | 'unknown') => Promise<void>;
}

export class ToolBox implements ToolRunner {
  readonly #deps: ToolBoxDeps;
  /** Tools called during the current turn, for the turn's result. */
  readonly calledThisTurn: ToolName[] = [];

  constructor(deps: ToolBoxDeps) {
    this.#deps = deps;
  }

  async call<T = unknown>(name: ToolName, args: Record<string, unknown>): Promise<ToolOutcome<T>> {
    const parsedName = ToolName.safeParse(name);
    if (!parsedName.success) {
      throw new Error(`Unknown tool "${String(name)}". Known tools: ${ToolName.options.join(', ')}.`);
    }
    const parsedArgs = ToolArgs[name].safeParse(args);
    let outcome: ToolOutcome;
    if (!parsedArgs.success) {
      outcome = { ok: false, result: { error: 'invalid_arguments', detail: parsedArgs.error.issues[0]?.message } };
    } else if (NEEDS_VERIFICATION.has(name) && !this.#deps.caller.verified) {
      outcome = { ok: false, result: { error: 'not_verified', detail: 'verify the caller before using this tool' } };
    } else {
      outcome = await this.#run(name, parsedArgs.data as Record<string, unknown>);
    }
    this.calledThisTurn.push(name);
    await this.#deps.store.appendEvent(this.#deps.sessionId, 'tool.called', {
      turn: this.#deps.currentTurn(),
      name,
      args,
      ok: outcome.ok,
      result: outcome.result,
    });
    return outcome as ToolOutcome<T>;
  }

  async #run(name: ToolName, args: Record<string, unknown>): Promise<ToolOutcome> {
    const { crm, caller } = this.#deps;
    switch (name) {
      case 'lookup_customer': {
        const customer = await crm.findCustomerByPhone(String(args.phone));
        if (!caller.verified) caller.candidate = customer;
        // The result names only the id: the conversation must not hear account data yet.
        return { ok: true, result: { found: customer !== undefined, customerId: customer?.id ?? null } };
      }
      case 'verify_identity':
        return this.#verify(args as { zip?: string; dob?: string });
      case 'order_status': {
        const customer = caller.candidate!;
        const orders = await crm.listOrders(customer.id);
        const wanted = typeof args.orderId === 'string' ? args.orderId.toUpperCase() : undefined;
        if (wanted) {
          const order = orders.find((o) => o.id.toUpperCase() === wanted);
          // Another customer's order is reported as not found: its existence is data too.
          return order ? { ok: true, result: { orders: [order] } } : { ok: false, result: { error: 'order_not_found', orderId: wanted } };
        }
        return { ok: true, result: { orders: activeFirst(orders) } };
      }
      case 'list_orders': {
        const orders = await crm.listOrders(caller.candidate!.id);
        return { ok: true, result: { orders } };
      }
      case 'create_ticket': {
        const ticket = await crm.createTicket({ customerId: caller.candidate!.id, subject: String(args.subject) });
        return { ok: true, result: { ticket } };
      }
      case 'schedule_callback': {
        const phone = typeof args.phone === 'string' ? args.phone : caller.phone;
        const callback = await crm.scheduleCallback({
          customerId: caller.verified ? (caller.candidate?.id ?? null) : null,
          sessionId: this.#deps.sessionId,
          phone,
          reason: String(args.reason),
        });
        return { ok: true, result: { callback } };
      }
      case 'escalate':
        return { ok: true, result: { reason: args.reason as EscalationReason } };
      case 'end_call':
        return { ok: true, result: { reason: args.reason } };
      case 'search_knowledge':
        return this.#searchKnowledge(String(args.query));
    }
  }

  #searchKnowledge(query: string): ToolOutcome {
    const knowledge = this.#deps.knowledge;
    if (!knowledge) return { ok: false, result: { error: 'unavailable', detail: 'no knowledge base on this line; offer a person' } };
    const articles = knowledge
      .search(query, 3)
      .filter((hit) => hit.confidence >= knowledge.confidenceThreshold)
      .map((hit) => ({ id: hit.article.id, title: hit.article.title, confidence: Number(hit.confidence.toFixed(2)), text: hit.article.body.slice(0, 1500) }));
    // No article that fits is an answer too: the brain must say it does not know, not guess.
    return { ok: true, result: { articles, ...(articles.length === 0 ? { note: 'no article answers this; say you do not know and offer a person' } : {}) } };
  }

  async #verify(args: { zip?: string; dob?: string }): Promise<ToolOutcome> {
    const { caller } = this.#deps;
    const zip = args.zip ? extractZip(args.zip) : undefined;
    const dob = args.dob ? extractDate(args.dob) : undefined;
    const method = zip ? 'zip' : dob ? 'dob' : 'unknown';
    const candidate = caller.candidate;
    if (caller.verified) return { ok: true, result: { verified: true } };
    const matches =
      candidate !== undefined &&
      ((zip !== undefined && candidate.zip === zip) || (dob !== undefined && candidate.dob === dob));
    if (matches && method !== 'unknown') {
      caller.verified = true;
      await this.#deps.onVerified(candidate, method);
      return { ok: true, result: { verified: true, method, customerId: candidate.id } };
    }
    caller.verificationFailures += 1;
    await this.#deps.onVerificationFailed(method);
    return { ok: false, result: { verified: false, method, failures: caller.verificationFailures } };
  }
}

function activeFirst(orders: Order[]): Order[] {
  const rank = (o: Order) => (['shipped', 'processing', 'backordered'].includes(o.status) ? 0 : 1);
  return [...orders].sort((a, b) => rank(a) - rank(b));
}
