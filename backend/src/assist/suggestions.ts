// Suggested replies for the human agent after each final caller turn: what the agent could
// say next, each with the knowledge article or CRM record it comes from, so the agent can
// check it before reading it out. Knowledge answers are public; CRM facts are offered only
// for a verified caller, because a suggestion is meant to be said aloud as it stands.
import { createHash } from 'node:crypto';
import type { Customer, Order, Ticket } from '../../../contracts/crm';
import { answerFromArticle, detectIntent, extractOrderId, normalizeUtterance } from '../brain/caller-understanding';
import { contentTerms, KNOWLEDGE_CONFIDENCE_THRESHOLD, type KnowledgeBase } from '../knowledge/knowledge-base';
import { isInFlight, orderFact, orderSentence } from './order-wording';

export type SuggestionSource =
  | { kind: 'article'; id: string; title: string }
  | { kind: 'crm'; fact: string; recordId: string };

export interface Suggestion {
  /** Stable for the same text and source, so the app can keep a card across re-renders and log which one was used. */
  id: string;
  /** What the agent could say. */
  text: string;
  source: SuggestionSource;
}

export interface SuggestionInput {
  callerText: string;
  customer?: Customer;
  verified: boolean;
  orders?: Order[];
  tickets?: Ticket[];
  knowledge: KnowledgeBase;
}

const MAX_SUGGESTIONS = 3;
// Two articles at most: a third hit above the threshold is almost always a neighbouring
// topic, and a CRM fact about the caller's own account is worth more than it.
const MAX_ARTICLES = 2;

const ORDER_WORDS = /\b(orders?|package|parcel|delivery|deliver(ed)?|shipment|shipping|shipped|tracking|track|arrive|arrived|arriving)\b/;
const REFUND_WORDS = /\b(refunds?|refunded|money back|reimburse(ment)?|credited)\b/;
const TICKET_WORDS = /\b(ticket|case|complaint|reported|report)\b/;
// Statuses that say a ticket no longer needs anyone.
const CLOSED_TICKET = new Set(['closed', 'resolved', 'solved', 'cancelled']);

export function suggestReplies(input: SuggestionInput): Suggestion[] {
  const question = normalizeUtterance(input.callerText);
  if (!question) return [];
  const crm = input.verified && input.customer ? crmSuggestions(question, input.customer, input) : [];
  const articles = articleSuggestions(question, input.knowledge);
  // The caller's own record answers "where is my package" better than the general article,
  // and it only appears when the caller clearly spoke about it, so it goes first.
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  for (const suggestion of [...crm, ...articles]) {
    if (seen.has(suggestion.id)) continue;
    seen.add(suggestion.id);
    out.push(suggestion);
    if (out.length >= MAX_SUGGESTIONS) break;
  }
  return out;
}

function suggestion(text: string, source: SuggestionSource): Suggestion {
  const id = createHash('sha256').update(JSON.stringify([text, source])).digest('hex').slice(0, 16);
  return { id: `sg-${id}`, text, source };
}

function articleSuggestions(question: string, knowledge: KnowledgeBase): Suggestion[] {
  return knowledge
    .search(question, MAX_ARTICLES)
    .filter((hit) => hit.confidence >= KNOWLEDGE_CONFIDENCE_THRESHOLD)
    .map((hit) =>
      suggestion(answerFromArticle(hit.article.body, question), {
        kind: 'article',
        id: hit.article.id,
        title: hit.article.title,
      }),
    );
}

function crmSuggestions(question: string, customer: Customer, input: SuggestionInput): Suggestion[] {
  // Records of another customer never reach a suggestion, whatever the caller passed in.
  const orders = (input.orders ?? []).filter((o) => o.customerId === customer.id);
  const tickets = (input.tickets ?? []).filter((t) => t.customerId === customer.id);
  const out: Suggestion[] = [];

  const intent = detectIntent(question).name;
  const orderId = extractOrderId(question);
  const refund = REFUND_WORDS.test(question);
  if (refund) {
    for (const order of orders.filter((o) => o.status === 'returned' || o.status === 'refunded').slice(0, 1)) {
      out.push(suggestion(orderSentence(order), { kind: 'crm', fact: orderFact(order), recordId: order.id }));
    }
  }
  if (out.length === 0 && (orderId || intent === 'order_status' || intent === 'list_orders' || ORDER_WORDS.test(question))) {
    const order = pickOrder(question, orders, orderId);
    if (order) out.push(suggestion(orderSentence(order), { kind: 'crm', fact: orderFact(order), recordId: order.id }));
  }
  const ticket = pickTicket(question, tickets);
  if (ticket) {
    out.push(
      suggestion(`I can see your ticket ${ticket.id} about "${ticket.subject}", and it is still ${ticket.status}.`, {
        kind: 'crm',
        fact: `Ticket ${ticket.id} status ${ticket.status}, opened ${ticket.createdAt.slice(0, 10)}: ${ticket.subject}`,
        recordId: ticket.id,
      }),
    );
  }
  return out;
}

/** The order the caller means: the one they named, else one whose item they named, else the one on its way, else the newest. */
function pickOrder(question: string, orders: readonly Order[], orderId: string | undefined): Order | undefined {
  if (orderId) return orders.find((o) => o.id.toUpperCase() === orderId.toUpperCase());
  const asked = new Set(contentTerms(question));
  const byItem = orders.filter((o) => contentTerms(o.item).some((term) => asked.has(term)));
  const candidates = byItem.length > 0 ? byItem : orders;
  const newestFirst = [...candidates].sort((a, b) => (b.eta ?? '').localeCompare(a.eta ?? ''));
  return newestFirst.find(isInFlight) ?? newestFirst[0];
}

/** An open ticket the caller's words point at, or their newest open one when they mention a ticket. */
function pickTicket(question: string, tickets: readonly Ticket[]): Ticket | undefined {
  const open = tickets
    .filter((t) => !CLOSED_TICKET.has(t.status.toLowerCase()))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (open.length === 0) return undefined;
  const asked = new Set(contentTerms(question));
  let best: { ticket: Ticket; overlap: number } | undefined;
  for (const ticket of open) {
    const overlap = contentTerms(ticket.subject).filter((term) => asked.has(term)).length;
    if (overlap > (best?.overlap ?? 0)) best = { ticket, overlap };
  }
  // One shared word is enough only when it is most of what the caller said ("my earbuds
  // are broken"); in a long sentence a single common word ("date") is a coincidence.
  if (best && (best.overlap >= 2 || best.overlap / Math.max(1, asked.size) >= 0.5)) return best.ticket;
  return TICKET_WORDS.test(question) ? open[0] : undefined;
}
