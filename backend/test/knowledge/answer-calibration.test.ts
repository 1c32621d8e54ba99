// The knowledge answer model: a logistic model fitted on labelled caller questions, read
// from resources/nlu/knowledge-calibration.json; a file that does not fit the code is a
// start-up error that says how to refit it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  answerProbability,
  loadAnswerModel,
  trainAnswerModel,
  type AnswerEvidence,
  type LabelledEvidence,
} from '../../src/knowledge/answer-calibration';

function evidence(coverage: number, matchedWeight: number): AnswerEvidence {
  return {
    coverage,
    answered: coverage,
    articleCoverage: coverage,
    nearMiss: 0,
    matchedWeight,
    askedMatchedWeight: matchedWeight,
    missingTopicWeight: 1 - coverage,
    askedMissingTopicWeight: 1 - coverage,
    headWeight: matchedWeight / 2,
    strongestMatch: Math.min(1, matchedWeight),
    bestExampleShare: coverage,
    terms: 5,
    askedTerms: 4,
    bm25Share: coverage,
    examples: 1,
    passageShare: coverage,
    askedPassageShare: coverage,
  };
}

describe('the knowledge answer model', () => {
  it('learns from labelled candidates which evidence means an answer', () => {
    const samples: LabelledEvidence[] = [];
    for (let i = 0; i < 50; i++) {
      samples.push({ evidence: evidence(0.6 + (i % 10) / 25, 1.5 + (i % 7) / 5), answers: true });
      samples.push({ evidence: evidence(0.1 + (i % 10) / 25, 0.2 + (i % 7) / 10), answers: false });
    }
    const model = trainAnswerModel(samples);
    expect(answerProbability(model, evidence(0.9, 2.5))).toBeGreaterThan(0.8);
    expect(answerProbability(model, evidence(0.15, 0.3))).toBeLessThan(0.2);
    // Deterministic: the same samples give the same weights.
    expect(trainAnswerModel(samples)).toEqual(model);
  });

  it('refuses to fit on nothing', () => {
    expect(() => trainAnswerModel([])).toThrow(/No labelled questions/);
  });

  it('loads the shipped model, and reads a missing file as none', () => {
    const shipped = loadAnswerModel();
    expect(shipped?.weights.length).toBe(shipped?.inputs);
    expect(shipped?.trainedOn?.questions).toBeGreaterThanOrEqual(1000);
    expect(loadAnswerModel(path.join(tmpdir(), 'no-such-model.json'))).toBeUndefined();
  });

  it('refuses a model file that does not fit this code, saying how to refit it', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kcal-')), 'model.json');
    writeFileSync(file, JSON.stringify({ inputs: 3, mean: [0, 0, 0], scale: [1, 1, 1], weights: [1, 1, 1], bias: 0 }));
    expect(() => loadAnswerModel(file)).toThrow(/npm run train:knowledge/);
  });
});
