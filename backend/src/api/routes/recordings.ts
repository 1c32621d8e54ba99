// Call recordings (stereo WAV: caller left, AI and agent right), served to whoever may see
// the session (access-policy.ts): admins, the lead of the team that handled it, its agents.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { UserDirectory } from '../../auth/users';
import type { SessionStore } from '../../store/session-store';
import { AccessPolicy } from '../access-policy';
import { requireRole } from '../auth-guard';
import { PathId, zodRoutes } from '../route-schemas';

const Params = z.object({ sessionId: PathId }).strict();

export function recordingRoutes(users: UserDirectory, store: SessionStore) {
  const policy = new AccessPolicy(users, store);
  return async (plain: FastifyInstance): Promise<void> => {
    const app = zodRoutes(plain);
    const staff = requireRole(users, ['agent', 'lead', 'admin']);
    app.get('/api/recordings/:sessionId', { preHandler: staff, schema: { params: Params } }, async (request, reply) => {
      const { sessionId } = request.params;
      const user = request.user!;
      const session = await store.getSession(sessionId);
      if (!session) return reply.code(404).send({ error: 'not_found', message: `No session ${sessionId}.` });
      if (!(await policy.maySeeSession(user, session))) {
        const whose = user.role === 'lead' ? `your team (${user.team}) handled` : 'you handled';
        return reply.code(403).send({ error: 'forbidden', message: `You can play only recordings of calls ${whose}.` });
      }
      const saved = (await store.listEvents(sessionId)).findLast((e) => e.type === 'recording.saved');
      if (!saved || saved.type !== 'recording.saved') {
        return reply.code(404).send({ error: 'not_found', message: 'This session has no recording (text sessions and calls still in progress have none).' });
      }
      const info = await stat(saved.data.path).catch(() => undefined);
      if (!info) return reply.code(410).send({ error: 'gone', message: 'The recording file is missing from the data directory.' });
      return reply.type('audio/wav').header('content-length', info.size).header('cache-control', 'private, no-store').send(createReadStream(saved.data.path));
    });
  };
}
