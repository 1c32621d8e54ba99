// The CRM context card: a customer's profile, orders, tickets, notes and past sessions.
// A record opens only through a verified session the user may see (access-policy.ts):
// caller ID alone opens nothing, and zip and date of birth stay masked for all but admins.
// Agents can add a note, which is also logged in the live session.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { NoteRequest, type CustomerContext } from '../../../../contracts/agent-api';
import type { AgentDesk } from '../../agents/agent-desk';
import type { UserDirectory } from '../../auth/users';
import type { Crm } from '../../crm/crm-port';
import type { SessionStore } from '../../store/session-store';
import { AccessPolicy, type CustomerAccess } from '../access-policy';
import { requireRole } from '../auth-guard';

export function customerRoutes(users: UserDirectory, crm: Crm, store: SessionStore, desk: AgentDesk) {
  const policy = new AccessPolicy(users, store);
  const refuse = (reply: FastifyReply, access: Extract<CustomerAccess, { allowed: false }>) =>
    reply.code(403).send({ error: access.code, message: access.message });

  return async (app: FastifyInstance): Promise<void> => {
    const staff = requireRole(users, ['agent', 'lead', 'admin']);

    app.get('/api/customers/:id/context', { preHandler: staff }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const user = request.user!;
      // Access first: whether an id exists is not for someone who may not open it.
      const access = await policy.customerAccess(user, id);
      if (!access.allowed) return refuse(reply, access);
      const customer = await crm.getCustomer(id);
      if (!customer) return reply.code(404).send({ error: 'not_found', message: `No customer ${id}.` });
      const context: CustomerContext = {
        customer: policy.customerView(user, customer),
        verified: access.sessions.length > 0,
        orders: await crm.listOrders(id),
        tickets: await crm.listTickets(id),
        pastSessions: access.sessions.slice(0, 10).map((s) => ({ id: s.id, startedAt: s.startedAt, state: s.state, escalationReason: s.escalationReason })),
      };
      return context;
    });

    app.post('/api/customers/:id/notes', { preHandler: staff }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const parsed = NoteRequest.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: 'bad_request', message: 'Send JSON {"note": "..."} with 1 to 2000 characters.' });
      const user = request.user!;
      const access = await policy.customerAccess(user, id);
      if (!access.allowed) return refuse(reply, access);
      if (!(await crm.getCustomer(id))) return reply.code(404).send({ error: 'not_found', message: `No customer ${id}.` });
      const live = access.sessions.find((s) => desk.holds(user.id, s.id))?.id;
      const note = `${new Date().toISOString().slice(0, 10)} ${user.name}: ${parsed.data.note.trim()}`;
      await crm.appendCustomerNote(id, note);
      if (live) await store.appendEvent(live, 'customer.note_added', { agentId: user.id, customerId: id, note: parsed.data.note.trim() });
      return reply.code(201).send({ ok: true });
    });
  };
}
