// Routing behaviour, one call-center story per test: who gets rung, in which order, what
// happens when an offer is declined, missed or withdrawn, transfers, and wait estimates.
// Time only moves through the FakeClock.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/routing/clock';
import { AgentPresence } from '../../src/routing/presence';
import { Router } from '../../src/routing/router';
import { isSessionRoutingEvent } from '../../src/routing/events';
import { makeHarness } from './harness';

describe('Router: who gets the call', () => {
  it('offers a call to the longest-idle available agent', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['billing']);
    h.availableAgent('ben', ['billing']);
    h.availableAgent('cy', ['billing']);
    // ana finishes a call and comes back: she is now the most recently idle.
    h.router.setPresence('ana', 'away');
    h.router.setPresence('ana', 'available');
    h.clock.advance(1);

    h.call('s1', 'billing');
    expect(h.lastOffer()).toMatchObject({ sessionId: 's1', agentId: 'ben', queue: 'billing', direct: false });
    h.call('s2', 'billing');
    expect(h.lastOffer()).toMatchObject({ sessionId: 's2', agentId: 'cy' });
    h.call('s3', 'billing');
    expect(h.lastOffer()).toMatchObject({ sessionId: 's3', agentId: 'ana' });
  });

  it('respects skills: a billing call never rings an orders-only agent', () => {
    const h = makeHarness();
    h.availableAgent('orders-only', ['orders']);
    h.call('s1', 'billing');
    expect(h.ofType('offer.sent')).toHaveLength(0);
    expect(h.router.positionOf('s1')).toMatchObject({ queue: 'billing', position: 1, ringing: false });

    h.availableAgent('biller', ['billing']);
    expect(h.lastOffer()).toMatchObject({ sessionId: 's1', agentId: 'biller' });
    expect(h.ofType('offer.sent').every((o) => o.agentId !== 'orders-only')).toBe(true);
  });

  it('serves calls first in, first out, across the queues an agent can take', () => {
    const h = makeHarness();
    h.call('late-billing', 'billing', { enqueuedAt: h.clock.now() + 20 });
    h.call('early-orders', 'orders', { enqueuedAt: h.clock.now() + 10 });
    h.call('earliest-billing', 'billing', { enqueuedAt: h.clock.now() + 5 });
    expect(h.ofType('queue.entered').map((e) => [e.sessionId, e.position])).toEqual([
      ['late-billing', 1],
      ['early-orders', 1],
      ['earliest-billing', 1],
    ]);

    h.availableAgent('both', ['billing', 'orders']);
    expect(h.lastOffer().sessionId).toBe('earliest-billing');
    h.router.accept(h.lastOffer().offerId, 'both');
    h.router.endCall('both');
    h.router.finishWrapUp('both');
    expect(h.lastOffer().sessionId).toBe('early-orders');
    h.router.accept(h.lastOffer().offerId, 'both');
    h.router.endCall('both');
    h.router.finishWrapUp('both');
    expect(h.lastOffer().sessionId).toBe('late-billing');
  });

  it('orders calls with the same enqueuedAt by arrival', () => {
    const h = makeHarness();
    const at = h.clock.now();
    h.call('a', 'general', { enqueuedAt: at });
    h.call('b', 'general', { enqueuedAt: at });
    expect(h.router.positionOf('a')?.position).toBe(1);
    expect(h.router.positionOf('b')?.position).toBe(2);
  });

  it('refuses to enqueue a session twice', () => {
    const h = makeHarness();
    h.call('s1', 'general');
    expect(() => h.call('s1', 'billing')).toThrow(/already in routing/);
  });
});

