// The recognizer's domain model, built once at start: a bigram language model (ARPA text)
// from what callers of this call center say and ask about — the knowledge base, the CRM's
// item names, the scenarios' caller lines and a built-in set of caller phrasing — and the
// pronunciation dictionary trimmed to that vocabulary. The generic en-us model cannot carry
// twenty calls on two cores (RTF 0.2–0.3, 58 MB); this one decodes at RTF ~0.05 in ~10 MB.
//
// Smoothing: absolute discounting (D = 0.5) with Katz-style back-off to add-one unigrams —
// simple, and pocketsphinx only needs consistent ARPA numbers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { grammarWords } from './grammars';

/** How callers talk to a support line, beyond what the knowledge base says. */
const CALLER_PHRASING = [
  'hello', 'hi', 'hi there', 'hello there', 'good morning', 'good afternoon', 'good evening', 'hey',
  'yes', 'no', 'yeah', 'nope', 'yes please', 'no thanks', 'no thank you', 'thank you', 'thanks', 'okay', 'sure',
  "that's all", "that's it", "that's right", "that's correct", 'correct', 'goodbye', 'bye', 'thanks bye',
  'i would like to speak to a person', 'i want to talk to a person', 'let me talk to an agent', 'can i speak to a human',
  'representative', 'agent please', 'operator', 'a real person please', 'transfer me to a person',
  'where is my order', 'where is my package', 'what is the status of my order', 'when will my order arrive',
  'i want to return something', 'how do i return an item', 'how long do i have to return something',
  'i want a refund', 'when will i get my refund', 'i want to cancel my order', 'can i change my shipping address',
  'my headphones will not charge', 'my earbuds will not pair', 'how do i reset my password', 'what are your support hours',
  'do you ship internationally', 'what payment methods do you accept', 'do you price match', 'how does the warranty work',
  'my package never arrived', 'my item arrived damaged', 'i have a question about my order', 'i have a question about my account',
  'my zip code is', 'my date of birth is', 'i was born on', 'my order number is', 'the order number is',
  'wait', 'wait wait i have another question about that', 'hold on', 'one moment', 'sorry', 'say that again', 'what',
  'i already told you', 'this is ridiculous', 'this is not helpful', 'i am not happy', 'i am very frustrated',
  'can you help me', 'i need help', 'i need help with my order', 'i need help with my account', 'what can you do',
  'and', 'um', 'uh', 'so', 'well', 'actually', 'also', 'one more thing', 'is there anything else',
];

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function twoDigitWords(n: number): string {
  if (n < 10) return `oh ${ONES[n]}`;
  if (n < 20) return TEENS[n - 10]!;
  return n % 10 === 0 ? TENS[Math.floor(n / 10)]! : `${TENS[Math.floor(n / 10)]} ${ONES[n % 10]}`;
}

function numberWords(token: string): string {
  const n = Number(token);
  if (token.length === 4 && n >= 1900 && n < 2100) {
    return n < 2000 ? `nineteen ${twoDigitWords(n - 1900)}` : n < 2010 ? `two thousand ${n === 2000 ? '' : ONES[n - 2000]}` : `twenty ${twoDigitWords(n - 2000)}`;
  }
  if (token.length <= 2 && n < 100) return n < 10 ? ONES[n]! : twoDigitWords(n);
  // Longer numbers (zips, order ids, phones) are said digit by digit.
  return [...token].map((d) => ONES[Number(d)]).join(' ');
}

/** Synthetic answers in the shapes callers give them, so the open model knows them too. */
function answerPhrasing(): string[] {
  const lines: string[] = [];
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < 200; i++) {
    const digits = Array.from({ length: 5 }, () => (rand(10) === 0 && i % 2 ? 'oh' : ONES[rand(10)])).join(' ');
    lines.push(digits, `my zip code is ${digits}`);
    const month = MONTHS[rand(12)]!;
    const day = ORDINALS[rand(ORDINALS.length)]!;
    const year = numberWords(String(1940 + rand(70)));
    lines.push(`${month} ${day} ${year}`, `the ${day} of ${month} ${year}`);
    lines.push(`order ${numberWords(String(1000 + rand(9000)))}`);
  }
  return lines;
}

