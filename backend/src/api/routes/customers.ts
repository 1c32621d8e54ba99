// The CRM context card: a customer's profile, orders, tickets, notes and past sessions.
// Agents may open it only for the customer on a call they hold or handled; leads and admins
// for anyone. Agents can add a note, which is also logged in the session.
import type { FastifyInstance } from 'fastify';
import { NoteRequest, type CustomerContext } from '../../../../contracts/agent-api';
import type { AgentDesk } from '../../agents/agent-desk';
import type { User, UserDirectory } from '../../auth/users';
import type { Crm } from '../../crm/crm-port';
import type { SessionStore } from '../../store/session-store';
import { requireRole } from '../auth-guard';

export function customerRoutes(users: UserDirectory, crm: Crm, store: SessionStore, desk: AgentDesk) {
  return async (app: FastifyInstance): Promise<void> => {
    const staff = requireRole(users, ['agent', 'lead', 'admin']);

    /** The sessions with this customer the user may see, newest first, and whether one of them is live for the agent. */
    async function access(user: User, customerId: string): Promise<{ allowed: boolean; live: string | undefined }> {
      const sessions = await store.listSessions({ limit: 200, ...(user.role === 'agent' ? { agentId: user.id } : {}) });
      const mine = sessions.filter((s) => s.customerId === customerId);
      const live = mine.find((s) => desk.holds(user.id, s.id))?.id;
      return { allowed: user.role !== 'agent' || mine.length > 0, live };
    }

    app.get('/api/customers/:id/context', { preHandler: staff }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const user = request.user!;
      const customer = await crm.getCustomer(id);
      if (!customer) return reply.code(404).send({ error: 'not_found', message: `No customer ${id}.` });
      const { allowed } = await access(user, id);
      if (!allowed) return reply.code(403).send({ error: 'forbidden', message: 'Agents can open the record only of a customer on a call they took.' });
      const sessions = await store.listSessions({ limit: 50, ...(user.role === 'agent' ? { agentId: user.id } : {}) });
      const all = (await store.listSessions({ limit: 500 })).filter((s) => s.customerId === id);
      const verified = sessions.some((s) => s.customerId === id && s.verified);
      const context: CustomerContext = {
        customer,
        verified,
        orders: await crm.listOrders(id),
        tickets: await crm.listTickets(id),
        pastSessions: all.slice(0, 10).map((s) => ({ id: s.id, startedAt: s.startedAt, state: s.state, escalationReason: s.escalationReason })),
      };
      return context;
    });

    app.post('/api/customers/:id/notes', { preHandler: staff }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const parsed = NoteRequest.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: 'bad_request', message: 'Send JSON {"note": "..."} with 1 to 2000 characters.' });
      const user = request.user!;
      if (!(await crm.getCustomer(id))) return reply.code(404).send({ error: 'not_found', message: `No customer ${id}.` });
      const { allowed, live } = await access(user, id);
      if (!allowed) return reply.code(403).send({ error: 'forbidden', message: 'Agents can add notes only for a customer on a call they took.' });
      const note = `${new Date().toISOString().slice(0, 10)} ${user.name}: ${parsed.data.note.trim()}`;
      await crm.appendCustomerNote(id, note);
      if (live) await store.appendEvent(live, 'customer.note_added', { agentId: user.id, customerId: id, note: parsed.data.note.trim() });
      return reply.code(201).send({ ok: true });
    });
  };
}
