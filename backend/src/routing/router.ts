// The Router owns who takes which escalated call: the queues (one per skill, oldest call
// first), agent presence, and offers that ring one agent at a time with a timeout. It is
// pure logic over an injected clock and reports every step as a RoutingEvent; persisting
// those events and pushing them to agents is the integrator's job. All state lives in the
// instance, so two routers (tests, tenants) never share a call.
//
// Guarantees, enforced by the data layout rather than by checks after the fact: a call has
// at most one live offer and at most one agent holding it; an agent has at most one live
// offer and holds at most one call, and only an `available` agent with neither is offered.
import { randomUUID } from 'node:crypto';
import { QueueSkill, type EscalationReason } from '../../../contracts/conversation';
import { systemClock, type RoutingClock } from './clock';
import { HandleTimes } from './handle-time';
import { agentPresences, isStaffed, type AgentPresence } from './presence';
import type { PresenceCause, RemoveReason, RevokeReason, RoutingEvent, TransferTarget } from './events';

const queueSkills = QueueSkill.options;

export interface RouterOptions {
  clock?: RoutingClock;
  onEvent?: (event: RoutingEvent) => void;
  /**
   * Called when `onEvent` throws. Routing state is already consistent by then and the
   * remaining events are still delivered; the default logs, because a throw from a timer
   * callback would otherwise take the whole process down.
   */
  onEventError?: (error: unknown, event: RoutingEvent) => void;
  /** How long an offer rings before it expires. Default 20 s. */
  offerTimeoutMs?: number;
  /** A missed offer usually means the agent stepped away: set them `away` so calls stop ringing there. Default true. */
  awayAfterMissedOffer?: boolean;
  /**
   * After an agent declines (or misses) a call, that call goes to every other available
   * agent with the skill first; it comes back to the decliner only once this much time has
   * passed and nobody else has taken it. Default 15 s.
   */
  declineCooldownMs?: number;
  /** The handle time assumed for a queue before any call was handled there. Default 180 s. */
  defaultHandleTimeMs?: number;
  /** How many recent handle times per queue the moving average spans. Default 20. */
  handleTimeWindow?: number;
  /** How many settled offers to remember, so a late accept is told why it failed. Default 1000. */
  settledOfferMemory?: number;
  newOfferId?: () => string;
}

export interface AgentRegistration {
  id: string;
  name: string;
  skills: QueueSkill[];
  /** Languages the agent speaks (locales or language tags: es-ES, es); absent: none declared. */
  languages?: string[];
}

export interface EnqueueRequest {
  sessionId: string;
  queue: QueueSkill;
  callerName: string;
  callerId: string;
  reason: EscalationReason;
  /** When the call joined the queue (epoch ms, same origin as the clock); FIFO order is by this. */
  enqueuedAt: number;
  /** The caller's language when it is not the default: a language skill (see pickAgent). */
  language?: string;
}

export interface QueuePosition {
  queue: QueueSkill;
  /** 1-based place in line; a call that is ringing an agent is still in line until answered. */
  position: number;
  ahead: number;
  estimatedWaitMs: number;
  ringing: boolean;
}

export interface AgentView {
  id: string;
  name: string;
  skills: QueueSkill[];
  presence: AgentPresence;
  presenceSince: number;
  /** When the agent last became available; only set while available. */
  idleSince?: number;
  offer?: { offerId: string; sessionId: string; expiresAt: number };
  /** The call the agent holds (only while on_call). */
  sessionId?: string;
  /** A colleague's call this agent is consulting on (ringing or talking). */
  consultSessionId?: string;
  /** Available with nothing ringing: a transfer or consultation can reach them now. */
  free: boolean;
}

export interface CallView {
  sessionId: string;
  queue: QueueSkill;
  callerName: string;
  callerId: string;
  reason: EscalationReason;
  enqueuedAt: number;
  state: 'waiting' | 'ringing' | 'held';
  offer?: { offerId: string; agentId: string; expiresAt: number; direct: boolean };
  agentId?: string;
  transferNote?: string;
  transferredFrom?: string;
  language?: string;
  /** No agent speaks the caller's language: the call goes to any agent, who is told so. */
  languageUnmatched?: boolean;
}

export interface RoutingSnapshot {
  at: number;
  queues: Record<QueueSkill, QueueSnapshot>;
  agents: Record<AgentPresence, Array<{ id: string; name: string; since: number; ringing: boolean; sessionId?: string; sinceUnknown?: true }>>;
}

export interface QueueSnapshot {
  /** Calls in line, including those ringing an agent right now. */
  waiting: number;
  ringing: number;
  longestWaitMs: number;
  calls: Array<{ sessionId: string; callerName: string; reason: EscalationReason; waitedMs: number; ringing: boolean; transferred: boolean }>;
}

/**
 * What a new routing leader learns from the store and the live backends (cluster/desk-peers.ts):
 * calls still in routing (waiting, ringing an agent, or held), and each agent's last presence.
 */
export interface RoutingRestore {
  presence: Array<{ agentId: string; presence: AgentPresence }>;
  calls: Array<
    EnqueueRequest & {
      /** The agent who holds the call. */
      agentId?: string;
      /** An offer that was ringing when the previous leader stopped (kept with its id, so the agent's answer still counts). */
      offer?: { offerId: string; agentId: string; expiresAt: number };
      transferNote?: string;
    }
  >;
}

