// CORS for the desktop app. The Electron shell serves the agent app from its own signed
// package at app://switchboard and calls this backend cross-origin; only the origins in
// DESKTOP_ORIGINS get CORS answers, browsers on other sites get none. Bearer tokens (not
// cookies) carry auth, so credentials are never allowed.
import type { FastifyInstance } from 'fastify';

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOW_HEADERS = 'authorization, content-type';

export function desktopCors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (!origin || !allowed.has(origin)) return;
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
      reply.header('access-control-expose-headers', 'content-disposition');
      if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
        reply.header('access-control-allow-methods', ALLOW_METHODS);
        reply.header('access-control-allow-headers', ALLOW_HEADERS);
        reply.header('access-control-max-age', '600');
        await reply.code(204).send();
      }
    });
  };
}
