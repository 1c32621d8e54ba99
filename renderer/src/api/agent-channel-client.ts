// The agent channel over WebSocket (/agent/ws): connects, says hello with the sessions to
// resume, reconnects with jittered backoff, keeps the link alive with pings, validates every
// outgoing message against the contract's zod schema, and pairs requests with their ack or
// error. It does not keep per-session seqs itself: the calls store is the one place that
// knows what was applied, and `resume()` reads it at every (re)connect so both cannot drift.
import { AgentClientMessage, type AgentServerMessage } from '../../../contracts/agent-channel';

/** The part of the browser WebSocket the client uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
}

export type ChannelState =
  'idle' | 'connecting' | 'open' | 'reconnecting' | 'unreachable' | 'unauthorized' | 'stopped';

export interface ChannelStatus {
  state: ChannelState;
  /** Consecutive failed attempts since the last open link. */
  failures: number;
  /** When the next automatic attempt happens (epoch ms), for "retrying in 8 s". */
  nextRetryAt: number | null;
}

export interface AgentChannelOptions {
  url: string;
  resume: () => Array<{ sessionId: string; afterSeq: number }>;
  onMessage: (message: AgentServerMessage) => void;
  onStatus?: (status: ChannelStatus) => void;
  /** Called after every (re)open, before any replayed message, e.g. to clear live partials. */
  onReconnected?: () => void;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  now?: () => number;
  requestTimeoutMs?: number;
}

const OPEN = 1;
const PING_EVERY_MS = 15_000;
const SILENCE_LIMIT_MS = 45_000;
/** After this many failed attempts in a row the app says the backend is unreachable. */
export const UNREACHABLE_AFTER = 2;
/** Close codes a server uses for a bad or expired token: retrying cannot help. */
const AUTH_CLOSE_CODES = new Set([1008, 4001, 4401, 4403]);