export type OfferAnswerFailure = 'expired' | 'not_yours' | 'unknown_offer' | 'call_gone';
export type AcceptResult = { ok: true; sessionId: string } | { ok: false; reason: OfferAnswerFailure; message: string };
export type DeclineResult = { ok: true; sessionId: string } | { ok: false; reason: OfferAnswerFailure; message: string };
export type PresenceResult =
  | { ok: true }
  | { ok: false; reason: 'unknown_agent' | 'on_call' | 'not_in_wrap_up' | 'not_allowed'; message: string };
export type EndCallResult = { ok: true; sessionId: string } | { ok: false; reason: 'unknown_agent' | 'no_call'; message: string };
export type ConsultReservation =
  | { ok: true; agentId: string; name: string }
  | { ok: false; reason: 'not_your_call' | 'unknown_agent' | 'same_agent' | 'agent_unavailable' | 'nobody_available'; message: string };

export type TransferResult =
  | { ok: true; offerId?: string }
  | { ok: false; reason: 'not_your_call' | 'unknown_agent' | 'same_agent' | 'agent_unavailable'; message: string };

interface AgentRecord {
  id: string;
  name: string;
  skills: Set<QueueSkill>;
  /** Language tags (es, de): the router matches on the language, not the region. */
  languages: Set<string>;
  presence: AgentPresence;
  presenceSince: number;
  /** Offline since before this server started: presenceSince is only the registration time. */
  sinceUnknown?: true;
  idleSince: number | undefined;
  /** Registration order: breaks idle-time ties so selection never depends on Map quirks. */
  order: number;
  offerId: string | undefined;
  sessionId: string | undefined;
  /** The last call answered, measured when the agent leaves wrap-up (handle = talk + wrap-up). */
  handling: { queue: QueueSkill; acceptedAt: number } | undefined;
  /** A colleague's call this agent is asked to consult on (ringing or talking): not free for offers. */
  consultSessionId?: string | undefined;
}

interface CallRecord {
  sessionId: string;
  queue: QueueSkill;
  callerName: string;
  callerId: string;
  reason: EscalationReason;
  enqueuedAt: number;
  /** Arrival order: breaks enqueuedAt ties. */
  order: number;
  /** Transferred calls already waited once, so they go ahead of first-time callers. */
  front: boolean;
  inQueue: boolean;
  state: 'waiting' | 'ringing' | 'held';
  offerId: string | undefined;
  agentId: string | undefined;
  acceptedAt: number | undefined;
  /** Agents who declined or missed this call, and when: everyone else gets it first. */
  passedBy: Map<string, number>;
  transferNote: string | undefined;
  transferredFrom: string | undefined;
  language: string | undefined;
}

type OfferStatus = 'live' | 'accepted' | 'declined' | 'expired' | 'revoked';

interface OfferRecord {
  id: string;
  sessionId: string;
  agentId: string;
  expiresAt: number;
  direct: boolean;
  status: OfferStatus;
  revokeReason: RevokeReason | undefined;
  timer: unknown;
}

export class Router {
  private readonly clock: RoutingClock;
  private readonly onEvent: (event: RoutingEvent) => void;
  private readonly onEventError: (error: unknown, event: RoutingEvent) => void;
  private readonly offerTimeoutMs: number;
  private readonly awayAfterMissedOffer: boolean;
  private readonly declineCooldownMs: number;
  private readonly settledOfferMemory: number;
  private readonly newOfferId: () => string;
  private readonly handleTimes: HandleTimes;

  private readonly agents = new Map<string, AgentRecord>();
  private readonly calls = new Map<string, CallRecord>();
  private readonly queues: Record<QueueSkill, CallRecord[]> = { billing: [], orders: [], general: [] };
  private readonly liveOffers = new Map<string, OfferRecord>();
  private readonly settledOffers = new Map<string, OfferRecord>();
  private agentOrder = 0;
  private callOrder = 0;
  private wakeTimer: unknown = undefined;
  private wakeAt = Number.POSITIVE_INFINITY;

  // Events are queued while state changes and delivered once it is consistent, so a
  // listener that calls back into the router never sees half a step.
  private readonly outbox: RoutingEvent[] = [];
  private flushing = false;

  constructor(options: RouterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.onEvent = options.onEvent ?? (() => undefined);
    this.onEventError =
      options.onEventError ??
      ((error, event) => console.error(`routing: onEvent threw while handling ${event.type}`, error));
    this.offerTimeoutMs = positive(options.offerTimeoutMs ?? 20_000, 'offerTimeoutMs');
    this.awayAfterMissedOffer = options.awayAfterMissedOffer ?? true;
    this.declineCooldownMs = nonNegative(options.declineCooldownMs ?? 15_000, 'declineCooldownMs');
    this.settledOfferMemory = nonNegative(options.settledOfferMemory ?? 1000, 'settledOfferMemory');
    this.newOfferId = options.newOfferId ?? (() => randomUUID());
    this.handleTimes = new HandleTimes(
      positive(options.handleTimeWindow ?? 20, 'handleTimeWindow'),
      positive(options.defaultHandleTimeMs ?? 180_000, 'defaultHandleTimeMs'),
    );
  }

  // ─── agents ────────────────────────────────────────────────────────────────

