// How the caller sounds, from the `sentiment` library (the AFINN-165 word list, with its
// English negation rule: "not happy" counts against, "not bad" for), plus the few words
// and phrases of angry callers that a general word list scores too mildly or not at all.
// Enough to notice an angry caller and hand them to a person, and to describe the
// caller's mood to the agent.
import Sentiment from 'sentiment';

const analyzer = new Sentiment();

// Call-centre anger AFINN underrates: "furious" is -3 there, as mild as "ridiculous".
const EXTRAS: Record<string, number> = {
  furious: -4,
  livid: -4,
  outraged: -4,
  unacceptable: -3,
  incompetent: -3,
  pathetic: -3,
  scam: -3,
  useless: -3,
  joke: -2,
  robot: -1,
  fedup: -3,
  sickof: -3,
  timewaste: -3,
  hadenough: -3,
  // A caller who has called again and again goes to a person: the automated path failed them before.
  calledagain: -4,
  nobodycalled: -2,
  donewaiting: -2,
  repeated: -2,
  unbelievable: -2,
  stillnothing: -1,
  longhold: -3,
  circles: -3,
  sohard: -3,
  youpeople: -2,
  lateagain: -2,
  longwait: -2,
  nothappy: -4,
  notsarcasm: -4,
  // Said to be polite ("sorry, bad line"), not in distress.
  sorry: 0,
  // "I'm starting to worry": concern, not anger.
  worry: -1,
  worried: -1,
  worrying: -1,
  whatineeded: -1,
  // A slip ("oops, wrong apartment number") and a device that died are what happened, not how the caller feels about us.
  oops: 0,
  dead: -1,
  // Polite, formal distress: "I am extremely disappointed", "I feel let down".
  deeplydisappointed: -3,
  letdown: -3,
  // "I've been a loyal customer for years": how a complaint opens, not praise.
  loyalcustomer: 0,
  // "This is a complete joke": contempt for the service.
  completejoke: -4,
  demandrefund: -2,
  // "The headphones kill the hum of the AC": what the noise cancelling does, not violence.
  kill: -1,
  kills: -1,
};
// Phrases the library's one-word list cannot see, joined into one token it scores.
const PHRASES: Array<[RegExp, string]> = [
  [/\bfed up\b/g, 'fedup'],
  [/\bsick (and tired )?of\b/g, 'sickof'],
  [/\bwaste of (my )?time\b/g, 'timewaste'],
  [/\b(had|have had|i've had) enough\b/g, 'hadenough'],
  // Callers worn down by the service rather than angry in words: "I have called four times",
  // "nobody ever rang me back", "I'm done waiting".
  [/\bcalled( you| here| in)?( \w+)? (times|days in a row)\b/g, 'calledagain'],
  [/\b(nobody|no one|no-one)( \w+)? (did|called|calls|rang|rings|got back|gets back|answered|answers|responded|replied)\b/g, 'nobodycalled'],
  [/\b(done|tired of|sick of) waiting\b/g, 'donewaiting'],
  // "This is the third time I'm calling", "I've given it three times already", "I'm not
  // giving you my zip code again", "two weeks and still nothing", "forty minutes on hold".
  [/\b(third|fourth|fifth|sixth|3rd|4th|5th|umpteenth|hundredth|millionth) time\b/g, 'calledagain'],
  [/\b(given|told|gave|said|explained) (it|you|that|this)( \w+){0,3} (twice|(three|four|five|six|\d+|several|many|multiple) times)\b/g, 'repeated'],
  [/\bnot (giving|telling|repeating|saying) (you )?(it|that|this|my [\w ]{1,20}?) again\b/g, 'repeated'],
  [/\bstill (nothing|no \w+|waiting|hasn'?t|haven'?t|not)\b/g, 'stillnothing'],
  [/\b(minutes|hours|ages|forever) on hold\b|\bon hold for( \w+)? (minutes|hours|ages|forever)\b/g, 'longhold'],
  [/\b(nobody|no one|no-one) (can|could|will|would) (tell|help|explain|fix)\b/g, 'nobodycalled'],
  // "You're wasting my time", "going around in circles", "why is this so hard", "I've had it
  // with you people", "late again", "waiting three weeks": worn down by the service.
  [/\bwast(e|es|ed|ing) (my|our) time\b/g, 'timewaste'],
  [/\b(going|go|went|run|running|sent) (a)?round in circles\b|\bround and round\b/g, 'circles'],
  [/\bwhy (is|does) (this|it|that|everything) (have to be |so )+(hard|difficult|complicated)\b/g, 'sohard'],
  [/\b(i've|ive|i have|i) had it with\b/g, 'hadenough'],
  [/\byou people\b/g, 'youpeople'],
  [/\b(late|delayed|broken|missing|wrong) again\b/g, 'lateagain'],
  [/\bwaiting (for )?(over |almost |nearly |about )?(\w+ )?(weeks|months)\b/g, 'longwait'],
  [/\bnot (happy|pleased|satisfied) at all\b/g, 'nothappy'],
  [/\b(extremely|very|so|really|deeply|completely|utterly|truly|incredibly|bitterly|hugely|terribly) disappointed\b/g, 'deeplydisappointed'],
  [/\b(let|letting) (me |us )?down\b/g, 'letdown'],
  [/\b(loyal|long[- ]time|longtime|regular) customer\b/g, 'loyalcustomer'],
  [/\b(complete|total|absolute|utter|such a|what a) (joke|farce|disgrace|nightmare|mess|rip ?off)\b/g, 'completejoke'],
  [/\bmoney back (now|today|immediately|right now|right away)\b/g, 'demandrefund'],
  // "Oh great, another robot. Just what I needed today."
  [/\b(just|exactly|precisely) what i (needed|wanted)\b/g, 'whatineeded'],
  // "Thanks a lot, that's super helpful. Not.": praise taken back.
  [/\b(helpful|useful|great|thanks a lot|wonderful|brilliant)\W+not\b\W*$/g, 'notsarcasm'],
  // "Sorry, bad line": the connection, not the mood; "noise cancelling" is a feature.
  [/\bbad (line|connection|signal|reception)\b/g, 'line'],
  [/\b(noise|sound)[ -]?cancel\w*|\bcancel\w* (noise|sound)\b/g, 'anc'],
];
/** Complaints about the service itself: praise said beside one is sarcasm. */
const SERVICE_COMPLAINTS = new Set([
  'longhold', 'robot', 'calledagain', 'repeated', 'timewaste', 'donewaiting', 'nobodycalled', 'circles', 'sohard', 'lateagain', 'longwait', 'youpeople',
  'notsarcasm',
]);
// "My old headphones were terrible, so what do yours do?": a sentence about something the caller
// had before, or another brand, and not about us, is no complaint to us.
const ABOUT_SOMETHING_ELSE = /\b(old|previous|former|other brands?|another brand|competitor'?s?)\b/;
const ABOUT_US = /\b(you|your|yours|you're|youre|y'all|this company|brightline)\b/;

/** A turn longer than this is scored by the density of its mood words, not their sum. */
const LONG_TURN_WORDS = 60;
/** Longer turns are cut: the mood shows in the first words, and scoring stays fast. */
const MAX_CHARS = 2000;

export type Mood = 'upset' | 'negative' | 'neutral' | 'positive';

export interface SentimentScore {
  score: number;
  mood: Mood;
  /** The words that made the turn negative, for the escalation detail. */
  words: string[];
}

export function scoreSentiment(text: string): SentimentScore {
  const clipped = text.slice(0, MAX_CHARS);
  let normalized = clipped
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .split(/(?<=[.?!])\s+/)
    .filter((sentence) => !(ABOUT_SOMETHING_ELSE.test(sentence) && !ABOUT_US.test(sentence)))
    .join(' ');
  for (const [pattern, token] of PHRASES) normalized = normalized.replace(pattern, token);
  const result = analyzer.analyze(normalized, { extras: EXTRAS });
  const negatives = result.calculation.flatMap((entry) => Object.entries(entry).filter(([, v]) => v < 0));
  const words = negatives.map(([w]) => w);
  // "Oh great, another robot. Fantastic. Exactly what I needed after forty minutes on hold":
  // praise beside a complaint about the service itself is sarcasm, and only the complaint counts.
  // Each word of that praise counts against.
  const sarcastic = words.some((w) => SERVICE_COMPLAINTS.has(w)) && result.positive.length > 0;
  let score = sarcastic ? negatives.reduce((sum, [, v]) => sum + v, 0) - result.positive.length : result.score;
  // A long, calm story gathers a few sad words ("problem", "unfortunately", "broke") without
  // the caller being upset: past LONG_TURN_WORDS the words count by their density.
  const spoken = clipped.split(/\s+/).filter(Boolean).length;
  if (spoken > LONG_TURN_WORDS) score = Math.round((score * LONG_TURN_WORDS) / spoken);
  // Shouting is a signal too: several words in capitals or a run of exclamation marks, and a
  // whole sentence in capitals more so.
  const capitals = clipped.match(/\b[A-Z]{3,}\b/g)?.length ?? 0;
  if (capitals >= 2 || /!{2,}/.test(clipped)) score -= capitals >= 6 ? 2 : 1;
  const mood: Mood = score <= -4 ? 'upset' : score <= -2 ? 'negative' : score >= 2 ? 'positive' : 'neutral';
  return { score, mood, words };
}
