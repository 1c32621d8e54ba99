// `npm run seed -- --sessions N [--days 90] [--data-dir DIR]`: writes a realistic synthetic
// history into the configured store: agents in teams, AI-contained calls, escalations with
// reasons, offers (declined, expired), holds, transfers, transcripts, suggestions, wrap-ups,
// abandoned calls and callbacks, spread over the last N days. Every session's event log has
// gapless sequence numbers, and its analytics rows are derived by the same analyzeSession
// the live ingest uses, written in bulk (large transactions, prepared statements, no fan-out).
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import type { AnySessionEvent } from '../contracts/events';
import { INSERT_FACT_WITH_SID_SQL, INSERT_GAP_SQL, INSERT_LEG_SQL, factParams, gapParams, legParams, lineParams } from '../backend/src/analytics/fact-rows';
import { SQLITE_INSERT_LINE_SQL } from '../backend/src/analytics/transcript-index';
import { contributions, DeltaSum, upsertSql } from '../backend/src/analytics/rollups';
import { analyzeSession } from '../backend/src/analytics/session-facts';
import { hashPassword } from '../backend/src/auth/passwords';
import { openDatabase } from '../backend/src/store/database';

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

const TEAMS = ['north', 'south', 'east', 'west', 'central'];
const FIRST = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo', 'Iris', 'Jonas', 'Kira', 'Liam', 'Maya', 'Noah', 'Olga', 'Pavel'];
const LAST = ['Stone', 'Rivera', 'Okafor', 'Lind', 'Moreau', 'Tanaka', 'Silva', 'Novak'];
const REASONS = ['caller_request', 'negative_sentiment', 'low_confidence', 'policy_topic', 'verification_failed', 'max_turns'] as const;
const QUEUES = ['billing', 'orders', 'general'] as const;
const INTENTS: Array<{ intent: string; queue: (typeof QUEUES)[number]; ask: string[] }> = [
  { intent: 'order_status', queue: 'orders', ask: ['Where is my order? It was supposed to arrive yesterday.', 'I want to track my package please.', 'My delivery is late again.'] },
  { intent: 'refund', queue: 'billing', ask: ['I need a refund for a damaged blender.', 'You charged me twice, I want my money back.', 'How long does a refund take?'] },
  { intent: 'billing_question', queue: 'billing', ask: ['Why is my invoice higher this month?', 'Can I change the card on my account?', 'There is a fee I do not recognise.'] },
  { intent: 'returns', queue: 'orders', ask: ['How do I return a jacket that does not fit?', 'I want to send back the headphones.', 'Can I exchange the shoes for a bigger size?'] },
  { intent: 'account', queue: 'general', ask: ['I cannot log in to my account.', 'Please update my address.', 'I want to close my account.'] },
];
const GAPS = [
  'Do you ship to Canada?', 'Can you ship to canada please', 'Do you offer gift wrapping?', 'Is there a student discount?', 'Do you have a student discount',
  'Can I pay with PayPal?', 'Can I pay using paypal', 'What is the warranty on the espresso machine?', 'Warranty for espresso machines?', 'Do you price match other stores?',
  'Are your products vegan?', 'Can I pick up my order in store?',
];
const CALLER_LINES = ['Yes that is right.', 'Okay, thanks.', 'This is really frustrating, it is the third time.', 'Great, that helps a lot.', 'I am not happy about this.', 'Can you check again?', 'Perfect, thank you so much.', 'Fine.'];
const AGENT_LINES = ['Thanks for waiting, I have your account open.', 'I am sorry about that, let me fix it.', 'I have issued the refund, it takes three to five days.', 'Your order ships tomorrow with express delivery.', 'Is there anything else I can help with?', 'I have updated the address on file.'];
const DISPOSITIONS = ['resolved', 'resolved', 'resolved', 'follow_up', 'refund_issued', 'escalated_to_tier2', 'no_resolution'];