  /** Adds an agent (offline), or updates the name and skills of one already known. */
  registerAgent(registration: AgentRegistration): AgentView {
    return this.run(() => {
      const known = this.agents.get(registration.id);
      if (known) {
        known.name = registration.name;
        known.skills = new Set(registration.skills);
        known.languages = new Set((registration.languages ?? []).map(languageTag));
        this.dispatch();
        return this.viewAgent(known);
      }
      const agent: AgentRecord = {
        id: registration.id,
        name: registration.name,
        skills: new Set(registration.skills),
        languages: new Set((registration.languages ?? []).map(languageTag)),
        presence: 'offline',
        presenceSince: this.clock.now(),
        sinceUnknown: true,
        idleSince: undefined,
        order: this.agentOrder++,
        offerId: undefined,
        sessionId: undefined,
        handling: undefined,
      };
      this.agents.set(agent.id, agent);
      return this.viewAgent(agent);
    });
  }

  /**
   * Sets an agent's presence. `on_call` is only reached by accepting an offer, and an agent
   * on a call must end or transfer it first. Leaving `available` while an offer rings
   * withdraws the offer and the call goes to the next agent.
   */
  setPresence(agentId: string, presence: AgentPresence): PresenceResult {
    return this.run(() => {
      const agent = this.agents.get(agentId);
      if (!agent) return unknownAgent(agentId);
      if (presence === 'on_call') {
        return { ok: false, reason: 'not_allowed', message: 'You are put on a call by accepting an offer, not by changing your status.' };
      }
      if (agent.presence === 'on_call') {
        return {
          ok: false,
          reason: 'on_call',
          message: `You are on a call (${agent.sessionId ?? 'unknown session'}); end or transfer it before changing your status.`,
        };
      }
      this.changePresence(agent, presence, 'agent');
      this.dispatch();
      return { ok: true };
    });
  }

  /** The agent hangs up: the call leaves routing and the agent goes to wrap-up. */
  endCall(agentId: string): EndCallResult {
    return this.run(() => {
      const agent = this.agents.get(agentId);
      if (!agent) return unknownAgent(agentId);
      const call = agent.sessionId ? this.calls.get(agent.sessionId) : undefined;
      if (!call) return { ok: false, reason: 'no_call', message: 'You have no call to end.' };
      this.releaseHeldCall(call, agent, 'agent_ended');
      return { ok: true, sessionId: call.sessionId };
    });
  }

  /** The agent has finished the call's paperwork and is ready for the next one. */
  finishWrapUp(agentId: string): PresenceResult {
    return this.run(() => {
      const agent = this.agents.get(agentId);
      if (!agent) return unknownAgent(agentId);
      if (agent.presence !== 'wrap_up') {
        return { ok: false, reason: 'not_in_wrap_up', message: `You are ${agent.presence.replace('_', ' ')}, not in wrap-up; set your status instead.` };
      }
      this.changePresence(agent, 'available', 'agent');
      this.dispatch();
      return { ok: true };
    });
  }

  // ─── calls ─────────────────────────────────────────────────────────────────

  /** Puts an escalated call in line; it is offered at once if an agent is free. */
  enqueue(request: EnqueueRequest): QueuePosition {
    return this.run(() => {
      const existing = this.calls.get(request.sessionId);
      if (existing) {
        throw new Error(
          `Session ${request.sessionId} is already in routing (${existing.state} in ${existing.queue}); remove it before enqueueing it again.`,
        );
      }
      if (!queueSkills.includes(request.queue)) throw new Error(`There is no queue named "${String(request.queue)}".`);
      const call = this.newCall(request);
      this.calls.set(call.sessionId, call);
      this.insertIntoQueue(call, false);
      this.dispatch();
      return this.positionOfCall(call) as QueuePosition;
    });
  }

  /** A call as it enters routing: waiting, not yet in its queue's line (enqueue and a new leader's restore). */
  private newCall(request: EnqueueRequest, transferNote?: string): CallRecord {
    return {
      sessionId: request.sessionId,
      queue: request.queue,
      callerName: request.callerName,
      callerId: request.callerId,
      reason: request.reason,
      enqueuedAt: request.enqueuedAt,
      order: this.callOrder++,
      front: false,
      inQueue: false,
      state: 'waiting',
      offerId: undefined,
      agentId: undefined,
      acceptedAt: undefined,
      passedBy: new Map(),
      transferNote,
      transferredFrom: undefined,
      language: request.language,
    };
  }

  /**
   * Takes a call out of routing: the caller hung up, chose a callback, or was answered
   * elsewhere. A ringing offer is withdrawn; an agent holding the call goes to wrap-up.
   * Returns false when routing did not know the call (already gone: safe to repeat).
   */
  removeCall(sessionId: string, why: RemoveReason): boolean {
    return this.run(() => {
      const call = this.calls.get(sessionId);
      if (!call) return false;
      if (call.state === 'held') {
        const agent = call.agentId ? this.agents.get(call.agentId) : undefined;
        if (agent) {
          this.releaseHeldCall(call, agent, why);
          return true;
        }
      }
      const offer = call.offerId ? this.liveOffers.get(call.offerId) : undefined;
      if (offer) this.revoke(offer, 'call_gone');
      this.removeFromQueue(call);
      this.calls.delete(sessionId);
      this.emit({ type: 'queue.left', sessionId, queue: call.queue, why, waitedMs: this.clock.now() - call.enqueuedAt });
      this.dispatch();
      return true;
    });
  }

  // ─── offers ────────────────────────────────────────────────────────────────

