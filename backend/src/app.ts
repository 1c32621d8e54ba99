// The Fastify application as a plugin: routes and hubs over already-built services. Tests
// build it and use inject() with no port; server.ts only listens.
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import { desktopCors } from './api/desktop-cors';
import { validationProblem } from './api/route-schemas';
import { securityHeaders } from './api/security-headers';
import { authRoutes } from './api/routes/auth';
import { healthRoutes } from './api/routes/health';
import { sessionRoutes } from './api/routes/sessions';
import type { Services } from './runtime/services';
import { callCapacity, createSpeechEngines, type SpeechEngines } from './runtime/speech-engines';
import { CallRegistry } from './telephony/call-registry';
import { createBusyLine } from './telephony/busy-line';
import { recoverInterruptedCalls, type RecoveryReport } from './telephony/crash-recovery';
import { createBrain } from './runtime/services';
import { captionRoutes, CaptionAccess } from './telephony/local/captions';
import { localCarrierRoutes, type LocalCarrierOptions } from './telephony/local/media-socket';
import { callerPageRoutes } from './telephony/local/caller-page';
import { LocalLines } from './telephony/local/local-lines';
import { StreamCallControl } from './telephony/stream-call-control';
import { twilioCarrierRoutes, type TwilioCarrierOptions } from './telephony/twilio/twilio-carrier';
import { telephonyRoutes } from './api/routes/telephony';
import { AgentDesk } from './agents/agent-desk';
import { AgentHub } from './agents/agent-hub';
import { storeWithFeed } from './cluster/event-feed';
import { ClusterFloor } from './cluster/cluster-floor';
import { NatsDeskPeers } from './cluster/desk-peers';
import { NatsSupervisionPeers } from './cluster/supervision-peers';
import { readinessRoutes } from './api/routes/readiness';
import { BUS_DOWN_MESSAGE, Drain, DRAINING_MESSAGE, startsCall, STORE_DOWN_MESSAGE } from './runtime/drain';
import { agentMediaRoutes } from './agents/agent-media';
import { Supervision, type HeldCall } from './supervision/supervision';
import { AlertFeed } from './supervision/alert-feed';
import { monitorMediaRoutes } from './supervision/monitor-media';
import { scoreSentiment } from './policy/sentiment';
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
import { redactingLogger } from './policy/redacting-logger';
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
    supervision: Supervision;
    analytics: Analytics;
    /** The one owner of live calls (admission control, release on any failure). */
    calls: CallRegistry;
    /** What start-up recovery closed after a crash (for the banner). */
    recovery: RecoveryReport;
    drain: Drain;
    /** BUS=nats: the desk's link to the other backends. */
    peers?: NatsDeskPeers;
  }
}

