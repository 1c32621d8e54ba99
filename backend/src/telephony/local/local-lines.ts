// Outbound calling on the local carrier: a caller page can register its number and wait
// for calls (WebSocket /local/phone?number=+1555…). An agent dials that number; the page
// rings; when the person answers, the page opens an ordinary /local/media stream carrying
// the outbound call id, and the call goes straight to the agent who dialled — no AI.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { E164 } from '../../../../contracts/crm';

export const RING_TIMEOUT_MS = 30_000;

export interface PendingOutbound {
  callId: string;
  phone: string;
  agentId: string;
  expiresAt: number;
}

export type RingResult = { ok: true; callId: string } | { ok: false; code: string; message: string };

export interface LocalLinesEvents {
  /** The person declined or did not answer in time. */
  unanswered(call: PendingOutbound, why: 'declined' | 'no_answer' | 'line_closed'): void;
}

export class LocalLines {
  readonly #lines = new Map<string, Set<WebSocket>>();
  readonly #pending = new Map<string, PendingOutbound & { timer: NodeJS.Timeout }>();
  readonly #events: LocalLinesEvents;
  readonly #companyName: string;

  constructor(companyName: string, events: LocalLinesEvents) {
    this.#companyName = companyName;
    this.#events = events;
  }

  registered(phone: string): boolean {
    return (this.#lines.get(phone)?.size ?? 0) > 0;
  }

  /** Rings every page registered for the number. */
  ring(phone: string, agentId: string): RingResult {
    const sockets = this.#lines.get(phone);
    if (!sockets || sockets.size === 0) {
      return {
        ok: false,
        code: 'unreachable',
        message: `Nobody is reachable at ${phone}. On the local carrier a number can be dialled only while its call page is open and waiting for calls.`,
      };
    }
    const callId = randomUUID();
    const expiresAt = Date.now() + RING_TIMEOUT_MS;
    const timer = setTimeout(() => this.#settle(callId, 'no_answer'), RING_TIMEOUT_MS);
    this.#pending.set(callId, { callId, phone, agentId, expiresAt, timer });
    for (const ws of sockets) ws.send(JSON.stringify({ type: 'incoming', callId, from: this.#companyName }));
    return { ok: true, callId };
  }

  /** The media stream of an answered call presents its id: it belongs to the agent who dialled. */
  claim(callId: string, phone: string): PendingOutbound | undefined {
    const pending = this.#pending.get(callId);
    if (!pending || pending.phone !== phone) return undefined;
    clearTimeout(pending.timer);
    this.#pending.delete(callId);
    this.#broadcast(phone, { type: 'answered-elsewhere', callId });
    return pending;
  }

  #settle(callId: string, why: 'declined' | 'no_answer' | 'line_closed'): void {
    const pending = this.#pending.get(callId);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(callId);
    this.#broadcast(pending.phone, { type: 'cancelled', callId });
    this.#events.unanswered(pending, why);
  }

  #broadcast(phone: string, message: object): void {
    for (const ws of this.#lines.get(phone) ?? []) if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  routes() {
    return async (app: FastifyInstance): Promise<void> => {
      app.get('/local/phone', { websocket: true }, (socket: WebSocket, request) => {
        const parsed = E164.safeParse((request.query as { number?: string }).number);
        if (!parsed.success) {
          socket.close(1008, 'number must be an E.164 phone number such as +15550100001');
          return;
        }
        const phone = parsed.data;
        const set = this.#lines.get(phone) ?? new Set<WebSocket>();
        set.add(socket);
        this.#lines.set(phone, set);
        socket.send(JSON.stringify({ type: 'registered', number: phone }));
        socket.on('message', (data: Buffer) => {
          let message: { type?: unknown; callId?: unknown };
          try {
            message = JSON.parse(data.toString('utf8')) as typeof message;
          } catch {
            socket.send(JSON.stringify({ type: 'error', message: 'Send JSON such as {"type":"decline","callId":"..."}.' }));
            return;
          }
          if (message.type === 'decline' && typeof message.callId === 'string') this.#settle(message.callId, 'declined');
        });
        socket.on('close', () => {
          set.delete(socket);
          if (set.size === 0) {
            this.#lines.delete(phone);
            for (const pending of [...this.#pending.values()]) if (pending.phone === phone) this.#settle(pending.callId, 'line_closed');
          }
        });
      });
      app.addHook('preClose', async () => {
        for (const pending of this.#pending.values()) clearTimeout(pending.timer);
      });
    };
  }
}
