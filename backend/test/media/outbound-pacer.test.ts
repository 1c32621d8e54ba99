import { describe, expect, it } from 'vitest';
import { createOutboundPacer } from '../../src/media/outbound-pacer';
import type { PacerClock } from '../../src/media/outbound-pacer';
import { decodeMulaw } from '../../src/media/mulaw';
import { L16_16K, MULAW_8K, outboundFrameSchema } from '../../../contracts/media-stream';
import type { MediaFormat, OutboundFrame } from '../../../contracts/media-stream';

/** A manual clock: timers run only when the test advances time. */
function fakeClock(): PacerClock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimer(fn, delayMs) {
      const id = nextId++;
      timers.set(id, { at: now + delayMs, fn });
      return id;
    },
    clearTimer(handle) {
      timers.delete(handle as number);
    },
    pending: () => timers.size,
    advance(ms) {
      const target = now + ms;
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = target;
    },
  };
}

function setup(format: MediaFormat = L16_16K, extra: { frameMs?: number; leadMs?: number } = {}) {
  const clock = fakeClock();
  const sent: { at: number; frame: OutboundFrame }[] = [];
  const pacer = createOutboundPacer({
    streamSid: 'MZ1',
    format,
    clock,
    send: (frame) => sent.push({ at: clock.now(), frame }),
    ...extra,
  });
  return { clock, sent, pacer };
}

const pcmMs = (ms: number, value = 1000) => new Int16Array(16 * ms).fill(value);
const payloadBytes = (f: OutboundFrame) => (f.event === 'media' ? Buffer.from(f.media.payload, 'base64').length : 0);

