// Card numbers and social security numbers never leave a caller's mouth or keypad in clear.
// This module finds them in text — typed ("4111 1111 1111 1111", "4111-1111-…"), keyed
// (a run of keypad digits), spoken one digit at a time as a recognizer writes it ("four one
// one one …", with its homophones "for", "to", "oh", "won", "ate") — and masks them:
//
//   card (Luhn-valid, 13–19 digits)  →  ************1111   (one * per hidden digit, last four kept)
//   SSN (123-45-6789, or nine digits said as a social security number)  →  ***-**-6789
//
// It is applied at every choke point (caller input before the conversation and the brain,
// the session store's append for every string of every event, captions, partial transcripts,
// the logger) so a miss in one place is caught by the next. It errs toward masking, but only
// digits that are shaped like a card (one run, card-style groups, or spoken one by one) and
// pass the Luhn check are masked, so order ids, phone numbers, zip codes, dates and 16-digit
// numbers that fail Luhn stay readable (verification reads zips and dates of birth).
// Numbers read across several turns: spoken-card-groups.ts. Keypad tones and paused stretches
// in recordings: media/recording-guard.ts. The rules in prose: docs/security.md.

/** What a masked span was. */
export type RedactionKind = 'card' | 'ssn';

export interface Redaction {
  text: string;
  found: RedactionKind[];
}

const MIN_CARD_DIGITS = 13;
const MAX_CARD_DIGITS = 19;

const DIGIT_WORDS: Record<string, string> = {
  zero: '0', oh: '0', o: '0', owe: '0', nought: '0',
  one: '1', won: '1',
  two: '2', to: '2', too: '2',
  three: '3', tree: '3',
  four: '4', for: '4', fore: '4',
  five: '5', six: '6', seven: '7',
  eight: '8', ate: '8',
  nine: '9',
};
const HOMOPHONES = new Set(['oh', 'o', 'owe', 'won', 'to', 'too', 'tree', 'for', 'fore', 'ate']);
const REPEATS: Record<string, number> = { double: 2, triple: 3 };
/** Hesitations a recognizer writes inside a spoken number; they do not end it. */
const FILLERS = new Set(['uh', 'um', 'er', 'ah', 'erm', 'hmm']);
/** Only spaces, commas and dashes may sit between the parts of one number. */
const JOINER = /^[\s,\-‐-―]*$/;
/** Words that make a nine-digit number a social security number. */
const SSN_CONTEXT = /\b(?:ssn|social(?:\s+security)?|tax\s*id)\b|\bss\s*#/i;

interface DigitToken {
  start: number;
  end: number;
  digits: string;
  spoken: boolean;
  /** A word that is also an ordinary word ("for", "to", "oh"): at the edge of a run it may not be a digit. */
  homophone?: boolean;
}

/** The Luhn (mod 10) check every payment card number passes. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** `************1111`: one star per hidden digit, the last four kept for the agent to confirm. */
export function maskCard(digits: string): string {
  return '*'.repeat(Math.max(0, digits.length - 4)) + digits.slice(-4);
}

/** `***-**-6789`: the usual SSN display, last four kept. */
export function maskSsn(digits: string): string {
  return `***-**-${digits.slice(-4)}`;
}

