// One connection to NATS for this backend: JSON messages on subjects under a cluster prefix
// (so several clusters, or test runs, can share a server), and a hook for reconnects so
// listeners can re-read what they may have missed while the link was down. NATS carries
// notifications only; the store stays the source of truth.
import { connect, RequestError, type NatsConnection, type Subscription } from '@nats-io/transport-node';

export interface NatsLinkOptions {
  url: string;
  /** Names this backend in NATS monitoring and logs. */
  instanceId: string;
  /** Subject prefix shared by every backend of one cluster. */
  prefix?: string;
}

export class NatsLink {
  readonly instanceId: string;
  readonly #nc: NatsConnection;
  readonly #prefix: string;
  readonly #reconnectListeners = new Set<() => void>();
  readonly #subscriptions = new Set<Subscription>();
  #connected = true;

  private constructor(nc: NatsConnection, instanceId: string, prefix: string) {
    this.#nc = nc;
    this.instanceId = instanceId;
    this.#prefix = prefix;
    void this.#watchStatus();
  }

  static async connect(opts: NatsLinkOptions): Promise<NatsLink> {
    let nc: NatsConnection;
    try {
      // noEcho: a backend hears its own events from its own store, never back from NATS.
      nc = await connect({ servers: opts.url, name: opts.instanceId, noEcho: true, timeout: 5000, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
    } catch (err) {
      throw new Error(
        `NATS at ${opts.url} is not reachable (${(err as Error).message}). Start nats-server (with -js), or fix NATS_URL, or unset BUS to keep events in this process.`,
      );
    }
    return new NatsLink(nc, opts.instanceId, opts.prefix ?? 'switchboard');
  }

  get connected(): boolean {
    return this.#connected && !this.#nc.isClosed();
  }

  /** Fire-and-forget: a message lost here is found again by a reader's gap check or reconnect re-read. */
  publish(topic: string, value: unknown): void {
    if (this.#nc.isClosed()) return;
    try {
      this.#nc.publish(`${this.#prefix}.${topic}`, JSON.stringify(value));
    } catch (err) {
      console.error(`NATS publish on ${topic} failed: ${(err as Error).message}`);
    }
  }

  subscribe(topic: string, handler: (value: unknown) => void): () => void {
    const sub = this.#nc.subscribe(`${this.#prefix}.${topic}`, {
      callback: (err, msg) => {
        if (err) return console.error(`NATS subscription ${topic}: ${err.message}`);
        let value: unknown;
        try {
          value = msg.json();
        } catch {
          return console.error(`NATS ${topic}: dropped a message that is not JSON`);
        }
        try {
          handler(value);
        } catch (handlerErr) {
          console.error(`NATS ${topic} handler failed:`, handlerErr);
        }
      },
    });
    this.#subscriptions.add(sub);
    return () => {
      this.#subscriptions.delete(sub);
      sub.unsubscribe();
    };
  }

  /**
   * Asks whoever serves `topic` and waits for the answer. Throws a `NoResponderError` when
   * nobody serves it right now (say, no routing leader during a failover), or when no answer
   * comes in `timeoutMs`.
   */
  async request(topic: string, value: unknown, timeoutMs: number): Promise<unknown> {
    if (this.#nc.isClosed()) throw new NoResponderError(topic, 'the NATS link is closed', false);
    try {
      const msg = await this.#nc.request(`${this.#prefix}.${topic}`, JSON.stringify(value), { timeout: timeoutMs });
      return msg.json();
    } catch (err) {
      if (err instanceof RequestError && err.isNoResponders()) throw new NoResponderError(topic, 'nobody serves it', true);
      throw new NoResponderError(topic, `no answer in ${timeoutMs} ms (${(err as Error).message})`, false);
    }
  }

  /** Asks every backend serving `topic` and collects the answers: done `quietMs` after the last one, or at `waitMs`. */
  async gather(topic: string, value: unknown, waitMs: number, quietMs = 200): Promise<unknown[]> {
    if (this.#nc.isClosed()) return [];
    const answers: unknown[] = [];
    try {
      const replies = await this.#nc.requestMany(`${this.#prefix}.${topic}`, JSON.stringify(value), { strategy: 'stall', stall: quietMs, maxWait: waitMs });
      for await (const msg of replies) {
        try {
          answers.push(msg.json());
        } catch {
          console.error(`NATS ${topic}: ignored an answer that is not JSON`);
        }
      }
    } catch (err) {
      if (!(err instanceof RequestError && err.isNoResponders())) console.error(`NATS gather on ${topic}: ${(err as Error).message}`);
    }
    return answers;
  }

  /** Answers requests on `topic`; a handler that throws answers `{ error }`. */
  serve(topic: string, handler: (value: unknown) => Promise<unknown>): () => void {
    const sub = this.#nc.subscribe(`${this.#prefix}.${topic}`, {
      callback: (err, msg) => {
        if (err) return console.error(`NATS service ${topic}: ${err.message}`);
        void (async () => {
          let answer: unknown;
          try {
            answer = await handler(msg.json());
          } catch (handlerErr) {
            answer = { error: (handlerErr as Error).message };
          }
          if (msg.reply) msg.respond(JSON.stringify(answer ?? null));
        })();
      },
    });
    this.#subscriptions.add(sub);
    return () => {
      this.#subscriptions.delete(sub);
      sub.unsubscribe();
    };
  }

  /** Waits until the server has seen everything published so far (tests, shutdown). */
  async flush(): Promise<void> {
    if (!this.#nc.isClosed()) await this.#nc.flush();
  }

  onReconnect(listener: () => void): () => void {
    this.#reconnectListeners.add(listener);
    return () => this.#reconnectListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#nc.isClosed()) return;
    await this.#nc.drain().catch(() => this.#nc.close());
  }

  async #watchStatus(): Promise<void> {
    for await (const status of this.#nc.status()) {
      if (status.type === 'disconnect') this.#connected = false;
      if (status.type === 'reconnect') {
        this.#connected = true;
        for (const l of this.#reconnectListeners) l();
      }
    }
  }
}

/** Nobody answered a request: the error names what was asked so the message can say what to do. */
export class NoResponderError extends Error {
  constructor(
    readonly topic: string,
    why: string,
    /** True when nobody serves the topic at all (no leader; the backend is gone), false for a timeout. */
    readonly gone: boolean,
  ) {
    super(`no backend answered ${topic}: ${why}`);
    this.name = 'NoResponderError';
  }
}
