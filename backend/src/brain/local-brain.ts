// The local brain: decides AI turns with no network, from the trained intent classifier,
// slot extraction, order references, the CRM tools and knowledge-base retrieval. One
// instance per conversation (it remembers what it asked last and which orders it offered),
// so two calls never share its memory; the trained model it reads is shared and read-only.
import { primaryTag } from '../languages/languages';
import type { Order } from '../../../contracts/crm';
import type { BrainReply, BrainTurn, KnowledgeLookup, WholeTurnBrain } from './brain';
import { detectIntent, normalizeUtterance, queueFor, type Intent, type IntentName } from './intents';
import { answerFromArticle } from '../knowledge/answer-sentences';
import { askingSentences, splitRequests } from '../nlu/request-split';
import { describeOrder, spellOrderId } from './order-wording';
import { detectInjection } from '../policy/injection';
import { declinesPerson, onlyMentionsPerson, withoutPersonClauses } from '../policy/policy';
import { sharedIntentModel } from '../nlu/intent-model';
import { productWords, resolveOrderReference } from '../nlu/order-reference';
import { correctedDay, extractDate, extractOrderId, extractPhone, extractZip, looksLikeVerificationAnswer, monthNamed, onDay, partialZip } from './slots';

const VERIFY_PROMPT =
  'Before I can look at your account, I need to verify your identity. Please tell me the zip code or the date of birth on your account.';
const VERIFY_FOR_OWN_ORDER =
  "If you'd like me to look at your own order, please tell me the zip code or the date of birth on your account first.";
