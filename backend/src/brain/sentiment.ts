// A small lexicon-based sentiment score for a caller's turn: enough to notice an angry
// caller and hand them to a person, and to describe the caller's mood to the agent.

const NEGATIVE: Record<string, number> = {
  angry: 2, furious: 3, livid: 3, outraged: 3, upset: 2, frustrated: 2, annoyed: 1, mad: 2, disappointed: 1,
  terrible: 2, horrible: 2, awful: 2, worst: 3, useless: 2, ridiculous: 2, unacceptable: 3, pathetic: 3,
  disgusting: 3, hate: 2, stupid: 2, incompetent: 3, joke: 1, scam: 2, garbage: 2, rubbish: 2, sick: 1,
  fed: 1, waste: 1, never: 1, nobody: 1, damn: 2, hell: 1, crap: 2, shit: 3, fuck: 3, fucking: 3,
  bad: 1, broken: 1, wrong: 1, late: 1, again: 1,
};
const POSITIVE: Record<string, number> = {
  thanks: 1, thank: 1, great: 2, perfect: 2, wonderful: 2, excellent: 2, awesome: 2, good: 1, helpful: 2,
  appreciate: 2, love: 2, happy: 2, nice: 1, brilliant: 2, fantastic: 2,
};
const NEGATORS = new Set(['not', "don't", 'dont', 'never', "isn't", 'isnt', "wasn't", 'no']);

export type Mood = 'upset' | 'negative' | 'neutral' | 'positive';

export interface SentimentScore {
  score: number;
  mood: Mood;
  words: string[];
}

export function scoreSentiment(text: string): SentimentScore {
  const tokens = text.toLowerCase().replace(/[’]/g, "'").split(/[^a-z']+/).filter(Boolean);
  let score = 0;
  const words: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const negated = i > 0 && NEGATORS.has(tokens[i - 1]!);
    if (t in NEGATIVE) {
      score -= negated ? 0 : NEGATIVE[t]!;
      if (!negated) words.push(t);
    } else if (t in POSITIVE) {
      score += negated ? -POSITIVE[t]! : POSITIVE[t]!;
      words.push(t);
    }
  }
  // Shouting is a signal too: several words in capitals or a run of exclamation marks.
  if ((text.match(/\b[A-Z]{3,}\b/g)?.length ?? 0) >= 2 || /!{2,}/.test(text)) score -= 1;
  const mood: Mood = score <= -4 ? 'upset' : score <= -2 ? 'negative' : score >= 2 ? 'positive' : 'neutral';
  return { score, mood, words };
}
