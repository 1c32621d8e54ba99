// The flite WASI module run on a small pool of worker threads, crash-contained.
//
// Why this file exists (issue 9): under ~60 concurrent calls the old single worker took Node
// down. Its message handler was async, so every queued sentence instantiated its own 21 MB
// module instance at once (RSS passed 2.5 GB at 150 concurrent replies), and each run's
// node:wasi preopen left an open descriptor on the temp folder that neither GC nor worker
// termination closes (one per sentence; measured). Now:
//   - a worker runs exactly one synthesis at a time, synchronously, so memory is one instance;
//   - the module's WASI imports are served from memory by a tiny host written here (the 13
//     calls flite makes): the WAV is written into a buffer, no folder, no file, no descriptor;
//   - a worker that crashes (an exception, a heap limit, a fatal run) is replaced; only the
//     sentence it was making fails, and only the call that asked for it hears about it;
//   - a sentence whose caller stopped waiting (barge-in, hang-up) is dropped from the queue.
import { Worker } from 'node:worker_threads';

// Plain JavaScript so it runs the same under node, tsx and vitest.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
let module;
try {
  module = new WebAssembly.Module(readFileSync(workerData.wasmPath));
  parentPort.postMessage({ ready: true });
} catch (e) {
  parentPort.postMessage({ ready: false, error: String(e && e.message || e) });
}

class Exit { constructor(code) { this.code = code; } }
const ERRNO = { SUCCESS: 0, BADF: 8, INVAL: 28, NOSYS: 52 };
const PREOPEN_FD = 3;
const PREOPEN_NAME = '/out';

