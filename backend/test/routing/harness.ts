// A router on a fake clock that records every event it emits, plus small builders, so each
// test reads as the call-center story it checks.
import type { QueueSkill } from '../../../contracts/conversation';
import { FakeClock } from '../../src/routing/clock';
import type { RoutingEvent, RoutingEventType } from '../../src/routing/events';
import { Router, type EnqueueRequest, type RouterOptions } from '../../src/routing/router';

export interface Harness {
  router: Router;
  clock: FakeClock;
  events: RoutingEvent[];
  ofType<T extends RoutingEventType>(type: T): Array<Extract<RoutingEvent, { type: T }>>;
  /** The offer.sent events since the last call to this (what agents were rung with). */
  takeOffers(): Array<Extract<RoutingEvent, { type: 'offer.sent' }>>;
  lastOffer(): Extract<RoutingEvent, { type: 'offer.sent' }>;
  /** Registers an agent and sets them available, one clock tick apart so idle order is explicit. */
  availableAgent(id: string, skills: QueueSkill[]): void;
  call(sessionId: string, queue: QueueSkill, extra?: Partial<EnqueueRequest>): void;
}

export function makeHarness(options: Omit<RouterOptions, 'clock' | 'onEvent'> = {}): Harness {
  const clock = new FakeClock(1_000_000);
  const events: RoutingEvent[] = [];
  let offersSeen = 0;
  let nextOffer = 1;
  const router = new Router({ clock, onEvent: (e) => events.push(e), newOfferId: () => `offer-${nextOffer++}`, ...options });
  const ofType = <T extends RoutingEventType>(type: T) =>
    events.filter((e): e is Extract<RoutingEvent, { type: T }> => e.type === type);
  return {
    router,
    clock,
    events,
    ofType,
    takeOffers() {
      const offers = ofType('offer.sent');
      const fresh = offers.slice(offersSeen);
      offersSeen = offers.length;
      return fresh;
    },
    lastOffer() {
      const offer = ofType('offer.sent').at(-1);
      if (!offer) throw new Error('no offer was sent');
      return offer;
    },
    availableAgent(id, skills) {
      router.registerAgent({ id, name: `Agent ${id}`, skills });
      router.setPresence(id, 'available');
      clock.advance(1);
    },
    call(sessionId, queue, extra = {}) {
      router.enqueue({
        sessionId,
        queue,
        callerName: `Caller ${sessionId}`,
        callerId: `+1555${sessionId}`,
        reason: 'caller_request',
        enqueuedAt: clock.now(),
        ...extra,
      });
    },
  };
}
