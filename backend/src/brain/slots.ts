// Slot extraction from what a caller said: spoken or typed digits ("nine four one oh
// seven", "double seven"), zip codes, dates of birth in the ways people say them, order
// ids and phone numbers. Speech recognizers write numbers as words, so every extractor
// first turns number words into digits. Dates our reader cannot place are handed to
// compromise-dates (lazily: it costs milliseconds, so only turns that name a month pay).
import nlp from 'compromise';
import datesPlugin, { type DatesMethods } from 'compromise-dates';
import { withoutMaskedNumbers } from '../policy/redaction';

nlp.plugin(datesPlugin);

const DIGIT_WORDS: Record<string, string> = {
  zero: '0', oh: '0', o: '0', nought: '0', null: '0',
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
// Recognizers write some spoken digits as words that sound alike ("nine for one or seven").
const HOMOPHONES: Record<string, string> = { to: '2', too: '2', for: '4', won: '1', ate: '8', or: '0', owe: '0', tree: '3' };
const TEENS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17,
  eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};
const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11,
  nov: 11, december: 12, dec: 12,
};

export function tokenize(text: string): string[] {
  // A masked card's kept last four digits are not an order number, a zip or a date.
  return withoutMaskedNumbers(text)
    .toLowerCase()
    .replace(/[‐-―]/g, '-')
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/**
 * Every run of consecutive digits the caller gave, whether typed ("94107", "941-07") or
 * spoken one digit at a time ("nine four one oh seven", "double seven"). Runs are split by
 * any word that is not a digit. "to"/"for" count as digits only between other digits.
 */
export function digitRuns(text: string): string[] {
  const tokens = tokenize(text);
  const runs: string[] = [];
  let current = '';
  let repeat = 1;
  const flush = () => {
    if (current.length > 0) runs.push(current);
    current = '';
    repeat = 1;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === 'double' || token === 'triple') {
      repeat = token === 'double' ? 2 : 3;
      continue;
    }
    let digits: string | undefined;
    if (/^\d+$/.test(token)) digits = token;
    else if (token in DIGIT_WORDS && DIGIT_WORDS[token] !== '') digits = DIGIT_WORDS[token];
    else if (token in HOMOPHONES && current.length > 0 && isDigitToken(tokens[i + 1])) digits = HOMOPHONES[token];
    // "o" is a digit only among spoken digits ("four one o seven"), not the O of "O-1001".
    if (token === 'o' && (/^\d{2,}$/.test(tokens[i + 1] ?? '') || (current.length === 0 && !isDigitToken(tokens[i + 1])))) {
      digits = undefined;
    }
    if (digits === undefined) {
      flush();
      continue;
    }
    current += digits.repeat(repeat);
    repeat = 1;
  }
  flush();
  return runs;
}

function isDigitToken(token: string | undefined): boolean {
  if (token === undefined) return false;
  return /^\d+$/.test(token) || (token in DIGIT_WORDS && DIGIT_WORDS[token] !== '') || token === 'double' || token === 'triple';
}

/** All digits of the utterance joined, e.g. for DTMF-like entry of a phone number. */
export function allDigits(text: string): string {
  return digitRuns(text).join('');
}

/** A US zip code: a run of exactly five digits (spoken or typed). */
export function extractZip(text: string): string | undefined {
  // "4/12/85" is a date, not the zip 41285.
  if (/\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/.test(text)) return undefined;
  const runs = digitRuns(text);
  // "march 8 1982" is a birth date, not the zip 81982: a month said makes the digits a day and
  // a year (a zip typed as five digits beside it still counts).
  const typed = text.match(/(?<![\d/.-])\d{5}(?![\d/.-])/)?.[0];
  const namesMonth = monthNamed(text) !== undefined || /\bmay (the )?\d/i.test(text);
  if (!typed && namesMonth && extractDate(text)) return undefined;
  const exact = runs.find((r) => r.length === 5);
  if (exact) return exact;
  // Spoken digits are sometimes split by a pause word ("nine four one, uh, oh seven").
  const joined = runs.join('');
  if (joined.length === 5) return joined;
  // Or said in pairs: "ninety four one oh seven", "oh two one thirty four".
  const groups = spokenNumberGroups(text);
  const paired = groups?.map((g) => g.digits).join('');
  return paired?.length === 5 ? paired : undefined;
}

