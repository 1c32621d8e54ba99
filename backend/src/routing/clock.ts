// The routing clock: the only way routing reads the time or schedules work. Injected so
// offer timeouts and cooldowns can be driven deterministically in tests (FakeClock) and by
// the real timers in the service (systemClock).

export interface RoutingClock {
  /** Milliseconds since the epoch (or since any fixed origin; routing only subtracts). */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: RoutingClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface PendingTimer {
  id: number;
  dueAt: number;
  fn: () => void;
}

/**
 * A manual clock for tests: time moves only when `advance` is called, and timers fire in
 * due order (ties in scheduling order), each seeing `now()` equal to its due time, exactly
 * as they would with real timers but without waiting.
 */
export class FakeClock implements RoutingClock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, PendingTimer>();

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { id, dueAt: this.current + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + Math.max(0, ms);
    for (;;) {
      const next = this.earliestDue(target);
      if (!next) break;
      this.timers.delete(next.id);
      this.current = next.dueAt;
      next.fn();
    }
    this.current = target;
  }

  /** Runs time up to the next pending timer (and fires it); false when none is pending. */
  runNext(): boolean {
    const next = this.earliestDue(Number.POSITIVE_INFINITY);
    if (!next) return false;
    this.advance(next.dueAt - this.current);
    return true;
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  private earliestDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers.values()) {
      if (t.dueAt > limit) continue;
      if (!best || t.dueAt < best.dueAt || (t.dueAt === best.dueAt && t.id < best.id)) best = t;
    }
    return best;
  }
}
