// Suggested replies on the demo CRM and the shipped articles: knowledge answers cite their
// article, CRM facts appear only for a verified caller and only about their own records,
// nothing is suggested when nothing is relevant, and ids stay stable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, Order, Ticket } from '../../../contracts/crm';
import { suggestReplies, type SuggestionInput } from '../../src/assist/suggestions';
import type { Services } from '../../src/runtime/services';
import { demoServices } from './call-log';

let services: Services;
let dana: { customer: Customer; orders: Order[]; tickets: Ticket[] };
let marcus: { customer: Customer; orders: Order[]; tickets: Ticket[] };

async function account(id: string) {
  return {
    customer: (await services.crm.getCustomer(id))!,
    orders: await services.crm.listOrders(id),
    tickets: await services.crm.listTickets(id),
  };
}

function suggest(callerText: string, extra: Partial<SuggestionInput> = {}) {
  return suggestReplies({ callerText, verified: false, knowledge: services.knowledge, ...extra });
}

beforeAll(async () => {
  services = await demoServices();
  dana = await account('C1');
  marcus = await account('C2');
});
afterAll(() => services.close());

describe('suggestReplies', () => {
  it('answers a returns question from the returns article, citing it', () => {
    const suggestions = suggest('how long do I have to return something');
    expect(suggestions.length).toBeGreaterThanOrEqual(1);
    expect(suggestions.length).toBeLessThanOrEqual(3);
    const [first] = suggestions;
    expect(first?.source).toEqual({ kind: 'article', id: 'returns', title: 'Return policy' });
    expect(first?.text).toMatch(/30 days/);
  });

  it('gives a verified caller asking about their package the order status from the CRM', () => {
    const suggestions = suggest('where is my package', { verified: true, ...dana });
    const crm = suggestions.filter((s) => s.source.kind === 'crm');
    expect(crm).toHaveLength(1);
    expect(crm[0]).toMatchObject({
      text: 'Your order O-1001 (Headset) shipped and should arrive Sat, Nov 14.',
      source: { kind: 'crm', fact: 'Order O-1001 status shipped, eta 2026-11-14', recordId: 'O-1001' },
    });
    // The caller's own record first; the tracking article can still follow.
    expect(suggestions[0]?.source.kind).toBe('crm');
    expect(suggestions.length).toBeLessThanOrEqual(3);
  });

  it('never suggests CRM facts to read aloud when the caller is not verified', () => {
    for (const text of ['where is my package', 'what is the status of order O-1001', 'my left earbud crackles', 'when do I get my refund']) {
      const suggestions = suggest(text, { verified: false, ...dana });
      expect(suggestions.every((s) => s.source.kind === 'article')).toBe(true);
      expect(JSON.stringify(suggestions)).not.toMatch(/O-1001|T-1001|Headset shipped/);
    }
  });

  it('never suggests CRM facts without a customer, even when flagged verified', () => {
    const suggestions = suggest('where is my package', { verified: true, orders: dana.orders });
    expect(suggestions.every((s) => s.source.kind === 'article')).toBe(true);
  });

  it('picks the order the caller names, and ignores records of another customer', () => {
    const named = suggest('what about order O-1002', { verified: true, ...dana });
    expect(named[0]).toMatchObject({ source: { kind: 'crm', recordId: 'O-1002' }, text: 'Your order O-1002 (Pulse Earbuds) shows as delivered.' });

    const foreign = suggest('what about order O-1003', { verified: true, customer: dana.customer, orders: [...dana.orders, ...marcus.orders], tickets: [] });
    expect(foreign.some((s) => s.source.kind === 'crm')).toBe(false);
  });

  it('answers a refund question with the returned order and the refund article', () => {
    const suggestions = suggest('when will I get my refund', { verified: true, ...marcus });
    expect(suggestions[0]).toMatchObject({
      text: 'Your order O-1004 (Pulse Earbuds) shows as returned.',
      source: { kind: 'crm', fact: 'Order O-1004 status returned, eta 2026-08-21', recordId: 'O-1004' },
    });
    expect(suggestions.some((s) => s.source.kind === 'article' && s.source.id === 'refund-timing')).toBe(true);
  });

  it('points at an open ticket that matches the caller’s words, not a closed one', () => {
    const suggestions = suggest('my left earbud crackles', { verified: true, ...dana });
    expect(suggestions[0]).toMatchObject({ source: { kind: 'crm', recordId: 'T-1001' } });
    expect(suggestions[0]?.text).toContain('still open');

    // Marcus's only ticket about his earbuds is closed: nothing to point at.
    const closed = suggest('the earbuds did not fit', { verified: true, ...marcus });
    expect(closed.some((s) => s.source.kind === 'crm' && s.source.recordId === 'T-1002')).toBe(false);
  });

  it('suggests nothing for nonsense or off-topic questions', () => {
    expect(suggest('asdf qwerty blorp', { verified: true, ...dana })).toEqual([]);
    expect(suggest('what is the capital of France', { verified: true, ...dana })).toEqual([]);
    expect(suggest('   ')).toEqual([]);
  });

  it('gives the same ids for the same suggestion, and different ids for different ones', () => {
    const a = suggest('where is my package', { verified: true, ...dana });
    const b = suggest('Where is my package?', { verified: true, ...dana });
    expect(a.map((s) => s.id)).toEqual(b.map((s) => s.id));
    expect(new Set(a.map((s) => s.id)).size).toBe(a.length);
    for (const s of a) expect(s.id).toMatch(/^sg-[0-9a-f]{16}$/);
  });
});