/**
 * Part of a zip code said on its own, the rest to follow after a pause ("nine eight one" …
 * "oh four"): its digits, when the turn is nothing but one to four digits.
 */
export function partialZip(text: string): string | undefined {
  if (extractZip(text) || extractDate(text)) return undefined;
  const tokens = tokenize(text).filter((t) => !ANSWER_FILLERS.has(t));
  const digits =
    tokens.length === 1 ? (/^\d{1,4}$/.test(tokens[0]!) ? tokens[0] : digitOf(tokens[0])) : spokenNumberGroups(text)?.map((g) => g.digits).join('');
  return digits !== undefined && /^\d{1,4}$/.test(digits) ? digits : undefined;
}

/** The day of the month a caller corrects a date to ("sorry, the fourth", "I mean 14th"), when that is all the turn says. */
export function correctedDay(text: string): number | undefined {
  const tokens = tokenize(text).filter((t) => !ANSWER_FILLERS.has(t) && !CORRECTION_FILLERS.has(t));
  const day = ordinalDay(tokens, 0);
  if (!day || day.used !== tokens.length || day.day < 1 || day.day > 31) return undefined;
  // A bare cardinal ("four") is too easily a digit of something else: only an ordinal or "the 4th".
  return /(st|nd|rd|th)$/.test(tokens.join(' ')) || tokens[0]! in ORDINALS ? day.day : undefined;
}
/** A date (ISO) moved to another day of its month, when that day exists in it ("sorry, the fourth"). */
export function onDay(iso: string, day: number): string | undefined {
  return isoDate(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), day);
}
/** The month a caller named ("april thirteenth… no sorry, the twelfth"), to carry into a correction that says only the day. */
export function monthNamed(text: string): string | undefined {
  return tokenize(text).find(isMonthWord);
}
/** The number of the month the text names (1–12), if it names one. */
export function monthNumberNamed(text: string): number | undefined {
  const month = monthNamed(text);
  return month === undefined ? undefined : MONTHS[month];
}
/** A month's name or abbreviation; not "may", which is more often the verb. */
function isMonthWord(token: string): boolean {
  return token in MONTHS && token !== 'may';
}
const CORRECTION_FILLERS = new Set(['oh', 'ah', 'um', 'sorry', 'no', 'not', 'wait', 'mean', 'meant', 'actually', 'oops', 'correction', 'day', 'i', 'said']);

// Words a caller wraps a spoken zip or date in ("uh it's", "my birthday is"): the rest must be numbers.
const ANSWER_FILLERS = new Set([
  'uh', 'um', 'er', 'its', 'it', 's', 'is', 'my', 'the', 'zip', 'zipcode', 'code', 'postal', 'date', 'of', 'birth', 'birthday',
  'born', 'on', 'i', 'was', 'dob', 'yeah', 'yes', 'ok', 'okay', 'sure', 'so', 'that', 'and', 'a', 'm',
]);

/** The digit a spoken digit word stands for ("oh" → "0"), if it is one. */
function digitOf(word: string | undefined): string | undefined {
  return word !== undefined && word in DIGIT_WORDS && DIGIT_WORDS[word] !== '' ? DIGIT_WORDS[word] : undefined;
}

/**
 * An answer said as spoken numbers in groups, each with the digits it stands for: "ninety
 * four" is 94, "oh four" is 04, "twelve" is 12, "nine" is 9, "two thousand" is 2000. Only
 * when the turn is nothing but numbers and the words around an answer.
 */