describe('Router: offers', () => {
  it('expires an unanswered offer, sets the agent away and rings the next agent', () => {
    const h = makeHarness({ offerTimeoutMs: 20_000 });
    h.availableAgent('ana', ['general']);
    h.availableAgent('ben', ['general']);
    h.call('s1', 'general');
    const first = h.lastOffer();
    expect(first).toMatchObject({ agentId: 'ana', expiresAt: h.clock.now() + 20_000 });

    h.clock.advance(19_999);
    expect(h.ofType('offer.expired')).toHaveLength(0);
    h.clock.advance(1);
    expect(h.ofType('offer.expired')).toEqual([{ type: 'offer.expired', sessionId: 's1', offerId: first.offerId, agentId: 'ana' }]);
    expect(h.router.agent('ana')?.presence).toBe('away');
    expect(h.ofType('presence.changed').at(-1)).toMatchObject({ agentId: 'ana', presence: 'away', cause: 'missed_offer' });
    expect(h.lastOffer()).toMatchObject({ sessionId: 's1', agentId: 'ben' });
  });

  it('can leave the agent available after a missed offer, ringing the others first', () => {
    const h = makeHarness({ awayAfterMissedOffer: false, declineCooldownMs: 10_000 });
    h.availableAgent('ana', ['general']);
    h.availableAgent('ben', ['general']);
    h.call('s1', 'general');
    h.clock.advance(20_000);
    expect(h.router.agent('ana')?.presence).toBe('available');
    expect(h.lastOffer().agentId).toBe('ben');
  });

  it('sends a declined call to the next longest-idle agent, not back to the decliner', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['general']);
    h.availableAgent('ben', ['general']);
    h.availableAgent('cy', ['general']);
    h.call('s1', 'general');
    const first = h.lastOffer();
    expect(h.router.decline(first.offerId, 'ana')).toEqual({ ok: true, sessionId: 's1' });
    expect(h.ofType('offer.declined')).toEqual([{ type: 'offer.declined', sessionId: 's1', offerId: first.offerId, agentId: 'ana' }]);
    expect(h.lastOffer()).toMatchObject({ sessionId: 's1', agentId: 'ben' });
    h.router.decline(h.lastOffer().offerId, 'ben');
    expect(h.lastOffer()).toMatchObject({ sessionId: 's1', agentId: 'cy' });
    // The decliner stays available and takes the next call.
    h.call('s2', 'general');
    expect(h.lastOffer()).toMatchObject({ sessionId: 's2', agentId: 'ana' });
  });

  it('re-offers to a lone decliner only after the cooldown, and sooner to anyone who turns up', () => {
    const h = makeHarness({ declineCooldownMs: 15_000 });
    h.availableAgent('ana', ['general']);
    h.call('s1', 'general');
    h.router.decline(h.lastOffer().offerId, 'ana');
    h.takeOffers();

    h.clock.advance(14_999);
    expect(h.takeOffers()).toHaveLength(0);
    h.clock.advance(1);
    expect(h.takeOffers()).toMatchObject([{ sessionId: 's1', agentId: 'ana' }]);

    h.router.decline(h.lastOffer().offerId, 'ana');
    h.clock.advance(5_000);
    h.availableAgent('ben', ['general']);
    expect(h.takeOffers()).toMatchObject([{ sessionId: 's1', agentId: 'ben' }]);
  });

  it('accepts: the agent goes on call and the call leaves the queue', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['general']);
    h.clock.advance(4_000);
    h.call('s1', 'general', { enqueuedAt: h.clock.now() - 1_000 });
    const offer = h.lastOffer();
    expect(h.router.accept(offer.offerId, 'ana')).toEqual({ ok: true, sessionId: 's1' });
    expect(h.ofType('agent.accepted')).toEqual([
      { type: 'agent.accepted', sessionId: 's1', offerId: offer.offerId, agentId: 'ana', waitedMs: 1_000 },
    ]);
    expect(h.router.agent('ana')).toMatchObject({ presence: 'on_call', sessionId: 's1' });
    expect(h.router.call('s1')).toMatchObject({ state: 'held', agentId: 'ana' });
    expect(h.router.positionOf('s1')).toBeUndefined();
    // A double click is not an error.
    expect(h.router.accept(offer.offerId, 'ana')).toEqual({ ok: true, sessionId: 's1' });
    expect(h.ofType('agent.accepted')).toHaveLength(1);
  });

  it('refuses an accept after expiry, by someone else, of an unknown offer, or of a call that left', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['general']);
    h.availableAgent('ben', ['general']);
    h.call('s1', 'general');
    const toAna = h.lastOffer();

    const stolen = h.router.accept(toAna.offerId, 'ben');
    expect(stolen).toMatchObject({ ok: false, reason: 'not_yours' });
    expect(h.router.agent('ben')?.presence).toBe('available');

    h.clock.advance(20_000);
    const late = h.router.accept(toAna.offerId, 'ana');
    expect(late).toMatchObject({ ok: false, reason: 'expired' });
    expect(late.ok ? '' : late.message).toMatch(/rang out/);

    expect(h.router.accept('offer-nope', 'ana')).toMatchObject({ ok: false, reason: 'unknown_offer' });

    const toBen = h.lastOffer();
    expect(toBen.agentId).toBe('ben');
    expect(h.router.removeCall('s1', 'caller_left')).toBe(true);
    expect(h.ofType('offer.revoked').at(-1)).toMatchObject({ offerId: toBen.offerId, agentId: 'ben', reason: 'call_gone' });
    expect(h.ofType('queue.left')).toMatchObject([{ sessionId: 's1', why: 'caller_left' }]);
    expect(h.router.accept(toBen.offerId, 'ben')).toMatchObject({ ok: false, reason: 'call_gone' });
    expect(h.router.decline(toBen.offerId, 'ben')).toMatchObject({ ok: false, reason: 'call_gone' });
    expect(h.router.removeCall('s1', 'caller_left')).toBe(false);
  });

  it('revokes and re-offers when a ringing agent goes away or offline', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['general']);
    h.availableAgent('ben', ['general']);
    h.availableAgent('cy', ['general']);
    h.call('s1', 'general');
    const toAna = h.lastOffer();
    h.router.setPresence('ana', 'away');
    expect(h.ofType('offer.revoked')).toEqual([
      { type: 'offer.revoked', sessionId: 's1', offerId: toAna.offerId, agentId: 'ana', reason: 'agent_unavailable' },
    ]);
    expect(h.lastOffer()).toMatchObject({ sessionId: 's1', agentId: 'ben' });
    h.router.setPresence('ben', 'offline');
    expect(h.lastOffer()).toMatchObject({ sessionId: 's1', agentId: 'cy' });
    expect(h.router.accept(toAna.offerId, 'ana')).toMatchObject({ ok: false, reason: 'expired' });
    expect(h.router.accept(h.lastOffer().offerId, 'cy')).toMatchObject({ ok: true });
  });

  it('keeps an on-call agent on the call until it is ended or transferred', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['general']);
    h.call('s1', 'general');
    h.router.accept(h.lastOffer().offerId, 'ana');
    expect(h.router.setPresence('ana', 'offline')).toMatchObject({ ok: false, reason: 'on_call' });
    expect(h.router.setPresence('ana', 'on_call')).toMatchObject({ ok: false, reason: 'not_allowed' });
    expect(h.router.finishWrapUp('ana')).toMatchObject({ ok: false, reason: 'not_in_wrap_up' });
    expect(h.router.endCall('ana')).toEqual({ ok: true, sessionId: 's1' });
    expect(h.ofType('call.released')).toMatchObject([{ sessionId: 's1', agentId: 'ana', why: 'agent_ended' }]);
    expect(h.router.agent('ana')?.presence).toBe('wrap_up');
    expect(h.router.endCall('ana')).toMatchObject({ ok: false, reason: 'no_call' });
    h.clock.advance(30_000);
    expect(h.router.finishWrapUp('ana')).toEqual({ ok: true });
    expect(h.router.agent('ana')).toMatchObject({ presence: 'available', idleSince: h.clock.now() });
    // Handle time = accept to end of wrap-up, measured by the router itself.
    expect(h.router.averageHandleTimeMs('general')).toBe(30_000);
  });

  it('releases the agent into wrap-up when the caller hangs up mid-call', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['general']);
    h.call('s1', 'general');
    h.router.accept(h.lastOffer().offerId, 'ana');
    h.clock.advance(5_000);
    expect(h.router.removeCall('s1', 'caller_left')).toBe(true);
    expect(h.ofType('call.released')).toMatchObject([{ sessionId: 's1', agentId: 'ana', why: 'caller_left', handledMs: 5_000 }]);
    expect(h.router.agent('ana')?.presence).toBe('wrap_up');
    expect(h.router.call('s1')).toBeUndefined();
  });

  it('rejects unknown agents with a message', () => {
    const h = makeHarness();
    expect(h.router.setPresence('ghost', 'available')).toMatchObject({ ok: false, reason: 'unknown_agent' });
    expect(h.router.endCall('ghost')).toMatchObject({ ok: false, reason: 'unknown_agent' });
  });
});