// One flite run against an in-memory WASI preview1 host: args in, the output file captured.
function run(args) {
  let memory;
  const view = () => new DataView(memory.buffer);
  const bytes = () => new Uint8Array(memory.buffer);
  const encoder = new TextEncoder();
  const argBytes = args.map((a) => encoder.encode(a + '\\0'));
  const files = new Map(); // fd -> { data: Uint8Array, size, pos, closed }
  let nextFd = PREOPEN_FD + 1;
  let lastFile = -1;
  let stderr = '';
  const file = (fd) => { const f = files.get(fd); return f && !f.closed ? f : undefined; };
  const gather = (iovs, count) => {
    const v = view();
    const parts = [];
    for (let i = 0; i < count; i++) {
      const ptr = v.getUint32(iovs + i * 8, true);
      const len = v.getUint32(iovs + i * 8 + 4, true);
      parts.push(bytes().slice(ptr, ptr + len));
    }
    return parts;
  };
  const imports = {
    args_sizes_get(argcPtr, sizePtr) {
      view().setUint32(argcPtr, argBytes.length, true);
      view().setUint32(sizePtr, argBytes.reduce((n, b) => n + b.length, 0), true);
      return ERRNO.SUCCESS;
    },
    args_get(argvPtr, bufPtr) {
      let at = bufPtr;
      argBytes.forEach((b, i) => {
        view().setUint32(argvPtr + i * 4, at, true);
        bytes().set(b, at);
        at += b.length;
      });
      return ERRNO.SUCCESS;
    },
    clock_time_get(_id, _precision, timePtr) {
      view().setBigUint64(timePtr, process.hrtime.bigint(), true);
      return ERRNO.SUCCESS;
    },
    fd_close(fd) {
      const f = file(fd);
      if (f) f.closed = true;
      return f || fd <= PREOPEN_FD ? ERRNO.SUCCESS : ERRNO.BADF;
    },
    fd_fdstat_get(fd, ptr) {
      const v = view();
      const type = fd <= 2 ? 2 : fd === PREOPEN_FD ? 3 : file(fd) ? 4 : -1;
      if (type < 0) return ERRNO.BADF;
      v.setUint8(ptr, type);
      v.setUint16(ptr + 2, 0, true);
      v.setBigUint64(ptr + 8, 0xffffffffffffffffn, true);
      v.setBigUint64(ptr + 16, 0xffffffffffffffffn, true);
      return ERRNO.SUCCESS;
    },
    fd_fdstat_set_flags() {
      return ERRNO.SUCCESS;
    },
    fd_prestat_get(fd, ptr) {
      if (fd !== PREOPEN_FD) return ERRNO.BADF;
      view().setUint8(ptr, 0);
      view().setUint32(ptr + 4, PREOPEN_NAME.length, true);
      return ERRNO.SUCCESS;
    },
    fd_prestat_dir_name(fd, ptr, len) {
      if (fd !== PREOPEN_FD) return ERRNO.BADF;
      bytes().set(encoder.encode(PREOPEN_NAME).slice(0, len), ptr);
      return ERRNO.SUCCESS;
    },
    fd_read(_fd, _iovs, _count, nreadPtr) {
      view().setUint32(nreadPtr, 0, true); // nothing to read: stdin is empty
      return ERRNO.SUCCESS;
    },
    fd_seek(fd, offset, whence, newPtr) {
      const f = file(fd);
      if (!f) return ERRNO.BADF;
      const base = whence === 0 ? 0 : whence === 1 ? f.pos : f.size;
      const next = base + Number(offset);
      if (next < 0) return ERRNO.INVAL;
      f.pos = next;
      view().setBigUint64(newPtr, BigInt(next), true);
      return ERRNO.SUCCESS;
    },
    fd_write(fd, iovs, count, nwrittenPtr) {
      const parts = gather(iovs, count);
      const total = parts.reduce((n, p) => n + p.length, 0);
      if (fd === 1 || fd === 2) {
        if (stderr.length < 2000) stderr += new TextDecoder().decode(Buffer.concat(parts));
      } else {
        const f = file(fd);
        if (!f) return ERRNO.BADF;
        const end = f.pos + total;
        if (end > f.data.length) {
          const grown = new Uint8Array(Math.max(end, f.data.length * 2));
          grown.set(f.data.subarray(0, f.size));
          f.data = grown;
        }
        for (const p of parts) {
          f.data.set(p, f.pos);
          f.pos += p.length;
        }
        f.size = Math.max(f.size, f.pos);
      }
      view().setUint32(nwrittenPtr, total, true);
      return ERRNO.SUCCESS;
    },
    path_open(dirFd, _dirflags, _pathPtr, _pathLen, _oflags, _rb, _ri, _fdflags, fdPtr) {
      if (dirFd !== PREOPEN_FD) return ERRNO.BADF;
      const fd = nextFd++;
      files.set(fd, { data: new Uint8Array(64 * 1024), size: 0, pos: 0, closed: false });
      lastFile = fd;
      view().setUint32(fdPtr, fd, true);
      return ERRNO.SUCCESS;
    },
    proc_exit(code) {
      throw new Exit(code);
    },
  };
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports });
  memory = instance.exports.memory;
  let code = 0;
  try {
    instance.exports._start();
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
    code = e.code;
  }
  if (code !== 0) throw new Error('flite exited with code ' + code + (stderr ? ': ' + stderr.trim().slice(-200) : ''));
  const out = files.get(lastFile);
  if (!out || out.size === 0) throw new Error('flite wrote no audio' + (stderr ? ': ' + stderr.trim().slice(-200) : ''));
  return out.data.slice(0, out.size);
}

