// The embedded CRM: customers, orders, tickets and callbacks in the same SQLite database
// as the sessions, so a fresh machine has a complete product with no external CRM.
import type { Callback, CrmDataset, Customer, KnowledgeArticle, Order, Ticket } from '../../../contracts/crm';
import { redact } from '../policy/redaction';
import type { SwitchboardDb } from '../store/database';
import type { CustomersTable, OrdersTable, TicketsTable } from '../store/schema';
import type { Crm, CustomerMatchField, NewCallback, NewTicket } from './crm-port';

export class SqliteCrm implements Crm {
  readonly #db: SwitchboardDb;

  constructor(db: SwitchboardDb) {
    this.#db = db;
  }

  async findCustomerByPhone(phone: string): Promise<Customer | undefined> {
    const row = await this.#db.selectFrom('customers').selectAll().where('phone', '=', phone).executeTakeFirst();
    return row && toCustomer(row);
  }

  async searchCustomers(query: string, limit: number): Promise<Array<{ customer: Customer; matchedOn: CustomerMatchField }>> {
    const q = query.trim();
    if (q.length < 2) return [];
    const found = (rows: CustomersTable[], matchedOn: CustomerMatchField) => rows.map((row) => ({ customer: toCustomer(row), matchedOn }));
    const order = await this.getOrder(q);
    if (order) {
      const customer = await this.getCustomer(order.customerId);
      return customer ? [{ customer, matchedOn: 'order' }] : [];
    }
    if (q.includes('@')) {
      const rows = await this.#db.selectFrom('customers').selectAll().where((eb) => eb.fn('lower', ['email']), '=', q.toLowerCase()).limit(limit).execute();
      return found(rows, 'email');
    }
    const digits = q.replace(/[\s().-]/g, '');
    if (/^\+?\d{4,15}$/.test(digits)) {
      // A full number or its last digits, as a caller reads them out.
      const rows = await this.#db.selectFrom('customers').selectAll().where('phone', 'like', `%${digits.replace(/^\+/, '')}`).orderBy('name').limit(limit).execute();
      return found(rows, 'phone');
    }
    const pattern = `%${q.toLowerCase().replace(/[%_\\]/g, '')}%`;
    const rows = await this.#db.selectFrom('customers').selectAll().where((eb) => eb.fn('lower', ['name']), 'like', pattern).orderBy('name').limit(limit).execute();
    return found(rows, 'name');
  }

  async getCustomer(id: string): Promise<Customer | undefined> {
    const row = await this.#db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toCustomer(row);
  }

