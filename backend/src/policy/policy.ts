// The policy every brain provider is wrapped in: who may hear what, when a person must
// take over, and what caller speech can never make the assistant do. These rules run in
// code around the provider, so a model cannot talk its way past them.
import type { EscalationReason } from '../../../contracts/conversation';
import type { Customer, Order, Ticket } from '../../../contracts/crm';
import type { CallerInput } from '../brain/brain';
import { normalizeUtterance } from './caller-text';

export interface PolicyConfig {
  /** Escalate when the AI has answered this many caller turns without a person. */
  maxTurns: number;
  /** Topics a person must handle, each with the words that reveal it. */
  policyTopics: Record<string, string[]>;
  maxVerificationFailures: number;
  /** Consecutive turns the brain could not answer before a person takes over. */
  lowConfidenceTurns: number;
}

export const DEFAULT_POLICY_TOPICS: Record<string, string[]> = {
  cancellation: ['cancel', 'cancellation', 'cancelling', 'canceling', 'close my account', 'call off the order', 'call off my order', 'calling off the order', 'calling off my order', 'call it off', 'call the order off', 'call my order off'],
  complaint: ['complaint', 'complain', 'file a grievance'],
  fraud: [
    'fraud', 'fraudulent', 'scam', 'unauthorized charge', 'unauthorised charge', 'stolen card', 'identity theft', "didn't make this purchase",
    'did not make this purchase', 'account in my name', 'never placed these orders', 'never placed this order', "didn't place these orders",
    "didn't place this order", 'card was stolen', 'card got stolen', 'wallet was stolen', 'wallet got stolen',
    // "I used my card to pay" is no fraud: only someone else using it.
    'someone used my card', 'somebody used my card', 'someone used my credit card', 'somebody used my credit card', 'charges i never made', "charges i didn't make", 'chargeback', 'charge back', 'dispute the charge',
    'disputing the charge', 'dispute a charge', 'disputing a charge', 'hacked', 'stole my card', 'stole my credit card',
    'stole my wallet', 'stole my identity', 'that i never made', 'that i did not make', "that i didn't make", 'i never authorized',
    "i didn't authorize", 'i did not authorize', 'i never made', 'dispute', 'my bank to dispute', 'dispute it with my bank', "charge i don't recognize", "charges i don't recognize", "don't recognize this charge",
  ],
  legal: ['lawyer', 'attorney', 'lawsuit', 'legal action', 'sue you', 'suing', 'take you to court', 'small claims'],
  // "My headset died" is a battery: only a person's death.
  bereavement: [
    'passed away', 'passed on', 'deceased', 'bereavement', 'funeral', 'late husband', 'late wife', 'late mother', 'late father',
    'husband died', 'wife died', 'mother died', 'father died', 'mom died', 'dad died', 'son died', 'daughter died', 'partner died',
  ],
};

/** What a person says first, before the handoff line, when a call raises a topic that hurts. */
export const POLICY_TOPIC_LEADS: Record<string, string> = {
  bereavement: "I'm so sorry for your loss.",
  fraud: "I'm sorry this happened. We'll get it looked at right away.",
};

export const DEFAULT_POLICY: PolicyConfig = {
  maxTurns: 20,
  policyTopics: DEFAULT_POLICY_TOPICS,
  maxVerificationFailures: 2,
  lowConfidenceTurns: 2,
};

// English, and the words for a person that Spanish, French, German and Portuguese callers
// use ("quiero hablar con una persona", "un agente", "einen Mitarbeiter bitte"): a caller who
// asks in another language is not kept with the assistant.
const HUMAN_REQUEST =
  /\b(agents?|humans?|person|representatives?|rep|operator|somebody real|someone real|real someone|customer service rep|agente|persona|humano|operador[a]?|personne|humain|op[eé]rateur|conseill[eè]re?|mitarbeiter(in)?|menschen?|berater(in)?|atendente)\b|\bpress(ed|ing)? (0|zero)\b|\b(talk|speak|chat) (to|with) (someone|somebody)\b|(?<!\b(my|our|his|her|their) )\b(manager|supervisor)s?\b|\b(who'?s|who is|whoever'?s|whoever is|someone|somebody) in charge\b(?! of)|\bput (someone|somebody|anyone|anybody)( \w+)? on\b|\b(member|members) of (your|the) (\w+ )?(team|staff)\b|\bstaff members?\b|\bone of your (staff|people|employees|team)\b|\b(get|find) me (someone|somebody|anyone|anybody)\b|\b(someone|somebody|anyone|anybody) (who|that) (will|can|knows|actually|does|understands)\b|\b(someone|somebody) (who|that) (isn'?t|is not|'s not|s not|isnt)\b|\b(prefer|rather (have|talk to|speak to|speak with)) (someone|somebody)\b|\b(transfer|connect|forward) me\b(?! to (the|your) (website|site|app|page))/g;
