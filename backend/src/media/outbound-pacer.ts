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
  /** Queue 16 kHz PCM as one segment; returns the mark name that will follow it. The array must not be mutated afterwards. */
  enqueue(pcm16k: Int16Array, segmentMark?: string): string;
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
  /** 16 kHz source; resampled to the wire rate a frame at a time, so a long reply costs no stall. */
  src: Int16Array;
  srcCursor: number;
  resamplerFlushed: boolean;
  /** Wire-rate samples in the segment and already sent. */
  wireTotal: number;
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
  const samplesPerMs = wireRate / 1000;
  const frameSamples = Math.round(samplesPerMs * frameMs);
  const resampler = createResampler(PIPELINE_RATE, wireRate);
  const mulawFrame = new Uint8Array(frameSamples); // reused encode buffer
  const resampling = wireRate !== PIPELINE_RATE;
  const srcChunk = Math.round((frameSamples * PIPELINE_RATE) / wireRate);
  let wireBuf = new Int16Array(frameSamples * 2); // resampled, not yet sent (current segment only)
  let wireLen = 0;

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

  function encodeFrame(pcm: Int16Array): string {
    const bytes = isMulaw ? encodeMulaw(pcm, mulawFrame) : encodeL16(pcm);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }

  /** The next frame of `seg` at the wire rate (a view valid until the next call). */
  function nextFrame(seg: Segment): Int16Array {
    const want = Math.min(frameSamples, seg.wireTotal - seg.wireSent);
    if (!resampling) return seg.src.subarray(seg.wireSent, seg.wireSent + want);
    while (wireLen < want && !seg.resamplerFlushed) {
      let out: Int16Array;
      if (seg.srcCursor < seg.src.length) {
        const end = Math.min(seg.srcCursor + srcChunk, seg.src.length);
        out = resampler.process(seg.src.subarray(seg.srcCursor, end));
        seg.srcCursor = end;
      } else {
        out = resampler.flush(); // emits the filter tail and resets for the next segment
        seg.resamplerFlushed = true;
      }
      if (wireLen + out.length > wireBuf.length) {
        const grown = new Int16Array((wireLen + out.length) * 2);
        grown.set(wireBuf.subarray(0, wireLen));
        wireBuf = grown;
      }
      wireBuf.set(out, wireLen);
      wireLen += out.length;
    }
    return wireBuf.subarray(0, Math.min(want, wireLen));
  }

  function consumeWire(samples: number): void {
    if (!resampling) return;
    wireBuf.copyWithin(0, samples, wireLen);
    wireLen -= samples;
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
      const slice = seg.wireSent < seg.wireTotal ? nextFrame(seg) : undefined;
      if (slice && slice.length > 0) {
        send({ event: 'media', streamSid, media: { payload: encodeFrame(slice) } });
        const durMs = slice.length / samplesPerMs;
        playoutEndsAt += durMs;
        seg.sentMs += durMs;
        seg.wireSent += slice.length;
        consumeWire(slice.length);
        if (!sentFirstFrame) {
          sentFirstFrame = true;
          for (const fn of listeners.firstFrameSent) fn(now);
        }
      }
      if (seg.wireSent >= seg.wireTotal || !slice || slice.length === 0) {
        queue.shift();
        // Each segment starts the resampler fresh, so nothing carries over to the next one.
        if (resampling && !seg.resamplerFlushed) resampler.flush();
        wireLen = 0;
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
      const mark = segmentMark ?? `seg-${++segmentCounter}`;
      // The resampler is flushed at each segment end, so its output length is exact and the
      // mark lands right after the segment's last sample.
      const wireTotal = resampling ? Math.ceil((pcm16k.length * wireRate) / PIPELINE_RATE) : pcm16k.length;
      queue.push({
        mark,
        src: pcm16k,
        srcCursor: 0,
        resamplerFlushed: false,
        wireTotal,
        wireSent: 0,
        totalMs: wireTotal / samplesPerMs,
        sentMs: 0,
        playStartAt: Number.NaN,
      });
      playing = true;
      tick(false);
      return mark;
    },
    clear() {
      const now = clock.now();
      const segments: SegmentProgress[] = [];
      for (const s of [...inFlight, ...queue]) {
        const played = Number.isNaN(s.playStartAt) ? 0 : Math.max(0, Math.min(s.sentMs, now - s.playStartAt));
        segments.push({ mark: s.mark, totalMs: s.totalMs, sentMs: s.sentMs, playedMs: played });
      }
      const hadAudio = playing;
      const current = queue[0];
      if (resampling && current && current.srcCursor > 0 && !current.resamplerFlushed) resampler.flush(); // reset
      wireLen = 0;
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
