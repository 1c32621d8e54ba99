// The knowledge base the brain answers from: an in-memory BM25+ index (MiniSearch) over the
// articles finds candidates, with the text analysis of text-analysis.ts that makes spoken
// questions match written policy (stop words, the Porter stemmer, contractions, and the
// caller vocabulary of resources/nlu/knowledge-vocabulary.yaml). Each candidate's coverage
// (the weighted share of the question the article has, which depends only on the question
// and the article) and the rest of its evidence go through a fitted logistic model
// (answer-calibration.ts): the probability that the article answers decides whether the
// brain answers or says "I don't know", with one threshold at every corpus size.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { leven } from '@nlpjs/similarity';
import MiniSearch from 'minisearch';
import type { KnowledgeArticle } from '../../../contracts/crm';
import { articleSentences } from './answer-sentences';
import { answerProbability, loadAnswerModel, type AnswerEvidence, type AnswerModel } from './answer-calibration';
import { DEFAULT_KNOWLEDGE_DIR, parseArticleMarkdown } from './article-files';
import { contentTerms, isChatter, processTerm, productTerms, questionTerms, tokenize, type QuestionTerm } from './text-analysis';

export { contentTerms, stem, tokenize } from './text-analysis';

export interface KnowledgeHit {
  article: KnowledgeArticle;
  /** Raw BM25+ score from MiniSearch; only comparable between hits of the same question. */
  score: number;
  /** 0..1, the mean of `coverage` and the fitted probability that the article answers (answer-calibration.ts); compared with KNOWLEDGE_CONFIDENCE_THRESHOLD. */
  confidence: number;
  /** 0..1, the share of the question the article covers (see `articleConfidence`): depends only on the question and the article. */
  coverage: number;
  /** Index terms of the article (stemmed) that the question matched, for "why this answer". */
  matchedTerms: string[];
}

/**
 * Below this confidence the brain should not answer from the top hit, but say it does not
 * know and offer a person. The confidence is the mean of the coverage and the fitted
 * probability that the article answers (answer-calibration.ts, trained on the tuning
 * questions at 4, 21 and 400 articles, with and without example questions); without a fitted
 * model it is the coverage alone, whose tuned threshold was also 0.5. Checked by
 * backend/test/knowledge/knowledge-base.test.ts and measured on the held-out questions of
 * `npm run bench -- nlu` at 4, 21 and 400 articles.
 */
export const KNOWLEDGE_CONFIDENCE_THRESHOLD = 0.5;

// Title, tags and example caller questions say what an article is about; the body also
// mentions neighbouring topics ("after 30 days, a faulty product is handled under the
// warranty"), so it weighs least.
const FIELD_BOOST = { title: 3, tags: 2.5, questions: 2, body: 1 };
// Short words have too many neighbours at edit distance 1 ("ship"/"shop", "stuck"/"stock"),
// so fuzzy and prefix matching only apply to longer terms.
const FUZZY_MIN_LENGTH = 6;
const PREFIX_MIN_LENGTH = 4;
const MAX_QUESTION_CHARS = 600;
/** How much BM25's relative score (0..1 of the best candidate's) weighs in ordering candidates. */
export const RANK_SCORE_SHARE = 0.25;
/** Candidates re-scored with the calibrated confidence (BM25 only proposes them). */
const CANDIDATES = 12;
/** Candidates the answer model weighs (the rest are too far behind to be the answer). */
const WEIGHED = 3;
// Credit per question term, by where the article has it. A term in the title or tags says
// the article is about it; one in the body only that it mentions it; a one-letter typo
// ("firmwear") is weaker evidence than the word itself.
const HEAD_CREDIT = 1;
const FUZZY_FACTOR = 0.7;
/** Tuned on resources/nlu/test/knowledge-dev.yaml (never on the held-out knowledge.yaml). */
const CONFIDENCE_SETTINGS = {
  bodyCredit: 0.8,
  /** An article none of whose title or tag words the caller used is rarely what they meant. */
  unanchoredFactor: 0.6,
  unseenWeight: 0.6,
  unmatchedMinWeight: 0.9,
  /** A noun the reference sample never uses and the article lacks ("refrigerators"): the caller asks about something else. */
  unseenMissingWeight: 1.3,
  chatterWeight: 0.1,
  /** The caller's question matches a near miss the article lists as not answered (`notAnswered:`). */
  nearMissFactor: 0.6,
  /** A verb, adjective or adverb the article lacks weighs at most this in the total. */
  predicateWeight: 0.35,
  /** A word only said setting the scene ("after I returned it", "I bought them last week, …") weighs this share of itself. */
  sceneFactor: 0.4,
  /** A word of an example question that is also in the title or tags names what the example is about. */
  exampleTopicFactor: 1.5,
};

