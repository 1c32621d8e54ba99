// The safety property routing exists for: two agents never hold the same call and one
// agent never holds two, whatever order accepts, declines, expiries, presence changes,
// hang-ups and transfers arrive in. 100 escalations meet 30 agents under interleavings
// drawn from a seeded PRNG (so a failure replays exactly); the invariants are checked on
// every event and after every step, and at the end every call is accounted for.
import { describe, expect, it } from 'vitest';
import type { QueueSkill } from '../../../contracts/conversation';
import { FakeClock } from '../../src/routing/clock';
import type { RoutingEvent } from '../../src/routing/events';
import type { AgentPresence } from '../../src/routing/presence';
import { Router } from '../../src/routing/router';
import { seededRandom } from '../../../scripts/seeded-random';

const QUEUES: QueueSkill[] = ['billing', 'orders', 'general'];
const CALLS = 100;
const AGENTS = 30;
const STEPS = 4_000;

/** A plain check: expect() on every one of ~10^6 comparisons would dominate the run time. */
function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`invariant broken: ${message}`);
}


/** What the event stream says the world looks like; checked against the router's own views. */
class EventModel {
  readonly offerBySession = new Map<string, { offerId: string; agentId: string; direct: boolean }>();
  readonly offerByAgent = new Map<string, string>();
  readonly holderBySession = new Map<string, string>();
  readonly heldByAgent = new Map<string, string>();
  readonly presence = new Map<string, AgentPresence>();
  readonly passedBy = new Map<string, Set<string>>();
  readonly settledOffers = new Set<string>();
  readonly accepted = new Set<string>();
  readonly gone = new Set<string>();
  readonly entered = new Set<string>();
  acceptedCount = 0;

  constructor(private readonly skillsOf: Map<string, QueueSkill[]>) {}

  apply(e: RoutingEvent): void {
    switch (e.type) {
      case 'queue.entered':
        this.entered.add(e.sessionId);
        break;
      case 'offer.sent': {
        check(!this.offerBySession.has(e.sessionId), `second live offer for ${e.sessionId}`);
        check(!this.offerByAgent.has(e.agentId), `second live offer for agent ${e.agentId}`);
        check(!this.holderBySession.has(e.sessionId), `offer for held call ${e.sessionId}`);
        check(!this.heldByAgent.has(e.agentId), `offer to agent ${e.agentId} on a call`);
        check(this.presence.get(e.agentId) === 'available', `offer to ${e.agentId} who is not available`);
        if (!e.direct) check(this.skillsOf.get(e.agentId)?.includes(e.queue) === true, `${e.queue} call offered to ${e.agentId} without the skill`);
        this.offerBySession.set(e.sessionId, { offerId: e.offerId, agentId: e.agentId, direct: e.direct });
        this.offerByAgent.set(e.agentId, e.offerId);
        break;
      }
      case 'offer.declined':
      case 'offer.expired':
      case 'offer.revoked': {
        this.settle(e.sessionId, e.offerId, e.agentId);
        if (e.type !== 'offer.revoked') this.passes(e.sessionId).add(e.agentId);
        break;
      }
      case 'agent.accepted': {
        this.settle(e.sessionId, e.offerId, e.agentId);
        check(!this.holderBySession.has(e.sessionId), `${e.sessionId} accepted twice`);
        check(!this.heldByAgent.has(e.agentId), `${e.agentId} holds two calls`);
        this.holderBySession.set(e.sessionId, e.agentId);
        this.heldByAgent.set(e.agentId, e.sessionId);
        this.accepted.add(e.sessionId);
        this.acceptedCount++;
        break;
      }
      case 'call.transferred':
        this.release(e.sessionId, e.fromAgentId);
        this.passedBy.set(e.sessionId, new Set([e.fromAgentId]));
        break;
      case 'call.released':
        this.release(e.sessionId, e.agentId);
        this.gone.add(e.sessionId);
        break;
      case 'queue.left':
        check(!this.offerBySession.has(e.sessionId), `${e.sessionId} left with an offer still live`);
        this.gone.add(e.sessionId);
        break;
      case 'presence.changed':
        check((this.presence.get(e.agentId) ?? 'offline') === e.previous, `${e.agentId} changed from a presence it was not in`);
        if (e.presence !== 'available') check(!this.offerByAgent.has(e.agentId), `${e.agentId} left available while ringing`);
        check((e.presence === 'on_call') === this.heldByAgent.has(e.agentId), `${e.agentId} on_call without a call, or a call without on_call`);
        this.presence.set(e.agentId, e.presence);
        break;
    }
  }

  passes(sessionId: string): Set<string> {
    let set = this.passedBy.get(sessionId);
    if (!set) this.passedBy.set(sessionId, (set = new Set()));
    return set;
  }

