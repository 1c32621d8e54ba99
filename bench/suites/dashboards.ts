// `npm run bench -- dashboards [--sessions N] [--days 90] [--data-dir DIR] [--requests 60]
// [--store postgres [--schema NAME] [--keep]]`: seeds a synthetic history (default 1,000,000
// sessions) unless the data dir already holds one — with --store postgres into a fresh schema
// of TEST_DATABASE_URL (scripts/seed-postgres.ts), or the one --schema names if it holds
// enough; dropped afterwards unless --keep — then
// measures the agent dashboard, team table, AI & queue view and transcript search through
// the real route handlers (Fastify inject on a built app), plus seeding speed and the store's
// size on disk.
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../backend/src/app';
import { defaultConfig } from '../../backend/src/config/config';
import { createServices, type Services } from '../../backend/src/runtime/services';
import { seedHistory, type SeedResult } from '../../scripts/seed';
import { seedPostgresHistory } from '../../scripts/seed-postgres';

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)]! * 100) / 100;
}

async function measure(app: FastifyInstance, token: string, urls: string[], requests: number): Promise<{ p50: number; p95: number; max: number; n: number }> {
  const times: number[] = [];
  for (let i = 0; i < requests + 3; i++) {
    const url = urls[i % urls.length]!;
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const dt = performance.now() - t;
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    if (i >= 3) times.push(dt); // the first few warm the statement cache
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), p95: pct(times, 95), max: pct(times, 100), n: times.length };
}

function seededSessions(dbFile: string): number {
  if (!existsSync(dbFile)) return 0;
  const db = new SQLite(dbFile, { readonly: true });
  try {
    const row = db.prepare("select count(*) as n from sqlite_master where name = 'session_facts'").get() as { n: number };
    if (row.n === 0) return 0;
    return (db.prepare('select max(sid) as n from session_facts').get() as { n: number | null }).n ?? 0;
  } finally {
    db.close();
  }
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const sessions = Number(arg(args, 'sessions') ?? 1_000_000);
  const days = Number(arg(args, 'days') ?? 90);
  const requests = Math.max(50, Number(arg(args, 'requests') ?? 60));
  const password = 'bench-password-1';
  const log = (l: string): void => console.error(l);
  if (arg(args, 'store') === 'postgres') {
    const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = arg(args, 'schema') ?? `bench_dash_${process.pid}`;
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`--schema "${schema}" is not a plain lower-case identifier; use letters, digits and _ only.`);
    try {
      const reused = await seededSessionsIn(url, schema);
      let seed: Record<string, unknown> = { reused };
      if (reused < sessions) {
        const { agents: _a, password: _p, ...figures } = await seedPostgresHistory({ url, schema, sessions, days, password, log });
        seed = figures;
      }
      const config = defaultConfig({ STORE: 'postgres', DATABASE_URL: url, LOG_LEVEL: 'silent', RECORDINGS: false, DEMO_DATA: false });
      const services = await createServices({ config, seed: 'none', databaseSchema: schema });
      return { store: 'postgres', sessions: await seededSessionsIn(url, schema), seed, storeBytes: await schemaBytes(url, schema), ...(await measureRoutes(services, requests)) };
    } finally {
      if (!args.includes('--keep')) await dropSchema(url, schema);
    }
  }

  const dataDir = arg(args, 'data-dir') ?? mkdtempSync(join(tmpdir(), 'switchboard-dash-'));
  const dbFile = join(dataDir, 'switchboard.db');
  let seed: Omit<SeedResult, 'agents' | 'password'> | { reused: number } = { reused: seededSessions(dbFile) };
  if ((seed as { reused: number }).reused < sessions) {
    const { agents: _a, password: _p, ...figures } = await seedHistory({ dbFile, sessions, days, password, log });
    seed = figures;
  }
  const config = defaultConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', RECORDINGS: false, DEMO_DATA: false });
  const services = await createServices({ config, seed: 'none' });
  return {
    store: 'sqlite',
    sessions: seededSessions(dbFile),
    seed,
    storeBytes: {
      db: statSync(dbFile).size,
      wal: existsSync(`${dbFile}-wal`) ? statSync(`${dbFile}-wal`).size : 0,
    },
    ...(await measureRoutes(services, requests)),
  };
}

/** The lead dashboards and review search through the app's own routes; closes the services. */
async function measureRoutes(services: Services, requests: number): Promise<Record<string, unknown>> {
  const app = await buildApp(services);
  try {
    await app.ready();
    const users = await services.users.list();
    const lead = users.find((u) => u.email === 'seed.north.lead@switchboard.test')!;
    const admin = users.find((u) => u.email === 'seed.admin@switchboard.test')!;
    const agents = users.filter((u) => u.role === 'agent' && u.team === 'north');
    const leadToken = await services.users.issueToken(lead.id);
    const adminToken = await services.users.issueToken(admin.id);

    const ranges = ['range=today', 'range=7d', 'range=30d'];
    const agentUrls = agents.flatMap((a) => ranges.map((r) => `/api/analytics/agents/${a.id}?${r}`));
    const teamUrls = ranges.map((r) => `/api/analytics/team?${r}`);
    const aiUrls = [...ranges, 'range=90d'].map((r) => `/api/analytics/ai-queue?${r}&slaSeconds=20`);
    const terms = ['refund', 'order late', 'frustrating', 'express delivery', 'address', 'invoice', 'headphones', 'paypal', 'thank', 'damaged blender', 'login account', 'exchange shoes'];
    const searchUrls = terms.map((t, i) => `/api/review/sessions?q=${encodeURIComponent(t)}&range=${i % 2 === 0 ? '30d' : '90d'}&limit=25`);

    return {
      agentDashboardMs: await measure(app, leadToken, agentUrls, requests),
      teamTableMs: await measure(app, leadToken, teamUrls, requests),
      teamTableAllTeamsMs: await measure(app, adminToken, teamUrls, requests),
      aiQueueViewMs: await measure(app, leadToken, aiUrls, requests),
      transcriptSearchMs: await measure(app, adminToken, searchUrls, requests),
      transcriptSearchLeadMs: await measure(app, leadToken, searchUrls, requests),
    };
  } finally {
    await app.close();
    await services.close();
  }
}

/** Sessions a kept schema (--schema with --keep) already holds. */
async function seededSessionsIn(url: string, schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string | null }>('select to_regclass($1) as t', [`${schema}.session_facts`]);
    if (rows[0]?.t === null) return 0;
    return Number((await client.query<{ n: string | null }>(`select max(sid) as n from ${schema}.session_facts`)).rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/** Tables, indexes and TOAST of one schema, in bytes. */
async function schemaBytes(url: string, schema: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tables: string; indexes: string; transcript: string }>(
      `select coalesce(sum(pg_table_size(c.oid)), 0) as tables, coalesce(sum(pg_indexes_size(c.oid)), 0) as indexes,
              coalesce(sum(pg_total_relation_size(c.oid)) filter (where c.relname = 'transcript_fts'), 0) as transcript
         from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`,
      [schema],
    );
    const r = rows[0]!;
    return { tables: Number(r.tables), indexes: Number(r.indexes), transcriptFts: Number(r.transcript) };
  } finally {
    await client.end();
  }
}
