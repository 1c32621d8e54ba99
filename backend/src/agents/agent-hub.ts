// WebSocket /agent/ws: the agent app's live channel. Authenticated by bearer token (query
// `token` for browsers, or the Authorization header) before the upgrade. Every session
// event reaches each subscribed connection exactly once and in order: a (re)subscription
// replays the log after the seq the app last saw, buffering live events meanwhile, so a
// reconnect leaves no gap and no duplicate. Malformed messages get an error and change
// nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { AgentClientMessage, type AgentServerMessage, type ParsedAgentClientMessage } from '../../../contracts/agent-channel';
import { QueueSkill } from '../../../contracts/conversation';
import type { AnySessionEvent } from '../../../contracts/events';
import type { User, UserDirectory } from '../auth/users';
import type { SessionStore } from '../store/session-store';
import { bearerToken } from '../api/auth-guard';
import { AccessPolicy } from '../api/access-policy';
import { SOCKET_CLOSE, SocketAccess } from '../api/socket-access';
import { NoRoutingLeader, type AgentDesk, type DeskResult } from './agent-desk';
import type { Supervision } from '../supervision/supervision';

/** How long an agent who lost the connection keeps their presence before going offline. */
export const RECONNECT_GRACE_MS = 30_000;
const MAX_MESSAGE_CHARS = 64 * 1024;

interface Subscription {
  lastSeq: number;
  replaying: boolean;
  buffered: AnySessionEvent[];
}

interface Connection {
  user: User;
  /** The bearer token the socket opened with: re-checked before every action. */
  token: string;
  socket: WebSocket;
  subscriptions: Map<string, Subscription>;
}

declare module 'fastify' {
  interface FastifyRequest {
    agentUser?: User;
    agentToken?: string;
  }
}

/** Close code telling the app to sign in again (a browser cannot see an HTTP 401 on upgrade). */
export const CLOSE_SIGN_IN_AGAIN = SOCKET_CLOSE.signInAgain;
export const SIGN_IN_AGAIN = 'Sign in again: the token is missing, expired or revoked.';

export async function authenticateSocket(users: UserDirectory, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = (request.query as { token?: string }).token ?? bearerToken(request);
  const user = token ? await users.userForToken(token) : undefined;
  if (user) {
    request.agentUser = user;
    request.agentToken = token;
    return;
  }
  // Upgrades are accepted and then closed with 4401, so the app knows to sign in again.
  if (request.headers.upgrade?.toLowerCase() === 'websocket') return;
  await reply.code(401).send({ error: 'unauthorized', message: SIGN_IN_AGAIN });
}

export class AgentHub {
  readonly #connections = new Map<string, Set<Connection>>();
  readonly #graceTimers = new Map<string, NodeJS.Timeout>();
  readonly #desk: AgentDesk;
  readonly #store: SessionStore;
  readonly #users: UserDirectory;
  /** Open staff sockets (this channel and the agent audio legs), closed when access ends. */
  readonly sockets: SocketAccess;
  readonly #policy: AccessPolicy;
  #supervision: Supervision | undefined;
  /** Each connection's last queue figures sent, so only changes go out (at most once a second). */
  readonly #figuresSent = new WeakMap<Connection, string>();
  readonly #figuresTimer: NodeJS.Timeout;
  #figuresReading = false;

