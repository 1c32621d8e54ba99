// `npm run seed -- --sessions N [--days 90] [--data-dir DIR]`: writes the synthetic history of
// synthetic-history.ts (agents in teams, contained and escalated calls, transcripts, callbacks,
// over the last N days) into the embedded SQLite store. Every session's event log has gapless
// sequence numbers, and its analytics rows are derived by the same analyzeSession the live
// ingest uses, written in bulk (large transactions, prepared statements, no fan-out).
// seed-postgres.ts writes the same history into PostgreSQL.
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { INSERT_FACT_WITH_SID_SQL, INSERT_GAP_SQL, INSERT_LEG_SQL, factParams, gapParams, legParams, lineParams } from '../backend/src/analytics/fact-rows';
import { SQLITE_INSERT_LINE_SQL } from '../backend/src/analytics/transcript-index';
import { contributions, DeltaSum, upsertSql } from '../backend/src/analytics/rollups';
import { analyzeSession } from '../backend/src/analytics/session-facts';
import { hashPassword } from '../backend/src/auth/passwords';
import { openDatabase } from '../backend/src/store/database';
import { historyGenerator, seedUsers } from './synthetic-history';

export interface SeedOptions {
  dbFile: string;
  sessions: number;
  days?: number;
  teams?: number;
  agentsPerTeam?: number;
  password?: string;
  log?: (line: string) => void;
}

export interface SeedResult {
  sessions: number;
  events: number;
  seconds: number;
  sessionsPerSecond: number;
  eventsPerSecond: number;
  agents: Array<{ id: string; email: string; team: string; role: string }>;
  password: string | null;
}

export async function seedHistory(opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const { password, generated } = seedPassword(opts.password);

  // Schema first (store and analytics migrations), through the normal path.
  const kdb = await openDatabase({ filename: opts.dbFile });
  await kdb.destroy();

  const db = new SQLite(opts.dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // Rows of one session are written child-first inside one transaction; the ids are ours.
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');

  // Existing seed users are reused (their ids kept, their password reset).
  const hash = await hashPassword(password);
  const upsertUser = db.prepare('insert into users (id, email, name, role, password_hash, active, created_at, team, skills) values (?, ?, ?, ?, ?, 1, ?, ?, ?) on conflict (email) do update set password_hash = excluded.password_hash returning id');
  const now = Date.now();
  const agents = seedUsers(opts.teams, opts.agentsPerTeam).map((u) => {
    const row = upsertUser.get(u.id, u.email, u.name, u.role, hash, new Date(now).toISOString(), u.team, u.skills) as { id: string };
    return { id: row.id, email: u.email, team: u.team, role: u.role };
  });
  const teamOf = new Map(agents.map((a) => [a.id, a.team]));

  const insSession = db.prepare('insert into sessions (id, channel, caller_id, caller_name, customer_id, verified, state, escalation_reason, started_at, ended_at, last_seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insEvent = db.prepare('insert into session_events (session_id, seq, type, at, data) values (?, ?, ?, ?, ?)');
  const insAgent = db.prepare('insert or ignore into session_agents (session_id, user_id, joined_at) values (?, ?, ?)');
  const insCallback = db.prepare('insert into callbacks (id, customer_id, session_id, phone, reason, status, created_at, due_at) values (?, ?, ?, ?, ?, ?, ?, ?)');
  const insFact = db.prepare(INSERT_FACT_WITH_SID_SQL);
  const insLeg = db.prepare(INSERT_LEG_SQL);
  const insGap = db.prepare(INSERT_GAP_SQL);
  const insLine = db.prepare(SQLITE_INSERT_LINE_SQL);
  const baseSid = ((db.prepare('select max(sid) as m from session_facts').get() as { m: number | null }).m ?? 0) + 1;
  const next = historyGenerator({ sessions: opts.sessions, days: opts.days ?? 90, baseSid, runTag: randomBytes(3).toString('hex'), now, users: agents });
  const rollups = new DeltaSum();
  const sums = new Map<string, SQLite.Statement>();

  let eventCount = 0;
  const t0 = performance.now();

  const oneSession = (i: number): void => {
    const s = next(i);
    for (const cb of s.callbacks) insCallback.run(cb.id, null, cb.sessionId, cb.phone, cb.reason, cb.status, cb.createdAt, cb.dueAt);
    for (const j of s.joined) insAgent.run(s.id, j.agentId, j.at);
    const first = s.events[0]!;
    const last = s.events[s.events.length - 1]!;
    insSession.run(s.id, s.channel, s.callerId, s.callerName, null, s.verified ? 1 : 0, s.state, s.escalationReason, first.at, last.at, s.events.length);
    for (const e of s.events) insEvent.run(s.id, e.seq, e.type, e.at, JSON.stringify(e.data));
    eventCount += s.events.length;
    const a = analyzeSession(s.id, s.events, (agentId) => teamOf.get(agentId) ?? 'default');
    insFact.run(s.sid, ...factParams(a.fact));
    for (const leg of a.legs) insLeg.run(...legParams(leg));
    for (const g of a.gaps) insGap.run(...gapParams(s.id, a.fact.day, g));
    for (const line of a.lines) {
      const p = lineParams(s.sid, line);
      if (p) insLine.run(...p);
    }
    rollups.add(contributions(a));
  };

  const flushRollups = (): void => {
    for (const d of rollups.deltas()) {
      const { sql, params } = upsertSql(d);
      let stmt = sums.get(sql);
      if (!stmt) sums.set(sql, (stmt = db.prepare(sql)));
      stmt.run(...params);
    }
    rollups.clear();
  };

  const batch = 5000;
  for (let start = 0; start < opts.sessions; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(opts.sessions, start + batch); i++) oneSession(i);
      if (rollups.size > 50_000) flushRollups();
    })();
    if ((start / batch) % 20 === 19) {
      const secs = (performance.now() - t0) / 1000;
      log(`seed: ${start + batch} sessions, ${eventCount} events, ${Math.round((start + batch) / secs)} sessions/s`);
    }
  }
  db.transaction(flushRollups)();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
  return { ...seedFigures(opts.sessions, eventCount, t0), agents, password: generated ? password : null };
}

