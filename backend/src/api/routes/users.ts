// Account administration (admins only): create agents and leads, set teams, skills and
// roles, reset passwords, deactivate. A deactivated account keeps its sessions; its tokens
// stop working and its open sockets close at once (api/socket-access.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MyLanguages, UserCreate, UserUpdate } from '../../../../contracts/agent-api';
import { KNOWN_LANGUAGES, languageInfo } from '../../languages/languages';
import type { UserDirectory } from '../../auth/users';
import { requireRole } from '../auth-guard';
import { PathId, zodRoutes } from '../route-schemas';

const Params = z.object({ id: PathId }).strict();

export function userRoutes(users: UserDirectory) {
  return async (plain: FastifyInstance): Promise<void> => {
    const app = zodRoutes(plain);
    const admin = requireRole(users, ['admin']);

    app.get('/api/users', { preHandler: admin }, async () => ({ users: await users.list() }));

    app.post('/api/users', { preHandler: admin, schema: { body: UserCreate } }, async (request, reply) => {
      if (await users.findByEmail(request.body.email)) {
        return reply.code(409).send({ error: 'conflict', message: `A user with the email ${request.body.email} already exists.` });
      }
      return reply.code(201).send(await users.create(request.body));
    });

    // Each person sets the languages they speak; the first is their working language
    // (translations on their calls go into it).
    const anyone = requireRole(users, ['agent', 'lead', 'admin']);
    app.put('/api/me/languages', { preHandler: anyone, schema: { body: MyLanguages } }, async (request, reply) => {
      const unknown = request.body.languages.filter((l) => !languageInfo(l));
      if (unknown.length > 0) {
        return reply.code(400).send({ error: 'bad_request', message: `${unknown.join(', ')}: not a language this build knows. Use some of ${KNOWN_LANGUAGES.join(', ')}.` });
      }
      return users.update(request.user!.id, { languages: request.body.languages });
    });

    app.patch('/api/users/:id', { preHandler: admin, schema: { params: Params, body: UserUpdate } }, async (request, reply) => {
      const { id } = request.params;
      const changes = request.body;
      if (id === request.user!.id && (changes.active === false || (changes.role && changes.role !== 'admin'))) {
        return reply.code(400).send({ error: 'bad_request', message: 'You cannot deactivate or demote your own account; ask another admin.' });
      }
      const updated = await users.update(id, changes);
      if (!updated) return reply.code(404).send({ error: 'not_found', message: `No user ${id}.` });
      return updated;
    });
  };
}
