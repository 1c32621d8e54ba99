// The agent desk: where escalated calls meet people. It feeds the router with calls the AI
// handed over, keeps each waiting caller on a hold line, persists every routing step in the
// session log, hands an accepted call to the agent with its brief, follows the agent's
// controls (mute, hold, transfer, keypad, hang up), suggests replies after each caller turn,
// records both legs, and closes the call with the agent's wrap-up written back to the CRM.
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { CallTranslation } from './call-translation';
import { sameLanguage } from '../translation/translator';
import { languageInfo } from '../languages/languages';
import type { AgentPresence, AgentServerMessage, HandoffBriefView, TranslationView, TransferTarget, FollowUp, TransferOptionsView, CustomerMatchView } from '../../../contracts/agent-channel';
import type { QueueSkill } from '../../../contracts/conversation';
import type { AnySessionEvent } from '../../../contracts/events';
import { buildHandoffBrief } from '../assist/handoff-brief';
import { suggestReplies } from '../assist/suggestions';
import { draftWrapUpSummary } from '../assist/wrap-up-summary';
import type { User } from '../auth/users';
import { createCallRecorder } from '../media/call-recorder';
import { guardRecorder, type GuardedRecorder } from '../media/recording-guard';
import { Router, type RoutingRestore } from '../routing/router';
import type { RoutingEvent } from '../routing/events';
import type { RoutingClock } from '../routing/clock';
import type { Services } from '../runtime/services';
import type { CallControl } from '../telephony/call-control';
import type { VoiceCall } from '../telephony/voice-call';
import { AgentKeypadRun } from './agent-keypad';
import { ConferenceMixer } from './conference-mixer';
import { HoldLine } from './hold-line';

export interface AgentDeskOptions {
  services: Services;
  /** The deployment's default language (LANGUAGES' first): an agent with none set works in it. */
  defaultLanguage?: string;
  offerTimeoutMs: number;
  holdAnnounceMs: number;
  callbackOfferAfterMs: number;
  dispositions: string[];
  recordingsDir?: string;
  clock?: RoutingClock;
  /** Every presence change (occupancy is computed from this history). */
  onPresence?: (agentId: string, presence: AgentPresence) => void | Promise<void>;
  /** With BUS=nats: the other backends (routing runs on the leader; a call's work where the call is). */
  peers?: DeskPeers;
}

/** What the router answers to, by name: commands a standby forwards to the routing leader. */
export const ROUTING_OPS = [
  'registerAgent', 'enqueue', 'removeCall', 'endCall', 'finishWrapUp', 'setPresence', 'accept', 'decline', 'transfer', 'positionOf', 'agent', 'call',
  'reserveConsult', 'consultAnswered', 'endConsult', 'handOver', 'staffing',
] as const;
export type RoutingOp = (typeof ROUTING_OPS)[number];
type RoutingCall<K extends RoutingOp> = (...args: Parameters<Router[K]>) => ReturnType<Router[K]>;

/** Agent actions on a call, run where the call is (its home backend). */
export const CALL_OPS = [
  'mute', 'hold', 'dtmf', 'setRecordingPaused', 'hangUp', 'transfer', 'suggestionFeedback', 'wrapUp',
  'consultStart', 'answerConsult', 'consultCancel', 'consultConference', 'consultComplete',
] as const;
export type CallOp = (typeof CALL_OPS)[number];

/** What one backend holds for routing: its calls in routing and the presences it last heard. */
export interface DeskState {
  calls: Array<RoutingRestore['calls'][number]>;
  presence: Array<{ agentId: string; presence: AgentPresence; at: number }>;
  /** Agents whose channel is open here: only they keep their presence under a new leader. */
  connected: string[];
}

/**
 * The desk's view of the other backends of a cluster (cluster/desk-peers.ts). Routing
 * commands go to the leader; work on a call goes to the backend that holds it; messages
 * for an agent go to whichever backend holds the agent's channel.
 */
export interface DeskPeers {
  readonly instanceId: string;
  /** Where agents join the audio of calls held on this backend. */
  readonly mediaUrl: string | undefined;
  leader(): boolean;
  routing(op: RoutingOp, args: unknown[]): Promise<unknown>;
  /** An agent's accept, decided by the routing leader, which hands the call on to its backend. */
  acceptAtLeader(agentId: string, offerId: string): Promise<DeskResult>;
  /** Runs a desk step on every other backend and collects their answers. */
  everyone(step: HomeStep | { kind: 'state' }): Promise<unknown[]>;
  /** The backend that holds a session (its media), undefined when none that is alive. */
  homeOf(sessionId: string): Promise<string | undefined>;
  /** Runs a desk step on that backend; undefined when that backend is gone (nobody serves it). */
  atHome(instanceId: string, step: HomeStep): Promise<unknown>;
  /** Tells every other backend (they deliver to agents connected there, and remember presences). */
  broadcast(message: AgentDelivery): void;
}

/** No backend routes right now (a failover in progress): what was asked was not done. */
export class NoRoutingLeader extends Error {
  constructor(what: string) {
    super(`Routing is changing hands between servers, so "${what}" was not done. Try again in a few seconds.`);
    this.name = 'NoRoutingLeader';
  }
}

export type HomeStep =
  | { kind: 'take'; agentId: string; offerId: string; sessionId: string }
  | { kind: 'move'; sessionId: string; to: 'offered' | 'queued' }
  | { kind: 'call'; op: CallOp; userId: string; sessionId: string; args: unknown[] }
  | { kind: 'restore'; userId: string; alreadyFollowing: string[] };

export type AgentDelivery =
  | { kind: 'notify'; agentId: string; message: AgentServerMessage }
  | { kind: 'subscribe'; agentId: string; sessionId: string; afterSeq: number };

export type DeskResult = { ok: true } | { ok: false; code: string; message: string };

type Notify = (agentId: string, message: AgentServerMessage) => void;
type Subscribe = (agentId: string, sessionId: string, afterSeq: number) => void;

/** One routed call: the live voice call and what the desk tracks about it. */
interface DeskCall {
  voice: VoiceCall;
  /** What the carrier lets us do to the call (hold audio, bridging, hang-up). */
  control: CallControl;
  queue: QueueSkill;
  hold: HoldLine | undefined;
  agentId: string | undefined;
  muted: boolean;
  held: boolean;
  /** Keypad tones and paused stretches are recorded as silence (media/recording-guard.ts). */
  recorder: GuardedRecorder | undefined;
  /** The agent's keys not yet logged: one agent.dtmf event per run (agent-keypad.ts). */
  keypad?: AgentKeypadRun;
  acceptedAt: number | undefined;
  wrapUpStartedAt: number | undefined;
  /** Each connected agent's media leg (the holder, and a consulted colleague), by agent id. */
  legs: Map<string, (pcm16k: Int16Array) => void>;
  /** A warm transfer in progress: a colleague consulted while the caller holds, or a three-way conference. */
  consult?: ConsultCall;
  /** In a conference: what the caller hears, and what each agent hears, mixed. */
  mixers?: { caller: ConferenceMixer; agents: Map<string, ConferenceMixer> };
  /** Translation for the agent holding the call (their language is not the caller's). */
  translation?: CallTranslation;
  /** What the agent's app is told about translation on this call. */
  translationView?: TranslationView;
  /** The carrier began moving the caller at the escalation itself (before routing). */
  movingEarly?: boolean;
  /** The accept that took this call: a repeated accept of the same offer answers with its result. */
  accepted?: { offerId: string; agentId: string; result: Promise<DeskResult> };
  /** Supervision's mixer while a lead monitors the call (supervision/call-mix.ts). */
  mix?: SupervisedAudio;
  /** The agent whose hand is up on this call (a transfer hands the call, not the hand, over). */
  handRaisedBy?: string;
}

/** What supervision does with a monitored call's audio: it then decides who hears what. */
export interface SupervisedAudio {
  callerFrame(pcm16k: Int16Array): void;
  agentFrame(pcm16k: Int16Array): void;
}

/** A live call as supervision sees it. */
export interface LiveDeskCall {
  sessionId: string;
  stage: 'ai' | 'queue' | 'agent';
  agentId: string | undefined;
  held: boolean;
  callerName: string | null;
  callerId: string;
  acceptedAt: number | undefined;
}

interface ConsultCall {
  id: string;
  fromAgentId: string;
  fromName: string;
  toAgentId: string;
  toName: string;
  note: string;
  phase: 'ringing' | 'talking' | 'conference';
  expiresAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The caller was already on hold when the consultation began: cancelling leaves them on hold. */
  heldBefore: boolean;
}

const ok: DeskResult = { ok: true };
const fail = (code: string, message: string): DeskResult => ({ ok: false, code, message });
const busyConsulting = (consult: ConsultCall): DeskResult =>
  fail('consult_in_progress', `You are consulting ${consult.toName}: complete the transfer, make it a conference, or cancel the consultation first.`);

export class AgentDesk {
  #router: Router;
  readonly #o: AgentDeskOptions;
  /** A new leader takes routing commands once it has rebuilt its state (rebuildRouting). */
  #rebuilt: Promise<void> = Promise.resolve();
  #rebuilding = false;
  /** The last presence each agent was told, from any backend (a new leader starts from these). */
  readonly #presence = new Map<string, { presence: AgentPresence; at: number }>();
  /** Queue positions of calls waiting here while routing runs elsewhere (hold lines read them synchronously). */
  readonly #positions = new Map<string, { position: number; estimatedWaitMs: number }>();
  readonly #calls = new Map<string, DeskCall>();
  /** Sessions in wrap-up, by agent (the agent keeps them until they submit). */
  readonly #wrapUps = new Map<string, string>();
  /** Agents with an outbound call ringing or in progress, and the presence to give back after. */
  readonly #outbound = new Map<string, { sessionId?: string; restore: 'available' | 'away' }>();
  #notify: Notify = () => undefined;
  #subscribe: Subscribe = () => undefined;
  #connected: () => string[] = () => [];
  /** Consultations ringing for agents connected here, by id → the call they are about (its home may be another backend). */
  readonly #consultRings = new Map<string, string>();
  #pending = new Set<Promise<unknown>>();

  constructor(options: AgentDeskOptions) {
    this.#o = options;
    this.#router = this.#newRouter();
  }

  /** This backend's router: the one that decides while this backend leads (or runs alone). */
  get router(): Router {
    return this.#router;
  }

  #newRouter(): Router {
    return new Router({
      offerTimeoutMs: this.#o.offerTimeoutMs,
      ...(this.#o.clock ? { clock: this.#o.clock } : {}),
      onEvent: (e) => this.#track(this.#inOrder('sessionId' in e ? e.sessionId : `agent:${e.agentId}`, () => this.#onRoutingEvent(e))),
    });
  }

  /** A routing command: here when this backend routes, else on the leader. */
  #route<K extends RoutingOp>(op: K, ...args: Parameters<Router[K]>): Promise<ReturnType<Router[K]>> {
    const peers = this.#o.peers;
    if (peers && !peers.leader()) return peers.routing(op, args) as Promise<ReturnType<Router[K]>>;
    // Synchronous when routing is ready: steps keep the order they were asked in.
    if (!this.#rebuilding) return Promise.resolve(this.runRouting(op, args) as ReturnType<Router[K]>);
    return this.#rebuilt.then(() => this.runRouting(op, args) as ReturnType<Router[K]>);
  }

