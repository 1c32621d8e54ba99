// Dates as callers say and type them, two-digit birth years, and references to orders.
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../contracts/crm';
import { birthYear, extractDate } from '../../src/brain/slots';
import { resolveOrderReference } from '../../src/nlu/order-reference';

describe('extractDate', () => {
  it.each([
    ['3/3/79', '1979-03-03'],
    ['the third of March, seventy nine', '1979-03-03'],
    ['born march third seventy nine', '1979-03-03'],
    ["March 3rd '79", '1979-03-03'],
    ['born on the twelfth of april nineteen eighty five', '1985-04-12'],
    ['twenty third of june 2001', '2001-06-23'],
    ['on the 12th of april in 85', '1985-04-12'],
  ])('%j → %s', (text, iso) => {
    expect(extractDate(text)).toBe(iso);
  });

  it.each([['February 30th 1985'], ['April 31st 1990'], ['may I ask'], ['the 3rd of march']])('%j is no date of birth', (text) => {
    expect(extractDate(text)).toBeUndefined();
  });

  it('reads two-digit years as the latest year not in the future', () => {
    const now = new Date('2026-11-29T00:00:00Z');
    expect(birthYear(79, now)).toBe(1979);
    expect(birthYear(5, now)).toBe(2005);
    expect(birthYear(26, now)).toBe(2026);
    expect(birthYear(27, now)).toBe(1927);
  });
});

describe('resolveOrderReference', () => {
  const orders: Order[] = [
    { id: 'O-1001', customerId: 'C1', item: 'Touring Kayak', status: 'shipped', total: 1 },
    { id: 'O-1002', customerId: 'C1', item: 'Carbon Paddles', status: 'processing', total: 1 },
    { id: 'O-1003', customerId: 'C1', item: 'Aura ANC Headset', status: 'delivered', total: 1 },
    { id: 'O-1004', customerId: 'C1', item: 'Gaming Headset', status: 'shipped', total: 1 },
  ];
  const one = (text: string, candidates?: Order[]) => {
    const r = resolveOrderReference(text, orders, candidates);
    return r?.kind === 'one' ? r.order.id : r?.kind;
  };

  it('finds the order by the item the caller names, with a typo', () => {
    expect(one('When will my kayak arrive?')).toBe('O-1001');
    expect(one('the paddles')).toBe('O-1002');
    expect(one('where are my paddels')).toBe('O-1002');
    expect(one('where are my headphones')).toBe('several');
  });

  it('takes the newest order for "my last order" and "the one I ordered last week"', () => {
    expect(one('my last order')).toBe('O-1004');
    expect(one('the one I ordered last week')).toBe('O-1004');
  });

  it('resolves the answer to "which one do you mean"', () => {
    const asked = [orders[3]!, orders[2]!];
    expect(one('the second one', asked)).toBe('O-1003');
    expect(one('the gaming one', asked)).toBe('O-1004');
    expect(one('the aura', asked)).toBe('O-1003');
    expect(one('the 2nd', asked)).toBe('O-1003');
    expect(one('number one', asked)).toBe('O-1004');
    expect(one('the last one', asked)).toBe('O-1003');
  });

  it('reads size and price words, fillers and the noise-cancelling feature', () => {
    const priced: Order[] = [
      { id: 'O-2001', customerId: 'C1', item: 'Boom XL Speaker', status: 'shipped', total: 199 },
      { id: 'O-2002', customerId: 'C1', item: 'Boom Mini Speaker', status: 'shipped', total: 59 },
    ];
    const pick = (text: string, list: Order[], candidates?: Order[]) => {
      const r = resolveOrderReference(text, list, candidates);
      return r?.kind === 'one' ? r.order.id : r?.kind;
    };
    expect(pick('the little speaker, has that been sent out', priced)).toBe('O-2002');
    expect(pick('ok so the big speaker, any clue when it shows up', priced)).toBe('O-2001');
    expect(pick('whats going on with the cheaper speaker', priced)).toBe('O-2002');
    expect(pick('the more expensive one', priced, priced)).toBe('O-2001');
    expect(one('any news on the noise cancelling ones')).toBe('O-1003');
    expect(one('ok so the thing i ordered like last week has it left yet')).toBe('O-1004');
    expect(resolveOrderReference('hi I wanna check on an order', orders)).toBeUndefined();
  });

  it('looks for the item where a long turn asks, and says back only the caller\'s own words', () => {
    const story = `so my dad turns seventy next month and ${'we went back and forth about presents for weeks, '.repeat(8)}and in the end we got him something.`;
    expect(one(`${story} Has the kayak for my dad been sent out yet?`)).toBe('O-1001');
    expect(resolveOrderReference(`${story} When is it coming?`, orders)).toBeUndefined();
    expect(resolveOrderReference('where are my turntables', orders)).toEqual({ kind: 'unmatched', words: ['turntables'] });
  });

  it('says when no order has the item, and stays out of generic questions', () => {
    expect(resolveOrderReference('where is my tent', orders)).toEqual({ kind: 'unmatched', words: ['tent'] });
    expect(resolveOrderReference('where is my order', orders)).toBeUndefined();
    expect(resolveOrderReference('when is my stuff getting here', orders)).toBeUndefined();
  });
});
