// `npm run train:knowledge`: refits the knowledge answer model (answer-calibration.ts) on the
// labelled tuning questions of resources/nlu/test/knowledge-dev.yaml, asked of 4, 21 and 400
// articles (the bench's sizes, padded with the same generated unrelated articles), with and
// without the articles' example questions, and writes
// resources/nlu/knowledge-calibration.json. Never fit on the held-out knowledge.yaml: it
// measures what this fit does on questions it has not seen. Deterministic: the same questions
// and articles give the same file. Run it after adding tuning questions, articles' example
// questions or vocabulary, then `npm run bench -- nlu`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KnowledgeArticle } from '../contracts/crm';
import { paddingArticles, shippedArticles } from '../bench/suites/nlu-knowledge';
import { DEFAULT_ANSWER_MODEL_FILE, trainAnswerModel, type LabelledEvidence } from '../backend/src/knowledge/answer-calibration';
import { KnowledgeBase } from '../backend/src/knowledge/knowledge-base';
import { DEFAULT_NLU_DIR } from '../backend/src/nlu/intent-corpus';

const TUNING_FILE = 'knowledge-dev.yaml';

interface TuningSet {
  small: string[];
  questions: Array<{ q: string; article: string | string[] | null }>;
}

export function labelledEvidence(spec: TuningSet): LabelledEvidence[] {
  const samples: LabelledEvidence[] = [];
  // As shipped, and as a team's own articles often are: without example questions or near misses.
  for (const shipped of [shippedArticles(), shippedArticles().map(({ questions: _q, notAnswered: _n, ...bare }) => bare)]) {
    const sizes = [shipped.filter((a) => spec.small.includes(a.id)), shipped, [...shipped, ...paddingArticles(400 - shipped.length)]];
    samples.push(...samplesAt(sizes, spec));
  }
  return samples;
}

function samplesAt(sizes: KnowledgeArticle[][], spec: TuningSet): LabelledEvidence[] {
  const samples: LabelledEvidence[] = [];
  for (const articles of sizes) {
    const kb = KnowledgeBase.fromArticles(articles);
    for (const { q, article } of spec.questions) {
      const right = article === null ? [] : Array.isArray(article) ? article : [article];
      for (const { articleId, evidence } of kb.weigh(q)) samples.push({ evidence, answers: right.includes(articleId) });
    }
  }
  return samples;
}

function main(): void {
  const file = path.join(DEFAULT_NLU_DIR, 'test', TUNING_FILE);
  const spec = parse(readFileSync(file, 'utf8')) as TuningSet;
  const started = performance.now();
  const samples = labelledEvidence(spec);
  const model = trainAnswerModel(samples);
  const out = { ...model, trainedOn: { questions: spec.questions.length, samples: samples.length, file: `resources/nlu/test/${TUNING_FILE}` } };
  writeFileSync(DEFAULT_ANSWER_MODEL_FILE, `${JSON.stringify(out, null, 2)}\n`);
  console.log(
    `Fitted the knowledge answer model on ${spec.questions.length} questions (${samples.length} candidates at 4, 21 and 400 articles, with and without examples) in ${Math.round(performance.now() - started)} ms; wrote ${path.relative(process.cwd(), DEFAULT_ANSWER_MODEL_FILE)}. Measure it with: npm run bench -- nlu`,
  );
}

main();