// "No need to get a person, I just want to know your hours": said right before the word for a
// person, these take the request back.
const DECLINED =
  /\b(no need (to|for)|(don'?t|do not|dont)( (need|want))?|without|rather not|not looking for)( (to|a|an|any|get|talk|speak|chat|with|me|a real)){0,4} ?$/;

// "A person at your store told her the warranty is two years", "the agent I spoke to said…":
// someone the caller met before, quoted, is not a request for one.
const REPORTED_BY = /\b(a|an|the|one of your|your|that|this|some|another|other)\s*$/;
const ASKS_WHAT_IT_IS = /\b(is this|is that|is it|are you|am i (talking|speaking) (to|with)|you'?re|youre|you are)( just| really| actually| even)?( a| an)?( real| live| actual)?\s*$/;
/** "Can I speak to the agent who said my refund was approved": that is a request for one. */
const ASKS_FOR = /\b(talk|speak|chat|get|want|need|connect|transfer|put|give|reach)\b/;
const REPORTED_SPEECH = /^( [\w']+){0,5}? (told|said|says|gave|promised|mentioned|sold|explained|claimed|swore)\b/;

/** The caller asked for a person: by saying so, or by pressing 0 (also "0#", "00": keys pressed in a hurry). */
export function asksForHuman(input: CallerInput): boolean {
  if (input.kind === 'dtmf') return /^[#*]*0[0#*]*$/.test(input.digits.trim());
  return personMentions(input.text).includes('asked');
}

/** The caller named a person only to say they need none ("no need to get a person, just tell me your hours"). */
export function declinesPerson(text: string): boolean {
  const mentions = personMentions(text).filter((m) => m !== 'reported');
  return mentions.length > 0 && mentions.every((m) => m === 'declined');
}

/** The caller named a person only as someone they quote or ask about ("the representative I talked to said…", "is this a real person?"). */
export function onlyMentionsPerson(text: string): boolean {
  const mentions = personMentions(text);
  return mentions.length > 0 && mentions.every((m) => m === 'reported');
}

/** The turn without its clauses that name a person ("I'd rather not talk to a human, what's the return window" → the question). */
export function withoutPersonClauses(text: string): string {
  const rest = text
    .split(/[,.;!?]+/)
    .map((clause) => clause.trim())
    .filter((clause) => clause.length > 0 && personMentions(clause).every((m) => m === 'reported'))
    .join(', ');
  return rest.length > 0 ? rest : text;
}

/** Each word for a person the caller said: asked for, declined, or someone they quote ("a person at your store told her"). */
function personMentions(text: string): Array<'asked' | 'declined' | 'reported'> {
  const said = normalizeUtterance(text);
  return [...said.matchAll(HUMAN_REQUEST)].map((match) => {
    const before = said.slice(Math.max(0, match.index - 40), match.index).split(/[,.;!?]/).at(-1) ?? '';
    const after = said.slice(match.index + match[0].length, match.index + match[0].length + 50);
    if (DECLINED.test(before)) return 'declined';
    // "Is this a real person?" asks what the caller is talking to (the brain answers that).
    if (ASKS_WHAT_IT_IS.test(before)) return 'reported';
    return REPORTED_BY.test(before) && REPORTED_SPEECH.test(after) && !ASKS_FOR.test(before) ? 'reported' : 'asked';
  });
}

// Product words that contain a topic word but raise no topic: "noise cancelling" is a feature
// of the headset, not a cancellation; "I cancelled my speaker, did that go through?" asks
// about one already made.
const NOT_A_TOPIC =
  /\b(noise|sound)[ -]?(cancel\w*)|\b(cancel\w*) (noise|sound)\b|\banc\b|\b(i|we|already|was|were|been|got|it's|its|is) (already )?cancel+ed\b(?=.*\b(through|thru|refund|refunded|status|did (it|that|you)|has (it|that)|is (it|that))\b)|\b(a|the|my|that|this) cancel+ed (order|item|one|purchase)\b|\b(i|we) (already )?cancel+ed\b|\b(i|we) (did|had|have|already) cancel\w*|\bhow (long|late|soon)\b[^.?!]{0,60}\bcancel\w*|\b(can|could|do) (you|i|we|y'?all) cancel (a|an|any) \w+/g;
// A topic word right after one of these is said not to apply: "no complaints there", "I'm not
// complaining", "never cancelled".
const NEGATED = /\b(no|not|never|without|nothing to|dont|don't|didnt|didn't|isnt|isn't|wasnt|wasn't)\s+(\w+\s+)?$/;

/** The first configured policy topic the caller raised, if any. */
export function matchPolicyTopic(text: string, topics: Record<string, string[]>): string | undefined {
  // Clause ends stay ("… I never made, somebody used my card"): a negation never reaches past one.
  const normalized = ` ${normalizeUtterance(text).replace(NOT_A_TOPIC, ' ').replace(/[,.;:!?]+/g, ' | ').replace(/[^a-z0-9'| ]+/g, ' ')} `;
  for (const [topic, words] of Object.entries(topics)) {
    for (const word of words) {
      const w = word.toLowerCase();
      // Whole words, with simple inflections ("cancelled", "suing").
      const re = new RegExp(`\\b${escapeRegExp(w)}(s|es|ed|d|ing|led|ling)?\\b`, 'g');
      for (const match of normalized.matchAll(re)) {
        if (!NEGATED.test(normalized.slice(Math.max(0, match.index - 30), match.index))) return topic;
      }
    }
  }
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface AccountFacts {
  customer?: Customer | undefined;
  orders?: Order[];
  tickets?: Ticket[];
}

/**
 * Customer-specific facts that appear in an AI message: the caller-ID candidate's name,
 * contact details, date of birth, orders and tickets. Used to stop any provider from
 * disclosing them before verification.
 */
export function findDisclosures(text: string, facts: AccountFacts): string[] {
  const haystack = text.toLowerCase();
  const found: string[] = [];
  const c = facts.customer;
  if (c) {
    for (const part of c.name.split(/\s+/).filter((p) => p.length >= 3)) {
      if (new RegExp(`\\b${escapeRegExp(part.toLowerCase())}\\b`).test(haystack)) found.push('name');
    }
    if (c.email && haystack.includes(c.email.toLowerCase())) found.push('email');
    if (c.zip && haystack.includes(c.zip)) found.push('zip');
    if (c.dob && haystack.includes(c.dob)) found.push('dob');
    if (c.tier && new RegExp(`\\b${escapeRegExp(c.tier.toLowerCase())} (tier|member|customer)`).test(haystack)) found.push('tier');
    if (c.notes && c.notes.length > 12 && haystack.includes(c.notes.toLowerCase().slice(0, 24))) found.push('notes');
  }
  for (const o of facts.orders ?? []) {
    if (haystack.includes(o.id.toLowerCase())) found.push('order');
    if (o.item.length >= 4 && haystack.includes(o.item.toLowerCase())) found.push('order_item');
  }
  for (const t of facts.tickets ?? []) {
    if (haystack.includes(t.id.toLowerCase())) found.push('ticket');
  }
  return [...new Set(found)];
}

export const ESCALATION_LINES: Record<EscalationReason, string> = {
  caller_request: "Of course. I'm connecting you with a person now. Please stay on the line.",
  negative_sentiment: "I'm sorry this has been frustrating. I'm connecting you with a person who can help right away.",
  low_confidence: "I'm not able to answer that well, so I'm connecting you with a person who can help.",
  policy_topic: 'A member of our team handles that personally, so I am connecting you with a person now.',
  verification_failed:
    "I wasn't able to verify your identity, so I'm connecting you with a person who can help you further.",
  ai_error: "I'm sorry, something went wrong on my side. I'm connecting you with a person now.",
  max_turns: "Let me connect you with a person who can help you further. Please stay on the line.",
  // The conversation says this in the caller's language itself (languages.ts, findPerson).
  language: "I'll find a person who speaks your language. Please stay on the line.",
};