export async function buildApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  // Request-by-request logs are noise at the console of a trial; errors are still logged.
  const app = Fastify({
    // Every log line is masked for card numbers and SSNs (policy/redacting-logger.ts).
    logger: redactingLogger(opts.logger ?? false),
    bodyLimit: 1024 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(websocket, { options: { maxPayload: 256 * 1024 } });
  // Not encapsulated: the hook must see every route, including preflights to any path.
  await app.register(fp(desktopCors(services.config.DESKTOP_ORIGINS)));
  await app.register(securityHeaders);

  // One error handler: client errors keep their message, server errors hide details.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const invalid = validationProblem(error);
    if (invalid) return reply.code(400).send(invalid);
    const status = error.statusCode ?? 500;
    if (status === 429) return reply.code(429).send({ error: 'too_many_requests', message: error.message });
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
  // Cluster operations: readiness, and refusing new calls while draining (runtime/drain.ts).
  const drain = new Drain();
  app.decorate('drain', drain);
  app.addHook('onRequest', async (request, reply) => {
    if (!startsCall(request.url)) return;
    if (drain.draining) return reply.code(503).send({ error: 'draining', message: DRAINING_MESSAGE });
    // Calls in progress go on; new ones wait until the bus is back (no one else would see them).
    if (services.cluster && !services.cluster.link.connected) return reply.code(503).send({ error: 'bus_unavailable', message: BUS_DOWN_MESSAGE });
    // A call needs its session written before it starts; live calls' writes wait out the outage.
    if (!services.store.reachable) return reply.code(503).send({ error: 'store_unavailable', message: STORE_DOWN_MESSAGE });
  });
  await app.register(readinessRoutes(services, drain));
  await app.register(authRoutes(services.users, services.config));
  await app.register(sessionRoutes(services.users, services.store));

  const { config } = services;
  const speech = opts.speech ?? (await createSpeechEngines(config));
  // Engines the app made itself are its to release (worker threads, model files).
  if (!opts.speech) app.addHook('onClose', async () => speech.close?.());
  const analytics = await Analytics.start(services.db, services.store, services.users);
  app.addHook('onClose', async () => analytics.ingest.stop());
  app.decorate('analytics', analytics);
  // BUS=nats: routing commands go to the leader, work on a call to the backend holding it.
  const peers = services.cluster
    ? new NatsDeskPeers({ link: services.cluster.link, lease: services.cluster.lease, db: services.db, users: services.users })
    : undefined;
  const desk = new AgentDesk({
    services,
    ...(peers ? { peers } : {}),
    onPresence: (agentId, presence) => analytics.recordPresence(agentId, presence),
    offerTimeoutMs: config.OFFER_TIMEOUT_MS,
    defaultLanguage: config.languages.default.code,
    holdAnnounceMs: config.HOLD_ANNOUNCE_MS,
    callbackOfferAfterMs: config.CALLBACK_OFFER_AFTER_MS,
    dispositions: config.DISPOSITIONS,
    ...(config.RECORDINGS ? { recordingsDir: join(resolve(config.DATA_DIR), 'recordings') } : {}),
    ...(opts.routingClock ? { clock: opts.routingClock } : {}),
  });
  await desk.init();
  if (peers) {
    peers.attach(desk);
    app.decorate('peers', peers);
    app.addHook('onClose', async () => peers.close());
  }
  // Sessions a crash left open are closed before any new call arrives (telephony/crash-recovery.ts).
  // In a cluster only sessions of backends that are gone (this one's earlier life included);
  // the routing leader sweeps again while it leads, for backends that die later.
  const recoveryOptions = {
    db: services.db,
    store: services.store,
    desk,
    ...(config.RECORDINGS ? { recordingsDir: join(resolve(config.DATA_DIR), 'recordings') } : {}),
    log: app.log,
    ...(peers ? { owners: { self: peers.instanceId, alive: (id: string) => peers.alive(id) } } : {}),
  };
  const recovery: RecoveryReport = await recoverInterruptedCalls({ ...recoveryOptions, ...(peers ? { startingUp: true } : {}) });
  app.decorate('recovery', recovery);
  if (peers) {
    const sweep = setInterval(() => {
      if (!peers.leader()) return;
      void recoverInterruptedCalls(recoveryOptions).catch((err: unknown) => app.log.warn({ err: String(err) }, 'cluster recovery sweep failed'));
    }, config.RECOVERY_SWEEP_MS).unref();
    app.addHook('onClose', async () => clearInterval(sweep));
  }
  // With BUS=nats the hub hears every backend's session events (cluster/event-feed.ts).
  const hub = new AgentHub(desk, storeWithFeed(services.store, services.liveEvents), services.users);
  app.decorate('desk', desk);
  // The live agent calls held here ride on the floor for leads elsewhere (set once supervision exists).
  let heldCalls: () => HeldCall[] = () => [];
  let floor: ClusterFloor | undefined;
  if (services.cluster) {
    // The wallboard spans the cluster: this backend's floor goes out, the others' come in.
    const ours = new ClusterFloor(services.cluster.link, () => ({ routing: desk.router.snapshot(), callsInAi: analytics.ingest.callsInAi(), heldCalls: heldCalls() }));
    floor = ours;
    analytics.floor = ours;
    app.addHook('onClose', async () => ours.close());
  }
  app.decorate('agentHub', hub);
  app.addHook('onClose', async () => desk.close());
  // Expired sign-in tokens are deleted at start and every hour (sockets using them close).
  const purgeTokens = () => void services.users.purgeExpiredTokens().catch((err: unknown) => app.log.warn({ err: String(err) }, 'token purge failed'));
  purgeTokens();
  const tokenPurge = setInterval(purgeTokens, 3_600_000).unref();
  app.addHook('onClose', async () => clearInterval(tokenPurge));

  const lines = new LocalLines(config.COMPANY_NAME, {
    unanswered: (call, why) => desk.outboundUnanswered(call.agentId, call.phone, why),
  });
  desk.setOutboundRinger((phone, agentId) => lines.ring(phone, agentId));
  await app.register(lines.routes(services.users));

  const captions = new CaptionAccess();
  const { capacity } = callCapacity(config, speech);
  const calls = new CallRegistry({
    capacity,
    // A phone call reaches the media stream without passing the HTTP gate above: refused there, with a spoken line.
    closedFor: () =>
      drain.draining
        ? 'this backend is shutting down'
        : services.cluster && !services.cluster.link.connected
          ? 'the bus (NATS) is unreachable'
          : !services.store.reachable
            ? 'the database is unreachable'
            : undefined,
    onEvent: (e) => {
      if (e.type === 'call.refused') app.log.warn(e, e.closed ? `call refused: ${e.closed}` : 'call refused: at capacity');
      else if (e.type === 'call.released' && e.releaseFailures.length > 0) app.log.error(e, 'call released with failures');
    },
  });
  app.decorate('calls', calls);
  const busyLine = createBusyLine({ tts: speech.tts, voice: config.TTS_VOICE, store: services.store, log: app.log });
  // What every call or refusal says first is synthesized once at start-up: a burst of new
  // calls then finds the greeting and the busy line in the sentence cache.
  const warming = Promise.all([
    busyLine.warm(),
    (async () => {
      for await (const sentence of speech.tts.synthesize(createBrain(config).greet({ companyName: config.COMPANY_NAME }), { voice: config.TTS_VOICE })) void sentence;
    })(),
  ]).catch((err: unknown) => app.log.warn({ err: String(err) }, 'could not pre-synthesize the greeting'));
  app.addHook('onClose', async () => void (await warming));
  await app.register(
    localCarrierRoutes({
      services,
      speech,
      registry: calls,
      busyLine,
      limits: { idleMs: config.MEDIA_IDLE_MS, burstMs: config.MEDIA_BURST_MS },
      captions,
      onCallStarted: (call) => {
        drain.track(call);
        desk.attachCall(call, new StreamCallControl(call));
      },
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
        registry: calls,
        busyLine,
        limits: { idleMs: config.MEDIA_IDLE_MS, burstMs: config.MEDIA_BURST_MS },
        onCallStarted: (call, control) => {
          drain.track(call);
          desk.attachCall(call, control);
        },
        onAgentLegLost: (sessionId, why) => desk.agentLegLost(sessionId, why),
        placeOutbound: (agentId) => desk.placedOutbound(agentId),
        outboundUnanswered: (agentId, phone) => desk.outboundUnanswered(agentId, phone, 'no_answer'),
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
      sockets: hub.sockets,
      endOfTurnSilenceMs: config.END_OF_TURN_SILENCE_MS,
      notifyPartial: (agentId, sessionId, text) => hub.send(agentId, { type: 'transcript.partial', sessionId, seq: 0, speaker: 'agent', text }),
    }),
  );
  // Supervision: leads listen, whisper or barge on live agent calls, and get alerts. In a
  // cluster a lead's monitor runs on the backend holding the call (cluster/supervision-peers.ts).
  const supervisionPeers = services.cluster && peers && floor ? new NatsSupervisionPeers({ link: services.cluster.link, desk: peers, floor }) : undefined;
  const supervision = new Supervision({
    desk,
    users: services.users,
    store: services.store,
    send: (userId, message) => hub.send(userId, message),
    connected: () => hub.connectedAgents(),
    ...(supervisionPeers ? { peers: supervisionPeers } : {}),
  });
  if (supervisionPeers) {
    supervisionPeers.serve(supervision);
    heldCalls = () => supervision.heldCalls();
    app.addHook('onClose', async () => supervisionPeers.close());
  }
  hub.supervise(supervision);
  app.decorate('supervision', supervision);
  app.addHook('preClose', async () => supervision.close());
  await app.register(monitorMediaRoutes({ supervision, users: services.users, sockets: hub.sockets }));
  const feedStore = storeWithFeed(services.store, services.liveEvents);
  const alerts = new AlertFeed({
    rules: { holdThresholdMs: config.ALERT_HOLD_MS, aiLoopTurns: config.ALERT_AI_LOOP_TURNS },
    score: (text) => scoreSentiment(text).score,
    users: services.users,
    subscribe: (listener) => feedStore.subscribe(listener),
    callOf: (sessionId) => {
      const call = desk.liveCall(sessionId);
      return call ? { agentId: call.agentId, callerName: call.callerName } : undefined;
    },
    send: (userId, message) => hub.send(userId, message),
    connected: () => hub.connectedAgents(),
  });
  app.addHook('onClose', async () => alerts.close());
  await app.register(customerRoutes(services.users, services.crm, services.store, desk));
  await app.register(userRoutes(services.users));
  await app.register(recordingRoutes(services.users, services.store));
  await app.register(analyticsRoutes(services.users, analytics, services.assist));
  await app.register(reviewRoutes({ users: services.users, store: services.store, db: services.db, analytics }));
  startWallboardFeed(app, { analytics, users: services.users });
  await app.register(agentAppRoutes, { twilio: config.CARRIER === 'twilio' });
  const updatesDir = join(resolve(config.DATA_DIR), 'updates');
  for (const channel of ['stable', 'beta']) mkdirSync(join(updatesDir, channel), { recursive: true });
  await app.register(updateFeedRoutes({ dir: updatesDir }));
  return app;
}