describe('outbound pacer', () => {
  it('sends 20 ms L16 frames paced at real time with a bounded lead, then a mark', () => {
    const { clock, sent, pacer } = setup();
    const first: number[] = [];
    pacer.on('firstFrameSent', (at) => first.push(at));
    const mark = pacer.enqueue(pcmMs(1000), 'reply-1');
    expect(mark).toBe('reply-1');
    expect(pacer.isPlaying).toBe(true);
    // Never a whole reply at once: only the lead (80 ms = 4 frames) goes immediately.
    expect(sent.length).toBe(4);
    expect(first).toEqual([0]);

    for (let t = 0; t < 1200; t += 5) {
      clock.advance(5);
      // Sent audio never runs more than lead + one frame ahead of real time.
      const media = sent.filter((s) => s.frame.event === 'media').length;
      expect(media * 20 - clock.now()).toBeLessThanOrEqual(100);
    }
    const media = sent.filter((s) => s.frame.event === 'media');
    expect(media.length).toBe(50);
    for (const m of media) expect(payloadBytes(m.frame)).toBe(640);
    // Frame n is sent at max(0, n·20 − 60) ms: steady real-time cadence after the lead.
    media.forEach((m, n) => expect(m.at).toBe(Math.max(0, n * 20 - 60)));
    const last = sent[sent.length - 1];
    expect(last?.frame).toEqual({ event: 'mark', streamSid: 'MZ1', mark: { name: 'reply-1' } });
    for (const s of sent) expect(outboundFrameSchema.safeParse(s.frame).success).toBe(true);
  });

  it('sends a mark after each segment, in order, and reports drained after playout', () => {
    const { clock, sent, pacer } = setup();
    let drained = 0;
    pacer.on('drained', () => drained++);
    pacer.enqueue(pcmMs(100), 'a');
    pacer.enqueue(pcmMs(50)); // partial last frame: 2.5 frames
    clock.advance(400);
    const kinds = sent.map((s) => (s.frame.event === 'mark' ? `mark:${s.frame.mark.name}` : s.frame.event));
    expect(kinds).toEqual(['media', 'media', 'media', 'media', 'media', 'mark:a', 'media', 'media', 'media', 'mark:seg-1']);
    expect(payloadBytes(sent[8]!.frame)).toBe(320); // the 10 ms remainder
    expect(drained).toBe(1);
    expect(pacer.isPlaying).toBe(false);
    expect(clock.pending()).toBe(0);
  });

  it('encodes µ-law 8 kHz frames of 160 bytes via the resampler', () => {
    const { clock, sent, pacer } = setup(MULAW_8K);
    const tone = new Int16Array(16 * 200).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 500 * i) / 16_000)));
    pacer.enqueue(tone, 'm');
    clock.advance(500);
    const media = sent.filter((s) => s.frame.event === 'media');
    expect(media.length).toBe(10);
    for (const m of media) expect(payloadBytes(m.frame)).toBe(160);
    const decoded = decodeMulaw(new Uint8Array(Buffer.from((media[3]!.frame as { media: { payload: string } }).media.payload, 'base64')));
    const peak = Math.max(...decoded.map(Math.abs));
    expect(peak).toBeGreaterThan(7000);
    expect(peak).toBeLessThan(9000);
  });

  it('resamples µ-law segments frame by frame with marks at exact segment ends', () => {
    const { clock, sent, pacer } = setup(MULAW_8K);
    pacer.enqueue(pcmMs(110), 'one');
    pacer.enqueue(pcmMs(90), 'two');
    clock.advance(500);
    const shape = sent.map((s) => (s.frame.event === 'mark' ? s.frame.mark.name : payloadBytes(s.frame)));
    expect(shape).toEqual([160, 160, 160, 160, 160, 80, 'one', 160, 160, 160, 160, 80, 'two']);
    // A constant level survives resampling and µ-law with no clicks at frame joins. (Segment
    // edges are real steps from and to silence, so only inner frames are checked.)
    for (const s of [...sent.slice(1, 5), ...sent.slice(8, 11)]) {
      if (s.frame.event !== 'media') continue;
      const pcm = decodeMulaw(new Uint8Array(Buffer.from(s.frame.media.payload, 'base64')));
      for (const v of pcm) expect(Math.abs(v - 1000)).toBeLessThan(40);
    }
  });

  it('supports 40 ms frames', () => {
    const { clock, sent, pacer } = setup(L16_16K, { frameMs: 40, leadMs: 80 });
    pacer.enqueue(pcmMs(400));
    clock.advance(600);
    const media = sent.filter((s) => s.frame.event === 'media');
    expect(media.length).toBe(10);
    expect(payloadBytes(media[0]!.frame)).toBe(1280);
    expect(() => setup(L16_16K, { frameMs: 10 })).toThrow(/20–40/);
  });

  it('clear() drops the queue, sends clear, and reports what each segment got out', () => {
    const { clock, sent, pacer } = setup();
    pacer.enqueue(pcmMs(100), 's1');
    pacer.enqueue(pcmMs(1000), 's2');
    pacer.enqueue(pcmMs(500), 's3');
    clock.advance(300);
    const report = pacer.clear();
    expect(sent[sent.length - 1]?.frame).toEqual({ event: 'clear', streamSid: 'MZ1' });
    // By 300 ms, 380 ms had been sent (300 + 80 lead): s1 whole (and already played, so not
    // reported), 280 ms of s2 of which 200 ms had played, none of s3.
    expect(report.segments).toEqual([
      { mark: 's2', totalMs: 1000, sentMs: 280, playedMs: 200 },
      { mark: 's3', totalMs: 500, sentMs: 0, playedMs: 0 },
    ]);
    expect(pacer.isPlaying).toBe(false);
    expect(pacer.queuedMs).toBe(0);
    const count = sent.length;
    clock.advance(2000);
    expect(sent.length).toBe(count); // nothing more after a clear
    expect(clock.pending()).toBe(0);

    // The pacer is reusable for the next reply, with a fresh first-frame event.
    const first: number[] = [];
    pacer.on('firstFrameSent', (at) => first.push(at));
    pacer.enqueue(pcmMs(40), 'next');
    expect(first).toEqual([2300]);
  });

  it('catches up after a late timer instead of accumulating drift', () => {
    const clock = fakeClock();
    const sent: number[] = [];
    // A clock whose timers fire 7 ms late.
    const lateClock: PacerClock = { ...clock, setTimer: (fn, ms) => clock.setTimer(fn, ms + 7) };
    const pacer = createOutboundPacer({
      streamSid: 'MZ2',
      format: L16_16K,
      clock: lateClock,
      send: (f) => {
        if (f.event === 'media') sent.push(clock.now());
      },
    });
    pacer.enqueue(pcmMs(2000));
    clock.advance(1000);
    // With per-frame setTimeout chaining the schedule would slip 7 ms per frame (≈ 35 % slow);
    // absolute scheduling keeps the count at real time + lead.
    expect(sent.length).toBeGreaterThanOrEqual(1000 / 20 + 2);
    expect(sent.length).toBeLessThanOrEqual(1000 / 20 + 5);
    expect(pacer.underruns).toBe(0);
  });
});
