// Local STT: one long-lived `pocketsphinx_continuous` process per live stream (one decoder per
// call side), fed raw 16 kHz samples through a fifo. The model is loaded once when the stream
// opens (~0.5 s, overlapped with the call's greeting), never per utterance.
//
// Why a fifo: the CLI only decodes from `-infile` (or a sound card), and `/dev/stdin` cannot be
// opened when stdin is a socket, which is what Node gives a child. The fifo is opened
// read-write on our side so opening never blocks and the writes go through a non-blocking
// libuv pipe.
//
// How an utterance is finalized on demand: the CLI segments speech with its own VAD and prints
// a hypothesis (plus word times with `-time yes`) only when a segment ends. On endUtterance()
// we append padding to the engine's input: silence (closes any open segment), a short tone
// (opens a segment that must produce output: the "marker"), silence (closes it). Word times
// are absolute positions in the engine's input and blocks arrive in input order, so the first
// block that reaches past the utterance boundary proves every word before it has been printed:
// usually the marker, or at once the segment that was still open at endUtterance(). Words the
// engine "hears" inside the padding are dropped, and engine times are mapped back to stream
// time, so the padding never shows in text or times.
//
// Partials: the CLI prints nothing mid-segment, so partials are segment-level: whenever the
// engine closes a segment at a pause inside the caller's turn (≥ 0.3 s), the turn's text so
// far is emitted as a partial. A single short sentence therefore has no partial, only a final.
//
// Installing: Debian/Ubuntu `sudo apt-get install pocketsphinx pocketsphinx-en-us`;
// macOS `brew install cmu-pocketsphinx` (then point `modelDir` at its share/pocketsphinx).

import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { finalFromWords, SttStreamEvents } from './stt-stream-events';
import type { EngineStatus, SpeechToText, SttStream, SttStreamOptions } from './types';
import { SPEECH_SAMPLE_RATE } from './types';

export const POCKETSPHINX_INSTALL_HINT = 'sudo apt-get install pocketsphinx pocketsphinx-en-us';

export interface PocketsphinxOptions {
  /** The CLI; a bare name is looked up on PATH. */
  binary?: string;
  /** Folder holding the acoustic model folder, the language model and the dictionary. */
  modelDir?: string;
  acousticModel?: string;
  languageModel?: string;
  dictionary?: string;
  /** Frames (10 ms) of silence that close an engine segment; also the partial granularity. */
  segmentSilenceFrames?: number;
}

const DEFAULTS = {
  binary: 'pocketsphinx_continuous',
  modelDir: '/usr/share/pocketsphinx/model/en-us',
  acousticModel: 'en-us',
  languageModel: 'en-us.lm.bin',
  dictionary: 'cmudict-en-us.dict',
  segmentSilenceFrames: 30,
};

interface ResolvedOptions {
  binary: string;
  hmm: string;
  lm: string;
  dict: string;
  segmentSilenceFrames: number;
}

function resolveOptions(o: PocketsphinxOptions): ResolvedOptions {
  const dir = o.modelDir ?? DEFAULTS.modelDir;
  const inDir = (p: string): string => (isAbsolute(p) ? p : join(dir, p));
  return {
    binary: o.binary ?? DEFAULTS.binary,
    hmm: inDir(o.acousticModel ?? DEFAULTS.acousticModel),
    lm: inDir(o.languageModel ?? DEFAULTS.languageModel),
    dict: inDir(o.dictionary ?? DEFAULTS.dictionary),
    segmentSilenceFrames: o.segmentSilenceFrames ?? DEFAULTS.segmentSilenceFrames,
  };
}