  /** Runs a routing command on this backend's router (the leader serving a standby). */
  runRouting(op: RoutingOp, args: unknown[]): unknown {
    if (!ROUTING_OPS.includes(op)) throw new Error(`unknown routing command ${String(op)}`);
    return (this.#router[op] as RoutingCall<typeof op> as (...a: unknown[]) => unknown).apply(this.#router, args);
  }

  /** Waits for a rebuild in progress (the leader serving a standby's command). */
  async routingReady(): Promise<void> {
    await this.#rebuilt;
  }

  /** An agent's routing view, wherever routing runs. */
  agentView(agentId: string) {
    return this.#route('agent', agentId);
  }

  /** Messages for an agent reach the backend holding their channel; presences are remembered everywhere. */
  #deliverEverywhere(message: AgentDelivery): void {
    this.deliver(message);
    this.#o.peers?.broadcast(message);
  }

  /** A message for an agent from this or another backend: delivered if the agent is connected here. */
  deliver(message: AgentDelivery): void {
    if (message.kind === 'subscribe') return this.#subscribe(message.agentId, message.sessionId, message.afterSeq);
    if (message.message.type === 'presence') this.#presence.set(message.agentId, { presence: message.message.presence, at: Date.now() });
    if (message.message.type === 'offer' && this.#o.peers && this.#connected().includes(message.agentId)) {
      const { offerId, sessionId, consultFrom } = message.message.offer;
      // A colleague's consultation is answered by its id alone: remember which call it is about.
      if (consultFrom !== undefined) remember(this.#consultRings, offerId, sessionId);
      // While the offer rings, learn where its call is held, so an accept goes straight there.
      void this.#o.peers.homeOf(sessionId).catch(() => undefined);
    }
    this.#notify(message.agentId, message.message);
  }

  /** Where the agent's audio for a call held here connects (BUS=nats: this backend). */
  #media(): { mediaUrl?: string } {
    const url = this.#o.peers?.mediaUrl;
    return url ? { mediaUrl: url } : {};
  }

