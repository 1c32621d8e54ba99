// How the knowledge base reads text, questions and articles alike: lower case without
// accents, contractions expanded, the caller vocabulary of resources/nlu/knowledge-vocabulary.yaml
// mapped onto the articles' words, stop words dropped, words stemmed. Matching then compares
// terms, so "can I send my headphones back" and "Return policy … headsets" share terms.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StemmerEn } from '@nlpjs/lang-en-min';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_NLU_DIR } from '../nlu/intent-corpus';
import { foldText } from '../nlu/utterance-features';
import { withPlaceNames } from './place-names';
import { lexiconTags } from './word-classes';

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
    'took make makes go goes come comes came help find look give show shows showed many long never ever always there gotta ' +
    'theres heres wheres thats hows whos onto ' +
    'guys guy somebody anybody nobody everybody anymore stuff instead everything anything people around enough mean means says used use ' +
    'different today online spend halfway upset angry frustrated annoyed happy confused sorry true options option'
  ).split(' '),
);

// Contractions would otherwise split into fragments ("won't" → "won", "t") that look like
// content words; expanding them lets the stop-word list drop them cleanly.
// Speech recognizers and quick typists drop the apostrophe ("cant", "doesnt"): the same.
const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bwon'?t\b/g, 'will not'],
  [/\bcan'?t\b/g, 'can not'],
  [/n't\b/g, ' not'],
  [/\b(do|does|did|is|are|was|were|has|have|had|could|would|should)nt\b/g, '$1 not'],
  [/'(s|re|ll|ve|d|m)\b/g, ''],
];

function normalize(text: string): string {
  let normalized = foldText(text);
  for (const [pattern, replacement] of CONTRACTIONS) normalized = normalized.replace(pattern, replacement);
  return normalized;
}

const porter = new StemmerEn();

/**
 * A word's stem, by NLP.js's English (Porter) stemmer: "pairing", "paired" and "pairs" all
 * become "pair", at index and query time alike. Numbers stay as they are.
 */
export function stem(word: string): string {
  if (word.length <= 2 || /\d/.test(word)) return word;
  return porter.stemWord(word);
}

const VocabularyFile = z
  .object({
    concepts: z.record(z.string().regex(/^[a-z0-9]+$/), z.array(z.string().min(1))),
    products: z.array(z.string().regex(/^[a-z0-9]+$/)).default([]),
    topical: z.array(z.string().min(1)).default([]),
    chatter: z.array(z.string().min(1)).default([]),
  })
  .strict();

interface Vocabulary {
  /** Multi-word ways of saying a concept, longest first, replaced before the text is split. */
  phrases: Array<[RegExp, string]>;
  /** Stem of a single word → stem of its concept. */
  words: Map<string, string>;
  /**
   * A word as said → stem of its concept, looked up before the stem: where two concepts' words
   * share a stem ("install" of update, "installments" of financing both stem to "instal"),
   * only the words as written map, and the shared stem maps to neither.
   */
  exact: Map<string, string>;
  /** Words (as said) that name a topic though the lexicon has them as verbs. */
  topical: Set<string>;
  /** Stems of words that name no topic. */
  chatter: Set<string>;
  /** Terms of the store's product names and kinds: a missing one weighs little. */
  products: Set<string>;
}

export const DEFAULT_VOCABULARY_FILE = path.join(DEFAULT_NLU_DIR, 'knowledge-vocabulary.yaml');
let vocabulary: Vocabulary | undefined;

/** Reads a vocabulary file; an invalid one is a start-up error naming the file. */
export function loadVocabulary(file: string = DEFAULT_VOCABULARY_FILE): Vocabulary {
  const parsed = VocabularyFile.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // Zod reports a bad record key only as "Invalid key in record".
    const message = issue.code === 'invalid_key' ? 'a concept is one lower-case word' : issue.message;
    throw new Error(`${file}: ${issue.path.join('.') || 'file'}: ${message}. Fix the file and restart.`);
  }
  const phrases: Array<[string, string]> = [];
  const words = new Map<string, string>();
  const exact = new Map<string, string>();
  const shared = new Set<string>();
  const conceptOf = new Map(Object.keys(parsed.data.concepts).map((concept) => [stem(concept), concept]));
  for (const [concept, variants] of Object.entries(parsed.data.concepts)) {
    const term = stem(concept);
    for (const variant of variants) {
      const said = normalize(variant).trim();
      if (/[^a-z0-9]/.test(said)) {
        phrases.push([said, concept]);
        continue;
      }
      const variantStem = stem(said);
      const other = conceptOf.get(variantStem);
      if (other !== undefined && other !== concept) {
        // The concept's own term would then mean two things in every article and question.
        throw new Error(
          `${file}: concepts.${concept}: "${variant}" has the stem "${variantStem}" of the concept "${other}". Rename one of the two concepts to a word with another stem and restart.`,
        );
      }
      exact.set(said, term);
      // "evening" stems to "even", "apartment" to "apart": such a stem is another, everyday
      // word, so only the word as written stands for the concept.
      if (variantStem !== said && isFunctionWord(variantStem)) continue;
      const earlier = words.get(variantStem);
      if (earlier !== undefined && earlier !== term) shared.add(variantStem);
      else words.set(variantStem, term);
    }
  }
  for (const ambiguous of shared) words.delete(ambiguous);
  phrases.sort((a, b) => b[0].length - a[0].length);
  return {
    phrases: phrases.map(([said, concept]) => [phrasePattern(said), ` ${concept} `]),
    words,
    exact,
    topical: new Set(parsed.data.topical.map((w) => normalize(w).trim())),
    chatter: new Set(parsed.data.chatter.map((w) => stem(normalize(w)))),
    products: new Set(parsed.data.products.map((w) => termOf(w, exact, words))),
  };
}

function currentVocabulary(): Vocabulary {
  vocabulary ??= loadVocabulary();
  return vocabulary;
}

/**
 * A phrase of the vocabulary as a pattern over the lower-cased text. A "*" in it stands for up
 * to three words, so "send * back" also finds "send the speaker back" and "send them all back";
 * its last word may be plural ("gift card": "gift cards").
 */
function phrasePattern(said: string): RegExp {
  const source = said
    .split(/\s*\*\s*/)
    .map((part) => escapeRegExp(part))
    .join('((?: [a-z0-9]+){0,3}) ');
  return new RegExp(`(?<![a-z0-9])${source}(?:s|es)?(?![a-z0-9])`, 'g');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Lower-cases, removes accents and contractions, maps caller phrases, and splits into words. */
export function tokenize(text: string): string[] {
  let normalized = withPlaceNames(normalize(text), isVocabularyWord);
  // The words a "*" of the phrase stood for stay ("how much does *shipping* cost" → cost, shipping):
  // they are often what the question is about.
  for (const [pattern, concept] of currentVocabulary().phrases) {
    normalized = normalized.replace(pattern, (...match: unknown[]) => `${concept}${match.slice(1, -2).filter((m): m is string => typeof m === 'string').join(' ')} `);
  }
  return normalized.split(/[^a-z0-9]+/).filter((token) => token.length > 1 || /\d/.test(token));
}

/** A word of the caller vocabulary or a stop word: never a city's name ("reading", "deal"). */
function isVocabularyWord(token: string): boolean {
  const { exact, words } = currentVocabulary();
  return STOP_WORDS.has(token) || exact.has(token) || words.has(stem(token));
}

/** One token to its index term, or null when it carries no topic. */
export function processTerm(token: string): string | null {
  if (STOP_WORDS.has(token)) return null;
  const { exact, words } = currentVocabulary();
  return termOf(token, exact, words);
}

/** A word's term: its concept as written, else its stem's concept, else a country, else the stem. */
function termOf(token: string, exact: ReadonlyMap<string, string>, words: ReadonlyMap<string, string>): string {
  const said = exact.get(token);
  if (said !== undefined) return said;
  const term = stem(token);
  return words.get(term) ?? (isForeignCountry(token) ? COUNTRY_TERM : term);
}

/** The distinct content terms of a text: what the confidence is measured against. */
export function contentTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const token of tokenize(text)) {
    const term = processTerm(token);
    if (term) terms.add(term);
  }
  return [...terms];
}