/** Full-jitter exponential backoff: 0.5 s, 1 s, 2 s… capped at 30 s, randomised to spread a herd of desktops. */
export function reconnectDelayMs(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 500 * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class ChannelRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ChannelRequestError';
  }
}

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class AgentChannelClient {
  #o: AgentChannelOptions;
  #socket: SocketLike | null = null;
  #status: ChannelStatus = { state: 'idle', failures: 0, nextRetryAt: null };
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #pingTimer: ReturnType<typeof setInterval> | null = null;
  #lastHeardAt = 0;
  #requestCounter = 0;
  #pending = new Map<string, Pending>();
  #everOpened = false;

  constructor(options: AgentChannelOptions) {
    this.#o = options;
  }

  get status(): ChannelStatus {
    return this.#status;
  }

  start(): void {
    if (this.#socket || this.#status.state === 'stopped') return;
    this.#connect();
  }

  /** Skip the backoff wait (the banner's Retry button). */
  retryNow(): void {
    if (this.#status.state === 'stopped' || this.#status.state === 'open') return;
    this.#clearRetry();
    if (this.#socket) return;
    this.#connect();
  }

  stop(): void {
    this.#clearRetry();
    this.#stopPing();
    this.#setStatus({ state: 'stopped', failures: 0, nextRetryAt: null });
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'signed out');
    }
    this.#failPending('The connection was closed.');
  }

  /**
   * Sends a message if the link is open. Invalid messages are a programming error and throw,
   * so a malformed command never reaches the server. Returns false when not connected.
   */
  send(message: AgentClientMessage): boolean {
    const parsed = AgentClientMessage.safeParse(message);
    if (!parsed.success)
      throw new Error(`Refusing to send an invalid ${message.type} message: ${parsed.error.message}`);
    if (!this.#socket || this.#socket.readyState !== OPEN || this.#status.state !== 'open') return false;
    this.#socket.send(JSON.stringify(parsed.data));
    return true;
  }

  /** Sends with a requestId and settles on the server's ack or error (or a timeout). */
  request(message: AgentClientMessage): Promise<void> {
    const requestId = `r${++this.#requestCounter}`;
    return new Promise<void>((resolve, reject) => {
      let sent: boolean;
      try {
        sent = this.send({ ...message, requestId } as AgentClientMessage);
      } catch (err) {
        reject(err as Error);
        return;
      }
      if (!sent) {
        reject(
          new ChannelRequestError(
            'Not connected to the Switchboard server. Wait for the connection to come back, then try again.',
            'offline',
          ),
        );
        return;
      }
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(
          new ChannelRequestError(
            'The server did not answer in time. Check the connection and try again.',
            'timeout',
          ),
        );
      }, this.#o.requestTimeoutMs ?? 10_000);
      this.#pending.set(requestId, { resolve, reject, timer });
    });
  }

  #connect(): void {
    this.#setStatus({
      ...this.#status,
      state: this.#everOpened || this.#status.failures > 0 ? this.#stateWhileRetrying() : 'connecting',
      nextRetryAt: null,
    });
    let socket: SocketLike;
    try {
      socket = (this.#o.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike))(this.#o.url);
    } catch {
      this.#onClosed(1006);
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      this.#everOpened = true;
      this.#lastHeardAt = this.#now();
      this.#setStatus({ state: 'open', failures: 0, nextRetryAt: null });
      this.#o.onReconnected?.();
      // Straight to the socket: hello must go out before anything queued by onStatus listeners.
      socket.send(JSON.stringify(AgentClientMessage.parse({ type: 'hello', resume: this.#o.resume() })));
      this.#startPing();
    };
    socket.onmessage = (ev) => {
      if (this.#socket !== socket) return;
      this.#lastHeardAt = this.#now();
      this.#handle(ev.data);
    };
    socket.onerror = () => {
      // The close event that follows carries the code; nothing to do here.
    };
    socket.onclose = (ev) => {
      if (this.#socket !== socket) return;
      this.#onClosed(ev.code);
    };
  }

  #handle(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: AgentServerMessage;
    try {
      message = JSON.parse(raw) as AgentServerMessage;
    } catch {
      return;
    }
    if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
    if ((message.type === 'ack' || message.type === 'error') && message.requestId) {
      const pending = this.#pending.get(message.requestId);
      if (pending) {
        this.#pending.delete(message.requestId);
        clearTimeout(pending.timer);
        if (message.type === 'ack') pending.resolve();
        else pending.reject(new ChannelRequestError(message.message, message.code));
      }
    }
    this.#o.onMessage(message);
  }

  #onClosed(code: number): void {
    this.#socket = null;
    this.#stopPing();
    this.#failPending('The connection dropped before the server answered. Try again once it is back.');
    if (this.#status.state === 'stopped') return;
    if (AUTH_CLOSE_CODES.has(code)) {
      this.#setStatus({ state: 'unauthorized', failures: this.#status.failures, nextRetryAt: null });
      return;
    }
    const failures = this.#status.failures + 1;
    const delay = reconnectDelayMs(failures, this.#o.random);
    this.#setStatus({
      state: failures >= UNREACHABLE_AFTER ? 'unreachable' : 'reconnecting',
      failures,
      nextRetryAt: this.#now() + delay,
    });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delay);
  }

  #stateWhileRetrying(): ChannelState {
    return this.#status.failures >= UNREACHABLE_AFTER ? 'unreachable' : 'reconnecting';
  }

  #startPing(): void {
    this.#stopPing();
    this.#pingTimer = setInterval(() => {
      const socket = this.#socket;
      if (!socket) return;
      // A half-open TCP link never fires close; silence is the only sign, so force a reconnect.
      if (this.#now() - this.#lastHeardAt > SILENCE_LIMIT_MS) {
        socket.onclose = null;
        socket.close(4000, 'no traffic');
        this.#onClosed(1006);
        return;
      }
      this.send({ type: 'ping' });
    }, PING_EVERY_MS);
  }

  #stopPing(): void {
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  #clearRetry(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #failPending(reason: string): void {
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(new ChannelRequestError(reason, 'disconnected'));
      this.#pending.delete(id);
    }
  }

  #setStatus(status: ChannelStatus): void {
    this.#status = status;
    this.#o.onStatus?.(status);
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}

/** ws(s)://host/agent/ws?token=… from the API's base URL. */
export function agentChannelUrl(baseUrl: string, token: string): string {
  const url = new URL('/agent/ws', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', token);
  return url.toString();
}
