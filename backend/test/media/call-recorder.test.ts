import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCallRecorder } from '../../src/media/call-recorder';
import { decodeWav } from '../../src/speech/wav';

const FRAME = 320; // 20 ms at 16 kHz, as the telephony leg delivers it

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'call-recorder-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A recognisable, non-repeating test signal: sample i of a stream is f(i). */
function signal(from: number, length: number, salt: number): Int16Array {
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) out[i] = (((from + i) * 7 + salt) % 20_000) - 10_000;
  return out;
}

async function decodeChannels(path: string): Promise<{ sampleRate: number; channels: number; left: Int16Array; right: Int16Array }> {
  const { sampleRate, channels, pcm } = decodeWav(await readFile(path));
  const frames = pcm.length / 2;
  const left = new Int16Array(frames);
  const right = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = pcm[2 * i] ?? 0;
    right[i] = pcm[2 * i + 1] ?? 0;
  }
  return { sampleRate, channels, left, right };
}

/** Index of the first sample where a and b differ, or -1: readable failures on long arrays. */
function firstDifference(a: Int16Array, b: Int16Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  return a.findIndex((x, i) => x !== b[i]);
}

describe('createCallRecorder', () => {
  it('writes a stereo 16 kHz WAV with the caller left and the far side right, aligned', async () => {
    const path = join(dir, 'nested', 'calls', 'CA123.wav');
    const recorder = createCallRecorder(path);
    const callerFrames = 150; // 3 s: crosses several 200 ms write batches
    const callerAudio = signal(0, callerFrames * FRAME, 1);
    // The far side starts speaking 1 s in, sent in 7 ms chunks (112 samples) interleaved in
    // real time with the caller's 20 ms frames, and stops after 1.5 s.
    const farStartFrame = 50;
    const farAudio = signal(0, 1500 * 16, 2);
    let farSent = 0;
    for (let f = 0; f < callerFrames; f++) {
      const frameEndSample = (f + 1) * FRAME;
      while (f >= farStartFrame && farSent < farAudio.length && farStartFrame * FRAME + farSent < frameEndSample) {
        recorder.writeFarSide(farAudio.subarray(farSent, farSent + 112));
        farSent += 112;
      }
      recorder.writeCaller(callerAudio.subarray(f * FRAME, (f + 1) * FRAME));
    }
    const result = await recorder.close();

    expect(result).toMatchObject({ path, durationMs: 3000, bytes: 44 + callerFrames * FRAME * 4, droppedFarSideMs: 0, droppedWriteMs: 0 });
    expect((await stat(path)).size).toBe(result.bytes);
    const wav = await decodeChannels(path);
    expect(wav.sampleRate).toBe(16_000);
    expect(wav.channels).toBe(2);
    expect(wav.left.length).toBe(callerAudio.length);
    expect(firstDifference(wav.left, callerAudio)).toBe(-1);
    const expectedRight = new Int16Array(callerAudio.length);
    expectedRight.set(farAudio, farStartFrame * FRAME);
    expect(firstDifference(wav.right, expectedRight)).toBe(-1);
  });

  it('patches the RIFF and data sizes in the header', async () => {
    const path = join(dir, 'sizes.wav');
    const recorder = createCallRecorder(path);
    recorder.writeCaller(signal(0, 1000, 3));
    await recorder.close();
    const bytes = await readFile(path);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint32(4, true)).toBe(36 + 4000);
    expect(view.getUint32(40, true)).toBe(4000);
    expect(view.getUint16(22, true)).toBe(2);
    expect(view.getUint32(28, true)).toBe(64_000); // byte rate
    expect(view.getUint16(32, true)).toBe(4); // block align
  });

  it('fills the right channel with silence when nothing is sent toward the caller', async () => {
    const path = join(dir, 'quiet.wav');
    const recorder = createCallRecorder(path);
    const caller = signal(0, 10 * FRAME, 4);
    for (let f = 0; f < 10; f++) recorder.writeCaller(caller.subarray(f * FRAME, (f + 1) * FRAME));
    // Far-side audio that arrives in the middle of a frame waits for the next caller frame.
    recorder.writeFarSide(new Int16Array(100).fill(1234));
    recorder.writeCaller(signal(10 * FRAME, FRAME, 4));
    await recorder.close();
    const wav = await decodeChannels(path);
    expect(wav.right.subarray(0, 10 * FRAME).every((x) => x === 0)).toBe(true);
    expect(wav.right.subarray(10 * FRAME, 10 * FRAME + 100).every((x) => x === 1234)).toBe(true);
    expect(wav.right.subarray(10 * FRAME + 100).every((x) => x === 0)).toBe(true);
  });

  it('keeps at most ~2 s of far-side audio, dropping the oldest and counting it', async () => {
    const path = join(dir, 'overflow.wav');
    const recorder = createCallRecorder(path);
    // 3 s sent toward the caller while the caller leg delivers nothing (a stalled inbound stream).
    const far = signal(0, 3 * 16_000, 5);
    for (let at = 0; at < far.length; at += 999) recorder.writeFarSide(far.subarray(at, at + 999));
    recorder.writeFarSide(new Int16Array(0)); // empty chunks are harmless
    for (let f = 0; f < 150; f++) recorder.writeCaller(new Int16Array(FRAME));
    const result = await recorder.close();
    expect(result.droppedFarSideMs).toBe(1000);
    const wav = await decodeChannels(path);
    // What survives is the newest 2 s, then silence.
    expect(firstDifference(wav.right.subarray(0, 32_000), far.subarray(16_000))).toBe(-1);
    expect(wav.right.subarray(32_000).every((x) => x === 0)).toBe(true);

    // One chunk larger than the whole buffer keeps only its tail.
    const single = createCallRecorder(join(dir, 'overflow-single.wav'));
    single.writeFarSide(far);
    single.writeCaller(new Int16Array(32_000));
    expect((await single.close()).droppedFarSideMs).toBe(1000);
    const singleWav = await decodeChannels(join(dir, 'overflow-single.wav'));
    expect(firstDifference(singleWav.right, far.subarray(16_000))).toBe(-1);
  });

  it('closes once: repeated close() returns the same result and late audio is ignored', async () => {
    const path = join(dir, 'twice.wav');
    const recorder = createCallRecorder(path);
    recorder.writeCaller(signal(0, FRAME, 7));
    const first = recorder.close();
    recorder.writeCaller(signal(0, FRAME, 8)); // a frame racing the hang-up
    recorder.writeFarSide(signal(0, FRAME, 9));
    const second = recorder.close();
    expect(second).toBe(first);
    const result = await first;
    expect(await recorder.close()).toEqual(result);
    expect(result.durationMs).toBe(20);
    expect((await stat(path)).size).toBe(44 + FRAME * 4);
  });

  it('records an empty call as a valid, empty WAV', async () => {
    const path = join(dir, 'empty.wav');
    const result = await createCallRecorder(path).close();
    expect(result).toMatchObject({ durationMs: 0, bytes: 44 });
    const wav = decodeWav(await readFile(path));
    expect(wav).toMatchObject({ sampleRate: 16_000, channels: 2 });
    expect(wav.pcm.length).toBe(0);
  });

  it('surfaces file errors from close(), with what to do next', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const recorder = createCallRecorder(join(blocker, 'call.wav'));
    recorder.writeCaller(signal(0, 10 * 3200, 10)); // several batches, none of which can land
    await expect(recorder.close()).rejects.toThrow(/Call recording to .*failed.*writable/);
    await expect(recorder.close()).rejects.toThrow(/Call recording/);
  });

  it('leaves silence rather than growing without bound when the disk falls behind', async () => {
    const path = join(dir, 'stalled.wav');
    const recorder = createCallRecorder(path);
    // 10 s in one synchronous burst: no write can complete meanwhile (the file is not even open
    // yet), so this is the worst case of a stalled disk. Only 5 s may wait in memory.
    const caller = signal(0, 10 * 16_000, 11);
    for (let at = 0; at < caller.length; at += FRAME) recorder.writeCaller(caller.subarray(at, at + FRAME));
    const result = await recorder.close();
    expect(result.droppedWriteMs).toBe(5000);
    expect(result.durationMs).toBe(10_000);
    expect((await stat(path)).size).toBe(result.bytes);
    const wav = await decodeChannels(path);
    expect(firstDifference(wav.left.subarray(0, 80_000), caller.subarray(0, 80_000))).toBe(-1);
    expect(wav.left.subarray(80_000).every((x) => x === 0)).toBe(true);
  });

  it('streams a 10-minute call to disk with the right size and alignment at the end', async () => {
    const path = join(dir, 'long.wav');
    const recorder = createCallRecorder(path);
    const minutes = 10;
    const frames = (minutes * 60_000) / 20;
    const callerFrame = signal(0, FRAME, 12);
    const farFrame = signal(0, FRAME, 13);
    for (let f = 0; f < frames; f++) {
      // The AI talks half the time, as sent by the outbound pacer: one 20 ms frame per frame.
      if (Math.floor(f / 250) % 2 === 1) recorder.writeFarSide(farFrame);
      recorder.writeCaller(callerFrame);
      // Real calls are paced by the clock; here, ~1000× faster, the event loop gets a turn every
      // 500 ms of audio, and waits while the disk is more than a second behind, as a clock-paced
      // call would (a busy test machine can stall a write longer than the fast feed takes to
      // fill the recorder's 5 s write backlog).
      if (f % 25 === 24) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        while (recorder.backlogMs > 1000) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    const result = await recorder.close();
    expect(result.durationMs).toBe(minutes * 60_000);
    expect(result.droppedWriteMs).toBe(0);
    expect(result.bytes).toBe(44 + frames * FRAME * 4);
    expect((await stat(path)).size).toBe(result.bytes);
    const wav = await decodeChannels(path);
    expect(wav.left.length).toBe(frames * FRAME);
    // Last frame: the far side was talking (frame index 29_999 is in an odd 250-frame block).
    const last = (frames - 1) * FRAME;
    expect(firstDifference(wav.left.subarray(last), callerFrame)).toBe(-1);
    expect(firstDifference(wav.right.subarray(last), farFrame)).toBe(-1);
    expect(wav.right.subarray(0, 250 * FRAME).every((x) => x === 0)).toBe(true);
  }, 60_000);
});