describe('Router: transfers', () => {
  it('moves a call to the front of another queue with its note', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['general']);
    h.call('s1', 'general');
    h.router.accept(h.lastOffer().offerId, 'ana');
    h.call('waiting-billing', 'billing');

    const result = h.router.transfer('s1', 'ana', { queue: 'billing' }, 'Disputed charge on the May invoice');
    expect(result).toEqual({ ok: true });
    expect(h.ofType('call.transferred')).toEqual([
      { type: 'call.transferred', sessionId: 's1', fromAgentId: 'ana', to: { queue: 'billing' }, note: 'Disputed charge on the May invoice' },
    ]);
    expect(h.router.agent('ana')?.presence).toBe('wrap_up');
    expect(h.router.positionOf('s1')).toMatchObject({ queue: 'billing', position: 1 });
    expect(h.router.positionOf('waiting-billing')?.position).toBe(2);
    expect(h.ofType('queue.entered').at(-1)).toMatchObject({ sessionId: 's1', queue: 'billing', position: 1, transferred: true });
    expect(h.router.call('s1')).toMatchObject({ transferNote: 'Disputed charge on the May invoice', transferredFrom: 'ana' });

    h.availableAgent('biller', ['billing']);
    expect(h.lastOffer()).toMatchObject({ sessionId: 's1', agentId: 'biller', transferNote: 'Disputed charge on the May invoice' });
  });

  it('rings a named agent directly, and falls back to the front of the queue if they decline', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['general']);
    h.call('s1', 'general');
    h.router.accept(h.lastOffer().offerId, 'ana');
    h.availableAgent('lead', []);
    h.call('s2', 'general');

    const result = h.router.transfer('s1', 'ana', { agentId: 'lead' }, 'Wants a supervisor');
    expect(result).toEqual({ ok: true, offerId: h.lastOffer().offerId });
    expect(h.lastOffer()).toMatchObject({ sessionId: 's1', agentId: 'lead', direct: true, transferNote: 'Wants a supervisor' });
    expect(h.router.positionOf('s1')).toBeUndefined();

    h.router.decline(h.lastOffer().offerId, 'lead');
    expect(h.router.positionOf('s1')).toMatchObject({ queue: 'general', position: 1 });
    expect(h.router.positionOf('s2')?.position).toBe(2);
  });

  it('accepts a direct transfer and the note stays with the call', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['orders']);
    h.call('s1', 'orders');
    h.router.accept(h.lastOffer().offerId, 'ana');
    h.availableAgent('ben', ['orders']);
    h.router.transfer('s1', 'ana', { agentId: 'ben' }, 'Order 1042 arrived damaged');
    expect(h.router.accept(h.lastOffer().offerId, 'ben')).toEqual({ ok: true, sessionId: 's1' });
    expect(h.router.call('s1')).toMatchObject({ state: 'held', agentId: 'ben', transferNote: 'Order 1042 arrived damaged' });
  });

  it('refuses transfers to busy, unknown or same agents, and of calls the agent does not hold', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['general']);
    h.availableAgent('ben', ['general']);
    h.call('s1', 'general');
    h.call('s2', 'general');
    h.router.accept(h.ofType('offer.sent')[0]!.offerId, 'ana');

    expect(h.router.transfer('s1', 'ana', { agentId: 'ben' }, 'x')).toMatchObject({ ok: false, reason: 'agent_unavailable' });
    h.router.accept(h.lastOffer().offerId, 'ben');
    const busy = h.router.transfer('s1', 'ana', { agentId: 'ben' }, 'x');
    expect(busy).toMatchObject({ ok: false, reason: 'agent_unavailable' });
    expect(busy.ok ? '' : busy.message).toMatch(/transfer to a queue instead/);
    expect(h.router.transfer('s1', 'ana', { agentId: 'ghost' }, 'x')).toMatchObject({ ok: false, reason: 'unknown_agent' });
    expect(h.router.transfer('s1', 'ana', { agentId: 'ana' }, 'x')).toMatchObject({ ok: false, reason: 'same_agent' });
    expect(h.router.transfer('s2', 'ana', { queue: 'billing' }, 'x')).toMatchObject({ ok: false, reason: 'not_your_call' });
    // Refusals leave everything as it was.
    expect(h.router.call('s1')).toMatchObject({ state: 'held', agentId: 'ana' });
    expect(h.ofType('call.transferred')).toHaveLength(0);
  });

  it('offers a transferred call to others before the agent who handed it on', () => {
    const h = makeHarness({ declineCooldownMs: 60_000 });
    h.availableAgent('ana', ['general', 'billing']);
    h.call('s1', 'general');
    h.router.accept(h.lastOffer().offerId, 'ana');
    h.router.transfer('s1', 'ana', { queue: 'billing' }, 'needs a refund');
    h.router.finishWrapUp('ana');
    expect(h.router.call('s1')?.state).toBe('waiting');
    h.availableAgent('biller', ['billing']);
    expect(h.lastOffer()).toMatchObject({ sessionId: 's1', agentId: 'biller' });
  });
});

