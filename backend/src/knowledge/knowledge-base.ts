// The knowledge base the brain answers from: an in-memory BM25+ index (MiniSearch) over the
// articles finds candidates, with the text analysis that makes spoken questions match
// written policy (stop words, the Porter stemmer, contractions, caller synonyms); a calibrated
// confidence that depends only on the question and the article, never on how many other
// articles there are, decides whether the brain answers or says "I don't know".
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { StemmerEn } from '@nlpjs/lang-en-min';
import { leven } from '@nlpjs/similarity';
import MiniSearch from 'minisearch';
import type { KnowledgeArticle } from '../../../contracts/crm';
import { DEFAULT_KNOWLEDGE_DIR, parseArticleMarkdown } from './article-files';

export interface KnowledgeHit {
  article: KnowledgeArticle;
  /** Raw BM25+ score from MiniSearch; only comparable between hits of the same question. */
  score: number;
  /** 0..1, comparable across questions; see `confidenceOf`. */
  confidence: number;
  /** Index terms of the article (stemmed) that the question matched, for "why this answer". */
  matchedTerms: string[];
}

/**
 * Below this confidence the brain should not answer from the top hit, but say it does not
 * know and offer a person. The confidence is a weighted share of the question's words the
 * article has (see `confidenceOf`), independent of corpus size, so one threshold holds for
 * 4 articles or 4,000. Calibrated with backend/test/knowledge/knowledge-base.test.ts (the
 * shipped articles' caller questions above it, off-topic ones below) and measured on the
 * held-out questions of `npm run bench -- nlu` at 4, 21 and 400 articles.
 */
export const KNOWLEDGE_CONFIDENCE_THRESHOLD = 0.5;

// Words that carry no topic in a caller's question. Callers speak in full sentences
// ("hi, can you tell me how I ...") and speech recognizers keep every filler, so the list
// is broader than a search engine's: greetings, fillers and request verbs are in it too.
const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any anyone anything are as at be because been before being below ' +
    'between both but by can cannot could did do does doing done down during each else ever every few for from further get ' +
    'gets getting got had has have having he her here hers herself him himself his how however i if in into is it its itself ' +
    'just let lets like may me might mine more most much must my myself need needs no nor not now of off ok okay on once only ' +
    'or other our ours ourselves out over own please same she should so some someone something still such than that the their ' +
    'theirs them themselves then there these they this those through to too under until up upon us very want wanted wants was ' +
    'we well were what whats when where whether which while who whom whose why will with would yes yeah yet you your yours ' +
    'yourself yourselves hi hello hey thanks thank um uh hmm oh tell know wondering question ask asking really actually ' +
    'anyway maybe guess think sure right mean say says said going gonna wanna kind sort thing things way take takes ' +
    'took make makes go goes come comes came help find look give show shows showed many long never ever always there ' +
    'guys guy somebody anymore stuff instead everything anything people around enough mean means says used use ' +
    'different today online spend halfway upset angry frustrated annoyed happy confused sorry'
  ).split(' '),
);

