// Sign-in backoff: after a few wrong passwords in a row for one key (an account, or an
// address) the next attempt must wait, doubling each time (capped) — a guesser spreading
// over many addresses still gets a handful of tries an hour per account. A correct password
// resets the key. The flood limit on all attempts is @fastify/rate-limit on the route
// (api/routes/auth.ts). State is in memory: a restart forgives, which costs an attacker a
// restart they cannot cause.
export interface LoginThrottleOptions {
  /** Wrong passwords in a row before the account starts to wait. */
  freeFailures: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
}

interface AccountFailures {
  count: number;
  /** No attempt is checked before this time. */
  until: number;
  last: number;
}

/** Accounts tracked at most (oldest forgotten first), so guessing many emails cannot grow memory without bound. */
const MAX_TRACKED = 10_000;

export class LoginThrottle {
  readonly #failures = new Map<string, AccountFailures>();
  readonly #free: number;
  readonly #base: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: LoginThrottleOptions) {
    this.#free = options.freeFailures;
    this.#base = options.baseDelayMs ?? 1000;
    this.#max = options.maxDelayMs ?? 15 * 60_000;
    this.#now = options.now ?? (() => Date.now());
  }

  /** Milliseconds this key must still wait before a password is checked (0: go ahead). */
  waitFor(key: string): number {
    const entry = this.#failures.get(key.toLowerCase());
    if (!entry) return 0;
    return Math.max(0, entry.until - this.#now());
  }

  failed(key: string): void {
    const id = key.toLowerCase();
    const now = this.#now();
    const entry = this.#failures.get(id) ?? { count: 0, until: 0, last: now };
    // A long quiet spell forgives old mistakes.
    if (now - entry.last > this.#max * 2) entry.count = 0;
    entry.count += 1;
    entry.last = now;
    const over = entry.count - this.#free;
    entry.until = over >= 0 ? now + Math.min(this.#max, this.#base * 2 ** over) : 0;
    this.#failures.delete(id);
    this.#failures.set(id, entry);
    if (this.#failures.size > MAX_TRACKED) this.#failures.delete(this.#failures.keys().next().value!);
  }

  succeeded(key: string): void {
    this.#failures.delete(key.toLowerCase());
  }
}
