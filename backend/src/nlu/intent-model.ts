// The trained intent classifier: NLP.js's neural network (one perceptron per intent over
// bag-of-stems features, with its spell checker) trained on resources/nlu/intents/.
// Training is synchronous: 0.6–0.9 s for the 470 shipped utterances, measured on a
// 2-core machine busy with other work. A process trains once, on first use, and every brain
// shares the model (it is read-only after training).
import { NeuralNetwork } from '@nlpjs/neural';
import { leven, SpellCheck } from '@nlpjs/similarity';
import { loadIntentCorpus, type IntentDefinition } from './intent-corpus';
import { dropsOneLetter, featuresOfWords, utteranceFeatures, utteranceWords } from './utterance-features';

export interface IntentScore {
  intent: string;
  /** 0..1; the scores of one utterance sum to 1. */
  score: number;
}

export interface Classification {
  /** The best intent, or "None" when the words are unknown to the model. */
  intent: string;
  confidence: number;
  ranking: IntentScore[];
  /**
   * 0..1: how much the utterance's most telling word belongs to the chosen intent, the share
   * of the training utterances with that word that are of this intent ("bye": 1 for goodbye;
   * "i'm": low, callers say it in every kind of request). The network can be sure of an
   * intent no word of the utterance is typical of ("i'm in college" → goodbye); an action that
   * cannot be taken back asks for such a word too (brain/intents.ts).
   */
  evidence: number;
}

/** A feature for "words the model has never seen", as NLP.js's own NLU adds. */
const NONE_FEATURE = 'nonefeature';
const NONE_INTENT = 'None';
/** Corrections remembered at most (see #corrected). */
const MAX_CORRECTIONS = 10_000;
/** Unknown words counted towards "None" (see classify). */
const MAX_UNKNOWN_PULL = 12;
/** Intents that ask for nothing: in a long turn, not the request when another sentence makes one. */
const PLEASANTRIES = new Set(['greeting', 'goodbye', 'affirm', 'deny']);

export class IntentModel {
  readonly #network = new NeuralNetwork({ log: false });
  readonly #known = new Set<string>();
  /** Per feature (a stem or a pair of stems), how many training utterances of each intent have it. */
  readonly #wordIntents = new Map<string, Map<string, number>>();
  /** NLP.js's spell checker over the training vocabulary: "wher is my ordr" → "where is my order". */
  readonly #spelling: SpellCheck;
  /** Unknown words already corrected; cleared when full, so a stream of garbage cannot grow it. */
  readonly #corrections = new Map<string, string>();
  readonly definitions: ReadonlyMap<string, IntentDefinition>;
  /** Milliseconds training took, for the start-up log and the benchmark. */
  readonly trainingMs: number;

