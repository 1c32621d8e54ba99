// The handoff brief: what a human agent needs in the first five seconds of a call the AI
// hands over — who is calling (and whether that is proven), what they want, what the AI
// already did, why it escalated, how the caller feels, and what to watch out for. It is
// computed from the session log alone, so it can be rebuilt at any time and never shows
// CRM data for a caller whose identity the log does not show as verified.
import type { EscalationReason, Speaker, VerificationMethod } from '../../../contracts/conversation';
import type { Customer, Order, Ticket } from '../../../contracts/crm';
import type { AnySessionEvent } from '../../../contracts/events';
import { detectIntent, extractDate, extractOrderId, extractZip } from '../brain/caller-understanding';
import { scoreSentiment, type Mood } from '../policy/sentiment';
import type { KnowledgeBase } from '../knowledge/knowledge-base';
import { statusNote } from './order-wording';
import { capitalize, joinList, quote } from './plain-text';
import { transcriptLines, type TranscriptLine } from './transcript-lines';

export interface HandoffBrief {
  caller: {
    /** The CRM name once verified; before that only the name the caller typed, if any. */
    name: string | null;
    /** False when `name` is what the caller typed on the call page, not the verified account's. */
    nameVerified: boolean;
    phone: string;
    customerId: string | null;
    verified: boolean;
    verificationMethod?: VerificationMethod;
    tier?: string;
    /**
     * Before verification, when the CRM has an account for the number: only that a match
     * exists, the name as the caller gave it and the number masked — nothing of the record.
     */
    candidateMatch?: { name: string | null; phone: string };
  };
  /** One sentence: what the caller wants, from their intents and their own words. */
  wants: string;
  /** What the AI already did, from tool results and cited answers, in call order. */
  aiActions: string[];
  escalation: { reason: EscalationReason; detail: string; queue: string } | null;
  /** From caller turns, weighted to the latest. */
  mood: Mood;
  moodTrend: 'improving' | 'steady' | 'worsening';
  /** Things the agent must not miss: injection attempts, knowledge gaps, failed verification. */
  flags: string[];
  transcriptTail: Array<{ speaker: Speaker; text: string }>;
}

export interface HandoffBriefOptions {
  /** Names cited articles by title ("Return policy") instead of by id ("returns"). */
  knowledge?: Pick<KnowledgeBase, 'get'>;
}

const TAIL_LINES = 6;
const METHOD_WORDS: Record<VerificationMethod, string> = { zip: 'zip code', dob: 'date of birth' };
// Each older caller turn counts half as much as the one after it: an angry opening the AI
// has since calmed matters less than how the caller sounds right now.
const MOOD_DECAY = 0.5;
// A change in mean sentiment score smaller than this between the earlier and the recent
// caller turns is noise from a word-list scorer, not a trend.
const TREND_MIN_CHANGE = 1;
const MAX_WANTS = 3;

export function buildHandoffBrief(
  events: readonly AnySessionEvent[],
  customer?: Customer,
  options: HandoffBriefOptions = {},
): HandoffBrief {
  const started = events.find((e) => e.type === 'session.started');
  const verifiedEvent = findLast(events, 'identity.verified');
  const verified = verifiedEvent !== undefined;
  // A customer record for someone else than the verified account is never shown.
  const account = verified && customer && customer.id === verifiedEvent.data.customerId ? customer : undefined;
  const typedName = started?.data.callerName?.trim() || null;

  const caller: HandoffBrief['caller'] = {
    name: account?.name ?? typedName,
    nameVerified: account !== undefined,
    phone: started?.data.callerId ?? 'unknown',
    customerId: verified ? verifiedEvent.data.customerId : null,
    verified,
    ...(verified ? { verificationMethod: verifiedEvent.data.method } : {}),
    ...(account ? { tier: account.tier } : {}),
  };
  const matched = verified ? undefined : candidateLookup(events);
  if (matched) caller.candidateMatch = { name: typedName, phone: maskPhone(matched) };

  const lines = transcriptLines(events);
  const { mood, moodTrend } = moodOf(lines);
  const escalated = findLast(events, 'call.escalated');

  return {
    caller,
    wants: describeWants(events, lines, options),
    aiActions: describeAiActions(events, verified, options),
    escalation: escalated
      ? { reason: escalated.data.reason, detail: escalated.data.detail, queue: escalated.data.queue }
      : null,
    mood,
    moodTrend,
    flags: describeFlags(events, verified),
    transcriptTail: lines.slice(-TAIL_LINES).map(({ speaker, text }) => ({ speaker, text })),
  };
}