  accept(offerId: string, agentId: string): AcceptResult {
    return this.run(() => {
      const offer = this.liveOffers.get(offerId) ?? this.settledOffers.get(offerId);
      const refusal = this.refuseAnswer(offer, offerId, agentId);
      if (refusal) {
        // A double click or a retried request must not read as a failure to the agent.
        if (offer && offer.status === 'accepted' && this.agents.get(agentId)?.sessionId === offer.sessionId) {
          return { ok: true, sessionId: offer.sessionId };
        }
        return refusal;
      }
      const live = offer as OfferRecord;
      const call = this.calls.get(live.sessionId) as CallRecord;
      const agent = this.agents.get(agentId) as AgentRecord;
      const now = this.clock.now();
      this.settle(live, 'accepted');
      this.removeFromQueue(call);
      call.state = 'held';
      call.offerId = undefined;
      call.agentId = agent.id;
      call.acceptedAt = now;
      agent.offerId = undefined;
      agent.sessionId = call.sessionId;
      agent.handling = { queue: call.queue, acceptedAt: now };
      this.emit({ type: 'agent.accepted', sessionId: call.sessionId, offerId, agentId, waitedMs: now - call.enqueuedAt });
      this.changePresence(agent, 'on_call', 'accepted');
      return { ok: true, sessionId: call.sessionId };
    });
  }

  /** The agent passes on this call: it goes to the other available agents first (see declineCooldownMs). */
  decline(offerId: string, agentId: string): DeclineResult {
    return this.run(() => {
      const offer = this.liveOffers.get(offerId) ?? this.settledOffers.get(offerId);
      const refusal = this.refuseAnswer(offer, offerId, agentId);
      if (refusal) return refusal;
      const live = offer as OfferRecord;
      const call = this.calls.get(live.sessionId) as CallRecord;
      const agent = this.agents.get(agentId) as AgentRecord;
      this.settle(live, 'declined');
      agent.offerId = undefined;
      call.passedBy.set(agent.id, this.clock.now());
      this.emit({ type: 'offer.declined', sessionId: call.sessionId, offerId, agentId });
      this.returnToLine(call, live);
      this.dispatch();
      return { ok: true, sessionId: call.sessionId };
    });
  }

  // ─── transfers ─────────────────────────────────────────────────────────────

  /** The call and the agent holding it, when this agent is the one on it. */
  private heldBy(sessionId: string, agentId: string): { call: CallRecord; agent: AgentRecord } | undefined {
    const call = this.calls.get(sessionId);
    const agent = this.agents.get(agentId);
    return call && agent && call.state === 'held' && call.agentId === agentId ? { call, agent } : undefined;
  }

  /**
   * Hands a call on. To a queue: it goes to the front (the caller already waited). To an
   * agent: it rings that agent only if they are free now; if they decline or miss it, the
   * call goes to the front of its queue rather than being lost. The note travels with the
   * call. The transferring agent goes to wrap-up either way.
   */
  transfer(sessionId: string, fromAgentId: string, target: TransferTarget, note: string): TransferResult {
    return this.run(() => {
      const held = this.heldBy(sessionId, fromAgentId);
      if (!held) return { ok: false, reason: 'not_your_call', message: 'You can only transfer a call you are on.' };
      const { call, agent: from } = held;
      let to: AgentRecord | undefined;
      if ('agentId' in target) {
        const named = this.freeColleague(from, target.agentId, 'You are already on this call; pick a colleague or a queue.', 'transfer to a queue instead, or try again in a moment.');
        if ('ok' in named) return named;
        to = named;
      } else if (!queueSkills.includes(target.queue)) {
        throw new Error(`There is no queue named "${String(target.queue)}".`);
      }

      const now = this.clock.now();
      call.state = 'waiting';
      call.agentId = undefined;
      call.acceptedAt = undefined;
      call.transferNote = note;
      call.transferredFrom = from.id;
      // Earlier declines were about the old queue; only the agent handing it on should be last in line for it now.
      call.passedBy = new Map([[from.id, now]]);
      from.sessionId = undefined;
      const destination: TransferTarget = to ? { agentId: to.id } : { queue: (target as { queue: QueueSkill }).queue };
      this.emit({ type: 'call.transferred', sessionId, fromAgentId, to: destination, note });
      this.changePresence(from, 'wrap_up', 'transferred');

      if (to) {
        const offerId = this.sendOffer(call, to, true);
        return { ok: true, offerId };
      }
      call.queue = (target as { queue: QueueSkill }).queue;
      this.insertIntoQueue(call, true);
      this.dispatch();
      return { ok: true };
    });
  }

  // ─── consultations (warm transfer) ─────────────────────────────────────────

  /**
   * Reserves a colleague to consult about a call the agent holds: the named agent if free,
   * or the longest-idle free agent of a queue. The reserved agent gets no offers until
   * `endConsult` or `handOver`.
   */
  reserveConsult(sessionId: string, fromAgentId: string, target: TransferTarget): ConsultReservation {
    return this.run(() => {
      const held = this.heldBy(sessionId, fromAgentId);
      if (!held) return { ok: false, reason: 'not_your_call', message: 'You can only consult about a call you are on.' };
      const { agent: from } = held;
      let to: AgentRecord | undefined;
      if ('agentId' in target) {
        const named = this.freeColleague(from, target.agentId, 'You cannot consult yourself; pick a colleague or a queue.', 'pick someone available, or transfer to a queue.');
        if ('ok' in named) return named;
        to = named;
      } else {
        if (!queueSkills.includes(target.queue)) throw new Error(`There is no queue named "${String(target.queue)}".`);
        to = [...this.agents.values()]
          .filter((a) => a.id !== from.id && a.skills.has(target.queue) && this.isFree(a))
          .sort((a, b) => (a.idleSince ?? 0) - (b.idleSince ?? 0) || a.order - b.order)[0];
        if (!to) {
          return {
            ok: false,
            reason: 'nobody_available',
            message: `Nobody in ${target.queue} is available to consult right now; transfer to the queue instead (the caller waits at the front), or try again in a moment.`,
          };
        }
      }
      to.consultSessionId = sessionId;
      return { ok: true, agentId: to.id, name: to.name };
    });
  }

