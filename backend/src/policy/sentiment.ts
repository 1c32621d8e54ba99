// How the caller sounds, from the `sentiment` library (the AFINN-165 word list, with its
// English negation rule: "not happy" counts against, "not bad" for), plus the few words
// and phrases of angry callers that a general word list scores too mildly or not at all.
// Enough to notice an angry caller and hand them to a person, and to describe the
// caller's mood to the agent.
import Sentiment from 'sentiment';

const analyzer = new Sentiment();

// Call-centre anger AFINN underrates: "furious" is -3 there, as mild as "ridiculous".
const EXTRAS: Record<string, number> = {
  furious: -4,
  livid: -4,
  outraged: -4,
  unacceptable: -3,
  incompetent: -3,
  pathetic: -3,
  scam: -3,
  useless: -3,
  joke: -2,
  robot: -1,
  fedup: -3,
  sickof: -3,
  timewaste: -3,
  hadenough: -3,
  calledagain: -2,
  nobodycalled: -2,
  donewaiting: -2,
};
// Phrases the library's one-word list cannot see, joined into one token it scores.
const PHRASES: Array<[RegExp, string]> = [
  [/\bfed up\b/g, 'fedup'],
  [/\bsick (and tired )?of\b/g, 'sickof'],
  [/\bwaste of (my )?time\b/g, 'timewaste'],
  [/\b(had|have had|i've had) enough\b/g, 'hadenough'],
  // Callers worn down by the service rather than angry in words: "I have called four times",
  // "nobody ever rang me back", "I'm done waiting".
  [/\bcalled( you| here| in)?( \w+)? (times|days in a row)\b/g, 'calledagain'],
  [/\b(nobody|no one|no-one)( \w+)? (did|called|calls|rang|rings|got back|gets back|answered|answers|responded|replied)\b/g, 'nobodycalled'],
  [/\b(done|tired of|sick of) waiting\b/g, 'donewaiting'],
];
/** Longer turns are cut: the mood shows in the first words, and scoring stays fast. */
const MAX_CHARS = 2000;

export type Mood = 'upset' | 'negative' | 'neutral' | 'positive';

export interface SentimentScore {
  score: number;
  mood: Mood;
  /** The words that made the turn negative, for the escalation detail. */
  words: string[];
}

export function scoreSentiment(text: string): SentimentScore {
  const clipped = text.slice(0, MAX_CHARS);
  let normalized = clipped.toLowerCase().replace(/[’‘]/g, "'");
  for (const [pattern, token] of PHRASES) normalized = normalized.replace(pattern, token);
  const result = analyzer.analyze(normalized, { extras: EXTRAS });
  let score = result.score;
  // Shouting is a signal too: several words in capitals or a run of exclamation marks.
  if ((clipped.match(/\b[A-Z]{3,}\b/g)?.length ?? 0) >= 2 || /!{2,}/.test(clipped)) score -= 1;
  const words = result.calculation.flatMap((entry) => Object.entries(entry).filter(([, v]) => v < 0).map(([w]) => w));
  const mood: Mood = score <= -4 ? 'upset' : score <= -2 ? 'negative' : score >= 2 ? 'positive' : 'neutral';
  return { score, mood, words };
}
