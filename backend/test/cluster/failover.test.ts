// Failover with real backend processes over PostgreSQL and NATS, behind the entry point:
// a caller escalates (keypad 0) and an agent takes the call; the routing leader is killed
// with SIGKILL at a seeded point of that (before the offer is answered, or after). Then no
// queue entry was taken by two agents, every event the agent was sent is in the store, and
// routing resumes on the other backend: a new caller is offered to and taken by the agent.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import { UserDirectory } from '../../src/auth/users';
import { SqlSessionStore } from '../../src/store/session-store';
import type { SwitchboardDb } from '../../src/store/database';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { startEntryPoint, type EntryPoint } from '../../../scripts/entry-point';
import { TestAgent } from '../agents/agent-client';
import { TEST_NATS_URL } from '../support/cluster';
import { freshSchema, type TestSchema } from '../support/postgres';

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Proc {
  child: ChildProcess;
  url: string;
}

let schema: TestSchema;
let db: SwitchboardDb;
let dataDir: string;
const procs: Proc[] = [];
let entry: EntryPoint;

async function startBackend(i: number): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      STORE: 'postgres',
      DATABASE_URL: schema.url,
      DATABASE_SCHEMA: schema.schema,
      BUS: 'nats',
      NATS_URL: TEST_NATS_URL,
      NATS_SUBJECT_PREFIX: `test.${schema.schema}`,
      INSTANCE_ID: `sb${i}`,
      DATA_DIR: join(dataDir, `sb${i}`),
      DEMO_DATA: 'false',
      RECORDINGS: 'false',
      LOG_LEVEL: 'error',
      OFFER_TIMEOUT_MS: '30000',
    },
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[0-9.:]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`backend sb${i} exited (${code}): ${err.slice(-500)}`)));
  });
  const proc = { child, url };
  procs.push(proc);
  return proc;
}

async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function leaderOf(): Promise<Proc | undefined> {
  for (const p of procs) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
    const body = await fetch(`${p.url}/readyz`).then((r) => r.json() as Promise<{ checks: { routing: string } }>, () => undefined);
    if (body?.checks.routing === 'leader') return p;
  }
  return undefined;
}

/** A caller through the entry point who presses 0 for a person once the AI greets them. */
async function escalatingCaller(from: string): Promise<ScriptedCaller> {
  const caller = new ScriptedCaller({ baseUrl: entry.url, from, name: 'Failover Caller' });
  await caller.connect();
  await caller.waitForAiAudio(0, 30_000);
  await until(() => caller.sessionId, 'the session id');
  caller.dtmf('0');
  return caller;
}

async function agentOnline(): Promise<TestAgent> {
  const agent = await TestAgent.signIn(entry.url, 'ann@t.test', 'password-123');
  await agent.connect();
  expect(await agent.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });
  return agent;
}

beforeAll(async () => {
  schema = await freshSchema('failover');
  db = await schema.open();
  await new UserDirectory(db, 12).create({ email: 'ann@t.test', name: 'Ann', role: 'agent', password: 'password-123', team: 'north' });
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-failover-'));
  await startBackend(1);
  await startBackend(2);
  entry = await startEntryPoint(procs.map((p) => p.url), 0);
  await until(() => leaderOf(), 'a routing leader');
}, 120_000);

afterAll(async () => {
  // Backends first: with them gone no tunnel through the entry point stays open.
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await entry?.close();
  await db?.destroy();
  await schema?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('routing leader killed with SIGKILL (seeded points)', () => {
  it('never hands a call to two agents, loses no acknowledged event, and routes again on the survivor', async () => {
    let seed = Number(process.env.FAILOVER_SEED ?? 20261129);
    const rand = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return ((seed ^ (seed >>> 16)) >>> 0) / 2 ** 32;
    };
    for (let i = 0; i < 3; i++) rand();
    const store = new SqlSessionStore(db);
    const sessions: string[] = [];
    for (let round = 1; round <= 2; round++) {
      const leader = await until(() => leaderOf(), 'a leader');
      await until(() => entry.current() === leader.url, 'the entry point to follow the leader');
      // Where the kill lands: 0 as the offer rings, 1 racing the accept, 2 after the call is assigned.
      const point = Math.floor(rand() * 3);
      const ann = await agentOnline();
      const caller = await escalatingCaller(`+1555010000${round}`);
      sessions.push(caller.sessionId!);
      const offer = await ann.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer', 30_000);
      if (point === 2) {
        expect(await ann.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
        await ann.waitFor((m) => m.type === 'call.assigned', 20_000);
      } else if (point === 1) {
        ann.send({ type: 'offer.accept', requestId: 'racing', offerId: offer.offer.offerId });
      }
      await new Promise((r) => setTimeout(r, rand() * 60));
      leader.child.kill('SIGKILL');
      await until(() => leader.child.signalCode === 'SIGKILL', 'the kill');

      // Every event the agent was sent for that call is in the store, exactly as sent.
      const sent = ann.messages.flatMap((m) => (m.type === 'session.event' && m.sessionId === caller.sessionId ? [m.event] : []));
      const stored = await store.listEvents(caller.sessionId!);
      for (const e of sent) expect(stored.find((x) => x.seq === e.seq)).toEqual(e);
      await ann.close().catch(() => undefined);
      await caller.hangUp().catch(() => undefined);

      // Routing resumes on a survivor behind the same entry point; a fresh backend joins as standby.
      const survivor = await until(async () => {
        const l = await leaderOf();
        return l && l !== leader && entry.current() === l.url ? l : undefined;
      }, 'a survivor to lead behind the entry point');
      entry.add((await startBackend(procs.length + 1)).url);
      const again = await agentOnline();
      const next = await escalatingCaller(`+1555010010${round}`);
      sessions.push(next.sessionId!);
      const offer2 = await again.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer', 30_000);
      expect(await again.request({ type: 'offer.accept', offerId: offer2.offer.offerId })).toMatchObject({ type: 'ack' });
      await again.waitFor((m) => m.type === 'call.assigned' && m.sessionId === next.sessionId, 20_000);
      expect(survivor.child.exitCode).toBeNull();
      await again.close();
      await next.hangUp();
    }

    // No queue entry was taken twice: at most one accept per time a call entered a queue.
    for (const sessionId of sessions) {
      const log = await store.listEvents(sessionId);
      const entries = log.filter((e) => e.type === 'queue.entered').length;
      expect(log.filter((e) => e.type === 'agent.accepted').length).toBeLessThanOrEqual(entries);
    }
  }, 240_000);
});