/** A small fast PRNG so a seed run is repeatable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedHistory(opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const days = opts.days ?? 90;
  const teams = TEAMS.slice(0, opts.teams ?? 3);
  const perTeam = opts.agentsPerTeam ?? 8;
  const generated = opts.password === undefined && process.env.SEED_AGENT_PASSWORD === undefined;
  const password = opts.password ?? process.env.SEED_AGENT_PASSWORD ?? randomBytes(9).toString('base64url');

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

  // Users: agents in teams, one lead per team, one admin. Existing seed users are reused.
  const hash = await hashPassword(password);
  const agents: SeedResult['agents'] = [];
  const upsertUser = db.prepare("insert into users (id, email, name, role, password_hash, active, created_at, team, skills) values (?, ?, ?, ?, ?, 1, ?, ?, ?) on conflict (email) do update set password_hash = excluded.password_hash returning id");
  const now = Date.now();
  let n = 0;
  for (const team of teams) {
    for (let i = 0; i < perTeam; i++) {
      const email = `seed.${team}.${i + 1}@switchboard.test`;
      const name = `${FIRST[n % FIRST.length]} ${LAST[(n * 3) % LAST.length]}`;
      const row = upsertUser.get(`seed-agent-${team}-${i + 1}`, email, name, 'agent', hash, new Date(now).toISOString(), team, JSON.stringify(QUEUES)) as { id: string };
      agents.push({ id: row.id, email, team, role: 'agent' });
      n++;
    }
    const email = `seed.${team}.lead@switchboard.test`;
    const row = upsertUser.get(`seed-lead-${team}`, email, `Lead ${team}`, 'lead', hash, new Date(now).toISOString(), team, JSON.stringify(QUEUES)) as { id: string };
    agents.push({ id: row.id, email, team, role: 'lead' });
  }
  const adminRow = upsertUser.get('seed-admin', 'seed.admin@switchboard.test', 'Seed Admin', 'admin', hash, new Date(now).toISOString(), 'default', '["general"]') as { id: string };
  agents.push({ id: adminRow.id, email: 'seed.admin@switchboard.test', team: 'default', role: 'admin' });
  const agentPool = agents.filter((a) => a.role === 'agent');
  const teamOf = new Map(agents.map((a) => [a.id, a.team]));
  const nameOf = new Map<string, string>(agents.map((a) => [a.id, a.email]));

  const insSession = db.prepare('insert into sessions (id, channel, caller_id, caller_name, customer_id, verified, state, escalation_reason, started_at, ended_at, last_seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insEvent = db.prepare('insert into session_events (session_id, seq, type, at, data) values (?, ?, ?, ?, ?)');
  const insAgent = db.prepare('insert or ignore into session_agents (session_id, user_id, joined_at) values (?, ?, ?)');
  const insCallback = db.prepare('insert into callbacks (id, customer_id, session_id, phone, reason, status, created_at, due_at) values (?, ?, ?, ?, ?, ?, ?, ?)');
  const insFact = db.prepare(INSERT_FACT_WITH_SID_SQL);
  const insLeg = db.prepare(INSERT_LEG_SQL);
  const insGap = db.prepare(INSERT_GAP_SQL);
  const insLine = db.prepare(SQLITE_INSERT_LINE_SQL);
  const baseSid = ((db.prepare('select max(sid) as m from session_facts').get() as { m: number | null }).m ?? 0) + 1;
  const runTag = randomBytes(3).toString('hex');
  const rand = rng(baseSid * 7919 + opts.sessions);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const rollups = new DeltaSum();
  const sums = new Map<string, { sql: string; stmt: SQLite.Statement }>();

  const startMs = now - days * 86_400_000;
  const step = (days * 86_400_000) / Math.max(1, opts.sessions);
  let eventCount = 0;
  const t0 = performance.now();

  const oneSession = (i: number): void => {
    const sid = baseSid + i;
    const id = `seed-${runTag}-${String(i).padStart(9, '0')}`;
    let t = Math.floor(startMs + i * step);
    const events: AnySessionEvent[] = [];
    const add = (type: string, data: unknown, afterMs: number): void => {
      t += afterMs;
      events.push({ sessionId: id, seq: events.length + 1, type, at: new Date(t).toISOString(), data } as AnySessionEvent);
    };
    const callerId = `+1555${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`;
    const topic = pick(INTENTS);
    const verified = rand() < 0.7;
    add('session.started', { channel: rand() < 0.85 ? 'voice' : 'text', callerId, callerName: `${pick(FIRST)} ${pick(LAST)}` }, 0);
    add('ai.said', { turn: 0, text: 'Hi, you are speaking with the automated assistant. How can I help?', citations: [] }, 500);
    add('caller.said', { turn: 1, text: pick(topic.ask), source: 'speech' }, 4000 + rand() * 4000);
    if (verified) add('identity.verified', { customerId: `C-${1000 + Math.floor(rand() * 500)}`, method: rand() < 0.5 ? 'zip' : 'dob' }, 3000);
    if (rand() < 0.12) add('knowledge.gap', { turn: 1, question: pick(GAPS), bestScore: rand() * 0.3 }, 200);
    add('ai.said', { turn: 1, text: `I can help with that. Let me look into your ${topic.intent.replace('_', ' ')}.`, citations: [], intent: topic.intent }, 1500);
    const kind = rand();
    const state = 'ended';
    let reason: string | null = null;
    if (kind < 0.42) {
      add('caller.said', { turn: 2, text: pick(['Thanks, that is all.', 'Great, thank you.', 'Okay, bye.']), source: 'speech' }, 5000 + rand() * 20000);
      add('ai.said', { turn: 2, text: 'Glad I could help. Goodbye!', citations: [] }, 1000);
      add('state.changed', { from: 'ai', to: 'ended' }, 500);
      add('session.ended', { by: 'ai', reason: 'resolved' }, 10);
    } else {
      reason = pick(REASONS);
      add('caller.said', { turn: 2, text: pick(CALLER_LINES), source: 'speech' }, 4000 + rand() * 8000);
      add('call.escalated', { reason, detail: 'synthetic', intent: topic.intent, queue: topic.queue }, 500);
      add('state.changed', { from: 'ai', to: 'queued' }, 10);
      add('queue.entered', { queue: topic.queue, position: 1 + Math.floor(rand() * 4), reason }, 10);
      // Waits: mostly short, a long tail (service level ≈ 80 % at 20 s).
      const wait = rand() < 0.8 ? rand() * 20_000 : 20_000 + rand() * rand() * 300_000;
      const outcome = rand();
      if (outcome < 0.07) {
        const a = pick(agentPool);
        add('offer.sent', { offerId: `o${sid}a`, agentId: a.id, agentName: nameOf.get(a.id), expiresAt: new Date(t + 20_000).toISOString() }, 1000);
        add('offer.expired', { offerId: `o${sid}a`, agentId: a.id }, 20_000);
        add('hold.announced', { position: 1, estimatedWaitMs: 60_000 }, 5000);
        add('session.ended', { by: 'caller', reason: 'hung up in queue' }, wait);
      } else if (outcome < 0.1) {
        add('callback.offered', { afterMs: 60_000 }, 60_000);
        const cb = `CB-${sid}`;
        add('callback.scheduled', { callbackId: cb, phone: callerId, customerId: null }, 5000);
        insCallback.run(cb, null, id, callerId, topic.intent, rand() < 0.6 ? 'done' : 'pending', new Date(t).toISOString(), new Date(t + 3_600_000).toISOString());
        add('session.ended', { by: 'system', reason: 'callback scheduled' }, 1000);
      } else {
        let agent = pick(agentPool);
        if (rand() < 0.1) {
          add('offer.sent', { offerId: `o${sid}d`, agentId: agent.id, agentName: nameOf.get(agent.id), expiresAt: new Date(t + 20_000).toISOString() }, wait / 3);
          add('offer.declined', { offerId: `o${sid}d`, agentId: agent.id }, 2000);
          agent = pick(agentPool);
        }
        add('offer.sent', { offerId: `o${sid}`, agentId: agent.id, agentName: nameOf.get(agent.id), expiresAt: new Date(t + 20_000).toISOString() }, wait / 2);
        add('agent.accepted', { offerId: `o${sid}`, agentId: agent.id, agentName: nameOf.get(agent.id) }, wait / 2);
        insAgent.run(id, agent.id, new Date(t).toISOString());
        add('state.changed', { from: 'offered', to: 'agent' }, 10);
        let ms = 0;
        add('transcript.final', { speaker: 'agent', text: pick(AGENT_LINES), startMs: ms, endMs: (ms += 4000) }, 4000);
        add('transcript.final', { speaker: 'caller', text: pick(CALLER_LINES), startMs: ms, endMs: (ms += 5000) }, 5000);
        add('suggestion.shown', { afterSeq: events.length, suggestions: [{ id: `s${sid}a`, text: pick(AGENT_LINES), source: 'kb' }, { id: `s${sid}b`, text: pick(AGENT_LINES), source: 'crm' }] }, 300);
        if (rand() < 0.55) add('suggestion.used', { agentId: agent.id, suggestionId: `s${sid}a` }, 3000);
        if (rand() < 0.2) {
          add('call.held', { agentId: agent.id, held: true }, 10_000);
          add('call.held', { agentId: agent.id, held: false }, 15_000 + rand() * 60_000);
        }
        if (rand() < 0.06) {
          const next = pick(agentPool.filter((a) => a.id !== agent.id));
          add('call.transferred', { fromAgentId: agent.id, to: { queue: topic.queue }, note: 'needs specialist' }, 20_000);
          add('queue.entered', { queue: topic.queue, position: 1, reason: 'transfer' }, 10);
          add('agent.accepted', { offerId: `o${sid}t`, agentId: next.id, agentName: nameOf.get(next.id) }, 8000 + rand() * 20_000);
          insAgent.run(id, next.id, new Date(t).toISOString());
          agent = next;
        }
        add('transcript.final', { speaker: 'agent', text: pick(AGENT_LINES), startMs: ms, endMs: (ms += 6000) }, 30_000 + rand() * 240_000);
        add('transcript.final', { speaker: 'caller', text: pick(CALLER_LINES), startMs: ms, endMs: (ms += 3000) }, 3000);
        add('wrapup.started', { agentId: agent.id }, 2000);
        const wrap = 15_000 + rand() * 90_000;
        add('wrapup.submitted', { agentId: agent.id, disposition: pick(DISPOSITIONS), notes: 'Synthetic call.', followUp: { kind: 'none' }, wrapUpMs: Math.round(wrap) }, wrap);
        if (rand() < 0.7) add('recording.saved', { path: `recordings/${id}.wav`, durationMs: 120_000, channels: { left: 'caller', right: 'ai_and_agent' } }, 100);
        add('session.ended', { by: 'agent', reason: 'wrap-up' }, 10);
        add('state.changed', { from: 'wrap-up', to: 'ended' }, 1);
      }
    }
    const first = events[0]!;
    const last = events[events.length - 1]!;
    insSession.run(id, (first.data as { channel: string }).channel, callerId, (first.data as { callerName: string }).callerName, null, verified ? 1 : 0, state, reason, first.at, last.at, events.length);
    for (const e of events) insEvent.run(id, e.seq, e.type, e.at, JSON.stringify(e.data));
    eventCount += events.length;
    const a = analyzeSession(id, events, (agentId) => teamOf.get(agentId) ?? 'default');
    insFact.run(sid, ...factParams(a.fact));
    for (const leg of a.legs) insLeg.run(...legParams(leg));
    for (const g of a.gaps) insGap.run(...gapParams(id, a.fact.day, g));
    for (const line of a.lines) {
      const p = lineParams(sid, line);
      if (p) insLine.run(...p);
    }
    rollups.add(contributions(a));
  };

  const flushRollups = (): void => {
    for (const d of rollups.deltas()) {
      const { sql, params } = upsertSql(d);
      let s = sums.get(sql);
      if (!s) sums.set(sql, (s = { sql, stmt: db.prepare(sql) }));
      s.stmt.run(...params);
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
  const seconds = (performance.now() - t0) / 1000;
  return {
    sessions: opts.sessions,
    events: eventCount,
    seconds: Math.round(seconds * 10) / 10,
    sessionsPerSecond: Math.round(opts.sessions / seconds),
    eventsPerSecond: Math.round(eventCount / seconds),
    agents,
    password: generated ? password : null,
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
