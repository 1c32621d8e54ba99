// Writes the synthetic history of synthetic-history.ts into a PostgreSQL store (one schema),
// for `bench -- dashboards --store postgres`: the same sessions, analysed by the same
// analyzeSession and summed into the same rollups as the SQLite seeder, but written the way
// PostgreSQL loads fast: each batch of sessions goes over as one `insert … select from
// unnest($1::type[], …)` per table while the next batch is generated, and the secondary
// indexes (the transcript GIN above all) are dropped for the load and built once at the end
// (a GIN index kept current row by row made a million sessions take about half an hour).
// The raw event log (sessions, session_events, session_agents) is not written: no dashboard
// or search reads it, and it would be most of the volume.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { FACT_COLUMNS, GAP_COLUMNS, LEG_COLUMNS, factParams, gapParams, legParams, lineParams } from '../backend/src/analytics/fact-rows';
import { contributions, DeltaSum, type Delta } from '../backend/src/analytics/rollups';
import { analyzeSession } from '../backend/src/analytics/session-facts';
import { hashPassword } from '../backend/src/auth/passwords';
import { openDatabase } from '../backend/src/store/database';
import { seedFigures, seedPassword, type SeedOptions, type SeedResult } from './seed';
import { historyGenerator, seedUsers } from './synthetic-history';

export interface PostgresSeedOptions extends Omit<SeedOptions, 'dbFile'> {
  url: string;
  schema: string;
}

export interface PostgresSeedResult extends SeedResult {
  /** Of `seconds`: building the secondary indexes after the load. */
  indexSeconds: number;
  rows: Record<string, number>;
}

/** Tables the load fills; their non-unique indexes are rebuilt after it. */
const LOADED = ['session_facts', 'agent_legs', 'knowledge_gaps', 'transcript_fts', 'callbacks'];
const CALLBACK_COLUMNS = ['id', 'session_id', 'phone', 'reason', 'status', 'created_at', 'due_at'];
const BATCH = 5000;

type Cell = string | number | null;

/** Column arrays for `unnest`, typed from the schema so one statement fits every table. */
class BulkInsert {
  readonly rows: Cell[][] = [];

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
    readonly types: readonly string[],
    readonly conflict = '',
  ) {}

  sql(): string {
    const casts = this.types.map((t, i) => `$${i + 1}::${t}[]`);
    return `insert into ${this.table} (${this.columns.join(', ')}) select * from unnest(${casts.join(', ')}) ${this.conflict}`;
  }

  /** The statement and column arrays for the rows gathered so far, which it takes out. */
  take(): [string, Cell[][]] | undefined {
    if (this.rows.length === 0) return undefined;
    const columns = this.columns.map((_c, i) => this.rows.map((r) => r[i] ?? null));
    this.rows.length = 0;
    return [this.sql(), columns];
  }
}

async function columnTypes(client: pg.Client, schema: string, table: string, columns: readonly string[]): Promise<string[]> {
  const found = await client.query<{ column_name: string; data_type: string }>(
    'select column_name, data_type from information_schema.columns where table_schema = $1 and table_name = $2',
    [schema, table],
  );
  const typeOf = new Map(found.rows.map((r) => [r.column_name, r.data_type]));
  return columns.map((c) => {
    const t = typeOf.get(c);
    if (t === undefined) throw new Error(`Column ${table}.${c} is missing from schema ${schema}; run npm run migrate against it first.`);
    return t;
  });
}

