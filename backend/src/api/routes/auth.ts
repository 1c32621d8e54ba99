// Sign-in and sign-out. A failed sign-in says only that the credentials were not accepted,
// never which part was wrong. Guessing is throttled per account (a backoff after wrong
// passwords in a row, from any address) and per address (the same backoff after ten times as
// many, so an office behind one address is not punished for its staff signing in at nine,
// plus a flood limit on all attempts by @fastify/rate-limit); all answer 429 with
// Retry-After, before any password is checked.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LoginRequest, type LoginResponse } from '../../../../contracts/api';
import { LoginThrottle } from '../../auth/login-throttle';
import type { UserDirectory } from '../../auth/users';
import { bearerToken } from '../auth-guard';
import { zodRoutes } from '../route-schemas';

export interface SignInLimits {
  /** Sign-in attempts (right or wrong) per minute from one address: a flood limit. */
  LOGIN_ATTEMPTS_PER_MINUTE: number;
  /** Wrong passwords in a row before an account must wait between attempts. */
  LOGIN_FREE_FAILURES: number;
}

function tooMany(reply: FastifyReply, waitMs: number, why: string) {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return reply
    .code(429)
    .header('retry-after', String(seconds))
    .send({ error: 'too_many_requests', message: `${why} Wait ${seconds} s before trying again, or ask an admin to reset the password.` });
}

export function authRoutes(users: UserDirectory, limits: SignInLimits) {
  const accounts = new LoginThrottle({ freeFailures: limits.LOGIN_FREE_FAILURES });
  const addresses = new LoginThrottle({ freeFailures: limits.LOGIN_FREE_FAILURES * 10 });
  return async (plain: FastifyInstance): Promise<void> => {
    // Encapsulated here: only the routes that ask for it are limited.
    await plain.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        error: 'too_many_requests',
        message: `Too many sign-in attempts from this address. Wait ${Math.ceil(context.ttl / 1000)} s before trying again.`,
      }),
    });
    const app = zodRoutes(plain);

    app.post(
      '/api/auth/login',
      { schema: { body: LoginRequest }, config: { rateLimit: { max: limits.LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: 60_000 } } },
      async (request, reply) => {
        const { email, password } = request.body;
        const wait = accounts.waitFor(email);
        if (wait > 0) return tooMany(reply, wait, 'Too many wrong passwords for this account.');
        const addressWait = addresses.waitFor(request.ip);
        if (addressWait > 0) return tooMany(reply, addressWait, 'Too many wrong passwords from this address.');
        const user = await users.authenticate(email, password);
        if (!user) {
          accounts.failed(email);
          addresses.failed(request.ip);
          return reply.code(401).send({ error: 'invalid_credentials', message: 'Email or password not accepted. Check them and try again.' });
        }
        accounts.succeeded(email);
        addresses.succeeded(request.ip);
        const token = await users.issueToken(user.id);
        const body: LoginResponse = { token, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
        return body;
      },
    );

    app.post('/api/auth/logout', async (request, reply) => {
      const token = bearerToken(request);
      if (token) await users.revokeToken(token);
      return reply.code(204).send();
    });
  };
}
