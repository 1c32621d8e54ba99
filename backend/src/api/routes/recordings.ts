// Call recordings (stereo WAV: caller left, AI and agent right), served only to leads,
// admins, and the agents who handled the call.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { UserDirectory } from '../../auth/users';
import type { SessionStore } from '../../store/session-store';
import { requireRole } from '../auth-guard';

export function recordingRoutes(users: UserDirectory, store: SessionStore) {
  return async (app: FastifyInstance): Promise<void> => {
    const staff = requireRole(users, ['agent', 'lead', 'admin']);
    app.get('/api/recordings/:sessionId', { preHandler: staff }, async (request, reply) => {
      const { sessionId } = request.params as { sessionId: string };
      const user = request.user!;
      const session = await store.getSession(sessionId);
      if (!session) return reply.code(404).send({ error: 'not_found', message: `No session ${sessionId}.` });
      if (user.role === 'agent' && !session.agentIds.includes(user.id)) {
        return reply.code(403).send({ error: 'forbidden', message: 'Agents can play only recordings of calls they handled.' });
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