describe('Router: position, wait estimate and snapshot', () => {
  it('estimates the wait from the default handle time before any history', () => {
    const h = makeHarness();
    h.call('s1', 'billing');
    h.call('s2', 'billing');
    h.call('s3', 'billing');
    // No staffed agents: counted as one, 180 s per caller ahead plus this caller's turn.
    expect(h.router.positionOf('s3')).toEqual({ queue: 'billing', position: 3, ahead: 2, estimatedWaitMs: 540_000, ringing: false });
  });

  it('uses a moving average of recent handle times divided by staffed agents', () => {
    const h = makeHarness({ handleTimeWindow: 3 });
    for (const [id, presence] of [
      ['on-call', 'available'],
      ['wrap', 'available'],
      ['away', 'away'],
      ['off', 'offline'],
    ] as const) {
      h.router.registerAgent({ id, name: id, skills: ['orders'] });
      h.router.setPresence(id, presence);
    }
    h.router.registerAgent({ id: 'billing-only', name: 'b', skills: ['billing'] });
    h.router.setPresence('billing-only', 'available');
    h.call('c1', 'orders');
    h.call('c2', 'orders');
    h.router.accept(h.ofType('offer.sent')[0]!.offerId, 'on-call');
    h.router.accept(h.ofType('offer.sent')[1]!.offerId, 'wrap');
    h.router.endCall('wrap');
    h.call('c3', 'orders');
    h.call('c4', 'orders');

    h.router.recordHandleTime('orders', 1_000_000); // falls out of the 3-call window
    h.router.recordHandleTime('orders', 60_000);
    h.router.recordHandleTime('orders', 120_000);
    h.router.recordHandleTime('orders', 180_000);
    expect(h.router.averageHandleTimeMs('orders')).toBe(120_000);
    // Staffed for orders: on-call (on_call) and wrap (wrap_up); not away, offline or billing-only.
    expect(h.router.positionOf('c4')).toEqual({ queue: 'orders', position: 2, ahead: 1, estimatedWaitMs: 120_000, ringing: false });
    expect(() => h.router.recordHandleTime('orders', -1)).toThrow(RangeError);
  });

  it('reports a ringing call as still in line', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['general']);
    h.call('s1', 'general');
    expect(h.router.positionOf('s1')).toMatchObject({ position: 1, ringing: true });
  });

  it('snapshots waiting calls per queue with the longest wait, and agents by presence', () => {
    const h = makeHarness();
    h.router.registerAgent({ id: 'ana', name: 'Ana', skills: ['billing'] });
    h.router.registerAgent({ id: 'ben', name: 'Ben', skills: ['orders'] });
    h.router.registerAgent({ id: 'cy', name: 'Cy', skills: ['general'] });
    h.router.setPresence('cy', 'away');
    h.call('b1', 'billing');
    h.clock.advance(30_000);
    h.call('b2', 'billing');
    h.clock.advance(10_000);
    h.router.setPresence('ana', 'available');
    h.router.setPresence('ben', 'available');

    const snap = h.router.snapshot();
    expect(snap.at).toBe(h.clock.now());
    expect(snap.queues.billing).toMatchObject({ waiting: 2, ringing: 1, longestWaitMs: 40_000 });
    expect(snap.queues.billing.calls.map((c) => [c.sessionId, c.waitedMs, c.ringing])).toEqual([
      ['b1', 40_000, true],
      ['b2', 10_000, false],
    ]);
    expect(snap.queues.orders).toEqual({ waiting: 0, ringing: 0, longestWaitMs: 0, calls: [] });
    expect(Object.keys(snap.agents).sort()).toEqual([...AgentPresence.options].sort());
    expect(snap.agents.available.map((a) => [a.id, a.ringing])).toEqual([
      ['ana', true],
      ['ben', false],
    ]);
    expect(snap.agents.away.map((a) => a.id)).toEqual(['cy']);
    expect(snap.agents.on_call).toEqual([]);
  });

  it('emits presence changes and labels session-level events', () => {
    const h = makeHarness();
    h.availableAgent('ana', ['general']);
    expect(h.ofType('presence.changed')).toEqual([
      { type: 'presence.changed', agentId: 'ana', presence: 'available', previous: 'offline', cause: 'agent' },
    ]);
    h.call('s1', 'general');
    expect(h.events.filter(isSessionRoutingEvent).map((e) => e.type)).toEqual(['queue.entered', 'offer.sent']);
    expect(isSessionRoutingEvent(h.ofType('presence.changed')[0]!)).toBe(false);
  });
});

