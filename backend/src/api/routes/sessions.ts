// Session history: the session with its ordered events. Leads and admins see every
// session; an agent sees only the sessions it handled.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SessionDetail } from '../../../../contracts/api';
import type { UserDirectory } from '../../auth/users';
import type { SessionStore } from '../../store/session-store';
import { requireRole } from '../auth-guard';

const ListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const Params = z.object({ id: z.string().min(1).max(100) });

export function sessionRoutes(users: UserDirectory, store: SessionStore) {
  return async (app: FastifyInstance): Promise<void> => {
    const anyStaff = requireRole(users, ['agent', 'lead', 'admin']);

    app.get('/api/sessions', { preHandler: anyStaff }, async (request, reply) => {
      const parsed = ListQuery.safeParse(request.query);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const param = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue?.path.join('.');
        return reply.code(400).send({ error: 'bad_request', message: `Query parameter ${param} is not valid: ${issue?.message}.` });
      }
      const user = request.user!;
      const sessions = await store.listSessions({
        limit: parsed.data.limit,
        offset: parsed.data.offset,
        ...(user.role === 'agent' ? { agentId: user.id } : {}),
      });
      return { sessions };
    });

    app.get('/api/sessions/:id', { preHandler: anyStaff }, async (request, reply) => {
      const { id } = Params.parse(request.params);
      const session = await store.getSession(id);
      const user = request.user!;
      if (!session) return reply.code(404).send({ error: 'not_found', message: `No session ${id}. Check the id in the session list.` });
      if (user.role === 'agent' && !session.agentIds.includes(user.id)) {
        return reply.code(403).send({ error: 'forbidden', message: 'Agents can open only the sessions they handled.' });
      }
      const detail: SessionDetail = { ...session, events: await store.listEvents(id) };
      return detail;
    });
  };
}
