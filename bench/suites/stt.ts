// Speech-to-text benchmark: word error rate (our own aligner), digit-string accuracy and
// real-time factor per core of the in-process recognizer, per expected context, on
//  (a) flite voices saying caller lines, zips, dates, yes/no answers and order ids, at 16 kHz
//      and as 8 kHz µ-law (upsampled to 16 kHz, and decoded natively with 8 kHz features);
//  (b) real recorded speech shipped by Debian's pocketsphinx-testdata (LibriVox, goforward).
// One worker thread and one stream at a time, audio written as fast as the decoder takes it:
// decode wall time / audio time is the real-time factor of one core.
// Options: --zips N (default 25), --dates N (default 12), --voices slt,rms,awb, --telephone-only
// (zips and dates on telephone audio only, split by cause: µ-law, band limit, both, native 8 kHz).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { digitRuns, extractDate } from '../../backend/src/brain/slots';
import { decodeMulaw, encodeMulaw } from '../../backend/src/media/mulaw';
import { createResampler } from '../../backend/src/media/resampler';
import { createFliteTextToSpeech } from '../../backend/src/speech/flite-tts';
import { createSphinxSpeechToText, type SphinxSttOptions } from '../../backend/src/speech/sphinx/sphinx-stt';
import type { ExpectedAnswer, SttFinal, SttStream, SttStreamOptions } from '../../backend/src/speech/types';
import { createNoiseSuppressor } from '../../backend/src/speech/noise-suppressor';
import { decodeWav } from '../../backend/src/speech/wav';
import { concatPcm, synthesizeWhole } from '../../backend/src/speech/whole-utterance';
import { percentile } from './voice';
import { wordErrors } from './word-error-rate';

interface Item {
  set: string;
  context: ExpectedAnswer;
  reference: string;
  /** What a digit-string check compares: the zip digits or the ISO date. */
  expectDigits?: string;
  expectDate?: string;
  pcm16: Int16Array;
}

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth', 'twenty first', 'twenty second', 'twenty third', 'twenty fourth', 'twenty fifth', 'twenty sixth', 'twenty seventh', 'twenty eighth'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];

/** Caller lines that are in the scenarios the domain model learned from. */
const IN_CORPUS = ['Where is my order?', 'What are your support hours?', 'Let me talk to an agent', 'I want to speak to a person please', 'How long do I have to return something?'];
/** Caller lines the domain model never saw (held out: honest open-speech accuracy). */
const HELD_OUT = [
  'My headphones stopped charging yesterday.',
  'Can I get a refund for the earbuds?',
  'I need to change the address on my order.',
  'The package says delivered but I never got it.',
  'How do I pair my headset with my phone?',
  'Is the warranty still valid after a year?',
  'I would like to cancel my order please.',
  'Do you ship to Canada?',
];
const YES_NO = ['Yes please.', 'No, that is all, thanks.', 'Yeah.', 'No thank you.', "Yes, that's right.", 'Nope.'];