export async function seedPostgresHistory(opts: PostgresSeedOptions): Promise<PostgresSeedResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const { password, generated } = seedPassword(opts.password);

  // Schema first (store and analytics migrations), through the normal path.
  const kdb = await openDatabase({ url: opts.url, schema: opts.schema });
  await kdb.destroy();

  // Two connections: the transcript lines (their tsvectors are most of the server's work)
  // load on one while the other rows load on the other.
  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: opts.url, options: `-c search_path=${opts.schema}`, application_name: `switchboard-seed:${opts.schema}` });
    await c.connect();
    // A lost commit at a crash costs only a rerun of the seed.
    await c.query('set synchronous_commit = off');
    return c;
  };
  const client = await connect();
  const linesClient = await connect().catch(async (err: unknown) => {
    await client.end();
    throw err;
  });
  try {
    await client.query("set maintenance_work_mem = '256MB'");

    const hash = await hashPassword(password);
    const now = Date.now();
    const agents: SeedResult['agents'] = [];
    for (const u of seedUsers(opts.teams, opts.agentsPerTeam)) {
      const { rows } = await client.query<{ id: string }>(
        'insert into users (id, email, name, role, password_hash, active, created_at, team, skills) values ($1, $2, $3, $4, $5, 1, $6, $7, $8) on conflict (email) do update set password_hash = excluded.password_hash returning id',
        [u.id, u.email, u.name, u.role, hash, new Date(now).toISOString(), u.team, u.skills],
      );
      agents.push({ id: rows[0]!.id, email: u.email, team: u.team, role: u.role });
    }
    const teamOf = new Map(agents.map((a) => [a.id, a.team]));

    const facts = new BulkInsert('session_facts', ['sid', ...FACT_COLUMNS], await columnTypes(client, opts.schema, 'session_facts', ['sid', ...FACT_COLUMNS]));
    const legs = new BulkInsert('agent_legs', LEG_COLUMNS, await columnTypes(client, opts.schema, 'agent_legs', LEG_COLUMNS));
    const gaps = new BulkInsert('knowledge_gaps', GAP_COLUMNS, await columnTypes(client, opts.schema, 'knowledge_gaps', GAP_COLUMNS));
    const lines = new BulkInsert('transcript_fts', ['rowid', 'text', 'speaker'], await columnTypes(client, opts.schema, 'transcript_fts', ['rowid', 'text', 'speaker']));
    const callbacks = new BulkInsert('callbacks', CALLBACK_COLUMNS, await columnTypes(client, opts.schema, 'callbacks', CALLBACK_COLUMNS));
    const bulk = [facts, legs, gaps, lines, callbacks];
    const rows: Record<string, number> = Object.fromEntries(bulk.map((b) => [b.table, 0]));

    const [{ m } = { m: null }] = (await client.query<{ m: string | null }>('select max(sid) as m from session_facts')).rows;
    const baseSid = Number(m ?? 0) + 1;
    const next = historyGenerator({ sessions: opts.sessions, days: opts.days ?? 90, baseSid, runTag: randomBytes(3).toString('hex'), now, users: agents });
    const rollups = new DeltaSum();
    let eventCount = 0;
    const t0 = performance.now();

    const indexes = await dropSecondaryIndexes(client, opts.schema);
    let indexSeconds = 0;
    try {
      // One batch in flight while the next is generated: Node and PostgreSQL work side by side.
      let inFlight: Promise<unknown> = Promise.resolve();
      const send = async (on: pg.Client, statements: Array<[string, Cell[][]] | undefined>): Promise<void> => {
        for (const q of statements) if (q) await on.query(...q);
      };
      for (let start = 0; start < opts.sessions; start += BATCH) {
        for (let i = start; i < Math.min(opts.sessions, start + BATCH); i++) {
          const s = next(i);
          eventCount += s.events.length;
          for (const cb of s.callbacks) callbacks.rows.push([cb.id, cb.sessionId, cb.phone, cb.reason, cb.status, cb.createdAt, cb.dueAt]);
          const a = analyzeSession(s.id, s.events, (agentId) => teamOf.get(agentId) ?? 'default');
          facts.rows.push([s.sid, ...factParams(a.fact)]);
          for (const leg of a.legs) legs.rows.push(legParams(leg));
          for (const g of a.gaps) gaps.rows.push(gapParams(s.id, a.fact.day, g));
          for (const line of a.lines) {
            const p = lineParams(s.sid, line);
            if (p) lines.rows.push(p);
          }
          rollups.add(contributions(a));
        }
        await inFlight;
        for (const b of bulk) rows[b.table]! += b.rows.length;
        inFlight = Promise.all([send(linesClient, [lines.take()]), send(client, bulk.filter((b) => b !== lines).map((b) => b.take()))]);
        if ((start / BATCH) % 20 === 19) {
          const secs = (performance.now() - t0) / 1000;
          log(`seed-postgres: ${start + BATCH} sessions, ${eventCount} events, ${Math.round((start + BATCH) / secs)} sessions/s`);
        }
      }
      await inFlight;
      for (const [table, deltas] of byTable(rollups.deltas())) {
        const q = (await rollupInsert(client, opts.schema, table, deltas)).take();
        if (q) await client.query(...q);
      }
    } finally {
      // Also after a failure: the store keeps every index it had.
      const t = performance.now();
      log(`seed-postgres: building ${indexes.length} indexes`);
      for (const def of indexes) await client.query(def);
      indexSeconds = Math.round((performance.now() - t) / 100) / 10;
    }
    // Identities continue after the seeded sids.
    await client.query("select setval(pg_get_serial_sequence('session_facts', 'sid'), greatest((select max(sid) from session_facts), 1))");
    await client.query('analyze');
    return { ...seedFigures(opts.sessions, eventCount, t0), indexSeconds, rows, agents, password: generated ? password : null };
  } finally {
    await Promise.all([client.end(), linesClient.end()]);
  }
}

/** Drops the non-unique indexes of the loaded tables and returns the statements that rebuild them. */
async function dropSecondaryIndexes(client: pg.Client, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `select i.relname as name, pg_get_indexdef(x.indexrelid) as def
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = $1 and t.relname = any($2) and not x.indisprimary and not x.indisunique`,
    [schema, LOADED],
  );
  for (const r of rows) await client.query(`drop index ${schema}.${r.name}`);
  return rows.map((r) => r.def);
}

function byTable(deltas: Delta[]): Map<Delta['table'], Delta[]> {
  const out = new Map<Delta['table'], Delta[]>();
  for (const d of deltas) {
    let list = out.get(d.table);
    if (!list) out.set(d.table, (list = []));
    list.push(d);
  }
  return out;
}

/** One upsert for all of a rollup table's summed deltas (they have distinct keys). */
async function rollupInsert(client: pg.Client, schema: string, table: Delta['table'], deltas: Delta[]): Promise<BulkInsert> {
  const keyCols = Object.keys(deltas[0]!.keys);
  const valCols = Object.keys(deltas[0]!.values);
  const insert = new BulkInsert(
    table,
    [...keyCols, ...valCols],
    await columnTypes(client, schema, table, [...keyCols, ...valCols]),
    `on conflict (${keyCols.join(', ')}) do update set ${valCols.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
  );
  for (const d of deltas) insert.rows.push([...keyCols.map((k) => d.keys[k] ?? null), ...valCols.map((v) => d.values[v] ?? 0)]);
  return insert;
}
