// The agent figures as the dashboards show them: label, how to format, which way is better
// (the team table's first click sorts best first) and a one-line definition for the tooltip.
// The definitions restate contracts/analytics-api.ts in the lead's words. Pure.
import type { AgentMetrics } from '../../../contracts/analytics-api';
import { formatDuration } from '../state/format';

export type FigureKey =
  | 'callsHandled'
  | 'avgHandleMs'
  | 'avgWrapUpMs'
  | 'avgHoldMs'
  | 'transfers'
  | 'suggestionAcceptanceRate'
  | 'sentimentStart'
  | 'sentimentEnd'
  | 'csat'
  | 'occupancy'
  | 'qaScore';

export interface Figure {
  key: FigureKey;
  label: string;
  /** Short column heading for the team table. */
  short: string;
  format: (m: AgentMetrics) => string;
  value: (m: AgentMetrics) => number | null;
  better: 'higher' | 'lower' | 'neither';
  definition: string;
}

export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '–' : formatDuration(ms);
}

export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${Math.round(rate * 1000) / 10}%`;
}

export function formatScore(score: number | null | undefined, digits = 1): string {
  return score === null || score === undefined ? '–' : score.toFixed(digits);
}

/**
 * What a sentiment number means, said wherever one is shown: the backend scores each caller
 * line with the AFINN word list (policy/sentiment.ts), each word −5…+5, summed per line.
 */
export const SENTIMENT_SCALE = 'Scale: a caller line\'s AFINN word score, usually −5 (very negative) to +5 (very positive); 0 is neutral, ±0.5 or more leans negative/positive.';

/** Sentiment scores are small signed numbers; a sign and a word read faster than a decimal. */
export function formatSentiment(score: number | null | undefined): string {
  if (score === null || score === undefined) return '–';
  const word = score <= -0.5 ? 'negative' : score >= 0.5 ? 'positive' : 'neutral';
  return `${score > 0 ? '+' : ''}${score.toFixed(1)} (${word})`;
}

export const figures: Figure[] = [
  {
    key: 'callsHandled',
    label: 'Calls handled',
    short: 'Calls',
    value: (m) => m.callsHandled,
    format: (m) => String(m.callsHandled),
    better: 'higher',
    definition: 'Calls the agent accepted and finished in the range; a transfer out still counts.',
  },
  {
    key: 'avgHandleMs',
    label: 'Average handle time',
    short: 'AHT',
    value: (m) => m.avgHandleMs,
    format: (m) => formatMs(m.avgHandleMs),
    better: 'lower',
    definition: 'Talk + hold + wrap-up, averaged over handled calls.',
  },
  {
    key: 'avgWrapUpMs',
    label: 'Average wrap-up',
    short: 'Wrap-up',
    value: (m) => m.avgWrapUpMs,
    format: (m) => formatMs(m.avgWrapUpMs),
    better: 'lower',
    definition: 'From the end of the call to the submitted wrap-up.',
  },
  {
    key: 'avgHoldMs',
    label: 'Average hold',
    short: 'Hold',
    value: (m) => m.avgHoldMs,
    format: (m) => `${formatMs(m.avgHoldMs)}${m.holdMs ? ` (total ${formatMs(m.holdMs)})` : ''}`,
    better: 'lower',
    definition: 'Time callers spent on hold, per handled call (total in brackets).',
  },
  {
    key: 'transfers',
    label: 'Transfers',
    short: 'Transfers',
    value: (m) => m.transfers,
    format: (m) => String(m.transfers),
    better: 'lower',
    definition: 'Calls the agent transferred to a queue or another agent.',
  },
  {
    key: 'suggestionAcceptanceRate',
    label: 'Suggestions used',
    short: 'Sugg. used',
    value: (m) => m.suggestionAcceptanceRate,
    format: (m) =>
      `${formatRate(m.suggestionAcceptanceRate)}${m.suggestionsShown ? ` (${m.suggestionsUsed}/${m.suggestionsShown})` : ''}`,
    better: 'higher',
    definition: 'Suggestions marked as used, out of suggestions shown.',
  },
  {
    key: 'sentimentStart',
    label: 'Sentiment at start',
    short: 'Sent. start',
    value: (m) => m.sentimentStart,
    format: (m) => formatSentiment(m.sentimentStart),
    better: 'higher',
    definition: `Caller's mood in their first line with the agent, averaged over calls. ${SENTIMENT_SCALE}`,
  },
  {
    key: 'sentimentEnd',
    label: 'Sentiment at end',
    short: 'Sent. end',
    value: (m) => m.sentimentEnd,
    format: (m) => formatSentiment(m.sentimentEnd),
    better: 'higher',
    definition: `Caller's mood in their last line with the agent, averaged over calls. ${SENTIMENT_SCALE}`,
  },
  {
    key: 'csat',
    label: 'CSAT',
    short: 'CSAT',
    value: (m) => m.csat,
    format: (m) => (m.csat === null ? '–' : `${m.csat.toFixed(2)} / 5 (${m.csatResponses})`),
    better: 'higher',
    definition: 'Average satisfaction score 1–5 where callers gave one.',
  },
  {
    key: 'occupancy',
    label: 'Occupancy',
    short: 'Occupancy',
    value: (m) => m.occupancy,
    format: (m) => formatRate(m.occupancy),
    better: 'neither',
    definition: 'Time on calls and wrap-up, out of time available, on calls or in wrap-up.',
  },
  {
    key: 'qaScore',
    label: 'QA average',
    short: 'QA',
    value: (m) => m.qaScore,
    format: (m) => (m.qaScore === null ? '–' : `${m.qaScore.toFixed(0)} (${m.qaReviews})`),
    better: 'higher',
    definition: 'Average QA score 0–100 over reviewed calls (number of reviews in brackets).',
  },
];

export function figureByKey(key: FigureKey): Figure {
  return figures.find((f) => f.key === key)!;
}
