// Outbound calling on the local carrier: a caller page can register its number and wait
// for calls (WebSocket /local/phone?number=+1555…&code=…). An agent dials that number; the
// page rings; when the person answers, the page opens an ordinary /local/media stream
// carrying the outbound call id, and the call goes straight to the agent who dialled — no AI.
// Registering a number needs a one-time line code that a signed-in agent issued for that
// number (POST /api/local/line-codes): otherwise anyone could claim any customer's number
// and take the calls meant for them.
import { randomInt, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { E164 } from '../../../../contracts/crm';
import { requireRole } from '../../api/auth-guard';
import { zodRoutes } from '../../api/route-schemas';
import type { UserDirectory } from '../../auth/users';

export const RING_TIMEOUT_MS = 30_000;
/** How long a line code can be used (once). */
export const LINE_CODE_TTL_MS = 10 * 60_000;
/** Unambiguous letters and digits (no 0/O, 1/I/L): 8 of them are ~40 bits, typed by a person. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
/** Codes outstanding at most; issuing more forgets the oldest. */
const MAX_CODES = 10_000;

interface LineCode {
  number: string;
  issuedBy: string;
  expiresAt: number;
}

const LineCodeRequest = z.object({ number: E164 }).strict();

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
  readonly #codes = new Map<string, LineCode>();

  constructor(companyName: string, events: LocalLinesEvents) {
    this.#companyName = companyName;
    this.#events = events;
  }

  registered(phone: string): boolean {
    return (this.#lines.get(phone)?.size ?? 0) > 0;
  }

  /** A one-time code that lets a caller page wait for calls at this number. */
  issueCode(number: string, issuedBy: string, now = Date.now()): { code: string; number: string; expiresAt: string } {
    for (const [code, entry] of this.#codes) if (entry.expiresAt <= now) this.#codes.delete(code);
    let code = '';
    for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    this.#codes.set(code, { number, issuedBy, expiresAt: now + LINE_CODE_TTL_MS });
    if (this.#codes.size > MAX_CODES) this.#codes.delete(this.#codes.keys().next().value!);
    return { code, number, expiresAt: new Date(now + LINE_CODE_TTL_MS).toISOString() };
  }

  /** Uses up a code if it was issued for this number and is still valid. */
  #redeem(code: string | undefined, number: string, now = Date.now()): boolean {
    const key = code?.trim().toUpperCase();
    const entry = key ? this.#codes.get(key) : undefined;
    if (!key || !entry || entry.number !== number || entry.expiresAt <= now) return false;
    this.#codes.delete(key);
    return true;
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

  routes(users: UserDirectory) {
    return async (plain: FastifyInstance): Promise<void> => {
      const app = zodRoutes(plain);
      const staff = requireRole(users, ['agent', 'lead', 'admin']);
      app.post('/api/local/line-codes', { preHandler: staff, schema: { body: LineCodeRequest } }, async (request, reply) =>
        reply.code(201).send(this.issueCode(request.body.number, request.user!.id)),
      );

      app.get('/local/phone', { websocket: true }, (socket: WebSocket, request) => {
        const query = request.query as { number?: string; code?: string };
        const parsed = E164.safeParse(query.number);
        if (!parsed.success) {
          socket.close(1008, 'number must be an E.164 phone number such as +15550100001');
          return;
        }
        const phone = parsed.data;
        if (!this.#redeem(query.code, phone)) {
          socket.close(1008, 'line code needed: ask the agent who will call you for a code for this number (one use, 10 min)');
          return;
        }
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