/** A compact plain-text brief for logs and the CRM note; no markdown, one fact per line. */
export function renderBriefText(brief: HandoffBrief): string {
  const { caller } = brief;
  const who = caller.name
    ? caller.nameVerified
      ? `${caller.name}${caller.tier ? ` (${caller.tier} tier)` : ''}`
      : `${caller.name} (name typed by the caller, unverified)`
    : 'Unknown caller';
  const identity = caller.verified
    ? `verified by ${caller.verificationMethod ? METHOD_WORDS[caller.verificationMethod] : 'the AI'}`
    : 'NOT verified';
  const out = [
    `Caller: ${who}, ${caller.phone}${caller.customerId ? `, customer ${caller.customerId}` : ''}, ${identity}`,
    `Wants: ${brief.wants}`,
  ];
  if (brief.escalation) {
    const e = brief.escalation;
    out.push(`Escalated: ${e.reason.replace(/_/g, ' ')} (${e.detail}), queue ${e.queue}`);
  }
  out.push(`Mood: ${brief.mood}, ${brief.moodTrend}`);
  if (brief.aiActions.length > 0) out.push(`AI did: ${brief.aiActions.join('; ')}`);
  if (brief.flags.length > 0) out.push(`Flags: ${brief.flags.join('; ')}`);
  if (brief.transcriptTail.length > 0) {
    out.push('Last lines:');
    for (const line of brief.transcriptTail) out.push(`  ${line.speaker}: ${line.text}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------

type EventOf<T extends AnySessionEvent['type']> = Extract<AnySessionEvent, { type: T }>;

function findLast<T extends AnySessionEvent['type']>(events: readonly AnySessionEvent[], type: T): EventOf<T> | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type === type) return event as EventOf<T>;
  }
  return undefined;
}

function eventsOf<T extends AnySessionEvent['type']>(events: readonly AnySessionEvent[], type: T): Array<EventOf<T>> {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

function articleName(id: string, options: HandoffBriefOptions): string {
  return options.knowledge?.get(id)?.title ?? id;
}

/** What the caller asked for, turn by turn, as short phrases starting with a verb. */
function describeWants(events: readonly AnySessionEvent[], lines: readonly TranscriptLine[], options: HandoffBriefOptions): string {
  const escalateTurns = new Map<number, string>();
  for (const call of eventsOf(events, 'tool.called')) {
    if (call.data.name === 'escalate') escalateTurns.set(call.data.turn, String(call.data.args.reason ?? ''));
  }
  const gapTurns = new Set(eventsOf(events, 'knowledge.gap').map((e) => e.data.turn));
  const suspiciousTurns = new Set(
    eventsOf(events, 'security.suspicious')
      .filter((e) => !e.data.patterns.includes('disclosure_blocked'))
      .map((e) => e.data.turn),
  );
  const citedTurns = new Map<number, string[]>();
  for (const said of eventsOf(events, 'ai.said')) {
    if (said.data.citations.length > 0) citedTurns.set(said.data.turn, said.data.citations);
  }
  const policyTopic = eventsOf(events, 'call.escalated').find((e) => e.data.reason === 'policy_topic');

  const phrases = new Map<string, string>();
  const add = (key: string, phrase: string) => {
    // A repeated request moves to the end: what the caller asked last is what they still want.
    phrases.delete(key);
    phrases.set(key, phrase);
  };
  for (const line of lines) {
    if (line.speaker !== 'caller') continue;
    const turn = line.turn;
    const escalation = turn !== undefined ? escalateTurns.get(turn) : undefined;
    if (escalation === 'caller_request') {
      add('person', 'asked for a person');
      continue;
    }
    if (line.keyed) continue;
    if (escalation === 'policy_topic' && policyTopic) {
      add(`policy:${policyTopic.data.detail}`, `raised ${policyTopic.data.detail.replace(/_/g, ' ')}: ${quote(line.text)}`);
      continue;
    }
    // An outburst is the mood's business, and an attempt to instruct the AI is a flag; neither is a request.
    if (escalation === 'negative_sentiment' || (turn !== undefined && suspiciousTurns.has(turn))) continue;
    const intent = detectIntent(line.text);
    switch (intent.name) {
      case 'greeting':
      case 'goodbye':
      case 'affirm':
      case 'deny':
        break;
      case 'order_status': {
        const orderId = extractOrderId(line.text);
        add(`order:${orderId ?? ''}`, orderId ? `asked for the status of order ${orderId}` : 'asked where their order is');
        break;
      }
      case 'list_orders':
        add('orders', 'asked for a list of their orders');
        break;
      case 'create_ticket':
        add('ticket', `asked to open a support ticket: ${quote(line.text)}`);
        break;
      case 'callback':
        add('callback', 'asked for a callback');
        break;
      case 'account_details':
        add('account', 'asked for their account details');
        break;
      case 'verify':
      case 'question': {
        // A zip code or a date of birth answers the AI's verification prompt; it is not a request.
        if (isVerificationAnswer(line.text)) break;
        const cited = turn !== undefined ? citedTurns.get(turn) : undefined;
        const key = `q:${line.text.toLowerCase().trim()}`;
        if (cited?.[0]) add(key, `asked about ${articleName(cited[0], options)}: ${quote(line.text)}`);
        else if (turn !== undefined && gapTurns.has(turn)) add(key, `asked ${quote(line.text)} (the AI had no answer)`);
        else add(key, `asked ${quote(line.text)}`);
        break;
      }
    }
  }
  const recent = [...phrases.values()].slice(-MAX_WANTS);
  if (recent.length === 0) return 'Has not said what they need yet.';
  return `${capitalize(joinList(recent))}.`;
}

/** The number of the last CRM lookup that found an account (the candidate), if any. */
function candidateLookup(events: readonly AnySessionEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== 'tool.called' || e.data.name !== 'lookup_customer' || !e.data.ok) continue;
    if (asRecord(e.data.result).found !== true) return undefined;
    return typeof e.data.args.phone === 'string' ? e.data.args.phone : undefined;
  }
  return undefined;
}

/** "+15550100001" → "+1••••••0001": enough to recognise, not enough to look up. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '•'.repeat(phone.length);
  return `${phone.slice(0, 2)}${'•'.repeat(phone.length - 6)}${phone.slice(-4)}`;
}

function isVerificationAnswer(text: string): boolean {
  if (!extractZip(text) && !extractDate(text)) return false;
  // Short replies only: "my zip is 94107"; a long sentence with a date in it is a question.
  return text.trim().split(/\s+/).length <= 10;
}

function describeAiActions(events: readonly AnySessionEvent[], verified: boolean, options: HandoffBriefOptions): string[] {
  const actions: string[] = [];
  const callerId = events.find((e) => e.type === 'session.started')?.data.callerId;
  for (const event of events) {
    if (event.type === 'ai.said') {
      for (const id of event.data.citations) actions.push(`Answered from article '${articleName(id, options)}'`);
      continue;
    }
    if (event.type !== 'tool.called') continue;
    const { name, args, ok } = event.data;
    const result = asRecord(event.data.result);
    const refused = result.error === 'not_verified';
    switch (name) {
      case 'lookup_customer': {
        const own = args.phone === callerId;
        const subject = own ? "the caller's number" : 'the number the caller gave';
        // Before verification the brief says only that a match exists, not whose account it is.
        if (!ok) actions.push(`Could not look up ${subject} in the CRM`);
        else if (result.found) actions.push(`Matched ${subject} to a CRM account${verified && result.customerId ? ` (${String(result.customerId)})` : ''}`);
        else actions.push(`Found no CRM account for ${subject}`);
        break;
      }
      case 'verify_identity': {
        const method = result.method === 'zip' || result.method === 'dob' ? METHOD_WORDS[result.method] : 'an unrecognized answer';
        if (ok && result.verified) actions.push(`Verified identity by ${method}`);
        else actions.push(`Identity check by ${method} did not match${result.failures ? ` (failure ${String(result.failures)})` : ''}`);
        break;
      }
      case 'order_status': {
        if (refused) actions.push('Order lookup refused: caller not verified');
        else if (!ok) actions.push(`Order ${String(result.orderId ?? args.orderId ?? '')} not found on the account`.replace('  ', ' '));
        else {
          const orders = ordersIn(result);
          const first = orders[0];
          // The AI read out only the first order, so that is the one the caller heard about.
          actions.push(first ? `Looked up order ${first.id}: ${statusNote(first)}` : 'Looked up orders: none on the account');
        }
        break;
      }
      case 'list_orders': {
        if (refused || !ok) {
          actions.push(refused ? 'Order list refused: caller not verified' : 'Could not list orders');
          break;
        }
        const orders = ordersIn(result);
        const shown = orders.slice(0, 3).map((o) => `${o.id} ${o.status}`);
        actions.push(
          orders.length === 0
            ? 'Listed orders: none on the account'
            : `Listed ${orders.length} order${orders.length === 1 ? '' : 's'}: ${shown.join(', ')}${orders.length > 3 ? ', …' : ''}`,
        );
        break;
      }
      case 'create_ticket': {
        const ticket = asRecord(result.ticket) as Partial<Ticket>;
        if (refused) actions.push('Ticket refused: caller not verified');
        else if (!ok || !ticket.id) actions.push('Could not open a ticket');
        else actions.push(`Opened ticket ${ticket.id}: ${quote(String(ticket.subject ?? args.subject ?? ''))}`);
        break;
      }
      case 'schedule_callback': {
        const callback = asRecord(result.callback);
        const phone = typeof callback.phone === 'string' ? callback.phone : '';
        actions.push(ok ? `Scheduled a callback to the number ending ${phone.slice(-4)}` : 'Could not schedule a callback');
        break;
      }
      // Escalation has its own field in the brief; ending the call is the outcome, not help given.
      case 'escalate':
      case 'end_call':
        break;
    }
  }
  return actions;
}

function describeFlags(events: readonly AnySessionEvent[], verified: boolean): string[] {
  const flags = new Set<string>();
  for (const event of events) {
    switch (event.type) {
      case 'security.suspicious':
        for (const pattern of event.data.patterns) {
          flags.add(
            pattern === 'disclosure_blocked'
              ? 'An AI reply was blocked before verification because it named account data'
              : `Suspicious request flagged: ${pattern}`,
          );
        }
        break;
      case 'knowledge.gap':
        flags.add(`Knowledge gap: ${event.data.question}`);
        break;
      case 'media.error':
        flags.add(`Technical problem (${event.data.stage}): ${event.data.message}`);
        break;
      case 'session.linked':
        // The last call's gist is account context: its details only for a verified caller.
        flags.add(
          verified
            ? `Called before (${event.data.previousStartedAt.slice(0, 16).replace('T', ' ')} UTC): ${event.data.summary}`
            : `Called from this number before (${event.data.previousStartedAt.slice(0, 16).replace('T', ' ')} UTC); details once verified`,
        );
        break;
      default:
        break;
    }
  }
  if (!verified) {
    const failures = eventsOf(events, 'identity.verification_failed').length;
    if (failures > 0) flags.add(`Identity not verified: ${failures} failed attempt${failures === 1 ? '' : 's'}`);
    const matched = eventsOf(events, 'tool.called').some(
      (e) => e.data.name === 'lookup_customer' && e.data.ok && asRecord(e.data.result).found === true,
    );
    if (matched) flags.add('Caller ID matches a CRM account, but identity is not verified: verify before discussing the account');
  }
  return [...flags];
}

function moodOf(lines: readonly TranscriptLine[]): Pick<HandoffBrief, 'mood' | 'moodTrend'> {
  const scores = lines.filter((l) => l.speaker === 'caller' && !l.keyed).map((l) => scoreSentiment(l.text).score);
  if (scores.length === 0) return { mood: 'neutral', moodTrend: 'steady' };
  // A decayed sum, not a mean: one furious last turn must read as upset however calm the
  // call was before it, while a caller who has calmed down drifts back towards neutral.
  let weighted = 0;
  let weight = 1;
  for (let i = scores.length - 1; i >= 0; i--) {
    weighted += scores[i]! * weight;
    weight *= MOOD_DECAY;
  }
  // The same thresholds as a single turn's mood in scoreSentiment.
  const mood: Mood = weighted <= -4 ? 'upset' : weighted <= -2 ? 'negative' : weighted >= 2 ? 'positive' : 'neutral';
  if (scores.length < 2) return { mood, moodTrend: 'steady' };
  const recentCount = Math.min(2, Math.ceil(scores.length / 2));
  const recent = mean(scores.slice(-recentCount));
  const earlier = mean(scores.slice(0, -recentCount));
  const change = recent - earlier;
  const moodTrend = change >= TREND_MIN_CHANGE ? 'improving' : change <= -TREND_MIN_CHANGE ? 'worsening' : 'steady';
  return { mood, moodTrend };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function ordersIn(result: Record<string, unknown>): Order[] {
  return Array.isArray(result.orders) ? (result.orders as Order[]) : [];
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
