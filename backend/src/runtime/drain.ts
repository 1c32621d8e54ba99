// Graceful drain: on SIGTERM a backend stops taking new calls (the caller page and phone
// lines get a 503 naming the reason, and /readyz turns 503 so the load balancer sends new
// work elsewhere), lets the calls it holds finish up to a deadline, then shuts down.
export interface DrainableCall {
  readonly ended: boolean;
}

export class Drain {
  readonly #calls = new Set<DrainableCall>();
  #draining = false;

  get draining(): boolean {
    return this.#draining;
  }

  /** Follows a live call until it ends. */
  track(call: DrainableCall): void {
    this.#calls.add(call);
  }

  activeCalls(): number {
    for (const c of this.#calls) if (c.ended) this.#calls.delete(c);
    return this.#calls.size;
  }

  /** Stops taking calls and waits for the live ones to end (at most `timeoutMs`); returns how many were still live. */
  async drain(timeoutMs: number, pollMs = 250): Promise<number> {
    this.#draining = true;
    const deadline = Date.now() + timeoutMs;
    while (this.activeCalls() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, pollMs));
    return this.activeCalls();
  }
}

/** Paths that start a new call; refused while draining. */
export function startsCall(url: string): boolean {
  return url.startsWith('/local/media') || url.startsWith('/local/phone');
}

export const DRAINING_MESSAGE = 'This backend is shutting down and takes no new calls; connect to another instance (or try again in a minute).';

export const STORE_DOWN_MESSAGE = 'This backend lost its connection to the database and takes no new calls until it is back (calls in progress go on); connect to another instance, or try again in a minute.';

export const BUS_DOWN_MESSAGE = 'This backend lost its connection to NATS and takes no new calls until it is back; connect to another instance (or try again in a minute).';

