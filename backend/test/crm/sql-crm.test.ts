// The embedded CRM adapter and the user directory on both store engines: the same records,
// the same ids from the named counters (unique under concurrency), the same tokens.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserDirectory } from '../../src/auth/users';
import { loadDemoDataset } from '../../src/crm/demo-dataset';
import { SqliteCrm } from '../../src/crm/sqlite-crm';
import { openDatabase, type SwitchboardDb } from '../../src/store/database';
import { freshSchema, type TestSchema } from '../support/postgres';

describe.each(['sqlite', 'postgres'] as const)('CRM and users on %s', (engine) => {
  let db: SwitchboardDb;
  let schema: TestSchema | undefined;

  beforeEach(async () => {
    if (engine === 'postgres') {
      schema = await freshSchema('crm');
      db = await schema.open();
    } else {
      db = await openDatabase({ filename: ':memory:' });
    }
  });

  afterEach(async () => {
    await db.destroy();
    await schema?.drop();
  });

  it('finds customers for an agent’s search: order id, email, phone or its last digits, part of a name', async () => {
    const crm = new SqliteCrm(db);
    await crm.importDataset(await loadDemoDataset());
    const ids = async (q: string) => (await crm.searchCustomers(q, 10)).map((m) => `${m.customer.id}:${m.matchedOn}`);
    expect(await ids('DANA')).toEqual(['C1:name']);
    expect(await ids('Dana.Reyes@example.com')).toEqual(['C1:email']);
    expect(await ids('+15550100002')).toEqual(['C2:phone']);
    expect(await ids('0100002')).toEqual(['C2:phone']);
    const order = (await crm.listOrders('C2'))[0]!;
    expect(await ids(order.id.toLowerCase())).toEqual(['C2:order']);
    expect(await ids('%')).toEqual([]);
    expect(await ids('zz-nobody')).toEqual([]);
  });

  it('imports the demo dataset and answers the tools’ questions', async () => {
    const crm = new SqliteCrm(db);
    expect(await crm.isEmpty()).toBe(true);
    const dataset = await loadDemoDataset();
    await crm.importDataset(dataset, [
      { id: 'kb-x', title: 'Returns', body: 'Thirty days.', tags: ['returns'] },
      { id: 'kb-y', title: 'Store hours', body: 'Open 9 to 8.', tags: ['hours'], questions: ['are you open on saturdays', 'when do you close'], notAnswered: ['do you have a cafe'] },
    ]);
    expect(await crm.isEmpty()).toBe(false);
    const first = dataset.customers[0]!;
    expect(await crm.findCustomerByPhone(first.phone)).toMatchObject({ id: first.id, name: first.name });
    const orders = await crm.listOrders(first.id);
    expect(orders.length).toBeGreaterThan(0);
    // Money keeps its cents; order ids match case-insensitively.
    const order = orders[0]!;
    expect((await crm.getOrder(order.id.toLowerCase()))?.total).toBe(dataset.orders.find((o) => o.id === order.id)!.total);
    // An article's example caller questions and near misses are kept with it; one without has none.
    expect(await crm.listStoredArticles()).toEqual([
      { id: 'kb-x', title: 'Returns', body: 'Thirty days.', tags: ['returns'] },
      { id: 'kb-y', title: 'Store hours', body: 'Open 9 to 8.', tags: ['hours'], questions: ['are you open on saturdays', 'when do you close'], notAnswered: ['do you have a cafe'] },
    ]);
    // The catalogue the knowledge base reads: each item sold, once, and nothing about who bought it.
    const products = await crm.listProductNames();
    expect(products).toEqual([...new Set(dataset.orders.map((o) => o.item))].sort());
    await crm.appendCustomerNote(first.id, 'called about a refund');
    expect((await crm.getCustomer(first.id))?.notes).toMatch(/called about a refund$/);
  });

  it('numbers tickets and callbacks uniquely even when created at once', async () => {
    const crm = new SqliteCrm(db);
    await crm.importDataset(await loadDemoDataset());
    const tickets = await Promise.all(Array.from({ length: 20 }, (_, i) => crm.createTicket({ customerId: 'C1', subject: `t${i}` })));
    expect(new Set(tickets.map((t) => t.id)).size).toBe(20);
    const callbacks = await Promise.all(Array.from({ length: 10 }, () => crm.scheduleCallback({ customerId: null, sessionId: null, phone: '+15550100001', reason: 'r' })));
    expect(new Set(callbacks.map((c) => c.id)).size).toBe(10);
    expect((await crm.listCallbacks()).length).toBe(10);
  });

  it('keeps users, roles and tokens', async () => {
    const users = new UserDirectory(db, 12);
    const u = await users.create({ email: 'ann@t.test', name: 'Ann', role: 'agent', password: 'password-123', team: 'north' });
    const token = await users.issueToken(u.id);
    expect((await users.list()).map((x) => x.email)).toEqual(['ann@t.test']);
    expect(await users.create({ email: 'ann@t.test', name: 'Ann 2', role: 'agent', password: 'password-123', team: 'north' }).catch((e: Error) => e.message)).toBeTypeOf('string');
    expect((await users.userForToken(token))?.id).toBe(u.id);
    expect(await users.authenticate('ann@t.test', 'password-123')).toMatchObject({ id: u.id, team: 'north' });
    expect(await users.count()).toBe(1);
  });
});
