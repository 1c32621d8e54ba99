import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCallRecorder } from '../../src/media/call-recorder';
import { decodeMulaw, encodeMulaw } from '../../src/media/mulaw';
import { guardRecorder, holdsKeypadTone } from '../../src/media/recording-guard';
import { createResampler } from '../../src/media/resampler';
import { dtmfSequence, dtmfTone } from '../../src/media/tones';
import { synthesizeCallerUtterance } from '../support/caller-audio';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function sine(frequency: number, ms: number, amplitude = 8000): Int16Array {
  const n = ms * 16;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / 16000));
  return out;
}

function noise(ms: number, seed = 1): Int16Array {
  let x = seed;
  const out = new Int16Array(ms * 16);
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = ((x >> 8) % 16000) - 8000;
  }
  return out;
}

/** Left and right channels of our stereo 16-bit WAV. */
function channels(wav: Buffer): { left: Int16Array; right: Int16Array } {
  const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.byteLength));
  const left = new Int16Array(samples.length / 2);
  const right = new Int16Array(samples.length / 2);
  for (let i = 0; i < left.length; i++) {
    left[i] = samples[2 * i] ?? 0;
    right[i] = samples[2 * i + 1] ?? 0;
  }
  return { left, right };
}

const peak = (pcm: Int16Array) => pcm.reduce((m, s) => Math.max(m, Math.abs(s)), 0);

function frames(pcm: Int16Array): Int16Array[] {
  const out: Int16Array[] = [];
  for (let at = 0; at < pcm.length; at += 320) out.push(pcm.subarray(at, at + 320));
  return out;
}

describe('holdsKeypadTone', () => {
  it('finds every DTMF key and not single tones, noise or silence', () => {
    for (const key of '0123456789*#') expect(holdsKeypadTone(dtmfTone(key, 20))).toBe(true);
    expect(holdsKeypadTone(sine(1000, 20))).toBe(false);
    expect(holdsKeypadTone(sine(697, 20))).toBe(false);
    expect(holdsKeypadTone(noise(20))).toBe(false);
    expect(holdsKeypadTone(new Int16Array(320))).toBe(false);
  });
});

describe('holdsKeypadTone on a phone line', () => {
  it('finds tones that crossed 8 kHz µ-law and were upsampled, as from a carrier', () => {
    const down = createResampler(16000, 8000);
    const up = createResampler(8000, 16000);
    const line = up.process(decodeMulaw(encodeMulaw(down.process(dtmfSequence('4111111111111111')))));
    const blocks = frames(line).filter((b) => b.length === 320);
    const toneBlocks = blocks.filter((b) => holdsKeypadTone(b)).length;
    // 16 tones of 120 ms: 6 blocks each, give or take the block each edge straddles.
    expect(toneBlocks).toBeGreaterThanOrEqual(16 * 5);
  });
});

describe('holdsKeypadTone on speech', () => {
  it('leaves (almost) all of a spoken sentence alone, in two voices', async () => {
    for (const voice of ['slt', 'kal16']) {
      const speech = await synthesizeCallerUtterance('Hello, I would like to check on my order and my card number is four one one one.', voice);
      const blocks = frames(speech).filter((b) => b.length === 320);
      const flagged = blocks.filter((b) => holdsKeypadTone(b)).length;
      expect(flagged / blocks.length, voice).toBeLessThan(0.02);
    }
  });
});

describe('guardRecorder', () => {
  it('records silence where the caller keyed digits and keeps the voice around them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-'));
    dirs.push(dir);
    const recorder = guardRecorder(createCallRecorder(join(dir, 'call.wav')));
    const voice = sine(220, 500);
    const keyed = dtmfSequence('4111111111111111');
    for (const f of [...frames(voice), ...frames(keyed), ...frames(voice)]) recorder.writeCaller(f);
    await recorder.close();
    const { left } = channels(await readFile(join(dir, 'call.wav')));
    expect(left.length).toBe(voice.length * 2 + keyed.length);
    expect(peak(left.subarray(voice.length, voice.length + keyed.length))).toBe(0);
    // The voice either side is intact (save the one tail block after the last tone).
    expect(peak(left.subarray(0, voice.length))).toBeGreaterThan(7000);
    expect(peak(left.subarray(voice.length + keyed.length + 320))).toBeGreaterThan(7000);
    expect(recorder.blankedToneMs).toBeGreaterThan(0);
  });

  it('blanks keypad tones the agent sends on the far side, in any chunk size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-'));
    dirs.push(dir);
    const recorder = guardRecorder(createCallRecorder(join(dir, 'call.wav')));
    const keyed = dtmfSequence('1234');
    recorder.writeFarSide(keyed);
    for (const f of frames(new Int16Array(keyed.length))) recorder.writeCaller(f);
    await recorder.close();
    const { right } = channels(await readFile(join(dir, 'call.wav')));
    expect(peak(right)).toBe(0);
  });

  it('records silence on both channels while paused, and the position keeps counting', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-'));
    dirs.push(dir);
    const recorder = guardRecorder(createCallRecorder(join(dir, 'call.wav')));
    const voice = sine(300, 200);
    for (const f of frames(voice)) recorder.writeCaller(f);
    recorder.pause();
    expect(recorder.paused).toBe(true);
    expect(recorder.positionMs).toBe(200);
    recorder.writeFarSide(sine(400, 200));
    for (const f of frames(voice)) recorder.writeCaller(f);
    recorder.resume();
    for (const f of frames(voice)) recorder.writeCaller(f);
    await recorder.close();
    const { left, right } = channels(await readFile(join(dir, 'call.wav')));
    expect(left.length).toBe(voice.length * 3);
    expect(peak(left.subarray(voice.length, voice.length * 2))).toBe(0);
    expect(peak(right)).toBe(0);
    expect(peak(left.subarray(voice.length * 2))).toBeGreaterThan(7000);
  });
});
