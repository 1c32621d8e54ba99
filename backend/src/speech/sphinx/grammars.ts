// The recognizer's expected-answer grammars (JSGF, as pocketsphinx's fsg search reads them):
// one per thing the AI can ask for. A grammar only wins when the open model also heard mostly
// its words (decoder-worker.mjs), so each grammar lists its vocabulary for that check.
import type { ExpectedAnswer } from '../types';

const DIGIT = 'zero | oh | one | two | three | four | five | six | seven | eight | nine';
const MONTH = 'january | february | march | april | may | june | july | august | september | october | november | december';
const UNIT = 'one | two | three | four | five | six | seven | eight | nine';
const TEEN = 'ten | eleven | twelve | thirteen | fourteen | fifteen | sixteen | seventeen | eighteen | nineteen';
const TENS = 'twenty | thirty | forty | fifty | sixty | seventy | eighty | ninety';
const ORD_UNIT = 'first | second | third | fourth | fifth | sixth | seventh | eighth | ninth';
const ORD_TEEN = 'tenth | eleventh | twelfth | thirteenth | fourteenth | fifteenth | sixteenth | seventeenth | eighteenth | nineteenth';

const NUMBER_RULES = `
<digit> = ${DIGIT};
<unit> = ${UNIT};
<teen> = ${TEEN};
<tens> = ${TENS};
<ordinal> = ${ORD_UNIT} | ${ORD_TEEN} | twentieth | twenty (${ORD_UNIT}) | thirtieth | thirty first;
<cardinal_day> = <unit> | <teen> | twenty [<unit>] | thirty [one];
<month> = ${MONTH};
<two_digits> = <tens> [<unit>] | <teen> | oh <unit>;
<year> = nineteen <two_digits> | twenty <two_digits> | two thousand [and] [<unit> | <teen> | twenty [<unit>]];
<day> = <ordinal> | <cardinal_day>;
<date> = [the] <day> of <month> <year> | <month> [the] <day> <year> | <digit> <digit> <digit> <digit> <year>;
<zip> = <digit> <digit> <digit> <digit> <digit>;
`;

const LEAD_IN = '[it is | it\'s | my | sure | yes | okay]';

const RULES: Record<Exclude<ExpectedAnswer, 'open'>, string> = {
  // A zip code is exactly five digits: a fixed length keeps the decoder from adding a digit
  // at either end, which was most of the (digit)+ grammar's errors.
  zip: `public <answer> = ${LEAD_IN} [zip [code] [is]] <zip>;`,
  date: `public <answer> = ${LEAD_IN} [date of birth [is] | birthday [is] | i was born [on]] <date>;`,
  'zip-or-date': `public <answer> = ${LEAD_IN} ([zip [code] [is]] <zip> | [date of birth [is] | birthday [is] | i was born [on]] <date>);`,
  'yes-no': `public <answer> = [<pre>] (yes | yeah | yep | no | nope | sure | correct | right | okay) [<post>] | that's (right | correct | all | it) [<post>] | <pre> [<post>];
<pre> = yes | yeah | no | nope | sure | okay | oh;
<post> = please | thanks | thank you | that's all | that's it | that's right | that's correct | i'm good | nothing else | it is | go ahead;`,
  'order-id': `public <answer> = ${LEAD_IN} [order [number] [is]] [o] <digit> <digit> <digit> <digit>+;`,
};

export const GRAMMAR_CONTEXTS = Object.keys(RULES) as Array<Exclude<ExpectedAnswer, 'open'>>;

/** JSGF source for each grammar context. */
export function grammarSources(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(RULES).map(([name, rule]) => [name, `#JSGF V1.0;\ngrammar ${name.replace(/-/g, '_')};\n${NUMBER_RULES}\n${rule}\n`]),
  );
}

/** Words that frame an answer ("my zip code is…") but are no evidence the answer was given. */
export const LEAD_IN_WORDS = ['it', 'is', "it's", 'my', 'sure', 'yes', 'okay', 'zip', 'code', 'date', 'of', 'birth', 'birthday', 'i', 'was', 'born', 'on', 'order', 'number', 'the', 'and', 'o'];

/** Words each grammar can produce (the recognizer's dictionary must hold them all). */
export function grammarWords(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, source] of Object.entries(grammarSources())) {
    const body = source
      .split('\n')
      .filter((l) => !l.startsWith('#') && !l.startsWith('grammar'))
      .join(' ')
      .replace(/<[a-z_]+>/g, ' ')
      .replace(/public/g, ' ');
    const words = body.split(/[^a-z']+/).filter((w) => w.length > 0);
    out[name] = [...new Set(words)];
  }
  return out;
}

/** What the open model writes for digits it half-hears ("eight two two" → "eight to two"):
 *  evidence for a number grammar too. Never words that mean something on their own ("agent"). */
const DIGIT_SOUNDALIKES = ['to', 'too', 'for', 'ate', 'won', 'owe', 'or'];

/** The words that show a caller is giving the grammar's answer (lead-in words left out). */
export function grammarEvidence(): Record<string, string[]> {
  const lead = new Set(LEAD_IN_WORDS);
  return Object.fromEntries(
    Object.entries(grammarWords()).map(([name, words]) => [
      name,
      name === 'yes-no' ? words : [...words.filter((w) => !lead.has(w)), ...DIGIT_SOUNDALIKES],
    ]),
  );
}