  constructor(desk: AgentDesk, store: SessionStore, users: UserDirectory) {
    this.#desk = desk;
    this.#store = store;
    this.#users = users;
    this.sockets = new SocketAccess(users);
    this.#policy = new AccessPolicy(users, store);
    desk.connect(
      (agentId, message) => this.send(agentId, message),
      (agentId, sessionId, afterSeq) => {
        for (const conn of this.#connections.get(agentId) ?? []) void this.#subscribe(conn, sessionId, afterSeq);
      },
      () => this.connectedAgents(),
    );
    store.subscribe((event) => this.#fanOut(event));
    this.#figuresTimer = setInterval(() => void this.#pushQueueFigures(), 1000);
    this.#figuresTimer.unref();
  }

  /** The agent's own queues — waiting, longest wait, agents available — to every desk whose figures changed. */
  async #pushQueueFigures(only?: Connection): Promise<void> {
    // One reading at a time: on a standby each is a request to the routing leader.
    if (!only && this.#figuresReading) return;
    const desks = [...this.#connections.values()].flatMap((set) => [...set]).filter((conn) => (!only || conn === only) && this.#desk.router.agent(conn.user.id));
    if (desks.length === 0) return;
    if (!only) this.#figuresReading = true;
    let all: Awaited<ReturnType<AgentDesk['transferOptions']>>['queues'];
    try {
      all = (await this.#desk.transferOptions()).queues;
    } catch {
      // Routing is changing hands (or unreachable): the figures wait for the next second.
      return;
    } finally {
      if (!only) this.#figuresReading = false;
    }
    for (const conn of desks) {
      const skills = conn.user.skills;
      const mine = all.filter((q) => skills.includes(q.queue)).map((q) => ({ ...q, longestWaitMs: Math.floor(q.longestWaitMs / 1000) * 1000 }));
      const key = JSON.stringify(mine);
      if (this.#figuresSent.get(conn) === key) continue;
      this.#figuresSent.set(conn, key);
      this.#send(conn, { type: 'queue.figures', queues: mine });
    }
  }

  /** Leads' monitoring and the live call list come from supervision (supervision/supervision.ts). */
  supervise(supervision: Supervision): void {
    this.#supervision = supervision;
  }

  /** Connected agent ids (for tests and wallboards). */
  connectedAgents(): string[] {
    return [...this.#connections.keys()];
  }

  send(agentId: string, message: AgentServerMessage): void {
    for (const conn of this.#connections.get(agentId) ?? []) this.#send(conn, message);
  }

  routes() {
    return async (app: FastifyInstance): Promise<void> => {
      app.get(
        '/agent/ws',
        { websocket: true, preValidation: (request, reply) => authenticateSocket(this.#users, request, reply) },
        (socket: WebSocket, request) => {
          if (!request.agentUser || !request.agentToken) return socket.close(CLOSE_SIGN_IN_AGAIN, SIGN_IN_AGAIN);
          this.#open(socket, request.agentUser, request.agentToken);
        },
      );
      app.addHook('preClose', async () => {
        this.sockets.dispose();
        clearInterval(this.#figuresTimer);
        for (const timer of this.#graceTimers.values()) clearTimeout(timer);
        for (const set of this.#connections.values()) for (const conn of set) conn.socket.close(1001, 'server shutting down');
      });
    };
  }

  #open(socket: WebSocket, user: User, token: string): void {
    const conn: Connection = { user, token, socket, subscriptions: new Map() };
    this.sockets.track(socket, user, token);
    const set = this.#connections.get(user.id) ?? new Set<Connection>();
    set.add(conn);
    this.#connections.set(user.id, set);
    clearTimeout(this.#graceTimers.get(user.id));
    this.#graceTimers.delete(user.id);

    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary || data.length > MAX_MESSAGE_CHARS) {
        this.#send(conn, { type: 'error', code: 'bad_message', message: 'Send JSON text messages of at most 64 KiB.' });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(data.toString('utf8'));
      } catch {
        this.#send(conn, { type: 'error', code: 'bad_message', message: 'The message is not valid JSON.' });
        return;
      }
      const parsed = AgentClientMessage.safeParse(json);
      const requestId = typeof (json as { requestId?: unknown })?.requestId === 'string' ? (json as { requestId: string }).requestId : undefined;
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? issue.path.join('.') : 'type';
        this.#send(conn, { type: 'error', ...(requestId ? { requestId } : {}), code: 'bad_message', message: `Message rejected at ${where}: ${issue?.message ?? 'invalid'}. Nothing was changed.` });
        return;
      }
      void this.#handle(conn, parsed.data).catch((err: unknown) => {
        if (err instanceof NoRoutingLeader) {
          // Routing is changing hands (cluster failover): nothing was done; the agent retries.
          this.#send(conn, { type: 'error', ...(requestId ? { requestId } : {}), code: 'routing_unavailable', message: err.message });
          return;
        }
        this.#send(conn, { type: 'error', ...(requestId ? { requestId } : {}), code: 'internal', message: 'Something went wrong on the server; try again.' });
        console.error('agent hub:', err);
      });
    });

    socket.on('close', () => {
      set.delete(conn);
      if (set.size > 0) return;
      this.#connections.delete(user.id);
      // A dropped connection is often a network blip: keep the agent's place for a while.
      this.#graceTimers.set(
        user.id,
        setTimeout(() => {
          this.#graceTimers.delete(user.id);
          void (async () => {
            const agent = await this.#desk.agentView(user.id);
            if (agent && (agent.presence === 'available' || agent.presence === 'away')) await this.#desk.setPresence(user, 'offline');
          })().catch((err: unknown) => console.error(`agent hub: could not set ${user.id} offline after the grace period:`, err));
        }, RECONNECT_GRACE_MS),
      );
    });
  }

  async #handle(conn: Connection, msg: ParsedAgentClientMessage): Promise<void> {
    // The account may have been deactivated, or the token revoked, since the socket opened:
    // nothing is done for a socket whose access ended (it is closed instead).
    const current = await this.sockets.recheck(conn.socket, conn.token);
    if (!current) return;
    conn.user = current;
    const { user } = conn;
    const reply = (result: DeskResult) =>
      this.#send(conn, result.ok ? { type: 'ack', ...(msg.requestId ? { requestId: msg.requestId } : {}) } : { type: 'error', ...(msg.requestId ? { requestId: msg.requestId } : {}), code: result.code, message: result.message });
    switch (msg.type) {
      case 'hello': {
        const agent = await this.#desk.agentView(user.id);
        this.#send(conn, {
          type: 'welcome',
          agent: { id: user.id, name: user.name, role: user.role, skills: user.skills },
          presence: agent?.presence ?? 'offline',
          dispositions: this.#desk.dispositions,
          queues: [...QueueSkill.options],
        });
        for (const r of msg.resume) {
          const allowed = await this.#maySee(user, r.sessionId);
          if (allowed) await this.#subscribe(conn, r.sessionId, r.afterSeq);
          else this.#send(conn, { type: 'error', code: 'forbidden', message: `You cannot follow session ${r.sessionId}.` });
        }
        await this.#desk.restore(user, msg.resume.map((r) => r.sessionId));
        this.#figuresSent.delete(conn);
        await this.#pushQueueFigures(conn);
        reply({ ok: true });
        await this.#supervision?.sendCalls(user);
        return;
      }
      case 'ping':
        return this.#send(conn, { type: 'pong', ...(msg.requestId ? { requestId: msg.requestId } : {}) });
      case 'presence.set':
        return reply(await this.#desk.setPresence(user, msg.presence));
      case 'offer.accept':
        return reply(await this.#desk.accept(user, msg.offerId));
      case 'offer.decline':
        return reply(await this.#desk.decline(user, msg.offerId));
      case 'session.subscribe':
        if (!(await this.#maySee(user, msg.sessionId))) {
          return reply({ ok: false, code: 'forbidden', message: 'You can follow only calls you are on or have handled (leads: calls your team handled).' });
        }
        await this.#subscribe(conn, msg.sessionId, msg.afterSeq);
        return reply({ ok: true });
      case 'call.mute':
        return reply(await this.#desk.mute(user, msg.sessionId, msg.muted));
      case 'call.hold':
        return reply(await this.#desk.hold(user, msg.sessionId, msg.held));
      case 'call.transfer':
        return reply(await this.#desk.transfer(user, msg.sessionId, msg.target, msg.note));
      case 'call.dtmf':
        return reply(await this.#desk.dtmf(user, msg.sessionId, msg.digits));
      case 'call.recording':
        return reply(await this.#desk.setRecordingPaused(user, msg.sessionId, msg.paused));
      case 'call.hangup':
        return reply(await this.#desk.hangUp(user, msg.sessionId));
      case 'call.speak_translated':
        return reply(await this.#desk.speakTranslated(user, msg.sessionId, msg.on));
      case 'call.dial':
        return reply(await this.#desk.dial(user, msg.phone));
      case 'suggestion.used':
        return reply(await this.#desk.suggestionFeedback(user, msg.sessionId, msg.suggestionId, true));
      case 'suggestion.dismissed':
        return reply(await this.#desk.suggestionFeedback(user, msg.sessionId, msg.suggestionId, false));
      case 'wrapup.submit':
        return reply(await this.#desk.wrapUp(user, msg.sessionId, msg.disposition, msg.notes, msg.followUp));
      case 'hand.raise':
        return reply(await this.#desk.raiseHand(user, msg.sessionId, msg.raised));
      case 'monitor.start':
      case 'monitor.mode':
      case 'monitor.stop': {
        const supervision = this.#supervision;
        if (!supervision) return reply({ ok: false, code: 'unavailable', message: 'Call monitoring is not available on this server.' });
        if (msg.type === 'monitor.start') return reply(await supervision.start(user, msg.sessionId, msg.mode));
        if (msg.type === 'monitor.mode') return reply(await supervision.setMode(user, msg.sessionId, msg.mode));
        return reply(await supervision.stop(user, msg.sessionId));
      }
      case 'consult.start':
        return reply(await this.#desk.consultStart(user, msg.sessionId, msg.target, msg.note));
      case 'consult.accept':
        return reply(await this.#desk.consultAccept(user, msg.consultId));
      case 'consult.decline':
        return reply(await this.#desk.consultDecline(user, msg.consultId));
      case 'consult.complete':
        return reply(await this.#desk.consultComplete(user, msg.sessionId));
      case 'consult.cancel':
        return reply(await this.#desk.consultCancel(user, msg.sessionId));
      case 'consult.conference':
        return reply(await this.#desk.consultConference(user, msg.sessionId));
      case 'customer.search': {
        const found = await this.#desk.customerSearch(user, msg.sessionId, msg.query);
        if (found.ok && found.results) {
          this.#send(conn, { type: 'customer.results', ...(msg.requestId ? { requestId: msg.requestId } : {}), sessionId: msg.sessionId, seq: 0, results: found.results });
        }
        return reply(found);
      }
      case 'customer.link':
        return reply(await this.#desk.customerLink(user, msg.sessionId, msg.customerId));
      case 'caller.verify':
        return reply(await this.#desk.callerVerify(user, msg.sessionId, msg.answer));
      case 'transfer.options':
        if (!this.#desk.router.agent(user.id)) return reply({ ok: false, code: 'not_an_agent', message: 'Only agents and leads take and transfer calls.' });
        this.#send(conn, { type: 'transfer.options', ...(msg.requestId ? { requestId: msg.requestId } : {}), options: await this.#desk.transferOptions() });
        return reply({ ok: true });
    }
  }

  async #maySee(user: User, sessionId: string): Promise<boolean> {
    if (this.#desk.holds(user.id, sessionId)) return true;
    const session = await this.#store.getSession(sessionId);
    return session !== undefined && (await this.#policy.maySeeSession(user, session));
  }

  async #subscribe(conn: Connection, sessionId: string, afterSeq: number): Promise<void> {
    const existing = conn.subscriptions.get(sessionId);
    const sub: Subscription = existing ?? { lastSeq: afterSeq, replaying: true, buffered: [] };
    if (existing) {
      if (existing.replaying) return;
      existing.replaying = true;
      existing.lastSeq = Math.min(existing.lastSeq, afterSeq);
    }
    conn.subscriptions.set(sessionId, sub);
    const history = await this.#store.listEvents(sessionId, sub.lastSeq);
    for (const event of history) this.#deliver(conn, sub, event);
    // Live events that arrived while the history was read, in order, without repeats.
    while (sub.buffered.length > 0) {
      const next = sub.buffered.splice(0).sort((a, b) => a.seq - b.seq);
      for (const event of next) this.#deliver(conn, sub, event);
    }
    sub.replaying = false;
  }

  #fanOut(event: AnySessionEvent): void {
    for (const set of this.#connections.values()) {
      for (const conn of set) {
        const sub = conn.subscriptions.get(event.sessionId);
        if (!sub) continue;
        if (sub.replaying) sub.buffered.push(event);
        else this.#deliver(conn, sub, event);
      }
    }
  }

  #deliver(conn: Connection, sub: Subscription, event: AnySessionEvent): void {
    if (event.seq <= sub.lastSeq) return;
    sub.lastSeq = event.seq;
    this.#send(conn, { type: 'session.event', sessionId: event.sessionId, seq: event.seq, event: this.#policy.eventView(conn.user, event) });
  }

  #send(conn: Connection, message: AgentServerMessage): void {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(message));
  }
}