// Contractions would otherwise split into fragments ("won't" → "won", "t") that look like
// content words; expanding them lets the stop-word list drop them cleanly.
const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bwon't\b/g, 'will not'],
  [/\bcan't\b/g, 'can not'],
  [/n't\b/g, ' not'],
  [/'(s|re|ll|ve|d|m)\b/g, ''],
];

// Multi-word ways callers say one thing an article says in one word ("send it back").
const PHRASES: Array<[RegExp, string]> = [
  [/\b(send|sending|sent|bring|take|taking|give|go|mail|ship)( it| them| this| that| something| stuff)? back\b/g, 'return'],
  [/\bmoney back\b/g, 'refund'],
  [/\b(log|logging|sign|signing) ?in\b/g, 'login'],
  [/\bhook(ed|ing)? (it |them )?up\b/g, 'connect'],
  [/\bwalk[- ]in(to)?\b/g, 'walkin'],
  [/\bnever (showed|turned|shown) up\b|\bnever (came|arrived)\b/g, 'missing'],
  [/\bcall (it )?off\b/g, 'cancel'],
];

/** Lower-cases, removes accents and contractions, and splits on anything not a letter or digit. */
export function tokenize(text: string): string[] {
  let normalized = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019`]/g, "'");
  for (const [pattern, replacement] of CONTRACTIONS) normalized = normalized.replace(pattern, replacement);
  for (const [pattern, replacement] of PHRASES) normalized = normalized.replace(pattern, replacement);
  return normalized.split(/[^a-z0-9]+/).filter((token) => token.length > 1 || /\d/.test(token));
}

const porter = new StemmerEn();

/**
 * A word's stem, by NLP.js's English (Porter) stemmer: "pairing", "paired" and "pairs" all
 * become "pair", at index and query time alike, so odd stems ("batteri") never show to
 * anyone. Numbers stay as they are.
 */
export function stem(word: string): string {
  if (word.length <= 2 || /\d/.test(word)) return word;
  return porter.stemWord(word);
}

// Callers name products and problems the way they like; articles use our catalogue's
// words. Mapping both onto one term (after stemming, at index and query time) is cheaper
// than writing every article twice. Keep entries general: a word callers use, never one
// question's wording.
const SYNONYM_WORDS: Record<string, string> = {
  headphones: 'headset',
  earphones: 'earbuds',
  buds: 'earbuds',
  cancelation: 'cancel',
  cancellation: 'cancel',
  refunded: 'refund',
  delivery: 'deliver',
  shop: 'store',
  swap: 'exchange',
  broke: 'broken',
  snapped: 'broken',
  faulty: 'fault',
  coverage: 'cover',
  guarantee: 'warranty',
  juice: 'charge',
  die: 'drain',
  dies: 'drain',
  stole: 'stolen',
  parcel: 'package',
  crypto: 'cryptocurrency',
  bitcoin: 'cryptocurrency',
  perks: 'benefits',
  reroute: 'redirect',
  newest: 'update',
  latest: 'update',
  upgrade: 'update',
  time: 'hours',
  reach: 'contact',
  call: 'phone',
  weekday: 'monday',
  weekend: 'saturday',
  street: 'address',
  expire: 'expire',
};
const SYNONYMS: Record<string, string> = Object.fromEntries(
  Object.entries(SYNONYM_WORDS).map(([from, to]) => [stem(from), stem(to)]),
);

/** One token to its index term, or null when it carries no topic. */
function processTerm(token: string): string | null {
  if (STOP_WORDS.has(token)) return null;
  const term = stem(token);
  return SYNONYMS[term] ?? term;
}

/** The distinct content terms of a question: what the confidence is measured against. */
export function contentTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const token of tokenize(text)) {
    const term = processTerm(token);
    if (term) terms.add(term);
  }
  return [...terms];
}

// Title and tags say what an article is about; the body also mentions neighbouring topics
// ("after 30 days, a faulty product is handled under the warranty"), so it weighs least.
const FIELD_BOOST = { title: 3, tags: 2.5, body: 1 };
// Short words have too many neighbours at edit distance 1 ("ship"/"shop"), so fuzzy and
// prefix matching only apply to longer terms.
const FUZZY_MIN_LENGTH = 5;
const PREFIX_MIN_LENGTH = 4;
const MAX_QUESTION_CHARS = 600;
/** Candidates re-scored with the calibrated confidence (BM25 only proposes them). */
const CANDIDATES = 12;
// Credit per question term, by where the article has it. A term in the title or tags says
// the article is about it; one in the body only that it mentions it; a one-letter typo
// ("firmwear") is weaker evidence than the word itself.
const HEAD_CREDIT = 1;
const BODY_CREDIT = 0.8;
const FUZZY_FACTOR = 0.7;
/** An article none of whose title or tag words the caller used is rarely what they meant. */
const UNANCHORED_FACTOR = 0.7;

/** An article's index terms, by field, for the calibrated confidence. */
interface ArticleTerms {
  /** Terms of the title and of one-word tags. */
  head: Set<string>;
  /** Multi-word tags ("battery life"): a term of one is the topic only with its neighbours. */
  phrases: Array<Set<string>>;
  body: Set<string>;
}

/**
 * How much a term says about a topic, 0..1, from a fixed reference sample of help-desk
 * text: the paragraphs of the shipped articles, read once per process. A word in most
 * paragraphs ("order", "day") says little; a rare one ("warranty") a lot. Because the sample
 * is fixed, the weights do not move when a team adds or removes its own articles. Words
 * the sample never uses get a middle weight: they may be a product name or off-topic.
 */
let termWeights: Map<string, number> | undefined;
const UNSEEN_WEIGHT = 0.6;
const MIN_WEIGHT = 0.2;
const UNMATCHED_MIN_WEIGHT = 0.9;

function termWeight(term: string): number {
  termWeights ??= referenceWeights();
  return termWeights.get(term) ?? UNSEEN_WEIGHT;
}

function referenceWeights(): Map<string, number> {
  const paragraphs: string[] = [];
  try {
    for (const file of readdirSync(DEFAULT_KNOWLEDGE_DIR).filter((f) => f.endsWith('.md')).sort()) {
      const article = parseArticleMarkdown(readFileSync(path.join(DEFAULT_KNOWLEDGE_DIR, file), 'utf8'), file);
      paragraphs.push(`${article.title} ${article.tags.join(' ')}`, ...article.body.split(/\n\s*\n/));
    }
  } catch {
    // No reference sample (a trimmed install): every term weighs the same.
    return new Map();
  }
  const df = new Map<string, number>();
  for (const p of paragraphs) for (const t of termsOf(p)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = paragraphs.length;
  const maxIdf = Math.log(1 + n);
  const weights = new Map<string, number>();
  for (const [t, count] of df) weights.set(t, Math.max(MIN_WEIGHT, Math.log(1 + n / count) / maxIdf));
  return weights;
}

function termsOf(text: string): Set<string> {
  return new Set(contentTerms(text));
}

export class KnowledgeBase {
  readonly #articles = new Map<string, KnowledgeArticle>();
  readonly #terms = new Map<string, ArticleTerms>();
  readonly #index = new MiniSearch<KnowledgeArticle>({
    fields: ['title', 'tags', 'body'],
    storeFields: [],
    tokenize,
    processTerm,
    extractField: (article, field) => {
      if (field === 'tags') return article.tags.join(' ');
      const value = article[field as keyof KnowledgeArticle];
      return typeof value === 'string' ? value : '';
    },
    searchOptions: {
      boost: FIELD_BOOST,
      fuzzy: (term) => (term.length >= FUZZY_MIN_LENGTH ? 0.2 : false),
      prefix: (term) => term.length >= PREFIX_MIN_LENGTH,
      combineWith: 'OR',
    },
  });

  static fromArticles(articles: readonly KnowledgeArticle[]): KnowledgeBase {
    const kb = new KnowledgeBase();
    for (const article of articles) kb.add(article);
    return kb;
  }

  /** Adds an article, replacing any article with the same id (a stored edit overrides a shipped file). */
  add(article: KnowledgeArticle): void {
    if (this.#articles.has(article.id)) this.#index.replace(article);
    else this.#index.add(article);
    this.#articles.set(article.id, article);
    const phrases = article.tags.map(termsOf).filter((p) => p.size > 1);
    const single = article.tags.map(termsOf).filter((p) => p.size === 1);
    this.#terms.set(article.id, {
      head: new Set([...termsOf(article.title), ...single.flatMap((p) => [...p])]),
      phrases,
      body: termsOf(article.body),
    });
  }

  get(id: string): KnowledgeArticle | undefined {
    return this.#articles.get(id);
  }

  all(): KnowledgeArticle[] {
    return [...this.#articles.values()];
  }

  get size(): number {
    return this.#articles.size;
  }

  /**
   * The best `limit` articles for a caller's question, most confident first; empty when
   * nothing matches. BM25 proposes candidates; the calibrated confidence orders them.
   */
  search(fullQuestion: string, limit = 3): KnowledgeHit[] {
    // A question is a sentence or two; a pasted page would only make the search slow.
    const question = fullQuestion.slice(0, MAX_QUESTION_CHARS);
    const terms = contentTerms(question);
    if (terms.length === 0 || limit <= 0) return [];
    const hits: KnowledgeHit[] = [];
    for (const result of this.#index.search(question).slice(0, Math.max(limit, CANDIDATES))) {
      const article = this.#articles.get(String(result.id));
      const articleTerms = this.#terms.get(String(result.id));
      if (!article || !articleTerms) continue;
      hits.push({
        article,
        score: result.score,
        confidence: confidenceOf(terms, articleTerms),
        matchedTerms: [...result.terms],
      });
    }
    return hits.sort((a, b) => b.confidence - a.confidence || b.score - a.score).slice(0, limit);
  }
}

/**
 * Why not threshold the BM25 score: it grows with the number of words in the question,
 * and its IDF part with the number of articles, so "are you open on Saturday" scores
 * differently with 4 articles than with 4,000. The confidence asks only about this question
 * and this article: what share of the question's content words (after stop words, stems
 * and synonyms) does the article have, and where — title or tags (it is about them), body
 * (it mentions them), or only within one typo. An article that has none of the question's
 * words in its title or tags is discounted. Nothing in it counts other articles, so the
 * threshold means the same at every corpus size (checked by `npm run bench -- nlu`).
 */
function confidenceOf(questionTerms: readonly string[], article: ArticleTerms): number {
  let credit = 0;
  let total = 0;
  let anchored = false;
  const asked = new Set(questionTerms);
  for (const term of questionTerms) {
    const weight = termWeight(term);
    const before = credit;
    const phrase = phraseShare(article.phrases, term, asked);
    if (article.head.has(term) || phrase === 1) {
      credit += weight * HEAD_CREDIT;
      anchored = true;
    } else if (article.body.has(term) || phrase > 0) {
      credit += weight * Math.max(article.body.has(term) ? BODY_CREDIT : 0, phrase * HEAD_CREDIT);
    } else if (term.length >= FUZZY_MIN_LENGTH) {
      if (hasNear(article.head, term)) {
        credit += weight * HEAD_CREDIT * FUZZY_FACTOR;
        anchored = true;
      } else if (hasNear(article.body, term)) credit += weight * BODY_CREDIT * FUZZY_FACTOR;
    }
    // A word the article lacks is evidence against it however common the word is.
    total += credit > before ? weight : Math.max(weight, UNMATCHED_MIN_WEIGHT);
  }
  const coverage = total === 0 ? 0 : credit / total;
  return Math.round(coverage * (anchored ? 1 : UNANCHORED_FACTOR) * 1000) / 1000;
}

/** The largest share of a multi-word tag containing `term` that the question also says. */
function phraseShare(phrases: ReadonlyArray<Set<string>>, term: string, asked: Set<string>): number {
  let best = 0;
  for (const phrase of phrases) {
    if (!phrase.has(term)) continue;
    let said = 0;
    for (const t of phrase) if (asked.has(t)) said += 1;
    best = Math.max(best, said / phrase.size);
  }
  return best;
}

function hasNear(terms: Set<string>, term: string): boolean {
  for (const t of terms) {
    if (Math.abs(t.length - term.length) <= 1 && t.length >= FUZZY_MIN_LENGTH && leven(t, term) <= 1) return true;
  }
  return false;
}