/** An article's index terms, by field, for the calibrated confidence. */
interface ArticleTerms {
  /** Terms of the title and of one-word tags. */
  head: Set<string>;
  /** Multi-word tags ("battery life"): a term of one is the topic only with its neighbours. */
  phrases: Array<Set<string>>;
  body: Set<string>;
  /** Each pair of neighbouring body sentences' terms: where a fact is stated, not only mentioned. */
  passages: Array<Set<string>>;
  /** Each example caller question (front matter `questions:`): its terms, and the terms with their weights. */
  questions: Array<{ terms: Set<string>; asked: QuestionTerm[] }>;
  /** Each near miss it does not answer (front matter `notAnswered:`), read the same way. */
  notAnswered: Array<{ terms: Set<string>; asked: QuestionTerm[] }>;
  /** The terms of all its example questions together. */
  exampleTerms: Set<string>;
}

/**
 * How much a term says about a topic, 0..1, from a fixed reference sample of help-desk
 * text: the paragraphs of the shipped articles, read once per process. A word in most
 * paragraphs ("order", "day") says little; a rare one ("warranty") a lot. Because the sample
 * is fixed, the weights do not move when a team adds or removes its own articles. Words
 * the sample never uses get a middle weight: they may be a product name or off-topic.
 */
let termWeights: Map<string, number> | undefined;
const MIN_WEIGHT = 0.2;

/** How much a term says about a topic, 0..1 (chatter weighs little): also ranks an article's sentences (answer-sentences.ts). */
export function termWeight(term: string): number {
  if (isChatter(term)) return CONFIDENCE_SETTINGS.chatterWeight;
  termWeights ??= referenceWeights();
  return termWeights.get(term) ?? CONFIDENCE_SETTINGS.unseenWeight;
}

/**
 * The least a noun the article lacks weighs. One no help-desk text uses ("refrigerators",
 * "snow") weighs most: the caller is asking about something no article is about.
 */
function missingNounWeight(term: string): number {
  termWeights ??= referenceWeights();
  return termWeights.has(term) || isChatter(term) ? CONFIDENCE_SETTINGS.unmatchedMinWeight : CONFIDENCE_SETTINGS.unseenMissingWeight;
}

