// @ts-check
// One speech-recognition worker thread: pocketsphinx's C library (Debian's libpocketsphinx.so.3)
// bound through koffi, a warm pool of decoders, and the live call streams assigned to this
// thread. Plain JavaScript so node, tsx and vitest all load it the same way.
//
// Facts this file is built on (measured on Debian 12's 0.8+5prealpha):
// - the n-gram model object writes a score cache while decoding, so one model per thread,
//   shared by this thread's decoders through ps_set_lm (retained once per decoder);
// - NGRAM_AUTO is 0 (-1 crashes); ps_start_utt fails while no search is set;
// - err_set_logfp(null) silences the library for the whole process;
// - each decoder loads its own dictionary, so the dictionary handed in is the trimmed one.
//
// Protocol (main → worker): open, audio, expect, end, close, fault; (worker → main): ready,
// opened, partial, final, error, stats. Every stream message carries the stream id; a failure
// in one stream frees that stream's decoders and is reported for that stream only.
import { parentPort, workerData } from 'node:worker_threads';
import koffi from 'koffi';

/** @typedef {{ ptr: unknown, search: string, samples: number, uttBaseMs: number }} Decoder */
/** @typedef {{ id: number, context: string, primary: Decoder, open: Decoder | undefined,
 *   inUtt: boolean, uttStartSample: number, samples: number, recent: Int16Array[], recentSamples: number,
 *   lastPartial: string, speechSeen: boolean }} Stream */

// Runs as a worker thread (workerData, parentPort) or as a child process (the configuration in
// an environment variable, messages over the IPC channel with structured-clone serialization).
const inThread = parentPort !== null;
const cfg = /** @type {{ libraries: { sphinxbase: string, pocketsphinx: string }, hmm: string, dict: string, lm: string,
  grammars: Record<string, string>, grammarEvidence: Record<string, string[]>, leadInWords: string[], warmDecoders: number, samprate: number, extraArgs: string[] }} */ (
  inThread ? workerData : JSON.parse(process.env.SWITCHBOARD_SPHINX_CONFIG ?? '{}'));

const port = parentPort ?? {
  /** @param {unknown} m */
  postMessage: (m) => void process.send?.(m),
  /** @param {string} _event @param {(m: any) => void} listener */
  on: (_event, listener) => void process.on('message', listener),
};
if (!inThread) process.on('disconnect', () => process.exit(0));

const sb = koffi.load(cfg.libraries.sphinxbase);
const ps = koffi.load(cfg.libraries.pocketsphinx);
const lib = {
  err_set_logfp: sb.func('void err_set_logfp(void *fp)'),
  cmd_ln_init: sb.func('void *cmd_ln_init(void *inout, void *defn, int strict, ...)'),
  cmd_ln_free_r: sb.func('int cmd_ln_free_r(void *cmdln)'),
  logmath_exp: sb.func('double logmath_exp(void *lmath, int p)'),
  ngram_model_read: sb.func('void *ngram_model_read(void *config, const char *path, int type, void *lmath)'),
  ngram_model_retain: sb.func('void *ngram_model_retain(void *model)'),
  ps_args: ps.func('void *ps_args()'),
  ps_init: ps.func('void *ps_init(void *config)'),
  ps_free: ps.func('int ps_free(void *ps)'),
  ps_get_logmath: ps.func('void *ps_get_logmath(void *ps)'),
  ps_set_lm: ps.func('int ps_set_lm(void *ps, const char *name, void *lm)'),
  ps_set_jsgf_string: ps.func('int ps_set_jsgf_string(void *ps, const char *name, const char *jsgf)'),
  ps_set_search: ps.func('int ps_set_search(void *ps, const char *name)'),
  ps_start_utt: ps.func('int ps_start_utt(void *ps)'),
  ps_process_raw: ps.func('int ps_process_raw(void *ps, const int16_t *data, size_t n, int no_search, int full_utt)'),
  ps_end_utt: ps.func('int ps_end_utt(void *ps)'),
  ps_get_hyp: ps.func('const char *ps_get_hyp(void *ps, _Out_ int32_t *score)'),
  ps_seg_iter: ps.func('void *ps_seg_iter(void *ps)'),
  ps_seg_next: ps.func('void *ps_seg_next(void *seg)'),
  ps_seg_free: ps.func('void ps_seg_free(void *seg)'),
  ps_seg_word: ps.func('const char *ps_seg_word(void *seg)'),
  ps_seg_frames: ps.func('void ps_seg_frames(void *seg, _Out_ int *sf, _Out_ int *ef)'),
  ps_seg_prob: ps.func('int32_t ps_seg_prob(void *seg, _Out_ int32_t *ascr, _Out_ int32_t *lscr, _Out_ int32_t *lback)'),
};
lib.err_set_logfp(null);