function spokenNumberGroups(text: string): Array<{ value: number; digits: string }> | undefined {
  const tokens = tokenize(text).filter((t) => !ANSWER_FILLERS.has(t));
  if (tokens.length < 2) return undefined;
  const groups: Array<{ value: number; digits: string }> = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (next === 'thousand' && digitOf(t) !== undefined) {
      // "two thousand", "two thousand one", "two thousand and five".
      const after = tokens[i + 2] === 'and' ? i + 3 : i + 2;
      const said = tokens[after];
      const unit = said === undefined ? undefined : (TEENS[said] ?? (said !== 'oh' && said !== 'o' && digitOf(said) !== undefined ? Number(digitOf(said)) : undefined));
      const value = Number(digitOf(t)) * 1000 + (unit ?? 0);
      groups.push({ value, digits: String(value) });
      i = unit === undefined ? i + 1 : after;
    } else if (t in TENS) {
      const unit = digitOf(next);
      const value = TENS[t]! + (unit !== undefined && next !== 'oh' && next !== 'o' && next !== 'zero' ? Number(unit) : 0);
      if (value !== TENS[t]) i += 1;
      groups.push({ value, digits: String(value) });
    } else if (t in TEENS) {
      groups.push({ value: TEENS[t]!, digits: String(TEENS[t]) });
    } else if ((t === 'oh' || t === 'o') && digitOf(next) !== undefined && next !== 'oh' && next !== 'o') {
      groups.push({ value: Number(digitOf(next)), digits: `0${digitOf(next)}` });
      i += 1;
    } else if (digitOf(t) !== undefined) {
      groups.push({ value: Number(digitOf(t)), digits: digitOf(t)! });
    } else if (/^\d{1,4}$/.test(t)) {
      groups.push({ value: Number(t), digits: t });
    } else return undefined;
  }
  return groups;
}

/** "ten twenty seven ninety three", "oh four twelve eighty five", "twelve one two thousand": month, day, year as spoken numbers. */
function spokenNumericDate(text: string): string | undefined {
  const groups = spokenNumberGroups(text);
  if (!groups || groups.length < 3 || groups.length > 4) return undefined;
  const [month, day, ...rest] = groups as [{ value: number; digits: string }, { value: number; digits: string }, ...Array<{ value: number; digits: string }>];
  // The year is said as two digits ("ninety three", "oh one"), four ("two thousand"), or a
  // century and two digits ("nineteen ninety three"); "nine four one" is digits, not a date.
  const [first, second] = rest;
  const year =
    rest.length === 1 && first!.digits.length === 4
      ? first!.value
      : rest.length === 1 && first!.digits.length === 2
        ? birthYear(first!.value)
        : rest.length === 2 && (first!.value === 19 || first!.value === 20) && second!.digits.length === 2
          ? first!.value * 100 + second!.value
          : undefined;
  return year === undefined ? undefined : isoDate(year, month.value, day.value);
}

/** A phone number as E.164 (assumes +1 for ten-digit North American numbers). */
export function extractPhone(text: string): string | undefined {
  const plus = text.match(/\+\d[\d\s().-]{7,18}\d/);
  if (plus) return '+' + plus[0].replace(/\D/g, '');
  const digits = allDigits(text);
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return undefined;
}

/** An order id such as O-1001, "order 1001" or "order number one zero zero one". */
export function extractOrderId(text: string): string | undefined {
  const direct = text.match(/\b[oO](?:\s*-\s*)?(\d{3,8})\b/);
  if (direct) return `O-${direct[1]}`;
  const tokens = tokenize(text);
  // Recognizers spell the id out: "o dash one zero zero four", "oh dash 1004".
  const dash = tokens.findIndex((t, i) => (t === 'o' || t === 'oh') && tokens[i + 1] === 'dash');
  if (dash >= 0) {
    const run = digitRuns(tokens.slice(dash + 2).join(' '))[0];
    if (run && run.length >= 3 && run.length <= 8) return `O-${run}`;
  }
  const at = tokens.findIndex((t) => t === 'order');
  if (at >= 0) {
    const said = tokens.slice(at + 1).filter((t) => t !== 'number' && t !== 'id' && t !== 'is' && t !== 'hash');
    // "order number o one zero zero six": the letter of the id, not a zero.
    const rest = (said[0] === 'o' || said[0] === 'oh') && said.length >= 4 ? said.slice(1) : said;
    const runs = digitRuns(rest.join(' '));
    const first = runs[0];
    if (first && first.length >= 3 && first.length <= 8) return `O-${first}`;
    // Said as numbers rather than digits: "order ten oh eight", "order one thousand and eight".
    const end = rest.findIndex((t) => !isNumberWord(t));
    const spoken = spokenNumberGroups(rest.slice(0, end < 0 ? rest.length : end).join(' '))?.map((g) => g.digits).join('');
    if (spoken && spoken.length >= 3 && spoken.length <= 8) return `O-${spoken}`;
  }
  return undefined;
}

