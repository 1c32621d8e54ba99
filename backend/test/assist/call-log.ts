// Test support for the assist module: real conversations on the embedded product (demo CRM,
// shipped articles, in-memory store) to get realistic session logs, and a builder for
// hand-made logs when a test needs an event the text conversation cannot produce.
import type { AnySessionEvent, SessionEventPayloads, SessionEventType } from '../../../contracts/events';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';

export const DANA_PHONE = '+15550100001';
export const MARCUS_PHONE = '+15550100002';

export async function demoServices(): Promise<Services> {
  return createServices({ config: defaultConfig({ LOG_LEVEL: 'silent' }), databaseFile: ':memory:' });
}

/** Plays the caller's lines as text turns and returns the session log. */
export async function playCall(
  services: Services,
  turns: readonly string[],
  opts: { callerId?: string; callerName?: string } = {},
): Promise<AnySessionEvent[]> {
  const conversation = await services.startConversation({
    channel: 'text',
    callerId: opts.callerId ?? DANA_PHONE,
    ...(opts.callerName ? { callerName: opts.callerName } : {}),
  });
  for (const text of turns) {
    const turn = await conversation.handle({ kind: 'text', text });
    if (turn.ended) break;
  }
  return services.store.listEvents(conversation.sessionId);
}

/** A hand-built log: sequence numbers and timestamps filled in. */
export function logOf(...entries: Array<Entry>): AnySessionEvent[] {
  return entries.map(([type, data], i) => ({
    sessionId: 's-test',
    seq: i + 1,
    type,
    at: new Date(Date.UTC(2026, 10, 1, 10, 0, i)).toISOString(),
    data,
  })) as AnySessionEvent[];
}

export type Entry = { [K in SessionEventType]: [K, SessionEventPayloads[K]] }[SessionEventType];