describe('Router: event delivery', () => {
  it('delivers events after each step is complete, even to a listener that calls back in', () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    const router: Router = new Router({
      clock,
      newOfferId: () => 'o1',
      onEvent: (e) => {
        seen.push(e.type);
        // An integrator that answers on the agent's behalf as soon as the offer lands.
        if (e.type === 'offer.sent') expect(router.accept('o1', 'ana')).toEqual({ ok: true, sessionId: 's1' });
      },
    });
    router.registerAgent({ id: 'ana', name: 'Ana', skills: ['general'] });
    router.setPresence('ana', 'available');
    router.enqueue({ sessionId: 's1', queue: 'general', callerName: 'C', callerId: '1', reason: 'ai_error', enqueuedAt: 0 });
    expect(seen).toEqual(['presence.changed', 'queue.entered', 'offer.sent', 'agent.accepted', 'presence.changed']);
    expect(router.call('s1')).toMatchObject({ state: 'held', agentId: 'ana' });
  });

  it('keeps routing when a listener throws, timers included', () => {
    const clock = new FakeClock();
    const failed: string[] = [];
    const router = new Router({
      clock,
      onEvent: () => {
        throw new Error('listener down');
      },
      onEventError: (_error, event) => failed.push(event.type),
    });
    router.registerAgent({ id: 'ana', name: 'Ana', skills: ['general'] });
    router.setPresence('ana', 'available');
    router.enqueue({ sessionId: 's1', queue: 'general', callerName: 'C', callerId: '1', reason: 'ai_error', enqueuedAt: 0 });
    clock.advance(20_000);
    expect(failed).toEqual(['presence.changed', 'queue.entered', 'offer.sent', 'offer.expired', 'presence.changed']);
    expect(router.agent('ana')?.presence).toBe('away');
    expect(router.call('s1')?.state).toBe('waiting');
  });
});