  /** A waiting caller's place in line: read here when this backend routes, else the last the leader said (refreshed on every read). */
  #positionOf(sessionId: string): { position: number; estimatedWaitMs: number } | undefined {
    const peers = this.#o.peers;
    if (!peers || peers.leader()) return this.#router.positionOf(sessionId);
    const known = this.#positions.get(sessionId);
    void this.#route('positionOf', sessionId).then(
      (p) => (p ? this.#positions.set(sessionId, p) : this.#positions.delete(sessionId)),
      () => undefined,
    );
    return known;
  }

  async #everyHome(step: HomeStep): Promise<void> {
    await this.#o.peers?.everyone(step).catch((err: unknown) => console.error('agent desk: could not reach the other backends:', err));
  }

  /**
   * An agent's action on a call held on another backend runs there (undefined: it is held
   * here, or its backend is gone, so it runs here and answers for itself).
   */
  async #elsewhere(op: CallOp, agent: User, sessionId: string, args: unknown[]): Promise<DeskResult | undefined> {
    const peers = this.#o.peers;
    if (!peers || this.#calls.has(sessionId) || this.#wrapUps.get(agent.id) === sessionId) return undefined;
    const home = await peers.homeOf(sessionId);
    if (!home || home === peers.instanceId) return undefined;
    return (await peers.atHome(home, { kind: 'call', op, userId: agent.id, sessionId, args })) as DeskResult | undefined;
  }

  /** Runs an agent's action on a call held here, sent by the backend holding the agent's channel. */
  runCallOp(op: CallOp, agent: User, sessionId: string, args: unknown[]): Promise<DeskResult> {
    if (!CALL_OPS.includes(op)) return Promise.resolve(fail('bad_request', `Unknown call action ${String(op)}.`));
    return (this[op] as (agent: User, sessionId: string, ...rest: unknown[]) => Promise<DeskResult>).call(this, agent, sessionId, ...args);
  }

  /** This backend's calls in routing (with what the log says of their queue entry and open offer) and the presences it heard. */
  async stateHere(): Promise<DeskState> {
    const { store } = this.#o.services;
    const calls: DeskState['calls'] = [];
    for (const [sessionId, desk] of this.#calls) {
      const escalation = desk.voice.conversation?.escalation;
      if (!escalation || desk.control.ended) continue;
      const events = await store.listEvents(sessionId);
      const enteredAt = events.findLastIndex((e) => e.type === 'queue.entered');
      if (enteredAt < 0) continue;
      const since = events.slice(enteredAt);
      const sent = since.findLast((e) => e.type === 'offer.sent');
      const answered =
        sent?.type === 'offer.sent' &&
        since.some((e) => (e.type === 'offer.declined' || e.type === 'offer.expired' || e.type === 'agent.accepted') && e.data.offerId === sent.data.offerId);
      calls.push({
        sessionId,
        queue: desk.queue,
        callerName: desk.voice.callerName ?? desk.voice.callerId,
        callerId: desk.voice.callerId,
        reason: escalation.reason,
        enqueuedAt: Date.parse(events[enteredAt]!.at),
        ...(desk.voice.conversation && desk.voice.conversation.language !== (this.#o.defaultLanguage ?? 'en-US') ? { language: desk.voice.conversation.language } : {}),
        ...(desk.agentId ? { agentId: desk.agentId } : {}),
        ...(sent?.type === 'offer.sent' && !answered && !desk.agentId
          ? { offer: { offerId: sent.data.offerId, agentId: sent.data.agentId, expiresAt: Date.parse(sent.data.expiresAt) } }
          : {}),
      });
    }
    const presence = [...this.#presence].map(([agentId, p]) => ({ agentId, ...p }));
    return { calls, presence, connected: this.#connected() };
  }

  /**
   * This backend now routes for the cluster: a fresh router with every agent, rebuilt from
   * what each live backend holds (calls, their queue entries and open offers from the log,
   * the presences last told). Routing commands wait until it is done.
   */
  beginLeading(): void {
    const peers = this.#o.peers;
    this.#rebuilding = true;
    this.#rebuilt = (async () => {
      await this.#freshRouter();
      const states = [await this.stateHere(), ...((await peers?.everyone({ kind: 'state' })) ?? [])] as DeskState[];
      const latest = new Map<string, { presence: AgentPresence; at: number }>();
      for (const state of states) {
        for (const p of state.presence ?? []) if ((latest.get(p.agentId)?.at ?? -1) < p.at) latest.set(p.agentId, p);
      }
      for (const [agentId, p] of latest) this.#presence.set(agentId, p);
      // An agent whose app is connected nowhere (it was on the dead backend) is offline until it reconnects: no offer rings a closed app.
      const connected = new Set(states.flatMap((state) => state.connected ?? []));
      this.#router.restore({
        presence: [...latest].filter(([agentId]) => connected.has(agentId)).map(([agentId, p]) => ({ agentId, presence: p.presence })),
        calls: states.flatMap((state) => state.calls ?? []),
      });
    })()
      .catch((err: unknown) => console.error('agent desk: rebuilding routing failed; routing starts empty:', err))
      .finally(() => (this.#rebuilding = false));
  }

  /** Another backend routes now: this one's router state is stale and is dropped. */
  endLeading(): void {
    this.#track(this.#freshRouter());
  }

  /** Drops the router's state and registers every active agent again. */
  async #freshRouter(): Promise<void> {
    this.#router.dispose();
    const router = (this.#router = this.#newRouter());
    for (const user of await this.#o.services.users.list()) {
      if ((user.role === 'agent' || user.role === 'lead') && user.active) router.registerAgent({ id: user.id, name: user.name, skills: user.skills, languages: this.#languagesOf(user) });
    }
  }

  #tell(agentId: string, message: AgentServerMessage): void {
    this.#deliverEverywhere({ kind: 'notify', agentId, message });
  }

  #follow(agentId: string, sessionId: string): void {
    this.#deliverEverywhere({ kind: 'subscribe', agentId, sessionId, afterSeq: 0 });
  }

  get dispositions(): string[] {
    return this.#o.dispositions;
  }

  /** The hub tells the desk how to reach agents' apps, and who is connected here. */
  connect(notify: Notify, subscribe: Subscribe, connected: () => string[] = () => []): void {
    this.#notify = notify;
    this.#subscribe = subscribe;
    this.#connected = connected;
  }

  /** Registers every active agent, and keeps the list current as admins change users. */
  async init(): Promise<void> {
    const { users } = this.#o.services;
    for (const user of await users.list()) this.#syncAgent(user);
    users.onChange((user) => this.#syncAgent(user));
  }

  #syncAgent(user: User): void {
    if (user.role !== 'agent' && user.role !== 'lead') return;
    if (!user.active) {
      // A deactivated agent can no longer act on a live call (their sockets are closed): the
      // caller goes back to the queue rather than wait on someone who cannot answer.
      const held = [...this.#calls.entries()].find(([, d]) => d.agentId === user.id);
      const offline = async () => {
        if (await this.#route('agent', user.id)) await this.#route('setPresence', user.id, 'offline');
      };
      // A consultation this agent is part of ends first, so nobody waits on them.
      const consulting = [...this.#calls.values()].filter((d) => d.consult && (d.consult.toAgentId === user.id || d.consult.fromAgentId === user.id));
      const endConsults = Promise.all(consulting.map((d) => this.#endConsult(d, d.consult!.toAgentId === user.id ? 'target_left' : 'cancelled', user.id)));
      if (held) this.#track(endConsults.then(() => this.transfer(user, held[0], { queue: held[1].queue }, `${user.name}'s account was deactivated`)).then(offline));
      else this.#track(endConsults.then(offline));
      return;
    }
    this.#router.registerAgent({ id: user.id, name: user.name, skills: user.skills, languages: this.#languagesOf(user) });
  }

  /** What an agent speaks: their languages, or the default language when they set none. */
  #languagesOf(user: User): string[] {
    return user.languages.length > 0 ? user.languages : [this.#o.defaultLanguage ?? 'en-US'];
  }

  /** Waits for persistence work started by timers (offer expiry) — for tests and shutdown. */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Per-session (or per-agent) tails of work, so each call's routing steps apply in the order routing took them. */
  readonly #chains = new Map<string, Promise<unknown>>();

  /**
   * Runs `work` after everything queued before it for the same key: without this an
   * `offer.revoked` could move the conversation back to `queued` before the `offer.sent`
   * before it had moved it to `offered`, leaving the call `offered` for ever.
   */
  #inOrder<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (this.#chains.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    this.#chains.set(key, tail);
    void tail.then(() => {
      if (this.#chains.get(key) === tail) this.#chains.delete(key);
    });
    return run;
  }

  #track(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => console.error('agent desk:', err));
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  // ---- calls ------------------------------------------------------------------------------

  /** A voice call started: listen for its escalation, record it, follow it to the end. */
  attachCall(voice: VoiceCall, control: CallControl): void {
    const sessionId = voice.sessionId;
    if (!sessionId) return;
    const desk: DeskCall = {
      voice,
      control,
      queue: 'general',
      hold: undefined,
      agentId: undefined,
      muted: false,
      held: false,
      recorder: this.#o.recordingsDir ? guardRecorder(createCallRecorder(join(resolve(this.#o.recordingsDir), `${sessionId}.wav`))) : undefined,
      acceptedAt: undefined,
      wrapUpStartedAt: undefined,
      legs: new Map(),
    };
    this.#calls.set(sessionId, desk);
    if (desk.recorder) voice.tapFarSide((pcm) => desk.recorder?.writeFarSide(pcm));
    voice.listen({
      // The carrier moves the caller the moment the escalation is stored (Twilio: the REST
      // update goes out while the session's state and the handover line are still being written).
      escalating: (_call, line) => {
        desk.movingEarly = true;
        this.#track(control.waitForPerson(line));
      },
      escalated: (_call, line) => this.#track(this.#enqueue(desk, line)),
      callerAudio: (pcm) => {
        desk.recorder?.writeCaller(pcm);
        if (desk.mixers) {
          if (!desk.held) for (const ear of desk.mixers.agents.values()) ear.push('caller', pcm);
        }
        // On hold the agent hears no caller, but a monitoring lead's whisper still reaches them.
        else if (desk.mix) desk.mix.callerFrame(desk.held ? new Int16Array(pcm.length) : pcm);
        else if (!desk.held && desk.agentId) desk.legs.get(desk.agentId)?.(pcm);
      },
      callerFinal: (text) => {
        if (voice.mode === 'queue') desk.hold?.said(text);
        else if (voice.mode === 'agent') this.#track(this.#suggest(desk, text));
      },
      callerPartial: (text) => {
        if (desk.agentId && voice.mode === 'agent') {
          this.#tell(desk.agentId, { type: 'transcript.partial', sessionId, seq: 0, speaker: 'caller', text });
        }
      },
      callerDigits: (digits) => {
        if (voice.mode === 'queue') desk.hold?.digits(digits);
      },
      ended: (_call, by) => this.#callEnded(desk, by),
    });
    if (voice.outboundAgentId) this.#track(this.#assignOutbound(desk, voice.outboundAgentId));
  }

  /** The person answered an agent's outbound call: it is theirs at once, with the CRM context. */
  async #assignOutbound(desk: DeskCall, agentId: string): Promise<void> {
    const sessionId = desk.voice.sessionId!;
    const { store, users } = this.#o.services;
    desk.agentId = agentId;
    desk.acceptedAt = Date.now();
    const outbound = this.#outbound.get(agentId);
    this.#outbound.set(agentId, { sessionId, restore: outbound?.restore ?? 'available' });
    await store.addSessionAgent(sessionId, agentId);
    const agent = await users.get(agentId);
    const events = await store.listEvents(sessionId);
    const brief = buildHandoffBrief(events, undefined, { knowledge: this.#o.services.knowledge });
    brief.wants = `Outbound call placed by ${agent?.name ?? 'you'} to ${desk.voice.callerId}.`;
    this.#tell(agentId, { type: 'call.assigned', sessionId, seq: events.at(-1)?.seq ?? 0, brief: brief as HandoffBriefView });
    this.#follow(agentId, sessionId);
  }

  /** An outbound call was not answered: the agent gets their presence back and is told why. */
  outboundUnanswered(agentId: string, phone: string, why: 'declined' | 'no_answer' | 'line_closed'): void {
    const outbound = this.#outbound.get(agentId);
    if (!outbound || outbound.sessionId) return;
    this.#outbound.delete(agentId);
    this.#track(this.#route('setPresence', agentId, outbound.restore));
    const words = { declined: 'declined the call', no_answer: 'did not answer', line_closed: 'is no longer reachable' }[why];
    this.#tell(agentId, { type: 'error', code: `outbound_${why}`, message: `${phone} ${words}. You can try again or schedule a callback.` });
  }

  call(sessionId: string): VoiceCall | undefined {
    return this.#calls.get(sessionId)?.voice;
  }

  /** True when this agent holds (or is wrapping up) the session, or was consulted about it and answered. */
  holds(agentId: string, sessionId: string): boolean {
    const desk = this.#calls.get(sessionId);
    if (desk?.consult && desk.consult.toAgentId === agentId && desk.consult.phase !== 'ringing') return true;
    return desk?.agentId === agentId || this.#wrapUps.get(agentId) === sessionId;
  }

  /** The agent on a live call, if any (carriers that transcribe the agent leg report partials to them). */
  agentOn(sessionId: string): string | undefined {
    return this.#calls.get(sessionId)?.agentId;
  }

  /** An agent's media leg joins (sink) or leaves (undefined) the call. */
  attachAgentAudio(sessionId: string, agentId: string, sink: ((pcm16k: Int16Array) => void) | undefined): void {
    const desk = this.#calls.get(sessionId);
    if (!desk) return;
    if (sink) desk.legs.set(agentId, sink);
    else desk.legs.delete(agentId);
  }

  /**
   * Audio from an agent's microphone: to the caller normally; to the other agent only while
   * they consult (the caller holds); to everyone else, mixed, in a conference.
   */
  agentSpoke(sessionId: string, agentId: string, pcm16k: Int16Array): void {
    const desk = this.#calls.get(sessionId);
    if (!desk || desk.voice.mode !== 'agent') return;
    const consult = desk.consult;
    if (consult?.phase === 'talking') {
      const other = agentId === consult.fromAgentId ? consult.toAgentId : agentId === consult.toAgentId ? consult.fromAgentId : undefined;
      if (other) desk.legs.get(other)?.(pcm16k);
      return;
    }
    if (consult?.phase === 'conference' && desk.mixers) {
      if (agentId === desk.agentId && desk.muted) return;
      desk.mixers.caller.push(agentId, pcm16k);
      for (const [listener, ear] of desk.mixers.agents) if (listener !== agentId) ear.push(agentId, pcm16k);
      return;
    }
    if (agentId !== desk.agentId || desk.muted) return;
    // With a lead monitoring, the agent can consult them while the caller holds (sendToCaller drops it then).
    if (desk.mix) desk.mix.agentFrame(pcm16k);
    else if (!desk.held) desk.control.relayAgentAudio(pcm16k);
  }

  /** Mute belongs to the agent holding the call. */
  isMuted(sessionId: string, agentId: string): boolean {
    const desk = this.#calls.get(sessionId);
    return desk?.agentId === agentId && desk.muted;
  }

  async #enqueue(desk: DeskCall, line: string): Promise<void> {
    const conversation = desk.voice.conversation;
    const escalation = conversation?.escalation;
    if (!conversation || !escalation) return;
    desk.queue = escalation.queue;
    const request = {
      sessionId: conversation.sessionId,
      queue: escalation.queue,
      callerName: desk.voice.callerName ?? desk.voice.callerId,
      callerId: desk.voice.callerId,
      reason: escalation.reason,
      enqueuedAt: Date.now(),
      ...(conversation.language !== (this.#o.defaultLanguage ?? 'en-US') ? { language: conversation.language } : {}),
    };
    // The caller is never left out of the queue: while no backend routes (a failover), they
    // hear the hold line and the request is repeated until routing takes it or they hang up.
    let holding = false;
    for (;;) {
      try {
        this.#positions.set(conversation.sessionId, await this.#route('enqueue', request));
        break;
      } catch (err) {
        if (!(err instanceof NoRoutingLeader) || desk.control.ended) throw err;
        if (!holding && desk.voice.mode === 'queue' && !desk.agentId) {
          holding = true;
          this.#startHoldLine(desk);
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    if (!holding && desk.voice.mode === 'queue' && !desk.agentId) this.#startHoldLine(desk);
    // The caller now waits for a person (Twilio: moved into the conference, the AI's line replayed there).
    if (!desk.agentId && !desk.movingEarly) await desk.control.waitForPerson(line);
  }

  #startHoldLine(desk: DeskCall, musicOnly = false): void {
    const sessionId = desk.voice.sessionId!;
    const { store } = this.#o.services;
    desk.hold?.stop();
    desk.hold = new HoldLine({
      call: desk.control,
      position: () => this.#positionOf(sessionId),
      announceEveryMs: this.#o.holdAnnounceMs,
      callbackOfferAfterMs: this.#o.callbackOfferAfterMs,
      musicOnly,
      onAnnounced: async (position, estimatedWaitMs) => {
        await store.appendEvent(sessionId, 'hold.announced', { position, estimatedWaitMs: Math.round(estimatedWaitMs) });
      },
      onCallbackOffered: async (afterMs) => {
        await store.appendEvent(sessionId, 'callback.offered', { afterMs: Math.round(afterMs) });
      },
      onCallbackRequested: (phone) => this.#scheduleCallback(desk, phone),
      log: { warn: (obj, msg) => console.warn(msg, obj) },
    });
    // Let the AI's last words (still being synthesized when routing starts) finish first.
    const hold = desk.hold;
    const begin = () => {
      if (desk.hold !== hold || desk.control.ended) return;
      if (desk.control.busy) setTimeout(begin, 100);
      else hold.start();
    };
    begin();
  }

  async #scheduleCallback(desk: DeskCall, phone: string): Promise<void> {
    const { crm, store } = this.#o.services;
    const conversation = desk.voice.conversation!;
    const sessionId = conversation.sessionId;
    const callback = await crm.scheduleCallback({
      customerId: conversation.verified ? (conversation.candidateCustomerId ?? null) : null,
      sessionId,
      phone,
      reason: 'requested while waiting in the queue',
    });
    await store.appendEvent(sessionId, 'callback.scheduled', { callbackId: callback.id, phone, customerId: callback.customerId });
    // The callback is booked: the caller is told and let go even if routing is changing hands.
    await this.#route('removeCall', sessionId, 'callback').catch((err: unknown) => console.error(`agent desk: routing did not hear of ${sessionId}'s callback:`, err));
    desk.hold?.stop();
    await desk.control.hangUp(
      'system',
      'callback scheduled',
      `Thank you. We'll call you back at the number ending in ${phone.slice(-4).split('').join(' ')}. Goodbye.`,
    );
  }

  async #callEnded(desk: DeskCall, by: string): Promise<void> {
    const sessionId = desk.voice.sessionId!;
    desk.hold?.stop();
    if (desk.consult) await this.#endConsult(desk, 'caller_left');
    desk.translation?.stop();
    if (desk.agentId) {
      const agentId = desk.agentId;
      desk.agentId = undefined;
      // A failover in progress must not keep the call's own cleanup (wrap-up, recording) from running.
      await this.#route('endCall', agentId).catch((err: unknown) => console.error(`agent desk: routing did not hear that ${sessionId} ended:`, err));
      desk.wrapUpStartedAt = Date.now();
      // The session is in wrap-up before the agent hears of it: a quick submit must find it there (not be undone after).
      const conversation = desk.voice.conversation;
      if (conversation?.state === 'agent') await conversation.transition('wrap-up');
      await this.#startWrapUp(agentId, sessionId, desk.wrapUpStartedAt);
    } else if (desk.voice.conversation?.escalation) {
      // Safe to repeat: routing answers false for a call it no longer has.
      await this.#route('removeCall', sessionId, 'caller_left').catch((err: unknown) => console.error(`agent desk: routing did not hear that ${sessionId} left:`, err));
    }
    this.#positions.delete(sessionId);
    await desk.keypad?.flush();
    const recording = await desk.recorder?.close().catch(() => undefined);
    if (recording) {
      await this.#o.services.store.appendEvent(sessionId, 'recording.saved', {
        path: recording.path,
        durationMs: Math.round(recording.durationMs),
        channels: { left: 'caller', right: 'ai_and_agent' },
      });
    }
    this.#calls.delete(sessionId);
    void by;
  }

  // ---- routing events → session log, conversation state and agents' apps ------------------

  async #onRoutingEvent(e: RoutingEvent): Promise<void> {
    const { store } = this.#o.services;
    switch (e.type) {
      case 'queue.entered': {
        const reason = e.transferred
          ? 'transfer'
          : (this.#calls.get(e.sessionId)?.voice.conversation?.escalation?.reason ?? this.#router.call(e.sessionId)?.reason ?? 'caller_request');
        await store.appendEvent(e.sessionId, 'queue.entered', { queue: e.queue, position: e.position, reason });
        return;
      }
      case 'offer.sent': {
        const agent = this.#router.agent(e.agentId);
        await store.appendEvent(e.sessionId, 'offer.sent', {
          offerId: e.offerId,
          agentId: e.agentId,
          agentName: agent?.name ?? e.agentId,
          expiresAt: new Date(e.expiresAt).toISOString(),
        });
        await this.#moveConversation(e.sessionId, 'offered');
        const call = this.#router.call(e.sessionId);
        const voice = this.#calls.get(e.sessionId)?.voice;
        this.#tell(e.agentId, {
          type: 'offer',
          offer: {
            offerId: e.offerId,
            sessionId: e.sessionId,
            callerName: voice ? (voice.callerName ?? null) : call && call.callerName !== call.callerId ? call.callerName : null,
            callerId: voice?.callerId ?? call?.callerId ?? '',
            queue: e.queue,
            reason: e.reason,
            enqueuedAt: new Date(call?.enqueuedAt ?? Date.now()).toISOString(),
            expiresAt: new Date(e.expiresAt).toISOString(),
            ...(e.transferNote ? { transferNote: e.transferNote } : {}),
            ...(call?.language ? { language: call.language } : {}),
            ...(call?.language && call.languageUnmatched
              ? { languageNotice: `The caller speaks ${languageInfo(call.language)?.name ?? call.language} and no agent speaks it: ${this.#o.services.translation.translator ? 'translation will help you' : 'translation is off'}.` }
              : {}),
          },
        });
        return;
      }
      case 'offer.declined':
        await store.appendEvent(e.sessionId, 'offer.declined', { offerId: e.offerId, agentId: e.agentId });
        await this.#moveConversation(e.sessionId, 'queued');
        return;
      case 'offer.expired':
        await store.appendEvent(e.sessionId, 'offer.expired', { offerId: e.offerId, agentId: e.agentId });
        this.#tell(e.agentId, { type: 'offer.revoked', offerId: e.offerId, reason: 'expired' });
        await this.#moveConversation(e.sessionId, 'queued');
        return;
      case 'offer.revoked':
        this.#tell(e.agentId, { type: 'offer.revoked', offerId: e.offerId, reason: e.reason === 'call_gone' ? 'caller_left' : 'presence' });
        await this.#moveConversation(e.sessionId, 'queued');
        return;
      case 'call.transferred':
        await store.appendEvent(e.sessionId, 'call.transferred', { fromAgentId: e.fromAgentId, to: e.to, note: e.note });
        return;
      case 'presence.changed':
        this.#tell(e.agentId, { type: 'presence', presence: e.presence });
        await this.#o.onPresence?.(e.agentId, e.presence);
        return;
      case 'agent.accepted':
      case 'queue.left':
      case 'call.released':
        return;
    }
  }

  async #moveConversation(sessionId: string, to: 'offered' | 'queued'): Promise<void> {
    const peers = this.#o.peers;
    if (peers && !this.#calls.has(sessionId)) {
      // The call lives on another backend: its conversation moves there.
      const home = await peers.homeOf(sessionId);
      if (home && home !== peers.instanceId) await peers.atHome(home, { kind: 'move', sessionId, to }).catch((err: unknown) => console.error(`agent desk: could not move ${sessionId} to ${to}:`, err));
      return;
    }
    await this.moveHere(sessionId, to);
  }

  /** The conversation of a call held here moves (routing ran elsewhere). */
  async moveHere(sessionId: string, to: 'offered' | 'queued'): Promise<void> {
    const conversation = this.#calls.get(sessionId)?.voice.conversation;
    if (!conversation) return;
    if (to === 'offered' && conversation.state === 'queued') await conversation.transition('offered');
    if (to === 'queued' && conversation.state === 'offered') await conversation.transition('queued');
  }

  // ---- what agents do ---------------------------------------------------------------------

  async setPresence(agent: User, presence: 'available' | 'away' | 'offline'): Promise<DeskResult> {
    if (agent.role !== 'agent' && agent.role !== 'lead') return fail('not_an_agent', 'Only agents and leads can take calls.');
    if (!agent.active) return fail('not_an_agent', 'This account is deactivated; ask an admin.');
    // Stepping away while a colleague's consultation rings declines it (the caller goes back to them).
    const ringing = [...this.#calls.values()].find((d) => d.consult?.toAgentId === agent.id && d.consult.phase === 'ringing');
    if (ringing && presence !== 'available') this.#track(this.#endConsult(ringing, 'declined', agent.id));
    // Registered on the routing backend too: it may not have heard of a user added elsewhere.
    if (!(await this.#route('agent', agent.id))) await this.#route('registerAgent', { id: agent.id, name: agent.name, skills: agent.skills, languages: this.#languagesOf(agent) });
    const result = await this.#route('setPresence', agent.id, presence);
    return result.ok ? ok : fail(result.reason, result.message);
  }

  async accept(agent: User, offerId: string): Promise<DeskResult> {
    const peers = this.#o.peers;
    if (peers && !peers.leader()) return peers.acceptAtLeader(agent.id, offerId);
    const result = await this.#route('accept', offerId, agent.id);
    if (!result.ok) return fail(`offer_${result.reason}`, result.message);
    if (peers && !this.#calls.has(result.sessionId)) {
      // The caller is on another backend: the call is taken there (voice, claim, brief).
      const home = await peers.homeOf(result.sessionId);
      const taken = home && home !== peers.instanceId ? await peers.atHome(home, { kind: 'take', agentId: agent.id, offerId, sessionId: result.sessionId }) : undefined;
      // Undefined: the caller's backend is gone, so the take below finds no call and frees the agent.
      if (taken !== undefined) return taken as DeskResult;
    }
    return this.takeHere(agent, offerId, result.sessionId);
  }

  /** The accepted call, held on this backend, becomes the agent's (the accept may have come through another backend). */
  async takeHere(agent: User, offerId: string, sessionId: string): Promise<DeskResult> {
    const desk = this.#calls.get(sessionId);
    // A double click or a retried request: the same answer, and the call is taken once.
    const earlier = desk?.accepted;
    if (earlier && earlier.offerId === offerId && earlier.agentId === agent.id) return earlier.result;
    const taking = this.#inOrder(sessionId, () => this.#take(agent, offerId, sessionId));
    if (desk) desk.accepted = { offerId, agentId: agent.id, result: taking };
    return taking;
  }

  /** The accepted call becomes the agent's: the voice leg, the log, the state and the brief. */
  async #take(agent: User, offerId: string, sessionId: string): Promise<DeskResult> {
    const desk = this.#calls.get(sessionId);
    const { store, crm } = this.#o.services;
    if (!desk || desk.control.ended) {
      await this.#route('endCall', agent.id);
      await this.#route('finishWrapUp', agent.id);
      return fail('call_gone', 'The caller has already hung up.');
    }
    // Atomic across backends: no other router (say, a deposed leader) hands this entry to a
    // second agent. The claim, the accept and the state changes are one write.
    const conversation = desk.voice.conversation!;
    const steps = conversation.stepsToAgent();
    // What the brief needs is read while the take is written: one trip to the store fewer.
    const customerId = conversation.candidateCustomerId;
    const reads = Promise.all([
      store.listEvents(sessionId),
      conversation.verified && customerId ? crm.getCustomer(customerId) : Promise.resolve(undefined),
    ]);
    // When the take fails nobody awaits the reads: their own failure must not go unhandled.
    reads.catch(() => undefined);
    const taken = await store.takeCall({
      sessionId,
      agentId: agent.id,
      events: [
        { type: 'agent.accepted', data: { offerId, agentId: agent.id, agentName: agent.name } },
        ...steps.map((step) => ({ type: 'state.changed' as const, data: step })),
      ],
      state: 'agent',
    });
    if (!taken) {
      await this.#route('endCall', agent.id);
      await this.#route('finishWrapUp', agent.id);
      return fail('offer_taken', 'Another agent already took this call.');
    }
    conversation.handedToAgent(steps);
    desk.hold?.stop();
    desk.hold = undefined;
    desk.agentId = agent.id;
    desk.acceptedAt = Date.now();
    desk.voice.setMode('agent');
    await desk.control.bridgeAgent(agent.id);
    const [read, customer] = await reads.catch(async () => [[], await (conversation.verified && customerId ? crm.getCustomer(customerId) : undefined)] as const);
    const events = await this.#logWithTake(sessionId, read, taken);
    const brief = buildHandoffBrief(events, customer, { knowledge: this.#o.services.knowledge });
    const seq = events.at(-1)?.seq ?? 0;
    this.#startTranslation(desk, agent, conversation.language, events);
    const translation = desk.translationView;
    this.#tell(agent.id, { type: 'call.assigned', sessionId, seq, brief: brief as HandoffBriefView, ...(translation ? { translation } : {}), ...this.#media() });
    // The local brief goes at once; the model's reading of what the caller wants (and the
    // brief in the agent's language) follows.
    void this.#refineBrief(desk, agent.id, sessionId, seq, events, brief);
    // The agent's app receives the whole call so far, then every new event live.
    this.#follow(agent.id, sessionId);
    return ok;
  }

  /**
   * The call's log for the brief: what was read while the take was written, joined with the
   * take's own events; read again when something else was logged between the two.
   */
  async #logWithTake(sessionId: string, read: readonly AnySessionEvent[], taken: readonly AnySessionEvent[]): Promise<AnySessionEvent[]> {
    const bySeq = new Map<number, AnySessionEvent>();
    for (const event of [...read, ...taken]) bySeq.set(event.seq, event);
    const events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    return events.every((e, i) => e.seq === i + 1) ? events : this.#o.services.store.listEvents(sessionId);
  }

  async decline(agent: User, offerId: string): Promise<DeskResult> {
    const result = await this.#route('decline', offerId, agent.id);
    return result.ok ? ok : fail(`offer_${result.reason}`, result.message);
  }

  #ownCall(agent: User, sessionId: string): DeskCall | DeskResult {
    const desk = this.#calls.get(sessionId);
    if (!desk || desk.agentId !== agent.id) {
      return fail('not_your_call', 'You are not on this call. Only the agent holding a call can control it.');
    }
    return desk;
  }

  async mute(agent: User, sessionId: string, muted: boolean): Promise<DeskResult> {
    const away = await this.#elsewhere('mute', agent, sessionId, [muted]);
    if (away) return away;
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    desk.muted = muted;
    await desk.control.mute(muted);
    const event = await this.#o.services.store.appendEvent(sessionId, 'call.muted', { agentId: agent.id, muted });
    this.#tell(agent.id, { type: 'call.state', sessionId, seq: event.seq, muted: desk.muted, held: desk.held, recordingPaused: desk.recorder?.paused ?? false });
    return ok;
  }

  /**
   * "Speak my replies in the caller's language": the agent's voice no longer reaches the caller;
   * their recognized words are translated and synthesized to the caller instead (marked in the
   * transcript as agent.spoken_translated). Needs translation on this call.
   */
  async speakTranslated(agent: User, sessionId: string, on: boolean): Promise<DeskResult> {
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    if (!desk.translation || !desk.translationView) {
      return fail('no_translation', desk.translationView?.why ?? 'The caller speaks your language on this call: there is nothing to translate.');
    }
    desk.translation.speakReplies = on;
    desk.translationView = { ...desk.translationView, speakReplies: on };
    const events = await this.#o.services.store.listEvents(sessionId);
    this.#tell(agent.id, { type: 'call.state', sessionId, seq: events.at(-1)?.seq ?? 0, muted: desk.muted, held: desk.held, recordingPaused: desk.recorder?.paused ?? false, speakTranslated: on });
    return ok;
  }

  /** The agent's own voice is replaced by translated speech (speakTranslated): not bridged to the caller. */
  speaksTranslated(sessionId: string): boolean {
    return this.#calls.get(sessionId)?.translation?.speakReplies === true;
  }

  async hold(agent: User, sessionId: string, held: boolean): Promise<DeskResult> {
    const away = await this.#elsewhere('hold', agent, sessionId, [held]);
    if (away) return away;
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    if (desk.consult) return busyConsulting(desk.consult);
    await this.#setHeld(desk, agent.id, held);
    return ok;
  }

  /** Puts the caller on hold (soft music) or back; a session event, then the holder's app. */
  async #setHeld(desk: DeskCall, agentId: string, held: boolean): Promise<void> {
    const sessionId = desk.voice.sessionId!;
    const agent = { id: agentId };
    desk.held = held;
    await desk.control.hold(held);
    if (held) this.#startHoldLine(desk, true);
    else {
      desk.hold?.stop();
      desk.hold = undefined;
    }
    const event = await this.#o.services.store.appendEvent(sessionId, 'call.held', { agentId: agent.id, held });
    this.#tell(agent.id, { type: 'call.state', sessionId, seq: event.seq, muted: desk.muted, held: desk.held, recordingPaused: desk.recorder?.paused ?? false });
  }

  async dtmf(agent: User, sessionId: string, digits: string): Promise<DeskResult> {
    const away = await this.#elsewhere('dtmf', agent, sessionId, [digits]);
    if (away) return away;
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    await desk.control.sendDigits(digits);
    if (desk.keypad?.agentId !== agent.id) {
      // Replaced synchronously: keys arriving together must land in the same run.
      const previous = desk.keypad;
      const { store } = this.#o.services;
      desk.keypad = new AgentKeypadRun({
        agentId: agent.id,
        write: async (run) => {
          await store.appendEvent(sessionId, 'agent.dtmf', { agentId: agent.id, digits: run });
        },
        onError: (err) => console.error('agent desk: could not log keyed digits:', err),
      });
      if (previous) this.#track(previous.flush());
    }
    desk.keypad.press(digits);
    return ok;
  }

  /** The agent pauses or resumes the recording; both are session events with the position in the file. */
  async setRecordingPaused(agent: User, sessionId: string, paused: boolean): Promise<DeskResult> {
    const away = await this.#elsewhere('setRecordingPaused', agent, sessionId, [paused]);
    if (away) return away;
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    const recorder = desk.recorder;
    if (!recorder) return fail('not_recording', 'This call is not being recorded (no recordings directory is configured), so there is nothing to pause.');
    if (recorder.paused !== paused) {
      if (paused) recorder.pause();
      else recorder.resume();
      await desk.control.pauseRecording(paused);
      const { store } = this.#o.services;
      const data = { agentId: agent.id, atMs: recorder.positionMs };
      const event = paused ? await store.appendEvent(sessionId, 'recording.paused', data) : await store.appendEvent(sessionId, 'recording.resumed', data);
      this.#tell(agent.id, { type: 'call.state', sessionId, seq: event.seq, muted: desk.muted, held: desk.held, recordingPaused: paused });
    }
    return ok;
  }

  async hangUp(agent: User, sessionId: string): Promise<DeskResult> {
    const away = await this.#elsewhere('hangUp', agent, sessionId, []);
    if (away) return away;
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    // Leaving a conference hands the caller to the colleague rather than cutting everyone off.
    if (desk.consult?.phase === 'conference') return this.consultComplete(agent, sessionId);
    if (desk.consult) return busyConsulting(desk.consult);
    await desk.control.hangUp('agent', 'agent hung up');
    return ok;
  }

  async transfer(agent: User, sessionId: string, target: TransferTarget, note: string): Promise<DeskResult> {
    const away = await this.#elsewhere('transfer', agent, sessionId, [target, note]);
    if (away) return away;
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    if (desk.consult) return busyConsulting(desk.consult);
    const result = await this.#route('transfer', sessionId, agent.id, target, note);
    if (!result.ok) return fail(result.reason, result.message);
    // A pause belongs to the agent who made it; nobody could resume it while the caller waits.
    if (desk.recorder?.paused) await this.setRecordingPaused(agent, sessionId, false);
    desk.agentId = undefined;
    desk.held = false;
    // The next agent may work in another language: translation starts again with them.
    desk.translation?.stop();
    desk.translation = undefined;
    desk.translationView = undefined;
    desk.voice.setMode('queue');
    await desk.control.transfer();
    const conversation = desk.voice.conversation!;
    if (conversation.state === 'agent') await conversation.transition('queued');
    // The transferring agent wraps up their part; the caller waits for the next person.
    await this.#route('finishWrapUp', agent.id);
    this.#startHoldLine(desk);
    return ok;
  }

  /**
   * The carrier lost the agent's leg while the caller is still on the line (the agent's app
   * closed, their network dropped): the caller is never left alone with nobody — they go
   * back to the front of their queue with hold audio, position and the callback offer, and
   * the agent goes to wrap-up for their part of the call.
   */
  agentLegLost(sessionId: string, why: string): Promise<void> {
    return this.#inOrder(sessionId, async () => {
      const desk = this.#calls.get(sessionId);
      const agentId = desk?.agentId;
      if (!desk || !agentId || desk.control.ended) return;
      const { store } = this.#o.services;
      const result = await this.#route('transfer', sessionId, agentId, { queue: desk.queue }, `The agent's line dropped (${why}).`);
      if (!result.ok) return;
      await store.appendEvent(sessionId, 'media.error', { stage: 'carrier', message: `the agent's leg ended on its own (${why}); the caller went back to the queue` });
      // A pause belongs to the agent who made it; nobody could resume it while the caller waits.
      if (desk.recorder?.paused) {
        desk.recorder.resume();
        await desk.control.pauseRecording(false);
        await store.appendEvent(sessionId, 'recording.resumed', { agentId, atMs: desk.recorder.positionMs });
      }
      desk.agentId = undefined;
      desk.held = false;
      desk.muted = false;
      // The next agent may work in another language: translation starts again with them.
      desk.translation?.stop();
      desk.translation = undefined;
      desk.translationView = undefined;
      desk.voice.setMode('queue');
      await desk.control.transfer();
      const conversation = desk.voice.conversation;
      if (conversation?.state === 'agent') await conversation.transition('queued');
      this.#startHoldLine(desk);
      this.#tell(agentId, {
        type: 'error',
        code: 'call_audio_lost',
        message: 'Your call audio dropped, so the caller went back to the queue for the next agent. Check your headset and network, then submit the wrap-up for your part.',
      });
      await this.#startWrapUp(agentId, sessionId, Date.now());
    });
  }

  /** The agent keeps the session until they submit its wrap-up; their app gets the draft. */
  async #startWrapUp(agentId: string, sessionId: string, startedAt: number): Promise<void> {
    const { store } = this.#o.services;
    this.#wrapUps.set(agentId, sessionId);
    await store.appendEvent(sessionId, 'wrapup.started', { agentId });
    const events = await store.listEvents(sessionId);
    this.#tell(agentId, {
      type: 'call.state',
      sessionId,
      seq: events.at(-1)?.seq ?? 0,
      muted: false,
      held: false,
      wrapUpStartedAt: new Date(startedAt).toISOString(),
      wrapUpDraft: await this.#wrapUpDraft(events),
    });
  }

  // ---- warm transfer: consult, complete, cancel, conference --------------------------------

  /** Asks a colleague (or whoever is free in a queue) to talk about the call; the caller holds meanwhile. */
  async consultStart(agent: User, sessionId: string, target: TransferTarget, note: string): Promise<DeskResult> {
    const away = await this.#elsewhere('consultStart', agent, sessionId, [target, note]);
    if (away) return away;
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    if (desk.consult) return busyConsulting(desk.consult);
    if (desk.control.carrier !== 'local') {
      return fail('consult_unavailable', 'Consulting before a transfer works on the local carrier only for now; use Transfer to hand the call on.');
    }
    // The colleague is reserved where routing runs (in a cluster, the leader), so no offer rings them meanwhile.
    const reserved = await this.#route('reserveConsult', sessionId, agent.id, target);
    if (!reserved.ok) return fail(reserved.reason, reserved.message);
    const consult: ConsultCall = {
      id: randomUUID(),
      fromAgentId: agent.id,
      fromName: agent.name,
      toAgentId: reserved.agentId,
      toName: reserved.name,
      note,
      phase: 'ringing',
      expiresAt: Date.now() + this.#o.offerTimeoutMs,
      timer: undefined,
      heldBefore: desk.held,
    };
    desk.consult = consult;
    const { store } = this.#o.services;
    const requested = await store.appendEvent(sessionId, 'consult.requested', {
      consultId: consult.id,
      fromAgentId: agent.id,
      toAgentId: consult.toAgentId,
      toAgentName: consult.toName,
      ...('queue' in target ? { viaQueue: target.queue } : {}),
      note,
    });
    if (!desk.held) await this.#setHeld(desk, agent.id, true);
    this.#tell(agent.id, { type: 'consult.state', sessionId, seq: requested.seq, consult: this.#consultView(consult, 'from') });
    await this.#ringConsult(desk, consult);
    // Unanswered, the caller is back with the agent who asked: never left on hold for nobody.
    consult.timer = setTimeout(() => {
      if (desk.consult === consult && consult.phase === 'ringing') this.#track(this.#endConsult(desk, 'no_answer'));
    }, this.#o.offerTimeoutMs);
    return ok;
  }

  /** The consulted colleague's ring: an offer card saying who asks, about which caller. */
  async #ringConsult(desk: DeskCall, consult: ConsultCall): Promise<void> {
    const sessionId = desk.voice.sessionId!;
    const call = await this.#route('call', sessionId);
    this.#tell(consult.toAgentId, {
      type: 'offer',
      offer: {
        offerId: consult.id,
        sessionId,
        callerName: desk.voice.callerName ?? null,
        callerId: desk.voice.callerId,
        queue: call?.queue ?? desk.queue,
        reason: call?.reason ?? 'caller_request',
        enqueuedAt: new Date(call?.enqueuedAt ?? Date.now()).toISOString(),
        expiresAt: new Date(consult.expiresAt).toISOString(),
        consultFrom: consult.fromName,
        ...(consult.note ? { transferNote: consult.note } : {}),
      },
    });
  }

  #consultView(consult: ConsultCall, role: 'from' | 'to') {
    return {
      consultId: consult.id,
      role,
      phase: consult.phase,
      otherAgentName: role === 'from' ? consult.toName : consult.fromName,
      ...(consult.phase === 'ringing' ? { expiresAt: new Date(consult.expiresAt).toISOString() } : {}),
    };
  }

  /** The brief as the call stands now; the same rule for everyone: customer details only once verified. */
  async #briefFor(desk: DeskCall, events: Awaited<ReturnType<Services['store']['listEvents']>>): Promise<HandoffBriefView> {
    const conversation = desk.voice.conversation;
    const customerId = conversation?.candidateCustomerId;
    const customer = conversation?.verified && customerId ? await this.#o.services.crm.getCustomer(customerId) : undefined;
    return buildHandoffBrief(events, customer, { knowledge: this.#o.services.knowledge }) as HandoffBriefView;
  }

  #consultFor(consultId: string, agentId: string): DeskCall | undefined {
    return [...this.#calls.values()].find((d) => d.consult?.id === consultId && d.consult.toAgentId === agentId);
  }

  /** The colleague picks up: they hear the first agent (not the caller, who holds) and get the brief. */
  consultAccept(agent: User, consultId: string): Promise<DeskResult> {
    return this.#answerAt(agent, consultId, true);
  }

  consultDecline(agent: User, consultId: string): Promise<DeskResult> {
    return this.#answerAt(agent, consultId, false);
  }

  /** A consultation's answer runs where its call is held (the ring told this backend which call). */
  async #answerAt(agent: User, consultId: string, accept: boolean): Promise<DeskResult> {
    const sessionId = this.#consultFor(consultId, agent.id)?.voice.sessionId ?? this.#consultRings.get(consultId);
    if (!sessionId) return fail('consult_gone', 'This consultation was cancelled or has ended; nothing to answer.');
    return this.answerConsult(agent, sessionId, consultId, accept);
  }

  /** The colleague's answer to a consultation on a call held here (it may have come through another backend). */
  async answerConsult(agent: User, sessionId: string, consultId: string, accept: boolean): Promise<DeskResult> {
    const away = await this.#elsewhere('answerConsult', agent, sessionId, [consultId, accept]);
    if (away) return away;
    const desk = this.#consultFor(consultId, agent.id);
    const consult = desk?.consult;
    if (!desk || !consult) return fail('consult_gone', 'This consultation was cancelled or has ended; nothing to answer.');
    if (!accept) {
      if (consult.phase !== 'ringing') return fail('consult_answered', 'You already joined this consultation; use Leave to end it.');
      await this.#endConsult(desk, 'declined', agent.id);
      return ok;
    }
    if (consult.phase !== 'ringing') return ok;
    clearTimeout(consult.timer);
    consult.phase = 'talking';
    await this.#route('consultAnswered', agent.id);
    const { store } = this.#o.services;
    await store.appendEvent(sessionId, 'consult.accepted', { consultId, agentId: agent.id });
    await store.addSessionAgent(sessionId, agent.id);
    const events = await store.listEvents(sessionId);
    const seq = events.at(-1)?.seq ?? 0;
    const brief = await this.#briefFor(desk, events);
    this.#tell(consult.fromAgentId, { type: 'consult.state', sessionId, seq, consult: this.#consultView(consult, 'from') });
    // The colleague's audio joins where the call is held.
    this.#tell(agent.id, { type: 'call.assigned', sessionId, seq, brief, ...this.#media() });
    this.#tell(agent.id, { type: 'consult.state', sessionId, seq, consult: this.#consultView(consult, 'to') });
    this.#follow(agent.id, sessionId);
    return ok;
  }

  /** Either agent ends the consultation (or conference): the caller is back with the first agent. */
  async consultCancel(agent: User, sessionId: string): Promise<DeskResult> {
    const away = await this.#elsewhere('consultCancel', agent, sessionId, []);
    if (away) return away;
    const desk = this.#calls.get(sessionId);
    const consult = desk?.consult;
    if (!desk || !consult || (consult.fromAgentId !== agent.id && consult.toAgentId !== agent.id)) {
      return fail('no_consult', 'There is no consultation on this call for you to end.');
    }
    await this.#endConsult(desk, consult.fromAgentId === agent.id ? 'cancelled' : 'target_left', agent.id);
    return ok;
  }

  /** All three hear each other: the caller comes off hold into the conference. */
  async consultConference(agent: User, sessionId: string): Promise<DeskResult> {
    const away = await this.#elsewhere('consultConference', agent, sessionId, []);
    if (away) return away;
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    const consult = desk.consult;
    if (!consult) return fail('no_consult', 'Consult a colleague first, then join the caller to make it a conference.');
    if (consult.phase === 'ringing') return fail('consult_not_answered', `${consult.toName} has not answered yet; wait, or cancel the consultation.`);
    if (consult.phase === 'conference') return ok;
    consult.phase = 'conference';
    const a = consult.fromAgentId;
    const b = consult.toAgentId;
    desk.mixers = {
      caller: new ConferenceMixer({ sources: [a, b], emit: (pcm) => desk.control.relayAgentAudio(pcm) }),
      agents: new Map([
        [a, new ConferenceMixer({ sources: ['caller', b], emit: (pcm) => desk.legs.get(a)?.(pcm) })],
        [b, new ConferenceMixer({ sources: ['caller', a], emit: (pcm) => desk.legs.get(b)?.(pcm) })],
      ]),
    };
    const { store } = this.#o.services;
    const started = await store.appendEvent(sessionId, 'conference.started', { consultId: consult.id, agentIds: [a, b] });
    if (desk.held) await this.#setHeld(desk, a, false);
    this.#tell(a, { type: 'consult.state', sessionId, seq: started.seq, consult: this.#consultView(consult, 'from') });
    this.#tell(b, { type: 'consult.state', sessionId, seq: started.seq, consult: this.#consultView(consult, 'to') });
    return ok;
  }

  /** The caller goes to the consulted colleague; the first agent goes to wrap-up for their part. */
  async consultComplete(agent: User, sessionId: string): Promise<DeskResult> {
    const away = await this.#elsewhere('consultComplete', agent, sessionId, []);
    if (away) return away;
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    const consult = desk.consult;
    if (!consult) return fail('no_consult', 'There is no consultation to complete; use Transfer to hand the call on.');
    if (consult.phase === 'ringing') return fail('consult_not_answered', `${consult.toName} has not answered yet; wait, or cancel the consultation.`);
    const { store, users } = this.#o.services;
    // The first agent's hold and recording pause end with their part of the call.
    if (desk.held) await this.#setHeld(desk, agent.id, false);
    if (desk.recorder?.paused) await this.setRecordingPaused(agent, sessionId, false);
    const handed = await this.#route('handOver', sessionId, agent.id, consult.toAgentId, consult.note);
    if (!handed.ok) return fail('consult_gone', handed.message);
    desk.consult = undefined;
    desk.mixers = undefined;
    // After the router's call.transferred (queued on the same chain), so the log reads in order.
    return this.#inOrder(sessionId, async () => {
      const to = await users.get(consult.toAgentId);
      await store.appendEvent(sessionId, 'consult.completed', { consultId: consult.id, fromAgentId: agent.id, toAgentId: consult.toAgentId });
      const accepted = await store.appendEvent(sessionId, 'agent.accepted', { offerId: consult.id, agentId: consult.toAgentId, agentName: to?.name ?? consult.toName });
      desk.agentId = consult.toAgentId;
      desk.acceptedAt = Date.now();
      desk.muted = false;
      this.#tell(consult.toAgentId, { type: 'consult.state', sessionId, seq: accepted.seq, consult: null, outcome: 'completed', notice: `You have the caller now; ${agent.name} has left the call.` });
      this.#tell(consult.toAgentId, { type: 'call.state', sessionId, seq: accepted.seq, muted: false, held: false, recordingPaused: desk.recorder?.paused ?? false });
      this.#wrapUps.set(agent.id, sessionId);
      const started = await store.appendEvent(sessionId, 'wrapup.started', { agentId: agent.id });
      this.#tell(agent.id, { type: 'consult.state', sessionId, seq: started.seq, consult: null, outcome: 'completed', notice: `${consult.toName} has the caller now. Wrap up your part of the call.` });
      this.#tell(agent.id, {
        type: 'call.state',
        sessionId,
        seq: started.seq,
        muted: false,
        held: false,
        wrapUpStartedAt: started.at,
        wrapUpDraft: await this.#wrapUpDraft(await store.listEvents(sessionId)),
      });
      return ok;
    });
  }

  /** Ends a consultation without a handover; the caller is back with the first agent (never left holding for nobody). */
  async #endConsult(desk: DeskCall, outcome: 'declined' | 'no_answer' | 'cancelled' | 'target_left' | 'caller_left', by?: string): Promise<void> {
    const consult = desk.consult;
    if (!consult) return;
    clearTimeout(consult.timer);
    desk.consult = undefined;
    desk.mixers = undefined;
    await this.#route('endConsult', consult.toAgentId).catch((err: unknown) => console.error('agent desk: routing did not hear that a consultation ended:', err));
    const sessionId = desk.voice.sessionId!;
    const { store } = this.#o.services;
    const ended = await store.appendEvent(sessionId, 'consult.ended', { consultId: consult.id, outcome, ...(by ? { by } : {}) });
    const callerThere = outcome !== 'caller_left' && !desk.control.ended;
    if (callerThere && desk.held && !consult.heldBefore && desk.agentId === consult.fromAgentId) await this.#setHeld(desk, consult.fromAgentId, false);
    const toFirst = {
      declined: `${consult.toName} declined the consultation. You are back with the caller.`,
      no_answer: `${consult.toName} did not answer. You are back with the caller.`,
      cancelled: 'Consultation ended. You are back with the caller.',
      target_left: `${consult.toName} left the consultation. You are back with the caller.`,
      caller_left: 'The caller hung up during the consultation.',
    }[outcome];
    this.#tell(consult.fromAgentId, { type: 'consult.state', sessionId, seq: ended.seq, consult: null, outcome, notice: toFirst });
    if (consult.phase === 'ringing') {
      this.#tell(consult.toAgentId, { type: 'offer.revoked', offerId: consult.id, reason: 'cancelled' });
    } else {
      const toSecond = outcome === 'caller_left' ? 'The caller hung up; the consultation is over.' : `The consultation is over; the caller stays with ${consult.fromName}.`;
      this.#tell(consult.toAgentId, { type: 'consult.state', sessionId, seq: ended.seq, consult: null, outcome, notice: toSecond });
    }
  }

  // ---- the agent verifies the caller: CRM search, link, the AI's own verification -------------

  /** Finds the caller's account: only enough of each match to pick the right one (name, last digits, email hint). */
  async customerSearch(agent: User, sessionId: string, query: string): Promise<DeskResult & { results?: CustomerMatchView[] }> {
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    const found = await this.#o.services.crm.searchCustomers(query, 10);
    return {
      ok: true,
      results: found.map(({ customer, matchedOn }) => ({
        customerId: customer.id,
        name: customer.name,
        phoneEnding: customer.phone.slice(-4),
        emailHint: customer.email ? customer.email.replace(/^(.)[^@]*(@.*)$/, '$1•••$2') : null,
        matchedOn,
      })),
    };
  }

  /** Links a found account to the call as the one to verify against; the card stays locked until verified. */
  async customerLink(agent: User, sessionId: string, customerId: string): Promise<DeskResult> {
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    const conversation = desk.voice.conversation;
    if (!conversation) return fail('no_conversation', 'This call has no conversation to link an account to.');
    const customer = await this.#o.services.crm.getCustomer(customerId);
    if (!customer) return fail('not_found', 'That account no longer exists; search again.');
    const linked = await conversation.linkCandidate(customer, agent.id);
    return linked.ok ? ok : fail(linked.code, linked.message);
  }

  /** The caller's answer, typed by the agent: verified, the brief (and the customer card with it) opens. */
  async callerVerify(agent: User, sessionId: string, answer: { zip: string } | { dob: string }): Promise<DeskResult> {
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return desk;
    const conversation = desk.voice.conversation;
    if (!conversation) return fail('no_conversation', 'This call has no conversation to verify.');
    const result = await conversation.verifyByAgent(answer);
    if (!result.ok) return fail(result.code, result.message);
    const events = await this.#o.services.store.listEvents(sessionId);
    this.#tell(agent.id, { type: 'call.assigned', sessionId, seq: events.at(-1)?.seq ?? 0, brief: await this.#briefFor(desk, events) });
    return ok;
  }

  /** Who can take a transfer or consultation now, and each queue's figures (from wherever routing runs). */
  async transferOptions(): Promise<TransferOptionsView> {
    const staffing = await this.#route('staffing');
    const agents = staffing.agents
      .map((a) => ({ id: a.id, name: a.name, presence: a.presence, skills: a.skills, free: a.free }))
      .sort((x, y) => Number(y.free) - Number(x.free) || x.name.localeCompare(y.name));
    const queues = (Object.keys(staffing.snapshot.queues) as QueueSkill[]).map((queue) => {
      const skilled = agents.filter((a) => a.skills.includes(queue));
      return {
        queue,
        waiting: staffing.snapshot.queues[queue].waiting,
        longestWaitMs: staffing.snapshot.queues[queue].longestWaitMs,
        agentsAvailable: skilled.filter((a) => a.free).length,
        agentsStaffed: skilled.filter((a) => a.presence !== 'offline' && a.presence !== 'away').length,
      };
    });
    return { agents, queues };
  }

  async suggestionFeedback(agent: User, sessionId: string, suggestionId: string, used: boolean): Promise<DeskResult> {
    const away = await this.#elsewhere('suggestionFeedback', agent, sessionId, [suggestionId, used]);
    if (away) return away;
    if (!this.holds(agent.id, sessionId)) return fail('not_your_call', 'You are not on this call.');
    const { store } = this.#o.services;
    if (used) await store.appendEvent(sessionId, 'suggestion.used', { agentId: agent.id, suggestionId });
    else await store.appendEvent(sessionId, 'suggestion.dismissed', { agentId: agent.id, suggestionId });
    return ok;
  }

  async wrapUp(agent: User, sessionId: string, disposition: string, notes: string, followUp: FollowUp): Promise<DeskResult> {
    const away = await this.#elsewhere('wrapUp', agent, sessionId, [disposition, notes, followUp]);
    if (away) return away;
    if (this.#wrapUps.get(agent.id) !== sessionId) {
      return fail('not_in_wrap_up', 'This call is not in wrap-up for you. Hang up first, then submit the wrap-up.');
    }
    if (!this.#o.dispositions.includes(disposition)) {
      return fail('bad_disposition', `Unknown disposition "${disposition}". Choose one of: ${this.#o.dispositions.join(', ')}.`);
    }
    const { store, crm } = this.#o.services;
    const session = await store.getSession(sessionId);
    const customerId = session?.verified ? session.customerId : null;
    let followUpRecord: { kind: string; id?: string } = { kind: 'none' };
    if (followUp.kind === 'ticket') {
      if (!customerId) return fail('no_customer', 'There is no verified customer on this call to open a ticket for. Choose a callback or no follow-up.');
      const ticket = await crm.createTicket({ customerId, subject: followUp.subject });
      followUpRecord = { kind: 'ticket', id: ticket.id };
    } else if (followUp.kind === 'callback') {
      const callback = await crm.scheduleCallback({ customerId, sessionId, phone: followUp.phone, reason: `follow-up: ${disposition}`, dueAt: followUp.dueAt ?? null });
      followUpRecord = { kind: 'callback', id: callback.id };
    }
    if (customerId) {
      await crm.appendCustomerNote(customerId, `${new Date().toISOString().slice(0, 10)} call ${sessionId.slice(0, 8)} (${disposition}): ${notes.trim()}`);
    }
    // The desk call is gone once the caller hung up, so the start is read from the log
    // (without it every wrap-up was stored as 0 ms).
    const startedEvent = (await store.listEvents(sessionId)).findLast((e) => e.type === 'wrapup.started' && e.data.agentId === agent.id);
    const startedAt = startedEvent ? Date.parse(startedEvent.at) : (this.#calls.get(sessionId)?.wrapUpStartedAt ?? Date.now());
    await store.appendEvent(sessionId, 'wrapup.submitted', {
      agentId: agent.id,
      disposition,
      notes,
      followUp: followUpRecord,
      wrapUpMs: Math.max(0, Date.now() - startedAt),
    });
    // After a warm transfer the caller is still talking to the colleague, after a dropped leg
    // they wait in the queue for the next person: only this agent's part ends.
    const live = this.#calls.get(sessionId);
    if (!live || live.voice.ended || live.agentId === agent.id) {
      await store.appendEvent(sessionId, 'session.ended', { by: 'agent', reason: `wrap-up: ${disposition}` });
      await store.appendEvent(sessionId, 'state.changed', { from: 'wrap-up', to: 'ended' });
      await store.updateSession(sessionId, { state: 'ended', endedAt: new Date() });
    }
    this.#wrapUps.delete(agent.id);
    const outbound = this.#outbound.get(agent.id);
    if (outbound?.sessionId === sessionId) {
      this.#outbound.delete(agent.id);
      await this.#route('setPresence', agent.id, outbound.restore);
    } else {
      await this.#route('finishWrapUp', agent.id);
    }
    return ok;
  }

  async #refineBrief(desk: DeskCall, agentId: string, sessionId: string, seq: number, events: Awaited<ReturnType<Services['store']['listEvents']>>, local: ReturnType<typeof buildHandoffBrief>): Promise<void> {
    const assist = this.#o.services.assist;
    const refined = assist ? await assist.handoffBrief(events, local) : local;
    const brief = desk.translation ? await this.#briefForAgent(desk.translation, refined, desk.voice.conversation?.language ?? 'en-US') : refined;
    // Only while the same agent still has the call: a late brief must not revive a finished one.
    if (brief === local || desk.agentId !== agentId || desk.voice.ended) return;
    const translation = desk.translationView;
    this.#tell(agentId, { type: 'call.assigned', sessionId, seq, brief: brief as HandoffBriefView, ...(translation ? { translation } : {}), ...this.#media() });
  }

  /** The brief's words from the caller (what they want, the last lines) in the agent's language. */
  async #briefForAgent(translation: CallTranslation, brief: ReturnType<typeof buildHandoffBrief>, callerLanguage: string): Promise<ReturnType<typeof buildHandoffBrief>> {
    const wants = await translation.toAgent(brief.wants, callerLanguage);
    const tail = await Promise.all(brief.transcriptTail.map(async (line) => ({ ...line, text: await translation.toAgent(line.text, callerLanguage) })));
    return { ...brief, wants, transcriptTail: tail };
  }

  /**
   * The caller's language is not the agent's: their transcript is translated for the agent from
   * here on (the call so far first). Without a translator the agent is told why it is off.
   */
  #startTranslation(desk: DeskCall, agent: User, callerLanguage: string, backlog: Awaited<ReturnType<Services['store']['listEvents']>>): void {
    desk.translation?.stop();
    desk.translation = undefined;
    desk.translationView = undefined;
    const agentLanguage = this.#languagesOf(agent)[0]!;
    if (sameLanguage(agentLanguage, callerLanguage)) return;
    const { translator, why } = this.#o.services.translation;
    if (!translator) {
      desk.translationView = { callerLanguage, agentLanguage, on: false, why: why ?? 'Translation is off.' };
      return;
    }
    const sessionId = desk.voice.sessionId!;
    desk.translation = new CallTranslation({
      store: this.#o.services.store,
      translator,
      sessionId,
      callerLanguage: () => desk.voice.conversation?.language ?? callerLanguage,
      agentLanguage,
      agentId: agent.id,
      speak: (text) => desk.control.announce(text),
    });
    desk.translation.start(backlog);
    desk.translationView = { callerLanguage, agentLanguage, on: true, provider: translator.provider, speakReplies: false };
  }

  /** The wrap-up draft: the model's summary and disposition guess when configured, else the local draft. */
  async #wrapUpDraft(events: Awaited<ReturnType<Services['store']['listEvents']>>): Promise<string> {
    const local = draftWrapUpSummary(events);
    const assist = this.#o.services.assist;
    if (!assist) return local;
    const drafted = await assist.wrapUp(events, local);
    return drafted.disposition ? `${drafted.summary}\nSuggested disposition: ${drafted.disposition}.` : drafted.summary;
  }

  async #suggest(desk: DeskCall, callerText: string): Promise<void> {
    const agentId = desk.agentId;
    const conversation = desk.voice.conversation;
    if (!agentId || !conversation) return;
    const { crm, knowledge, store } = this.#o.services;
    const customerId = conversation.candidateCustomerId;
    const verified = conversation.verified;
    const customer = verified && customerId ? await crm.getCustomer(customerId) : undefined;
    const input = {
      callerText,
      verified,
      knowledge,
      ...(customer ? { customer, orders: await crm.listOrders(customer.id), tickets: await crm.listTickets(customer.id) } : {}),
    };
    const local = suggestReplies(input);
    // With a model configured it writes them (sources checked); the local ones are the fallback.
    const written = this.#o.services.assist ? await this.#o.services.assist.suggestReplies(input, local) : local;
    if (written.length === 0) return;
    // Written in the default language; the agent reads them in theirs.
    const translation = desk.translation;
    const from = this.#o.defaultLanguage ?? 'en-US';
    const suggestions =
      translation && !sameLanguage(from, translation.agentLanguage)
        ? await Promise.all(written.map(async (s) => ({ ...s, text: await translation.toAgent(s.text, from) })))
        : written;
    const last = (await store.listEvents(conversation.sessionId)).at(-1)?.seq ?? 0;
    const shown = await store.appendEvent(conversation.sessionId, 'suggestion.shown', {
      afterSeq: last,
      suggestions: suggestions.map((s) => ({
        id: s.id,
        text: s.text,
        source: s.source.kind === 'article' ? `article:${s.source.id}` : `crm:${s.source.recordId}`,
      })),
    });
    this.#tell(agentId, { type: 'suggestions', sessionId: conversation.sessionId, seq: shown.seq, suggestions });
  }

  /**
   * An app that (re)connected without the state it had: give back the ringing offer, the
   * call in progress (brief, then the whole log) or the wrap-up in progress.
   */
  async restore(agent: User, alreadyFollowing: string[]): Promise<void> {
    await this.restoreHere(agent, alreadyFollowing, true);
  }

  /** What this backend holds for a reconnecting agent; the offer comes from routing (`withOffer`: once, from the backend they reconnected to). */
  async restoreHere(agent: User, alreadyFollowing: string[], withOffer: boolean): Promise<void> {
    // The other backends give back what they hold for this agent (a call there, its wrap-up).
    const peers = this.#o.peers;
    // Not awaited: their messages reach the agent through the cluster whenever they come.
    if (peers && withOffer) void this.#everyHome({ kind: 'restore', userId: agent.id, alreadyFollowing });
    const view = withOffer ? await this.#route('agent', agent.id) : undefined;
    if (view?.offer) {
      const call = await this.#route('call', view.offer.sessionId);
      const voice = this.#calls.get(view.offer.sessionId)?.voice;
      if (call) {
        this.#tell(agent.id, {
          type: 'offer',
          offer: {
            offerId: view.offer.offerId,
            sessionId: call.sessionId,
            callerName: voice ? (voice.callerName ?? null) : call.callerName !== call.callerId ? call.callerName : null,
            callerId: call.callerId,
            queue: call.queue,
            reason: call.reason,
            enqueuedAt: new Date(call.enqueuedAt).toISOString(),
            expiresAt: new Date(view.offer.expiresAt).toISOString(),
            ...(call.transferNote ? { transferNote: call.transferNote } : {}),
          },
        });
      }
    }
    const { store, crm } = this.#o.services;
    const held = [...this.#calls.entries()].find(([, d]) => d.agentId === agent.id);
    if (held && !alreadyFollowing.includes(held[0])) {
      const [sessionId, desk] = held;
      const conversation = desk.voice.conversation!;
      const events = await store.listEvents(sessionId);
      const customerId = conversation.candidateCustomerId;
      const customer = conversation.verified && customerId ? await crm.getCustomer(customerId) : undefined;
      const brief = buildHandoffBrief(events, customer, { knowledge: this.#o.services.knowledge });
      this.#tell(agent.id, { type: 'call.assigned', sessionId, seq: events.at(-1)?.seq ?? 0, brief: brief as HandoffBriefView, ...this.#media() });
      this.#tell(agent.id, { type: 'call.state', sessionId, seq: events.at(-1)?.seq ?? 0, muted: desk.muted, held: desk.held });
      if (desk.consult) this.#tell(agent.id, { type: 'consult.state', sessionId, seq: events.at(-1)?.seq ?? 0, consult: this.#consultView(desk.consult, 'from') });
      this.#follow(agent.id, sessionId);
    }
    // A colleague's consultation: ringing again, or the call and the consultation back on screen.
    const consulted = [...this.#calls.values()].find((d) => d.consult?.toAgentId === agent.id);
    if (consulted?.consult) {
      const consult = consulted.consult;
      const sessionId = consulted.voice.sessionId!;
      if (consult.phase === 'ringing') this.#ringConsult(consulted, consult);
      else if (!alreadyFollowing.includes(sessionId)) {
        const events = await store.listEvents(sessionId);
        const seq = events.at(-1)?.seq ?? 0;
        this.#tell(agent.id, { type: 'call.assigned', sessionId, seq, brief: await this.#briefFor(consulted, events) });
        this.#tell(agent.id, { type: 'consult.state', sessionId, seq, consult: this.#consultView(consult, 'to') });
        this.#follow(agent.id, sessionId);
      }
    }
    const wrapping = this.#wrapUps.get(agent.id);
    if (wrapping && !alreadyFollowing.includes(wrapping)) {
      const events = await store.listEvents(wrapping);
      const started = events.findLast((e) => e.type === 'wrapup.started');
      // Signing in again during wrap-up: the brief (and the customer card it names) and the last
      // suggestions come back from the log, as they were when the call ended.
      const verifiedAs = events.findLast((e) => e.type === 'identity.verified');
      const customer = verifiedAs?.type === 'identity.verified' ? await crm.getCustomer(verifiedAs.data.customerId) : undefined;
      const brief = buildHandoffBrief(events, customer, { knowledge: this.#o.services.knowledge });
      this.#tell(agent.id, { type: 'call.assigned', sessionId: wrapping, seq: events.at(-1)?.seq ?? 0, brief: brief as HandoffBriefView });
      const shown = events.findLast((e) => e.type === 'suggestion.shown');
      if (shown?.type === 'suggestion.shown') {
        const suggestions = shown.data.suggestions.map((s) => {
          const [kind, id = ''] = s.source.split(/:(.*)/s);
          const source =
            kind === 'article'
              ? { kind: 'article' as const, id, title: this.#o.services.knowledge.get(id)?.title ?? id }
              : { kind: 'crm' as const, fact: s.text, recordId: id };
          return { id: s.id, text: s.text, source };
        });
        this.#tell(agent.id, { type: 'suggestions', sessionId: wrapping, seq: shown.seq, suggestions });
      }
      this.#tell(agent.id, {
        type: 'call.state',
        sessionId: wrapping,
        seq: events.at(-1)?.seq ?? 0,
        muted: false,
        held: false,
        wrapUpStartedAt: started?.at ?? new Date().toISOString(),
        wrapUpDraft: draftWrapUpSummary(events),
      });
      this.#follow(agent.id, wrapping);
    }
  }

  /**
   * After a crash: the agent had this call (or its wrap-up) when the server died. They get
   * the wrap-up back (presence wrap_up; the app receives the draft when it reconnects).
   */
  recoverWrapUp(agentId: string, sessionId: string): void {
    if (!this.#router.agent(agentId)) return;
    this.#wrapUps.set(agentId, sessionId);
    this.#track(this.#route('setPresence', agentId, 'wrap_up'));
  }

  /** Dials a customer: the agent must be free; inbound offers stop while the call rings. */
  async dial(agent: User, phone: string): Promise<DeskResult> {
    const free = await this.#freeToDial(agent.id);
    if (!free.ok) return free;
    if (!this.#ring) return fail('outbound_unavailable', 'This server has no carrier that can place calls.');
    const rung = this.#ring(phone, agent.id);
    if (!rung.ok) return fail(rung.code, rung.message);
    await this.#outboundPlaced(agent.id);
    return ok;
  }

  /**
   * The agent's softphone dialled through the carrier itself (Twilio's TwiML App): the same
   * rules as dial(), and inbound offers stop while it rings.
   */
  async placedOutbound(agentId: string): Promise<DeskResult> {
    const free = await this.#freeToDial(agentId);
    if (free.ok) await this.#outboundPlaced(agentId);
    return free;
  }

  async #freeToDial(agentId: string): Promise<DeskResult> {
    const view = await this.#route('agent', agentId);
    if (!view) return fail('not_an_agent', 'Only agents and leads can place calls.');
    if (view.presence !== 'available' && view.presence !== 'away') {
      return fail('busy', 'Finish your current call and wrap-up before dialling.');
    }
    if (this.#outbound.has(agentId)) return fail('busy', 'You already have an outbound call ringing.');
    return ok;
  }

  async #outboundPlaced(agentId: string): Promise<void> {
    const available = (await this.#route('agent', agentId))?.presence === 'available';
    this.#outbound.set(agentId, { restore: available ? 'available' : 'away' });
    if (available) await this.#route('setPresence', agentId, 'away');
  }

  #ring: ((phone: string, agentId: string) => { ok: true } | { ok: false; code: string; message: string }) | undefined;

  /** The carrier that rings customers for outbound calls. */
  setOutboundRinger(ring: (phone: string, agentId: string) => { ok: true } | { ok: false; code: string; message: string }): void {
    this.#ring = ring;
  }

  /** Ends every call and stops routing (server shutdown). */
  // ---- supervision (supervision/supervision.ts) -------------------------------------------

  liveCall(sessionId: string): LiveDeskCall | undefined {
    const desk = this.#calls.get(sessionId);
    if (!desk || desk.control.ended) return undefined;
    const { voice } = desk;
    return {
      sessionId,
      stage: desk.agentId ? 'agent' : voice.mode === 'agent' ? 'queue' : voice.mode,
      agentId: desk.agentId,
      held: desk.held,
      callerName: voice.callerName ?? null,
      callerId: voice.callerId,
      acceptedAt: desk.acceptedAt,
    };
  }

  liveAgentCalls(): LiveDeskCall[] {
    return [...this.#calls.keys()].flatMap((id) => {
      const call = this.liveCall(id);
      return call?.stage === 'agent' ? [call] : [];
    });
  }

  /** Routes the call's audio through supervision's mixer (undefined: straight again). */
  superviseAudio(sessionId: string, mix: SupervisedAudio | undefined): boolean {
    const desk = this.#calls.get(sessionId);
    if (!desk) return false;
    desk.mix = mix;
    return true;
  }

  /** Mixed audio for the caller: only while an agent has the call and it is not on hold. */
  sendToCaller(sessionId: string, pcm16k: Int16Array): void {
    const desk = this.#calls.get(sessionId);
    if (!desk || desk.held || desk.voice.mode !== 'agent') return;
    desk.control.relayAgentAudio(pcm16k);
  }

  /** Mixed audio for the agent's ear (the caller's part is silence while on hold). */
  sendToAgent(sessionId: string, pcm16k: Int16Array): void {
    const desk = this.#calls.get(sessionId);
    if (desk?.agentId) desk.legs.get(desk.agentId)?.(pcm16k);
  }

  /** The agent asks a lead for help on their call (or lowers the hand): an event, then the alert. */
  async raiseHand(agent: User, sessionId: string, raised: boolean): Promise<DeskResult> {
    const desk = this.#ownCall(agent, sessionId);
    if ('ok' in desk) return fail('not_your_call', 'You can raise your hand only on a call you hold. Ask a lead in person if the call has ended.');
    if ((desk.handRaisedBy === agent.id) === raised) {
      this.#tell(agent.id, { type: 'hand.state', sessionId, raised });
      return ok;
    }
    desk.handRaisedBy = raised ? agent.id : undefined;
    await this.#o.services.store.appendEvent(sessionId, 'agent.hand_raised', { agentId: agent.id, raised });
    this.#tell(agent.id, { type: 'hand.state', sessionId, raised });
    return ok;
  }

  async close(): Promise<void> {
    for (const desk of this.#calls.values()) desk.hold?.stop();
    await this.settle();
    this.#router.dispose();
  }
}

/** Consultation rings remembered per backend: far more than ring at once; the oldest go first. */
const RINGS_REMEMBERED = 1000;

function remember(rings: Map<string, string>, consultId: string, sessionId: string): void {
  rings.set(consultId, sessionId);
  if (rings.size > RINGS_REMEMBERED) rings.delete(rings.keys().next().value!);
}
