import { describe, expect, it } from 'vitest';
import { dtmfFrequencies, dtmfSequence, dtmfTone, holdMusic, silence } from '../../src/media/tones';

const RATE = 16_000;
const ALL_ROWS = [697, 770, 852, 941];
const ALL_COLUMNS = [1209, 1336, 1477, 1633];

/** Goertzel power at `frequency`, normalised so a full-length sine of amplitude A gives ≈ A²/4. */
function goertzel(pcm: Int16Array, frequency: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / RATE);
  let s1 = 0;
  let s2 = 0;
  for (const x of pcm) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (pcm.length * pcm.length);
}

function rmsDbfs(pcm: Int16Array): number {
  let sum = 0;
  for (const x of pcm) sum += x * x;
  return 20 * Math.log10(Math.sqrt(sum / pcm.length) / 32767);
}

function peakDbfs(pcm: Int16Array): number {
  let peak = 0;
  for (const x of pcm) peak = Math.max(peak, Math.abs(x));
  return 20 * Math.log10(peak / 32767);
}

/**
 * Largest 4th difference. Band-limited music below ~1.6 kHz barely registers (each difference
 * scales a tone by 2·sin(πf/rate) ≤ 0.6), while a step of d in the waveform shows up as ~3d.
 */
function clickiness(pcm: Int16Array): number {
  let max = 0;
  for (let i = 4; i < pcm.length; i++) {
    const at = (k: number): number => pcm[i - k] ?? 0;
    max = Math.max(max, Math.abs(at(0) - 4 * at(1) + 6 * at(2) - 4 * at(3) + at(4)));
  }
  return max;
}

describe('dtmfTone', () => {
  it.each([...'123A456B789C*0#D'])('key %s carries exactly its row and column frequencies', (digit) => {
    const tone = dtmfTone(digit);
    expect(tone.length).toBe(120 * 16);
    const [row, column] = dtmfFrequencies(digit);
    const powers = new Map([...ALL_ROWS, ...ALL_COLUMNS].map((f) => [f, goertzel(tone, f)]));
    const present = Math.min(powers.get(row) ?? 0, powers.get(column) ?? 0);
    for (const [f, power] of powers) {
      if (f === row || f === column) continue;
      // A real detector wants the other bins well down; 20 dB is a loose floor.
      expect(power).toBeLessThan(present / 100);
    }
    // −10 dBFS per sine, shaved a little by the 5 ms ramps.
    const amplitude = 2 * Math.sqrt(present);
    expect(20 * Math.log10(amplitude / 32767)).toBeGreaterThan(-11);
    expect(20 * Math.log10(amplitude / 32767)).toBeLessThan(-9.5);
  });

  it('ramps in and out instead of clicking', () => {
    const tone = dtmfTone('5');
    expect(tone[0]).toBe(0);
    expect(Math.abs(tone[tone.length - 1] ?? 1)).toBeLessThan(50);
    expect(peakDbfs(tone.subarray(0, 16))).toBeLessThan(peakDbfs(tone) - 20);
  });

  it('accepts lower-case letters and rejects anything that is not a key', () => {
    expect(dtmfTone('a')).toEqual(dtmfTone('A'));
    expect(() => dtmfTone('x')).toThrow(/not a DTMF key/);
    expect(() => dtmfTone('12')).toThrow(/not a DTMF key/);
    expect(() => dtmfTone('1', -5)).toThrow(RangeError);
  });
});

describe('dtmfSequence', () => {
  it('places each tone with a silent gap between, none after the last', () => {
    const seq = dtmfSequence('19#', 100, 50);
    expect(seq.length).toBe((3 * 100 + 2 * 50) * 16);
    expect(seq.subarray(0, 1600)).toEqual(dtmfTone('1', 100));
    expect(seq.subarray(1600, 2400).every((x) => x === 0)).toBe(true);
    expect(seq.subarray(2400, 4000)).toEqual(dtmfTone('9', 100));
    expect(seq.subarray(4800)).toEqual(dtmfTone('#', 100));
    expect(dtmfSequence('').length).toBe(0);
  });
});

describe('silence', () => {
  it('is zeros of the right length', () => {
    const s = silence(20);
    expect(s.length).toBe(320);
    expect(s.every((x) => x === 0)).toBe(true);
  });
});

describe('holdMusic', () => {
  it('sits around −24 dBFS and never gets loud', () => {
    const minute = holdMusic(60_000);
    expect(minute.length).toBe(60_000 * 16);
    expect(rmsDbfs(minute)).toBeGreaterThan(-26);
    expect(rmsDbfs(minute)).toBeLessThan(-22);
    expect(peakDbfs(minute)).toBeLessThan(-10);
    // Level stays even through chord changes: no half-second window drops out or jumps up.
    for (let at = 0; at + 8000 <= minute.length; at += 8000) {
      const window = rmsDbfs(minute.subarray(at, at + 8000));
      expect(window).toBeGreaterThan(-32);
      expect(window).toBeLessThan(-19);
    }
  });

  it('joins chunks exactly, across the loop point too', () => {
    const whole = holdMusic(30_000, 1234);
    const pieces: Int16Array[] = [];
    let sample = 1234;
    for (const ms of [20, 20, 7.5, 1000, 333, 20]) {
      const chunk = holdMusic(ms, sample);
      pieces.push(chunk);
      sample += chunk.length;
    }
    while (sample < 1234 + whole.length) {
      const chunk = holdMusic(Math.min(20, (1234 + whole.length - sample) / 16), sample);
      pieces.push(chunk);
      sample += chunk.length;
    }
    const joined = new Int16Array(whole.length);
    let at = 0;
    for (const piece of pieces) {
      joined.set(piece, at);
      at += piece.length;
    }
    expect(at).toBe(whole.length);
    // First differing sample, not toEqual: a 480k-element diff is slow and unreadable.
    expect(joined.findIndex((x, i) => x !== whole[i])).toBe(-1);
  });

  it('is smooth everywhere, including where the progression loops', () => {
    // 40 s crosses the 10 s loop point four times and every chord change in between.
    const audio = holdMusic(40_000);
    expect(clickiness(audio)).toBeLessThan(150);
    // The detector itself: a 60-step (−55 dBFS) discontinuity is enough to trip it.
    const clicked = audio.slice(5000, 9000);
    for (let i = 2000; i < clicked.length; i++) clicked[i] = (clicked[i] ?? 0) + 60;
    expect(clickiness(clicked)).toBeGreaterThan(150);
    expect(holdMusic(0).length).toBe(0);
  });
});
