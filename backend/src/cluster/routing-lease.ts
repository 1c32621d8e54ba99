// Exactly one backend routes at a time: the one holding a PostgreSQL session-level advisory
// lock (per schema, so clusters sharing a database stay apart). The lock lives as long as
// the holder's connection, so a backend killed with SIGKILL loses it the moment its socket
// closes and a standby, trying every `retryMs`, takes over. A leader that can no longer
// reach the database steps down at once (it cannot tell whether it still holds the lock).
import pg from 'pg';
import { applicationName } from '../store/database';

export interface RoutingLeaseOptions {
  url: string;
  schema?: string;
  retryMs?: number;
  onChange?: (leader: boolean) => void;
}

export class RoutingLease {
  readonly #opts: RoutingLeaseOptions;
  #client: pg.Client | undefined;
  #leader = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;
  readonly #listeners = new Set<(leader: boolean) => void>();

  constructor(opts: RoutingLeaseOptions) {
    this.#opts = opts;
  }

  get leader(): boolean {
    return this.#leader;
  }

  /** Hear every change of leadership (the desk starts or stops routing). */
  onChange(listener: (leader: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    void this.#tick();
    this.#timer = setInterval(() => void this.#tick(), this.#opts.retryMs ?? 500);
    this.#timer.unref();
  }

  /** Gives the lease up now (drain, shutdown); a standby takes it on its next try. */
  async release(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#set(false);
    await this.#client?.end().catch(() => undefined);
    this.#client = undefined;
  }

  async #tick(): Promise<void> {
    if (this.#ticking || this.#closed) return;
    this.#ticking = true;
    try {
      if (!this.#client) {
        const client = new pg.Client({
          connectionString: this.#opts.url,
          connectionTimeoutMillis: 3000,
          application_name: applicationName(this.#opts.schema),
          ...(this.#opts.schema !== undefined ? { options: `-c search_path=${this.#opts.schema}` } : {}),
        });
        client.on('error', () => this.#drop());
        await client.connect();
        if (this.#closed) return void (await client.end());
        this.#client = client;
      }
      if (this.#leader) {
        await this.#client.query('select 1');
      } else {
        const r = await this.#client.query<{ ok: boolean }>("select pg_try_advisory_lock(hashtext(coalesce(current_schema(), '') || '.switchboard-routing')) as ok");
        this.#set(r.rows[0]?.ok === true);
      }
    } catch {
      this.#drop();
    } finally {
      this.#ticking = false;
    }
  }

  #drop(): void {
    this.#set(false);
    const c = this.#client;
    this.#client = undefined;
    void c?.end().catch(() => undefined);
  }

  #set(leader: boolean): void {
    if (leader === this.#leader) return;
    this.#leader = leader;
    this.#opts.onChange?.(leader);
    for (const l of this.#listeners) {
      try {
        l(leader);
      } catch (err) {
        console.error('routing lease listener failed:', err);
      }
    }
  }
}
