// Account administration (admins only): create agents and leads, set teams, skills and
// roles, reset passwords, deactivate. A deactivated account keeps its sessions; its tokens
// stop working at once.
import type { FastifyInstance } from 'fastify';
import { UserCreate, UserUpdate } from '../../../../contracts/agent-api';
import type { UserDirectory } from '../../auth/users';
import { requireRole } from '../auth-guard';

function firstIssue(error: { issues: Array<{ path: PropertyKey[]; message: string; code: string; keys?: string[] }> }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request';
  if (issue.code === 'unrecognized_keys') return `unknown field ${issue.keys?.join(', ')}`;
  return `${issue.path.join('.') || 'body'}: ${issue.message}`;
}

export function userRoutes(users: UserDirectory) {
  return async (app: FastifyInstance): Promise<void> => {
    const admin = requireRole(users, ['admin']);

    app.get('/api/users', { preHandler: admin }, async () => ({ users: await users.list() }));

    app.post('/api/users', { preHandler: admin }, async (request, reply) => {
      const parsed = UserCreate.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: 'bad_request', message: `Cannot create the user: ${firstIssue(parsed.error)}.` });
      if (await users.findByEmail(parsed.data.email)) {
        return reply.code(409).send({ error: 'conflict', message: `A user with the email ${parsed.data.email} already exists.` });
      }
      return reply.code(201).send(await users.create(parsed.data));
    });

    app.patch('/api/users/:id', { preHandler: admin }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const parsed = UserUpdate.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: 'bad_request', message: `Cannot update the user: ${firstIssue(parsed.error)}.` });
      if (id === request.user!.id && (parsed.data.active === false || (parsed.data.role && parsed.data.role !== 'admin'))) {
        return reply.code(400).send({ error: 'bad_request', message: 'You cannot deactivate or demote your own account; ask another admin.' });
      }
      const updated = await users.update(id, parsed.data);
      if (!updated) return reply.code(404).send({ error: 'not_found', message: `No user ${id}.` });
      return updated;
    });
  };
}
