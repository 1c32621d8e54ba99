// The local brain: decides AI turns with no network, from intent rules, slot extraction,
// the CRM tools and knowledge-base retrieval. One instance per conversation (it remembers
// what it asked last), so two calls never share its memory.
import type { Order } from '../../../contracts/crm';
import type { BrainReply, BrainTurn, KnowledgeLookup, WholeTurnBrain } from './brain';
import { detectIntent, normalizeUtterance, queueFor, type Intent, type IntentName } from './intents';
import { detectInjection } from '../policy/injection';
import { extractDate, extractOrderId, extractPhone, extractZip, looksLikeVerificationAnswer } from './slots';

const VERIFY_PROMPT =
  'Before I can look at your account, I need to verify your identity. Please tell me the zip code or the date of birth on your account.';
const OFFER_PERSON = 'If you like, I can connect you with a person: just say "agent" or press 0.';
const ANYTHING_ELSE = 'Is there anything else I can help you with?';

export class LocalBrain implements WholeTurnBrain {
  readonly provider = 'local';
  /** An account request waiting for verification, answered as soon as the caller is verified. */
  #pending: { intent: IntentName; text: string } | undefined;
  #askedForPhone = false;
  #offeredPerson = false;

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
    return this.#handleIntent(turn, text, intent, offeredPerson);
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
    }
    const zip = extractZip(text);
    const dob = zip ? undefined : extractDate(text);
    const answering = this.#pending !== undefined || zip !== undefined || dob !== undefined;
    if (!answering || (!zip && !dob) || !turn.caller.hasCandidate) return undefined;
    const outcome = await turn.tools.call<{ verified: boolean }>('verify_identity', zip ? { zip } : { dob: dob! });
    if (!outcome.result.verified) {
      return reply(intent, [
        zip
          ? "Sorry, that zip code doesn't match our records. Please try again, or tell me your date of birth instead."
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
    return reply(intent, [`${thanks} How can I help you?`]);
  }

  async #handleIntent(turn: BrainTurn, text: string, intent: Intent, offeredPerson: boolean): Promise<BrainReply> {
    if (intent.accountSpecific && !turn.caller.verified) {
      this.#pending = { intent: intent.name, text };
      if (!turn.caller.hasCandidate) {
        this.#askedForPhone = true;
        return reply(intent, [
          "I couldn't find an account for the number you're calling from. What is the phone number on your account?",
        ]);
      }
      return reply(intent, [VERIFY_PROMPT]);
    }
    switch (intent.name) {
      case 'greeting':
        return reply(intent, ['Hello! How can I help you today?']);
      case 'goodbye':
        return reply(intent, ['Thank you for calling. Goodbye!'], { endCall: true });
      case 'affirm':
        return reply(intent, ['Great. What can I help you with?']);
      case 'deny':
        return reply(intent, [offeredPerson ? 'No problem. What else can I help you with?' : 'All right. ' + ANYTHING_ELSE]);
      case 'order_status':
        return this.#orderStatus(turn, text, intent);
      case 'list_orders':
        return this.#listOrders(turn, intent);
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
      case 'question':
        if (this.#pending && !turn.caller.verified && turn.caller.hasCandidate && looksLikeVerificationAnswer(text)) {
          // An answer to the verification question that we could not read: ask again. A new
          // question instead gets its honest answer (or "I don't know") below.
          return reply(intent, [
            "Sorry, I didn't catch that. Please say the five digits of your zip code, one at a time, or your date of birth.",
          ]);
        }
        return this.#answerFromKnowledge(turn.knowledge, text, intent);
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
    const first = orders[0];
    if (!first) return reply(intent, ["I don't see any orders on your account.", ANYTHING_ELSE]);
    return reply(intent, [describeOrder(first), ANYTHING_ELSE]);
  }

  async #listOrders(turn: BrainTurn, intent: Intent): Promise<BrainReply> {
    const outcome = await turn.tools.call<{ orders: Order[] }>('list_orders', {});
    const orders = outcome.ok ? outcome.result.orders : [];
    if (orders.length === 0) return reply(intent, ["I don't see any orders on your account.", ANYTHING_ELSE]);
    const shown = orders.slice(0, 3).map((o) => `${spellOrderId(o.id)}, ${o.item}, ${o.status}`);
    return reply(intent, [
      `You have ${orders.length} order${orders.length === 1 ? '' : 's'}. ${orders.length > 3 ? 'The most recent are' : 'They are'}: ${shown.join('; ')}.`,
      ANYTHING_ELSE,
    ]);
  }

  #answerFromKnowledge(knowledge: KnowledgeLookup, text: string, intent: Intent): BrainReply {
    const question = normalizeUtterance(text);
    const hits = knowledge.search(question, 3);
    const best = hits[0];
    if (!best || best.confidence < knowledge.confidenceThreshold) {
      this.#offeredPerson = true;
      return reply(
        intent,
        [`I'm sorry, I don't know that. ${OFFER_PERSON}`],
        { answered: false, knowledgeGap: { question: text, bestScore: best?.confidence ?? 0 }, queue: queueFor(text) },
      );
    }
    return reply(intent, [answerFromArticle(best.article.body, question), ANYTHING_ELSE], {
      citations: [best.article.id],
    });
  }
}