const NGRAM_AUTO = 0;
const SAMPLES_PER_FRAME = cfg.samprate / 100;
/** Audio kept to replay into a new search when the expected answer changes mid-utterance. */
const REPLAY_SAMPLES = Math.round(cfg.samprate * 0.6);
const OPEN = 'open';

/** @param {string[]} args */
function makeConfig(args) {
  /** @type {unknown[]} */
  const variadic = [];
  for (const a of args) variadic.push('const char *', a);
  variadic.push('const char *', null);
  const config = lib.cmd_ln_init(null, lib.ps_args(), 1, ...variadic);
  if (!config) throw new Error('pocketsphinx rejected the decoder configuration');
  return config;
}

const DECODER_ARGS = [
  '-hmm', cfg.hmm, '-dict', cfg.dict, '-samprate', String(cfg.samprate),
  // fwdtree alone, then a best path over its lattice: finals in a few ms after the turn ends,
  // with word posteriors for the confidence; the fwdflat pass costs 100+ ms for little gain.
  '-fwdflat', 'no', '-bestpath', 'yes',
  ...cfg.extraArgs,
];

/** The thread's one language model, read with the first decoder's log-math tables. */
let sharedLm = /** @type {unknown} */ (undefined);

/** @returns {Decoder} */
function createDecoder() {
  const config = makeConfig(DECODER_ARGS);
  const ptr = lib.ps_init(config);
  lib.cmd_ln_free_r(config);
  if (!ptr) throw new Error('pocketsphinx could not create a decoder (acoustic model or dictionary unreadable)');
  if (!sharedLm) {
    const lmConfig = makeConfig(DECODER_ARGS);
    sharedLm = lib.ngram_model_read(lmConfig, cfg.lm, NGRAM_AUTO, lib.ps_get_logmath(ptr));
    if (!sharedLm) throw new Error(`pocketsphinx could not read the domain language model ${cfg.lm}`);
  }
  lib.ngram_model_retain(sharedLm);
  if (lib.ps_set_lm(ptr, OPEN, sharedLm) < 0) throw new Error('pocketsphinx could not attach the domain language model');
  for (const [name, jsgf] of Object.entries(cfg.grammars)) {
    if (lib.ps_set_jsgf_string(ptr, name, jsgf) < 0) throw new Error(`pocketsphinx rejected the "${name}" grammar`);
  }
  if (lib.ps_set_search(ptr, OPEN) < 0) throw new Error('pocketsphinx could not select the open search');
  return { ptr, search: OPEN, samples: 0, uttBaseMs: 0 };
}

/** @type {Decoder[]} */
const idle = [];
/** @type {Map<number, Stream>} */
const streams = new Map();
const broken = new Set();

function take() {
  const d = idle.pop() ?? createDecoder();
  // Refill in idle time, not on a caller's audio path.
  if (idle.length < cfg.warmDecoders) setImmediate(refill);
  return d;
}

function refill() {
  try {
    while (idle.length < cfg.warmDecoders && streams.size + idle.length < 4096) idle.push(createDecoder());
  } catch (e) {
    port.postMessage({ op: 'warn', message: String(/** @type {Error} */ (e).message ?? e) });
  }
}

/** @param {Decoder} d */
function release(d) {
  if (idle.length >= cfg.warmDecoders * 2) {
    lib.ps_free(d.ptr);
    return;
  }
  idle.push(d);
}

/** @param {Decoder} d @param {string} search */
function useSearch(d, search) {
  if (d.search === search) return;
  if (lib.ps_set_search(d.ptr, search) < 0) throw new Error(`pocketsphinx could not switch to the "${search}" search`);
  d.search = search;
}

/** @param {number} rc @param {string} what */
function check(rc, what) {
  if (rc < 0) throw new Error(`pocketsphinx ${what} failed (code ${rc})`);
}

