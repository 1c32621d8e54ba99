// Local STT in-process: pocketsphinx's C library on worker threads (decoder-worker.mjs), the
// default recognizer. Once per process: the domain model is built (domain-model.ts) and the
// workers start, each loading the model once and keeping warm decoders; every call stream is
// pinned to the least busy worker and decoded as its audio arrives, so partials are word by
// word and the final is ready a few ms after the turn ends. No call waits on another call's
// decoding beyond its share of a worker, and a decoder failure ends only its own stream.
//
// Installing: Debian/Ubuntu `sudo apt-get install libpocketsphinx3 pocketsphinx-en-us`.
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import koffi from 'koffi';
import type {
  EngineStatus,
  ExpectedAnswer,
  SpeechToText,
  SttCapacity,
  SttStream,
  SttStreamOptions,
} from '../types';
import { SPEECH_SAMPLE_RATE } from '../types';
import { finalFromWords, SttStreamEvents, type TimedWord } from '../stt-stream-events';
import { buildDomainModel, collectCorpus, type DomainCorpusSources } from './domain-model';
import { grammarEvidence, grammarSources, LEAD_IN_WORDS } from './grammars';

export const SPHINX_LIBRARY_INSTALL_HINT = 'sudo apt-get install libpocketsphinx3 pocketsphinx-en-us';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface SphinxSttOptions {
  modelDir?: string;
  acousticModel?: string;
  /** The full pronunciation dictionary the domain dictionary is cut from. */
  dictionary?: string;
  libraries?: { sphinxbase: string; pocketsphinx: string };
  /** Decoder threads (default: the machine's cores). */
  workers?: number;
  /** Idle decoders each worker keeps ready, so a new call never waits for model loading. */
  warmDecoders?: number;
  /** Streams one worker decodes in real time (the capacity hint; measured by `bench -- stt`). */
  streamsPerWorker?: number;
  corpus?: DomainCorpusSources;
  /** The open (non-grammar) model: the domain bigram built at start (default: fast, ~1k words),
   *  or Debian's generic en-us model (any English, ~4x the CPU and ~50 MB more per worker). */
  openModel?: 'domain' | 'generic';
  /** The generic model file, relative to modelDir. */
  genericLanguageModel?: string;
  /** 8000: decode telephone audio as it comes, with 8 kHz feature parameters (filterbank cut
   *  to 3.5 kHz) instead of upsampling it to 16 kHz. Measured by `bench -- stt`; not the default. */
  sampleRate?: 8000 | 16000;
  /** More decoder arguments (beams, pruning), as pocketsphinx takes them: ['-maxhmmpf', '3000']. */
  decoderArgs?: string[];
  /** `thread` (default): decoders on worker threads, cheapest. `process`: on child processes,
   *  so even a crash inside the C library (SIGSEGV) fails only that process's streams. */
  isolation?: 'thread' | 'process';
}

const DEFAULTS = {
  modelDir: '/usr/share/pocketsphinx/model/en-us',
  acousticModel: 'en-us',
  dictionary: 'cmudict-en-us.dict',
  genericLanguageModel: 'en-us.lm.bin',
  libraries: { sphinxbase: 'libsphinxbase.so.3', pocketsphinx: 'libpocketsphinx.so.3' },
  warmDecoders: 3,
  streamsPerWorker: 12,
};

export function defaultCorpusSources(knowledgeDir?: string): DomainCorpusSources {
  return {
    knowledgeDir: knowledgeDir ?? join(REPO_ROOT, 'resources', 'knowledge'),
    crmFile: join(REPO_ROOT, 'resources', 'demo', 'crm.json'),
    scenariosDir: join(REPO_ROOT, 'scenarios'),
  };
}

interface Resolved {
  hmm: string;
  fullDictionary: string;
  libraries: { sphinxbase: string; pocketsphinx: string };
  workers: number;
  warmDecoders: number;
  streamsPerWorker: number;
  corpus: DomainCorpusSources;
  openModel: 'domain' | 'generic';
  genericLm: string;
  sampleRate: 8000 | 16000;
}

