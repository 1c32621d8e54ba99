// Pacing and idleness of one inbound media stream. A phone line delivers audio at real time;
// a peer that sends it faster (one socket once wrote a 26 MB recording in 0.6 s) is feeding us
// work no caller produces, and a stream that sends nothing for long is a dead line holding a
// slot. The guard measures both against the wall clock from the moment the stream opened (a
// peer cannot have spoken before it connected, so a stall on our side never reads as a burst).
// Pure logic over an injected clock; the carrier closes the socket with the verdict's code.
import { systemClock, type RoutingClock } from '../routing/clock';
import { CLOSE_PROTOCOL, type MediaFormat } from '../../../contracts/media-stream';

export interface StreamLimits {
  /** How far ahead of real time the audio may run (network jitter and bursts after a hiccup). */
  burstMs: number;
  /** A stream that sends nothing for this long is closed. */
  idleMs: number;
}

export type StreamVerdict = { ok: true } | { ok: false; closeCode: number; reason: string };

const OK: StreamVerdict = { ok: true };

export class StreamGuard {
  readonly #limits: StreamLimits;
  readonly #clock: RoutingClock;
  readonly #openedAt: number;
  #lastFrameAt: number;
  #audioMs = 0;

  constructor(limits: StreamLimits, clock: RoutingClock = systemClock) {
    this.#limits = limits;
    this.#clock = clock;
    this.#openedAt = clock.now();
    this.#lastFrameAt = this.#openedAt;
  }

  /** Any frame at all: the line is alive. */
  frame(): void {
    this.#lastFrameAt = this.#clock.now();
  }

  /** A media frame carrying `bytes` of audio in `format`. */
  audio(bytes: number, format: MediaFormat): StreamVerdict {
    this.#audioMs += audioMs(bytes, format);
    const elapsed = this.#clock.now() - this.#openedAt;
    const ahead = this.#audioMs - elapsed;
    if (ahead > this.#limits.burstMs) {
      return {
        ok: false,
        closeCode: CLOSE_PROTOCOL,
        reason: `audio arrives faster than real time (${Math.round(ahead)} ms ahead); send 20 ms frames as they are captured`,
      };
    }
    return OK;
  }

  /** How long until the stream counts as idle (0 or less: it is idle now). */
  idleInMs(): number {
    return this.#lastFrameAt + this.#limits.idleMs - this.#clock.now();
  }

  idleVerdict(): StreamVerdict {
    if (this.idleInMs() > 0) return OK;
    return {
      ok: false,
      closeCode: CLOSE_PROTOCOL,
      reason: `no frames for ${Math.round(this.#limits.idleMs / 1000)} s; a live stream sends media (silence included) every 20 ms`,
    };
  }

  /** Audio received so far, in ms (for the load bench and logs). */
  get audioMs(): number {
    return this.#audioMs;
  }
}

/** Milliseconds of audio in `bytes` of the format (8-bit µ-law at 8 kHz, 16-bit L16 at 16 kHz). */
export function audioMs(bytes: number, format: MediaFormat): number {
  const bytesPerSample = format.encoding === 'audio/x-mulaw' ? 1 : 2;
  return (bytes / bytesPerSample / format.sampleRate) * 1000 / format.channels;
}

/** Decoded size of canonical base64 without decoding it (the parser already checked the form). */
export function base64Bytes(s: string): number {
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - padding;
}
