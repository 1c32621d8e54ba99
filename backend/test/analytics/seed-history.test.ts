// The synthetic history behind `npm run seed` and `bench -- dashboards`: the SQLite and the
// PostgreSQL writers draw the same sessions from one generator, and the PostgreSQL writer's
// bulk load (indexes dropped, rebuilt at the end) leaves a store the live code can use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedHistory } from '../../../scripts/seed';
import { seedPostgresHistory } from '../../../scripts/seed-postgres';
import { transcriptIndexFor } from '../../src/analytics/transcript-index';
import { openDatabase, type SwitchboardDb } from '../../src/store/database';
import { all } from '../../src/store/raw-sql';
import { freshSchema, type TestSchema } from '../support/postgres';

const SESSIONS = 400;
const LOADED = ['session_facts', 'agent_legs', 'knowledge_gaps', 'transcript_fts', 'callbacks'];

async function counts(db: SwitchboardDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of LOADED) out[t] = Number((await all<{ n: number | string }>(db, `select count(*) as n from ${t}`))[0]!.n);
  return out;
}

describe('seeding a synthetic history', () => {
  let schema: TestSchema;
  let dir: string;
  let pgDb: SwitchboardDb;
  let sqliteDb: SwitchboardDb;
  let indexesBefore: string[];

  beforeAll(async () => {
    schema = await freshSchema('seed');
    const empty = await schema.open();
    const indexNames = () => all<{ indexname: string }>(empty, 'select indexname from pg_indexes where schemaname = ? order by indexname', [schema.schema]);
    indexesBefore = (await indexNames()).map((r) => r.indexname);
    await empty.destroy();
    await seedPostgresHistory({ url: schema.url, schema: schema.schema, sessions: SESSIONS, password: 'seed-password-1', log: () => undefined });
    pgDb = await schema.open();
    dir = mkdtempSync(join(tmpdir(), 'switchboard-seed-'));
    await seedHistory({ dbFile: join(dir, 'switchboard.db'), sessions: SESSIONS, password: 'seed-password-1', log: () => undefined });
    sqliteDb = await openDatabase({ filename: join(dir, 'switchboard.db') });
  });

  afterAll(async () => {
    await pgDb?.destroy();
    await sqliteDb?.destroy();
    await schema?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the same sessions, legs, gaps, transcript lines and callbacks on both engines', async () => {
    const pg = await counts(pgDb);
    expect(pg.session_facts).toBe(SESSIONS);
    expect(pg.transcript_fts).toBeGreaterThan(SESSIONS);
    expect(pg).toEqual(await counts(sqliteDb));
  });

  it('sums the rollups from the same facts the tables hold', async () => {
    const one = async (q: string) => Number((await all<{ n: number | string | null }>(pgDb, q))[0]!.n ?? 0);
    expect(await one('select sum(sessions) as n from queue_day')).toBe(SESSIONS);
    expect(await one('select sum(calls) as n from agent_day')).toBe(await one('select count(*) as n from agent_legs'));
    expect(await one('select sum(n) as n from wait_day')).toBe(await one('select count(*) as n from session_facts where wait_ms is not null'));
    expect(await one('select sum(n) as n from gap_day')).toBe(await one('select count(*) as n from knowledge_gaps'));
  });

  it('leaves every index the migrations made, and the store usable by the live code', async () => {
    const after = await all<{ indexname: string }>(pgDb, 'select indexname from pg_indexes where schemaname = ? order by indexname', [schema.schema]);
    expect(after.map((r) => r.indexname)).toEqual(indexesBefore);
    const [top] = await all<{ hi: number | string }>(pgDb, 'select max(sid) as hi from session_facts');
    const hi = Number(top!.hi);
    const found = await transcriptIndexFor(pgDb).matches(pgDb, ['refund'], 0, (hi + 1) * 4096, 5);
    expect(found.length).toBeGreaterThan(0);
    // The next live session is numbered after the seeded ones.
    await all(pgDb, "insert into session_facts (session_id, started_at, day) values ('live-1', '2026-01-01T00:00:00.000Z', '2026-01-01')");
    const [live] = await all<{ sid: number | string }>(pgDb, "select sid from session_facts where session_id = 'live-1'");
    expect(Number(live!.sid)).toBe(hi + 1);
  });
});
