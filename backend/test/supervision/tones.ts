// Measurable audio for supervision tests and the bench: pure tones at distinct frequencies
// (one per speaker) and a Goertzel detector that says how strong one frequency is in a
// stretch of 16 kHz audio, so "who hears whom" is checked by content, not by timing.
export const RATE = 16_000;

export function tone(hz: number, samples: number, amplitude = 8000, phase = 0): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * (i + phase)) / RATE));
  return out;
}

/** Amplitude of `hz` in `pcm` (a pure tone of amplitude A reads ≈ A). */
export function toneLevel(pcm: Int16Array, hz: number): number {
  if (pcm.length === 0) return 0;
  const k = (2 * Math.PI * hz) / RATE;
  const coeff = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < pcm.length; i++) {
    const s0 = pcm[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / pcm.length;
}

export function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const CALLER_HZ = 440;
export const AGENT_HZ = 700;
export const LEAD_HZ = 1200;
