// The Fastify application as a plugin: routes and hubs over already-built services. Tests
// build it and use inject() with no port; server.ts only listens.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import websocket from '@fastify/websocket';
import { authRoutes } from './api/routes/auth';
import { healthRoutes } from './api/routes/health';
import { sessionRoutes } from './api/routes/sessions';
import type { Services } from './runtime/services';
import { createSpeechEngines, type SpeechEngines } from './runtime/speech-engines';
import { captionRoutes, CaptionAccess } from './telephony/local/captions';
import { localCarrierRoutes, type LocalCarrierOptions } from './telephony/local/media-socket';
import { callerPageRoutes } from './telephony/local/caller-page';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  /** Speech engines shared by all calls; created from the config when not given. */
  speech?: SpeechEngines;
  /** Hooks for the voice benchmark. */
  voiceMetrics?: Pick<LocalCarrierOptions, 'onTurnMetrics' | 'onBargeIn'>;
}

export async function buildApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 1024 * 1024 });
  await app.register(websocket, { options: { maxPayload: 256 * 1024 } });

  // One error handler: client errors keep their message, server errors hide details.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error(error);
      return reply.code(status).send({ error: 'internal', message: 'Something went wrong on the server. Try again; if it persists, check the server log.' });
    }
    return reply.code(status).send({ error: 'bad_request', message: error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not_found', message: `No route ${request.method} ${request.url}.` }),
  );

  await app.register(healthRoutes);
  await app.register(authRoutes(services.users));
  await app.register(sessionRoutes(services.users, services.store));

  const speech = opts.speech ?? (await createSpeechEngines(services.config));
  const captions = new CaptionAccess();
  await app.register(localCarrierRoutes({ services, speech, captions, ...opts.voiceMetrics }));
  await app.register(captionRoutes(services.store, captions));
  await app.register(callerPageRoutes);
  return app;
}
