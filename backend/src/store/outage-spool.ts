// What a backend does with a live call's writes while its database is unreachable
// (STORE=postgres lost at run time). The call goes on with what the backend holds: each
// session's writes wait here, in order, and are written — then fanned out, never before —
// as soon as the database answers again. A session with writes waiting keeps queueing
// behind them, so its log keeps its order. Only a lost connection is waited out; a statement
// the database refuses is an error as before.
import type { AnySessionEvent } from '../../../contracts/events';
import type { SessionPatch } from './session-store';

export type SpooledWrite =
  | { kind: 'event'; type: AnySessionEvent['type']; data: unknown; at: Date }
  | { kind: 'patch'; patch: SessionPatch }
  | { kind: 'agent'; userId: string; at: Date };

/** Writes one spooled item; returns the event as stored (its real sequence number) for an event. */
export type WriteSpooled = (sessionId: string, write: SpooledWrite) => Promise<AnySessionEvent | undefined>;

export interface OutageSpoolOptions {
  write: WriteSpooled;
  /** Hears each spooled event once it is written (the store's fan-out). */
  written: (event: AnySessionEvent) => void;
  /** How often a flush is tried while writes wait. Default 1 s. */
  retryMs?: number;
  /** Writes a session may hold before the oldest are given up (a call-long outage). Default 5,000. */
  maxPerSession?: number;
  log?: (line: string) => void;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Whether an error means the database could not be reached, rather than that it refused the
 * statement: PostgreSQL's connection-exception class (08…), a server shutting down (57P0x),
 * a socket error, or the driver saying its connection ended.
 */
export function isConnectionLoss(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return code.startsWith('08') || /^57P0[123]$/.test(code) || CONNECTION_CODES.has(code);
  return typeof message === 'string' && /connection terminated|timeout exceeded when trying to connect|connection error|not queryable/i.test(message);
}

export class OutageSpool {
  readonly #o: OutageSpoolOptions;
  readonly #waiting = new Map<string, SpooledWrite[]>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #closed = false;

  constructor(options: OutageSpoolOptions) {
    this.#o = options;
  }

  /** Writes waiting, over all sessions. */
  get size(): number {
    let n = 0;
    for (const list of this.#waiting.values()) n += list.length;
    return n;
  }

  holds(sessionId: string): boolean {
    return this.#waiting.has(sessionId);
  }

  add(sessionId: string, write: SpooledWrite): void {
    const list = this.#waiting.get(sessionId) ?? [];
    if (list.length === 0) this.#waiting.set(sessionId, list);
    list.push(write);
    const max = this.#o.maxPerSession ?? 5000;
    if (list.length > max) {
      list.shift();
      this.#log(`store: session ${sessionId} had more than ${max} writes waiting for the database; the oldest was given up.`);
    }
    this.#schedule();
  }

  /** Tries to write everything waiting (for one session, or all), in order; stops at the first lost connection. */
  flush(sessionId?: string): Promise<void> {
    // One flush at a time: two would write a session's items twice or out of order.
    const run = (this.#flushing ?? Promise.resolve()).then(() => this.#flushNow(sessionId));
    const tail = run.finally(() => {
      if (this.#flushing === tail) this.#flushing = undefined;
    });
    this.#flushing = tail;
    return tail;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    if (this.size > 0) this.#log(`store: closing with ${this.size} writes still waiting for the database; they are lost, and crash recovery closes their sessions.`);
  }

  async #flushNow(only: string | undefined): Promise<void> {
    for (const [sessionId, list] of [...this.#waiting]) {
      if (only !== undefined && sessionId !== only) continue;
      while (list.length > 0) {
        const next = list[0]!;
        try {
          const event = await this.#o.write(sessionId, next);
          list.shift();
          if (event) this.#o.written(event);
        } catch (err) {
          if (isConnectionLoss(err)) {
            this.#schedule();
            return;
          }
          // The database refuses it (say, the session is gone): it would block the rest for ever.
          list.shift();
          this.#log(`store: a waiting ${next.kind} write for session ${sessionId} was refused and dropped: ${(err as Error).message}`);
        }
      }
      this.#waiting.delete(sessionId);
    }
  }

  #schedule(): void {
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#o.retryMs ?? 1000);
    this.#timer.unref();
  }

  #log(line: string): void {
    (this.#o.log ?? console.error)(line);
  }
}
