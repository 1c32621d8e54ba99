// What the caller wants, from the intent classifier trained on resources/nlu/ (no
// network): an intent name with the classifier's confidence, the queue (skill) a person
// would need if it came to that, and whether the request is about the caller's own account
// (which needs verification first).
import type { QueueSkill } from '../../../contracts/conversation';
import { sharedIntentModel, type IntentModel } from '../nlu/intent-model';
import { normalizeUtterance, queueFor } from '../policy/caller-text';

export type IntentName =
  | 'greeting'
  | 'goodbye'
  | 'affirm'
  | 'deny'
  | 'order_status'
  | 'list_orders'
  | 'create_ticket'
  | 'callback'
  | 'account_details'
  | 'verify'
  | 'human'
  | 'question';

export interface Intent {
  name: IntentName;
  queue: QueueSkill;
  /** True when answering discloses something from the caller's account. */
  accountSpecific: boolean;
  /** The classifier's confidence, 0..1 (for "question", the confidence of whatever it guessed). */
  confidence: number;
  /** How typical of the intent the turn's most telling word is, 0..1 (intent-model.ts); absent when not classified. */
  evidence?: number;
}

/**
 * Below this classifier confidence an utterance is not trusted to be a request we act on
 * (an account lookup, a goodbye that hangs up): it is treated as a question for the
 * knowledge base, and when that does not know either, the turn counts as unanswered.
 * On the held-out test splits no right answer scores below it (90% score 0.84 or more),
 * but the classifier's few mistakes are confident too (0.7 to 1.0): the threshold catches
 * input the model knows little about, not its confusions. Actions that cannot be taken
 * back ask for more (STRICTER below).
 */
export const INTENT_CONFIDENCE_THRESHOLD = 0.5;

// One reading of caller text for the policy and the local brain alike (policy/caller-text.ts).
export { normalizeUtterance, queueFor } from '../policy/caller-text';

/**
 * Intents that need a surer classification: "goodbye" hangs up, and a greeting in front of
 * a question ("hey, can you ship to Canada") must not swallow the question.
 */
const STRICTER: Record<string, number> = { goodbye: 0.85, greeting: 0.75 };

/**
 * Intents whose action cannot be taken back also need a word typical of them (the
 * classifier's `evidence`): the network can be sure "i'm in college" or "i'm a gold member"
 * is a goodbye because "i'm" opens "i'm done", and hanging up on a caller mid-question is the
 * worst mistake it can make. "bye", "that's it", "talk to you later" all carry such a word.
 */
const EVIDENCE_NEEDED: Record<string, number> = { goodbye: 0.4 };

/**
 * Intents that act (open a ticket, book a callback, read out the caller's details) also need a word of the action itself:
 * the network reads "what about the gift card" as a ticket and "y'all bring packages on
 * sundays?" as a callback from the shape of the turn, and a ticket or a callback nobody asked
 * for is a side effect, not a wrong answer.
 */
const ACTION_WORDS: Partial<Record<IntentName, RegExp>> = {
  create_ticket:
    /\b(ticket|(open|create|file|raise|log|start|make) (a |an |up a )?(support |new )?case|case (opened|open|started)|report|reported|log|logged|(?<!on )file|filed|complaint|record|note|noted|write|raise|submit|register|escalate|look into|incident|on record|issue|problem)\b/,
  // "does this phone call get saved", "an email I can write to instead of calling", "this is a test call": no call asked for.
  callback:
    /\b(call|ring|phone|buzz) (me|us|back|later|tomorrow)\b|\bcall ?backs?\b|\b(give|get) (me|us) a (call|ring)\b|\breturn(ed)? (my |the )?call\b|\bbe called\b|\b(someone|somebody|agent|person|team|support|staff|you|they|people) (to )?(call|ring|phone)\b|\bget back to (me|us)\b|\b(reach|contact) (me|us)\b|\bset up a call\b|\ba call (from|with)\b/,
  // "I already tried all that, it doesn't help" is no goodbye: one says so.
  goodbye:
    /\b(that'?s|thats|that is|that'?ll be|that will be) (all|it|everything)\b|\ball (set|good)\b|\b(i'?m|im|we'?re|were) (done|good|finished)\b|\bnothing else\b|\b(bye|goodbye|thanks|thank|thx|ty|cheers|gracias|adios|merci|danke|tschuss|obrigado|tchau|ciao)\b|\btake care\b|\b(talk|speak) (to|with) you later\b|\bsee (you|ya)\b|\blet you go\b|\bhang up\b|\b(call|try) (back|again)\b|\banother time\b|\bhave a (good|nice|great|lovely)\b|\b(all|what) i (needed|wanted)\b|\bnever ?mind\b/,
  // Wanting a person always names one, or what the caller is tired of: "can you tell me about
  // both of them" is not a request for a person, however the network reads its shape.
  human:
    /\b(person|persons|people|human|humans|agent|agents|rep|reps|representative|representatives|operator|operators|someone|somebody|anyone|anybody|manager|managers|supervisor|boss|staff|employee|employees|worker|associate|specialist|individual|real|live|actual|transfer|connect|talk|speak|speaking|talking|robot|robots|bot|bots|machine|machines|computer|computers|automated|automation|recording|ai|service|support|team|lady|guy|man|woman|escalate|department|press|zero|0)\b/,
  // Reading out the caller's name and email answers only a question about their details:
  // "so what am I supposed to do about the box that never showed up" is not one.
  account_details:
    /\b(account|name|email|e-mail|address|phone|number|profile|details?|info|information|tier|level|membership|member|points|balance|password|login|log in|sign(ed)? up|register(ed)?|on file|birth|birthday|zip|contact|who am i|about me|on me|for me)\b/,
};

