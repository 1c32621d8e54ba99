// Playout of AI audio toward one caller. The far end (Twilio, or the local caller page) is a
// playout buffer that plays whatever it receives, so we meter audio out at about real time with
// a small lead: enough to ride out timer jitter, little enough that `clear` on barge-in cuts the
// AI off quickly. Each segment (a TTS sentence, a prompt) is followed by a `mark`; the far end
// echoes the mark once it has played the audio before it, which is how the conversation learns
// what the caller actually heard. Timing uses an absolute schedule (drift-corrected), so late
// timers cause a catch-up, not accumulated delay.
import type { MediaFormat, OutboundFrame } from '../../../contracts/media-stream';
import { encodeL16 } from './l16';
import { encodeMulaw } from './mulaw';
import { createResampler } from './resampler';

/** Internal pipeline rate: everything handed to the pacer is 16 kHz mono Int16. */
const PIPELINE_RATE = 16_000;
export const DEFAULT_PACER_FRAME_MS = 20;
/** How far ahead of real time we keep the remote buffer: ≤ 4 frames of 20 ms. */
export const DEFAULT_PACER_LEAD_MS = 80;

export interface PacerClock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimer(fn: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemPacerClock: PacerClock = {
  now: () => performance.now(),
  setTimer: (fn, delayMs) => setTimeout(fn, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface OutboundPacerOptions {
  streamSid: string;
  /** The call's wire format, from its `start` frame. */
  format: MediaFormat;
  send(frame: OutboundFrame): void;
  /** 20–40 ms; 20 matches what Twilio sends us. */
  frameMs?: number;
  leadMs?: number;
  clock?: PacerClock;
}

/** Progress of one segment at the moment of a `clear`. */
export interface SegmentProgress {
  mark: string;
  totalMs: number;
  /** Audio of this segment that reached the wire before the clear. */
  sentMs: number;
  /** Estimate of what had played out remotely (sent minus what still sat in the far buffer). */
  playedMs: number;
}

export interface ClearReport {
  /** Every segment the clear cut short or dropped, in play order; ones already fully played are omitted. */
  segments: SegmentProgress[];
}

export interface PacerEvents {
  /** Everything enqueued has been sent and, by our clock, played out remotely. */
  drained: () => void;
  /** First audio frame of a reply reached the wire (clock time): the latency the caller feels. */
  firstFrameSent: (atMs: number) => void;
  /** A segment's last frame and its mark were sent. */
  segmentSent: (mark: string) => void;
}

export interface OutboundPacer {
  /** Queue 16 kHz PCM as one segment; returns the mark name that will follow it. The array must not be mutated afterwards (L16 16 kHz is sent from it as is). */
  enqueue(pcm16k: Int16Array, segmentMark?: string): string;
  /** Queue audio already in the carrier's µ-law 8 kHz (a synthesizer that produces it); only on a µ-law 8 kHz stream. The array must not be mutated afterwards. */
  enqueueMulaw(mulaw8k: Uint8Array, segmentMark?: string): string;
  /** Drop all queued audio, tell the far end to drop its buffer, and report what got through. */
  clear(): ClearReport;
  readonly isPlaying: boolean;
  /** Audio queued but not yet sent, in ms. */
  readonly queuedMs: number;
  /** Times the schedule fell behind real time (the far end may have heard a gap). */
  readonly underruns: number;
  on<E extends keyof PacerEvents>(event: E, fn: PacerEvents[E]): () => void;
  dispose(): void;
}

interface Segment {
  mark: string;
  /** The whole segment already in the wire format: resampled and encoded once, at enqueue. */
  wire: Uint8Array;
  /** Bytes sent so far. */
  wireSent: number;
  totalMs: number;
  sentMs: number;
  /** Clock time at which this segment's first sample plays remotely; NaN until sent. */
  playStartAt: number;
}

export function createOutboundPacer(options: OutboundPacerOptions): OutboundPacer {
  const { streamSid, format, send } = options;
  const frameMs = options.frameMs ?? DEFAULT_PACER_FRAME_MS;
  const leadMs = options.leadMs ?? DEFAULT_PACER_LEAD_MS;
  const clock = options.clock ?? systemPacerClock;
  if (!(frameMs >= 20 && frameMs <= 40)) throw new RangeError(`pacer frameMs must be 20–40, got ${frameMs}`);
  if (!(leadMs >= frameMs)) throw new RangeError(`pacer leadMs (${leadMs}) must be at least one frame (${frameMs})`);

  const wireRate = format.sampleRate;
  const isMulaw = format.encoding === 'audio/x-mulaw';
  const bytesPerSample = isMulaw ? 1 : 2;
  const bytesPerMs = (wireRate / 1000) * bytesPerSample;
  const frameBytes = Math.round(bytesPerMs * frameMs);

  const queue: Segment[] = []; // not fully sent
  const inFlight: Segment[] = []; // fully sent, maybe still playing remotely
  const listeners: { [E in keyof PacerEvents]: Set<PacerEvents[E]> } = {
    drained: new Set(),
    firstFrameSent: new Set(),
    segmentSent: new Set(),
  };
  let segmentCounter = 0;
  let playing = false;
  let sentFirstFrame = false;
  /** Clock time at which the far end will have played everything we sent. */
  let playoutEndsAt = 0;
  let timer: unknown = undefined;
  let underruns = 0;
  let disposed = false;

  /**
   * 16 kHz pipeline audio → the wire format, once per segment (a sentence), not per frame: one
   * resampler run with its filter tail flushed, so the mark lands right after the last sample.
   */
  function toWire(pcm16k: Int16Array): Uint8Array {
    if (wireRate === PIPELINE_RATE) return isMulaw ? encodeMulaw(pcm16k) : encodeL16(pcm16k);
    const resampler = createResampler(PIPELINE_RATE, wireRate);
    const body = resampler.process(pcm16k);
    const tail = resampler.flush();
    const wire = new Int16Array(body.length + tail.length);
    wire.set(body);
    wire.set(tail, body.length);
    return isMulaw ? encodeMulaw(wire) : encodeL16(wire);
  }

  function push(mark: string, wire: Uint8Array): string {
    queue.push({ mark, wire, wireSent: 0, totalMs: wire.length / bytesPerMs, sentMs: 0, playStartAt: Number.NaN });
    playing = true;
    tick(false);
    return mark;
  }

  function schedule(delayMs: number): void {
    if (timer !== undefined) clock.clearTimer(timer);
    timer = clock.setTimer(tick, Math.max(1, delayMs));
  }

  function cancelTimer(): void {
    if (timer !== undefined) clock.clearTimer(timer);
    timer = undefined;
  }

  function tick(fromTimer = true): void {
    if (fromTimer) timer = undefined;
    if (disposed) return;
    const now = clock.now();
    // Only a scheduled send that found the far buffer empty is a gap the caller could hear.
    if (fromTimer && queue.length > 0 && sentFirstFrame && playoutEndsAt < now) underruns++;
    if (playoutEndsAt < now) playoutEndsAt = now;

    // Send while the far buffer stays within the lead after this frame.
    while (queue.length > 0 && playoutEndsAt - now + frameMs <= leadMs) {
      const seg = queue[0] as Segment;
      if (Number.isNaN(seg.playStartAt)) seg.playStartAt = playoutEndsAt;
      const slice = seg.wire.subarray(seg.wireSent, Math.min(seg.wire.length, seg.wireSent + frameBytes));
      if (slice.length > 0) {
        send({ event: 'media', streamSid, media: { payload: Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength).toString('base64') } });
        const durMs = slice.length / bytesPerMs;
        playoutEndsAt += durMs;
        seg.sentMs += durMs;
        seg.wireSent += slice.length;
        if (!sentFirstFrame) {
          sentFirstFrame = true;
          for (const fn of listeners.firstFrameSent) fn(now);
        }
      }
      if (seg.wireSent >= seg.wire.length) {
        queue.shift();
        inFlight.push(seg);
        send({ event: 'mark', streamSid, mark: { name: seg.mark } });
        for (const fn of listeners.segmentSent) fn(seg.mark);
      }
    }
    // Forget segments that have finished playing by our estimate.
    while (inFlight.length > 0) {
      const s = inFlight[0] as Segment;
      if (s.playStartAt + s.totalMs > now) break;
      inFlight.shift();
    }

    if (queue.length > 0) {
      // Next frame may go when the far buffer has drained to (lead − frame).
      schedule(playoutEndsAt - (leadMs - frameMs) - now);
    } else if (playoutEndsAt > now) {
      schedule(playoutEndsAt - now); // wake when playout ends, to report `drained`
    } else {
      finishPlaying();
    }
  }

  function finishPlaying(): void {
    inFlight.length = 0;
    playing = false;
    sentFirstFrame = false;
    for (const fn of listeners.drained) fn();
  }

  return {
    enqueue(pcm16k, segmentMark) {
      if (disposed) throw new Error('pacer used after dispose()');
      return push(segmentMark ?? `seg-${++segmentCounter}`, toWire(pcm16k));
    },
    enqueueMulaw(mulaw8k, segmentMark) {
      if (disposed) throw new Error('pacer used after dispose()');
      if (!isMulaw || wireRate !== 8000) throw new Error(`µ-law 8 kHz audio cannot play on a ${format.encoding} ${wireRate} Hz stream`);
      return push(segmentMark ?? `seg-${++segmentCounter}`, mulaw8k);
    },
    clear() {
      const now = clock.now();
      const segments: SegmentProgress[] = [];
      for (const s of [...inFlight, ...queue]) {
        const played = Number.isNaN(s.playStartAt) ? 0 : Math.max(0, Math.min(s.sentMs, now - s.playStartAt));
        segments.push({ mark: s.mark, totalMs: s.totalMs, sentMs: s.sentMs, playedMs: played });
      }
      const hadAudio = playing;
      queue.length = 0;
      inFlight.length = 0;
      cancelTimer();
      playoutEndsAt = now;
      if (!disposed) send({ event: 'clear', streamSid });
      if (hadAudio) {
        playing = false;
        sentFirstFrame = false;
      }
      return { segments };
    },
    get isPlaying() {
      return playing;
    },
    get queuedMs() {
      let ms = 0;
      for (const s of queue) ms += s.totalMs - s.sentMs;
      return ms;
    },
    get underruns() {
      return underruns;
    },
    on(event, fn) {
      const set = listeners[event] as Set<typeof fn>;
      set.add(fn);
      return () => set.delete(fn);
    },
    dispose() {
      disposed = true;
      cancelTimer();
      queue.length = 0;
      inFlight.length = 0;
      for (const set of Object.values(listeners)) set.clear();
    },
  };
}
