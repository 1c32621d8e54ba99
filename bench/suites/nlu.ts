// NLU benchmark: how well the local brain understands callers, on test splits the training
// never sees (resources/nlu/test/): intent accuracy, slot F1, knowledge-answer precision and
// recall at the confidence threshold with 4, 21 and 400 articles, the scenario pass rate,
// and the brain's time per turn. Options: --skip-scenarios.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Order } from '../../contracts/crm';
import { detectIntent } from '../../backend/src/brain/intents';
import { extractDate, extractOrderId, extractPhone, extractZip } from '../../backend/src/brain/slots';
import { DEFAULT_NLU_DIR } from '../../backend/src/nlu/intent-corpus';
import { sharedIntentModel } from '../../backend/src/nlu/intent-model';
import { resolveOrderReference } from '../../backend/src/nlu/order-reference';
import { evaluateKnowledge } from './nlu-knowledge';
import { measureBrainTurns, runScenarioFolder } from './nlu-turns';

const TEST_DIR = path.join(DEFAULT_NLU_DIR, 'test');

/** The orders the slot test split's item references are resolved against. */
export const SLOT_TEST_ORDERS: Order[] = [
  { id: 'O-2001', customerId: 'C1', item: 'Aura ANC Headset', status: 'delivered', total: 199 },
  { id: 'O-2002', customerId: 'C1', item: 'Gaming Headset', status: 'shipped', total: 79 },
  { id: 'O-2003', customerId: 'C1', item: 'Touring Kayak', status: 'shipped', total: 899 },
  { id: 'O-2004', customerId: 'C1', item: 'Carbon Paddles', status: 'processing', total: 120 },
];

export function intentAccuracy(file = 'intents.yaml'): { accuracy: number; total: number; errors: Array<{ text: string; expected: string; got: string }> } {
  const split = parse(readFileSync(path.join(TEST_DIR, file), 'utf8')) as Record<string, string[]>;
  let right = 0;
  let total = 0;
  const errors: Array<{ text: string; expected: string; got: string }> = [];
  for (const [expected, lines] of Object.entries(split)) {
    for (const text of lines) {
      total += 1;
      const got = detectIntent(text).name;
      if (got === expected) right += 1;
      else errors.push({ text, expected, got });
    }
  }
  return { accuracy: right / total, total, errors };
}

/** Every slot the local brain would read from one utterance, as "type=value" strings. */
export function slotsOf(text: string): string[] {
  const found: string[] = [];
  const phone = extractPhone(text);
  if (phone) found.push(`phone=${phone}`);
  const zip = phone ? undefined : extractZip(text);
  if (zip) found.push(`zip=${zip}`);
  const date = zip ? undefined : extractDate(text);
  if (date) found.push(`date=${date}`);
  const orderId = extractOrderId(text);
  if (orderId) found.push(`orderId=${orderId}`);
  const ref = orderId ? undefined : resolveOrderReference(text, SLOT_TEST_ORDERS);
  if (ref?.kind === 'one') found.push(`item=${ref.order.id}`);
  return found;
}

export function slotF1(): { f1: number; precision: number; recall: number; total: number; errors: Array<{ text: string; expected: string[]; got: string[] }> } {
  const split = parse(readFileSync(path.join(TEST_DIR, 'slots.yaml'), 'utf8')) as Array<{ text: string; slots: Record<string, string> }>;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const errors: Array<{ text: string; expected: string[]; got: string[] }> = [];
  for (const { text, slots } of split) {
    const expected = Object.entries(slots).map(([k, v]) => `${k}=${v}`);
    const got = slotsOf(text);
    const hits = got.filter((g) => expected.includes(g)).length;
    tp += hits;
    fp += got.length - hits;
    fn += expected.length - hits;
    if (hits !== expected.length || got.length !== hits) errors.push({ text, expected, got });
  }
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  return { f1: (2 * precision * recall) / Math.max(1e-9, precision + recall), precision, recall, total: split.length, errors };
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

function knowledgeSummary(scores: ReturnType<typeof evaluateKnowledge>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(scores).map(([size, r]) => [size, { precision: round(r.precision), recall: round(r.recall), answerable: r.answerable, unanswerable: r.unanswerable }]),
  );
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const started = performance.now();
  const model = sharedIntentModel();
  const trainMs = performance.now() - started;
  const intents = intentAccuracy();
  const untuned = intentAccuracy('intents-untuned.yaml');
  const slots = slotF1();
  const knowledge = evaluateKnowledge();
  const knowledgeDev = evaluateKnowledge('knowledge-dev.yaml');
  const scenarios = args.includes('--skip-scenarios') ? undefined : await runScenarioFolder();
  const turns = await measureBrainTurns();
  for (const e of untuned.errors) console.error(`intent miss (untuned): "${e.text}" expected ${e.expected}, got ${e.got}`);
  for (const e of intents.errors) console.error(`intent miss: "${e.text}" expected ${e.expected}, got ${e.got}`);
  for (const e of slots.errors) console.error(`slot miss: "${e.text}" expected [${e.expected.join(', ')}], got [${e.got.join(', ')}]`);
  // The held-out knowledge set's misses are not printed: once read while tuning, a held-out set
  // stops measuring unseen questions (it happened twice). The tuning set's misses are the ones
  // to read; `--show-held-out-misses` prints the others, for a set about to be retired.
  for (const [size, r] of Object.entries(knowledgeDev)) for (const e of r.errors) console.error(`knowledge (tuning set) ${size}: ${e}`);
  if (args.includes('--show-held-out-misses')) {
    for (const [size, r] of Object.entries(knowledge)) for (const e of r.errors) console.error(`knowledge (held-out) ${size}: ${e}`);
  }
  return {
    trainingMs: round(trainMs, 0),
    trainingUtterances: [...model.definitions.values()].reduce((n, d) => n + d.utterances.length, 0),
    intentAccuracy: round(intents.accuracy),
    intentTestUtterances: intents.total,
    intentAccuracyUntuned: round(untuned.accuracy),
    intentUntunedUtterances: untuned.total,
    slotF1: round(slots.f1),
    slotPrecision: round(slots.precision),
    slotRecall: round(slots.recall),
    slotTestUtterances: slots.total,
    knowledge: knowledgeSummary(knowledge),
    knowledgeTuningSet: knowledgeSummary(knowledgeDev),
    ...(scenarios ? { scenarioPassRate: round(scenarios.passed / scenarios.total), scenarios: scenarios.total } : {}),
    brainTurnMs: { p50: round(turns.p50, 2), p95: round(turns.p95, 2), max: round(turns.max, 2), cpuP95: round(turns.cpuP95, 2), turns: turns.count },
  };
}