/** Lower-case sentences of words, numbers spelled the way they are said. */
export function normalizeSentences(text: string): string[] {
  return text
    .replace(/[`*#>|_[\]()]/g, ' ')
    .split(/[.!?;:\n]+/)
    .map((sentence) =>
      sentence
        .toLowerCase()
        .replace(/[’‘]/g, "'")
        .replace(/\b(?:order\s+)?o-(\d+)/g, 'order $1')
        .replace(/\d+/g, (m) => ` ${numberWords(m)} `)
        .replace(/[^a-z' ]+/g, ' ')
        .replace(/\s+'|'\s+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((s) => s.length > 0);
}

export interface DomainCorpusSources {
  knowledgeDir?: string;
  crmFile?: string;
  scenariosDir?: string;
  /** More caller phrasing (tests, a deployment's own lines). */
  extraLines?: string[];
}

/** Every text the domain model learns from, as sentences. */
export function collectCorpus(sources: DomainCorpusSources): string[] {
  const sentences: string[] = [];
  const add = (text: string, weight = 1): void => {
    const s = normalizeSentences(text);
    for (let i = 0; i < weight; i++) sentences.push(...s);
  };
  if (sources.knowledgeDir) {
    for (const file of safeList(sources.knowledgeDir).filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(sources.knowledgeDir, file), 'utf8');
      // The local recognizer is English: articles in other languages (`language: es`) are not its words.
      const language = /^language:\s*([a-z]{2,3})\s*$/m.exec(text)?.[1];
      if (!language || language === 'en') add(text);
    }
  }
  if (sources.crmFile) {
    const crm = safeJson(sources.crmFile) as { orders?: Array<{ item?: string }>; customers?: Array<{ name?: string }> } | undefined;
    for (const order of crm?.orders ?? []) if (order.item) add(`my ${order.item}. the ${order.item}. ${order.item}`, 2);
    for (const customer of crm?.customers ?? []) if (customer.name) add(`my name is ${customer.name}. ${customer.name}`);
  }
  if (sources.scenariosDir) {
    for (const file of safeList(sources.scenariosDir).filter((f) => f.endsWith('.yaml'))) {
      const yaml = readFileSync(join(sources.scenariosDir, file), 'utf8');
      // Caller lines weigh three times: they are how callers actually talk.
      for (const m of yaml.matchAll(/caller:\s*"([^"]+)"/g)) add(m[1]!, 3);
    }
  }
  for (const line of CALLER_PHRASING) add(line, 3);
  for (const line of answerPhrasing()) add(line);
  for (const line of sources.extraLines ?? []) add(line, 3);
  return sentences;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function safeJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** cmudict lines for the words asked for (alternate pronunciations "word(2)" included). A word
 *  cmudict lacks but that joins two words it has ("earbuds", "smartwatch") gets their
 *  pronunciations joined. */
export function trimDictionary(fullDictionary: string, words: ReadonlySet<string>): { text: string; known: Set<string> } {
  const lines: string[] = [];
  const known = new Set<string>();
  const firstPronunciation = new Map<string, string>();
  for (const line of fullDictionary.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const head = line.slice(0, space);
    const word = head.replace(/\(\d+\)$/, '');
    if (head === word) firstPronunciation.set(word, line.slice(space + 1).trim());
    if (!words.has(word)) continue;
    lines.push(line);
    known.add(word);
  }
  for (const word of words) {
    if (known.has(word) || word.length < 6 || word.includes("'")) continue;
    for (let cut = 3; cut <= word.length - 3; cut++) {
      const a = firstPronunciation.get(word.slice(0, cut));
      const b = firstPronunciation.get(word.slice(cut));
      if (a && b) {
        lines.push(`${word} ${a} ${b}`);
        known.add(word);
        break;
      }
    }
  }
  return { text: lines.join('\n') + '\n', known };
}

const DISCOUNT = 0.5;

/** An ARPA bigram model over sentences whose words are all in `known`. */
export function buildArpaBigram(sentences: readonly string[], known: ReadonlySet<string>): { arpa: string; words: number; bigrams: number } {
  const unigram = new Map<string, number>();
  const bigram = new Map<string, Map<string, number>>();
  const bump = (w: string): void => void unigram.set(w, (unigram.get(w) ?? 0) + 1);
  for (const sentence of sentences) {
    const words = sentence.split(' ').filter((w) => known.has(w));
    if (words.length === 0) continue;
    const seq = ['<s>', ...words, '</s>'];
    for (let i = 0; i < seq.length; i++) {
      bump(seq[i]!);
      if (i > 0) {
        const h = seq[i - 1]!;
        const followers = bigram.get(h) ?? new Map<string, number>();
        followers.set(seq[i]!, (followers.get(seq[i]!) ?? 0) + 1);
        bigram.set(h, followers);
      }
    }
  }
  // Every dictionary word is a unigram (a word the grammar or CRM knows may still be said).
  for (const w of known) if (!unigram.has(w)) unigram.set(w, 0);
  const vocabulary = [...unigram.keys()].sort();
  const total = [...unigram.entries()].filter(([w]) => w !== '<s>').reduce((n, [, c]) => n + c, 0);
  const v = vocabulary.length - 1;
  const pUni = new Map<string, number>();
  for (const w of vocabulary) pUni.set(w, w === '<s>' ? 0 : ((unigram.get(w) ?? 0) + 1) / (total + v));
  const log10 = (p: number): string => (p > 0 ? Math.log10(p).toFixed(4) : '-99');

  const uniLines: string[] = [];
  const biLines: string[] = [];
  for (const h of vocabulary) {
    const followers = bigram.get(h);
    let backoff = '';
    if (followers && h !== '</s>') {
      const count = [...followers.values()].reduce((n, c) => n + c, 0);
      let seenUni = 0;
      for (const [w, c] of followers) {
        biLines.push(`${log10((c - DISCOUNT) / count)} ${h} ${w}`);
        seenUni += pUni.get(w) ?? 0;
      }
      const left = (DISCOUNT * followers.size) / count;
      backoff = ` ${log10(Math.max(1e-6, left / Math.max(1e-6, 1 - seenUni)))}`;
    }
    uniLines.push(`${log10(pUni.get(h) ?? 0)} ${h}${backoff}`);
  }
  const arpa = [
    '\\data\\',
    `ngram 1=${uniLines.length}`,
    `ngram 2=${biLines.length}`,
    '',
    '\\1-grams:',
    ...uniLines,
    '',
    '\\2-grams:',
    ...biLines,
    '',
    '\\end\\',
    '',
  ].join('\n');
  return { arpa, words: vocabulary.length, bigrams: biLines.length };
}

export interface DomainModel {
  dictionary: string;
  arpa: string;
  words: number;
  bigrams: number;
}

/** The trimmed dictionary and bigram model for a corpus, grammar words always included. */
export function buildDomainModel(corpus: readonly string[], fullDictionary: string): DomainModel {
  const wanted = new Set<string>();
  for (const s of corpus) for (const w of s.split(' ')) if (w) wanted.add(w);
  for (const words of Object.values(grammarWords())) for (const w of words) wanted.add(w);
  const { text, known } = trimDictionary(fullDictionary, wanted);
  const { arpa, words, bigrams } = buildArpaBigram(corpus, known);
  return { dictionary: text, arpa, words, bigrams };
}
