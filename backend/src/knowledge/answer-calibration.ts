// Whether to answer a caller's question from an article: a logistic model over the evidence
// the knowledge base gathers for each candidate (how much of the question the article covers,
// how strong its matched words are, what the article lacks, whether it is a listed near miss,
// and its BM25 score against the best candidate's), trained on labelled caller questions
// (resources/nlu/test/knowledge-dev.yaml) with 4, 21 and 400 articles, with and without
// their example questions (a team's own articles may have none). Its output is a
// probability that the article answers, so one threshold means the same at every corpus size.
// `npm run train:knowledge` refits it; the fitted weights live in
// resources/nlu/knowledge-calibration.json, so answering needs no training at start.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_NLU_DIR } from '../nlu/intent-corpus';

/** What the knowledge base knows about one candidate article for one question. */
export interface AnswerEvidence {
  /** The calibrated share of the question's words the article has (0..1), near misses applied. */
  coverage: number;
  /** The same before a listed near miss (`notAnswered:`) lowered it. */
  answered: number;
  /** The share read from the title, tags and body only, without the example questions. */
  articleCoverage: number;
  /** 1 when the question matches a near miss the article lists as not answered. */
  nearMiss: number;
  /** Summed weight of the question's words the article has. */
  matchedWeight: number;
  /** The same, for words of the clause that asks (not the scene). */
  askedMatchedWeight: number;
  /** Summed weight of the question's topic words (nouns, not products) the article lacks. */
  missingTopicWeight: number;
  /** The same, for words of the clause that asks. */
  askedMissingTopicWeight: number;
  /** Summed weight of the question's words found in the title or tags. */
  headWeight: number;
  /** The weight of the strongest single word matched. */
  strongestMatch: number;
  /** The best share of one example question's words the caller said. */
  bestExampleShare: number;
  /** How many content terms the question has, and how many of them ask rather than set the scene. */
  terms: number;
  askedTerms: number;
  /** The article's BM25 score as a share of the best candidate's (1 for the best). */
  bm25Share: number;
  /** 1 when the article has example caller questions (`questions:`): a team's own article may have none. */
  examples: number;
  /** The weighted share of the question's words (not chatter, not asides) that two neighbouring body sentences hold, with the title and tags. */
  passageShare: number;
  /** The same, for the words of the clause that asks. */
  askedPassageShare: number;
}

export const EVIDENCE_NAMES = [
  'coverage', 'answered', 'articleCoverage', 'nearMiss', 'matchedWeight', 'askedMatchedWeight', 'missingTopicWeight',
  'askedMissingTopicWeight', 'headWeight', 'strongestMatch', 'bestExampleShare', 'terms', 'askedTerms', 'bm25Share', 'examples',
  'passageShare', 'askedPassageShare',
] as const satisfies ReadonlyArray<keyof AnswerEvidence>;

/** The model's inputs: the evidence, and a few of its combinations a linear model cannot form itself. */
function inputsOf(e: AnswerEvidence): number[] {
  return [
    ...EVIDENCE_NAMES.map((name) => e[name]),
    Math.log(1 + e.terms),
    e.coverage * e.coverage,
    e.matchedWeight / (1 + e.missingTopicWeight),
    e.coverage * e.bm25Share,
  ];
}
const INPUT_COUNT = EVIDENCE_NAMES.length + 4;

const AnswerModelFile = z
  .object({
    inputs: z.number().int().positive(),
    mean: z.array(z.number()),
    scale: z.array(z.number().positive()),
    weights: z.array(z.number()),
    bias: z.number(),
    trainedOn: z.object({ questions: z.number().int(), samples: z.number().int(), file: z.string() }).optional(),
  })
  .strict();
export type AnswerModel = z.infer<typeof AnswerModelFile>;

export const DEFAULT_ANSWER_MODEL_FILE = path.join(DEFAULT_NLU_DIR, 'knowledge-calibration.json');

/** The probability, 0..1, that the article answers the question. */
export function answerProbability(model: AnswerModel, evidence: AnswerEvidence): number {
  const x = inputsOf(evidence);
  let s = model.bias;
  for (let i = 0; i < x.length; i++) s += model.weights[i]! * ((x[i]! - model.mean[i]!) / model.scale[i]!);
  return 1 / (1 + Math.exp(-s));
}

/**
 * Reads a fitted model. A missing file (a trimmed install) is `undefined`: the knowledge base
 * then answers on coverage alone. A file that does not fit this code is a start-up error.
 */
export function loadAnswerModel(file: string = DEFAULT_ANSWER_MODEL_FILE): AnswerModel | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = AnswerModelFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  const model = parsed.success ? parsed.data : undefined;
  const fits =
    model !== undefined &&
    model.inputs === INPUT_COUNT &&
    [model.mean, model.scale, model.weights].every((list) => list.length === INPUT_COUNT);
  if (!fits) {
    throw new Error(`${file}: not a knowledge answer model for this version. Run \`npm run train:knowledge\` to refit it, then restart.`);
  }
  return model;
}

export interface LabelledEvidence {
  evidence: AnswerEvidence;
  /** True when this candidate article answers the question. */
  answers: boolean;
}

/**
 * Fits the logistic model by full-batch gradient descent with a little L2 (deterministic: the
 * same samples give the same file). Inputs are standardized so the weights are comparable.
 */
export function trainAnswerModel(samples: readonly LabelledEvidence[], options = { epochs: 400, rate: 0.1, l2: 1e-3 }): AnswerModel {
  if (samples.length === 0) throw new Error('No labelled questions to fit the knowledge answer model on.');
  const xs = samples.map((s) => inputsOf(s.evidence));
  const ys = samples.map((s) => (s.answers ? 1 : 0));
  const mean = new Array<number>(INPUT_COUNT).fill(0);
  const scale = new Array<number>(INPUT_COUNT).fill(0);
  for (const x of xs) x.forEach((v, i) => (mean[i]! += v / xs.length));
  for (const x of xs) x.forEach((v, i) => (scale[i]! += (v - mean[i]!) ** 2 / xs.length));
  // An input that never varies (every article has examples) carries nothing: scale 1, weight 0.
  for (let i = 0; i < INPUT_COUNT; i++) scale[i] = Math.sqrt(scale[i]!) > 1e-6 ? Math.sqrt(scale[i]!) : 1;
  const zs = xs.map((x) => x.map((v, i) => (v - mean[i]!) / scale[i]!));
  const weights = new Array<number>(INPUT_COUNT).fill(0);
  let bias = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const gradient = new Array<number>(INPUT_COUNT).fill(0);
    let biasGradient = 0;
    zs.forEach((z, k) => {
      let s = bias;
      for (let i = 0; i < INPUT_COUNT; i++) s += weights[i]! * z[i]!;
      const error = 1 / (1 + Math.exp(-s)) - ys[k]!;
      for (let i = 0; i < INPUT_COUNT; i++) gradient[i]! += error * z[i]!;
      biasGradient += error;
    });
    for (let i = 0; i < INPUT_COUNT; i++) weights[i]! -= options.rate * (gradient[i]! / zs.length + options.l2 * weights[i]!);
    bias -= (options.rate * biasGradient) / zs.length;
  }
  const round = (n: number): number => Math.round(n * 1e6) / 1e6;
  return { inputs: INPUT_COUNT, mean: mean.map(round), scale: scale.map(round), weights: weights.map(round), bias: round(bias) };
}
