// Transcript search within a date range when sids do not follow start time: sessions are
// ingested when they end (and histories are imported in any order), so the session that
// started first may hold the highest sid. Every session in the range must still be found.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INSERT_FACT_WITH_SID_SQL, FACT_COLUMNS } from '../../src/analytics/fact-rows';
import { SessionSearchIndex } from '../../src/analytics/search';
import { transcriptIndexFor } from '../../src/analytics/transcript-index';
import { openDatabase, type SwitchboardDb } from '../../src/store/database';
import { run } from '../../src/store/raw-sql';
import { freshSchema, type TestSchema } from '../support/postgres';

async function addSession(db: SwitchboardDb, sid: number, sessionId: string, startedAt: string, text: string): Promise<void> {
  const values: Record<string, string | number | null> = Object.fromEntries(FACT_COLUMNS.map((c) => [c, null]));
  Object.assign(values, {
    session_id: sessionId, started_at: startedAt, day: startedAt.slice(0, 10), ended_at: startedAt, caller_id: '+15550100001',
    escalated: 0, talk_ms: 0, hold_ms: 0, wrap_ms: 0, handled: 0, contained: 1, abandoned: 0, callback: 0, transferred_count: 0,
    suggestions_shown: 0, suggestions_used: 0, verified: 0, has_recording: 0,
  });
  await run(db, INSERT_FACT_WITH_SID_SQL, [sid, ...FACT_COLUMNS.map((c) => values[c] ?? null)]);
  await transcriptIndexFor(db).addLine(db, sid, { seq: 1, speaker: 'caller', text });
}

describe.each(['sqlite', 'postgres'] as const)('transcript search by date range on %s', (engine) => {
  let db: SwitchboardDb;
  let schema: TestSchema | undefined;
  beforeEach(async () => {
    schema = engine === 'postgres' ? await freshSchema('search_range') : undefined;
    db = schema ? await schema.open() : await openDatabase({ filename: ':memory:' });
  });
  afterEach(async () => {
    await db.destroy();
    await schema?.drop();
  });

  it('finds every matching session in the range whatever order their sids were given', async () => {
    // Started in the order a, b, c, d but ingested d, c, a, b; e is outside the range.
    await addSession(db, 1, 'd', '2026-11-29T15:00:00.000Z', 'my gift card does not work');
    await addSession(db, 2, 'c', '2026-11-29T12:00:00.000Z', 'the gift card balance is wrong');
    await addSession(db, 3, 'e', '2026-11-20T10:00:00.000Z', 'a gift card from last week');
    await addSession(db, 4, 'a', '2026-11-29T08:00:00.000Z', 'can I pay with a gift card');
    await addSession(db, 5, 'b', '2026-11-29T09:00:00.000Z', 'where is my order');
    const search = new SessionSearchIndex(db);
    const today = await search.search({ q: 'gift card', range: { from: '2026-11-29', to: '2026-11-29' }, limit: 10, offset: 0 });
    expect(today.hits.map((h) => h.sessionId).sort()).toEqual(['a', 'c', 'd']);
    expect(today.hits.every((h) => h.snippet?.includes('[gift]'))).toBe(true);
    const week = await search.search({ q: 'gift', range: { from: '2026-11-20', to: '2026-11-29' }, limit: 10, offset: 0 });
    expect(week.hits.map((h) => h.sessionId).sort()).toEqual(['a', 'c', 'd', 'e']);
    const none = await search.search({ q: 'gift', range: { from: '2026-11-21', to: '2026-11-28' }, limit: 10, offset: 0 });
    expect(none.hits).toEqual([]);
  });
});
