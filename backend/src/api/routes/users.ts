// Account administration (admins only): create agents and leads, set teams, skills and
// roles, reset passwords, deactivate. A deactivated account keeps its sessions; its tokens
// stop working and its open sockets close at once (api/socket-access.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { UserCreate, UserUpdate } from '../../../../contracts/agent-api';
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