/** A term no text of the reference sample uses, and no chatter. */
function isUnseen(term: string): boolean {
  termWeights ??= referenceWeights();
  return !termWeights.has(term) && !isChatter(term);
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

function examplesOf(questions: readonly string[] | undefined): ArticleTerms['questions'] {
  return (questions ?? []).map((q) => ({ terms: termsOf(q), asked: questionTerms(q) })).filter((q) => q.terms.size > 0);
}

function passagesOf(body: string): Array<Set<string>> {
  const sentences = articleSentences(body).map(termsOf);
  return sentences.map((terms, i) => new Set([...terms, ...(sentences[i + 1] ?? [])]));
}

function termsOf(text: string): Set<string> {
  return new Set(contentTerms(text));
}

export class KnowledgeBase {
  readonly #articles = new Map<string, KnowledgeArticle>();
  /** Product terms: the vocabulary's `products:`, and the words of the store's item names no help-desk text uses ("kayak"). */
  readonly #products = new Set<string>(productTerms());
  /** For a product word of an item name, the word it names ("travel" → "case" of "Travel Case"): said together, both are the product. */
  readonly #productHeads = new Map<string, Set<string>>();
  readonly #terms = new Map<string, ArticleTerms>();
  readonly #index = new MiniSearch<KnowledgeArticle>({
    fields: ['title', 'tags', 'questions', 'body'],
    storeFields: [],
    tokenize,
    processTerm,
    extractField: (article, field) => {
      if (field === 'tags') return article.tags.join(' ');
      if (field === 'questions') return (article.questions ?? []).join(' ');
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
    const questions = examplesOf(article.questions);
    this.#terms.set(article.id, {
      head: new Set([...termsOf(article.title), ...single.flatMap((p) => [...p])]),
      phrases,
      body: termsOf(article.body),
      passages: passagesOf(article.body),
      questions,
      notAnswered: examplesOf(article.notAnswered),
      exampleTerms: new Set(questions.flatMap((q) => [...q.terms])),
    });
  }

  /**
   * The store's product names (the CRM's order items, "Touring Kayak"): a word of one that no
   * help-desk text of the reference sample uses is a product, like the vocabulary's
   * `products:`, so a policy article that does not name it still answers. Words the sample
   * knows ("charging", "gift") stay topics.
   */
  addProductNames(names: readonly string[]): void {
    const terms = names.map((name) => contentTerms(name));
    for (const term of terms.flat()) if (isUnseen(term)) this.#products.add(term);
    // "Travel Case": the caller asking to return "the travel case" names a product, not a
    // topic "case" the returns article lacks.
    for (const words of terms) {
      for (const [i, word] of words.entries()) {
        const head = words[i + 1];
        if (head && this.#products.has(word)) this.#productHeads.set(word, (this.#productHeads.get(word) ?? new Set()).add(head));
      }
    }
  }

  /** The product terms of one question: the store's, and each word a product word before it names ("travel case"). */
  #productsIn(question: string): ReadonlySet<string> {
    const words = contentTerms(question);
    const named = words.filter((head, i) => i > 0 && this.#productHeads.get(words[i - 1]!)?.has(head));
    return named.length === 0 ? this.#products : new Set([...this.#products, ...named]);
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
    if (limit <= 0) return [];
    const candidates = this.#candidates(fullQuestion);
    answerModel ??= { model: loadAnswerModel() };
    const model = answerModel.model;
    if (model) {
      // The confidence of the first candidates is the mean of their coverage and the fitted
      // probability that they answer: the model learns what the coverage misses (a long
      // caller's few strong words, an article BM25 ranks far ahead), and the coverage keeps
      // what the model, fitted on the shipped articles, cannot know of a team's own (one
      // example question that teaches an article a new wording). The rest keep half their
      // coverage: too far behind to be the answer.
      for (const { hit, evidence } of candidates) {
        hit.confidence = round3(evidence ? (hit.coverage + answerProbability(model, evidence)) / 2 : hit.coverage / 2);
      }
      candidates.sort((a, b) => b.hit.confidence - a.hit.confidence);
    }
    return candidates.slice(0, limit).map((c) => c.hit);
  }

  /** The first candidates with what the answer model weighs of each: for fitting the model (`npm run train:knowledge`). */
  weigh(fullQuestion: string): Array<{ articleId: string; evidence: AnswerEvidence }> {
    return this.#candidates(fullQuestion).flatMap((c) => (c.evidence ? [{ articleId: c.hit.article.id, evidence: c.evidence }] : []));
  }

  /** Candidates by coverage and BM25, the first WEIGHED with their evidence. */
  #candidates(fullQuestion: string): Array<{ hit: KnowledgeHit; evidence?: AnswerEvidence }> {
    // A question is a sentence or two; a pasted page would only make the search slow.
    const question = fullQuestion.slice(0, MAX_QUESTION_CHARS);
    const terms = questionTerms(question);
    if (terms.length === 0) return [];
    const products = this.#productsIn(question);
    const found: Array<{ hit: KnowledgeHit; terms: ArticleTerms; answered: number }> = [];
    for (const result of this.#index.search(question).slice(0, CANDIDATES)) {
      const article = this.#articles.get(String(result.id));
      const articleTerms = this.#terms.get(String(result.id));
      if (!article || !articleTerms) continue;
      const { coverage, answered } = articleConfidence(terms, articleTerms, products);
      found.push({ hit: { article, score: result.score, confidence: coverage, coverage, matchedTerms: [...result.terms] }, terms: articleTerms, answered });
    }
    // Between articles of about the same coverage, the one BM25 ranks far higher (the
    // question's words are what it is about, again and again, not one sentence of it) is the
    // better answer.
    const top = Math.max(...found.map((f) => f.hit.score), Number.MIN_VALUE);
    const order = (hit: KnowledgeHit): number => hit.coverage + RANK_SCORE_SHARE * (hit.score / top);
    found.sort((a, b) => order(b.hit) - order(a.hit));
    return found.map(({ hit, terms: articleTerms, answered }, rank) => {
      if (rank >= WEIGHED) return { hit };
      return { hit, evidence: { ...evidenceOf(terms, articleTerms, products, { coverage: hit.coverage, answered }), bm25Share: hit.score / top } };
    });
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
 *
 * The article's confidence for the question is the best of the article read by its title and
 * tags, and read with each of its example questions as one more title. An example counts both
 * ways, as an F-measure: the share of the caller's words it (or the article) has, and the
 * share of its own words the caller said, so "do you sell refrigerators" does not borrow the
 * confidence of "do you sell my personal information".
 */
function articleConfidence(asked: readonly QuestionTerm[], article: ArticleTerms, products: ReadonlySet<string>): { coverage: number; answered: number } {
  const best = answeredConfidence(asked, article, products);
  if (article.notAnswered.length === 0 || best === 0) return { coverage: best, answered: best };
  // A near miss the article lists as not answered, matched at least as well as the article
  // itself: the caller asks that, and the article does not say it.
  // Only what sets the near miss apart from the article's own topic counts: "can I return
  // headphones I bought at Best Buy" is a near miss of the return policy because of "Best Buy",
  // not because of "return", so "can I return my headset" is still answered.
  const said = new Set(asked.map((a) => a.term));
  let nearMiss = 0;
  for (const example of article.notAnswered) {
    const apart = example.asked.filter(({ term }) => !article.head.has(term) && !article.exampleTerms.has(term) && !isChatter(term));
    if (apart.length === 0 || shareSaid(apart, said, article.head, products) < 0.5) continue;
    const callerShare = shareSaid(asked, example.terms, article.head, products);
    const exampleShare = shareSaid(example.asked, said, article.head, products);
    nearMiss = Math.max(nearMiss, (2 * callerShare * exampleShare) / (callerShare + exampleShare || 1));
  }
  return { coverage: nearMiss >= best ? round3(best * CONFIDENCE_SETTINGS.nearMissFactor) : best, answered: best };
}

function answeredConfidence(asked: readonly QuestionTerm[], article: ArticleTerms, products: ReadonlySet<string>): number {
  const matches = matchTerms(asked, article);
  let best = coverageOf(asked, matches, products);
  if (article.questions.length === 0) return best;
  const said = new Set(asked.map((a) => a.term));
  for (const example of article.questions) {
    const callerShare = coverageOf(asked, matches, products, example.terms);
    if (callerShare <= best) continue;
    const exampleShare = shareSaid(example.asked, said, article.head, products);
    best = Math.max(best, round3((2 * callerShare * exampleShare) / (callerShare + exampleShare || 1)));
  }
  return best;
}

/** The fitted answer model, read once per process (undefined inside: none shipped). */
let answerModel: { model: AnswerModel | undefined } | undefined;

/** What the answer model weighs of one candidate, but for how it stands against the others. */
function evidenceOf(
  asked: readonly QuestionTerm[],
  article: ArticleTerms,
  products: ReadonlySet<string>,
  { coverage, answered }: { coverage: number; answered: number },
): Omit<AnswerEvidence, 'bm25Share'> {
  const matches = matchTerms(asked, article);
  const evidence = {
    coverage,
    answered,
    articleCoverage: coverageOf(asked, matches, products),
    nearMiss: 0,
    matchedWeight: 0,
    askedMatchedWeight: 0,
    missingTopicWeight: 0,
    askedMissingTopicWeight: 0,
    headWeight: 0,
    strongestMatch: 0,
    bestExampleShare: 0,
    terms: asked.length,
    askedTerms: asked.filter((t) => !t.context).length,
    examples: article.questions.length > 0 ? 1 : 0,
    passageShare: 0,
    askedPassageShare: 0,
  };
  // The example question closest to the caller's counts as one more title, as in the coverage.
  const said = new Set(asked.map((a) => a.term));
  let closest: Set<string> | undefined;
  for (const example of article.questions) {
    const share = shareSaid(example.asked, said, article.head, products);
    if (share > evidence.bestExampleShare) [evidence.bestExampleShare, closest] = [share, example.terms];
  }
  // The two neighbouring sentences that hold most of the question (with the title, tags and
  // closest example question): an article that only mentions the question's words here and
  // there may not state what is asked.
  let total = 0;
  let askedTotal = 0;
  for (const { term, aside, context } of asked) {
    if (aside || isChatter(term)) continue;
    total += termWeight(term);
    if (!context) askedTotal += termWeight(term);
  }
  for (const passage of article.passages) {
    let share = 0;
    let askedShare = 0;
    for (const { term, aside, context } of asked) {
      if (aside || isChatter(term) || !(passage.has(term) || article.head.has(term) || closest?.has(term))) continue;
      share += termWeight(term);
      if (!context) askedShare += termWeight(term);
    }
    if (total > 0) evidence.passageShare = Math.max(evidence.passageShare, share / total);
    if (askedTotal > 0) evidence.askedPassageShare = Math.max(evidence.askedPassageShare, askedShare / askedTotal);
  }
  evidence.nearMiss = coverage < evidence.answered ? 1 : 0;
  asked.forEach(({ term, topical, context, aside }, i) => {
    // A word said only in an aside ("after I return it") is never what the question is about.
    if (aside) return;
    const weight = termWeight(term);
    const { credit, anchors } = closest?.has(term) ? { credit: HEAD_CREDIT, anchors: true } : matches[i]!;
    if (credit > 0) {
      evidence.matchedWeight += weight * credit;
      if (!context) evidence.askedMatchedWeight += weight * credit;
      if (anchors) evidence.headWeight += weight;
      evidence.strongestMatch = Math.max(evidence.strongestMatch, weight * credit);
    } else if (topical && !isChatter(term) && !products.has(term)) {
      evidence.missingTopicWeight += weight;
      if (!context) evidence.askedMissingTopicWeight += weight;
    }
  });
  return evidence;
}

/** How one question term is found in the article: the credit it earns, 0 when it is not. */
interface TermMatch {
  credit: number;
  /** Found in the title or tags (or within one typo of them): the article is about it. */
  anchors: boolean;
}

/** Each question term's match in the article (see HEAD_CREDIT), computed once for all its example questions. */
function matchTerms(asked: readonly QuestionTerm[], article: ArticleTerms): TermMatch[] {
  const said = new Set(asked.map((a) => a.term));
  return asked.map(({ term }) => {
    const phrase = phraseShare(article.phrases, term, said);
    if (article.head.has(term) || phrase === 1) return { credit: HEAD_CREDIT, anchors: true };
    if (article.body.has(term) || phrase > 0) {
      return { credit: Math.max(article.body.has(term) ? CONFIDENCE_SETTINGS.bodyCredit : 0, phrase * HEAD_CREDIT), anchors: false };
    }
    if (term.length >= FUZZY_MIN_LENGTH) {
      if (hasNear(article.head, term)) return { credit: HEAD_CREDIT * FUZZY_FACTOR, anchors: true };
      if (hasNear(article.body, term)) return { credit: CONFIDENCE_SETTINGS.bodyCredit * FUZZY_FACTOR, anchors: false };
    }
    return { credit: 0, anchors: false };
  });
}

/** The weighted share of the question's terms the article has; `example` terms count as title words. */
function coverageOf(asked: readonly QuestionTerm[], matches: readonly TermMatch[], products: ReadonlySet<string>, example?: Set<string>): number {
  let credit = 0;
  let total = 0;
  let anchored = false;
  asked.forEach(({ term, topical, context, aside }, i) => {
    const share = context ? CONFIDENCE_SETTINGS.sceneFactor : 1;
    const weight = termWeight(term) * share;
    const match = example?.has(term) ? { credit: HEAD_CREDIT, anchors: true } : matches[i]!;
    credit += weight * match.credit;
    // "when does my money come back after I return something" is not about returns.
    anchored ||= match.anchors && !aside;
    total += match.credit > 0 || isChatter(term) ? weight : missingWeight(term, weight, topical, products) * share;
  });
  const coverage = total === 0 ? 0 : credit / total;
  return round3(coverage * (anchored ? 1 : CONFIDENCE_SETTINGS.unanchoredFactor));
}

/**
 * The weighted share of an example question's terms that the caller said. Its words that are
 * also the article's title or tag words are what it is about ("do you have free *shipping*"):
 * they weigh more, and missing them counts like a missing noun, so "is the rewards program
 * free" does not match it.
 */
function shareSaid(example: readonly QuestionTerm[], said: Set<string>, head: Set<string>, products: ReadonlySet<string>): number {
  let credit = 0;
  let total = 0;
  for (const { term, topical } of example) {
    const topic = head.has(term);
    const weight = termWeight(term) * (topic ? CONFIDENCE_SETTINGS.exampleTopicFactor : 1);
    const hit = said.has(term);
    if (hit) credit += weight;
    total += hit || isChatter(term) ? weight : missingWeight(term, weight, topical || topic, products);
  }
  return total === 0 ? 0 : credit / total;
}

/**
 * What a term the other side lacks weighs against the match. A noun the article lacks is
 * evidence against it however common the word is; a verb, adjective or adverb it lacks is more
 * often the caller's way of describing the topic; a product it does not name ("my kayak")
 * hardly counts, since a policy need not name every product.
 */
function missingWeight(term: string, weight: number, topical: boolean, products: ReadonlySet<string>): number {
  if (products.has(term)) return CONFIDENCE_SETTINGS.chatterWeight;
  return topical ? Math.max(weight, missingNounWeight(term)) : Math.min(weight, CONFIDENCE_SETTINGS.predicateWeight);
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
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