parentPort.on('message', (job) => {
  if (job.crash) {
    // Chaos hook for tests: an uncaught failure, as a fatal engine error would be.
    setImmediate(() => { throw new Error('injected flite worker crash'); });
    return;
  }
  try {
    const wav = run(['flite', '-voice', job.voice, ' ' + job.text + ' ', PREOPEN_NAME + '/out.wav']);
    parentPort.postMessage({ id: job.id, wav }, [wav.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: String(e && e.message || e) });
  }
});
`;

interface WorkerReply {
  id?: number;
  ready?: boolean;
  wav?: Uint8Array;
  error?: string;
}

interface Job {
  id: number;
  text: string;
  voice: string;
  resolve: (wav: Uint8Array) => void;
  reject: (e: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  job: Job | undefined;
  /** The module compiled: the worker can take jobs. */
  loaded: boolean;
  /** Set once the worker is being replaced: its late messages and exit are ignored. */
  retired: boolean;
}

export interface FliteWorkerPoolOptions {
  wasmPath: string;
  workers: number;
  /** Heap limit per worker: a runaway worker is stopped (and replaced), never the process. */
  maxHeapMb?: number;
}

export interface FlitePoolStats {
  workers: number;
  busy: number;
  queued: number;
  crashes: number;
  completed: number;
}

export class FliteWorkerPool {
  readonly #o: Required<FliteWorkerPoolOptions>;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 1;
  #crashes = 0;
  #completed = 0;
  #loadError: Error | undefined;
  readonly ready: Promise<void>;

  constructor(options: FliteWorkerPoolOptions) {
    this.#o = { maxHeapMb: 96, ...options };
    for (let i = 0; i < Math.max(1, options.workers); i++) this.#slots.push(this.#spawn());
    this.ready = Promise.all(this.#slots.map((s) => s.ready)).then(() => undefined);
    this.ready.catch(() => undefined);
  }

  get size(): number {
    return this.#slots.length;
  }

  stats(): FlitePoolStats {
    return {
      workers: this.#slots.length,
      busy: this.#slots.filter((s) => s.job).length,
      queued: this.#queue.length,
      crashes: this.#crashes,
      completed: this.#completed,
    };
  }

  /** One sentence to WAV bytes. Rejects when the module cannot load or the worker making it crashed. */
  synthesize(text: string, voice: string, signal?: AbortSignal): Promise<Uint8Array> {
    if (this.#loadError) return Promise.reject(this.#loadError);
    return new Promise<Uint8Array>((resolve, reject) => {
      const job: Job = { id: this.#nextId++, text, voice, resolve, reject, signal, onAbort: undefined };
      if (signal) {
        if (signal.aborted) return reject(new Error('synthesis aborted'));
        // Nobody waits for it any more: do not spend a worker on it.
        job.onAbort = () => {
          const index = this.#queue.indexOf(job);
          if (index >= 0) {
            this.#queue.splice(index, 1);
            reject(new Error('synthesis aborted'));
          }
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.#queue.push(job);
      this.#dispatch();
    });
  }

  /** Test hook: make one worker fail as a fatal engine error would. */
  injectCrash(index = 0): void {
    this.#slots[index]?.worker.postMessage({ crash: true });
  }

  async close(): Promise<void> {
    const slots = this.#slots.splice(0);
    for (const s of slots) s.retired = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error('the synthesis pool closed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { wasmPath: this.#o.wasmPath },
      resourceLimits: { maxOldGenerationSizeMb: this.#o.maxHeapMb },
    });
    const slot: Slot = { worker, ready: Promise.resolve(), job: undefined, loaded: false, retired: false };
    slot.ready = new Promise<void>((resolve, reject) => {
      const onReady = (m: WorkerReply): void => {
        if (m.ready === undefined) return;
        worker.off('message', onReady);
        if (m.ready) resolve();
        else reject(new Error(`flite WASI module failed to load: ${m.error ?? 'unknown error'}`));
      };
      worker.on('message', onReady);
    });
    slot.ready.then(
      () => {
        slot.loaded = true;
        this.#dispatch();
      },
      (e: Error) => {
        // The module itself is bad: retrying would crash-loop; fail everything waiting.
        this.#loadError = e;
        for (const job of this.#queue.splice(0)) job.reject(e);
        worker.unref();
      },
    );
    worker.on('message', (m: WorkerReply) => {
      if (m.id === undefined || slot.retired) return;
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      slot.job = undefined;
      this.#settle(job);
      this.#completed++;
      if (m.wav) job.resolve(new Uint8Array(m.wav));
      else job.reject(new Error(`flite failed: ${m.error ?? 'unknown error'}`));
      this.#dispatch();
    });
    worker.on('error', (e) => this.#crashed(slot, e));
    worker.on('exit', (code) => this.#crashed(slot, new Error(`flite worker exited with code ${code}`)));
    // A loading worker stays referenced (someone may be waiting for `ready`); once loaded, idle
    // workers are unreferenced so they never keep a finished process alive (see #dispatch).
    return slot;
  }

  #crashed(slot: Slot, error: Error): void {
    if (slot.retired) return;
    slot.retired = true;
    this.#crashes++;
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      this.#settle(job);
      job.reject(new Error(`the speech synthesis worker crashed (${error.message}); it was replaced`));
    }
    void slot.worker.terminate().catch(() => undefined);
    const index = this.#slots.indexOf(slot);
    if (index >= 0 && !this.#loadError) this.#slots[index] = this.#spawn();
  }

  #settle(job: Job): void {
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) break;
      if (slot.job || slot.retired) continue;
      // Not loaded yet: it dispatches itself once ready.
      if (!slot.loaded) continue;
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, voice: job.voice, text: job.text });
    }
    const busy = this.#slots.some((s) => s.job) || this.#queue.length > 0;
    for (const slot of this.#slots) {
      if (busy || !slot.loaded) slot.worker.ref();
      else slot.worker.unref();
    }
  }
}
