// Two requests in one turn ("where's my order, and can I return the paddle?"): where one
// ends and the next begins, each with its own intent, so the brain answers them in order.
import { detectIntent, INTENT_CONFIDENCE_THRESHOLD, normalizeUtterance, type Intent, type IntentName } from '../brain/intents';
import { contentTerms } from '../knowledge/text-analysis';
import { productWords } from './order-reference';

// Where one request ends and the next begins: a sentence end, or "and"/"also" before a new
// question or request ("…my order, and can I return the paddle?").
const REQUEST_BOUNDARY =
  /(?<=[.?!])\s+|(?:,|;)?\s+(?:and|also|plus)(?: also)?\s+(?=(?:can|could|how|what|what's|where|where's|when|when's|will|do|does|did|has|have|is|are|i'd|i want|i need|please|tell)\b)/i;
/** Intents that are not a request of their own ("thanks", "yes", "hi"). */
const NOT_A_REQUEST = new Set<IntentName>(['greeting', 'affirm', 'deny', 'verify']);

// A part that asks or requests something: a question word, an inverted question, a wish or an
// order ("can you", "I need", "please", "cancel …"). Anything else only tells the situation.
const REQUEST_FORM =
  /\b(how|what|whats|when|whens|where|wheres|why|which|who|whos|hows)\b|^(are|is|do|does|did|can|could|will|would|should|have|has|may|am)\b|\b(can|could|would|will|should|may) (you|i|we|u|it|they|he|she|someone|somebody)\b|\b(do|does|did|is|are|was|were) (you|i|it|there|they|that|this|my|the)\b|\bi (want|wanna|need|would like|'d like|d like|have to|must)\b|\b(please|tell me|let me know|help me|i'd like|id like)\b|^(cancel|check|send|open|change|update|reset|give|put|transfer|connect|get|find|look|track|refund|return|ship|book|schedule)\b/;

/**
 * The turn's sentences and "and"-joined requests, each a request: a part that only tells the
 * situation ("I just signed up for the rewards thing, I'm at the bottom level.") is said for
 * the question after it (or, at the end, the one before), not a request of its own.
 */
function requestParts(text: string): string[] {
  const parts = text
    .split(REQUEST_BOUNDARY)
    .map((p) => p.trim())
    .filter((p) => p.split(/\s+/).length >= 3);
  const merged: string[] = [];
  let told = '';
  for (const part of parts) {
    if (asks(part)) {
      merged.push(told ? `${told} ${part}` : part);
      told = '';
    } else {
      told = told ? `${told} ${part}` : part;
    }
  }
  if (told) {
    if (merged.length > 0) merged[merged.length - 1] = `${merged.at(-1)!} ${told}`;
    else merged.push(told);
  }
  return merged;
}

/** Both parts name a product and no product word is shared: two requests about two things. */
function namesOtherThings(first: string, second: string): boolean {
  const a = productWords(first);
  const b = productWords(second);
  return a.length > 0 && b.length > 0 && !a.some((w) => b.includes(w));
}

function asks(part: string): boolean {
  return /\?\s*$/.test(part) || REQUEST_FORM.test(normalizeUtterance(part));
}

/**
 * The sentences of a turn that ask, without those that tell the story around them ("The battery
 * on my old earbuds was horrible. How long do yours last?" → the second): what a search that
 * missed on the whole turn tries next. Empty when every sentence asks or none does.
 */
export function askingSentences(text: string): string {
  // "…it came two weeks ago, how long do I have to send something back?": a question after a comma is a sentence of its own.
  const sentences = text
    .split(/(?<=[.?!])\s+/)
    .flatMap(questionAfterStory)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const asking = sentences.filter(asks);
  return asking.length > 0 && asking.length < sentences.length ? asking.join(' ') : '';
}

// "…, anyway what I actually want to know is how many days I have": the words announcing the question are not part of it.
const QUESTION_AFTER_COMMA = /,\s+(?:(?:anyway|so|and|but|ok|okay)\s+)?(?:(?:what )?i (?:actually |really |just )?(?:want|wanted|need|needed) to know(?: is)?\s+)?(?=(?:so |and |but )?(?:how|what|what's|whats|when|where|why|which|can|could|do|does|is|are|will|would|should)\b)/i;
/** Words a story before the comma has at least ("seriously, what is the point" is one question). */
const STORY_WORDS = 5;

/**
 * A recognizer's transcript has no commas: "…theyre just not my style how long have i got to
 * send them back". A two-word question opening after a long story starts the question.
 */
const QUESTION_OPENING = /\s(?=(?:how (?:long|much|many|do|does|can|soon|often)|what (?:is|are|do|does|time|happens|if)|when (?:will|do|does|is|can|would)|where (?:do|does|is|can|are)|can (?:i|you|we|they)|do (?:i|you|they)|is (?:it|there)|are (?:you|there|they)|will (?:it|they|you|i))\b)/gi;
/** Words a story before an unpunctuated question has at least. */
const LONG_STORY_WORDS = 8;

/** A sentence split where a question follows a story after a comma (or, unpunctuated, after a long story). */
function questionAfterStory(sentence: string): string[] {
  const at = QUESTION_AFTER_COMMA.exec(sentence);
  if (at && sentence.slice(0, at.index).trim().split(/\s+/).length >= STORY_WORDS) return [sentence.slice(0, at.index), sentence.slice(at.index + at[0].length)];
  if (/[,;]/.test(sentence)) return [sentence];
  const opening = [...sentence.matchAll(QUESTION_OPENING)].find((m) => sentence.slice(0, m.index).trim().split(/\s+/).length >= LONG_STORY_WORDS);
  if (!opening || /^\s*(how|what|when|where|why|which|can|could|do|does|is|are|will|would|should)\b/i.test(sentence)) return [sentence];
  return [sentence.slice(0, opening.index), sentence.slice(opening.index + 1)];
}

/** The separate requests in one turn, each with its intent; one entry when there is one. */
export function splitRequests(text: string): Array<{ text: string; intent: Intent }> {
  if (text.length > 500) return [{ text, intent: detectIntent(text) }];
  const parts = requestParts(text);
  if (parts.length < 2) return [{ text, intent: detectIntent(text) }];
  const requests = parts.map((p) => ({ text: p, intent: detectIntent(p) }));
  const real = requests.filter(
    (r, i) =>
      !NOT_A_REQUEST.has(r.intent.name) &&
      r.intent.confidence >= INTENT_CONFIDENCE_THRESHOLD &&
      // "My last order. Where is it at right now?": a part with no word of its own asks about the one before.
      (i === 0 || contentTerms(r.text).length > 0) &&
      // "where my order is and when it will arrive" is one request said twice; "where's the
      // blender, and did the knife set arrive" names two things.
      (r.intent.name === 'question' || !requests.slice(0, i).some((p) => p.intent.name === r.intent.name && !namesOtherThings(p.text, r.text))),
  );
  // A goodbye beside a request is not one ("…nobody ever did. I'm done waiting around"): the
  // call ends only on a goodbye said on its own, and after the answers "anything else?" asks.
  const withoutGoodbye = real.filter((r) => r.intent.name !== 'goodbye');
  if (withoutGoodbye.length >= 2) return withoutGoodbye.slice(0, 3);
  return withoutGoodbye.length === 1 && real.length > 1 ? withoutGoodbye : [{ text, intent: detectIntent(text) }];
}