/** @param {Decoder} d */
function hypothesis(d) {
  const text = lib.ps_get_hyp(d.ptr, [0]);
  return typeof text === 'string' ? text.replace(/\(NULL\)/g, ' ').replace(/\s+/g, ' ').trim() : '';
}

const vocabularies = Object.fromEntries(Object.entries(cfg.grammarEvidence).map(([k, v]) => [k, new Set(v)]));
const leadIn = new Set(cfg.leadInWords);

/**
 * The grammar always returns *some* path through its rules; it is the answer only when the
 * open model also heard mostly grammar words (a caller who says "I don't know it" instead of
 * their zip gets the open model's words, not five invented digits).
 * @param {string} context @param {string} grammarText @param {string} openText
 */
function choose(context, grammarText, openText) {
  if (context === OPEN) return { text: openText, from: OPEN };
  const vocabulary = vocabularies[context];
  const openWords = openText
    .split(/\s+/)
    .map((w) => w.replace(/\(\d+\)$/, ''))
    .filter((w) => w && !w.startsWith('<') && !w.startsWith('[') && (context === 'yes-no' || !leadIn.has(w)));
  if (!grammarText) return { text: openText, from: OPEN };
  if (!vocabulary) return { text: grammarText, from: context };
  // Nothing but framing words ("my zip code…") or nothing at all: no answer was given yet.
  if (openWords.length === 0) return { text: openText, from: OPEN };
  const inGrammar = openWords.filter((w) => vocabulary.has(w)).length;
  return inGrammar / openWords.length >= 0.5 ? { text: grammarText, from: context } : { text: openText, from: OPEN };
}

/** @param {Stream} s */
function decodersOf(s) {
  return s.open ? [s.primary, s.open] : [s.primary];
}

/** @param {Stream} s */
function startUtterance(s) {
  useSearch(s.primary, s.context === OPEN ? OPEN : s.context);
  if (s.open) useSearch(s.open, OPEN);
  for (const d of decodersOf(s)) {
    check(lib.ps_start_utt(d.ptr), 'start of utterance');
    // Segment frames count from the decoder's first utterance ever, not from this one.
    d.uttBaseMs = (d.samples / SAMPLES_PER_FRAME) * 10;
  }
  s.inUtt = true;
  s.uttStartSample = s.samples;
  s.lastPartial = '';
}

/** @param {Stream} s @param {Int16Array} pcm */
function feed(s, pcm) {
  if (broken.has(s.id)) throw new Error('injected decoder fault');
  if (!s.inUtt) startUtterance(s);
  for (const d of decodersOf(s)) {
    check(lib.ps_process_raw(d.ptr, pcm, pcm.length, 0, 0), 'decoding');
    d.samples += pcm.length;
  }
  s.samples += pcm.length;
  s.recent.push(pcm);
  s.recentSamples += pcm.length;
  while (s.recent.length > 1 && s.recentSamples - (s.recent[0]?.length ?? 0) >= REPLAY_SAMPLES) {
    s.recentSamples -= s.recent.shift()?.length ?? 0;
  }
  const partial = s.open ? choose(s.context, hypothesis(s.primary), hypothesis(s.open)) : { text: hypothesis(s.primary), from: OPEN };
  if (partial.text && partial.text !== s.lastPartial) {
    s.lastPartial = partial.text;
    port.postMessage({ op: 'partial', id: s.id, text: partial.text, from: partial.from });
  }
}

