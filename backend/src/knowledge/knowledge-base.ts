// The knowledge base the brain answers from: an in-memory BM25+ index (MiniSearch) over the
// articles, with the text analysis that makes spoken questions match written policy (stop
// words, a tiny stemmer, contractions), and a length-independent confidence so the brain can
// say "I don't know" instead of reading out the least-bad article.
import MiniSearch from 'minisearch';
import type { SearchResult } from 'minisearch';
import type { KnowledgeArticle } from '../../../contracts/crm';

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
 * know and offer a person. Calibrated with backend/test/knowledge/knowledge-base.test.ts
 * against the shipped articles: the 38 caller questions they answer scored 0.43 to 0.89
 * (the lowest a rambling "hi there um ... how many days do I have to send back the earbuds
 * I bought"), the off-topic ones 0 to 0.31 (the highest "what is the meaning of life", which
 * hits "battery life"). The threshold sits between the two.
 */
export const KNOWLEDGE_CONFIDENCE_THRESHOLD = 0.37;

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
    'took make makes go goes come comes came help find look give show shows showed many long never ever always there'
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

/** Lower-cases, removes accents and contractions, and splits on anything not a letter or digit. */
export function tokenize(text: string): string[] {
  let normalized = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019`]/g, "'");
  for (const [pattern, replacement] of CONTRACTIONS) normalized = normalized.replace(pattern, replacement);
  return normalized.split(/[^a-z0-9]+/).filter((token) => token.length > 1 || /\d/.test(token));
}

/**
 * A deliberately tiny suffix stripper (plurals, -ing, -ed, final e) in the spirit of Porter's
 * step 1. It only has to map the forms callers use ("pairing", "paired", "pairs") and the
 * forms articles use onto one index term; it is applied identically at index and query time,
 * so odd stems ("charg") never show to anyone.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(s|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);

  const suffix = /(ing|ed)$/.exec(w);
  if (suffix) {
    const base = w.slice(0, -suffix[0].length);
    // Only strip when a real stem with a vowel remains: "shipping" → "ship", but not "bring" or "need".
    if (base.length >= 3 && /[aeiouy]/.test(base)) {
      w = base;
      // "shipp" → "ship"; l, s and z stay doubled, as in Porter ("call", "press").
      if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
    }
  }
  if (w.length >= 4 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

// Callers name products the way they like; articles use our catalogue's words. Mapping both
// onto one term (after stemming, at index and query time) is cheaper than writing every
// article twice.
const SYNONYMS: Record<string, string> = {
  headphon: 'headset',
  earphon: 'earbud',
  bud: 'earbud',
  cancelation: 'cancel',
  cancellation: 'cancel',
  refunded: 'refund',
};

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
// A fuzzy or prefix match ("headphon" for "headphone") is weaker evidence than the exact term.
const INEXACT_MATCH_CREDIT = 0.6;
// Coverage weighs more than strength: a question that is half off-topic ("the meaning of
// life" hits "battery life") must fall below the threshold even when its one word matches a
// title or tag strongly, while fully covered questions keep their score.
const COVERAGE_EXPONENT = 1.5;
// Per-term BM25 strength at which the score half-saturates. A term found once in a body is
// around 2; a term in a title or tag is 6 and more.
const STRENGTH_HALF = 4;

export class KnowledgeBase {
  readonly #articles = new Map<string, KnowledgeArticle>();
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

  /** The best `limit` articles for a caller's question, best first; empty when nothing matches. */
  search(question: string, limit = 3): KnowledgeHit[] {
    const terms = contentTerms(question);
    if (terms.length === 0 || limit <= 0) return [];
    const hits: KnowledgeHit[] = [];
    for (const result of this.#index.search(question)) {
      const article = this.#articles.get(String(result.id));
      if (!article) continue;
      hits.push({
        article,
        score: result.score,
        confidence: confidenceOf(result, terms),
        matchedTerms: [...result.terms],
      });
      if (hits.length >= limit) break;
    }
    return hits;
  }
}

/**
 * Why not threshold the BM25 score directly: it grows with the number of words in the
 * question, so "refund?" and a rambling three-sentence question land on different scales.
 * Confidence instead asks two length-independent questions and multiplies the answers:
 *
 * - coverage: what fraction of the question's content words (after stop words) does this
 *   article match? Off-topic questions ("do you sell refrigerators") leave most of their
 *   content words unmatched, whatever one stray word happens to hit. Fuzzy and prefix matches
 *   count for less than exact ones.
 * - strength: how strongly, on average, does each matched word match? A word in the title
 *   or tags scores far higher than one passing mention in a body. Saturating (x / (x + k))
 *   keeps it in 0..1.
 *
 * MiniSearch multiplies the summed term scores by the number of matched terms, so the mean
 * per-term score is score / matched².
 */
function confidenceOf(result: SearchResult, questionTerms: readonly string[]): number {
  const matchedQueryTerms = new Set(result.queryTerms);
  if (matchedQueryTerms.size === 0) return 0;
  const exactTerms = new Set(result.terms);
  let credit = 0;
  for (const term of matchedQueryTerms) credit += exactTerms.has(term) ? 1 : INEXACT_MATCH_CREDIT;
  const coverage = Math.min(1, credit / questionTerms.length) ** COVERAGE_EXPONENT;

  const meanTermScore = result.score / (matchedQueryTerms.size * matchedQueryTerms.size);
  const strength = meanTermScore / (meanTermScore + STRENGTH_HALF);
  return Math.round(coverage * strength * 1000) / 1000;
}
