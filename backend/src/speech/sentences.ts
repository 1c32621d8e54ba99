// Splits a reply into the sentences TTS synthesizes one at a time. The first sentence is what
// the caller hears first, so a boundary must be right ("Mr. Lee", "$89.50", "e.g." are not
// boundaries) and a run-on reply without punctuation must still be cut into speakable pieces.

/** A sentence longer than this is cut at a clause break (comma, semicolon, colon, dash). */
export const DEFAULT_MAX_SENTENCE_CHARS = 200;

export interface SentenceSplitOptions {
  maxChars?: number;
}

// Lower-cased, without the dot. A dot after these never ends a sentence.
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'ft', 'no', 'nos', 'vs', 'etc',
  'e.g', 'i.e', 'approx', 'dept', 'est', 'inc', 'ltd', 'co', 'corp', 'ave', 'blvd', 'rd', 'apt',
  'ste', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun', 'ref', 'acct', 'tel',
]);

const TERMINATORS = '.!?…';
const CLOSERS = '"\')]}’”»';

function isUpper(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

function isLower(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ch.toUpperCase() && ch === ch.toLowerCase();
}

/** The word right before position `end` (exclusive), including inner dots ("e.g"). */
function wordBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && /[\p{L}\p{N}.]/u.test(text[start - 1] ?? '')) start--;
  return text.slice(start, end);
}

/**
 * Decides whether the terminator run text[start..end) followed by whitespace ends a sentence.
 * `next` is the first non-space character after it.
 */
function endsSentence(text: string, start: number, end: number, next: string | undefined): boolean {
  const run = text.slice(start, end);
  if (/[!?]/.test(run)) return true;
  if (next === undefined) return true;
  const isEllipsis = run.length > 1 || run === '…';
  // "Well... let me check" trails off mid-sentence; "One moment... Okay, found it." does not.
  if (isEllipsis) return !isLower(next);
  const word = wordBefore(text, start);
  if (ABBREVIATIONS.has(word.toLowerCase())) return false;
  // A single capital is an initial ("J. Smith"); a.m./p.m. end a sentence only before a capital.
  if (/^\p{Lu}$/u.test(word)) return false;
  if (/^(?:[ap]\.m|[ap]m)$/i.test(word)) return isUpper(next);
  // "approx. five", "the no. 4 bus": a lower-case continuation means the dot was not an end.
  return !isLower(next);
}

function splitLong(sentence: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    // Prefer the last clause break within the limit, as long as the piece is not tiny;
    // otherwise the first one past it; a comma-less run-on is cut at a space.
    const breaks = [...rest.matchAll(/[,;:—–](?=\s)/g)].map((m) => (m.index ?? 0) + 1);
    const minPiece = Math.floor(maxChars / 3);
    let cut = [...breaks].reverse().find((b) => b <= maxChars && b >= minPiece);
    cut ??= breaks.find((b) => b > maxChars && b <= maxChars * 1.5);
    if (cut === undefined) {
      const space = rest.lastIndexOf(' ', maxChars);
      cut = space >= minPiece ? space : rest.indexOf(' ', maxChars);
    }
    if (cut <= 0) break;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Splits text into trimmed, non-empty sentences in reading order. Line breaks also split. */
export function splitSentences(text: string, opts: SentenceSplitOptions = {}): string[] {
  const maxChars = opts.maxChars ?? DEFAULT_MAX_SENTENCE_CHARS;
  const sentences: string[] = [];
  let sentenceStart = 0;

  const push = (end: number): void => {
    const s = text.slice(sentenceStart, end).replace(/\s+/g, ' ').trim();
    if (s) sentences.push(...splitLong(s, maxChars));
    sentenceStart = end;
  };

  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '\n') {
      push(i);
      i++;
      continue;
    }
    if (!TERMINATORS.includes(ch)) {
      i++;
      continue;
    }
    const runStart = i;
    while (i < text.length && TERMINATORS.includes(text[i] ?? '')) i++;
    const runEnd = i;
    while (i < text.length && CLOSERS.includes(text[i] ?? '')) i++;
    // A dot inside a token ("89.50", "example.com") is not followed by whitespace.
    if (i < text.length && !/\s/.test(text[i] ?? '')) continue;
    let j = i;
    while (j < text.length && /[ \t]/.test(text[j] ?? '')) j++;
    const next = j < text.length && text[j] !== '\n' ? text[j] : undefined;
    if (endsSentence(text, runStart, runEnd, next)) push(i);
  }
  push(text.length);
  return sentences;
}

/**
 * Incremental splitting for replies that arrive in pieces (a streaming model): push() returns
 * the sentences that are certainly complete; the last, possibly unfinished one is held until
 * more text or flush().
 */
export interface SentenceStream {
  push(chunk: string): string[];
  flush(): string[];
}

export function createSentenceStream(opts: SentenceSplitOptions = {}): SentenceStream {
  let buffer = '';
  return {
    push(chunk) {
      buffer += chunk;
      const sentences = splitSentences(buffer, opts);
      if (sentences.length <= 1) return [];
      const held = sentences[sentences.length - 1] ?? '';
      // Keep the unfinished tail verbatim (its spacing matters for the next boundary decision).
      const tailAt = buffer.lastIndexOf(held.slice(0, Math.min(held.length, 20)));
      buffer = tailAt >= 0 ? buffer.slice(tailAt) : held;
      return sentences.slice(0, -1);
    },
    flush() {
      const sentences = splitSentences(buffer, opts);
      buffer = '';
      return sentences;
    },
  };
}