// "what am I supposed to do", "what happens now", "how long is this normally supposed to take",
// "can my package go to the new apartment", "am I still able to send it back", "will that happen
// with you", "is there any way to get it back": the caller asks how things work in their situation,
// which a policy article answers without their account. "Where is my order" asks for the
// account itself and gets only the verification prompt.
const ASKS_HOW_IT_WORKS =
  /\b(what (else )?(am i|are we|should i|should we|do i|do we|can i|happens)\b|(can|could|am|do|will|would) i (still )?(get|be able|send|return|use|have|keep|pay|trade|buy|replace|change|edit|update|switch)\b|\b(can|could) (the|my|an|a) \w+( \w+){0,3} (still )?be (changed|updated|edited|redirected|returned|exchanged)\b|\bhow (do|does) \w+( \w+){0,2} work\b|(will|would|do|does) (the|my|these|those|they|it) (headphones?|headset|earbuds?|buds|speakers?)? ?(work|connect|pair)\b|(will|would|does|did) (that|this) happen\b|is there (any|a) way\b|can (the|my|these|those|they|it) (headphones?|headset|earbuds?|speakers?|stay|connect|pair|work)\b|how long (until|till|before|after)\b|what's the process|what is the process|how does (it|this|that) work|how long (does|will|is|do|should|would)\b.*\b(take|normally|usually|supposed)\b|can (my|the|our) (package|parcel|order|delivery|box|shipment) (go|be sent|be delivered|be redirected|be rerouted)\b)/;
// Words by which a caller names their own account or order ("my order", "my package",
// "where is", "track", "the cushions I ordered", an order number): such a request is about the account even when the
// knowledge base also has an article on the topic.
const NAMES_OWN_ACCOUNT =
  /\b(my|our)\s+(?:\w+\s+){0,3}(order|orders|package|packages|parcel|delivery|shipment|stuff|account|purchase|purchases|tracking|item|items|box|email|address|details|info|information|profile|membership|points|balance|tier|status|name)\b|\b(where|wheres)\b|\bstatus\b|\b(the|this) (order|account)\b|\btrack(ing)?\b|\border (number|#)|\bon file\b|\b(has|have|did) (it|they|my|the order)\b|(?<!\bhave )\bi (ordered|bought|purchased|paid)\b|(?<!\b(long|time|days) have )\bi got\b(?! to\b)|\b(did|have|had) (i|we) (order|ordered|buy|bought|purchase|purchased|get)\b|\bwaiting (on|for)\b/;
const ASKS_WHAT_YOU_DO =
  /\b(do|does|will|would|can) (you|y'all|u|your company)( guys| folks| all| people)? (ever )?(ship|sell|deliver|accept|take|offer|charge|share|price ?match|match|send|ask for|rent|store|keep)\b|\bif (you|y'all)( guys| folks)? (ship|sell|deliver|accept|take|offer|charge|share|price ?match|match|send)\b/;
// The caller asks what they paid: "how much did I pay", "what did it cost me", "what was the total".
const ASKS_PRICE =
  /\bhow much (did|was|were|is|do|does) (i|we|it|they|that|this|the \w+|my \w+)\b|\bwhat (did|do) (i|we) (end up )?(pay|paying|spend)\b|\bwhat did (it|that|they) cost\b|\b(what was|what's|whats) (the|my) (total|price|cost|charge)\b|\b(get |got |was |were )?charged\b|\bi paid\b|\bcost me\b/;
// A follow-up about the order just discussed: "how much was it again", "what day was it dropped off".
const ABOUT_THAT_ORDER =
  /\bwhen (was|is|did|will|does) (it|that|they|this)\b|\b(it|that|they|them|that one|this one)\b.*\b(cost|costs|pay|paid|charged|price|total|delivered|dropped off|arrive|arrived|arriving|ship|shipped|come|coming)\b|\bhow much (was|were|is|did) (it|that|they)\b/;
// An order question the classifier may not know the words of: "where are my running shoes at",
// "did my snowshoes ship", "what did I pay for the blender".
const ASKS_ABOUT_OWN_ORDER =
  /\bdid (you|y'all|you guys) (get|receive|got) (it|them|my|our|the)\b|\bwhere('s| is| are|s|re)? (my|our|the) \w+|\b(did|has|have|is|are) (my|our) \w+( \w+)? (ship|shipped|arrive|arrived|come|came|get|gotten|go out|left|been)\b|\bwhen (will|is|are|does|do|did) (my|our) \w+|\b(is|are|did|has|have) (the|that|those|these) \w+( \w+){0,2} (coming|arriv\w*|ship|shipped|here|come|came|delivered|get here|gotten here|on (its|their|the) way)\b|\b(what|which) (was it|is it|one|thing|order|item)s? (that )?(got |was |were |has been )?(delivered|shipped|arrived|came)\b|\bwhen('s| is| are| will| does| do|s) (it|they|that|this) (coming|arriving|getting here|get here|ship|shipping|come|arrive|going to (come|arrive|ship|get here))\b/;
/** Whether something the caller sent back arrived: "did that go through", "has my return been processed", "did you get them". */
const ASKS_OWN_RETURN_PROGRESS =
  /\b(did|has|have|was|were|is) (that|it|this|my return|the return|they|them|those) (go|gone|went|going) (through|thru)\b|\b(has|have|was|were|is) (that|it|my return|the return|my refund|they|them) (been )?(received|processed|checked in)\b|\bi (sent|mailed|shipped|returned|dropped off)\b.*\bdid (you|y'?all|you guys) (get|receive|got)\b/;
/** "My daughter said a person at your store told her the warranty is two years, is that right?": the claim is the question. */
const CHECKS_A_CLAIM = /\b(?:told|tells|said|says|heard|read|claimed|claims|swears|swore)(?: (?:me|her|him|them|us))?(?: that)? ((?:(?!\b(?:told|said|says)\b).){8,}?)[,.]? (?:is that|is this|was that|is it|was it|are they) (?:right|true|correct|so|accurate)\b/;
/** Words of a caller telling something went wrong with an order, which a policy may say what to do about. */
const TELLS_TROUBLE = /\b(never|not|no|nothing|hasn'?t|haven'?t|hasnt|havent|didn'?t|didnt|isn'?t|wasn'?t|missing|lost|stolen|damaged|broken|crushed|smashed|late|delay\w*|wrong|stuck|says (it was )?delivered|but)\b/;
/** "Where is it?", "when's it coming", "did they ship": the question after a story asks about the order itself. */
const ASKS_ORDER_PROGRESS = /\b(where|when)\b|\b(ship|shipped|shipping|arriv\w*|deliver\w*|come|coming|came|track\w*|status|dispatch\w*|sent|show up|showed up)\b/;
/** Words of a request about the caller's own details: an account question always has one. */
const ABOUT_THE_CALLER = /\b(i|i'm|im|i've|ive|i'd|my|me|mine|myself|we|our|us)\b|\bon file\b|\baccount\b/;
/** Account requests a general question is most often mistaken for by the classifier. */
const ACCOUNT_REQUESTS = new Set<IntentName>(['order_status', 'list_orders', 'account_details']);
/** Intents that are never a pick from the orders we listed. */
const NOT_A_PICK = new Set<IntentName>(['human', 'create_ticket', 'callback', 'goodbye', 'account_details']);
const ASKS_ANOTHER_THING = /\b(return|refund|exchange|swap|cancel|warranty|send (it |them )?back|replace|replacement)\b/;
/** Order statuses the caller is still waiting on. */
const ON_THE_WAY = new Set(['shipped', 'processing', 'backordered']);
/**
 * Below this `evidence` no word of the turn is typical of the account request ("minimum",
 * "spend", "points" for an order status): the classifier guessed from the shape of the turn.
 * "when will my kayak arrive" (0.88) and "which email did I sign up with" (0.90) are well above.
 */
const WEAK_ACCOUNT_EVIDENCE = 0.6;
/** A turn this long is a story: its questions are read one by one (#questionInAStory). */
const LONG_TURN_CHARS = 1500;
/** "What I actually need to know is whether you ship to Canada.": a question said as a statement. */
const ASKS_IN_A_STORY = /\b(need|want|wanted|would like|'d like) to (know|ask)\b|\bwondering\b|\bmy question is\b|\b(can|could) you tell me\b/;
/** The last questions of a story that are read. */
const MAX_STORY_QUESTIONS = 6;
/** A turn this long tells a situation, not only a request for the order's status. */
const SITUATION_WORDS = 10;
/** How much surer than the threshold a search of only the asking sentences must be. */
const PART_SEARCH_MARGIN = 0.2;
type PolicyAnswer = { answer: string; articleId: string } | { bestScore: number };
/** "if I order the headphones, can you gift wrap them": a purchase not made yet is no account question. */
const NOT_YET_BOUGHT = /\bif (i|we) (order|ordered|buy|bought|get|purchase|pick)\b|\bbefore (i|we) (order|buy|purchase)\b/;
/** A follow-up that points back to the question before: "how long would that take", "can they connect to my laptop too". */
const POINTS_BACK = /\b(that|it|they|them|those|these|there|this|one)\b|\b(too|also|as well)\b/;
/** "and for everybody else?", "what if none of that works": a turn that goes on from the last answer. */
const FOLLOW_UP_OPENER = /^(and|but|or|what about|how about|what if|then)\b/;
/** Words that stand for what was just talked about: "reset them", "do those expire". */
const POINTS_AT = /\b(it|they|them|those|these|that one|this one)\b/;
/** A follow-up is short: a longer turn says what it is about. */
const FOLLOW_UP_WORDS = 12;
/** "check on my orders", "all my orders": the caller asks about every order, not one. */
const ALL_MY_ORDERS = /\b(my|our|all( of)? (my|our|the)) (orders|purchases|packages)\b/;
/** "both of them", "all of those": every order just talked about. */
const EVERY_ONE = /\b(both|all|each)( of)? (them|those|these|the orders|my orders)\b|\bboth\??$/;
/** "What about the other one?", "and my other order". */
const OTHER_ORDER = /\b(the|my) other (one|order|thing|item)\b/;
/** "what about the gift card", "and the cable?": a short follow-up naming another thing. */
const FOLLOW_UP_ABOUT = /^(?:(?:ok|okay|thanks|thank you|great|cool|alright|and|so|um|uh|oh)\s+)*(?:(?:what|how) about|and) (?:the|my|our)\s+\S+(?:\s+\S+){0,3}$/;
/** A caller who cannot give the verification answer asked for: "I don't remember which zip you have", "I moved". */
const FORGOT_ANSWER =
  /\b(don'?t|do not|dont|can'?t|cannot|cant|couldn'?t|never) (remember|recall|know)\b.{0,40}\b(zip|postal|code|birth|birthday|dob)\b|\b(zip|postal code|zip code)\b.{0,40}\b(forgot|forget|don'?t (remember|know)|dont (remember|know)|not sure|changed|old one)\b|\b(forgot|forget|forgotten) (my|the|which|what) (zip|postal|code|birth|birthday)\b/;
/** "You're a robot, right?", "is this a real person": what the caller is talking to. */
const ASKS_IF_AUTOMATED =
  /\b(are you|you're|youre|you are|is this|am i (talking|speaking) (to|with)) (just )?(a |an )?(robot|bot|machine|computer|ai|real person|human|recording|automated|real)\b/;
/** Words of wanting someone: "are you a robot? get me a person" asks for one. */
const WANTS_SOMEONE = /\b(want|wanna|need|get me|give me|talk to|speak to|speak with|talk with|transfer|connect|put me through|operator|agent|representative|don'?t|dont|hate|no more)\b/;
const DECLINES_VERIFICATION =
  "I understand. I can only share order details once you're verified: your date of birth works instead of the zip code, or I can connect you with a person. Just say \"agent\" or press 0.";
const THANKS = /\b(thanks|thank you|thank u|thx|ty|cheers|appreciate)\b/;
const OFFER_PERSON = 'If you like, I can connect you with a person: just say "agent" or press 0.';
const ANYTHING_ELSE = 'Is there anything else I can help you with?';

/** Intents a half-heard zip or date is often mistaken for. */
const UNCLEAR_ANSWER_INTENTS = new Set<IntentName>(['verify', 'question', 'affirm', 'deny', 'greeting']);

export class LocalBrain implements WholeTurnBrain {
  readonly provider = 'local';
  /** An account request waiting for verification, answered as soon as the caller is verified. */
  #pending: { intent: IntentName; text: string } | undefined;
  /** The first digits of a zip said before a pause ("nine eight one" … "oh four"). */
  #zipSoFar = '';
  /** The last date of birth tried, so "sorry, the fourth" corrects its day. */
  #dobTried: string | undefined;
  #askedForPhone = false;
  #offeredPerson = false;
  /** Words naming the verified caller's ordered items, once the brain has seen their orders. */
  #itemWords = new Set<string>();
  /** The last knowledge lookup, so one turn never searches the same words twice. */
  #lastPolicy: { knowledge: KnowledgeLookup; searched: string; found: PolicyAnswer } | undefined;
  /** The last question the knowledge base answered and its article, for a follow-up that points back to it ("how long would that take"). */
  #lastAnswered: { question: string; articleId: string } | undefined;
  /** Orders we asked the caller to choose between ("which one do you mean?"). */
  #orderChoices: Order[] | undefined;
  /** The order we last spoke about, for "how much was it again?". */
  #lastOrder: Order | undefined;
  /** Whether this call has talked about the caller's orders: "what about the gift card?" then asks about another. */
  #discussedOrders = false;

  constructor() {
    // The first brain of the process trains the shared intent model (a few hundred ms),
    // so the first caller's first turn does not wait for it.
    sharedIntentModel();
  }

  /** The rules, intents and lines here are English: other languages go to a person who speaks them. */
  answersIn(language: string): boolean {
    return primaryTag(language) === 'en';
  }

  greet({ companyName }: { companyName: string }): string {
    return `Thanks for calling ${companyName}. I'm an automated assistant, and you can ask for a person at any time. How can I help you today?`;
  }

  async respond(turn: BrainTurn): Promise<BrainReply> {
    const text = turn.input.kind === 'dtmf' ? turn.input.digits : turn.input.text;
    const intent = detectIntent(text);
    const offeredPerson = this.#offeredPerson;
    this.#offeredPerson = false;

    if (!turn.caller.verified) {
      const verification = await this.#tryVerification(turn, text, intent);
      if (verification) return verification;
    }
    const choice = await this.#answerOrderChoice(turn, text, intent);
    if (choice) return choice;
    // "ok perfect thanks" after "I don't know … I can connect you with a person" thanks, not asks for one.
    if (offeredPerson && intent.name === 'affirm' && THANKS.test(normalizeUtterance(text))) return reply(intent, [`You're welcome. ${ANYTHING_ELSE}`]);
    if (offeredPerson && intent.name === 'affirm') {
      return reply(intent, [], { escalate: { reason: 'caller_request', detail: 'accepted the offer of a person' } });
    }
    if (detectInjection(text).patterns.includes('other_customer_data')) {
      return reply(intent, [
        turn.caller.verified
          ? 'I can only discuss the account of the verified caller on this line.'
          : "I can't share any account information. I can help with your own account once you've verified your identity.",
      ]);
    }
    const story = text.length > LONG_TURN_CHARS ? this.#questionInAStory(turn, text, intent) : undefined;
    if (story) return story;
    const requests = splitRequests(text);
    if (requests.length > 1) return this.#handleSeveral(turn, requests, offeredPerson);
    return this.#handleIntent(turn, text, intent, offeredPerson);
  }

  /**
   * A page-long story with a question somewhere in it ("…anyway, do you even ship to Canada?
   * …"): the last question the knowledge base answers, rather than whatever the whole story
   * reads like. None answered: the usual reading of the turn.
   */
  #questionInAStory(turn: BrainTurn, text: string, intent: Intent): BrainReply | undefined {
    const sentences = text.match(/[^.?!]{8,300}[.?!]?/g) ?? [];
    const questions = sentences.filter((s) => s.trim().endsWith('?') || ASKS_IN_A_STORY.test(s.toLowerCase())).slice(-MAX_STORY_QUESTIONS).reverse();
    for (const question of questions) {
      if (ACCOUNT_REQUESTS.has(detectIntent(question).name) && NAMES_OWN_ACCOUNT.test(normalizeUtterance(question))) return undefined;
      const found = this.#policyAnswer(turn.knowledge, question.trim());
      if ('answer' in found) return policyReply(intent, text, found);
    }
    return undefined;
  }

  /** "Where's my order, and can I return the paddle?": each request answered, in order. */
  async #handleSeveral(turn: BrainTurn, requests: Array<{ text: string; intent: Intent }>, offeredPerson: boolean): Promise<BrainReply> {
    const replies: BrainReply[] = [];
    for (const request of requests) {
      const one = await this.#handleIntent(turn, request.text, request.intent, offeredPerson);
      // The same article twice ("shipping options, and how long does delivery take") is said once.
      if (one.citations.length > 0 && replies.some((r) => r.citations.some((c) => one.citations.includes(c)))) continue;
      replies.push(one);
      if (one.escalate || one.endCall) break;
    }
    const first = replies[0]!;
    // Two account requests before verification both ask for it: the caller hears it once.
    const messages = [...new Set(replies.flatMap((r, i) => r.messages.filter((m) => m !== ANYTHING_ELSE || i === replies.length - 1)))];
    const gap = replies.find((r) => r.knowledgeGap)?.knowledgeGap;
    return {
      ...first,
      messages,
      citations: [...new Set(replies.flatMap((r) => r.citations))],
      // The turn counts as answered when any request was: the caller got something.
      answered: replies.some((r) => r.answered),
      ...(gap ? { knowledgeGap: gap } : {}),
      ...(replies.find((r) => r.escalate) ? { escalate: replies.find((r) => r.escalate)!.escalate! } : {}),
      ...(replies.at(-1)!.endCall ? { endCall: true } : {}),
    };
  }

  async #tryVerification(turn: BrainTurn, text: string, intent: Intent): Promise<BrainReply | undefined> {
    // A caller whose number we don't know can give the number on the account first.
    if (this.#askedForPhone && !turn.caller.hasCandidate) {
      const phone = extractPhone(text);
      if (phone) {
        this.#askedForPhone = false;
        const found = await turn.tools.call<{ found: boolean }>('lookup_customer', { phone });
        if (found.result.found) return reply(intent, ['Thank you. ' + VERIFY_PROMPT]);
        return reply(intent, [`I couldn't find an account with that number. ${OFFER_PERSON}`], { answered: false });
      }
      // "I don't know, I'm on my work phone, my zip is 78701": a zip or a birth date alone finds no account.
      const said = normalizeUtterance(text);
      if (extractZip(text) || extractDate(text) || /\b(don'?t|dont|do not|can'?t|cant|cannot) (know|remember|recall)\b|\bnot sure\b|\bno idea\b/.test(said)) {
        return reply(intent, [
          `I can only find your account by the phone number on it; a zip code or a date of birth alone isn't enough. If you can tell me that number, I'll look it up. ${OFFER_PERSON}`,
        ]);
      }
    }
    const answer = correctedAnswer(text);
    let zip = extractZip(answer);
    let dob = zip ? undefined : (extractDate(answer) ?? this.#dobCorrection(answer));
    const asked = this.#pending !== undefined || this.#zipSoFar !== '';
    if (asked && !zip && !dob && turn.caller.hasCandidate) {
      const part = partialZip(answer);
      if (part !== undefined) {
        const soFar = this.#zipSoFar + part;
        if (soFar.length < 5) {
          this.#zipSoFar = soFar;
          return reply(intent, [`I have ${soFar.split('').join(' ')} so far. Please go on with the rest of your zip code.`]);
        }
        this.#zipSoFar = '';
        if (soFar.length > 5) {
          return reply(intent, ["That's more than five digits. Please say your five-digit zip code again from the start, or type it on your keypad."]);
        }
        zip = soFar;
      }
    }
    if (zip || dob) this.#zipSoFar = '';
    if (dob) this.#dobTried = dob;
    if (zip) dob = undefined;
    const answering = asked || zip !== undefined || dob !== undefined;
    if (!answering || (!zip && !dob) || !turn.caller.hasCandidate) return undefined;
    const outcome = await turn.tools.call<{ verified: boolean }>('verify_identity', zip ? { zip } : { dob: dob! });
    if (!outcome.result.verified) {
      // "zip 94108, where's my headset" with a wrong zip: the question waits for the right one.
      const asking = this.#pending ? undefined : requestBeside(text);
      if (asking) this.#pending = { intent: detectIntent(asking).name, text: asking };
      return reply(intent, [
        zip
          ? "Sorry, that zip code doesn't match our records. Please say it again or type the five digits on your keypad, or tell me your date of birth instead."
          : "Sorry, that date of birth doesn't match our records. Please try again, or tell me your zip code instead.",
      ]);
    }
    const pending = this.#pending;
    this.#pending = undefined;
    // turn.caller is live: now that verify_identity succeeded it carries the account.
    const verifiedTurn: BrainTurn = turn;
    const thanks = 'Thank you, you are verified.';
    if (pending) {
      const followUp = await this.#handleIntent(verifiedTurn, pending.text, detectIntent(pending.text), false);
      return { ...followUp, messages: [thanks, ...followUp.messages] };
    }
    // "my zip's 10001, has my headset shipped yet?": a request said with the answer is answered now.
    const request = requestBeside(text);
    if (request) {
      const followUp = await this.#handleIntent(verifiedTurn, request, detectIntent(request), false);
      return { ...followUp, messages: [thanks, ...followUp.messages] };
    }
    return reply(intent, [`${thanks} How can I help you?`]);
  }

  /** "Sorry, the fourth" after a date of birth that did not match: that date on the day said. */
  #dobCorrection(text: string): string | undefined {
    const day = this.#dobTried ? correctedDay(text) : undefined;
    return this.#dobTried && day !== undefined ? onDay(this.#dobTried, day) : undefined;
  }

  async #handleIntent(turn: BrainTurn, text: string, intent: Intent, offeredPerson: boolean): Promise<BrainReply> {
    // "I just moved, I don't remember which zip you have": the other way to verify, or a person.
    const forgot = normalizeUtterance(text);
    if (this.#pending && !turn.caller.verified && turn.caller.hasCandidate && intent.name !== 'human' && FORGOT_ANSWER.test(forgot)) {
      const forgotBirth = /\b(birth|birthday|dob|born)\b/.test(forgot) && !/\bzip\b/.test(forgot);
      return reply(intent, [
        forgotBirth
          ? 'No problem. Your zip code works instead, or I can connect you with a person: just say "agent" or press 0.'
          : 'No problem. Your date of birth works instead, or I can connect you with a person: just say "agent" or press 0.',
      ]);
    }
    const general = await this.#generalQuestion(turn, text, intent);
    if (general) return general;
    if (intent.accountSpecific && !turn.caller.verified) {
      this.#pending = { intent: intent.name, text };
      if (!turn.caller.hasCandidate) {
        this.#askedForPhone = true;
        return reply(intent, [
          "I couldn't find an account for the number you're calling from. What is the phone number on your account?",
        ]);
      }
      // A question about how things work in the caller's situation gets the policy (nothing from
      // the account) and then the verification prompt for their own order.
      const general = ASKS_HOW_IT_WORKS.test(normalizeUtterance(text)) ? this.#policyAnswer(turn.knowledge, text) : undefined;
      if (general && 'answer' in general) return reply(intent, [general.answer, VERIFY_FOR_OWN_ORDER], { citations: [general.articleId] });
      // "Will the earbuds work with my kid's Nintendo Switch?": a question of how things work that
      // no article answers and that names nothing of the caller's own is not a reason to verify.
      if (general && !NAMES_OWN_ACCOUNT.test(normalizeUtterance(text)) && !extractOrderId(text)) {
        this.#pending = undefined;
        return this.#answerFromKnowledge(turn.knowledge, text, asGeneralQuestion(intent, text));
      }
      return reply(intent, [VERIFY_PROMPT]);
    }
    if (
      this.#pending &&
      !turn.caller.verified &&
      turn.caller.hasCandidate &&
      UNCLEAR_ANSWER_INTENTS.has(intent.name) &&
      looksLikeVerificationAnswer(text)
    ) {
      // An answer to the verification question that we could not read ("nine something
      // something"): ask again. A new question instead gets its honest answer below.
      return reply(intent, [
        "Sorry, I didn't catch that. Please say the five digits of your zip code one at a time, or type them on your keypad, or tell me your date of birth.",
      ]);
    }
    switch (intent.name) {
      case 'greeting':
        return reply(intent, [/\bhow\b/.test(normalizeUtterance(text)) ? "I'm doing well, thank you. How can I help you today?" : 'Hello! How can I help you today?']);
      case 'goodbye':
        return reply(intent, ['Thank you for calling. Goodbye!'], { endCall: true });
      case 'affirm':
        // "Headset?", "the pulse ones": a verified caller naming one of their orders asks about it.
        if (await this.#namesOwnOrder(turn, text)) return this.#orderStatus(turn, text, asOrderQuestion(intent));
        return reply(intent, ['Great. What can I help you with?']);
      case 'human':
        // "No need to get a person, I just want to know your hours": the question is the request.
        if (declinesPerson(text)) return this.#answerFromKnowledge(turn.knowledge, text, { ...intent, name: 'question' });
        // "The representative I talked to last week said the warranty is two years, is that right?": the claim is the question.
        if (onlyMentionsPerson(text) && !ASKS_IF_AUTOMATED.test(normalizeUtterance(text))) return this.#answerFromKnowledge(turn.knowledge, text, { ...intent, name: 'question' });
        // "You're a robot, right?" asks what it is talking to, not for a person.
        if (ASKS_IF_AUTOMATED.test(normalizeUtterance(text)) && !WANTS_SOMEONE.test(normalizeUtterance(text))) {
          return reply(intent, ["Yes, I'm an automated assistant. You can ask for a person at any time: just say \"agent\" or press 0. How can I help you?"]);
        }
        // Phrasings the policy's keyword rule misses ("I don't want a robot").
        return reply(intent, [], { escalate: { reason: 'caller_request', detail: 'asked for a person' } });
      case 'deny':
        // "No thanks, I don't need a human, just tell me if you take Apple Pay": the question is the request.
        if (declinesPerson(text)) return this.#answerFromKnowledge(turn.knowledge, text, { ...intent, name: 'question' });
        // "I'd rather not give that, just tell me the date": the request still waits for verification.
        if (this.#pending && !turn.caller.verified) return reply(intent, [DECLINES_VERIFICATION]);
        return reply(intent, [offeredPerson ? 'No problem. What else can I help you with?' : 'All right. ' + ANYTHING_ELSE]);
      case 'order_status':
        return this.#withPolicy(turn, text, await this.#orderStatus(turn, text, intent));
      case 'list_orders': {
        // "…and what did I pay for it again?" after an order: that order's price, not the list.
        const said = normalizeUtterance(text);
        if (this.#lastOrder && ABOUT_THAT_ORDER.test(said)) return this.#orderFact(intent, this.#lastOrder, said);
        return this.#listOrders(turn, intent);
      }
      case 'create_ticket': {
        const subject = text.replace(/\b(please )?(open|create|file|raise|log) (a |an )?(support )?(ticket|case|report)( about| for)?\b/i, '').trim();
        const outcome = await turn.tools.call<{ ticket: { id: string } }>('create_ticket', {
          subject: subject.length > 3 ? subject : text,
        });
        if (!outcome.ok) return reply(intent, ["I couldn't open a ticket just now. " + OFFER_PERSON], { answered: false });
        return reply(intent, [
          `I've opened ticket ${outcome.result.ticket.id} for you, and our team will follow up by email.`,
          ANYTHING_ELSE,
        ]);
      }
      case 'callback': {
        const phone = extractPhone(text);
        const outcome = await turn.tools.call<{ callback: { phone: string } }>('schedule_callback', {
          ...(phone ? { phone } : {}),
          reason: text.slice(0, 200),
        });
        const last4 = outcome.result.callback.phone.slice(-4);
        return reply(intent, [
          `I've scheduled a callback to the number ending in ${spellDigits(last4)}. A person will call you back within one business day.`,
          ANYTHING_ELSE,
        ]);
      }
      case 'account_details': {
        const c = turn.caller.customer!;
        return reply(intent, [
          `Your account is under the name ${c.name}, ${c.tier} tier${c.email ? `, with the email ${c.email}` : ''}.`,
          ANYTHING_ELSE,
        ]);
      }
      case 'verify':
      case 'question': {
        // "How much was it again?", "what day was it dropped off?" right after an order.
        const said = normalizeUtterance(text);
        if (turn.caller.verified && this.#lastOrder && ABOUT_THAT_ORDER.test(said)) return this.#orderFact(intent, this.#lastOrder, said);
        // "Tell me about both of them" after talking about their orders: every one.
        if (turn.caller.verified && EVERY_ONE.test(said)) return this.#handleIntent(turn, 'all my orders', asOrderQuestion(intent), offeredPerson);
        // "What about the other one?" after an order's status: the caller's other order.
        if (turn.caller.verified && this.#lastOrder && OTHER_ORDER.test(said) && !(await this.#namesOwnOrder(turn, text))) return this.#otherOrder(turn, intent, this.#lastOrder);
        if (turn.caller.verified && OTHER_ORDER.test(said)) return this.#orderStatus(turn, text, asOrderQuestion(intent));
        // "OK thanks. What about the gift card?" after an order's status: that order's status.
        if (this.#discussedOrders && FOLLOW_UP_ABOUT.test(said.replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ').trim()) && (await this.#namesOwnOrder(turn, text))) {
          return this.#orderStatus(turn, text, asOrderQuestion(intent));
        }
        // "status of o1008?", "I sent back some ear tips a while ago, did that go through?": their own order, not the policy.
        if (extractOrderId(text) || (ASKS_OWN_RETURN_PROGRESS.test(said) && ABOUT_THE_CALLER.test(said))) return this.#handleIntent(turn, text, asOrderQuestion(intent), offeredPerson);
        const found = this.#policyAnswer(turn.knowledge, text);
        // "where are my running shoes at", "what did I end up paying for the blender": an order
        // question in words the classifier does not know, when no article answers it.
        const asOrder = asOrderQuestion(intent);
        if (!('answer' in found) && (ASKS_ABOUT_OWN_ORDER.test(said) || (ASKS_PRICE.test(said) && ABOUT_THE_CALLER.test(said)))) {
          return this.#handleIntent(turn, text, asOrder, offeredPerson);
        }
        return this.#knowledgeOrOwnOrder(turn, text, intent);
      }
    }
  }

  async #orderStatus(turn: BrainTurn, text: string, intent: Intent): Promise<BrainReply> {
    const orderId = extractOrderId(text);
    const outcome = await turn.tools.call<{ orders?: Order[]; error?: string }>('order_status', orderId ? { orderId } : {});
    if (!outcome.ok) {
      return reply(intent, [
        orderId
          ? `I couldn't find order ${spellOrderId(orderId)} on your account. Could you check the order number?`
          : "I couldn't look up your orders just now.",
      ]);
    }
    const orders = outcome.result.orders ?? [];
    this.#discussedOrders = true;
    const first = orders[0];
    if (!first) return reply(intent, ["I don't see any orders on your account.", ANYTHING_ELSE]);
    for (const o of orders) for (const w of o.item.toLowerCase().split(/[^a-z0-9]+/)) if (w.length > 2) this.#itemWords.add(w);
    const said = normalizeUtterance(text);
    if (orderId) return this.#orderFact(intent, first, said);
    const resolved = resolveOrderReference(text, orders, this.#orderChoices);
    this.#orderChoices = undefined;
    if (resolved?.kind === 'one') return this.#orderFact(intent, resolved.order, said);
    if (resolved?.kind === 'several') return this.#askWhichOrder(intent, resolved.orders, "I see more than one order that could be.");
    if (resolved?.kind === 'each') {
      this.#lastOrder = undefined;
      return reply(intent, [resolved.orders.map(describeOrder).join(' '), ANYTHING_ELSE]);
    }
    if (resolved?.kind === 'unmatched') {
      if (orders.length > 1) return this.#askWhichOrder(intent, orders.slice(0, 3), `I don't see a ${resolved.words.join(' ')} among your orders.`);
      // "Is my kayak shipped?" with only a pressure cooker on file: say so, not the cooker as if it were the kayak.
      this.#lastOrder = first;
      return reply(intent, [`I don't see a ${resolved.words.join(' ')} among your orders. Here is the one order on your account. ${describeOrder(first)}`, ANYTHING_ELSE]);
    }
    // "I wanted to check on my orders": every one of them (the most recent three).
    if (ALL_MY_ORDERS.test(said) && orders.length > 1 && !ASKS_PRICE.test(said)) return this.#sayOrders(intent, orders, 'orders');
    // "Where's my stuff" names no order: the ones still on their way are what the caller is
    // waiting for, all of them (a delivered newest order is not the answer).
    const onTheWay = orders.filter((o) => ON_THE_WAY.has(o.status));
    if (onTheWay.length > 1 && !ASKS_PRICE.test(said)) return this.#sayOrders(intent, onTheWay, 'orders on the way');
    return this.#orderFact(intent, onTheWay[0] ?? first, said);
  }

  /** Each of several orders' status (the most recent three), which a next turn can pick from ("the second one"). */
  #sayOrders(intent: Intent, orders: Order[], what: string): BrainReply {
    const shown = orders.slice(0, 3);
    this.#orderChoices = shown;
    this.#lastOrder = undefined;
    const lead = orders.length > 3 ? `You have ${orders.length} ${what}; the most recent three:` : `You have ${orders.length} ${what}.`;
    return reply(intent, [`${lead} ${shown.map(describeOrder).join(' ')}`, ANYTHING_ELSE]);
  }

  /** The article that answers; else, when the verified caller named one of their orders ("what's up with the aura", "how much was the gaming headset"), that order. */
  async #knowledgeOrOwnOrder(turn: BrainTurn, text: string, intent: Intent): Promise<BrainReply> {
    const answer = this.#answerFromKnowledge(turn.knowledge, text, intent);
    if (answer.answered !== false || !(await this.#namesOwnOrder(turn, text))) return answer;
    this.#offeredPerson = false;
    return this.#orderStatus(turn, text, asOrderQuestion(intent));
  }

  /** The caller's order other than the one just discussed; of several, which one. */
  async #otherOrder(turn: BrainTurn, intent: Intent, discussed: Order): Promise<BrainReply> {
    const outcome = await turn.tools.call<{ orders?: Order[] }>('order_status', {});
    const others = (outcome.ok ? (outcome.result.orders ?? []) : []).filter((o) => o.id !== discussed.id);
    const asked = asOrderQuestion(intent);
    if (others.length === 0) return reply(asked, [`${spellOrderId(discussed.id)} is the only order on your account.`, ANYTHING_ELSE]);
    if (others.length === 1) return this.#orderFact(asked, others[0]!, '');
    return this.#askWhichOrder(asked, others.slice(0, 3), 'You have more than one other order.');
  }

  /** Whether a verified caller's words name one of their own orders' items ("what's up with the aura", "headset?"). */
  async #namesOwnOrder(turn: BrainTurn, text: string): Promise<boolean> {
    if (!turn.caller.verified || productWords(text).length === 0) return false;
    const outcome = await turn.tools.call<{ orders?: Order[] }>('order_status', {});
    const resolved = outcome.ok ? resolveOrderReference(text, outcome.result.orders ?? []) : undefined;
    return (resolved?.kind === 'one' && resolved.by === 'item') || resolved?.kind === 'several' || resolved?.kind === 'each';
  }

  /** What the caller asked about one order: its price when they asked what they paid, else its status. */
  #orderFact(intent: Intent, order: Order, said: string): BrainReply {
    this.#lastOrder = order;
    if (ASKS_PRICE.test(said)) {
      const total = order.total.toLocaleString('en-US', { style: 'currency', currency: 'USD' });
      return reply(intent, [`Your order ${spellOrderId(order.id)}, the ${order.item}, came to ${total}.`, ANYTHING_ELSE]);
    }
    return reply(intent, [describeOrder(order), ANYTHING_ELSE]);
  }

  /**
   * "Tracking says delivered yesterday but there's nothing on my porch": a caller who tells
   * their situation gets, after their order's status, what the policy says to do about it
   * (when the knowledge base is confident). A plain "where is my order" gets the status alone.
   */
  #withPolicy(turn: BrainTurn, text: string, status: BrainReply): BrainReply {
    if (text.trim().split(/\s+/).length < SITUATION_WORDS || status.escalate || status.messages.length < 2) return status;
    // A cancelled or returned order is the whole answer: "check around your door" is not about it.
    if (!this.#lastOrder || !['shipped', 'delivered'].includes(this.#lastOrder.status)) return status;
    // "I was hoping you could tell me whether it's on its way" tells no trouble: the status is the answer.
    if (!TELLS_TROUBLE.test(normalizeUtterance(text))) return status;
    const found = this.#policyAnswer(turn.knowledge, text);
    if (!('answer' in found)) return status;
    const messages = status.messages.filter((m) => m !== ANYTHING_ELSE);
    return { ...status, messages: [...messages, found.answer, ANYTHING_ELSE], citations: [...status.citations, found.articleId] };
  }

  #askWhichOrder(intent: Intent, orders: Order[], lead: string): BrainReply {
    this.#orderChoices = orders;
    const listed = orders.map((o, i) => `${i === orders.length - 1 && i > 0 ? 'or ' : ''}${spellOrderId(o.id)}, the ${o.item}`);
    return reply(intent, [`${lead} Which one do you mean: ${listed.join('; ')}?`]);
  }

  /** The caller's answer to "which one do you mean", if it picks one of the orders offered. */
  async #answerOrderChoice(turn: BrainTurn, text: string, said: Intent): Promise<BrainReply | undefined> {
    const choices = this.#orderChoices;
    this.#orderChoices = undefined;
    if (!choices || !turn.caller.verified) return undefined;
    // "Can I return the blender?" after the list names one of them, but asks something else.
    if (NOT_A_PICK.has(said.name) || ASKS_ANOTHER_THING.test(normalizeUtterance(text))) return undefined;
    // "Can you tell me about both of them?": each of the orders offered.
    if (EVERY_ONE.test(normalizeUtterance(text))) return this.#sayOrders({ name: 'order_status', queue: 'orders', accountSpecific: true, confidence: 1 }, choices, 'orders');
    const orderId = extractOrderId(text);
    const picked = orderId
      ? choices.find((o) => o.id.toUpperCase() === orderId.toUpperCase())
      : (() => {
          const r = resolveOrderReference(text, choices, choices);
          return r?.kind === 'one' ? r.order : undefined;
        })();
    if (!picked) return undefined;
    const intent: Intent = { name: 'order_status', queue: 'orders', accountSpecific: true, confidence: 1 };
    return this.#orderStatus(turn, picked.id, intent);
  }

  async #listOrders(turn: BrainTurn, intent: Intent): Promise<BrainReply> {
    const outcome = await turn.tools.call<{ orders: Order[] }>('list_orders', {});
    const orders = outcome.ok ? outcome.result.orders : [];
    if (orders.length === 0) return reply(intent, ["I don't see any orders on your account.", ANYTHING_ELSE]);
    const shown = orders.slice(0, 3).map((o) => `${spellOrderId(o.id)}, ${o.item}, ${o.status}`);
    // "The second one you said": the listed orders are the ones a next turn can pick from.
    this.#orderChoices = orders.slice(0, 3);
    return reply(intent, [
      `You have ${orders.length} order${orders.length === 1 ? '' : 's'}. ${orders.length > 3 ? 'The most recent are' : 'They are'}: ${shown.join('; ')}.`,
      ANYTHING_ELSE,
    ]);
  }

  /**
   * A general question the classifier took for an account request ("what's the minimum for
   * free shipping", "how many points do I need for a reward" read as order questions, "what's
   * your CEO's name" as the caller's account details): when
   * the caller names nothing of their own account or orders and the knowledge base answers
   * it confidently, it is a question, answered from the policy without verification.
   */
  async #generalQuestion(turn: BrainTurn, text: string, intent: Intent): Promise<BrainReply | undefined> {
    const said = normalizeUtterance(text);
    // "What's your CEO's name" is not about the caller's account details, whatever the model says.
    if (intent.name === 'account_details' && !ABOUT_THE_CALLER.test(said)) {
      return this.#knowledgeOrOwnOrder(turn, text, asGeneralQuestion(intent, text));
    }
    if (!ACCOUNT_REQUESTS.has(intent.name) || extractOrderId(text)) return undefined;
    const asPolicy = (found: PolicyAnswer): BrainReply | undefined => ('answer' in found ? policyReply(intent, text, found) : undefined);
    // "How do returns work, in case the speaker isn't loud enough", "can I still change where it
    // ships to": a verified caller asking how things work gets the policy, not the order again.
    // ("What orders do I have" is no question of how things work, whatever its "do I have".)
    if (turn.caller.verified && intent.name !== 'list_orders' && !/\b(orders|purchases|packages)\b/.test(said) && ASKS_HOW_IT_WORKS.test(said)) {
      const howItWorks = asPolicy(this.#policyAnswer(turn.knowledge, text));
      if (howItWorks) return howItWorks;
    }
    // "And if it never shows up, how long would that take?" right after an answer goes on from it.
    if (this.#lastAnswered && FOLLOW_UP_OPENER.test(said) && said.split(' ').length <= FOLLOW_UP_WORDS && !NAMES_OWN_ACCOUNT.test(said)) {
      const goesOn = asPolicy(this.#policyAnswer(turn.knowledge, text));
      if (goesOn) return goesOn;
    }
    // "If I order the headphones instead, can you gift wrap them": no account to look at; the article, or "I don't know".
    if (NOT_YET_BOUGHT.test(said) && !NAMES_OWN_ACCOUNT.test(said.replace(NOT_YET_BOUGHT, ' '))) {
      return this.#answerFromKnowledge(turn.knowledge, text, asGeneralQuestion(intent, text));
    }
    // "When will the headsets get here?": the caller's own item, plural or not.
    if (said.split(/[^a-z0-9]+/).some((word) => this.#itemWords.has(word) || this.#itemWords.has(word.replace(/e?s$/, '')))) return undefined;
    // "Do you sell my name to advertisers", "I only want to know if you ship to Australia": a
    // question about what the company does is policy, whatever else the turn names.
    const aboutTheCompany = ASKS_WHAT_YOU_DO.test(said);
    // "My aunt gave me a gift card three years ago. Is it still worth anything?": the story
    // names the caller's things, the question it ends with asks about the policy.
    const asking = askingSentences(text);
    const asksPolicy = asking !== '' && !ASKS_ORDER_PROGRESS.test(normalizeUtterance(asking)) && !ACCOUNT_REQUESTS.has(detectIntent(asking).name);
    // "are my sport earbuds shipped": the caller's own things, however few words the classifier knew.
    if (!aboutTheCompany && !asksPolicy && ((intent.evidence ?? 1) >= WEAK_ACCOUNT_EVIDENCE || NAMES_OWN_ACCOUNT.test(said) || ASKS_ABOUT_OWN_ORDER.test(said))) return undefined;
    const found = this.#policyAnswer(turn.knowledge, text);
    if (!('answer' in found)) return undefined;
    return policyReply(intent, text, found);
  }

  /** The knowledge answer to a question, when the knowledge base is confident of one; else the best score it had. */
  #policyAnswer(knowledge: KnowledgeLookup, text: string): PolicyAnswer {
    // "I'd rather not talk to a human, what's the return window": the question is the rest.
    const question = normalizeUtterance(declinesPerson(text) ? withoutPersonClauses(text) : text);
    // The caller's own products ("can I return the paddles") are not what the policy
    // article is about: searching without them finds the policy.
    const withoutItems = this.#itemWords.size > 0 ? withoutWords(question, this.#itemWords) : question;
    const searched = withoutItems.trim() ? withoutItems : question;
    // One turn may ask twice (is it a general question? how things work?): search once.
    if (this.#lastPolicy?.knowledge === knowledge && this.#lastPolicy.searched === searched) return this.#lastPolicy.found;
    let [best] = knowledge.search(searched, 3);
    // A story around the question ("the battery on my old earbuds was horrible. How long do
    // yours last?") may hide it: the asking sentences alone get a second search.
    const asking = best && best.confidence >= knowledge.confidenceThreshold ? '' : (CHECKS_A_CLAIM.exec(searched)?.[1] ?? askingSentences(searched));
    if (asking) {
      const [second] = knowledge.search(asking, 3);
      // It sets the rest of the turn aside, so it must be surer than the usual bar.
      if (second && second.confidence >= knowledge.confidenceThreshold + PART_SEARCH_MARGIN) best = second;
    }
    // "Do you ship to the UK?" … "how long would that take": a short follow-up that points back
    // is read with the question it follows.
    // "My earbuds won't connect" … "ok how do I reset them then": "them" are the earbuds, not
    // the account (a confident answer of another article yields to the one the talk is about).
    const previous = this.#lastAnswered;
    const followUp = previous && searched.split(' ').length <= FOLLOW_UP_WORDS && (POINTS_BACK.test(searched) || FOLLOW_UP_OPENER.test(searched));
    const confident = best !== undefined && best.confidence >= knowledge.confidenceThreshold;
    // A confident answer from the article already discussed, or one without words pointing back, stands: no second search.
    if (previous && followUp && (!confident || (best!.article.id !== previous.articleId && POINTS_AT.test(searched)))) {
      const [withContext] = knowledge.search(`${previous.question} ${searched}`, 3);
      const sure = withContext !== undefined && withContext.confidence >= knowledge.confidenceThreshold;
      const staysOnTopic =
        withContext !== undefined && best !== undefined && withContext.article.id === previous.articleId && best.article.id !== previous.articleId && withContext.confidence > best.confidence && POINTS_AT.test(searched);
      if (sure && (!confident || staysOnTopic)) best = withContext;
    }
    const found: PolicyAnswer =
      !best || best.confidence < knowledge.confidenceThreshold
        ? { bestScore: best?.confidence ?? 0 }
        : { answer: answerFromArticle(best.article.body, question), articleId: best.article.id };
    this.#lastPolicy = { knowledge, searched, found };
    if ('answer' in found) this.#lastAnswered = { question: searched, articleId: found.articleId };
    return found;
  }

  #answerFromKnowledge(knowledge: KnowledgeLookup, text: string, intent: Intent): BrainReply {
    const found = this.#policyAnswer(knowledge, text);
    if (!('answer' in found)) {
      this.#offeredPerson = true;
      return reply(
        intent,
        [`I'm sorry, I don't know that. ${OFFER_PERSON}`],
        { answered: false, knowledgeGap: { question: text, bestScore: found.bestScore }, queue: queueFor(text) },
      );
    }
    return reply(intent, [found.answer, ANYTHING_ELSE], { citations: [found.articleId] });
  }
}

/** A turn the classifier took for an account request, answered as a general question (no verification, the queue its topic names). */
function asGeneralQuestion(intent: Intent, text: string): Intent {
  return { ...intent, name: 'question', accountSpecific: false, queue: queueFor(text) };
}

/** The policy article's answer to a turn read as a general question. */
function policyReply(intent: Intent, text: string, found: { answer: string; articleId: string }): BrainReply {
  return reply(asGeneralQuestion(intent, text), [found.answer, ANYTHING_ELSE], { citations: [found.articleId] });
}

/** A turn the classifier read otherwise, taken as the caller's question about their own order. */
function asOrderQuestion(intent: Intent): Intent {
  return { ...intent, name: 'order_status', queue: 'orders', accountSpecific: true };
}

// "nine four one oh eight, no sorry, nine four one oh seven": what follows the last of these is the answer.
const SELF_CORRECTION = /\b(no sorry|sorry no|no wait|wait no|i mean|i meant|actually|scratch that|correction|let me correct|sorry|wait)\b[\s,.:-]*/g;

/** The caller's verification answer as corrected: the part after their last self-correction, when it holds a zip or a date. */
function correctedAnswer(text: string): string {
  const said = normalizeUtterance(text);
  const last = [...said.matchAll(SELF_CORRECTION)].at(-1);
  if (!last) return text;
  const after = said.slice(last.index + last[0].length);
  if (extractZip(after) || extractDate(after)) return after;
  // "March third, seventy nine, sorry, the fourth": the date said first, on the corrected day.
  const before = said.slice(0, last.index);
  const day = correctedDay(after);
  const first = day === undefined ? undefined : extractDate(before);
  if (first && day !== undefined) return onDay(first, day) ?? text;
  // "April thirteenth… no sorry, the twelfth, nineteen eighty five": the month said first, the rest corrected.
  const month = monthNamed(before);
  const carried = month === undefined ? undefined : `${month} ${after}`;
  return carried !== undefined && extractDate(carried) ? carried : text;
}

/** Intents that ask for nothing beyond the verification answer itself. */
const NO_REQUEST = new Set<IntentName>(['verify', 'affirm', 'deny', 'greeting', 'goodbye']);

/** The request a caller made in the same turn as their zip or date of birth, without them. */
function requestBeside(text: string): string | undefined {
  const clauses = text
    .split(/[,.;!?\u2013\u2014]+|\s-+\s|\band\b/)
    .map((c) => c.trim())
    .filter((c) => c.split(/\s+/).length >= 3 && !extractZip(c) && !extractDate(c) && !NO_REQUEST.has(detectIntent(c).name));
  return clauses.length > 0 ? clauses.join(', ') : undefined;
}

/** The question without the given words (and their plural -s/-es forms). */
function withoutWords(question: string, words: ReadonlySet<string>): string {
  return question
    .split(/\s+/)
    .filter((token) => {
      const bare = token.replace(/[^a-z0-9]/g, '');
      return !words.has(bare) && !words.has(bare.replace(/e?s$/, ''));
    })
    .join(' ');
}

function reply(intent: Intent, messages: string[], extra: Partial<BrainReply> = {}): BrainReply {
  return { messages, citations: [], intent: intent.name, queue: intent.queue, answered: true, ...extra };
}

function spellDigits(digits: string): string {
  return digits.split('').join(' ');
}
