// Call-backs resume: a caller who rings again within the window continues where they left
// off. This finds their previous session and reads it into a short summary and its open
// items (tickets opened, callbacks promised, a handoff that never reached a person). The
// summary is account context: brains receive it only once the caller is verified.
import type { AnySessionEvent } from '../../../contracts/events';
import type { SessionStore } from '../store/session-store';

export interface PreviousCall {
  sessionId: string;
  startedAt: string;
  customerId: string | null;
  /** What the caller wanted last time, in their words (shortened). */
  topic: string;
  summary: string;
  openItems: string[];
}

export async function findPreviousCall(
  store: SessionStore,
  callerId: string,
  sessionId: string,
  windowHours: number,
  now = Date.now(),
): Promise<PreviousCall | undefined> {
  // Withheld or unknown numbers cannot be told apart: never resume on them.
  if (windowHours <= 0 || !/^\+\d{6,}$/.test(callerId)) return undefined;
  const previous = await store.latestSessionOf(callerId, new Date(now - windowHours * 3_600_000), sessionId);
  if (!previous) return undefined;
  const read = summarizeCall(await store.listEvents(previous.id));
  if (!read) return undefined;
  return { sessionId: previous.id, startedAt: previous.startedAt, customerId: previous.customerId, ...read };
}

/** The gist of a finished call from its event log, or undefined when the caller said nothing. */
export function summarizeCall(events: readonly AnySessionEvent[]): Omit<PreviousCall, 'sessionId' | 'startedAt' | 'customerId'> | undefined {
  const firstWords = events.find((e) => e.type === 'caller.said');
  if (!firstWords || firstWords.type !== 'caller.said') return undefined;
  const topic = shorten(firstWords.data.text, 90);
  const parts = [`the caller said "${topic}"`];
  const openItems: string[] = [];
  let escalated: string | undefined;
  let agentJoined = false;
  let wrapUp: string | undefined;
  for (const e of events) {
    if (e.type === 'call.escalated') escalated = e.data.reason.replaceAll('_', ' ');
    if (e.type === 'agent.accepted') agentJoined = true;
    if (e.type === 'wrapup.submitted') wrapUp = `${e.data.disposition}${e.data.notes ? ` (${shorten(e.data.notes, 120)})` : ''}`;
    if (e.type === 'callback.scheduled') openItems.push(`a callback to ${e.data.phone}`);
    if (e.type === 'tool.called' && e.data.name === 'create_ticket' && e.data.ok) {
      const id = (e.data.result as { ticket?: { id?: string } }).ticket?.id;
      if (id) openItems.push(`ticket ${id}`);
    }
  }
  if (escalated) parts.push(agentJoined ? `a person took the call (${escalated})` : `it was handed to a person (${escalated}) but no one answered before it ended`);
  if (escalated && !agentJoined) openItems.push('a handoff to a person that did not connect');
  if (wrapUp) parts.push(`the agent closed it as ${wrapUp}`);
  if (openItems.length > 0) parts.push(`open: ${openItems.join(', ')}`);
  return { topic, summary: `${parts.join('; ')}.`, openItems };
}

function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}