describe('language skill', () => {
  it('offers a call only to agents who speak the caller’s language when any exist', () => {
    const h = makeHarness();
    h.router.registerAgent({ id: 'en1', name: 'En', skills: ['general'], languages: ['en-US'] });
    h.router.setPresence('en1', 'available');
    h.clock.advance(1);
    h.router.registerAgent({ id: 'es1', name: 'Es', skills: ['general'], languages: ['en-US', 'es-MX'] });
    h.router.setPresence('es1', 'available');
    h.call('s-es', 'general', { language: 'es-ES' });
    expect(h.lastOffer().agentId).toBe('es1');
    expect(h.router.call('s-es')).toMatchObject({ language: 'es-ES' });
    expect(h.router.call('s-es')?.languageUnmatched).toBeUndefined();
  });

  it('waits for a speaker at work who is busy rather than offering it to another agent', () => {
    const h = makeHarness();
    h.router.registerAgent({ id: 'es1', name: 'Es', skills: ['general'], languages: ['es-ES'] });
    h.router.setPresence('es1', 'available');
    h.call('s-es1', 'general', { language: 'es-ES' });
    expect(h.takeOffers().map((o) => o.agentId)).toEqual(['es1']);
    h.availableAgent('en1', ['general']);
    h.call('s-es2', 'general', { language: 'es-ES' });
    expect(h.takeOffers()).toEqual([]);
  });

  it('with no agent at work speaking it (an offline speaker does not count), any agent is offered the call, marked unmatched', () => {
    const h = makeHarness();
    h.router.registerAgent({ id: 'es1', name: 'Es', skills: ['general'], languages: ['es-ES'] });
    h.availableAgent('en1', ['general']);
    h.call('s-de', 'general', { language: 'de-DE' });
    expect(h.lastOffer().agentId).toBe('en1');
    expect(h.router.call('s-de')).toMatchObject({ language: 'de-DE', languageUnmatched: true });
    h.call('s-es', 'general', { language: 'es-ES' });
    expect(h.router.call('s-es')).toMatchObject({ language: 'es-ES', languageUnmatched: true });
  });
});

