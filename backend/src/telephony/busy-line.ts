// What a caller beyond capacity hears: one short spoken line, then a clean hang-up, with the
// refusal written to the session log like any other call (when the store answers). A backend
// that takes no new calls for now (draining, its database or bus lost) says so the same way. The line is synthesized once per
// process and reused (a server at capacity must not spend synthesis on refusals), paced out
// like any reply, and the stream is closed when the far end echoes its mark, or a little after
// the audio's length if it never does: a refused call never hangs.
import type { MediaFormat, OutboundFrame } from '../../../contracts/media-stream';
import { createOutboundPacer } from '../media/outbound-pacer';
import type { SessionStore } from '../store/session-store';
import type { TextToSpeech } from '../speech/types';

export const BUSY_LINE_TEXT = 'Sorry, all our lines are busy right now. Please call again in a few minutes. Goodbye.';
/** What a caller hears from a backend that takes no new calls for now (draining, its database or bus lost). */
export const CLOSED_LINE_TEXT = 'Sorry, we cannot take your call right now. Please call again in a few minutes. Goodbye.';
export const BUSY_REASON = 'all lines busy';
const BUSY_MARK = 'busy';
/** If the far end never echoes the mark, the stream is closed this long after the audio's end. */
const MARK_GRACE_MS = 1_500;

export interface BusyLine {
  /** Synthesizes the line ahead of the first refusal (start-up), so refusing costs nothing later. */
  warm(): Promise<void>;
  /** Plays the line on a refused stream and records the refusal; `done` resolves when the stream may close. */
  refuse(call: RefusedCall): { done: Promise<void>; markHeard(name: string): void };
}

export interface RefusedCall {
  streamSid: string;
  format: MediaFormat;
  callerId: string;
  callerName: string | null;
  capacity: number;
  /** Refused although lines are free: why this backend takes no new calls (else: at capacity). */
  closed?: string;
  send(frame: OutboundFrame): void;
}

export function createBusyLine(opts: { tts: TextToSpeech; voice?: string; store: SessionStore; log: { warn(obj: object, msg: string): void } }): BusyLine {
  // Each line is synthesized once per process (the busy line at start-up, the closed line on first use).
  const audio = new Map<string, Promise<Int16Array | undefined>>();

  const render = (text: string): Promise<Int16Array | undefined> => {
    const known = audio.get(text);
    if (known) return known;
    const rendered = (async () => {
      const parts: Int16Array[] = [];
      for await (const chunk of opts.tts.synthesize(text, opts.voice ? { voice: opts.voice } : {})) parts.push(chunk.pcm);
      const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    })().catch((err: unknown) => {
      // Without the audio the refusal is still clean, only silent; try again next time.
      opts.log.warn({ err: String(err) }, 'could not synthesize the busy line');
      audio.delete(text);
      return undefined;
    });
    audio.set(text, rendered);
    return rendered;
  };

  async function record(call: RefusedCall): Promise<void> {
    const { store } = opts;
    const session = await store.createSession({ channel: 'voice', callerId: call.callerId, callerName: call.callerName });
    await store.appendEvent(session.id, 'session.started', {
      channel: 'voice',
      callerId: call.callerId,
      ...(call.callerName ? { callerName: call.callerName } : {}),
    });
    const reason = call.closed ? `not taking calls: ${call.closed}` : `${BUSY_REASON} (capacity ${call.capacity} calls)`;
    await store.appendEvent(session.id, 'session.ended', { by: 'system', reason });
    await store.appendEvent(session.id, 'state.changed', { from: 'ai', to: 'ended' });
    await store.updateSession(session.id, { state: 'ended', endedAt: new Date() });
  }

  return {
    async warm() {
      await render(BUSY_LINE_TEXT);
    },
    refuse(call) {
      let heard: () => void = () => undefined;
      const done = (async () => {
        const recorded = record(call).catch((err: unknown) => opts.log.warn({ err: String(err) }, 'could not record a refused call'));
        const pcm = await render(call.closed ? CLOSED_LINE_TEXT : BUSY_LINE_TEXT);
        if (pcm && pcm.length > 0) {
          const pacer = createOutboundPacer({ streamSid: call.streamSid, format: call.format, send: call.send });
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            heard = resolve;
            timer = setTimeout(resolve, pcm.length / 16 + MARK_GRACE_MS);
            pacer.enqueue(pcm, BUSY_MARK);
          });
          clearTimeout(timer);
          pacer.dispose();
        }
        await recorded;
      })();
      return { done, markHeard: (name) => (name === BUSY_MARK ? heard() : undefined) };
    },
  };
}
