// Adapter tests (an in-memory wire we can make lossy, not NATS; the real wire is in
// nats-fanout.test.ts): two backends on one store hear each other's session events in
// order, with no gap and no repeat, whatever the wire drops, repeats or reorders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { ClusterEventFeed, type EventTransport } from '../../src/cluster/event-feed';
import { openDatabase, type SwitchboardDb } from '../../src/store/database';
import { SqlSessionStore, type SessionStore } from '../../src/store/session-store';

/** A seeded wire shared by the backends: each message may be dropped, repeated or held back. */
class LossyWire {
  readonly #ends = new Set<{ deliver: (e: AnySessionEvent) => void; reconnect: Set<() => void> }>();
  readonly #held: Array<() => void> = [];
  #rand: () => number;
  constructor(seed: number, readonly loss: { drop: number; repeat: number; holdBack: number }) {
    let s = seed >>> 0;
    this.#rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  }
  end(): EventTransport {
    const listeners = new Set<(e: AnySessionEvent) => void>();
    const reconnect = new Set<() => void>();
    const me = { deliver: (e: AnySessionEvent) => listeners.forEach((l) => l(e)), reconnect };
    this.#ends.add(me);
    return {
      publish: (event) => {
        for (const other of this.#ends) {
          if (other === me) continue;
          const copy = structuredClone(event);
          const r = this.#rand();
          if (r < this.loss.drop) continue;
          if (r < this.loss.drop + this.loss.holdBack) this.#held.push(() => other.deliver(copy));
          else other.deliver(copy);
          if (this.#rand() < this.loss.repeat) this.#held.push(() => other.deliver(copy));
        }
      },
      onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
      onReconnect: (l) => (reconnect.add(l), () => reconnect.delete(l)),
    };
  }
  /** Lets held-back messages through, newest first (the worst order). */
  release(): void {
    for (const f of this.#held.splice(0).reverse()) f();
  }
  reconnectAll(): void {
    for (const e of this.#ends) e.reconnect.forEach((l) => l());
  }
}

let dir: string;
let dbs: SwitchboardDb[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-feed-'));
  dbs = [];
});
afterEach(async () => {
  for (const db of dbs) await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Two backends: two connections to one database file, each with its own store and feed. */
async function twoBackends(wire: LossyWire): Promise<Array<{ store: SessionStore; feed: ClusterEventFeed; heard: AnySessionEvent[] }>> {
  const out = [];
  for (let i = 0; i < 2; i++) {
    const db = await openDatabase({ filename: join(dir, 'shared.db') });
    dbs.push(db);
    const store = new SqlSessionStore(db);
    const feed = new ClusterEventFeed(store, wire.end());
    const heard: AnySessionEvent[] = [];
    feed.subscribe((e) => heard.push(e));
    out.push({ store, feed, heard });
  }
  return out;
}

const said = (turn: number) => ({ turn, text: `line ${turn}`, source: 'text' as const });
const seqsOf = (events: AnySessionEvent[], sessionId: string) => events.filter((e) => e.sessionId === sessionId).map((e) => e.seq);

describe('cluster event feed over a lossy wire (adapter test)', () => {
  it('hands on every event of both backends in order, once, on both sides', async () => {
    for (const seed of [1, 7, 42]) {
      const wire = new LossyWire(seed, { drop: 0.2, repeat: 0.2, holdBack: 0.2 });
      const [a, b] = await twoBackends(wire);
      const s1 = await a!.store.createSession({ channel: 'voice', callerId: '+15550100001' });
      const s2 = await b!.store.createSession({ channel: 'voice', callerId: '+15550100002' });
      // Both backends write to both sessions, interleaved (a call on one, its agent on the other).
      for (let i = 1; i <= 40; i++) {
        const writer = i % 3 === 0 ? b! : a!;
        await writer.store.appendEvent(i % 2 ? s1.id : s2.id, 'caller.said', said(i));
        if (i % 10 === 0) wire.release();
      }
      // One last event on each session from each side so any trailing gap shows.
      await a!.store.appendEvent(s1.id, 'caller.said', said(98));
      await b!.store.appendEvent(s2.id, 'caller.said', said(99));
      await a!.store.appendEvent(s2.id, 'caller.said', said(100));
      await b!.store.appendEvent(s1.id, 'caller.said', said(101));
      wire.release();
      for (const side of [a!, b!]) {
        await side.feed.settle();
        for (const s of [s1, s2]) {
          const all = (await side.store.listEvents(s.id)).map((e) => e.seq);
          expect(seqsOf(side.heard, s.id), `seed ${seed}`).toEqual(all);
        }
        // What was handed on is exactly what the store holds, payloads included.
        expect(side.heard.filter((e) => e.sessionId === s1.id)).toEqual(await side.store.listEvents(s1.id));
      }
      expect(a!.feed.reread + b!.feed.reread).toBeGreaterThan(0);
      for (const side of [a!, b!]) side.feed.close();
    }
  });

  it('a reconnect re-reads what a silent wire lost (no later event needed)', async () => {
    const wire = new LossyWire(3, { drop: 1, repeat: 0, holdBack: 0 });
    const [a, b] = await twoBackends(wire);
    const s = await a!.store.createSession({ channel: 'voice', callerId: '+15550100001' });
    await b!.store.appendEvent(s.id, 'caller.said', said(1)); // b follows the session from seq 1
    for (let i = 2; i <= 5; i++) await a!.store.appendEvent(s.id, 'caller.said', said(i));
    await b!.feed.settle();
    expect(seqsOf(b!.heard, s.id)).toEqual([1]);
    wire.reconnectAll();
    await b!.feed.settle();
    expect(seqsOf(b!.heard, s.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps an out-of-order event until the store can be read again, then hands on all in order', async () => {
    const wire = new LossyWire(5, { drop: 0, repeat: 0, holdBack: 0 });
    const [a, b] = await twoBackends(wire);
    const s = await a!.store.createSession({ channel: 'voice', callerId: '+15550100001' });
    await a!.store.appendEvent(s.id, 'caller.said', said(1));
    await b!.feed.settle();
    // b's store "goes down" for one read; an event written behind the wire's back makes a gap.
    const realList = b!.store.listEvents.bind(b!.store);
    let failures = 1;
    b!.store.listEvents = async (...args) => {
      if (failures-- > 0) throw new Error('database unavailable');
      return realList(...args);
    };
    await new SqlSessionStore(dbs[0]!).appendEvent(s.id, 'caller.said', said(2)); // committed, never published
    const original = console.error;
    console.error = () => {};
    try {
      await a!.store.appendEvent(s.id, 'caller.said', said(3));
      await b!.feed.settle();
    } finally {
      console.error = original;
    }
    expect(seqsOf(b!.heard, s.id)).toEqual([1, 2, 3]);
  });
});