describe('Router: a new cluster leader takes over (restore)', () => {
  const base = { callerName: 'Caller', callerId: '+15550001', reason: 'caller_request' as const };

  it('keeps a ringing offer under its id, holds held calls, and offers waiting calls oldest first, logging nothing twice', () => {
    const h = makeHarness();
    for (const id of ['ana', 'ben', 'cy']) h.router.registerAgent({ id, name: id, skills: ['billing'] });
    const now = h.clock.now();
    h.router.restore({
      presence: [
        { agentId: 'ana', presence: 'available' },
        { agentId: 'ben', presence: 'on_call' },
        { agentId: 'cy', presence: 'available' },
      ],
      calls: [
        { ...base, sessionId: 'ringing', queue: 'billing', enqueuedAt: now - 50, offer: { offerId: 'old-offer', agentId: 'ana', expiresAt: now + 5000 } },
        { ...base, sessionId: 'held', queue: 'billing', enqueuedAt: now - 90, agentId: 'ben' },
        { ...base, sessionId: 'young', queue: 'billing', enqueuedAt: now - 10 },
        { ...base, sessionId: 'old', queue: 'billing', enqueuedAt: now - 40 },
      ],
    });
    // Nothing the old leader logged is logged again.
    expect(h.ofType('queue.entered')).toHaveLength(0);
    expect(h.ofType('presence.changed')).toHaveLength(0);
    // The only free agent gets the oldest waiting call; the kept offer is still answerable.
    expect(h.takeOffers().map((o) => [o.sessionId, o.agentId])).toEqual([['old', 'cy']]);
    expect(h.router.agent('ben')).toMatchObject({ presence: 'on_call', sessionId: 'held' });
    expect(h.router.accept('old-offer', 'ana')).toEqual({ ok: true, sessionId: 'ringing' });
    // 'old' still rings cy, so it is in line ahead of 'young'.
    expect(h.router.positionOf('young')).toMatchObject({ position: 2 });
  });

  it('lets a kept offer ring out on time, and drops an expired one or one whose agent is no longer free', () => {
    const h = makeHarness({ offerTimeoutMs: 20_000 });
    h.router.registerAgent({ id: 'ana', name: 'ana', skills: ['billing'] });
    h.router.registerAgent({ id: 'ben', name: 'ben', skills: ['billing'] });
    const now = h.clock.now();
    h.router.restore({
      presence: [
        { agentId: 'ana', presence: 'available' },
        { agentId: 'ben', presence: 'away' },
      ],
      calls: [
        { ...base, sessionId: 's1', queue: 'billing', enqueuedAt: now - 20, offer: { offerId: 'o1', agentId: 'ana', expiresAt: now + 3000 } },
        { ...base, sessionId: 's2', queue: 'billing', enqueuedAt: now - 10, offer: { offerId: 'o2', agentId: 'ben', expiresAt: now + 3000 } },
      ],
    });
    expect(h.router.call('s2')?.state).toBe('waiting');
    h.clock.advance(3000);
    expect(h.ofType('offer.expired').map((e) => e.offerId)).toEqual(['o1']);
    expect(h.router.accept('o2', 'ben')).toMatchObject({ ok: false, reason: 'unknown_offer' });
    // Restoring a call already known changes nothing.
    h.router.restore({ presence: [], calls: [{ ...base, sessionId: 's1', queue: 'orders', enqueuedAt: now }] });
    expect(h.router.call('s1')?.queue).toBe('billing');
  });
});
