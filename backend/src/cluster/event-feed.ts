// Session events from every backend of a cluster, in order. Each backend publishes the
// events its own store committed (after the commit: the store stays the source of truth)
// and hears the others'. Per session, events are handed on strictly by sequence number:
// a duplicate is skipped; an event that arrives ahead of its predecessor (one was lost or
// is late on the wire) makes the feed re-read the log from the store from the last
// sequence it handed on, so nothing is dropped and nothing is handed on twice. After a
// lost connection, every session it follows is re-read the same way.
import type { AnySessionEvent } from '../../../contracts/events';
import type { EventListener, SessionStore } from '../store/session-store';
import type { NatsLink } from './nats-link';

/** Where the live fan-out comes from: the store itself (one backend) or a cluster feed. */
export interface EventFeed {
  subscribe(listener: EventListener): () => void;
}

/** The wire under the feed: NATS in production, a lossy in-memory one in adapter tests. */
export interface EventTransport {
  publish(event: AnySessionEvent): void;
  onEvent(listener: (event: AnySessionEvent) => void): () => void;
  onReconnect(listener: () => void): () => void;
}

interface Track {
  /** The last sequence number handed on for this session. */
  last: number;
  /** Steps for this session run one after another. */
  chain: Promise<void>;
  /** Ended sessions are kept (late events such as a CSAT still come in order) but not resynced. */
  ended: boolean;
}

/** Sessions followed at once; past this the oldest is forgotten (a later event re-reads it from the start). */
const MAX_TRACKED = 20_000;
const RETRY_MS = 1000;

export class ClusterEventFeed implements EventFeed {
  readonly #store: SessionStore;
  readonly #listeners = new Set<EventListener>();
  readonly #tracks = new Map<string, Track>();
  readonly #unhook: Array<() => void> = [];
  #closed = false;
  /** Events re-read from the store after a gap (tests and monitoring). */
  reread = 0;

  constructor(store: SessionStore, transport: EventTransport) {
    this.#store = store;
    this.#unhook.push(
      store.subscribe((event) => {
        transport.publish(event);
        this.#accept(event);
      }),
      transport.onEvent((event) => this.#accept(event)),
      transport.onReconnect(() => this.#resyncAll()),
    );
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves when every event heard so far has been handed on (tests, shutdown). */
  async settle(): Promise<void> {
    let pending: Array<Promise<void>>;
    do {
      pending = [...this.#tracks.values()].map((t) => t.chain);
      await Promise.all(pending);
    } while ([...this.#tracks.values()].some((t, i) => t.chain !== pending[i]));
  }

  close(): void {
    this.#closed = true;
    for (const u of this.#unhook) u();
  }

  #accept(event: AnySessionEvent): void {
    if (this.#closed) return;
    let track = this.#tracks.get(event.sessionId);
    if (!track) {
      // Every session starts at seq 1: a first event heard later than that (its predecessors
      // were lost, or this backend started mid-call) is a gap like any other.
      track = { last: 0, chain: Promise.resolve(), ended: false };
      this.#tracks.set(event.sessionId, track);
      if (this.#tracks.size > MAX_TRACKED) this.#tracks.delete(this.#tracks.keys().next().value!);
    }
    const t = track;
    t.chain = t.chain.then(() => this.#step(event.sessionId, t, event));
  }

  async #step(sessionId: string, track: Track, event: AnySessionEvent | undefined): Promise<void> {
    if (event !== undefined && event.seq <= track.last) return;
    if (event !== undefined && event.seq === track.last + 1) {
      this.#deliver(track, event);
    } else {
      // A gap (or a resync): the store has every event up to this one, committed in order.
      for (;;) {
        try {
          const missing = await this.#store.listEvents(sessionId, track.last);
          for (const e of missing) {
            this.reread++;
            this.#deliver(track, e);
          }
          break;
        } catch (err) {
          if (this.#closed) return;
          console.error(`event feed: re-reading session ${sessionId} after seq ${track.last} failed (${(err as Error).message}); retrying`);
          await new Promise((r) => setTimeout(r, RETRY_MS));
        }
      }
    }
  }

  #deliver(track: Track, event: AnySessionEvent): void {
    if (event.seq !== track.last + 1) return;
    track.last = event.seq;
    if (event.type === 'session.ended') track.ended = true;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        console.error(`event feed listener failed on ${event.type}:`, err);
      }
    }
  }

  #resyncAll(): void {
    for (const [sessionId, track] of this.#tracks) if (!track.ended) track.chain = track.chain.then(() => this.#step(sessionId, track, undefined));
  }
}

/** Session events over NATS: one subject per cluster, the session id inside the message. */
export function natsEventTransport(link: NatsLink): EventTransport {
  return {
    publish: (event) => link.publish('events', event),
    onEvent: (listener) =>
      link.subscribe('events', (value) => {
        const e = value as Partial<AnySessionEvent>;
        if (typeof e?.sessionId !== 'string' || !Number.isInteger(e.seq) || (e.seq ?? 0) < 1 || typeof e.type !== 'string') {
          return console.error('event feed: ignored a malformed event message');
        }
        listener(e as AnySessionEvent);
      }),
    onReconnect: (listener) => link.onReconnect(listener),
  };
}

/**
 * The store as the agent hub sees it: every call goes to the store, except `subscribe`,
 * which hears the whole cluster. A Proxy, so methods added to the store port later pass
 * through unchanged.
 */
export function storeWithFeed(store: SessionStore, feed: EventFeed): SessionStore {
  if ((feed as unknown) === store) return store;
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'subscribe') return (listener: EventListener) => feed.subscribe(listener);
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
