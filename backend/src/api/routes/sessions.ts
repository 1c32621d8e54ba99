// Session history: the session with its ordered events. Who sees which session is the one
// rule in access-policy.ts (admins all, leads their team's, agents their own); what they see
// of the caller's identity answers and the customer link follows it too.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SessionDetail } from '../../../../contracts/api';
import type { UserDirectory } from '../../auth/users';
import type { SessionStore } from '../../store/session-store';
import { AccessPolicy } from '../access-policy';
import { requireRole } from '../auth-guard';
import { PathId, zodRoutes } from '../route-schemas';

const ListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const Params = z.object({ id: PathId }).strict();

export function sessionRoutes(users: UserDirectory, store: SessionStore) {
  const policy = new AccessPolicy(users, store);
  return async (plain: FastifyInstance): Promise<void> => {
    const app = zodRoutes(plain);
    const anyStaff = requireRole(users, ['agent', 'lead', 'admin']);

    app.get('/api/sessions', { preHandler: anyStaff, schema: { querystring: ListQuery } }, async (request) => {
      const user = request.user!;
      const sessions = await policy.listSessions(user, request.query);
      return { sessions: sessions.map((s) => policy.sessionView(user, s)) };
    });

    app.get('/api/sessions/:id', { preHandler: anyStaff, schema: { params: Params } }, async (request, reply) => {
      const { id } = request.params;
      const session = await store.getSession(id);
      const user = request.user!;
      if (!session) return reply.code(404).send({ error: 'not_found', message: `No session ${id}. Check the id in the session list.` });
      if (!(await policy.maySeeSession(user, session))) {
        const whose = user.role === 'lead' ? `your team (${user.team}) handled` : 'you handled';
        return reply.code(403).send({ error: 'forbidden', message: `You can open only the sessions ${whose}.` });
      }
      const events = (await store.listEvents(id)).map((e) => policy.eventView(user, e));
      const detail: SessionDetail = { ...policy.sessionView(user, session), events };
      return detail;
    });
  };
}