/** @param {Decoder} d @param {number} uttStartMs */
function words(d, uttStartMs) {
  const offsetMs = uttStartMs - d.uttBaseMs;
  const lmath = lib.ps_get_logmath(d.ptr);
  /** @type {{ word: string, startMs: number, endMs: number, posterior: number }[]} */
  const out = [];
  let seg = lib.ps_seg_iter(d.ptr);
  while (seg) {
    const word = String(lib.ps_seg_word(seg));
    // <s>, <sil>, [NOISE], +breath+ and the grammar's (NULL) transitions are not words.
    if (!/^[<[+(]/.test(word)) {
      const sf = [0];
      const ef = [0];
      lib.ps_seg_frames(seg, sf, ef);
      const prob = lib.ps_seg_prob(seg, [0], [0], [0]);
      out.push({
        word: word.replace(/\(\d+\)$/, ''),
        startMs: offsetMs + (sf[0] ?? 0) * 10,
        endMs: offsetMs + ((ef[0] ?? 0) + 1) * 10,
        posterior: Math.max(0, Math.min(1, lib.logmath_exp(lmath, prob))),
      });
    }
    seg = lib.ps_seg_next(seg);
  }
  return out;
}

/** @param {Stream} s */
function finish(s) {
  const started = performance.now();
  if (!s.inUtt) return { op: 'final', id: s.id, text: '', words: [], from: s.context, atSample: s.samples, ms: 0 };
  for (const d of decodersOf(s)) check(lib.ps_end_utt(d.ptr), 'end of utterance');
  s.inUtt = false;
  s.recent = [];
  s.recentSamples = 0;
  const offsetMs = (s.uttStartSample / SAMPLES_PER_FRAME) * 10;
  const chosen = s.open ? choose(s.context, hypothesis(s.primary), hypothesis(s.open)) : { text: hypothesis(s.primary), from: OPEN };
  const source = chosen.from === s.context || !s.open ? s.primary : s.open;
  const list = chosen.text ? words(source, offsetMs) : [];
  return { op: 'final', id: s.id, text: list.map((w) => w.word).join(' '), words: list, from: chosen.from, atSample: s.samples, ms: performance.now() - started };
}

/** @param {Stream} s @param {string} context */
function expect(s, context) {
  if (s.context === context) return;
  const needsOpen = context !== OPEN;
  if (needsOpen && !s.open) s.open = take();
  // Mid-utterance: restart it under the new search, replaying the last moments so a caller
  // who already began answering loses nothing.
  const replay = s.inUtt ? s.recent : [];
  if (s.inUtt) {
    for (const d of decodersOf(s)) lib.ps_end_utt(d.ptr);
    s.inUtt = false;
  }
  s.context = context;
  if (!needsOpen && s.open) {
    release(s.open);
    s.open = undefined;
  }
  if (replay.length) {
    const replaySamples = replay.reduce((n, p) => n + p.length, 0);
    s.samples -= replaySamples;
    s.recent = [];
    s.recentSamples = 0;
    for (const pcm of replay) feed(s, pcm);
  }
}

/** @param {number} id @param {boolean} reuse */
function drop(id, reuse) {
  const s = streams.get(id);
  if (!s) return;
  streams.delete(id);
  broken.delete(id);
  for (const d of decodersOf(s)) {
    if (!reuse) {
      lib.ps_free(d.ptr);
      continue;
    }
    if (s.inUtt) lib.ps_end_utt(d.ptr);
    release(d);
  }
}

port.on('message', (/** @type {{ op: string, id: number, pcm?: Int16Array, context?: string }} */ m) => {
  const s = streams.get(m.id);
  try {
    switch (m.op) {
      case 'open': {
        /** @type {Stream} */
        const stream = { id: m.id, context: OPEN, primary: take(), open: undefined, inUtt: false, uttStartSample: 0, samples: 0, recent: [], recentSamples: 0, lastPartial: '', speechSeen: false };
        streams.set(m.id, stream);
        if (m.context && m.context !== OPEN) expect(stream, m.context);
        return;
      }
      case 'audio':
        if (s && m.pcm) feed(s, m.pcm);
        return;
      case 'expect':
        if (s && m.context) expect(s, m.context);
        return;
      case 'end':
        if (s) port.postMessage(finish(s));
        return;
      case 'close':
        drop(m.id, !broken.has(m.id));
        return;
      case 'fault':
        // Fault injection for tests and drills: the next decode on this stream fails.
        broken.add(m.id);
        return;
      case 'stats':
        port.postMessage({ op: 'stats', streams: streams.size, idle: idle.length });
        return;
    }
  } catch (e) {
    // This stream's decoders may be mid-utterance in an unknown state: free them, never reuse.
    port.postMessage({ op: 'error', id: m.id, message: String(/** @type {Error} */ (e).message ?? e) });
    drop(m.id, false);
  }
});

try {
  const started = performance.now();
  refill();
  if (idle.length === 0) idle.push(createDecoder());
  port.postMessage({ op: 'ready', warmMs: performance.now() - started, idle: idle.length });
} catch (e) {
  port.postMessage({ op: 'failed', message: String(/** @type {Error} */ (e).message ?? e) });
}