/** Whether nine digits could be an issued SSN (never 000/666/9xx, group 00 or serial 0000). */
function ssnShaped(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = digits.slice(0, 3);
  return area !== '000' && area !== '666' && area[0] !== '9' && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

/**
 * Digit runs of the text with their positions: typed numbers not glued to letters, spoken
 * digits and their homophones, "double"/"triple"; fillers ride along; anything else ends a run.
 */
function digitRunsWithSpans(text: string): DigitToken[][] {
  const runs: DigitToken[][] = [];
  let run: DigitToken[] = [];
  let lastEnd = -1;
  let repeat: { times: number; start: number } | undefined;
  const close = () => {
    if (run.length > 0) runs.push(run);
    run = [];
    repeat = undefined;
  };
  for (const match of text.matchAll(/[A-Za-z']+|\d+/g)) {
    const start = match.index;
    const end = start + match[0].length;
    if (lastEnd >= 0 && !JOINER.test(text.slice(lastEnd, start))) close();
    lastEnd = end;
    const token = match[0];
    if (/^\d/.test(token)) {
      // "ORD123…" or "a1b2": part of an identifier, not a number someone read out.
      if (/[A-Za-z_]/.test(text[start - 1] ?? '') || /[A-Za-z_]/.test(text[end] ?? '')) {
        close();
        continue;
      }
      if (repeat) close();
      run.push({ start, end, digits: token, spoken: false });
      continue;
    }
    const word = token.toLowerCase();
    const times = REPEATS[word];
    if (times !== undefined) {
      repeat = { times, start };
      continue;
    }
    const digit = DIGIT_WORDS[word];
    if (digit !== undefined) {
      run.push({ start: repeat?.start ?? start, end, digits: digit.repeat(repeat?.times ?? 1), spoken: true, homophone: HOMOPHONES.has(word) && !repeat });
      repeat = undefined;
      continue;
    }
    if (FILLERS.has(word) && run.length > 0) continue;
    close();
  }
  close();
  return runs;
}

/** One typed number, spoken digits, or typed groups the way cards are printed (4-4-4-4, 4-6-5). */
function cardShaped(tokens: DigitToken[]): boolean {
  if (tokens.length === 1) return true;
  if (tokens.every((t) => t.spoken || t.digits.length === 1)) return true;
  if (tokens.some((t) => t.spoken)) return false;
  const lengths = tokens.map((t) => t.digits.length);
  const last = lengths.at(-1) ?? 0;
  if (lengths.slice(0, -1).every((l) => l === 4) && last >= 1 && last <= 4) return true;
  const joined = lengths.join('-');
  return joined === '4-6-5' || joined === '4-6-4';
}

interface Span {
  start: number;
  end: number;
  replacement: string;
  kind: RedactionKind;
}

/** Digits read one by one (spoken, or typed with a space between each): judged as a whole. */
function readDigitByDigit(run: DigitToken[]): boolean {
  return run.every((t) => t.spoken || t.digits.length === 1);
}

/**
 * A number read digit by digit is a card only as a whole — give or take a homophone at either
 * end ("… for one one …") or an expiry date or security code read on after it — never as an
 * arbitrary slice of a longer run: slices of a 16-digit number would pass Luhn by chance one
 * time in three.
 */
function spokenCardSpan(run: DigitToken[]): Span | undefined {
  let first = 0;
  while (first < run.length - 1 && run[first]!.homophone) first++;
  let last = run.length - 1;
  while (last > first && run[last]!.homophone) last--;
  const windows: Array<[number, number]> = [
    [0, run.length - 1],
    [first, run.length - 1],
    [0, last],
    [first, last],
  ];
  // A card read straight on into its expiry date or security code ("… one one one one one two
  // two nine"): the first fifteen or sixteen digits, when three or four are left over.
  for (let j = first; j < last; j++) {
    const head = run.slice(first, j + 1).reduce((n, t) => n + t.digits.length, 0);
    const tail = run.slice(j + 1, last + 1).reduce((n, t) => n + t.digits.length, 0);
    if ((head === 15 || head === 16) && tail >= 3 && tail <= 4) windows.push([first, j]);
  }
  for (const [i, j] of windows) {
    const digits = run
      .slice(i, j + 1)
      .map((t) => t.digits)
      .join('');
    if (digits.length >= MIN_CARD_DIGITS && digits.length <= MAX_CARD_DIGITS && luhnValid(digits)) {
      return { start: run[i]!.start, end: run[j]!.end, replacement: maskCard(digits), kind: 'card' };
    }
  }
  return undefined;
}

/** Card numbers inside one run: the longest valid window of whole groups from the left, then onwards. */
function cardSpans(run: DigitToken[]): Span[] {
  if (readDigitByDigit(run)) {
    const span = spokenCardSpan(run);
    return span ? [span] : [];
  }
  const spans: Span[] = [];
  let i = 0;
  while (i < run.length) {
    let best: { j: number; digits: string } | undefined;
    let digits = '';
    for (let j = i; j < run.length; j++) {
      digits += run[j]!.digits;
      if (digits.length > MAX_CARD_DIGITS) break;
      if (digits.length >= MIN_CARD_DIGITS && luhnValid(digits) && cardShaped(run.slice(i, j + 1))) best = { j, digits };
    }
    if (best) {
      spans.push({ start: run[i]!.start, end: run[best.j]!.end, replacement: maskCard(best.digits), kind: 'card' });
      i = best.j + 1;
    } else {
      i++;
    }
  }
  return spans;
}

/**
 * A nine-digit run is an SSN when the text says so ("my social is …") or when it is all the
 * caller gave (an utterance or keyed entry of just those digits).
 */
function ssnSpan(run: DigitToken[], text: string): Span | undefined {
  const digits = run.map((t) => t.digits).join('');
  if (!ssnShaped(digits)) return undefined;
  const first = run[0]!;
  const last = run.at(-1)!;
  const lengths = run.map((t) => t.digits.length).join('-');
  const printed = !first.spoken && lengths === '3-2-4';
  const alone = text.slice(0, first.start).trim() === '' && /^[\s.!?#]*$/.test(text.slice(last.end));
  if (!printed && !alone && !SSN_CONTEXT.test(text)) return undefined;
  // Spoken or typed, but not a typed run mixing other groupings (a phone fragment, a date).
  if (!printed && !run.every((t) => t.spoken || t.digits.length === 1) && run.length !== 1) return undefined;
  return { start: first.start, end: last.end, replacement: maskSsn(digits), kind: 'ssn' };
}

/** Masks every card number and SSN in the text; the rest of the text is kept as written. */
export function redactText(text: string): Redaction {
  // Fast path: nothing here can hold nine digits.
  if (text.length < 9) return { text, found: [] };
  const spans: Span[] = [];
  for (const run of digitRunsWithSpans(text)) {
    const cards = cardSpans(run);
    spans.push(...cards);
    if (cards.length === 0) {
      const ssn = ssnSpan(run, text);
      if (ssn) spans.push(ssn);
    }
  }
  if (spans.length === 0) return { text, found: [] };
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + span.replacement;
    at = span.end;
  }
  out += text.slice(at);
  return { text: out, found: spans.map((s) => s.kind) };
}

/** A number this module masked (`************1111`, `***-**-6789`). */
export const MASKED_NUMBER = /\*{4,}\d{0,4}|\*{3}-\*{2}-\d{4}/g;

/**
 * The text with masked numbers blanked out, for readers of meaning (slot extraction): the
 * kept last four digits of a card are not an order number or a zip.
 */
export function withoutMaskedNumbers(text: string): string {
  return text.replace(MASKED_NUMBER, ' ');
}

/**
 * The digits of a text that is nothing but one number (typed or spoken digit by digit,
 * fillers allowed): "four one one one" → "4111". Anything else → undefined.
 */
export function digitsOnly(text: string): string | undefined {
  const runs = digitRunsWithSpans(text);
  const run = runs[0];
  if (runs.length !== 1 || !run) return undefined;
  const outside = text.slice(0, run[0]!.start) + text.slice(run.at(-1)!.end);
  if (!/^[\s.,!?#-]*$/.test(outside)) return undefined;
  return run.map((t) => t.digits).join('');
}

/** Just the masked text. */
export function redact(text: string): string {
  return redactText(text).text;
}

/**
 * A live partial transcript is a number still being read out: any run of twelve or more
 * digits is hidden whole (it may become a card in the next partial), not only finished cards.
 */
export function redactPartial(text: string): string {
  const masked = redact(text);
  const spans: Array<{ start: number; end: number }> = [];
  for (const run of digitRunsWithSpans(masked)) {
    const count = run.reduce((n, t) => n + t.digits.length, 0);
    if (count >= 12) spans.push({ start: run[0]!.start, end: run.at(-1)!.end });
  }
  let out = masked;
  for (const span of spans.reverse()) out = `${out.slice(0, span.start)}[digits hidden]${out.slice(span.end)}`;
  return out;
}

/**
 * Every string inside a value (event payloads, log objects) redacted. Returns the very same
 * value when nothing needed masking, so the common case allocates nothing.
 */
export function redactDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redact(value) as T;
  if (value === null || typeof value !== 'object' || depth > 12) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = redactDeep(item, depth + 1);
      if (next !== item) (copy ??= value.slice())[i] = next;
    });
    return (copy ?? value) as T;
  }
  // Only plain records: errors, buffers and class instances are left to their own printers.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const next = redactDeep(item, depth + 1);
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return (copy ?? value) as T;
}

/** What the caller typed, said or keyed, masked before anything reads it. */
export function redactCallerInput<T extends { kind: string; text?: string; digits?: string }>(input: T): T {
  if (input.text !== undefined) {
    const text = redact(input.text);
    return text === input.text ? input : { ...input, text };
  }
  if (input.digits !== undefined) {
    const digits = redact(input.digits);
    return digits === input.digits ? input : { ...input, digits };
  }
  return input;
}

// ── keypad entry ────────────────────────────────────────────────────────────────────────────

/** How long to wait for the next key once an entry looks like a card being keyed. */
export const CARD_ENTRY_INTERDIGIT_MS = 3_000;

/**
 * Keyed digits arrive one per carrier event; the call gathers them into one entry (ended by
 * `#` or a pause) so a card is masked as a whole. A caller reading a card off the plastic
 * pauses between groups, so an entry that has started like a card (four or more digits,
 * first digit 2–6: Mastercard, Amex/Diners/JCB, Visa, Mastercard, Discover) waits longer for
 * the next key than a menu choice would.
 */
export function keypadPauseMs(buffered: string, normalMs: number): number {
  const digits = buffered.replace(/\D/g, '');
  return digits.length >= 4 && digits.length < MAX_CARD_DIGITS && /^[2-6]/.test(digits)
    ? Math.max(normalMs, CARD_ENTRY_INTERDIGIT_MS)
    : normalMs;
}
