// Sign-in and sign-out. A failed sign-in says only that the credentials were not accepted,
// never which part was wrong.
import type { FastifyInstance } from 'fastify';
import { LoginRequest, type LoginResponse } from '../../../../contracts/api';
import type { UserDirectory } from '../../auth/users';
import { bearerToken } from '../auth-guard';

export function authRoutes(users: UserDirectory) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/auth/login', async (request, reply) => {
      const parsed = LoginRequest.safeParse(request.body);
      if (!parsed.success) {
        return reply.code(400).send({ error: 'bad_request', message: 'Send JSON {"email": "...", "password": "..."}.' });
      }
      const user = await users.authenticate(parsed.data.email, parsed.data.password);
      if (!user) {
        return reply.code(401).send({ error: 'invalid_credentials', message: 'Email or password not accepted. Check them and try again.' });
      }
      const token = await users.issueToken(user.id);
      const body: LoginResponse = { token, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
      return body;
    });

    app.post('/api/auth/logout', async (request, reply) => {
      const token = bearerToken(request);
      if (token) await users.revokeToken(token);
      return reply.code(204).send();
    });
  };
}
