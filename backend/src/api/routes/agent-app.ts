// Serves the agent app (the React renderer, built by Vite into dist/renderer) at /app/.
// When it has not been built, /app/ says how to build it instead of failing silently.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { TWILIO_SDK_CONNECT_SRC, TWILIO_SDK_MEDIA_SRC } from '../../../../contracts/twilio-sdk-endpoints';

export const RENDERER_DIST = fileURLToPath(new URL('../../../../dist/renderer/', import.meta.url));

/** The app's CSP; with Twilio as carrier it also allows exactly the Voice SDK's endpoints. */
export function agentAppCsp(twilio: boolean): string {
  const connect = ["'self'", 'ws:', 'wss:', ...(twilio ? TWILIO_SDK_CONNECT_SRC : [])].join(' ');
  const media = ["'self'", 'blob:', ...(twilio ? TWILIO_SDK_MEDIA_SRC : [])].join(' ');
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src ${media}; connect-src ${connect}; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

export async function agentAppRoutes(app: FastifyInstance, opts: { twilio?: boolean } = {}): Promise<void> {
  const CSP = agentAppCsp(opts.twilio ?? false);
  app.get('/', async (_request, reply) => reply.redirect('/app/'));
  if (!existsSync(RENDERER_DIST)) {
    app.get('/app/*', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The agent app has not been built. Run "npm run build" (npm start does this for you), then reload.'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: RENDERER_DIST,
    prefix: '/app/',
    setHeaders: (res) => {
      res.header('content-security-policy', CSP);
      res.header('x-content-type-options', 'nosniff');
    },
  });
}
