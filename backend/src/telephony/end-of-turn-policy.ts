// Adaptive end of turn: how much silence ends the caller's turn, decided from the words heard
// so far (the recognizer's partial) and what the AI asked. A complete answer — a whole zip,
// "yes", a full question — ends after a short pause; a caller who trails off ("and", "um",
// "my order is") or is midway through a number gets the long one. Pure, so tests and the
// benchmark drive it directly.
import { digitRuns, extractDate } from '../brain/slots';
import type { ExpectedAnswer } from '../speech/types';

export interface EndOfTurnBounds {
  /** After a complete answer. */
  minMs: number;
  /** When the words say nothing either way. */
  defaultMs: number;
  /** After a trailing word or a number still being said. */
  maxMs: number;
}

/** Words after which a sentence cannot be over. */
const TRAILING = new Set([
  'and', 'or', 'but', 'so', 'because', 'um', 'uh', 'er', 'erm', 'hmm', 'like', 'the', 'a', 'an', 'my', 'your', 'our',
  'is', 'was', 'are', 'to', 'of', 'for', 'with', 'about', 'from', 'in', 'on', 'at', 'if', 'then', 'that', 'i', "i'm",
  'it', "it's", 'its', 'me', 'can', 'could', 'would', 'will', 'do', 'does', 'did', 'have', 'has', 'what', 'where', 'when',
  'how', 'why', 'which', 'who', 'this', 'these', 'those', 'some', 'any', 'number', 'code', 'well', 'actually',
]);
const DIGIT_WORD = new Set(['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'double', 'triple']);
const MONTHS = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']);
const ORDINAL = /(first|second|third|th)$/;
const YEAR_START = new Set(['nineteen', 'twenty', 'thousand', 'two']);
const QUESTION_START = new Set(['where', 'what', 'when', 'how', 'why', 'which', 'who', 'can', 'could', 'do', 'does', 'is', 'are', 'will', 'would']);
const COMPLETE_ALONE = [
  /^(hi|hello|hey)( there)?$/, /^good (morning|afternoon|evening)$/, /^(thanks|thank you)( (so|very) much)?$/,
  /^(bye|goodbye)$/, /^(agent|operator|representative)( please)?$/,
];
const YES_NO = new Set(['yes', 'yeah', 'yep', 'no', 'nope', 'sure', 'correct', 'right', 'okay', 'please', 'thanks', 'thank', 'you', "that's", 'all', 'it', 'good', "i'm"]);

function digitCount(text: string): number {
  return digitRuns(text).reduce((n, r) => n + r.length, 0);
}

function dateComplete(text: string): boolean {
  return extractDate(text) !== undefined;
}

/** The silence (ms) that should end the turn, given the words heard so far. */
export function endOfTurnSilenceFor(partial: string, expected: ExpectedAnswer, bounds: EndOfTurnBounds): number {
  const words = partial.toLowerCase().split(/[^a-z0-9']+/).filter(Boolean);
  if (words.length === 0) return bounds.defaultMs;
  const last = words[words.length - 1]!;
  const digits = digitCount(partial);
  const midNumber = DIGIT_WORD.has(last) || YEAR_START.has(last);

  if (expected === 'zip' || expected === 'zip-or-date') {
    if (digits === 5 && !(expected === 'zip-or-date' && YEAR_START.has(last))) return bounds.minMs;
    if (expected === 'zip-or-date' && dateComplete(partial)) return bounds.minMs;
    if (digits > 0 || midNumber) return bounds.maxMs;
  }
  if (expected === 'date') {
    if (dateComplete(partial) && !YEAR_START.has(last)) return bounds.minMs;
    if (digits > 0 || midNumber || words.some((w) => MONTHS.has(w) || ORDINAL.test(w))) return bounds.maxMs;
  }
  if (expected === 'order-id') {
    // Order ids run 3 to 8 digits: after four, the caller may be done or may go on.
    if (digits >= 4) return bounds.defaultMs;
    if (digits > 0 || midNumber) return bounds.maxMs;
  }
  if (expected === 'yes-no' && words.every((w) => YES_NO.has(w)) && !TRAILING.has(last)) return bounds.minMs;

  // Open speech, or an answer that left the grammar's ground.
  if (TRAILING.has(last) || midNumber) return bounds.maxMs;
  const joined = words.join(' ');
  if (COMPLETE_ALONE.some((re) => re.test(joined))) return bounds.minMs;
  if (QUESTION_START.has(words[0]!) && words.length >= 3) return bounds.minMs;
  return bounds.defaultMs;
}