  /** The consulted agent picked up: they are on a call now. */
  consultAnswered(agentId: string): void {
    this.run(() => {
      const agent = this.agents.get(agentId);
      if (agent?.consultSessionId) this.changePresence(agent, 'on_call', 'consult');
    });
  }

  /** The consultation ended without a handover: the consulted agent is free again. */
  endConsult(agentId: string): void {
    this.run(() => {
      const agent = this.agents.get(agentId);
      if (!agent?.consultSessionId) return;
      agent.consultSessionId = undefined;
      if (agent.presence === 'on_call' && !agent.sessionId) this.changePresence(agent, 'available', 'consult');
      this.dispatch();
    });
  }

  // ─── a new leader ──────────────────────────────────────────────────────────

  /**
   * Takes over routing state another router had (a new cluster leader). Nothing is logged
   * again (the calls already entered their queues, the offers were already sent); calls
   * already known are left alone; an offer is kept only if it still has time and its agent
   * is free. Then waiting calls are offered as usual.
   */
  restore(state: RoutingRestore): void {
    this.run(() => {
      const now = this.clock.now();
      for (const { agentId, presence } of state.presence) {
        const agent = this.agents.get(agentId);
        if (!agent || presence === 'on_call' || agent.presence === presence) continue;
        agent.presence = presence;
        agent.presenceSince = now;
        delete agent.sinceUnknown;
        agent.idleSince = presence === 'available' ? now : undefined;
      }
      for (const c of state.calls) {
        if (this.calls.has(c.sessionId) || !queueSkills.includes(c.queue)) continue;
        const call = this.newCall(c, c.transferNote);
        this.calls.set(call.sessionId, call);
        const holder = c.agentId ? this.agents.get(c.agentId) : undefined;
        if (holder && holder.sessionId === undefined) {
          call.state = 'held';
          call.agentId = holder.id;
          call.acceptedAt = now;
          holder.sessionId = call.sessionId;
          holder.offerId = undefined;
          holder.handling = { queue: call.queue, acceptedAt: now };
          holder.presence = 'on_call';
          holder.presenceSince = now;
          holder.idleSince = undefined;
          delete holder.sinceUnknown;
          continue;
        }
        call.inQueue = true;
        const line = this.queues[call.queue];
        let at = line.findIndex((other) => lineOrder(call, other) < 0);
        if (at < 0) at = line.length;
        line.splice(at, 0, call);
        const agent = c.offer ? this.agents.get(c.offer.agentId) : undefined;
        if (c.offer && agent && this.isFree(agent) && c.offer.expiresAt > now && !this.liveOffers.has(c.offer.offerId)) {
          const id = c.offer.offerId;
          const offer: OfferRecord = {
            id,
            sessionId: call.sessionId,
            agentId: agent.id,
            expiresAt: c.offer.expiresAt,
            direct: false,
            status: 'live',
            revokeReason: undefined,
            timer: this.clock.setTimeout(() => this.run(() => this.expire(id)), c.offer.expiresAt - now),
          };
          this.liveOffers.set(id, offer);
          call.state = 'ringing';
          call.offerId = id;
          agent.offerId = id;
        }
      }
      this.dispatch();
    });
  }

  /** Completes a warm transfer: the consulted agent holds the call now; the first agent goes to wrap-up. */
  handOver(sessionId: string, fromAgentId: string, toAgentId: string, note: string): { ok: true } | { ok: false; message: string } {
    return this.run(() => {
      const call = this.calls.get(sessionId);
      const from = this.agents.get(fromAgentId);
      const to = this.agents.get(toAgentId);
      if (!call || !from || !to || call.agentId !== fromAgentId || to.consultSessionId !== sessionId) {
        return { ok: false, message: 'This consultation is no longer open; the call stays with you.' };
      }
      const now = this.clock.now();
      to.consultSessionId = undefined;
      to.sessionId = sessionId;
      to.handling = { queue: call.queue, acceptedAt: now };
      if (to.presence !== 'on_call') this.changePresence(to, 'on_call', 'consult');
      call.agentId = to.id;
      call.acceptedAt = now;
      call.transferredFrom = from.id;
      from.sessionId = undefined;
      this.emit({ type: 'call.transferred', sessionId, fromAgentId, to: { agentId: to.id }, note });
      this.changePresence(from, 'wrap_up', 'transferred');
      return { ok: true };
    });
  }

  // ─── reading ───────────────────────────────────────────────────────────────

  /** Where a call stands in line, or undefined once it is held by an agent, ringing a named agent, or gone. */
  positionOf(sessionId: string): QueuePosition | undefined {
    const call = this.calls.get(sessionId);
    return call ? this.positionOfCall(call) : undefined;
  }

  /** Seeds or adds a handle time (ms) for a queue. The router records its own calls' handle times on leaving wrap-up. */
  recordHandleTime(queue: QueueSkill, ms: number): void {
    this.handleTimes.record(queue, ms);
  }

  averageHandleTimeMs(queue: QueueSkill): number {
    return this.handleTimes.average(queue);
  }

  agent(agentId: string): AgentView | undefined {
    const agent = this.agents.get(agentId);
    return agent ? this.viewAgent(agent) : undefined;
  }

