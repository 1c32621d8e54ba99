// Security headers on every response (@fastify/helmet): nosniff, no framing, no referrer,
// cross-origin isolation of windows. Pages set their own Content-Security-Policy (the
// caller page and the agent app each know what they load), so helmet's is off; API answers
// get a CSP that allows nothing, `no-store` (they carry customer data and tokens) and a
// same-origin resource policy. The desktop app's cross-origin calls still work: it reads
// the API with CORS (desktop-cors.ts), which a resource policy does not block.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Paths whose answers are data for one signed-in user or one caller, never to be cached. */
const PRIVATE_PREFIXES = ['/api/', '/local/calls/'];

export const securityHeaders = fp(async (app: FastifyInstance): Promise<void> => {
  await app.register(helmet, {
    contentSecurityPolicy: false,
    // Resource policy only on API answers (below): static scripts are loaded cross-origin by
    // the desktop app's audio worklet.
    crossOriginResourcePolicy: false,
    hsts: { maxAge: 15_552_000, includeSubDomains: false },
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!PRIVATE_PREFIXES.some((p) => request.url.startsWith(p))) return payload;
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    reply.header('cross-origin-resource-policy', 'same-origin');
    return payload;
  });
});