  private constructor(definitions: IntentDefinition[]) {
    const started = performance.now();
    this.definitions = new Map(definitions.map((d) => [d.intent, d]));
    const corpus = definitions.flatMap((d) =>
      d.utterances.map((u) => ({ input: utteranceFeatures(u), output: { [d.intent]: 1 } })),
    );
    for (const item of corpus) for (const f of Object.keys(item.input)) this.#known.add(f);
    for (const { input, output } of corpus) {
      const intent = Object.keys(output)[0]!;
      for (const feature of Object.keys(input)) {
        const counts = this.#wordIntents.get(feature) ?? new Map<string, number>();
        counts.set(intent, (counts.get(intent) ?? 0) + 1);
        this.#wordIntents.set(feature, counts);
      }
    }
    const vocabulary: Record<string, number> = {};
    for (const f of this.#known) if (!f.includes(' ') && !f.startsWith('#')) vocabulary[f] = (vocabulary[f] ?? 0) + 1;
    this.#spelling = new SpellCheck({ features: vocabulary, minLength: 4 });
    const none: Record<string, number> = { [NONE_INTENT]: 1 };
    for (const d of definitions) none[d.intent] = 0.0000001;
    corpus.push({ input: { [NONE_FEATURE]: 1 }, output: none });
    this.#network.train(corpus);
    this.trainingMs = performance.now() - started;
  }

  static train(definitions: IntentDefinition[]): IntentModel {
    return new IntentModel(definitions);
  }

  /** `excluded`: intents the caller of this already ruled out; the rest share the whole score. */
  /**
   * The known words the utterance's typos stand for ("persn" → "person", "tlak" → "talk"): a
   * letter missed, swapped or mistyped, not one added ("both" is no typo of "bot").
   */
  typoCorrections(text: string): string[] {
    return utteranceWords(text).flatMap((w) => {
      if (this.#known.has(w)) return [];
      const corrected = this.#corrected(w);
      return corrected !== w && corrected.length >= w.length ? [corrected] : [];
    });
  }

  classify(text: string, excluded: ReadonlySet<string> = new Set()): Classification {
    const words = utteranceWords(text).map((w) => (this.#known.has(w) ? w : this.#corrected(w)));
    const all = featuresOfWords(words);
    const features: Record<string, number> = {};
    let unknown = 0;
    let known = 0;
    for (const f of Object.keys(all)) {
      if (this.#known.has(f)) {
        features[f] = 1;
        if (!f.includes(' ')) known += 1;
      } else if (!f.includes(' ')) unknown += 1;
    }
    // Nothing the model knows (another language, emoji, noise): no intent, not a guess.
    if (known === 0) return { intent: NONE_INTENT, confidence: 1, ranking: [{ intent: NONE_INTENT, score: 1 }], evidence: 0 };
    // Unknown words pull towards "None" the way NLP.js's NLU does: each adds a growing share.
    if (unknown > 0) {
      let delta = this.definitions.size / Math.max(1, this.#known.size);
      let value = 0;
      // Counted up to a point: the pull grows by a fifth per word, so a rambling turn of a
      // hundred unknown words would outweigh every word the model knows however telling.
      for (let i = 0; i < Math.min(unknown, MAX_UNKNOWN_PULL); i++) {
        value += delta;
        delta *= 1.2;
      }
      features[NONE_FEATURE] = value;
    }
    const raw = Object.keys(features).length > 0 ? this.#network.run(features) : undefined;
    if (!raw) return { intent: NONE_INTENT, confidence: 1, ranking: [{ intent: NONE_INTENT, score: 1 }], evidence: 0 };
    let total = 0;
    const ranking: IntentScore[] = [];
    for (const [intent, value] of Object.entries(raw)) {
      if (excluded.has(intent)) continue;
      const squared = value * value;
      total += squared;
      ranking.push({ intent, score: squared });
    }
    if (total === 0) return (excluded.size === 0 ? this.#bySentence(text) : undefined) ?? { intent: NONE_INTENT, confidence: 1, ranking: [{ intent: NONE_INTENT, score: 1 }], evidence: 0 };
    for (const r of ranking) r.score /= total;
    ranking.sort((a, b) => b.score - a.score);
    const best = ranking[0]!;
    // A turn mostly made of words the model never saw is a weaker guess however the known
    // words vote ("dónde está mi pedido" knows only "mi").
    const knownShare = known / (known + unknown);
    return { intent: best.intent, confidence: best.score * Math.sqrt(knownShare), ranking, evidence: this.#evidence(best.intent, Object.keys(all)) };
  }

  /**
   * A long turn the network cannot read as a whole (every intent's output clipped to 0: a
   * caller's story of many sentences) is read sentence by sentence: the most confident request
   * among the sentences that ask (a question mark), else among all sentences, else the most
   * confident sentence. Pleasantries ("okay, that's it, thanks so much") are not the request
   * when a sentence asks for something.
   */
  #bySentence(text: string): Classification | undefined {
    const sentences = (text.match(/[^.!?;]+[.!?;]*/g) ?? []).filter((s) => s.trim().split(/\s+/).length >= 3);
    if (sentences.length < 2) return undefined;
    const read = sentences.map((s) => ({ asks: s.includes('?'), c: this.classify(s) })).filter(({ c }) => c.intent !== NONE_INTENT);
    const requests = read.filter(({ c }) => !PLEASANTRIES.has(c.intent));
    // What the caller asks ("…, has it been sent out yet?") before what they tell.
    const asked = requests.filter((r) => r.asks);
    const pool = asked.length > 0 ? asked : requests.length > 0 ? requests : read;
    return pool.map(({ c }) => c).sort((a, b) => b.confidence - a.confidence)[0];
  }

  /**
   * An unknown word read as the known word one edit away. NLP.js's checker breaks ties by
   * length and then frequency, so "wher" became "when" and "oder" "over"; most typing and
   * recognizer slips drop a letter, so a word the slip is a subsequence of ("where",
   * "order") wins, then the more frequent one.
   */
  #corrected(word: string): string {
    // One turn reads its words up to four times (classification, runner-up, typo words): each spelled out once.
    const known = this.#corrections.get(word);
    if (known !== undefined) return known;
    const corrected = this.#correct(word);
    if (this.#corrections.size >= MAX_CORRECTIONS) this.#corrections.clear();
    this.#corrections.set(word, corrected);
    return corrected;
  }

  #correct(word: string): string {
    const checked = this.#spelling.checkToken(word, 1);
    if (checked === word) return word;
    const frequency = (c: string): number => [...(this.#wordIntents.get(c)?.values() ?? [])].reduce((a, n) => a + n, 0);
    let best = checked;
    let bestRank = -1;
    for (const candidate of this.#spellingNeighbours(word)) {
      const rank = (dropsOneLetter(word, candidate) ? 2 : 0) + (candidate[0] === word[0] ? 1 : 0);
      if (rank > bestRank || (rank === bestRank && frequency(candidate) > frequency(best))) {
        best = candidate;
        bestRank = rank;
      }
    }
    return best;
  }

  /** Known single words one edit from `word`. */
  #spellingNeighbours(word: string): string[] {
    const out: string[] = [];
    for (const known of this.#known) {
      if (known.includes(' ') || known.startsWith('#') || Math.abs(known.length - word.length) > 1) continue;
      if (leven(word, known) <= 1) out.push(known);
    }
    return out;
  }

  #evidence(intent: string, words: readonly string[]): number {
    let best = 0;
    for (const word of words) {
      const counts = this.#wordIntents.get(word);
      if (!counts) continue;
      let all = 0;
      for (const n of counts.values()) all += n;
      // One smoothing count: a word seen once, in one intent, is a hint, not proof.
      best = Math.max(best, (counts.get(intent) ?? 0) / (all + 1));
    }
    return best;
  }
}

let shared: IntentModel | undefined;

/** The process-wide model trained on the shipped corpus (trained on first use). */
export function sharedIntentModel(): IntentModel {
  shared ??= IntentModel.train(loadIntentCorpus());
  return shared;
}