  call(sessionId: string): CallView | undefined {
    const call = this.calls.get(sessionId);
    if (!call) return undefined;
    const offer = call.offerId ? this.liveOffers.get(call.offerId) : undefined;
    return {
      sessionId: call.sessionId,
      queue: call.queue,
      callerName: call.callerName,
      callerId: call.callerId,
      reason: call.reason,
      enqueuedAt: call.enqueuedAt,
      state: call.state,
      ...(offer ? { offer: { offerId: offer.id, agentId: offer.agentId, expiresAt: offer.expiresAt, direct: offer.direct } } : {}),
      ...(call.agentId ? { agentId: call.agentId } : {}),
      ...(call.transferNote !== undefined ? { transferNote: call.transferNote } : {}),
      ...(call.transferredFrom ? { transferredFrom: call.transferredFrom } : {}),
      ...(call.language ? { language: call.language, ...(this.speakersOf(call.language).length === 0 ? { languageUnmatched: true } : {}) } : {}),
    };
  }

  /** Agents at work (not offline or away) who speak a language: a call waits only for them, so
   *  a caller is never left waiting for a speaker who is not there. */
  private speakersOf(language: string): AgentRecord[] {
    const tag = languageTag(language);
    return [...this.agents.values()].filter((a) => a.languages.has(tag) && isStaffed(a.presence));
  }

  agentIds(): string[] {
    return [...this.agents.keys()];
  }

  /** Queues and agents as the transfer picker and the agents' queue figures show them. */
  staffing(): { snapshot: RoutingSnapshot; agents: AgentView[] } {
    return { snapshot: this.snapshot(), agents: [...this.agents.values()].map((a) => this.viewAgent(a)) };
  }

  sessionIds(): string[] {
    return [...this.calls.keys()];
  }

  snapshot(): RoutingSnapshot {
    const now = this.clock.now();
    const queues = {} as Record<QueueSkill, QueueSnapshot>;
    for (const skill of queueSkills) {
      const line = this.queues[skill];
      queues[skill] = {
        waiting: line.length,
        ringing: line.filter((c) => c.state === 'ringing').length,
        // The oldest caller by arrival, not by place in line: a transferred call at the front may be younger.
        longestWaitMs: line.reduce((max, c) => Math.max(max, now - c.enqueuedAt), 0),
        calls: line.map((c) => ({
          sessionId: c.sessionId,
          callerName: c.callerName,
          reason: c.reason,
          waitedMs: now - c.enqueuedAt,
          ringing: c.state === 'ringing',
          transferred: c.transferredFrom !== undefined,
        })),
      };
    }
    const agents = Object.fromEntries(agentPresences.map((p) => [p, []])) as unknown as RoutingSnapshot['agents'];
    for (const a of [...this.agents.values()].sort((x, y) => x.order - y.order)) {
      agents[a.presence].push({
        id: a.id,
        name: a.name,
        since: a.presenceSince,
        ringing: a.offerId !== undefined,
        ...(a.sessionId ? { sessionId: a.sessionId } : {}),
        ...(a.sinceUnknown ? { sinceUnknown: true as const } : {}),
      });
    }
    return { at: now, queues, agents };
  }

  /** Cancels every pending timer; the router must not be used afterwards. */
  dispose(): void {
    for (const offer of this.liveOffers.values()) this.clock.clearTimeout(offer.timer);
    if (this.wakeTimer !== undefined) this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.wakeAt = Number.POSITIVE_INFINITY;
  }

  // ─── matching ──────────────────────────────────────────────────────────────

  /**
   * Offers waiting calls, oldest first, each to the longest-idle free agent with the skill.
   * Agents who passed on a call come last for it, and only after their cooldown; if only
   * such agents are free, a wake-up is scheduled for when the first cooldown ends.
   */
  private dispatch(): void {
    const free = [...this.agents.values()].filter((a) => this.isFree(a));
    if (free.length === 0) return;
    free.sort((a, b) => (a.idleSince ?? 0) - (b.idleSince ?? 0) || a.order - b.order);
    const waiting = queueSkills
      .flatMap((q) => this.queues[q])
      .filter((c) => c.state === 'waiting')
      .sort(lineOrder);
    const now = this.clock.now();
    let retryAt = Number.POSITIVE_INFINITY;
    for (const call of waiting) {
      if (free.length === 0) break;
      const pick = this.pickAgent(call, free, now);
      if (pick.agent) {
        free.splice(free.indexOf(pick.agent), 1);
        this.sendOffer(call, pick.agent, false);
      } else if (pick.retryAt !== undefined) {
        retryAt = Math.min(retryAt, pick.retryAt);
      }
    }
    if (retryAt < Number.POSITIVE_INFINITY) this.wakeAtTime(retryAt);
  }

  private pickAgent(call: CallRecord, free: AgentRecord[], now: number): { agent?: AgentRecord; retryAt?: number } {
    // A language skill: when an agent at work speaks the caller's language the call waits for
    // one of them; when none does, any agent takes it (the offer says so).
    const speakers = call.language ? this.speakersOf(call.language) : [];
    const skilled = free.filter((a) => a.skills.has(call.queue) && (speakers.length === 0 || speakers.includes(a)));
    const fresh = skilled.find((a) => !call.passedBy.has(a.id));
    if (fresh) return { agent: fresh };
    let retryAt: number | undefined;
    let best: AgentRecord | undefined;
    let bestPassedAt = Number.POSITIVE_INFINITY;
    for (const a of skilled) {
      const passedAt = call.passedBy.get(a.id) as number;
      if (passedAt + this.declineCooldownMs <= now) {
        if (passedAt < bestPassedAt) {
          best = a;
          bestPassedAt = passedAt;
        }
      } else {
        retryAt = Math.min(retryAt ?? Number.POSITIVE_INFINITY, passedAt + this.declineCooldownMs);
      }
    }
    return best ? { agent: best } : retryAt !== undefined ? { retryAt } : {};
  }

