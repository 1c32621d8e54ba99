// The features the intent classifier sees in one utterance: lower-cased words with
// contractions expanded, stemmed by NLP.js's English (Porter) stemmer, with numbers and
// order ids reduced to shape tokens, plus word pairs so "my order" and "order history"
// differ. The same function runs at training and at classification time.
import { StemmerEn } from '@nlpjs/lang-en-min';

const stemmer = new StemmerEn();
const stemCache = new Map<string, string>();

// Recognizers and typists both drop or keep apostrophes; expand what carries meaning ("not").
const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bwon'?t\b/g, 'will not'],
  [/\bcan'?t\b/g, 'can not'],
  [/\b(do|does|did|is|are|was|were|has|have|had|would|could|should)n'?t\b/g, '$1 not'],
  [/\b(where|what|when|how|who|that|it|there|he|she)'s\b/g, '$1 is'],
  [/\b(i)'m\b/g, '$1 am'],
  [/'(re|ll|ve|d)\b/g, ' $1'],
];

/** Words longer than this are noise (a pasted URL, a held key), not vocabulary. */
const MAX_WORD_LENGTH = 24;
/** Only the first words of a very long turn are classified: the request comes early. */
const MAX_WORDS = 60;

/** Lower case without accents, with typographic apostrophes made plain: "Où’s" → "ou's". */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019`]/g, "'");
}

export function utteranceWords(text: string): string[] {
  let normalized = foldText(text);
  for (const [pattern, replacement] of CONTRACTIONS) normalized = normalized.replace(pattern, replacement);
  const words: string[] = [];
  for (const raw of normalized.split(/[^a-z0-9]+/)) {
    if (raw.length === 0 || raw.length > MAX_WORD_LENGTH) continue;
    words.push(shapeOf(raw));
    if (words.length >= MAX_WORDS) break;
  }
  return words;
}

/** One lower-case word as the classifier sees it: its stem, or a shape token for numbers. */
export function shapeOf(word: string): string {
  if (/^o\d{3,8}$/.test(word)) return '#orderid';
  if (/^\d+$/.test(word)) return word.length >= 3 ? '#digits' : '#num';
  return stem(word);
}

function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = stemmer.stemWord(word);
    if (stemCache.size < 50_000) stemCache.set(word, stemmed);
  }
  return stemmed;
}

/** Unigrams and bigrams of the stemmed words, each with weight 1. */
export function utteranceFeatures(text: string): Record<string, number> {
  return featuresOfWords(utteranceWords(text));
}

export function featuresOfWords(words: readonly string[]): Record<string, number> {
  const features: Record<string, number> = {};
  for (let i = 0; i < words.length; i++) {
    features[words[i]!] = 1;
    if (i > 0) features[`${words[i - 1]} ${words[i]}`] = 1;
  }
  return features;
}

/** Whether `slip` is `word` with one letter left out ("wher" of "where", "kyak" of "kayak"): the commonest typing and recognizer slip. */
export function dropsOneLetter(slip: string, word: string): boolean {
  if (word.length !== slip.length + 1) return false;
  let i = 0;
  for (const ch of word) if (ch === slip[i]) i += 1;
  return i === slip.length;
}