function seeded(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

function yearWords(y: number): string {
  const yy = y % 100;
  if (y >= 2000) return yy === 0 ? 'two thousand' : yy < 10 ? `two thousand ${ONES[yy]}` : `twenty ${yy < 20 ? TEENS[yy - 10]! : `${TENS[Math.floor(yy / 10)]}${yy % 10 ? ` ${ONES[yy % 10]}` : ''}`}`;
  const two = yy < 10 ? `oh ${ONES[yy]}` : yy < 20 ? TEENS[yy - 10]! : yy % 10 === 0 ? TENS[Math.floor(yy / 10)]! : `${TENS[Math.floor(yy / 10)]} ${ONES[yy % 10]}`;
  return `nineteen ${two}`;
}

function trim(pcm: Int16Array): Int16Array {
  let start = 0;
  while (start < pcm.length && Math.abs(pcm[start]!) < 300) start++;
  let end = pcm.length;
  while (end > start && Math.abs(pcm[end - 1]!) < 300) end--;
  return pcm.subarray(start, end);
}

export async function syntheticItems(voices: string[], zips: number, dates: number): Promise<Item[]> {
  const items: Item[] = [];
  const rand = seeded(42);
  for (const voice of voices) {
    // The flite binary: many hundreds of runs in a row crash the WASI build's worker here (SIGSEGV, being fixed separately).
    const tts = createFliteTextToSpeech({ voice, engine: 'binary' });
    const say = async (text: string): Promise<Int16Array> => trim(await synthesizeWhole(tts, text));
    for (const line of IN_CORPUS) items.push({ set: 'callerLinesInCorpus', context: 'open', reference: line, pcm16: await say(line) });
    for (const line of HELD_OUT) items.push({ set: 'callerLinesHeldOut', context: 'open', reference: line, pcm16: await say(line) });
    for (const line of YES_NO) items.push({ set: 'yesNo', context: 'yes-no', reference: line, pcm16: await say(line) });
    for (let i = 0; i < zips; i++) {
      const digits = Array.from({ length: 5 }, () => rand(10)).join('');
      const spoken = [...digits].map((d) => (d === '0' && rand(2) ? 'oh' : ONES[Number(d)])).join(' ');
      const pcm16 = await say(`${spoken}.`);
      items.push({ set: 'zip', context: 'zip', reference: spoken, expectDigits: digits, pcm16 });
      items.push({ set: 'zipOpenModel', context: 'open', reference: spoken, expectDigits: digits, pcm16 });
    }
    for (let i = 0; i < dates; i++) {
      const month = rand(12);
      const day = 1 + rand(28);
      const year = 1940 + rand(65);
      const spoken = `${MONTHS[month]} ${ORDINALS[day - 1]}, ${yearWords(year)}`;
      const iso = `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const pcm16 = await say(`${spoken}.`);
      items.push({ set: 'date', context: 'date', reference: spoken, expectDate: iso, pcm16 });
      items.push({ set: 'dateOpenModel', context: 'open', reference: spoken, expectDate: iso, pcm16 });
    }
    for (let i = 0; i < 5; i++) {
      const id = 1001 + rand(25);
      const spoken = `order ${[...String(id)].map((d) => ONES[Number(d)]).join(' ')}`;
      items.push({ set: 'orderId', context: 'order-id', reference: spoken, expectDigits: String(id), pcm16: await say(`${spoken}.`) });
    }
  }
  return items;
}

const TESTDATA = '/usr/share/pocketsphinx/test/data';

/** Real recordings from Debian's pocketsphinx-testdata, when installed. */
function recordedItems(): Item[] {
  const items: Item[] = [];
  const libri = join(TESTDATA, 'librivox');
  if (existsSync(join(libri, 'transcription'))) {
    for (const line of readFileSync(join(libri, 'transcription'), 'utf8').split('\n')) {
      const m = /^<s> (.*) <\/s> \((.+)\)$/.exec(line.trim());
      if (!m) continue;
      const wav = decodeWav(new Uint8Array(readFileSync(join(libri, `${m[2]}.wav`))));
      items.push({ set: 'librivox', context: 'open', reference: m[1]!, pcm16: wav.pcm });
    }
  }
  const goforward = join(TESTDATA, 'goforward.raw');
  if (existsSync(goforward)) {
    const raw = readFileSync(goforward);
    items.push({ set: 'goforward', context: 'open', reference: 'go forward ten meters', pcm16: new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length)) });
  }
  return items;
}

/** 16 kHz → 8 kHz µ-law on the wire → back to linear 8 kHz (what a Twilio call delivers). */
function telephone8k(pcm16: Int16Array): Int16Array {
  const down = createResampler(16000, 8000);
  return decodeMulaw(encodeMulaw(concatPcm([down.process(pcm16), down.flush()])));
}

function upsample(pcm8: Int16Array): Int16Array {
  const up = createResampler(8000, 16000);
  return concatPcm([up.process(pcm8), up.flush()]);
}

/** The utterance in steady noise at the given SNR (noise spectrum tilted toward lows, like a
 *  street or a car, and running through the pauses around the speech). */
function withNoise(pcm16: Int16Array, snrDb: number, seed: number): Int16Array {
  const padded = concatPcm([new Int16Array(4000), pcm16, new Int16Array(4000)]);
  const rand = seeded(seed);
  const power = pcm16.reduce((n, v) => n + v * v, 0) / Math.max(1, pcm16.length);
  const noise = new Float64Array(padded.length);
  let low = 0;
  for (let i = 0; i < noise.length; i++) {
    const white = rand(20001) / 10000 - 1;
    low = 0.9 * low + 0.1 * white;
    noise[i] = white * 0.4 + low * 3;
  }
  const noisePower = noise.reduce((n, v) => n + v * v, 0) / noise.length;
  const gain = Math.sqrt(power / (noisePower * 10 ** (snrDb / 10)));
  const out = new Int16Array(padded.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(padded[i]! + noise[i]! * gain)));
  return out;
}

async function denoised(items: Item[]): Promise<Item[]> {
  const out: Item[] = [];
  for (const item of items) {
    const suppressor = await createNoiseSuppressor();
    out.push({ ...item, pcm16: suppressor.process(item.pcm16) });
    suppressor.dispose();
  }
  return out;
}

interface Outcome {
  item: Item;
  final: SttFinal;
  decodeMs: number;
  audioMs: number;
}

function decodeOne(stream: SttStream, pcm: Int16Array, rate: number, context: ExpectedAnswer): Promise<{ final: SttFinal; decodeMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const onFinal = (final: SttFinal): void => {
      stream.off('final', onFinal).off('error', reject);
      resolve({ final, decodeMs: performance.now() - started });
    };
    stream.on('final', onFinal).on('error', reject);
    stream.expect?.(context);
    const chunk = rate / 50;
    const padded = concatPcm([new Int16Array(rate / 5), pcm, new Int16Array(rate / 4)]);
    for (let i = 0; i < padded.length; i += chunk) stream.write(padded.subarray(i, i + chunk));
    stream.endUtterance();
  });
}

export async function runEngine(options: SphinxSttOptions, items: Item[], convert: (pcm16: Int16Array) => Int16Array, rate: 8000 | 16000): Promise<Outcome[]> {
  console.error(`stt bench: ${items.length} utterances, ${JSON.stringify(options)} at ${rate} Hz`);
  const stt = createSphinxSpeechToText({ workers: 1, warmDecoders: 2, ...options });
  await stt.warm();
  const stream = stt.openStream({ speaker: 'caller', sampleRate: rate } as unknown as SttStreamOptions);
  const out: Outcome[] = [];
  try {
    for (const item of items) {
      if (process.env.STT_BENCH_TRACE) console.error(`stt bench: ${item.set} ${item.context} ${item.reference}`);
      const pcm = convert(item.pcm16);
      const { final, decodeMs } = await decodeOne(stream, pcm, rate, item.context);
      out.push({ item, final, decodeMs, audioMs: ((pcm.length + rate / 5 + rate / 4) / rate) * 1000 });
    }
  } finally {
    await stream.close();
    await stt.close();
  }
  return out;
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function summarize(outcomes: Outcome[]): Record<string, unknown> {
  const bySet = new Map<string, Outcome[]>();
  for (const o of outcomes) bySet.set(o.item.set, [...(bySet.get(o.item.set) ?? []), o]);
  const sets: Record<string, unknown> = {};
  for (const [set, list] of bySet) {
    let errors = 0;
    let words = 0;
    let stringsRight = 0;
    let strings = 0;
    let fromGrammar = 0;
    for (const o of list) {
      const e = wordErrors(o.item.reference, o.final.text);
      errors += e.errors;
      words += e.referenceWords;
      if (o.item.expectDigits !== undefined) {
        strings++;
        if (digitRuns(o.final.text).join('') === o.item.expectDigits) stringsRight++;
      } else if (o.item.expectDate !== undefined) {
        strings++;
        if (extractDate(o.final.text) === o.item.expectDate) stringsRight++;
      }
      if (o.final.context && o.final.context !== 'open') fromGrammar++;
    }
    const decode = list.reduce((n, o) => n + o.decodeMs, 0);
    const audio = list.reduce((n, o) => n + o.audioMs, 0);
    sets[set] = {
      utterances: list.length,
      wer: round(errors / Math.max(1, words)),
      ...(strings ? { stringAccuracy: round(stringsRight / strings) } : {}),
      ...(list[0]!.item.context !== 'open' ? { answeredByGrammar: round(fromGrammar / list.length) } : {}),
      rtfPerCore: round(decode / audio),
      decodeMsP95: percentile(list.map((o) => o.decodeMs), 95),
    };
  }
  return sets;
}

function sample(outcomes: Outcome[], set: string, n = 3): Array<{ said: string; heard: string }> {
  return outcomes
    .filter((o) => o.item.set === set)
    .slice(0, n)
    .map((o) => ({ said: o.item.reference, heard: o.final.text }));
}

/** Band-limited 16 kHz audio with no µ-law step: what the telephone bandwidth alone costs. */
function bandLimitedOnly(pcm16: Int16Array): Int16Array {
  const down = createResampler(16000, 8000);
  return upsample(concatPcm([down.process(pcm16), down.flush()]));
}

/**
 * Zip and date accuracy on telephone audio, split into its causes: µ-law quantisation alone
 * (at 16 kHz), the 4 kHz band alone (no µ-law), both (what a Twilio call delivers, upsampled),
 * and both decoded natively with 8 kHz features.
 */
async function telephoneCauses(items: Item[]): Promise<Record<string, unknown>> {
  const accuracy = (outcomes: Outcome[]): Record<string, number | undefined> => {
    const s = summarize(outcomes) as Record<string, { stringAccuracy?: number }>;
    return { zip: s.zip?.stringAccuracy, date: s.date?.stringAccuracy };
  };
  return {
    wideband16k: accuracy(await runEngine({}, items, (p) => p, 16000)),
    mulawOnly16k: accuracy(await runEngine({}, items, (p) => decodeMulaw(encodeMulaw(p)), 16000)),
    bandLimitOnlyUpsampled: accuracy(await runEngine({}, items, bandLimitedOnly, 16000)),
    telephone8kMulawUpsampled: accuracy(await runEngine({}, items, (p) => upsample(telephone8k(p)), 16000)),
    telephone8kMulawNative8kFeatures: accuracy(await runEngine({ sampleRate: 8000 }, items, telephone8k, 8000)),
    note: 'whole-string accuracy of zips and ISO dates; the 16 kHz acoustic model loses most on the missing 4-8 kHz band (fricatives: "six" heard as "eight")',
  };
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: string): string => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const voices = opt('voices', 'slt,rms,awb').split(',');
  const synthetic = await syntheticItems(voices, Number(opt('zips', '25')), Number(opt('dates', '12')));
  if (args.includes('--telephone-only')) return telephoneCauses(synthetic.filter((i) => i.set === 'zip' || i.set === 'date'));
  const recorded = recordedItems();

  const wide = await runEngine({}, [...synthetic, ...recorded], (p) => p, 16000);
  const upsampled = await runEngine({}, synthetic, (p) => upsample(telephone8k(p)), 16000);
  const native8k = await runEngine({ sampleRate: 8000 }, synthetic, telephone8k, 8000);
  const noisy = synthetic
    .filter((i) => ['zip', 'date', 'callerLinesHeldOut', 'yesNo'].includes(i.set))
    .map((i, n) => ({ ...i, pcm16: withNoise(i.pcm16, Number(opt('snr', '10')), n + 1) }));
  const noisyRaw = await runEngine({}, noisy, (p) => p, 16000);
  const noisyDenoised = await runEngine({}, await denoised(noisy), (p) => p, 16000);
  // RNNoise on clean audio too: on by default only if it does not cost clean calls accuracy.
  const cleanDenoised = await runEngine({}, await denoised(synthetic.filter((i) => ['zip', 'date', 'callerLinesHeldOut', 'yesNo'].includes(i.set))), (p) => p, 16000);
  const generic = await runEngine({ openModel: 'generic' }, [...recorded, ...synthetic.filter((i) => i.set.startsWith('callerLines'))], (p) => p, 16000);

  const s16 = summarize(wide) as Record<string, { stringAccuracy?: number; wer: number }>;
  const sUp = summarize(upsampled) as Record<string, { stringAccuracy?: number; wer: number }>;
  const s8 = summarize(native8k) as Record<string, { stringAccuracy?: number; wer: number }>;
  const overall = (s: Record<string, { stringAccuracy?: number; wer: number }>): number =>
    round(['zip', 'date', 'orderId', 'yesNo', 'callerLinesHeldOut'].reduce((n, k) => n + (s[k]?.wer ?? 0), 0) / 5);
  const telephone = overall(sUp) <= overall(s8) ? 'upsampled to 16 kHz' : 'native 8 kHz features';
  return {
    voices,
    note: 'in-process pocketsphinx, domain model + expected-answer grammars; one worker thread; WER by our own Levenshtein aligner; stringAccuracy = the whole zip / order id / ISO date right; *OpenModel sets are the same audio without the grammar; librivox/goforward are real recordings from Debian pocketsphinx-testdata',
    wideband16k: s16,
    telephone8kMulawUpsampled: sUp,
    telephone8kMulawNative8kFeatures: s8,
    genericModel16k: summarize(generic),
    noise: {
      snrDb: Number(opt('snr', '10')),
      noisy16k: summarize(noisyRaw),
      noisy16kRnnoise: summarize(noisyDenoised),
      clean16kRnnoise: summarize(cleanDenoised),
      note: 'the same utterances in steady low-tilted noise, without and with RNNoise (@echogarden/rnnoise-wasm) before recognition',
    },
    telephoneChoice: { kept: telephone, meanWerUpsampled: overall(sUp), meanWerNative8k: overall(s8) },
    digitStringAccuracy: {
      zip16k: s16.zip?.stringAccuracy,
      date16k: s16.date?.stringAccuracy,
      zip8kUpsampled: sUp.zip?.stringAccuracy,
      date8kUpsampled: sUp.date?.stringAccuracy,
      zip8kNative: s8.zip?.stringAccuracy,
      date8kNative: s8.date?.stringAccuracy,
    },
    examples: { heldOut: sample(wide, 'callerLinesHeldOut'), librivoxDomain: sample(wide, 'librivox', 2), librivoxGeneric: sample(generic, 'librivox', 2) },
  };
}