  private wakeAtTime(at: number): void {
    if (at >= this.wakeAt) return;
    if (this.wakeTimer !== undefined) this.clock.clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = this.clock.setTimeout(
      () =>
        this.run(() => {
          this.wakeTimer = undefined;
          this.wakeAt = Number.POSITIVE_INFINITY;
          this.dispatch();
        }),
      at - this.clock.now(),
    );
  }

  private sendOffer(call: CallRecord, agent: AgentRecord, direct: boolean): string {
    const id = this.newOfferId();
    const expiresAt = this.clock.now() + this.offerTimeoutMs;
    const offer: OfferRecord = {
      id,
      sessionId: call.sessionId,
      agentId: agent.id,
      expiresAt,
      direct,
      status: 'live',
      revokeReason: undefined,
      timer: this.clock.setTimeout(() => this.run(() => this.expire(id)), this.offerTimeoutMs),
    };
    this.liveOffers.set(id, offer);
    call.state = 'ringing';
    call.offerId = id;
    agent.offerId = id;
    this.emit({
      type: 'offer.sent',
      sessionId: call.sessionId,
      offerId: id,
      agentId: agent.id,
      expiresAt,
      queue: call.queue,
      callerName: call.callerName,
      reason: call.reason,
      direct,
      ...(call.transferNote !== undefined ? { transferNote: call.transferNote } : {}),
    });
    return id;
  }

  private expire(offerId: string): void {
    const offer = this.liveOffers.get(offerId);
    if (!offer) return;
    const call = this.calls.get(offer.sessionId) as CallRecord;
    const agent = this.agents.get(offer.agentId) as AgentRecord;
    this.settle(offer, 'expired');
    agent.offerId = undefined;
    call.passedBy.set(agent.id, this.clock.now());
    this.emit({ type: 'offer.expired', sessionId: call.sessionId, offerId, agentId: agent.id });
    if (this.awayAfterMissedOffer) this.changePresence(agent, 'away', 'missed_offer');
    this.returnToLine(call, offer);
    this.dispatch();
  }

  /** Withdraws a live offer; unless the call itself is gone, it goes back in line. */
  private revoke(offer: OfferRecord, reason: RevokeReason): void {
    const call = this.calls.get(offer.sessionId) as CallRecord;
    const agent = this.agents.get(offer.agentId) as AgentRecord;
    this.settle(offer, 'revoked', reason);
    agent.offerId = undefined;
    this.emit({ type: 'offer.revoked', sessionId: offer.sessionId, offerId: offer.id, agentId: agent.id, reason });
    if (reason !== 'call_gone') this.returnToLine(call, offer);
  }

  /** After an offer ends unanswered: the call waits again, a named-agent transfer at the front of its queue. */
  private returnToLine(call: CallRecord, offer: OfferRecord): void {
    call.state = 'waiting';
    call.offerId = undefined;
    if (offer.direct && !call.inQueue) this.insertIntoQueue(call, true);
  }

  private releaseHeldCall(call: CallRecord, agent: AgentRecord, why: 'agent_ended' | RemoveReason): void {
    const now = this.clock.now();
    this.calls.delete(call.sessionId);
    agent.sessionId = undefined;
    this.emit({ type: 'call.released', sessionId: call.sessionId, agentId: agent.id, why, handledMs: now - (call.acceptedAt ?? now) });
    this.changePresence(agent, 'wrap_up', 'call_ended');
  }

  private refuseAnswer(
    offer: OfferRecord | undefined,
    offerId: string,
    agentId: string,
  ): { ok: false; reason: OfferAnswerFailure; message: string } | undefined {
    if (!offer) {
      return { ok: false, reason: 'unknown_offer', message: `There is no offer "${offerId}"; take the call from your current offers.` };
    }
    if (offer.agentId !== agentId) {
      return { ok: false, reason: 'not_yours', message: 'This call was offered to another agent; wait for your next offer.' };
    }
    if (offer.status === 'live') return undefined;
    if (offer.revokeReason === 'call_gone' || !this.calls.has(offer.sessionId)) {
      return { ok: false, reason: 'call_gone', message: 'The caller is no longer waiting (they hung up or chose a callback).' };
    }
    const why: Record<Exclude<OfferStatus, 'live'>, string> = {
      expired: 'This offer rang out and went to another agent; set yourself available to get the next call.',
      declined: 'You declined this call; it has been passed on to the next agent.',
      revoked: 'This offer was withdrawn when your status changed; set yourself available to get the next call.',
      accepted: 'This offer was already answered.',
    };
    return { ok: false, reason: 'expired', message: why[offer.status] };
  }

  // ─── bookkeeping ───────────────────────────────────────────────────────────

