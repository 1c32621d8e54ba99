// Session review search: filters over session_facts plus full-text over transcript lines.
// With a text query the FTS index is walked newest-first (rowid = sid × 4096 + seq and sids
// grow with ingest order), and each matching session is checked against the filters until a
// page is full, so a common word costs a page, not every match.
// The text match itself is the TranscriptIndex port (FTS5 or PostgreSQL tsvector).
import type { SentimentBucket, SessionSearchHit, SessionSearchResult } from '../../../contracts/analytics-api';
import type { EscalationReason, QueueSkill } from '../../../contracts/conversation';
import type { SwitchboardDb } from '../store/database';
import { rangeEndIso, rangeStartIso, type DayRange } from './date-range';
import { LINE_SLOTS } from './fact-rows';
import { all } from '../store/raw-sql';
import { transcriptIndexFor } from './transcript-index';

export interface SessionSearch {
  q?: string | undefined;
  range: DayRange;
  agentId?: string | undefined;
  team?: string | undefined;
  queue?: string | undefined;
  disposition?: string | undefined;
  reason?: string | undefined;
  sentiment?: SentimentBucket | undefined;
  hasRecording?: boolean | undefined;
  limit: number;
  offset: number;
}

/**
 * The words of a free-text query, every one required (stemming matches word forms), at
 * most 12; undefined when there are none.
 */
export function searchWords(text: string): string[] | undefined {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0).slice(0, 12);
  return words.length === 0 ? undefined : words;
}

interface FactRow {
  sid: number;
  session_id: string;
  started_at: string;
  ended_at: string | null;
  caller_id: string;
  caller_name: string | null;
  agent_id: string | null;
  agent_name: string | null;
  team: string | null;
  queue: string | null;
  reason: string | null;
  intent: string | null;
  disposition: string | null;
  sentiment: SentimentBucket | null;
  has_recording: number;
  contained: number;
  abandoned: number;
}

export class SessionSearchIndex {
  readonly #db: SwitchboardDb;

  constructor(db: SwitchboardDb) {
    this.#db = db;
  }