  private settle(sessionId: string, offerId: string, agentId: string): void {
    const live = this.offerBySession.get(sessionId);
    check(live?.offerId === offerId && live.agentId === agentId, `settling ${offerId} which is not live`);
    check(!this.settledOffers.has(offerId), `${offerId} settled twice`);
    this.settledOffers.add(offerId);
    this.offerBySession.delete(sessionId);
    this.offerByAgent.delete(agentId);
  }

  private release(sessionId: string, agentId: string): void {
    check(this.holderBySession.get(sessionId) === agentId, `${agentId} released ${sessionId} without holding it`);
    this.holderBySession.delete(sessionId);
    this.heldByAgent.delete(agentId);
  }
}

function checkAgainstRouter(router: Router, model: EventModel, agentIds: string[], skillsOf: Map<string, QueueSkill[]>): void {
  const holders = new Map<string, string>();
  const idleFree: string[] = [];
  for (const id of agentIds) {
    const a = router.agent(id);
    if (!a) throw new Error(`agent ${id} vanished`);
    check(a.presence === (model.presence.get(id) ?? 'offline'), `${id} presence ${a.presence} disagrees with the events`);
    check(a.offer?.offerId === model.offerByAgent.get(id), `${id} rings with ${a.offer?.offerId}, events say ${model.offerByAgent.get(id)}`);
    check(a.sessionId === model.heldByAgent.get(id), `${id} holds ${a.sessionId}, events say ${model.heldByAgent.get(id)}`);
    check((a.presence === 'on_call') === (a.sessionId !== undefined), `${id} is ${a.presence} holding ${a.sessionId}`);
    if (a.offer) check(a.presence === 'available' && a.sessionId === undefined, `${id} rings while ${a.presence}`);
    if (a.presence === 'available' && !a.offer && !a.sessionId) idleFree.push(id);
    if (a.sessionId) {
      check(!holders.has(a.sessionId), `two agents hold ${a.sessionId}: ${holders.get(a.sessionId)} and ${id}`);
      holders.set(a.sessionId, id);
      const c = router.call(a.sessionId);
      check(c?.state === 'held' && c.agentId === id, `${a.sessionId} does not know ${id} holds it`);
    }
  }
  for (const sessionId of router.sessionIds()) {
    const c = router.call(sessionId);
    if (!c) throw new Error(`call ${sessionId} vanished`);
    check((c.state === 'held') === holders.has(sessionId), `${sessionId} is ${c.state} but held by ${holders.get(sessionId)}`);
    check(c.offer?.offerId === model.offerBySession.get(sessionId)?.offerId, `${sessionId} offer disagrees with the events`);
    check((c.state === 'ringing') === (c.offer !== undefined), `${sessionId} is ${c.state} with offer ${c.offer?.offerId}`);
    // Liveness: nobody free and fresh for a waiting call's skill may sit idle beside it.
    if (c.state === 'waiting') {
      const passed = model.passedBy.get(sessionId);
      const stranded = idleFree.find((id) => skillsOf.get(id)?.includes(c.queue) && !passed?.has(id));
      check(stranded === undefined, `${sessionId} waits in ${c.queue} while ${stranded} is idle`);
    }
  }
  const snap = router.snapshot();
  const inLine = QUEUES.reduce((n, q) => n + snap.queues[q].waiting, 0);
  check(inLine <= router.sessionIds().length, 'the snapshot shows more calls in line than exist');
  check(Object.values(snap.agents).reduce((n, list) => n + list.length, 0) === agentIds.length, 'the snapshot lost an agent');
}

function pick<T>(rand: () => number, items: T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(rand() * items.length)];
}

