// Captions for the local caller: what the AI and the agent said and what it heard, for the caller page
// (on screen, for callers who cannot hear well) and the CLI caller. The session id is the
// capability: it reaches the caller only inside echoed mark names on their own stream,
// and captions are served only while the call is live and for a short time after.
import type { FastifyInstance } from 'fastify';
import { redact } from '../../policy/redaction';
import type { SessionStore } from '../../store/session-store';
import { callerStatus, type CallerStatus } from './caller-status';

export const CAPTIONS_GRACE_MS = 10 * 60_000;

export interface CaptionLine {
  seq: number;
  speaker: 'ai' | 'agent' | 'caller';
  text: string;
}

export class CaptionAccess {
  readonly #open = new Map<string, number>();

  open(sessionId: string): void {
    this.#open.set(sessionId, Number.POSITIVE_INFINITY);
  }
  close(sessionId: string, now = Date.now()): void {
    this.#open.set(sessionId, now + CAPTIONS_GRACE_MS);
    for (const [id, until] of this.#open) if (until < now) this.#open.delete(id);
  }
  allows(sessionId: string, now = Date.now()): boolean {
    return (this.#open.get(sessionId) ?? 0) >= now;
  }
}

export function captionRoutes(store: SessionStore, access: CaptionAccess) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/local/calls/:sessionId/captions', async (request, reply) => {
      const { sessionId } = request.params as { sessionId: string };
      const after = Number((request.query as { after?: string }).after ?? 0);
      if (!access.allows(sessionId)) {
        return reply.code(404).send({ error: 'not_found', message: 'No live call with that id. Captions are kept for 10 minutes after a call.' });
      }
      const from = Number.isFinite(after) && after > 0 ? after : 0;
      // The whole log is read for the status (queue position, agent); a call's log is short.
      const events = await store.listEvents(sessionId);
      const lines: CaptionLine[] = [];
      for (const e of events) {
        if (e.seq <= from) continue;
        // Events are masked when stored; masking again covers logs written before redaction existed.
        if (e.type === 'ai.said') lines.push({ seq: e.seq, speaker: 'ai', text: redact(e.data.text) });
        else if (e.type === 'transcript.final' && e.data.speaker !== 'ai') lines.push({ seq: e.seq, speaker: e.data.speaker, text: redact(e.data.text) });
      }
      const session = await store.getSession(sessionId);
      const status: CallerStatus = session?.state === 'ended' || session?.state === 'wrap-up' ? { phase: 'ended' } : callerStatus(events);
      return { sessionId, state: session?.state ?? 'ended', status, lines };
    });
  };
}
