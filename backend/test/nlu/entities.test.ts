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

  it('says when no order has the item, and stays out of generic questions', () => {
    expect(resolveOrderReference('where is my tent', orders)).toEqual({ kind: 'unmatched', words: ['tent'] });
    expect(resolveOrderReference('where is my order', orders)).toBeUndefined();
    expect(resolveOrderReference('when is my stuff getting here', orders)).toBeUndefined();
  });
});