/**
 * A cardinal number said in words, up to 9999 ("nineteen eighty five" → 1985,
 * "twenty twenty six" → 2026, "two thousand and one" → 2001, "twelve" → 12).
 */
export function parseNumberWords(words: string[]): number | undefined {
  if (words.length === 0) return undefined;
  const all = words.filter((w) => w !== 'and');
  // Years said as two pairs: "nineteen eighty five", "twenty oh one".
  const pairs = splitYearPairs(all);
  if (pairs) return pairs;
  let total = 0;
  let current = 0;
  let any = false;
  for (const w of all) {
    if (/^\d+$/.test(w)) {
      current += Number(w);
      any = true;
    } else if (w in TEENS) {
      current += TEENS[w]!;
      any = true;
    } else if (w in TENS) {
      current += TENS[w]!;
      any = true;
    } else if (w in DIGIT_WORDS && DIGIT_WORDS[w] !== '' && w !== 'o' && w !== 'oh') {
      current += Number(DIGIT_WORDS[w]);
      any = true;
    } else if (w === 'hundred') {
      current = (current || 1) * 100;
      any = true;
    } else if (w === 'thousand') {
      total += (current || 1) * 1000;
      current = 0;
      any = true;
    } else return undefined;
  }
  return any ? total + current : undefined;
}

function twoDigitWords(words: string[]): number | undefined {
  if (words.length === 1) {
    const w = words[0]!;
    if (w in TEENS) return TEENS[w];
    if (w in TENS) return TENS[w];
    return undefined;
  }
  if (words.length === 2) {
    const [a, b] = words as [string, string];
    if (a in TENS && b in DIGIT_WORDS && DIGIT_WORDS[b] !== '' && b !== 'o' && b !== 'oh' && b !== 'zero') {
      return TENS[a]! + Number(DIGIT_WORDS[b]);
    }
    if ((a === 'oh' || a === 'o') && b in DIGIT_WORDS && DIGIT_WORDS[b] !== '') return Number(DIGIT_WORDS[b]);
  }
  return undefined;
}

function splitYearPairs(words: string[]): number | undefined {
  if (words.length < 2 || words.length > 4) return undefined;
  for (let cut = 1; cut < words.length; cut++) {
    const hi = twoDigitWords(words.slice(0, cut));
    const lo = twoDigitWords(words.slice(cut));
    if (hi !== undefined && lo !== undefined && hi >= 10 && hi <= 20) return hi * 100 + lo;
  }
  return undefined;
}

function isNumberWord(w: string): boolean {
  return (
    /^\d+$/.test(w) ||
    w in TEENS ||
    w in TENS ||
    (w in DIGIT_WORDS && DIGIT_WORDS[w] !== '') ||
    w === 'hundred' ||
    w === 'thousand' ||
    w === 'and'
  );
}