  async listOrders(customerId: string): Promise<Order[]> {
    const rows = await this.#db
      .selectFrom('orders')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toOrder);
  }

  async getOrder(orderId: string): Promise<Order | undefined> {
    const row = await this.#db
      .selectFrom('orders')
      .selectAll()
      .where((eb) => eb.fn('upper', ['id']), '=', orderId.toUpperCase())
      .executeTakeFirst();
    return row && toOrder(row);
  }

  async listTickets(customerId: string): Promise<Ticket[]> {
    const rows = await this.#db
      .selectFrom('tickets')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toTicket);
  }

  async createTicket(ticket: NewTicket): Promise<Ticket> {
    const id = `T-${await this.#next('ticket', 5000)}`;
    const row: TicketsTable = {
      id,
      customer_id: ticket.customerId,
      subject: ticket.subject,
      status: 'open',
      created_at: new Date().toISOString(),
    };
    await this.#db.insertInto('tickets').values(row).execute();
    return toTicket(row);
  }

  async scheduleCallback(callback: NewCallback): Promise<Callback> {
    const record: Callback = {
      id: `CB-${await this.#next('callback', 1000)}`,
      customerId: callback.customerId,
      sessionId: callback.sessionId,
      phone: callback.phone,
      reason: callback.reason,
      status: 'scheduled',
      createdAt: new Date().toISOString(),
      dueAt: callback.dueAt ?? null,
    };
    await this.#db
      .insertInto('callbacks')
      .values({
        id: record.id,
        customer_id: record.customerId,
        session_id: record.sessionId,
        phone: record.phone,
        reason: record.reason,
        status: record.status,
        created_at: record.createdAt,
        due_at: record.dueAt,
      })
      .execute();
    return record;
  }

  async listCallbacks(): Promise<Callback[]> {
    const rows = await this.#db.selectFrom('callbacks').selectAll().orderBy('created_at', 'desc').execute();
    return rows.map((r) => ({
      id: r.id,
      customerId: r.customer_id,
      sessionId: r.session_id,
      phone: r.phone,
      reason: r.reason,
      status: r.status as Callback['status'],
      createdAt: r.created_at,
      dueAt: r.due_at,
    }));
  }

  async appendCustomerNote(customerId: string, note: string): Promise<void> {
    const customer = await this.getCustomer(customerId);
    if (!customer) throw new Error(`Customer ${customerId} not found; check the id and try again.`);
    // Agents' notes never keep a card number or SSN a caller read out (policy/redaction.ts).
    const masked = redact(note);
    const notes = customer.notes ? `${customer.notes}\n${masked}` : masked;
    await this.#db.updateTable('customers').set({ notes }).where('id', '=', customerId).execute();
  }

  async listStoredArticles(): Promise<KnowledgeArticle[]> {
    const rows = await this.#db.selectFrom('knowledge_articles').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      body: r.body,
      tags: JSON.parse(r.tags) as string[],
      ...(r.questions ? { questions: JSON.parse(r.questions) as string[] } : {}),
      ...(r.not_answered ? { notAnswered: JSON.parse(r.not_answered) as string[] } : {}),
    }));
  }

  async importDataset(dataset: CrmDataset, articles: KnowledgeArticle[] = []): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      for (const table of ['orders', 'tickets', 'callbacks', 'customers', 'knowledge_articles'] as const) {
        await trx.deleteFrom(table).execute();
      }
      for (const c of dataset.customers) {
        await trx.insertInto('customers').values(fromCustomer(c)).execute();
      }
      for (const o of dataset.orders) {
        await trx
          .insertInto('orders')
          .values({
            id: o.id,
            customer_id: o.customerId,
            item: o.item,
            status: o.status,
            eta: o.eta ?? null,
            total: o.total,
          })
          .execute();
      }
      for (const t of dataset.tickets) {
        await trx
          .insertInto('tickets')
          .values({ id: t.id, customer_id: t.customerId, subject: t.subject, status: t.status, created_at: t.createdAt })
          .execute();
      }
      const now = new Date().toISOString();
      for (const a of articles) {
        await trx
          .insertInto('knowledge_articles')
          .values({
            id: a.id,
            title: a.title,
            body: a.body,
            tags: JSON.stringify(a.tags),
            questions: a.questions?.length ? JSON.stringify(a.questions) : null,
            not_answered: a.notAnswered?.length ? JSON.stringify(a.notAnswered) : null,
            updated_at: now,
          })
          .execute();
      }
    });
  }

  async listProductNames(): Promise<string[]> {
    const rows = await this.#db.selectFrom('orders').select('item').distinct().orderBy('item').execute();
    return rows.map((r) => r.item);
  }

  async isEmpty(): Promise<boolean> {
    const row = await this.#db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n) === 0;
  }

  /** Next value of a named counter, starting above `floor` so ids never collide with demo data. */
  async #next(name: string, floor: number): Promise<number> {
    const row = await this.#db
      .insertInto('sequences')
      .values({ name, value: floor + 1 })
      .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('sequences.value', '+', 1) })))
      .returning('value')
      .executeTakeFirstOrThrow();
    return row.value;
  }
}

function toCustomer(r: CustomersTable): Customer {
  return { id: r.id, name: r.name, phone: r.phone, email: r.email, zip: r.zip, dob: r.dob, tier: r.tier, notes: r.notes };
}

function fromCustomer(c: Customer): CustomersTable {
  return {
    id: c.id,
    name: c.name,
    phone: c.phone,
    email: c.email ?? null,
    zip: c.zip ?? null,
    dob: c.dob ?? null,
    tier: c.tier,
    notes: c.notes,
  };
}

function toOrder(r: OrdersTable): Order {
  return { id: r.id, customerId: r.customer_id, item: r.item, status: r.status, eta: r.eta, total: r.total };
}

function toTicket(r: TicketsTable): Ticket {
  return { id: r.id, customerId: r.customer_id, subject: r.subject, status: r.status, createdAt: r.created_at };
}