/** The terms of the vocabulary's product names ("aura"): an article without one may still answer. */
export function productTerms(): ReadonlySet<string> {
  return currentVocabulary().products;
}

/** A word callers say around a question that names no topic ("bought", "last week"). */
export function isChatter(term: string): boolean {
  // Amounts ("450", "30") say how much, not what about: matched or missing, they weigh little.
  return currentVocabulary().chatter.has(term) || /^\d/.test(term);
}


// Word classes from compromise's English lexicon (a plain lookup: tagging each question in
// context costs several milliseconds a turn). A verb, adjective or adverb the article lacks
// ("stuck", "placed", "quickly") is how a caller describes a topic; a noun it lacks
// ("refrigerators", "pizza") is usually another topic.
const PREDICATE_TAGS = new Set([
  'Verb', 'Infinitive', 'PastTense', 'PresentTense', 'Gerund', 'Participle', 'PhrasalVerb', 'Modal', 'Auxiliary',
  'Copula', 'Adjective', 'Comparative', 'Superlative', 'Adverb',
]);

function isPredicateWord(token: string): boolean {
  if (currentVocabulary().topical.has(token)) return false;
  return lexiconTags(token).some((tag) => PREDICATE_TAGS.has(tag));
}

// Every country compromise's lexicon knows ("canada", "japan", "uk") and its people ("italian") is the one term the
// vocabulary's `country` concept stands for, so a team need not list them; the caller's own
// country is not foreign.
const COUNTRY_TERM = 'countri';
// A people's name says the same ("the Italian VAT", "a Canadian address").
const HOME_COUNTRY = new Set(['us', 'usa', 'america', 'states', 'american', 'americans']);

function isForeignCountry(token: string): boolean {
  if (HOME_COUNTRY.has(token)) return false;
  return lexiconTags(token).some((tag) => tag === 'Country' || tag === 'Demonym');
}

const FUNCTION_TAGS = new Set(['Conjunction', 'Adverb', 'Preposition', 'Modal', 'Determiner', 'Pronoun']);