  #filters(s: SessionSearch): { where: string[]; params: Array<string | number> } {
    const where = ['f.started_at >= ?', 'f.started_at < ?'];
    const params: Array<string | number> = [rangeStartIso(s.range), rangeEndIso(s.range)];
    if (s.agentId !== undefined) {
      where.push('exists (select 1 from agent_legs l where l.agent_id = ? and l.session_id = f.session_id)');
      params.push(s.agentId);
    }
    if (s.team !== undefined) {
      where.push('exists (select 1 from agent_legs l where l.session_id = f.session_id and l.team = ?)');
      params.push(s.team);
    }
    const eq: Array<[string, string | number | undefined]> = [
      ['f.queue', s.queue],
      ['f.disposition', s.disposition],
      ['f.reason', s.reason],
      ['f.sentiment', s.sentiment],
      ['f.has_recording', s.hasRecording === undefined ? undefined : s.hasRecording ? 1 : 0],
    ];
    for (const [col, v] of eq) {
      if (v === undefined) continue;
      where.push(`${col} = ?`);
      params.push(v);
    }
    return { where, params };
  }

  async search(s: SessionSearch): Promise<SessionSearchResult> {
    const { where, params } = this.#filters(s);
    const select =
      'select f.sid, f.session_id, f.started_at, f.ended_at, f.caller_id, f.caller_name, f.agent_id, u.name as agent_name, f.team, f.queue, ' +
      'f.reason, f.intent, f.disposition, f.sentiment, f.has_recording, f.contained, f.abandoned from session_facts f left join users u on u.id = f.agent_id';
    const match = s.q !== undefined ? searchWords(s.q) : undefined;
    let rows: Array<FactRow & { match_seq: number | null }>;
    if (match === undefined) {
      const found = await all<FactRow>(this.#db, `${select} where ${where.join(' and ')} order by f.started_at desc limit ? offset ?`, [...params, s.limit + 1, s.offset]);
      rows = found.map((r) => ({ ...r, match_seq: null }));
    } else {
      rows = await this.#textSearch(match, select, where, params, s);
    }
    const hasMore = rows.length > s.limit;
    const page = rows.slice(0, s.limit);
    const qa = page.length === 0 ? [] : await all<{ session_id: string; total: number }>(
      this.#db,
      `select session_id, avg(total) as total from qa_scores where session_id in (${page.map(() => '?').join(', ')}) group by session_id`,
      page.map((r) => r.session_id),
    );
    const qaBy = new Map(qa.map((r) => [r.session_id, r.total]));
    const hits: SessionSearchHit[] = [];
    for (const r of page) {
      let snippet: string | null = null;
      if (match !== undefined && r.match_seq !== null) {
        // Terms are bracketed here, the same on either engine.
        const line = await transcriptIndexFor(this.#db).lineText(this.#db, r.sid * LINE_SLOTS + r.match_seq);
        snippet = line !== undefined ? highlight(line, s.q ?? '') : null;
      }
      hits.push({
        sessionId: r.session_id,
        startedAt: r.started_at,
        endedAt: r.ended_at,
        callerId: r.caller_id,
        callerName: r.caller_name,
        agentId: r.agent_id,
        agentName: r.agent_name,
        team: r.team,
        queue: r.queue as QueueSkill | null,
        escalationReason: r.reason as EscalationReason | null,
        intent: r.intent,
        disposition: r.disposition,
        sentiment: r.sentiment,
        hasRecording: r.has_recording === 1,
        contained: r.contained === 1,
        abandoned: r.abandoned === 1,
        snippet,
        matchSeq: r.match_seq,
        qaScore: qaBy.get(r.session_id) ?? null,
      });
    }
    return { hits, limit: s.limit, offset: s.offset, hasMore };
  }

  async #textSearch(match: readonly string[], select: string, where: string[], params: Array<string | number>, s: SessionSearch): Promise<Array<FactRow & { match_seq: number | null }>> {
    // Bound the FTS walk by the lowest and highest sid of the sessions in the date range.
    // Sids follow the order sessions were ingested (at their end, or as a history was
    // imported), not their start time, so the sids of the first- and last-started sessions
    // are not the bounds. Each day's lowest and highest sid are two probes of the (day, sid)
    // index, and the days that have sessions are found by skipping through the same index,
    // so the cost grows with the days in range, not the sessions (min/max over a started_at
    // range read them all: ~1 s for 30 days at a million sessions on PostgreSQL).
    const [bounds] = await all<{ lo: number | null; hi: number | null }>(
      this.#db,
      'with recursive d(day) as (' +
        'select min(day) from session_facts where day >= ? and day <= ? ' +
        'union all select (select min(f.day) from session_facts f where f.day > d.day and f.day <= ?) from d where d.day is not null) ' +
        'select min(lo) as lo, max(hi) as hi from (select (select min(f.sid) from session_facts f where f.day = d.day) as lo, ' +
        '(select max(f.sid) from session_facts f where f.day = d.day) as hi from d where d.day is not null) x',
      [s.range.from, s.range.to, s.range.to],
    );
    if (!bounds || bounds.lo === null || bounds.hi === null) return [];
    const need = s.offset + s.limit + 1;
    const out: Array<FactRow & { match_seq: number | null }> = [];
    const seen = new Set<number>();
    // PostgreSQL returns min/max of a bigint as a string.
    let hi = (Number(bounds.hi) + 1) * LINE_SLOTS - 1;
    const lo = Number(bounds.lo) * LINE_SLOTS;
    const batch = 400;
    // Walk matches newest-first in batches; each batch's distinct sessions are filtered in one query.
    while (out.length < need && hi >= lo) {
      const lines = await transcriptIndexFor(this.#db).matches(this.#db, match, lo, hi, batch);
      if (lines.length === 0) break;
      const firstSeq = new Map<number, number>();
      for (const rowid of lines) {
        const sid = Math.floor(rowid / LINE_SLOTS);
        if (seen.has(sid)) continue;
        firstSeq.set(sid, rowid % LINE_SLOTS);
      }
      for (const sid of firstSeq.keys()) seen.add(sid);
      if (firstSeq.size > 0) {
        const sids = [...firstSeq.keys()];
        const found = await all<FactRow>(this.#db, `${select} where f.sid in (${sids.map(() => '?').join(', ')}) and ${where.join(' and ')} order by f.sid desc`, [...sids, ...params]);
        for (const r of found) out.push({ ...r, match_seq: firstSeq.get(r.sid) ?? null });
      }
      hi = lines[lines.length - 1]! - 1;
      if (lines.length < batch) break;
    }
    return out.slice(s.offset, need);
  }
}

/** Brackets the words of the query (and words they prefix) in a transcript line. */
export function highlight(text: string, q: string): string {
  const words = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  if (words.length === 0) return text;
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return text.replace(new RegExp(`\\b(${escaped.join('|')})[\\p{L}\\p{N}]*`, 'giu'), (m) => `[${m}]`);
}
