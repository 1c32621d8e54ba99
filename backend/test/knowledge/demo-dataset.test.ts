// The demo CRM file: it matches the contract, the records the scenarios rely on are there,
// and every order and ticket belongs to a customer in the file.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_CRM_PATH, loadDemoDataset, parseDemoDataset } from '../../src/crm/demo-dataset';

describe('demo CRM dataset', () => {
  it('validates and has the expected shape', async () => {
    const data = await loadDemoDataset();
    expect(data.customers.length).toBeGreaterThanOrEqual(12);
    expect(data.orders.length).toBeGreaterThanOrEqual(25);
    expect(data.tickets.length).toBeGreaterThanOrEqual(10);
    expect(DEFAULT_DEMO_CRM_PATH).toMatch(/resources[/\\]demo[/\\]crm\.json$/);
  });

  it('starts with Dana Reyes and her shipped headset', async () => {
    const data = await loadDemoDataset();
    expect(data.customers[0]).toMatchObject({
      id: 'C1',
      name: 'Dana Reyes',
      phone: '+15550100001',
      zip: '94107',
      dob: '1985-04-12',
      tier: 'gold',
    });
    expect(data.orders.find((o) => o.id === 'O-1001')).toMatchObject({
      customerId: 'C1',
      item: 'Headset',
      status: 'shipped',
    });
  });

  it('is referentially intact, with unique ids and phones', async () => {
    const data = await loadDemoDataset();
    const customerIds = new Set(data.customers.map((c) => c.id));
    expect(customerIds.size).toBe(data.customers.length);
    expect(new Set(data.customers.map((c) => c.phone)).size).toBe(data.customers.length);
    expect(new Set(data.orders.map((o) => o.id)).size).toBe(data.orders.length);
    expect(new Set(data.tickets.map((t) => t.id)).size).toBe(data.tickets.length);
    for (const record of [...data.orders, ...data.tickets])
      expect(customerIds, record.id).toContain(record.customerId);
  });

  it('uses only the known order statuses and tiers', async () => {
    const data = await loadDemoDataset();
    const statuses = new Set(['processing', 'shipped', 'delivered', 'returned', 'cancelled', 'backordered']);
    for (const order of data.orders) expect(statuses, order.id).toContain(order.status);
    for (const customer of data.customers) expect(['standard', 'silver', 'gold']).toContain(customer.tier);
    expect(new Set(data.orders.map((o) => o.status))).toEqual(statuses);
  });

  it('names the file and the failing path when a record breaks the schema', () => {
    const text = JSON.stringify({ customers: [{ id: 'C1', name: 'A', phone: '555-0100' }] });
    expect(() => parseDemoDataset(text, 'broken.json')).toThrow(
      /broken\.json.*customers\[0\]\.phone: must be an E\.164/,
    );
  });

  it('names an order whose customer is missing', () => {
    const text = JSON.stringify({
      customers: [{ id: 'C1', name: 'A', phone: '+15550100001' }],
      orders: [{ id: 'O-1', customerId: 'C9', item: 'Headset', status: 'shipped', total: 1 }],
    });
    expect(() => parseDemoDataset(text, 'dangling.json')).toThrow(
      /dangling\.json is inconsistent: order O-1 refers to customer C9/,
    );
  });

  it('reports invalid JSON and an unreadable path with what to do', async () => {
    expect(() => parseDemoDataset('{ nope', 'syntax.json')).toThrow(/syntax\.json is not valid JSON/);
    await expect(loadDemoDataset('/nonexistent/crm.json')).rejects.toThrow(
      /Cannot read the demo CRM file \/nonexistent\/crm\.json/,
    );
  });
});
