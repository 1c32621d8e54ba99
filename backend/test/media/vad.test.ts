import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoiceActivityDetector } from '../../src/media/vad';
import type { VadFrame } from '../../src/media/vad';
import { createTurnDetector } from '../../src/media/turn-detector';

let dir: string;
let speech: Int16Array;

/** Extract mono 16-bit PCM from a canonical WAV, locating the `data` chunk properly. */
function wavPcm(file: string): { rate: number; pcm: Int16Array } {
  const buf = readFileSync(file);
  const rate = buf.readUInt32LE(24);
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'data') {
      const bytes = new Uint8Array(buf.subarray(off + 8, off + 8 + (size & ~1)));
      return { rate, pcm: new Int16Array(bytes.buffer, 0, bytes.length >> 1) };
    }
    off += 8 + size + (size & 1);
  }
  throw new Error(`no data chunk in ${file}`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-vad-'));
  const raw = join(dir, 'speech.wav');
  execFileSync('flite', ['-voice', 'slt', '-t', 'Hello, I would like to check the balance on my account, please.', '-o', raw]);
  let { rate, pcm } = wavPcm(raw);
  if (rate !== 16_000) {
    const conv = join(dir, 'speech16k.wav');
    execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', conv]);
    ({ rate, pcm } = wavPcm(conv));
  }
  speech = pcm;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function voicedRatio(frames: VadFrame[]): number {
  return frames.filter((f) => f.voiced).length / Math.max(1, frames.length);
}

function lowNoise(samples: number, amplitude: number, seed = 1): Int16Array {
  let s = seed;
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    s = (s * 1_103_515_245 + 12_345) >>> 0; // deterministic LCG
    out[i] = Math.round(((s / 2 ** 32) * 2 - 1) * amplitude);
  }
  return out;
}

describe('WebRTC VAD on flite speech', () => {
  it('flags synthesized speech as voiced, and silence and low noise as not', async () => {
    const vad = await createVoiceActivityDetector({ sampleRate: 16_000 });
    const onSpeech = vad.process(speech);
    expect(onSpeech.length).toBe(Math.floor(speech.length / 320));
    expect(voicedRatio(onSpeech)).toBeGreaterThan(0.6);

    vad.reset();
    expect(voicedRatio(vad.process(new Int16Array(16_000 * 2)))).toBe(0);
    vad.reset();
    // ≈ −45 dBFS white noise: a quiet line.
    expect(voicedRatio(vad.process(lowNoise(16_000 * 2, 300)))).toBeLessThan(0.05);
    vad.dispose();
  });

  it('frames arbitrary chunk sizes identically and timestamps in stream time', async () => {
    const a = await createVoiceActivityDetector({ frameMs: 30 });
    const b = await createVoiceActivityDetector({ frameMs: 30 });
    const whole = a.process(speech);
    const pieces: VadFrame[] = [];
    for (let i = 0, k = 0; i < speech.length; k++) {
      const n = [1, 333, 160, 7, 999][k % 5] as number;
      pieces.push(...b.process(speech.subarray(i, i + n)));
      i += n;
    }
    expect(pieces).toEqual(whole);
    expect(whole[0]).toEqual({ startMs: 0, endMs: 30, voiced: whole[0]?.voiced });
    expect(whole[10]?.startMs).toBe(300);
    a.dispose();
    b.dispose();
  });

  it('keeps separate state per call', async () => {
    const a = await createVoiceActivityDetector();
    const b = await createVoiceActivityDetector();
    const alone = (await createVoiceActivityDetector()).process(speech);
    // Interleave a and b 20 ms at a time: b hears silence, a hears speech.
    const got: VadFrame[] = [];
    for (let i = 0; i + 320 <= speech.length; i += 320) {
      got.push(...a.process(speech.subarray(i, i + 320)));
      expect(b.process(new Int16Array(320))[0]?.voiced).toBe(false);
    }
    expect(got).toEqual(alone);
    a.dispose();
    b.dispose();
    expect(() => a.process(speech)).toThrow(/dispose/);
  });

  it('validates its configuration', async () => {
    await expect(createVoiceActivityDetector({ sampleRate: 22_050 as 16_000 })).rejects.toThrow(/sample rate/);
    await expect(createVoiceActivityDetector({ frameMs: 25 as 20 })).rejects.toThrow(/10, 20 or 30/);
  });

  it('drives end of turn from real speech followed by silence', async () => {
    const vad = await createVoiceActivityDetector();
    const turns = createTurnDetector();
    const audio = new Int16Array(speech.length + 16_000);
    audio.set(speech);
    const events = turns.push(vad.process(audio));
    const start = events.find((e) => e.type === 'speechStart');
    const end = events.find((e) => e.type === 'endOfTurn');
    expect(start).toBeDefined();
    expect(end).toMatchObject({ type: 'endOfTurn' });
    if (end?.type !== 'endOfTurn') return;
    expect(end.atMs - end.lastVoicedMs).toBeGreaterThanOrEqual(500);
    expect(end.atMs - end.lastVoicedMs).toBeLessThan(520);
    expect(end.lastVoicedMs).toBeLessThanOrEqual((speech.length / 16_000) * 1000 + 20);
    vad.dispose();
  });
});