function isFunctionWord(word: string): boolean {
  return lexiconTags(word).some((tag) => FUNCTION_TAGS.has(tag));
}

export interface QuestionTerm {
  term: string;
  /** False when every word it came from is a verb, adjective or adverb. */
  topical: boolean;
  /** True when it is only said in a clause that sets the scene ("after I returned it"). */
  context: boolean;
  /** True when it is only said in a clause opened by "after", "if", "because" …: never what the question is about. */
  aside: boolean;
}

// Words that open a clause setting the scene of the question rather than asking it: in
// "when does my money come back after I return something" the question is the refund. Not
// "until": in "how many days until the refund hits my card" it opens what is asked.
const SCENE_OPENERS = new Set(['after', 'because', 'since', 'if', 'when', 'before', 'once', 'while', 'although', 'though']);

// "if I throw in a cable do I get free shipping": a question turns its verb before the
// subject ("do I", "will it"); where a clause does that after other words, what follows asks.
const INVERTED_QUESTION =
  /\b((?!(?:i|you|it|we|they|there|he|she|how|what|when|where|why|which|who|that)\b)[a-z0-9']+)\s+((?:do|does|did|can|could|will|would|is|are|should|am)\s+(?:i|you|it|we|they|there)\b)/gi;

/** Words after which "when", "if" … open the very thing asked about, not a scene. */
const ASKS_ABOUT_WHAT_FOLLOWS = new Set([
  'mean', 'means', 'happens', 'happen', 'do', 'does', 'should',
  // "tell me when my refund comes", "I was wondering if you ship to Canada": what follows is the question.
  'me', 'know', 'wondering', 'wonder', 'ask', 'asking', 'curious', 'explain', 'understand', 'check', 'see',
]);

// Words a clause that asks something opens with ("can I …", "is there …", "how long …");
// a clause that opens otherwise tells the caller's situation ("I bought earbuds last week").
const QUESTION_OPENERS = new Set([
  'can', 'could', 'do', 'does', 'did', 'is', 'are', 'was', 'were', 'will', 'would', 'should', 'shall', 'may', 'am',
  'has', 'have', 'how', 'what', 'whats', 'when', 'where', 'why', 'which', 'who', 'whos', 'whose', 'any', 'until',
]);
const DETERMINERS = new Set(['my', 'the', 'a', 'an', 'your', 'our', 'this', 'that', 'these', 'those', 'his', 'her', 'their', 'its']);
// Fillers and links a clause may start with before its first real word.
const CLAUSE_LEAD = new Set(['and', 'but', 'so', 'then', 'also', 'well', 'ok', 'okay', 'oh', 'hi', 'hello', 'hey', 'um', 'uh', 'just', 'please', 'now', 'honestly', 'anyway', 'like']);

/**
 * The distinct content terms of a question, each with whether it names a topic and whether it
 * only sets the scene. Two kinds of words set the scene: those of a clause opened by "after",
 * "because", "if" … ("when does my money come back after I return something"), and, in a
 * turn that both tells a situation and asks something ("I bought earbuds last week and I
 * don't like them, can I send them back"), those said only in the telling.
 */
export function questionTerms(text: string): QuestionTerm[] {
  const byTerm = new Map<string, { topical: boolean; scene: boolean; asking: boolean }>();
  let first = true;
  let asks = false;
  let tells = false;
  for (const clause of text.replace(INVERTED_QUESTION, '$1, $2').split(/[,;.!?]+|\b(?:and|but|so)\b/)) {
    const tokens = tokenize(clause);
    const at = tokens.findIndex((token) => !CLAUSE_LEAD.has(token));
    if (at < 0) continue;
    // "I don't like them" opens with "do" once "I" is dropped: a negation is a statement.
    const asking = QUESTION_OPENERS.has(tokens[at]!) && tokens[at + 1] !== 'not';
    let scene = false;
    let any = false;
    let previous = '';
    for (const token of tokens) {
      const before = previous;
      previous = token;

      // After "my", "the", "a" … a word the lexicon has as a verb is a noun: "my package", "the account".
      const named = DETERMINERS.has(before);
      // A question may open with "when" ("when is my card charged"): that one is the question;
      // so is the clause after "what does it mean when", "what do I do if", "what happens if".
      if (SCENE_OPENERS.has(token) && !first && !ASKS_ABOUT_WHAT_FOLLOWS.has(before)) scene = true;
      first = false;
      const term = processTerm(token);
      if (!term) continue;
      any = true;
      const seen = byTerm.get(term);
      byTerm.set(term, {
        topical: (seen?.topical ?? false) || named || !isPredicateWord(token),
        scene: (seen?.scene ?? true) && scene,
        asking: (seen?.asking ?? false) || (asking && !scene),
      });
    }
    // "…, is that true" or "what now" asks nothing of its own: then the telling is the question.
    if (asking && any) asks = true;
    if (!asking && any) tells = true;
  }
  const situation = asks && tells;
  return [...byTerm].map(([term, { topical, scene, asking }]) => ({ term, topical, context: scene || (situation && !asking), aside: scene }));
}
