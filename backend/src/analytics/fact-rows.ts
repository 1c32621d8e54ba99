// Row shapes and SQL for writing a session's analysis: its fact row, its agent legs, its
// knowledge gaps and its transcript lines. Shared by the live ingest and the seeder so the
// two write identical rows.
import type { AgentLeg, GapRecord, SessionFact, TranscriptLine } from './session-facts';

/** Full-text rowid = sid × LINE_SLOTS + seq: lines beyond seq 4095 of one session are not indexed. */
export const LINE_SLOTS = 4096;

export const FACT_COLUMNS = [
  'session_id', 'started_at', 'day', 'ended_at', 'caller_id', 'caller_name', 'agent_id', 'team', 'queue', 'escalated', 'reason',
  'intent', 'queued_at', 'accepted_at', 'wait_ms', 'talk_ms', 'hold_ms', 'wrap_ms', 'handled', 'contained', 'abandoned', 'callback',
  'transferred_count', 'disposition', 'sentiment_start', 'sentiment_end', 'sentiment', 'suggestions_shown', 'suggestions_used',
  'verified', 'has_recording', 'csat',
] as const;

const b = (v: boolean): number => (v ? 1 : 0);

export function factParams(f: SessionFact): Array<string | number | null> {
  return [
    f.sessionId, f.startedAt, f.day, f.endedAt, f.callerId, f.callerName, f.agentId, f.team, f.queue, b(f.escalated), f.reason,
    f.intent, f.queuedAt, f.acceptedAt, f.waitMs, f.talkMs, f.holdMs, f.wrapMs, b(f.handled), b(f.contained), b(f.abandoned),
    b(f.callback), f.transferredCount, f.disposition, f.sentimentStart, f.sentimentEnd, f.sentiment, f.suggestionsShown,
    f.suggestionsUsed, b(f.verified), b(f.hasRecording), f.csat,
  ];
}

/** Inserts or rewrites a fact row (keeping its sid). */
export const UPSERT_FACT_SQL =
  `insert into session_facts (${FACT_COLUMNS.join(', ')}) values (${FACT_COLUMNS.map(() => '?').join(', ')}) ` +
  `on conflict (session_id) do update set ${FACT_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}`;

export const INSERT_FACT_WITH_SID_SQL =
  `insert into session_facts (sid, ${FACT_COLUMNS.join(', ')}) values (?, ${FACT_COLUMNS.map(() => '?').join(', ')})`;

export const LEG_COLUMNS = [
  'session_id', 'leg', 'agent_id', 'team', 'day', 'accepted_at', 'talk_ms', 'hold_ms', 'wrap_ms', 'transferred_out', 'sentiment_start',
  'sentiment_end', 'suggestions_shown', 'suggestions_used', 'disposition', 'csat',
] as const;

/** Portable upsert (SQLite ≥ 3.24 and PostgreSQL), replacing SQLite's `insert or replace`. */
function upsert(table: string, columns: readonly string[], keyCount: number): string {
  const rest = columns.slice(keyCount);
  return (
    `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) ` +
    `on conflict (${columns.slice(0, keyCount).join(', ')}) do update set ${rest.map((c) => `${c} = excluded.${c}`).join(', ')}`
  );
}

export const INSERT_LEG_SQL = upsert('agent_legs', LEG_COLUMNS, 2);

export function legParams(l: AgentLeg): Array<string | number | null> {
  return [
    l.sessionId, l.leg, l.agentId, l.team, l.day, l.acceptedAt, l.talkMs, l.holdMs, l.wrapMs, b(l.transferredOut), l.sentimentStart,
    l.sentimentEnd, l.suggestionsShown, l.suggestionsUsed, l.disposition, l.csat,
  ];
}

export const GAP_COLUMNS = ['session_id', 'seq', 'day', 'at', 'question', 'signature'] as const;

export const INSERT_GAP_SQL = upsert('knowledge_gaps', GAP_COLUMNS, 2);

export function gapParams(sessionId: string, day: string, g: GapRecord): Array<string | number> {
  return [sessionId, g.seq, day, g.at, g.question, g.signature];
}

export function lineParams(sid: number, line: TranscriptLine): Array<string | number> | undefined {
  if (line.seq >= LINE_SLOTS) return undefined;
  return [sid * LINE_SLOTS + line.seq, line.text, line.speaker];
}