function resolve(o: SphinxSttOptions): Resolved {
  const dir = o.modelDir ?? DEFAULTS.modelDir;
  const inDir = (p: string): string => (isAbsolute(p) ? p : join(dir, p));
  return {
    hmm: inDir(o.acousticModel ?? DEFAULTS.acousticModel),
    fullDictionary: inDir(o.dictionary ?? DEFAULTS.dictionary),
    libraries: o.libraries ?? DEFAULTS.libraries,
    workers: Math.max(1, o.workers ?? availableParallelism()),
    warmDecoders: o.warmDecoders ?? DEFAULTS.warmDecoders,
    streamsPerWorker: o.streamsPerWorker ?? DEFAULTS.streamsPerWorker,
    corpus: o.corpus ?? defaultCorpusSources(),
    openModel: o.openModel ?? 'domain',
    genericLm: inDir(o.genericLanguageModel ?? DEFAULTS.genericLanguageModel),
    sampleRate: o.sampleRate ?? SPEECH_SAMPLE_RATE,
  };
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export function sphinxStatus(options: SphinxSttOptions = {}): EngineStatus {
  const o = resolve(options);
  const name = `pocketsphinx in-process (local STT, ${o.openModel} model, ${o.workers} worker thread${o.workers === 1 ? '' : 's'}; fallback STT_ENGINE=cli)`;
  for (const library of [o.libraries.sphinxbase, o.libraries.pocketsphinx]) {
    try {
      koffi.load(library);
    } catch (e) {
      return { name, available: false, problem: `the library ${library} cannot be loaded (${(e as Error).message.split('\n')[0]})`, howToInstall: SPHINX_LIBRARY_INSTALL_HINT };
    }
  }
  const missing = [join(o.hmm, 'mdef'), o.fullDictionary, ...(o.openModel === 'generic' ? [o.genericLm] : [])].filter((p) => !readable(p));
  if (missing.length) return { name, available: false, problem: `model files missing: ${missing.join(', ')}`, howToInstall: SPHINX_LIBRARY_INSTALL_HINT };
  return { name, available: true };
}

/** The acoustic model with its filterbank cut to the telephone band: the model files are
 *  linked, only feat.params is rewritten (the library lets feat.params override arguments). */
function narrowbandModel(hmm: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-sphinx-8k-'));
  for (const file of readdirSync(hmm)) if (file !== 'feat.params') symlinkSync(join(hmm, file), join(dir, file));
  const params = readFileSync(join(hmm, 'feat.params'), 'utf8').replace(/^-upperf .*$/m, '-upperf 3500');
  writeFileSync(join(dir, 'feat.params'), params);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// --- worker threads ----------------------------------------------------------------------------

type WorkerMessage =
  | { op: 'ready'; warmMs: number; idle: number }
  | { op: 'failed'; message: string }
  | { op: 'warn'; message: string }
  | { op: 'partial'; id: number; text: string; from: ExpectedAnswer }
  | { op: 'final'; id: number; text: string; words: TimedWord[]; from: ExpectedAnswer; atSample: number; ms: number }
  | { op: 'error'; id: number; message: string }
  | { op: 'stats'; streams: number; idle: number };

const WORKER_FILE = new URL('./decoder-worker.mjs', import.meta.url);

/** A worker thread or a child process running decoder-worker.mjs, behind one small surface. */
interface DecoderHost {
  send(message: object, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (m: WorkerMessage) => void): void;
  onGone(listener: (why: string) => void): void;
  ref(): void;
  unref(): void;
  stop(): Promise<void>;
  readonly pid: number | undefined;
}

function threadHost(workerData: object): DecoderHost {
  const worker = new Worker(WORKER_FILE, { workerData });
  return {
    pid: undefined,
    send: (m, transfer) => worker.postMessage(m, transfer ?? []),
    onMessage: (l) => void worker.on('message', l),
    onGone: (l) => {
      worker.on('error', (e) => l(`speech worker failed: ${e.message}`));
      worker.on('exit', (code) => l(`speech worker stopped (code ${code})`));
    },
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    stop: async () => void (await worker.terminate()),
  };
}

function processHost(workerData: object): DecoderHost {
  const child = fork(fileURLToPath(WORKER_FILE), [], {
    execArgv: [],
    serialization: 'advanced',
    env: { ...process.env, SWITCHBOARD_SPHINX_CONFIG: JSON.stringify(workerData) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return {
    pid: child.pid,
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (l) => void child.on('message', (m) => l(m as WorkerMessage)),
    onGone: (l) => {
      child.on('error', (e) => l(`speech process failed: ${e.message}`));
      child.on('exit', (code, signal) => l(`speech process stopped (${signal ?? `code ${code}`})`));
    },
    ref: () => {
      child.ref();
      child.channel?.ref();
    },
    unref: () => {
      child.unref();
      child.channel?.unref();
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    },
  };
}

class DecoderThread {
  readonly host: DecoderHost;
  readonly streams = new Map<number, SphinxStream>();
  readonly ready: Promise<void>;
  dead: Error | undefined;

  constructor(workerData: object, isolation: 'thread' | 'process', onGone: (thread: DecoderThread) => void) {
    this.host = isolation === 'process' ? processHost(workerData) : threadHost(workerData);
    this.ready = new Promise((resolveReady, reject) => {
      this.host.onMessage((m) => {
        if (m.op === 'ready') resolveReady();
        else if (m.op === 'failed') {
          this.dead = new Error(`speech recognition could not start: ${m.message}`);
          reject(this.dead);
          void this.host.stop();
        } else if ('id' in m) this.streams.get(m.id)?.onWorker(m);
      });
      let goneOnce = false;
      this.host.onGone((why) => {
        if (goneOnce) return;
        goneOnce = true;
        if (!this.dead) this.dead = new Error(why);
        reject(this.dead);
        for (const stream of [...this.streams.values()]) stream.onWorker({ op: 'error', id: stream.id, message: this.dead.message });
        this.streams.clear();
        onGone(this);
      });
    });
    // Idle threads must not keep a finished process alive; starting up and open streams hold
    // a reference.
    this.ready.then(
      () => {
        if (this.streams.size === 0) this.host.unref();
      },
      () => undefined,
    );
  }

  post(message: object, transfer?: ArrayBuffer[]): void {
    if (!this.dead) this.host.send(message, transfer);
  }

  attach(stream: SphinxStream): void {
    if (this.streams.size === 0) this.host.ref();
    this.streams.set(stream.id, stream);
  }

  detach(stream: SphinxStream): void {
    this.streams.delete(stream.id);
    if (this.streams.size === 0 && !this.dead) this.host.unref();
  }
}

export interface SphinxSpeechToText extends SpeechToText {
  /** Builds the domain model and starts the workers now, instead of on the first call. */
  warm(): Promise<void>;
  capacity(): SttCapacity;
  close(): Promise<void>;
  /** Process ids of the recognizer processes (isolation `process`), for tests and monitoring. */
  processIds(): number[];
  /** Size of the domain model, for the banner and the benchmark. */
  readonly model: { words: number; bigrams: number } | undefined;
}

export function createSphinxSpeechToText(options: SphinxSttOptions = {}): SphinxSpeechToText {
  const o = resolve(options);
  let threads: DecoderThread[] = [];
  let modelDir: string | undefined;
  let workerData: object | undefined;
  let model: { words: number; bigrams: number } | undefined;
  let nextId = 1;
  let closed = false;

  function prepare(): object {
    if (workerData) return workerData;
    const status = sphinxStatus(options);
    if (!status.available) throw new Error(`${status.problem}. Install: ${status.howToInstall}`);
    let dict = o.fullDictionary;
    let lm = o.genericLm;
    if (o.openModel === 'domain') {
      const built = buildDomainModel(collectCorpus(o.corpus), readFileSync(o.fullDictionary, 'utf8'));
      model = { words: built.words, bigrams: built.bigrams };
      modelDir = mkdtempSync(join(tmpdir(), 'switchboard-sphinx-'));
      dict = join(modelDir, 'domain.dict');
      lm = join(modelDir, 'domain.arpa');
      writeFileSync(dict, built.dictionary);
      writeFileSync(lm, built.arpa);
      const dir = modelDir;
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
    let hmm = o.hmm;
    if (o.sampleRate === 8000) hmm = narrowbandModel(o.hmm);
    workerData = {
      libraries: o.libraries,
      hmm,
      extraArgs: [...(o.sampleRate === 8000 ? ['-nfft', '256'] : []), ...(options.decoderArgs ?? [])],
      dict,
      lm,
      grammars: grammarSources(),
      grammarEvidence: grammarEvidence(),
      leadInWords: LEAD_IN_WORDS,
      warmDecoders: o.warmDecoders,
      samprate: o.sampleRate,
    };
    return workerData;
  }

  function startThreads(): void {
    const data = prepare();
    while (threads.length < o.workers) {
      threads.push(
        new DecoderThread(data, options.isolation ?? 'thread', (gone) => {
          // A lost worker is replaced on the next call; its streams were already told.
          threads = threads.filter((t) => t !== gone);
        }),
      );
    }
  }

  function pick(): DecoderThread {
    startThreads();
    let best = threads[0]!;
    for (const t of threads) if (t.streams.size < best.streams.size) best = t;
    return best;
  }

  return {
    provider: 'local',
    engine: 'pocketsphinx in-process',
    capacityHint: o.workers * o.streamsPerWorker,
    get model() {
      return model;
    },
    status: () => Promise.resolve(sphinxStatus(options)),
    async warm() {
      startThreads();
      await Promise.all(threads.map((t) => t.ready));
    },
    openStream(opts) {
      if (closed) throw new Error('the speech recognizer was shut down');
      if (opts.sampleRate !== o.sampleRate) throw new Error(`this recognizer takes ${o.sampleRate} Hz audio, not ${String(opts.sampleRate)} Hz`);
      const thread = pick();
      return new SphinxStream(nextId++, thread, opts);
    },
    processIds() {
      return threads.map((t) => t.host.pid).filter((p): p is number => p !== undefined);
    },
    capacity() {
      return { activeStreams: threads.reduce((n, t) => n + t.streams.size, 0), maxStreams: o.workers * o.streamsPerWorker };
    },
    async close() {
      closed = true;
      const all = threads;
      threads = [];
      await Promise.all(all.map((t) => t.host.stop()));
      if (modelDir) rmSync(modelDir, { recursive: true, force: true });
    },
  };
}

// --- one call side's stream --------------------------------------------------------------------

class SphinxStream extends SttStreamEvents implements SttStream {
  private pendingEnds = 0;
  private closed = false;
  private failed = false;

  constructor(
    readonly id: number,
    private readonly thread: DecoderThread,
    readonly opts: SttStreamOptions,
  ) {
    super();
    thread.attach(this);
    thread.post({ op: 'open', id });
    thread.ready.catch((e: Error) => this.fail(e.message));
  }

  write(pcm: Int16Array): void {
    if (this.closed || this.failed || pcm.length === 0) return;
    // A copy we own, moved (not cloned) to the worker: the caller may reuse its buffer.
    const copy = pcm.slice();
    this.thread.post({ op: 'audio', id: this.id, pcm: copy }, [copy.buffer as ArrayBuffer]);
  }

  expect(answer: ExpectedAnswer): void {
    if (this.closed || this.failed) return;
    this.thread.post({ op: 'expect', id: this.id, context: answer });
  }

  endUtterance(): void {
    if (this.closed) return;
    this.pendingEnds += 1;
    if (this.failed) {
      queueMicrotask(() => this.settleEnds());
      return;
    }
    this.thread.post({ op: 'end', id: this.id });
  }

  /** Fault injection (tests, drills): the stream's next decode fails inside the worker. */
  injectFault(): void {
    this.thread.post({ op: 'fault', id: this.id });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.pendingEnds = 0;
      this.thread.post({ op: 'close', id: this.id });
      this.thread.detach(this);
    }
    return Promise.resolve();
  }

  onWorker(m: WorkerMessage): void {
    if (this.closed) return;
    if (m.op === 'partial') this.emit('partial', { text: m.text });
    else if (m.op === 'final') {
      if (this.pendingEnds === 0) return;
      this.pendingEnds -= 1;
      const final = finalFromWords(m.words, Math.round((m.atSample / this.opts.sampleRate) * 1000));
      this.emit('final', { ...final, context: m.from });
    } else if (m.op === 'error') this.fail(m.message);
  }

  private fail(message: string): void {
    if (this.failed || this.closed) return;
    this.failed = true;
    this.thread.detach(this);
    // Fatal: this stream's decoder is gone (the call's recognition ends; others go on).
    this.emit('error', Object.assign(new Error(`speech recognition failed for this call: ${message}`), { fatal: true }));
    this.settleEnds();
  }

  /** Every endUtterance() gets its one final, empty once the decoder is gone. */
  private settleEnds(): void {
    while (this.pendingEnds > 0) {
      this.pendingEnds -= 1;
      this.emit('final', { text: '', startMs: 0, endMs: 0 });
    }
  }
}