/** The seed users' password: given, SEED_AGENT_PASSWORD, or generated (then shown once). */
export function seedPassword(given: string | undefined): { password: string; generated: boolean } {
  const chosen = given ?? process.env.SEED_AGENT_PASSWORD;
  return chosen !== undefined ? { password: chosen, generated: false } : { password: randomBytes(9).toString('base64url'), generated: true };
}

export function seedFigures(sessions: number, events: number, t0: number): Pick<SeedResult, 'sessions' | 'events' | 'seconds' | 'sessionsPerSecond' | 'eventsPerSecond'> {
  const seconds = (performance.now() - t0) / 1000;
  return {
    sessions,
    events,
    seconds: Math.round(seconds * 10) / 10,
    sessionsPerSecond: Math.round(sessions / seconds),
    eventsPerSecond: Math.round(events / seconds),
  };
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sessions = Number(arg(args, 'sessions') ?? 10_000);
  const days = Number(arg(args, 'days') ?? 90);
  if (!Number.isInteger(sessions) || sessions < 1) throw new Error('--sessions takes a positive whole number, e.g. --sessions 100000.');
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new Error('--days takes a whole number 1..366.');
  const dataDir = resolve(arg(args, 'data-dir') ?? process.env.DATA_DIR ?? './data');
  const result = await seedHistory({ dbFile: join(dataDir, 'switchboard.db'), sessions, days });
  if (result.password) console.log(`Seed users (seed.<team>.<n>@switchboard.test, seed.<team>.lead@…, seed.admin@…) have the password: ${result.password} (shown once; set SEED_AGENT_PASSWORD to choose it).`);
  const { agents: _agents, password: _pw, ...figures } = result;
  console.log(JSON.stringify(figures));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
