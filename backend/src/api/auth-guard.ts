// Bearer-token authentication and role checks for routes: 401 when the token is missing
// or unknown, 403 when the user's role may not use the route.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../../contracts/api';
import type { User, UserDirectory } from '../auth/users';

declare module 'fastify' {
  interface FastifyRequest {
    user?: User;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

export function requireRole(users: UserDirectory, roles: readonly Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = bearerToken(request);
    const user = token ? await users.userForToken(token) : undefined;
    if (!user) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: 'Sign in first: POST /api/auth/login, then send the token as "Authorization: Bearer <token>".' });
      return;
    }
    if (!roles.includes(user.role)) {
      await reply.code(403).send({ error: 'forbidden', message: `This needs one of the roles ${roles.join(', ')}; ask an admin for access.` });
      return;
    }
    request.user = user;
  };
}