  /** The named colleague if they can take a call right now, else why not (with what to do instead). */
  private freeColleague(
    from: AgentRecord,
    agentId: string,
    sameAgentMessage: string,
    busyAdvice: string,
  ): AgentRecord | { ok: false; reason: 'unknown_agent' | 'same_agent' | 'agent_unavailable'; message: string } {
    const to = this.agents.get(agentId);
    if (!to) return { ok: false, reason: 'unknown_agent', message: `There is no agent "${agentId}"; pick a colleague or a queue.` };
    if (to.id === from.id) return { ok: false, reason: 'same_agent', message: sameAgentMessage };
    if (this.isFree(to)) return to;
    const doing = to.offerId || to.consultSessionId ? 'answering another call' : to.presence.replace('_', ' ');
    return { ok: false, reason: 'agent_unavailable', message: `${to.name} is ${doing} right now; ${busyAdvice}` };
  }

  private isFree(agent: AgentRecord): boolean {
    return agent.presence === 'available' && agent.offerId === undefined && agent.sessionId === undefined && agent.consultSessionId === undefined;
  }

  private changePresence(agent: AgentRecord, presence: AgentPresence, cause: PresenceCause): void {
    const previous = agent.presence;
    if (previous === presence) return;
    const now = this.clock.now();
    // Whoever stops being available cannot keep ringing: the call goes to someone who can answer.
    if (presence !== 'available' && agent.offerId) {
      const offer = this.liveOffers.get(agent.offerId);
      if (offer) this.revoke(offer, 'agent_unavailable');
    }
    if (previous === 'wrap_up' && agent.handling) {
      this.handleTimes.record(agent.handling.queue, now - agent.handling.acceptedAt);
      agent.handling = undefined;
    }
    agent.presence = presence;
    agent.presenceSince = now;
    delete agent.sinceUnknown;
    agent.idleSince = presence === 'available' ? now : undefined;
    this.emit({ type: 'presence.changed', agentId: agent.id, presence, previous, cause });
  }

  private settle(offer: OfferRecord, status: Exclude<OfferStatus, 'live'>, revokeReason?: RevokeReason): void {
    offer.status = status;
    offer.revokeReason = revokeReason;
    this.clock.clearTimeout(offer.timer);
    this.liveOffers.delete(offer.id);
    this.settledOffers.set(offer.id, offer);
    // Remember only recent offers: enough to explain a late click, without growing forever.
    while (this.settledOffers.size > this.settledOfferMemory) {
      const oldest = this.settledOffers.keys().next().value as string;
      this.settledOffers.delete(oldest);
    }
  }

  private insertIntoQueue(call: CallRecord, front: boolean): void {
    call.front = front;
    call.inQueue = true;
    const line = this.queues[call.queue];
    let at = line.findIndex((other) => lineOrder(call, other) < 0);
    if (at < 0) at = line.length;
    line.splice(at, 0, call);
    this.emit({ type: 'queue.entered', sessionId: call.sessionId, queue: call.queue, position: at + 1, transferred: front });
  }

  private removeFromQueue(call: CallRecord): void {
    if (!call.inQueue) return;
    const line = this.queues[call.queue];
    const at = line.indexOf(call);
    if (at >= 0) line.splice(at, 1);
    call.inQueue = false;
  }

  private positionOfCall(call: CallRecord): QueuePosition | undefined {
    if (!call.inQueue) return undefined;
    const ahead = this.queues[call.queue].indexOf(call);
    const staffed = Math.max(1, [...this.agents.values()].filter((a) => a.skills.has(call.queue) && isStaffed(a.presence)).length);
    // One average handle time per caller ahead and for this caller's own turn, shared across the staffed agents.
    const estimatedWaitMs = Math.round(((ahead + 1) * this.handleTimes.average(call.queue)) / staffed);
    return { queue: call.queue, position: ahead + 1, ahead, estimatedWaitMs, ringing: call.state === 'ringing' };
  }

  private viewAgent(agent: AgentRecord): AgentView {
    const offer = agent.offerId ? this.liveOffers.get(agent.offerId) : undefined;
    return {
      id: agent.id,
      name: agent.name,
      skills: [...agent.skills],
      presence: agent.presence,
      presenceSince: agent.presenceSince,
      ...(agent.idleSince !== undefined ? { idleSince: agent.idleSince } : {}),
      ...(offer ? { offer: { offerId: offer.id, sessionId: offer.sessionId, expiresAt: offer.expiresAt } } : {}),
      ...(agent.sessionId ? { sessionId: agent.sessionId } : {}),
      ...(agent.consultSessionId ? { consultSessionId: agent.consultSessionId } : {}),
      free: this.isFree(agent),
    };
  }

  private emit(event: RoutingEvent): void {
    this.outbox.push(event);
  }

  private run<T>(step: () => T): T {
    try {
      return step();
    } finally {
      this.flush();
    }
  }

  private flush(): void {
    // A listener that calls back into the router lands here again; the outer loop delivers its events in order.
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let event = this.outbox.shift(); event; event = this.outbox.shift()) {
        try {
          this.onEvent(event);
        } catch (error) {
          this.onEventError(error, event);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

function languageTag(code: string): string {
  return code.split('-')[0]!.toLowerCase();
}

/** Line order: transferred calls first, then by arrival time, then by arrival order. */
function lineOrder(a: CallRecord, b: CallRecord): number {
  if (a.front !== b.front) return a.front ? -1 : 1;
  return a.enqueuedAt - b.enqueuedAt || a.order - b.order;
}

function unknownAgent(agentId: string): { ok: false; reason: 'unknown_agent'; message: string } {
  return { ok: false, reason: 'unknown_agent', message: `Agent "${agentId}" is not signed in to routing; sign in again.` };
}

function positive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number; got ${value}.`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be zero or more; got ${value}.`);
  return value;
}