/**
 * "gaming headset status please" is no yes: a yes or a no with two words no yes, no or hello line uses has
 * a word typical of it ("yeah that'd be good" 0.33, "that's correct" 0.25); below this share
 * the network guessed from "please", and its runner-up is what the caller asked.
 */
const ACKNOWLEDGEMENT_EVIDENCE = 0.2;

/** A turn that asks ("what charge level should they have", "can i get that back"): never a goodbye. */
const QUESTION_FORM =
  /\?|\b(how|what|whats|when|whens|where|wheres|why|which|who|whether)\b|\b(can|could|would|will|should|do|does|did|is|are|am|has|have) (i|you|we|it|they|he|she|that|this|there|my|the|y'?all|u|those|these)\b/;
const SAYS_BYE = /\b(bye|goodbye|adios|tchau|tschuss|au revoir|hang up|take care)\b/;
const CLEAR_GOODBYE =
  /\b(bye|goodbye|bye bye|byebye|have a (good|nice|great|lovely) (one|day|night|evening|weekend)|take care|(that'?s|thats|that is|that'?ll be) (all|everything)|that'?s what i needed|thats what i needed|(all|everything) i needed|i'?m all set|im all set)\b/;
/** "that's what I needed", "have a good one": closings whose "what" or "have" asks nothing. */
const SAYS_DONE = /\b(that'?s|thats) what i (needed|wanted)\b|\bhave a (good|nice|great|lovely) (one|day|night|evening|weekend)\b/g;
const SMALL_TALK = /\bhow (are|r) (you|ya|u)\b|\bhow('s| is) it going\b|\bhow (you|ya) doing\b/;
const SMALL_TALK_WORDS = new Set(['hi', 'hello', 'hey', 'hiya', 'good', 'morning', 'afternoon', 'evening', 'how', 'are', 'r', 'you', 'ya', 'u', 'doing', 'today', 'going', "how's", 'hows', 'is', 'it', 'there', 'oh', 'and', 'so', 'well', 'thanks', 'thank']);
/** A terse question ("hours?", "return policy?"): longer ones are read by the classifier. */
const TERSE_WORDS = 2;
/** Words of a yes or a no: "ok?" and "really?" are acknowledgements, "hours?" is not. */
const ACKNOWLEDGEMENT_WORDS = new Set(['yes', 'yeah', 'yep', 'yup', 'ok', 'okay', 'k', 'sure', 'right', 'really', 'alright', 'no', 'nope', 'nah', 'correct', 'true', 'great', 'cool', 'fine', 'hello', 'hi', 'hey', 'huh', 'what', 'sorry', 'pardon', 'so', 'oh']);
/** "sending back earbuds already opened ok?", "clearance stuff returnable or no": a question that ends in a yes or no word. */
const ASKS_YES_OR_NO = /\?\s*$|\bor (no|not)\s*$/;

// Words callers open a turn with before the request itself: "ok so how many points do I need".
const LEADING_WORDS = /^(?:(?:ok(?:ay)?|so|and|well|um+|uh+|alright|all right|right|hey|hi|hiya|howdy|hello|hola|oh|yeah|yes|sure|great|cool|thanks|thank you|perfect|sorry|excuse me|pardon)\b[\s,.!]*)+/i;
/** What "ok", "yes", "hi" … are classified as: no request of their own. */
const ACKNOWLEDGEMENTS = new Set<IntentName>(['affirm', 'deny', 'greeting']);

// A turn that asks something ("I want you to delete everything you have on me, how long does
// that take", "are you guys hiring right now") is neither a goodbye nor a yes, however sure
// the classifier is: hanging up on it or answering "great" leaves the caller unanswered.
const ASKS_SOMETHING = /\b(did (it|they|my|the|you) |how (long|much|many|soon|often|do|does|can|would)|what (time|is|are|does|do|happens|would)|when (is|are|do|does|will|can|would)|where (is|are|do|does|can)|why (is|are|do|does|did|can))\b/;
const WANTS_TO_KNOW = /\bi (just |only )?(want|wanted|need|needed|would like|'d like) to (know|ask|check)\b|\bi('m| am| was|m) (just |only )?wondering\b/;
const MORE_TO_ASK =
  /\b(don'?t|do not|dont) (hang up|go)\b|\b(one|a couple|two) more (question|thing)s?\b|\banother (question|thing)\b|\b(hold|hang) on\b|\bbefore (you|i) go\b|\bnot done\b/;
const OPENS_AS_QUESTION = /^(are|is|do|does|did|can|could|will|would|what|how|when|where|why|which|who|have|has)\b/;

const GOES_ON_ASKING = /^(and|but|so|or) (if|what|how|when|where|why|which|can|could|do|does|is|are|will|would|should)\b/;

/** "Just tell me, yes or no": how the caller wants the answer, not an answer. */
const YES_OR_NO = /\b(yes or no|yes no|yes\/no)\b/gi;

export function detectIntent(fullText: string): Intent {
  const said = normalizeUtterance(fullText);
  const words = said.split(/[^a-z0-9']+/).filter(Boolean);
  // "k thx bye", "great thats all, have a good one": a goodbye in words the network half knows.
  if (CLEAR_GOODBYE.test(said) && !asksInAClause(said.replace(SAYS_DONE, ' ')) && !MORE_TO_ASK.test(said) && words.length <= 10) {
    return { name: 'goodbye', queue: queueFor(fullText), accountSpecific: false, confidence: 1 };
  }
  // "hi! how are you today?": small talk, answered as a greeting.
  if (SMALL_TALK.test(said) && words.filter((w) => !SMALL_TALK_WORDS.has(w)).length === 0) {
    return { name: 'greeting', queue: queueFor(fullText), accountSpecific: false, confidence: 1 };
  }
  const found = readIntent(fullText);
  // "hours?", "refund?": one word asked is a question, not a yes.
  if (ACKNOWLEDGEMENTS.has(found.name) && words.length <= TERSE_WORDS && /\?\s*$/.test(fullText) && words.some((w) => !ACKNOWLEDGEMENT_WORDS.has(w))) {
    return { name: 'question', queue: queueFor(fullText), accountSpecific: false, confidence: found.confidence };
  }
  // However the turn was read ("hi um, i sent back some ear tips, did that go through"), one
  // that asks something is not a goodbye: hanging up on a question is the worst mistake.
  if (found.name === 'goodbye' && (QUESTION_FORM.test(said) || WANTS_TO_KNOW.test(said)) && !SAYS_BYE.test(said)) {
    return { name: 'question', queue: queueFor(fullText), accountSpecific: false, confidence: found.confidence };
  }
  return found;
}

/** "Perfect, I'll do that. That's everything, thanks!" asks nothing; "that's all, can you tell me the hours" does. */
function asksInAClause(said: string): boolean {
  return /\?|\b(how|what|whats|when|whens|where|wheres|why|which|who|whether)\b/.test(said) || said.split(/[,.;!]+/).some((clause) => OPENS_AS_QUESTION.test(clause.trim().replace(LEADING_WORDS, '')));
}

function readIntent(fullText: string): Intent {
  const text = fullText.replace(YES_OR_NO, ' ');
  const found = classify(text);
  const said = normalizeUtterance(text);
  // "Oh wait, one more thing before you go": the call goes on, and the question is still to come.
  if (MORE_TO_ASK.test(said) && !ASKS_SOMETHING.test(said) && !/\b(what|whats|when|where|how|why|which|who|can|could|do|does|is|are)\b|[?:]/.test(said + text) && said.split(' ').length <= 10 && found.name !== 'human') {
    return { name: 'affirm', queue: found.queue, accountSpecific: false, confidence: found.confidence };
  }
  const asks =
    (found.name === 'goodbye' && ASKS_SOMETHING.test(said)) ||
    // "and if none of that works", "but what if it's still dead": a question going on from the last answer.
    (ACKNOWLEDGEMENTS.has(found.name) && GOES_ON_ASKING.test(said)) ||
    (ACKNOWLEDGEMENTS.has(found.name) && (OPENS_AS_QUESTION.test(found.name === 'greeting' ? said : said.replace(LEADING_WORDS, '')) || ASKS_YES_OR_NO.test(text.trim())) && said.split(' ').length >= 4);
  if (asks) return { name: 'question', queue: queueFor(text), accountSpecific: false, confidence: found.confidence };
  // "Thanks. Don't hang up yet, I've got one more question": the call goes on.
  if (found.name === 'goodbye' && MORE_TO_ASK.test(said)) return { name: 'affirm', queue: found.queue, accountSpecific: false, confidence: found.confidence };
  if (!ACKNOWLEDGEMENTS.has(found.name) && found.name !== 'question') return found;
  // "no worries, I'm not angry, I just want to know how many days I have to return a speaker":
  // the request starts where the asking does.
  const asking = WANTS_TO_KNOW.exec(said) ?? ASKS_SOMETHING.exec(said);
  if (asking && asking.index > 0 && found.name !== 'question') {
    const request = classify(said.slice(asking.index));
    return ACKNOWLEDGEMENTS.has(request.name) ? { name: 'question', queue: queueFor(text), accountSpecific: false, confidence: request.confidence } : request;
  }
  // "ok so how many points do I need" is a question that opens with an acknowledgement: when
  // the rest is a request of its own (three words or more), the rest is what the caller wants.
  const rest = text.replace(LEADING_WORDS, '');
  if (rest === text || rest.trim().split(/\s+/).length < 3) return found;
  const request = classify(rest);
  // A weak guess at the whole turn ("hiya, just wondering about my earbuds") yields to what the rest asks for.
  if (found.name === 'question') return ACKNOWLEDGEMENTS.has(request.name) || request.name === 'question' ? found : request;
  return request.name !== 'question' || request.confidence >= INTENT_CONFIDENCE_THRESHOLD ? request : found;
}

function classify(text: string): Intent {
  const model = sharedIntentModel();
  let { intent, confidence, evidence } = model.classify(text);
  // The words as said and as the model reads them: "cna i tlak to a persn" names a person too.
  const said = `${normalizeUtterance(text)} ${model.typoCorrections(text).join(' ')}`;
  // "The app says delivered but there's no box at my door, what am I supposed to do" is no
  // question about the caller's details: of the other intents, the likeliest (an order).
  const ruledOut = new Set<string>();
  // ("Like which country?" after a question is a clarification of it, not a request of its own.)
  const spoken = normalizeUtterance(text).split(' ').filter(Boolean).length;
  const unlikeAcknowledgement = said.split(/[^a-z0-9']+/).filter((w) => w && !acknowledgementWords(model).has(w)).length;
  const weakAcknowledgement = (name: string, share: number): boolean =>
    (name === 'affirm' || name === 'deny') && unlikeAcknowledgement >= 2 && spoken >= 4 && share < ACKNOWLEDGEMENT_EVIDENCE;
  while (((ACTION_WORDS[intent as IntentName] && !ACTION_WORDS[intent as IntentName]!.test(said)) || weakAcknowledgement(intent, evidence)) && ruledOut.size < 2) {
    ruledOut.add(intent);
    const next = model.classify(text, ruledOut);
    intent = next.intent;
    evidence = next.evidence;
    // The runner-up takes the place with its own share of what is left.
    confidence = Math.min(confidence, next.confidence);
  }
  const definition = model.definitions.get(intent);
  const needed = Math.max(INTENT_CONFIDENCE_THRESHOLD, STRICTER[intent] ?? 0);
  const action = ACTION_WORDS[intent as IntentName];
  if (!definition || confidence < needed || evidence < (EVIDENCE_NEEDED[intent] ?? 0) || !isBuiltIn(definition.intent) || (action && !action.test(said))) {
    // Unknown words, a weak guess, or a team's own intent the brain has no handler for:
    // the knowledge base gets the question; a person gets the team's queue if it comes to that.
    const queue = definition && confidence >= needed && !isBuiltIn(definition.intent) ? definition.queue : queueFor(text);
    return { name: 'question', queue, accountSpecific: false, confidence };
  }
  return { name: definition.intent, queue: definition.queue, accountSpecific: definition.accountSpecific, confidence, evidence };
}

/** Every word of the corpus's yes, no and hello lines: a turn with two words none of them uses ("headset status") asks something else. */
let ackWords: { model: IntentModel; words: Set<string> } | undefined;
function acknowledgementWords(model: IntentModel): Set<string> {
  if (ackWords?.model !== model) {
    const lines = [...ACKNOWLEDGEMENTS].flatMap((name) => model.definitions.get(name)?.utterances ?? []);
    ackWords = { model, words: new Set(lines.flatMap((line) => normalizeUtterance(line).split(/[^a-z0-9']+/).filter(Boolean))) };
  }
  return ackWords.words;
}

const BUILT_IN = new Set<string>([
  'greeting', 'goodbye', 'affirm', 'deny', 'order_status', 'list_orders', 'create_ticket', 'callback',
  'account_details', 'verify', 'human', 'question',
] satisfies IntentName[]);

function isBuiltIn(name: string): name is IntentName {
  return BUILT_IN.has(name);
}