function ordinalDay(tokens: string[], i: number): { day: number; used: number } | undefined {
  const t = tokens[i];
  if (t === undefined) return undefined;
  const numeric = t.match(/^(\d{1,2})(st|nd|rd|th)?$/);
  if (numeric) return { day: Number(numeric[1]), used: 1 };
  if (t in ORDINALS) return { day: ORDINALS[t]!, used: 1 };
  const next = tokens[i + 1];
  if (t in TENS && next !== undefined && next in ORDINALS && ORDINALS[next]! < 10) {
    return { day: TENS[t]! + ORDINALS[next]!, used: 2 };
  }
  if (t in TENS && next !== undefined && next in DIGIT_WORDS && DIGIT_WORDS[next] !== '') {
    return { day: TENS[t]! + Number(DIGIT_WORDS[next]), used: 2 };
  }
  if (t in TEENS) return { day: TEENS[t]!, used: 1 };
  if (t in TENS) return { day: TENS[t]!, used: 1 };
  if (t in DIGIT_WORDS && DIGIT_WORDS[t] !== '' && t !== 'o' && t !== 'oh') return { day: Number(DIGIT_WORDS[t]), used: 1 };
  return undefined;
}

function isOrdinalWord(token: string): boolean {
  return /^\d{1,2}(st|nd|rd|th)$/.test(token) || token in ORDINALS;
}

function readYear(tokens: string[], from: number): number | undefined {
  const words: string[] = [];
  for (let i = from; i < tokens.length && words.length < 5; i++) {
    const t = tokens[i]!;
    if (t === 'of' && words.length === 0) continue;
    if (!isNumberWord(t)) break;
    words.push(t);
  }
  if (words.length === 0) return undefined;
  if (words.length === 1 && /^\d{4}$/.test(words[0]!)) return Number(words[0]);
  if (words.length === 1 && /^\d{2}$/.test(words[0]!)) return birthYear(Number(words[0]));
  const year = parseNumberWords(words);
  return year !== undefined && year < 100 ? birthYear(year) : year;
}

/**
 * A two-digit year said for a date of birth ("seventy nine", "'85", "3/3/79"): the most
 * recent such year that is not in the future.
 */
export function birthYear(twoDigits: number, now: Date = new Date()): number {
  const current = now.getUTCFullYear();
  const century = Math.floor(current / 100) * 100;
  return century + twoDigits > current ? century - 100 + twoDigits : century + twoDigits;
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1) return undefined; // e.g. February 30th
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A calendar date as YYYY-MM-DD: "1985-04-12", "04/12/1985" (US order), "April 12th,
 * 1985", "the twelfth of April nineteen eighty five", "12 April 1985".
 */
export function extractDate(text: string): string | undefined {
  const iso = text.match(/\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/);
  if (iso) return isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const us = text.match(/\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b/);
  if (us) {
    const year = us[3]!.length === 2 ? birthYear(Number(us[3])) : Number(us[3]);
    return isoDate(year, Number(us[1]), Number(us[2]));
  }
  // "the third of March in seventy nine": "the" and "in" join a date's parts, never one of them.
  const tokens = tokenize(text).filter((t) => t !== 'the' && t !== 'in');
  for (let i = 0; i < tokens.length; i++) {
    const month = MONTHS[tokens[i]!];
    if (month === undefined) continue;
    if (tokens[i]! === 'may' || tokens[i]! === 'mar' || tokens[i]! === 'jun') {
      // Only a month when a day or year stands next to it ("may I" is not a date).
      if (!ordinalDay(tokens, i + 1) && !(i > 0 && ordinalDay(tokens, i - 1))) continue;
    }
    // Day first: "12 April 1985", "the twelfth of April 1985" (before month first, which
    // would read "April nineteen eighty five" as the 19th of April '85).
    // Longest first: "twenty third of June" is the 23rd, not the 3rd.
    // "the twenty third, September twenty third ninety": a month followed by an ordinal day says the day after it.
    const dayAfter = ordinalDay(tokens, i + 1);
    const saysDayAfter = dayAfter !== undefined && isOrdinalWord(tokens[i + dayAfter.used]!);
    for (let back = saysDayAfter ? 0 : Math.min(3, i); back >= 1; back--) {
      const start = i - back;
      const beforeTokens = tokens.slice(start, i).filter((t) => t !== 'of');
      const before = ordinalDay(beforeTokens, 0);
      if (before && before.used === beforeTokens.length) {
        const year = readYear(tokens, i + 1);
        if (year !== undefined) {
          const date = isoDate(year, month, before.day);
          if (date) return date;
        }
      }
    }
    // Then month first: "April 12th 1985", "april twelfth nineteen eighty five".
    const after = ordinalDay(tokens, i + 1);
    if (after) {
      const year = readYear(tokens, i + 1 + after.used);
      if (year !== undefined) {
        const date = isoDate(year, month, after.day);
        if (date) return date;
      }
      // Then year first: "1979, March 3rd", "nineteen seventy nine march the third".
      for (let back = Math.min(4, i); back >= 1; back--) {
        const yearTokens = tokens.slice(i - back, i);
        if (!yearTokens.every(isNumberWord) || !(yearTokens.length >= 2 || /^\d{2}(\d{2})?$/.test(yearTokens[0]!) || yearTokens[0]! in TENS)) continue;
        const year = readYear(yearTokens, 0);
        const date = year !== undefined && year >= 1900 ? isoDate(year, month, after.day) : undefined;
        if (date) return date;
      }
    }
  }
  const named = tokens.find(isMonthWord);
  return named ? libraryDate(text, MONTHS[named]!) : spokenNumericDate(text);
}