function reply(intent: Intent, messages: string[], extra: Partial<BrainReply> = {}): BrainReply {
  return { messages, citations: [], intent: intent.name, queue: intent.queue, answered: true, ...extra };
}

const STATUS_WORDS: Record<string, string> = {
  shipped: 'has shipped',
  delivered: 'was delivered',
  processing: 'is being processed',
  backordered: 'is backordered',
  cancelled: 'was cancelled',
  returned: 'was returned',
};

function describeOrder(order: Order): string {
  const status = STATUS_WORDS[order.status] ?? `is ${order.status}`;
  const eta =
    order.eta && ['shipped', 'processing', 'backordered'].includes(order.status)
      ? ` and should arrive by ${speakDate(order.eta)}`
      : '';
  return `Your order ${spellOrderId(order.id)}, the ${order.item}, ${status}${eta}.`;
}

function speakDate(iso: string): string {
  const d = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

/** Order ids read well both on screen and aloud: "O-1001". */
function spellOrderId(id: string): string {
  return id;
}

function spellDigits(digits: string): string {
  return digits.split('').join(' ');
}

const STOP = new Set(['the', 'a', 'an', 'is', 'are', 'my', 'i', 'you', 'your', 'to', 'of', 'do', 'does', 'can', 'how', 'what', 'when', 'where', 'for', 'it', 'in', 'on', 'and', 'me', 'with']);

/** The one or two sentences of the article that best answer the question, in article order. */
export function answerFromArticle(body: string, question: string): string {
  const plain = body
    .replace(/^#+\s.*$/gm, '')
    .replace(/^.*\|.*$/gm, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/^\s*[-*]\s+/gm, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  // A sentence ends at . ! ? followed by a space: "support@brightline.com" and "$5.99" stay whole.
  const sentences = plain.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/).map((s) => s.trim()).filter(Boolean);
  const terms = new Set(question.split(/[^a-z0-9]+/).filter((w) => w.length > 2 && !STOP.has(w)).map(stem));
  const scored = sentences.map((s, i) => {
    const words = s.toLowerCase().split(/[^a-z0-9]+/).map(stem);
    const overlap = words.filter((w) => terms.has(w)).length;
    return { s, i, score: overlap + (i === 0 ? 0.5 : 0) };
  });
  const top = [...scored].sort((a, b) => b.score - a.score).slice(0, 2).sort((a, b) => a.i - b.i);
  return top.map((t) => t.s).join(' ');
}

function stem(word: string): string {
  return word.replace(/(ing|ed|es|s)$/, '');
}
