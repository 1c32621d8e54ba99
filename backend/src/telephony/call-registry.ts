// The CallRegistry is the one owner of live calls: it admits a call up to the server's
// capacity (or refuses it), learns the session the call opened, holds every resource the call
// acquired (the voice pipeline, its socket, engine streams) with the hook that releases it, and
// ends the call exactly once: the first reason given wins, every hook runs even when another
// throws or hangs, and the slot is freed whatever happens. Carriers and engines only report
// ("this failed", "the socket closed"); they never decide alone that a call is over.
//
// Pure logic over an injected clock and id generator, commands in and events out, like the
// Router: the carrier wires it to sockets, the tests drive it with a fake clock and faults.
//
// Guarantees: at most `capacity` calls are live; a call that ended holds nothing; a release
// hook runs at most once; `end` is idempotent and resolves only after every hook settled (or
// timed out), so shutdown and tests can wait for a clean slate.
import { randomUUID } from 'node:crypto';
import { systemClock, type RoutingClock } from '../routing/clock';

/** Why a call ended, in words an operator reads in the log and the session's events. */
export type CallEndReason = string;

export type CallRegistryEvent =
  | { type: 'call.admitted'; callId: string; live: number; capacity: number; at: number }
  | { type: 'call.refused'; callId: string; live: number; capacity: number; at: number; closed?: string }
  | { type: 'call.bound'; callId: string; sessionId: string; at: number }
  | {
      type: 'call.released';
      callId: string;
      sessionId?: string;
      reason: CallEndReason;
      heldMs: number;
      /** Release hooks that threw or timed out, by resource name (the resource is dropped anyway). */
      releaseFailures: string[];
      live: number;
      at: number;
    };

export interface CallRegistryOptions {
  /** Most calls live at once; the rest are refused politely by the carrier. */
  capacity: number;
  clock?: RoutingClock;
  newCallId?: () => string;
  onEvent?: (event: CallRegistryEvent) => void;
  /** A release hook that has not settled by then is abandoned (logged as a failure). Default 10 s. */
  releaseTimeoutMs?: number;
  /** Why this backend takes no new calls now (draining, its database or bus lost), if it does not. */
  closedFor?: () => string | undefined;
}

export type Admission =
  | { ok: true; callId: string }
  /** `closed`: refused although lines are free, and why (see `closedFor`). */
  | { ok: false; callId: string; live: number; capacity: number; closed?: string };

/** Releases one resource; told why the call ended (the first reason given). */
type Release = (reason: CallEndReason) => void | Promise<void>;

interface LiveCall {
  callId: string;
  sessionId: string | undefined;
  admittedAt: number;
  /** In acquisition order; released in reverse (the socket, taken first, closes last). */
  resources: Array<{ name: string; release: Release }>;
  ending: Promise<void> | undefined;
  reason: CallEndReason | undefined;
}

export interface LiveCallView {
  callId: string;
  sessionId?: string;
  admittedAt: number;
  resources: string[];
  ending: boolean;
  reason?: CallEndReason;
}

export class CallRegistry {
  readonly #capacity: number;
  readonly #closedFor: (() => string | undefined) | undefined;
  readonly #clock: RoutingClock;
  readonly #newCallId: () => string;
  readonly #onEvent: (event: CallRegistryEvent) => void;
  readonly #releaseTimeoutMs: number;
  readonly #calls = new Map<string, LiveCall>();
  readonly #bySession = new Map<string, string>();

  constructor(options: CallRegistryOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) throw new Error('call capacity must be a whole number of at least 1');
    this.#capacity = options.capacity;
    this.#closedFor = options.closedFor;
    this.#clock = options.clock ?? systemClock;
    this.#newCallId = options.newCallId ?? randomUUID;
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#releaseTimeoutMs = options.releaseTimeoutMs ?? 10_000;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Calls holding a slot, including those still releasing what they held. */
  get size(): number {
    return this.#calls.size;
  }

