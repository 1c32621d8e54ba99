// QA arithmetic on the client, the same as the server's: each criterion counts its weight
// times score ÷ max, weights sum to 100, so the total is 0..100. Used to preview the total
// while the lead fills the scorecard. Pure, for Node tests.
import type { ScorecardCriterion } from '../../../contracts/analytics-api';

export function qaTotal(criteria: readonly ScorecardCriterion[], scores: Readonly<Record<string, number | undefined>>): number {
  let total = 0;
  for (const c of criteria) {
    const s = scores[c.id];
    if (s === undefined) continue;
    total += (c.weight * Math.min(Math.max(0, s), c.maxScore)) / c.maxScore;
  }
  return Math.round(total * 10) / 10;
}

/** What still blocks submitting, in words; null when every criterion has a score in range. */
export function qaProblem(criteria: readonly ScorecardCriterion[], scores: Readonly<Record<string, number | undefined>>): string | null {
  const missing = criteria.filter((c) => scores[c.id] === undefined);
  if (missing.length) return `Score every criterion first: ${missing.map((c) => c.label).join(', ')}.`;
  const bad = criteria.find((c) => !Number.isInteger(scores[c.id]) || scores[c.id]! < 0 || scores[c.id]! > c.maxScore);
  if (bad) return `${bad.label} takes a whole number from 0 to ${bad.maxScore}.`;
  return null;
}

/**
 * The live total under the form: a dash until a score is chosen (a blank form is not a
 * score of 0), "so far" while some are missing.
 */
export function qaPreview(criteria: readonly ScorecardCriterion[], scores: Readonly<Record<string, number | undefined>>): string {
  const chosen = criteria.filter((c) => scores[c.id] !== undefined).length;
  if (chosen === 0) return 'Total: — / 100';
  const total = `Total: ${qaTotal(criteria, scores).toFixed(0)} / 100`;
  return chosen < criteria.length ? `${total} so far (${criteria.length - chosen} to score)` : total;
}
