// RNNoise (WASM) on caller audio: steady noise is pushed down, speech stays, the stream keeps
// its length and timing across chunk boundaries.
import { describe, expect, it } from 'vitest';
import { createNoiseSuppressor } from '../../src/speech/noise-suppressor';
import { concatPcm, synthesizeCallerUtterance } from '../support/caller-audio';

function power(pcm: Int16Array): number {
  return pcm.reduce((n, v) => n + v * v, 0) / Math.max(1, pcm.length);
}

describe('noise suppressor', () => {
  it('removes steady noise and keeps speech', async () => {
    const speech = await synthesizeCallerUtterance('Where is my order?');
    let seed = 1;
    const noise = (n: number): Int16Array =>
      Int16Array.from({ length: n }, () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return Math.round(((seed % 2001) / 1000 - 1) * 1500);
      });
    const lead = noise(16000);
    const voiced = noise(speech.length).map((v, i) => v + speech[i]!);
    const input = concatPcm([lead, voiced]);
    const suppressor = await createNoiseSuppressor();
    const parts: Int16Array[] = [];
    for (let i = 0; i < input.length; i += 320) parts.push(suppressor.process(input.subarray(i, i + 320)));
    suppressor.dispose();
    const output = concatPcm(parts);
    expect(Math.abs(output.length - input.length)).toBeLessThan(800);
    // The second half of the noise-only lead (the model has adapted by then).
    expect(power(output.subarray(8000, 15000))).toBeLessThan(power(input.subarray(8000, 15000)) / 10);
    expect(power(output.subarray(16000 + 4000, output.length - 4000))).toBeGreaterThan(power(speech) / 4);
  });
});
