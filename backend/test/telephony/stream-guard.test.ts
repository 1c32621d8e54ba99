// Pacing and idleness of one media stream, over a fake clock.
import { describe, expect, it } from 'vitest';
import { L16_16K, MULAW_8K } from '../../../contracts/media-stream';
import { FakeClock } from '../../src/routing/clock';
import { audioMs, StreamGuard } from '../../src/telephony/stream-guard';

const FRAME_L16 = 640; // 20 ms at 16 kHz, 16-bit

describe('StreamGuard', () => {
  it('accepts real-time audio with jitter, and bursts up to the allowance', () => {
    const clock = new FakeClock(1_000);
    const guard = new StreamGuard({ burstMs: 1000, idleMs: 10_000 }, clock);
    for (let i = 0; i < 500; i++) {
      // Frames arrive in clumps of five every 100 ms: late, then all at once.
      if (i % 5 === 0) clock.advance(100);
      expect(guard.audio(FRAME_L16, L16_16K).ok).toBe(true);
    }
    // 900 ms ahead at once is still within the allowance.
    for (let i = 0; i < 45; i++) expect(guard.audio(FRAME_L16, L16_16K).ok).toBe(true);
  });

  it('refuses audio beyond the allowance ahead of real time with 1008', () => {
    const clock = new FakeClock();
    const guard = new StreamGuard({ burstMs: 1000, idleMs: 10_000 }, clock);
    let verdict = guard.audio(FRAME_L16, L16_16K);
    for (let i = 0; i < 60 && verdict.ok; i++) verdict = guard.audio(FRAME_L16, L16_16K);
    expect(verdict).toMatchObject({ ok: false, closeCode: 1008, reason: expect.stringMatching(/faster than real time/) });
  });

  it('measures µ-law at 8 kHz and L16 at 16 kHz', () => {
    expect(audioMs(160, MULAW_8K)).toBe(20);
    expect(audioMs(640, L16_16K)).toBe(20);
  });

  it('calls a stream idle after the idle time without any frame', () => {
    const clock = new FakeClock();
    const guard = new StreamGuard({ burstMs: 1000, idleMs: 10_000 }, clock);
    clock.advance(9_000);
    guard.frame();
    clock.advance(9_999);
    expect(guard.idleVerdict().ok).toBe(true);
    clock.advance(1);
    expect(guard.idleVerdict()).toMatchObject({ ok: false, closeCode: 1008, reason: expect.stringMatching(/no frames for 10 s/) });
  });
});
