// The Fastify application as a plugin: routes and hubs over already-built services. Tests
// build it and use inject() with no port; server.ts only listens.
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import { desktopCors } from './api/desktop-cors';
import { authRoutes } from './api/routes/auth';
import { healthRoutes } from './api/routes/health';
import { sessionRoutes } from './api/routes/sessions';
import type { Services } from './runtime/services';
import { createSpeechEngines, type SpeechEngines } from './runtime/speech-engines';
import { captionRoutes, CaptionAccess } from './telephony/local/captions';
import { localCarrierRoutes, type LocalCarrierOptions } from './telephony/local/media-socket';
import { callerPageRoutes } from './telephony/local/caller-page';
import { LocalLines } from './telephony/local/local-lines';
import { StreamCallControl } from './telephony/stream-call-control';
import { twilioCarrierRoutes, type TwilioCarrierOptions } from './telephony/twilio/twilio-carrier';
import { telephonyRoutes } from './api/routes/telephony';
import { AgentDesk } from './agents/agent-desk';
import { AgentHub } from './agents/agent-hub';
import { agentMediaRoutes } from './agents/agent-media';
import { customerRoutes } from './api/routes/customers';
import { userRoutes } from './api/routes/users';
import { recordingRoutes } from './api/routes/recordings';
import { agentAppRoutes } from './api/routes/agent-app';
import { updateFeedRoutes } from './api/routes/updates';
import { Analytics } from './analytics/analytics';
import { startWallboardFeed } from './analytics/wallboard';
import { analyticsRoutes } from './api/routes/analytics';
import { reviewRoutes } from './api/routes/reviews';
import type { RoutingClock } from './routing/clock';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  /** Speech engines shared by all calls; created from the config when not given. */
  speech?: SpeechEngines;
  /** Hooks for the voice benchmark. */
  voiceMetrics?: Pick<LocalCarrierOptions, 'onTurnMetrics' | 'onBargeIn'> & Pick<TwilioCarrierOptions, 'onRestRequest'>;
  /** Routing's clock (tests drive offer timeouts with a fake one). */
  routingClock?: RoutingClock;
}

declare module 'fastify' {
  interface FastifyInstance {
    desk: AgentDesk;
    agentHub: AgentHub;
    analytics: Analytics;
  }
}

export async function buildApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  // Request-by-request logs are noise at the console of a trial; errors are still logged.
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(websocket, { options: { maxPayload: 256 * 1024 } });
  // Not encapsulated: the hook must see every route, including preflights to any path.
  await app.register(fp(desktopCors(services.config.DESKTOP_ORIGINS)));

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

  const { config } = services;
  const speech = opts.speech ?? (await createSpeechEngines(config));
  const analytics = await Analytics.start(services.db, services.store, services.users);
  app.addHook('onClose', async () => analytics.ingest.stop());
  app.decorate('analytics', analytics);
  const desk = new AgentDesk({
    services,
    onPresence: (agentId, presence) => analytics.recordPresence(agentId, presence),
    offerTimeoutMs: config.OFFER_TIMEOUT_MS,
    holdAnnounceMs: config.HOLD_ANNOUNCE_MS,
    callbackOfferAfterMs: config.CALLBACK_OFFER_AFTER_MS,
    dispositions: config.DISPOSITIONS,
    ...(config.RECORDINGS ? { recordingsDir: join(resolve(config.DATA_DIR), 'recordings') } : {}),
    ...(opts.routingClock ? { clock: opts.routingClock } : {}),
  });
  await desk.init();
  const hub = new AgentHub(desk, services.store, services.users);
  app.decorate('desk', desk);
  app.decorate('agentHub', hub);
  app.addHook('onClose', async () => desk.close());

  const lines = new LocalLines(config.COMPANY_NAME, {
    unanswered: (call, why) => desk.outboundUnanswered(call.agentId, call.phone, why),
  });
  desk.setOutboundRinger((phone, agentId) => lines.ring(phone, agentId));
  await app.register(lines.routes());

  const captions = new CaptionAccess();
  await app.register(
    localCarrierRoutes({
      services,
      speech,
      captions,
      onCallStarted: (call) => desk.attachCall(call, new StreamCallControl(call)),
      claimOutbound: (callId, phone) => lines.claim(callId, phone),
      ...opts.voiceMetrics,
    }),
  );
  // Phone calls through Twilio when configured; the local carrier (web call page) stays on.
  if (config.CARRIER === 'twilio') {
    await app.register(
      twilioCarrierRoutes({
        services,
        speech,
        onCallStarted: (call, control) => desk.attachCall(call, control),
        onAgentPartial: (sessionId, text) => {
          const agentId = desk.agentOn(sessionId);
          if (agentId) hub.send(agentId, { type: 'transcript.partial', sessionId, seq: 0, speaker: 'agent', text });
        },
        ...opts.voiceMetrics,
      }),
    );
  }
  await app.register(telephonyRoutes(config.CARRIER));
  await app.register(captionRoutes(services.store, captions));
  await app.register(callerPageRoutes);
  await app.register(hub.routes());
  await app.register(
    agentMediaRoutes({
      desk,
      users: services.users,
      store: services.store,
      stt: speech.stt,
      endOfTurnSilenceMs: config.END_OF_TURN_SILENCE_MS,
      notifyPartial: (agentId, sessionId, text) => hub.send(agentId, { type: 'transcript.partial', sessionId, seq: 0, speaker: 'agent', text }),
    }),
  );
  await app.register(customerRoutes(services.users, services.crm, services.store, desk));
  await app.register(userRoutes(services.users));
  await app.register(recordingRoutes(services.users, services.store));
  await app.register(analyticsRoutes(services.users, analytics));
  await app.register(reviewRoutes({ users: services.users, store: services.store, db: services.db, analytics }));
  startWallboardFeed(app, { analytics, users: services.users });
  await app.register(agentAppRoutes, { twilio: config.CARRIER === 'twilio' });
  const updatesDir = join(resolve(config.DATA_DIR), 'updates');
  for (const channel of ['stable', 'beta']) mkdirSync(join(updatesDir, channel), { recursive: true });
  await app.register(updateFeedRoutes({ dir: updatesDir }));
  return app;
}
