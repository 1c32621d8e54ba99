import { describe, expect, it } from 'vitest';
import { createResampler } from '../../src/media/resampler';

function tone(freq: number, rate: number, seconds: number, amp = 12_000): Int16Array {
  const n = Math.round(rate * seconds);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amp * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

/** Power of `freq` in the signal (Goertzel), normalised to amplitude. */
function amplitudeAt(x: Int16Array, freq: number, rate: number, from = 0, to = x.length): number {
  const w = (2 * Math.PI * freq) / rate;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = (x[i] as number) + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - c * s1 * s2;
  return (2 * Math.sqrt(power)) / (to - from);
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function runChunked(from: number, to: number, input: Int16Array, chunk: (i: number) => number): Int16Array {
  const r = createResampler(from, to);
  const parts: Int16Array[] = [];
  let i = 0;
  for (let k = 0; i < input.length; k++) {
    const n = Math.max(1, chunk(k));
    parts.push(r.process(input.subarray(i, i + n)));
    i += n;
  }
  parts.push(r.flush());
  return concat(parts);
}

describe('resampler', () => {
  it('is the identity when rates match', () => {
    const r = createResampler(16_000, 16_000);
    const x = tone(440, 16_000, 0.01);
    expect(r.process(x)).toBe(x);
    expect(r.flush().length).toBe(0);
  });

  it('keeps a 1 kHz tone through 8k → 16k → 8k, with the expected lengths', () => {
    const x = tone(1000, 8000, 0.5);
    const up = runChunked(8000, 16_000, x, () => 160);
    expect(up.length).toBe(x.length * 2);
    const a16 = amplitudeAt(up, 1000, 16_000, 400, up.length - 400);
    expect(a16).toBeGreaterThan(11_500);
    expect(a16).toBeLessThan(12_500);
    // Nothing at the image frequency (8 kHz − 1 kHz = 7 kHz).
    expect(amplitudeAt(up, 7000, 16_000, 400, up.length - 400)).toBeLessThan(50);

    const back = runChunked(16_000, 8000, up, () => 320);
    expect(back.length).toBe(x.length);
    let err = 0;
    for (let i = 200; i < x.length - 200; i++) err = Math.max(err, Math.abs((back[i] as number) - (x[i] as number)));
    expect(err).toBeLessThan(200); // aligned in time (delay compensated), small ripple only
  });

  it('removes content above the new Nyquist when downsampling (anti-alias)', () => {
    const x = tone(6000, 16_000, 0.5);
    const y = runChunked(16_000, 8000, x, () => 320);
    // 6 kHz would alias to 2 kHz at 8 kHz without filtering.
    expect(amplitudeAt(y, 2000, 8000, 200, y.length - 200)).toBeLessThan(20);
  });

  it('gives the same output chunked as whole, for awkward chunk sizes', () => {
    for (const [from, to] of [
      [8000, 16_000],
      [16_000, 8000],
      [22_050, 16_000],
      [48_000, 16_000],
      [16_000, 44_100],
    ] as const) {
      const x = tone(700, from, 0.3);
      const whole = runChunked(from, to, x, () => x.length);
      const chunked = runChunked(from, to, x, (k) => [1, 7, 160, 13, 441, 2][k % 6] as number);
      expect(chunked.length).toBe(Math.ceil((x.length * to) / from));
      expect(Array.from(chunked)).toEqual(Array.from(whole));
    }
  });

  it('preserves tone frequency for 22.05k and 48k TTS audio into 16k', () => {
    for (const from of [22_050, 48_000]) {
      const y = runChunked(from, 16_000, tone(1500, from, 0.4), () => 512);
      expect(amplitudeAt(y, 1500, 16_000, 500, y.length - 500)).toBeGreaterThan(11_000);
      expect(amplitudeAt(y, 1400, 16_000, 500, y.length - 500)).toBeLessThan(1500);
    }
  });

  it('never produces NaN-derived garbage and clamps at full scale', () => {
    const square = new Int16Array(16_000).map((_, i) => ((i >> 4) & 1 ? 32_767 : -32_768));
    const y = runChunked(16_000, 8000, square, () => 320);
    const z = runChunked(8000, 16_000, square, () => 160);
    // Int16Array storage cannot hold NaN; check the filter did not wrap around instead of clamping.
    expect(Math.min(...y, ...z)).toBeGreaterThanOrEqual(-32_768);
    expect(Math.max(...y)).toBeGreaterThan(30_000); // overshoot clamped, not wrapped to negative
    let wraps = 0;
    for (let i = 1; i < z.length; i++) if (Math.abs((z[i] as number) - (z[i - 1] as number)) > 40_000) wraps++;
    expect(wraps).toBe(0);
    // A constant stays exactly constant (unit DC gain per phase).
    const dc = runChunked(8000, 16_000, new Int16Array(800).fill(1000), () => 160);
    expect(new Set(dc.subarray(100, dc.length - 100))).toEqual(new Set([1000]));
  });

  it('rejects nonsense rates', () => {
    expect(() => createResampler(0, 16_000)).toThrow(RangeError);
    expect(() => createResampler(8000.5, 16_000)).toThrow(RangeError);
  });
});