  /** Takes a slot for a new call, or says why not. A refused call holds nothing. */
  admit(): Admission {
    const callId = this.#newCallId();
    const at = this.#clock.now();
    const closed = this.#closedFor?.();
    if (closed !== undefined) {
      this.#emit({ type: 'call.refused', callId, live: this.#calls.size, capacity: this.#capacity, at, closed });
      return { ok: false, callId, live: this.#calls.size, capacity: this.#capacity, closed };
    }
    if (this.#calls.size >= this.#capacity) {
      this.#emit({ type: 'call.refused', callId, live: this.#calls.size, capacity: this.#capacity, at });
      return { ok: false, callId, live: this.#calls.size, capacity: this.#capacity };
    }
    this.#calls.set(callId, { callId, sessionId: undefined, admittedAt: at, resources: [], ending: undefined, reason: undefined });
    this.#emit({ type: 'call.admitted', callId, live: this.#calls.size, capacity: this.#capacity, at });
    return { ok: true, callId };
  }

  /** The call opened its session. */
  bind(callId: string, sessionId: string): void {
    const call = this.#calls.get(callId);
    if (!call || call.sessionId) return;
    call.sessionId = sessionId;
    this.#bySession.set(sessionId, callId);
    this.#emit({ type: 'call.bound', callId, sessionId, at: this.#clock.now() });
  }

  /**
   * Records a resource the call now holds and how to release it. Returns a function that
   * releases it early (idempotent). A call already ending releases a late resource at once:
   * nothing acquired during a hang-up outlives the call.
   */
  hold(callId: string, name: string, release: Release): () => Promise<void> {
    const call = this.#calls.get(callId);
    let released = false;
    const once = async (reason: CallEndReason): Promise<void> => {
      if (released) return;
      released = true;
      await release(reason);
    };
    if (!call || call.ending) {
      void this.#settle(name, once, call?.reason ?? 'call already ended').catch(() => undefined);
      return async () => undefined;
    }
    const entry = { name, release: once };
    call.resources.push(entry);
    return async () => {
      const index = call.resources.indexOf(entry);
      if (index >= 0) call.resources.splice(index, 1);
      await once('released early');
    };
  }

  /** Ends the call (the first reason wins) and releases everything it holds, newest first. */
  end(callId: string, reason: CallEndReason): Promise<void> {
    const call = this.#calls.get(callId);
    if (!call) return Promise.resolve();
    if (call.ending) return call.ending;
    call.reason = reason;
    call.ending = this.#release(call);
    return call.ending;
  }

  /** Ends every live call (server shutdown); resolves when all have released. */
  async endAll(reason: CallEndReason): Promise<void> {
    await Promise.all([...this.#calls.keys()].map((id) => this.end(id, reason)));
  }

  callIdOf(sessionId: string): string | undefined {
    return this.#bySession.get(sessionId);
  }

  view(callId: string): LiveCallView | undefined {
    const call = this.#calls.get(callId);
    return call ? toView(call) : undefined;
  }

  list(): LiveCallView[] {
    return [...this.#calls.values()].map(toView);
  }

  /** Sessions of live calls: anything else still open in the store is a zombie. */
  liveSessionIds(): Set<string> {
    return new Set(this.#bySession.keys());
  }

  async #release(call: LiveCall): Promise<void> {
    const failures: string[] = [];
    // New resources may be held while earlier ones release (a start finishing late): drain until empty.
    while (call.resources.length > 0) {
      const { name, release } = call.resources.pop()!;
      try {
        await this.#settle(name, release, call.reason ?? 'ended');
      } catch {
        failures.push(name);
      }
    }
    this.#calls.delete(call.callId);
    if (call.sessionId) this.#bySession.delete(call.sessionId);
    const at = this.#clock.now();
    this.#emit({
      type: 'call.released',
      callId: call.callId,
      ...(call.sessionId ? { sessionId: call.sessionId } : {}),
      reason: call.reason ?? 'ended',
      heldMs: at - call.admittedAt,
      releaseFailures: failures,
      live: this.#calls.size,
      at,
    });
  }

  /** Runs one release hook; a throw or a hang past the timeout rejects (the caller counts it). */
  #settle(name: string, release: Release, reason: CallEndReason): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => reject(new Error(`releasing ${name} timed out`)), this.#releaseTimeoutMs);
      Promise.resolve()
        .then(() => release(reason))
        .then(
          () => {
            this.#clock.clearTimeout(timer);
            resolve();
          },
          (err: unknown) => {
            this.#clock.clearTimeout(timer);
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
    });
  }

  #emit(event: CallRegistryEvent): void {
    try {
      this.#onEvent(event);
    } catch {
      // A failing listener must not leave a call half-released or a slot taken.
    }
  }
}

function toView(call: LiveCall): LiveCallView {
  return {
    callId: call.callId,
    ...(call.sessionId ? { sessionId: call.sessionId } : {}),
    admittedAt: call.admittedAt,
    resources: call.resources.map((r) => r.name),
    ending: call.ending !== undefined,
    ...(call.reason ? { reason: call.reason } : {}),
  };
}

/**
 * The default capacity: what the configured speech engines sustain on this machine, the
 * smallest hint wins. An engine without a hint does not limit (a cloud engine scales out).
 */
export function deriveCallCapacity(hints: Array<number | undefined>, fallback: number): number {
  const known = hints.filter((h): h is number => typeof h === 'number' && Number.isFinite(h) && h > 0);
  return Math.max(1, Math.floor(known.length > 0 ? Math.min(...known) : fallback));
}