function findOnPath(binary: string): string | undefined {
  const candidates = binary.includes('/') ? [binary] : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, binary));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function exists(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export function pocketsphinxStatus(options: PocketsphinxOptions = {}): EngineStatus {
  const o = resolveOptions(options);
  const name = 'pocketsphinx (local STT)';
  if (!findOnPath(o.binary)) {
    return { name, available: false, problem: `${o.binary} not found on PATH`, howToInstall: POCKETSPHINX_INSTALL_HINT };
  }
  const missing = [join(o.hmm, 'mdef'), o.lm, o.dict].filter((p) => !exists(p));
  if (missing.length) {
    return { name, available: false, problem: `model files missing: ${missing.join(', ')}`, howToInstall: POCKETSPHINX_INSTALL_HINT };
  }
  return { name, available: true };
}

export function createPocketsphinxSpeechToText(options: PocketsphinxOptions = {}): SpeechToText {
  const resolved = resolveOptions(options);
  return {
    provider: 'local',
    // Each stream is its own process (~100 MB). Measured here: ~0.35 CPU-s to load the model and
    // ~0.24 CPU-s per second of speech decoded; three streams per core leave room for every
    // caller talking at once plus the backend itself.
    capacityHint: Math.max(2, availableParallelism() * 3),
    status: () => Promise.resolve(pocketsphinxStatus(options)),
    openStream: (opts) => new PocketsphinxStream(resolved, opts),
  };
}

// ---------------------------------------------------------------------------------------------

const SAMPLES_PER_MS = SPEECH_SAMPLE_RATE / 1000;
/** Silence around the marker tone: each gap must exceed the segment-closing silence (0.3 s)
 *  plus one 2048-sample read of the CLI (0.128 s), which checks its VAD only between reads. */
const MARKER_LEAD_MS = 600;
const MARKER_TAIL_MS = 450;
const MARKER_TONE_MS = 250;
const CLOSE_GRACE_MS = 1000;
const STDERR_TAIL_CHARS = 2000;

/** One word line of `-time yes` output: word, start s, end s, posterior. */
const TIME_LINE = /^(\S+) (-?\d+\.\d+) (-?\d+\.\d+) (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/;

/** A word as the engine timed it, in engine samples (our padding included). */
interface EngineWord {
  word: string;
  startSample: number;
  endSample: number;
  posterior: number;
}

interface EngineBlock {
  /** The hypothesis line; the text we report is rebuilt from `words`, which carry times. */
  text: string;
  words: EngineWord[];
  startSample: number;
  endSample: number;
}

interface Padding {
  startSample: number;
  samples: number;
}

interface PendingEnd {
  /** Engine input position where the utterance ended (the padding starts here). */
  boundarySample: number;
  padding: Padding;
  watchdog: NodeJS.Timeout | undefined;
}

function isFiller(word: string): boolean {
  return word.startsWith('<') || word.startsWith('[') || word.startsWith('+');
}

/** The CLI reads its input in blocks of this many samples and waits for a full block. */
const ENGINE_READ_SAMPLES = 2048;
/**
 * If the marker never shows (it always has so far), finalize with what arrived by then. On a
 * busy machine the CLI has been seen to take 2.6 s of wall time for one decode, so the watchdog
 * leaves room for that rather than cutting a slow but healthy decode short.
 */
const FINAL_WATCHDOG_MS = 8000;

/** Padding that ends exactly on a read boundary, or the engine would wait for more input. */
function makePadding(engineSamplesSoFar: number): Int16Array {
  const silence = MARKER_LEAD_MS * SAMPLES_PER_MS;
  const tone = MARKER_TONE_MS * SAMPLES_PER_MS;
  const minimum = silence + tone + MARKER_TAIL_MS * SAMPLES_PER_MS;
  const align = (ENGINE_READ_SAMPLES - ((engineSamplesSoFar + minimum) % ENGINE_READ_SAMPLES)) % ENGINE_READ_SAMPLES;
  const pcm = new Int16Array(minimum + align);
  for (let i = 0; i < pcm.length; i++) {
    // Faint dither, like a quiet line; digital zero would be an unnatural input to the engine.
    pcm[i] = Math.round((Math.random() - 0.5) * 8);
  }
  for (let i = 0; i < tone; i++) {
    const t = i / SPEECH_SAMPLE_RATE;
    const env = Math.min(1, i / 160, (tone - i) / 160);
    pcm[silence + i] = Math.round(env * 9000 * (Math.sin(2 * Math.PI * 700 * t) + 0.5 * Math.sin(2 * Math.PI * 1300 * t)) / 1.5);
  }
  return pcm;
}

class PocketsphinxStream extends SttStreamEvents implements SttStream {
  private readonly dir: string;
  private readonly child: ChildProcess;
  private readonly input: Socket;
  private exited!: Promise<void>;
  private closing = false;
  private stderrTail = '';
  private stdoutRest = '';

  /** Samples written to the engine, padding included: the engine's own clock. */
  private engineSamples = 0;
  /** Every padding of the stream, in order (a few per minute of call: kept for time mapping). */
  private readonly paddings: Padding[] = [];
  private readonly pendingEnds: PendingEnd[] = [];
  private block: EngineBlock | undefined;
  /** Words of the utterance in progress, in order. */
  private words: EngineWord[] = [];

  constructor(
    o: ResolvedOptions,
    readonly opts: SttStreamOptions,
  ) {
    super();
    if (opts.sampleRate !== SPEECH_SAMPLE_RATE) throw new Error(`pocketsphinx streams take ${SPEECH_SAMPLE_RATE} Hz audio`);
    this.dir = mkdtempSync(join(tmpdir(), `switchboard-stt-${opts.speaker}-`));
    const fifo = join(this.dir, 'audio.fifo');
    let child: ChildProcess | undefined;
    try {
      execFileSync('mkfifo', [fifo]);
      child = this.#spawn(o, fifo);
      // Read-write: opening a fifo write-only would block until the engine opens it.
      this.input = new Socket({ fd: openSync(fifo, 'r+'), readable: false });
    } catch (err) {
      // Opening failed half-way (out of descriptors or processes): leave nothing behind.
      child?.kill('SIGKILL');
      rmSync(this.dir, { recursive: true, force: true });
      throw err;
    }
    this.child = child;
    this.input.on('error', () => undefined); // a dead engine is reported through 'exit'
    this.#listen();
  }

  #spawn(o: ResolvedOptions, fifo: string): ChildProcess {
    return spawn(
      o.binary,
      [
        '-infile', fifo,
        '-hmm', o.hmm, '-lm', o.lm, '-dict', o.dict,
        '-samprate', String(SPEECH_SAMPLE_RATE),
        '-time', 'yes',
        '-vad_postspeech', String(o.segmentSilenceFrames),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }

  #listen(): void {
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (e: NodeJS.ErrnoException) => {
        const hint = e.code === 'ENOENT' ? ` Install it: ${POCKETSPHINX_INSTALL_HINT}` : '';
        this.emit('error', Object.assign(new Error(`pocketsphinx could not start: ${e.message}.${hint}`), { fatal: true }));
        resolve();
      });
      this.child.on('exit', (code, signal) => {
        if (!this.closing) {
          const fatal = this.stderrTail.split('\n').filter((l) => /FATAL|ERROR/.test(l)).slice(-3).join(' | ');
          this.emit('error', Object.assign(new Error(`pocketsphinx exited unexpectedly (code ${code}, signal ${signal}). ${fatal}`.trim()), { fatal: true }));
        }
        this.input.destroy();
        resolve();
      });
    });
  }

  write(pcm: Int16Array): void {
    if (this.closing || pcm.length === 0) return;
    this.feed(pcm);
  }

  endUtterance(): void {
    if (this.closing) return;
    const pcm = makePadding(this.engineSamples);
    const padding: Padding = { startSample: this.engineSamples, samples: pcm.length };
    this.paddings.push(padding);
    const end: PendingEnd = { boundarySample: padding.startSample, padding, watchdog: undefined };
    end.watchdog = setTimeout(() => {
      if (this.pendingEnds[0] !== end) return;
      this.emit('error', new Error('pocketsphinx gave no end-of-utterance marker in time; finalizing with the words so far'));
      this.finalize();
    }, FINAL_WATCHDOG_MS);
    this.pendingEnds.push(end);
    this.feed(pcm);
  }

  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      for (const end of this.pendingEnds) clearTimeout(end.watchdog);
      this.pendingEnds.length = 0;
      // EOF lets the engine exit on its own; a wedged one is killed after a grace period.
      this.input.end();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), CLOSE_GRACE_MS);
      if (this.child.exitCode !== null || this.child.signalCode !== null || this.child.pid === undefined) this.input.destroy();
      await this.exited;
      clearTimeout(timer);
      rmSync(this.dir, { recursive: true, force: true });
    }
    await this.exited;
  }

  private feed(pcm: Int16Array): void {
    // Copy: the caller may reuse its buffer before the socket has flushed it.
    const bytes = Buffer.alloc(pcm.length * 2);
    for (let i = 0; i < pcm.length; i++) bytes.writeInt16LE(pcm[i] ?? 0, i * 2);
    this.engineSamples += pcm.length;
    this.input.write(bytes);
  }

  // --- engine output --------------------------------------------------------------------------

  private onStdout(chunk: string): void {
    const lines = (this.stdoutRest + chunk).split('\n');
    this.stdoutRest = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.trim());
  }

  private onLine(line: string): void {
    const m = TIME_LINE.exec(line);
    if (!m) {
      // A hypothesis line opens a block (an unterminated previous block is flushed first).
      if (this.block) this.onBlock(this.block);
      this.block = { text: line, words: [], startSample: Number.POSITIVE_INFINITY, endSample: 0 };
      return;
    }
    this.block ??= { text: '', words: [], startSample: Number.POSITIVE_INFINITY, endSample: 0 };
    const [, word = '', start = '0', end = '0', posterior = '0'] = m;
    const startSample = Math.round(Number(start) * SPEECH_SAMPLE_RATE);
    const endSample = Math.round(Number(end) * SPEECH_SAMPLE_RATE);
    this.block.startSample = Math.min(this.block.startSample, startSample);
    this.block.endSample = Math.max(this.block.endSample, endSample);
    if (!isFiller(word)) {
      this.block.words.push({ word: word.replace(/\(\d+\)$/, ''), startSample, endSample, posterior: Number(posterior) });
    }
    if (word === '</s>') {
      const done = this.block;
      this.block = undefined;
      this.onBlock(done);
    }
  }

  private onBlock(block: EngineBlock): void {
    if (this.closing) return;
    let added = false;
    for (const word of block.words) {
      const mid = (word.startSample + word.endSample) / 2;
      // Whatever the engine heard in our padding (the tone often reads as "ah") is not speech.
      if (this.paddings.some((p) => mid >= p.startSample && mid < p.startSample + p.samples)) continue;
      // A word past an utterance boundary opens the next turn (only if a block straddled it).
      while (this.pendingEnds[0] && word.startSample >= this.pendingEnds[0].boundarySample) this.finalize();
      this.words.push(word);
      added = true;
    }
    // Blocks come in input order and never overlap: once one reaches past a boundary, every
    // word before that boundary has been reported. The marker guarantees such a block comes.
    let finalized = false;
    while (this.pendingEnds[0] && block.endSample >= this.pendingEnds[0].boundarySample) {
      this.finalize();
      finalized = true;
    }
    if (added && !finalized) this.emit('partial', { text: this.words.map((w) => w.word).join(' ') });
  }

  private finalize(): void {
    const end = this.pendingEnds.shift();
    if (!end) return;
    clearTimeout(end.watchdog);
    const words = this.words;
    this.words = [];
    const timed = words.map((w) => ({ word: w.word, startMs: this.toStreamMs(w.startSample), endMs: this.toStreamMs(w.endSample), posterior: w.posterior }));
    this.emit('final', finalFromWords(timed, this.toStreamMs(end.boundarySample)));
  }

  /** Engine position → ms of caller audio, not counting the padding we inserted. */
  private toStreamMs(engineSample: number): number {
    let injected = 0;
    for (const p of this.paddings) {
      if (p.startSample >= engineSample) break;
      injected += Math.min(p.samples, engineSample - p.startSample);
    }
    return Math.round((engineSample - injected) / SAMPLES_PER_MS);
  }
}