/**
 * Forms our reader does not know ("April the 12th, 1985", "on the 12th of April in 85"):
 * compromise-dates finds the month and day; the year must be said (a date of birth without
 * one is not a date of birth), as four digits or two.
 */
function libraryDate(text: string, namedMonth: number): string | undefined {
  const match = nlp<DatesMethods>(text.slice(0, 200)).dates({ timezone: 'UTC' }).json()[0] as
    | { text: string; dates?: { start?: string } }
    | undefined;
  const start = match?.dates?.start;
  if (!match || !start) return undefined;
  const month = Number(start.slice(5, 7));
  const day = Number(start.slice(8, 10));
  if (month !== namedMonth) return undefined;
  const numbers = (nlp(match.text).numbers().json() as Array<{ number?: { num?: number } }>)
    .map((n) => n.number?.num)
    .filter((n): n is number => n !== undefined && Number.isInteger(n));
  // The library clamps an impossible day ("February 30th" → the 28th): the day it read
  // must be one the caller said.
  if (!numbers.includes(day)) return undefined;
  const full = numbers.find((n) => n >= 1900 && n <= 2100);
  const short = numbers.filter((n) => n !== day && n >= 0 && n < 100).at(-1);
  const year = full ?? (short !== undefined ? birthYear(short) : undefined);
  return year === undefined ? undefined : isoDate(year, month, day);
}

const ASKS_A_QUESTION = /\b(how (long|much|many|do|does|can|fast|soon)|what|whats|when|where|why|which|can i|can you|do i|do you|is there|are there)\b/;
const ASKS_OF_ITS_OWN = /^(is|are|can|could|do|does|did|how|what|whats|when|where|why|which|will|would|should)$/;
const VERIFICATION_WORDS = new Set(['zip', 'zipcode', 'postal', 'postcode', 'code', 'born', 'birth', 'birthday', 'dob']);

/**
 * Whether an utterance we could not read as a zip or a date still looks like an attempt at
 * one (some digits, a month, "my zip is…"), as opposed to a new question.
 */
export function looksLikeVerificationAnswer(text: string): boolean {
  const tokens = tokenize(text);
  // "is there a way to get a code texted to me when i log in", "once i get one of those ten
  // dollar rewards how long can i sit on it": a question of its own, not a garbled answer.
  if (tokens.length >= 8 && ASKS_A_QUESTION.test(tokens.join(' '))) return false;
  // "random one, do you guys sell turntables?": a question with a stray number word is still a question.
  const digits = digitRuns(text).join('').length;
  if (digits > 0 && digits < 3 && tokens.length >= 5 && text.includes('?') && ASKS_A_QUESTION.test(tokens.join(' '))) return false;
  if (digits > 0) return true;
  if (tokens.length >= 5 && (ASKS_OF_ITS_OWN.test(tokens[0]!) || text.includes('?'))) return false;
  return tokens.some((t) => VERIFICATION_WORDS.has(t) || (t in MONTHS && t !== 'may' && t !== 'mar'));
}
