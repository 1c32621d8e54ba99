// The CRM context card: a customer's profile, orders, tickets, notes and past sessions.
// A record opens only through a verified session the user may see (access-policy.ts):
// caller ID alone opens nothing, and zip and date of birth stay masked for all but admins.
// Agents can add a note, which is also logged in the live session.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { NoteRequest, type CustomerContext } from '../../../../contracts/agent-api';
import type { AgentDesk } from '../../agents/agent-desk';
import type { UserDirectory } from '../../auth/users';
import type { Crm } from '../../crm/crm-port';
import type { SessionStore } from '../../store/session-store';
import { AccessPolicy, type CustomerAccess } from '../access-policy';
import { requireRole } from '../auth-guard';
import { PathId, zodRoutes } from '../route-schemas';

const Params = z.object({ id: PathId }).strict();

export function customerRoutes(users: UserDirectory, crm: Crm, store: SessionStore, desk: AgentDesk) {
  const policy = new AccessPolicy(users, store);
  const refuse = (reply: FastifyReply, access: Extract<CustomerAccess, { allowed: false }>) =>
    reply.code(403).send({ error: access.code, message: access.message });

  return async (plain: FastifyInstance): Promise<void> => {
    const app = zodRoutes(plain);
    const staff = requireRole(users, ['agent', 'lead', 'admin']);

    app.get('/api/customers/:id/context', { preHandler: staff, schema: { params: Params } }, async (request, reply) => {
      const { id } = request.params;
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
        // Past means finished: the call the agent is on (or wrapping up) is not history yet.
        pastSessions: access.sessions.filter((s) => s.state === 'ended').slice(0, 10).map((s) => ({ id: s.id, startedAt: s.startedAt, state: s.state, escalationReason: s.escalationReason })),
      };
      return context;
    });

    app.post('/api/customers/:id/notes', { preHandler: staff, schema: { params: Params, body: NoteRequest } }, async (request, reply) => {
      const { id } = request.params;
      const text = request.body.note.trim();
      const user = request.user!;
      const access = await policy.customerAccess(user, id);
      if (!access.allowed) return refuse(reply, access);
      if (!(await crm.getCustomer(id))) return reply.code(404).send({ error: 'not_found', message: `No customer ${id}.` });
      const live = access.sessions.find((s) => desk.holds(user.id, s.id))?.id;
      const note = `${new Date().toISOString().slice(0, 10)} ${user.name}: ${text}`;
      await crm.appendCustomerNote(id, note);
      if (live) await store.appendEvent(live, 'customer.note_added', { agentId: user.id, customerId: id, note: text });
      return reply.code(201).send({ ok: true });
    });
  };
}