describe('Router invariants under random interleavings', () => {
  it.each([1, 7, 42, 1234, 99_991])('seed %i: 100 escalations, 30 agents, never a shared or double-held call', (seed) => {
    const rand = seededRandom(seed);
    const clock = new FakeClock(0);
    const skillsOf = new Map<string, QueueSkill[]>();
    const agentIds = Array.from({ length: AGENTS }, (_, i) => `agent-${i}`);
    for (const id of agentIds) {
      const skills = QUEUES.filter(() => rand() < 0.5);
      skillsOf.set(id, skills.length > 0 ? skills : [pick(rand, QUEUES) as QueueSkill]);
    }
    const model = new EventModel(skillsOf);
    const router = new Router({
      clock,
      offerTimeoutMs: 20_000,
      declineCooldownMs: 5_000,
      awayAfterMissedOffer: seed % 2 === 1,
      onEvent: (e) => model.apply(e),
      onEventError: (error) => {
        throw error;
      },
    });
    for (const id of agentIds) router.registerAgent({ id, name: id, skills: skillsOf.get(id) ?? [] });

    let enqueued = 0;
    const stats = { accepts: 0, refusedAccepts: 0, declines: 0, transfers: 0, removed: 0, races: 0 };
    const liveOffers = () => [...model.offerBySession.entries()].map(([sessionId, o]) => ({ sessionId, ...o }));
    const enqueueOne = () => {
      const n = enqueued++;
      router.enqueue({
        sessionId: `call-${n}`,
        queue: pick(rand, QUEUES) as QueueSkill,
        callerName: `Caller ${n}`,
        callerId: `+1555${n}`,
        reason: 'caller_request',
        enqueuedAt: clock.now() - Math.floor(rand() * 1000),
      });
    };

    for (let step = 0; step < STEPS; step++) {
      const r = rand();
      if (enqueued < CALLS && r < 0.15) {
        enqueueOne();
      } else if (r < 0.35) {
        // Accept races: the right agent, and sometimes a colleague clicking the same toast first.
        const o = pick(rand, liveOffers());
        if (o) {
          if (rand() < 0.3) {
            const other = pick(rand, agentIds.filter((id) => id !== o.agentId)) as string;
            expect(router.accept(o.offerId, other)).toMatchObject({ ok: false, reason: 'not_yours' });
            stats.races++;
          }
          expect(router.accept(o.offerId, o.agentId)).toEqual({ ok: true, sessionId: o.sessionId });
          stats.accepts++;
        }
      } else if (r < 0.42) {
        const o = pick(rand, liveOffers());
        if (o) {
          expect(router.decline(o.offerId, o.agentId)).toMatchObject({ ok: true });
          stats.declines++;
        }
      } else if (r < 0.47) {
        // A stale click on an offer that is no longer live is always refused.
        const stale = pick(rand, [...model.settledOffers]);
        if (stale) {
          const agentId = pick(rand, agentIds) as string;
          const result = router.accept(stale, agentId);
          const holds = router.agent(agentId)?.sessionId;
          if (result.ok) expect(holds).toBe(result.sessionId);
          else stats.refusedAccepts++;
        }
      } else if (r < 0.6) {
        clock.advance(Math.floor(rand() * 12_000));
      } else if (r < 0.75) {
        const id = pick(rand, agentIds) as string;
        const presence = pick(rand, ['available', 'available', 'available', 'away', 'offline', 'wrap_up'] as const) as Exclude<AgentPresence, 'on_call'>;
        const before = model.presence.get(id);
        // Only an agent on a call is refused: they must end or transfer it first.
        expect(router.setPresence(id, presence).ok).toBe(before !== 'on_call');
      } else if (r < 0.83) {
        const id = pick(rand, [...model.heldByAgent.keys()]);
        if (id) expect(router.endCall(id)).toMatchObject({ ok: true });
      } else if (r < 0.9) {
        const id = pick(rand, agentIds.filter((a) => model.presence.get(a) === 'wrap_up'));
        if (id) expect(router.finishWrapUp(id)).toEqual({ ok: true });
      } else if (r < 0.95) {
        const held = pick(rand, [...model.heldByAgent.entries()]);
        if (held) {
          const [from, sessionId] = held;
          const target = rand() < 0.5 ? { queue: pick(rand, QUEUES) as QueueSkill } : { agentId: pick(rand, agentIds) as string };
          const result = router.transfer(sessionId, from, target, `note ${step}`);
          if (result.ok) {
            stats.transfers++;
            expect(router.call(sessionId)?.transferNote).toBe(`note ${step}`);
          }
        }
      } else if (r < 0.98) {
        clock.advance(Math.floor(rand() * 500));
      } else {
        // The caller hangs up or takes a callback, wherever the call is.
        const sessionId = pick(rand, router.sessionIds());
        if (sessionId) {
          expect(router.removeCall(sessionId, pick(rand, ['caller_left', 'callback'] as const) as 'caller_left')).toBe(true);
          stats.removed++;
        }
      }
      checkAgainstRouter(router, model, agentIds, skillsOf);
    }
    while (enqueued < CALLS) enqueueOne();

    // Drain: everyone works until the queues are empty; no call may be stranded.
    for (let round = 0; round < 10_000 && router.sessionIds().length > 0; round++) {
      for (const id of agentIds) {
        if (model.presence.get(id) === 'on_call') router.endCall(id);
        else if (model.presence.get(id) === 'wrap_up') router.finishWrapUp(id);
        else if (model.presence.get(id) !== 'available') router.setPresence(id, 'available');
      }
      for (const o of liveOffers()) router.accept(o.offerId, o.agentId);
      clock.advance(1_000);
      checkAgainstRouter(router, model, agentIds, skillsOf);
    }
    expect(router.sessionIds()).toEqual([]);
    for (let n = 0; n < CALLS; n++) expect(model.gone.has(`call-${n}`), `call-${n} unaccounted for`).toBe(true);
    expect(stats.accepts).toBeGreaterThan(50);
    expect(stats.declines + stats.transfers + stats.removed + stats.races).toBeGreaterThan(20);
    router.dispose();
  });
});
