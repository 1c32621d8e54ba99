// Failover with real backend processes over PostgreSQL and NATS, behind the entry point:
// a caller escalates (keypad 0) and an agent takes the call; the routing leader is killed
// with SIGKILL at a seeded point of that (before the offer is answered, or after). Then no
// queue entry was taken by two agents, every event the agent was sent is in the store, and
// routing resumes on the other backend, rebuilt: a second caller who was waiting in the
// queue on the standby at the kill is offered and taken, the dead leader's call is closed by
// crash recovery (to the agent's wrap-up if they had it), and a new caller is taken too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import { UserDirectory } from '../../src/auth/users';
import { SqlSessionStore } from '../../src/store/session-store';
import type { SwitchboardDb } from '../../src/store/database';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { startEntryPoint, type EntryPoint } from '../../../scripts/entry-point';
import { TestAgent } from '../agents/agent-client';
import { BackendProcesses, until } from '../support/backend-processes';
import { freshSchema, type TestSchema } from '../support/postgres';

let schema: TestSchema;
let db: SwitchboardDb;
let dataDir: string;
let backends: BackendProcesses;
let entry: EntryPoint;
const open: Array<{ close(): Promise<unknown> }> = [];

/** A caller through the entry point who presses 0 for a person once the AI greets them. */
async function escalatingCaller(from: string, baseUrl = entry.url): Promise<ScriptedCaller> {
  const caller = new ScriptedCaller({ baseUrl, from, name: 'Failover Caller' });
  open.push({ close: () => caller.hangUp().catch(() => undefined) });
  await caller.connect();
  await caller.waitForAiAudio(0, 30_000);
  await until(() => caller.sessionId, 'the session id');
  caller.dtmf('0');
  return caller;
}

async function agentOnline(): Promise<TestAgent> {
  const agent = await TestAgent.signIn(entry.url, 'ann@t.test', 'password-123');
  open.push(agent);
  await agent.connect();
  expect(await agent.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });
  return agent;
}

beforeAll(async () => {
  schema = await freshSchema('failover');
  db = await schema.open();
  await new UserDirectory(db, 12).create({ email: 'ann@t.test', name: 'Ann', role: 'agent', password: 'password-123', team: 'north' });
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-failover-'));
  backends = new BackendProcesses(schema, dataDir, { OFFER_TIMEOUT_MS: '30000', RECOVERY_SWEEP_MS: '1000' });
  await backends.start('sb1');
  await backends.start('sb2');
  entry = await startEntryPoint(backends.all.map((p) => p.url), 0);
  await until(() => backends.leader(), 'a routing leader');
}, 240_000);

afterAll(async () => {
  await Promise.all(open.map((o) => Promise.race([o.close(), new Promise((r) => setTimeout(r, 2000))])));
  // Backends first: with them gone no tunnel through the entry point stays open.
  await backends?.killAll();
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
      const leader = await until(() => backends.leader(), 'a leader');
      const standby = backends.alive().find((p) => p !== leader)!;
      await until(() => entry.current() === leader.url, 'the entry point to follow the leader');
      // Where the kill lands: 0 as the offer rings, 1 racing the accept, 2 after the call is assigned.
      const point = Math.floor(rand() * 3);
      const ann = await agentOnline();
      const caller = await escalatingCaller(`+1555010000${round}`);
      sessions.push(caller.sessionId!);
      const offer = await ann.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer', 30_000);
      // A second caller, on the standby, waits in the queue while Ann's offer rings.
      const waiting = await escalatingCaller(`+1555010020${round}`, standby.url);
      sessions.push(waiting.sessionId!);
      await until(async () => (await store.listEvents(waiting.sessionId!)).some((e) => e.type === 'queue.entered'), 'the second call in the queue');
      if (point === 2) {
        expect(await ann.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
        await ann.waitFor((m) => m.type === 'call.assigned', 20_000);
      } else if (point === 1) {
        ann.send({ type: 'offer.accept', requestId: 'racing', offerId: offer.offer.offerId });
      }
      await new Promise((r) => setTimeout(r, rand() * 60));
      await backends.kill(leader);

      // Every event the agent was sent for that call is in the store, exactly as sent.
      const sent = ann.messages.flatMap((m) => (m.type === 'session.event' && m.sessionId === caller.sessionId ? [m.event] : []));
      const stored = await store.listEvents(caller.sessionId!);
      for (const e of sent) expect(stored.find((x) => x.seq === e.seq)).toEqual(e);
      await ann.close().catch(() => undefined);
      await caller.hangUp().catch(() => undefined);

      // Routing resumes on the survivor behind the same entry point; a fresh backend joins as standby.
      const survivor = await until(async () => {
        const l = await backends.leader();
        return l && l !== leader && entry.current() === l.url ? l : undefined;
      }, 'a survivor to lead behind the entry point');
      entry.add((await backends.start(`sb${backends.all.length + 1}`)).url);
      // The dead leader's call is closed by the survivor's recovery (to Ann's wrap-up if she had taken it).
      const recovered = await until(async () => {
        const s = await store.getSession(caller.sessionId!);
        return s && (s.state === 'ended' || s.state === 'wrap-up') ? s.state : undefined;
      }, "recovery of the dead leader's call");
      const again = await TestAgent.signIn(entry.url, 'ann@t.test', 'password-123');
      open.push(again);
      await again.connect();
      if (recovered === 'wrap-up') {
        expect(await again.request({ type: 'wrapup.submit', sessionId: caller.sessionId!, disposition: 'resolved', notes: 'cut off', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
      }
      expect(await again.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });
      // The call that was waiting on the standby at the kill is offered by the new leader.
      const offerW = await again.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === waiting.sessionId, 30_000);
      expect(await again.request({ type: 'offer.accept', offerId: offerW.offer.offerId })).toMatchObject({ type: 'ack' });
      await again.waitFor((m) => m.type === 'call.assigned' && m.sessionId === waiting.sessionId, 20_000);
      expect(await again.request({ type: 'call.hangup', sessionId: waiting.sessionId! })).toMatchObject({ type: 'ack' });
      await again.waitFor((m) => m.type === 'call.state' && m.sessionId === waiting.sessionId && m.wrapUpStartedAt !== undefined, 20_000);
      expect(await again.request({ type: 'wrapup.submit', sessionId: waiting.sessionId!, disposition: 'resolved', notes: '', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });

      // And new calls route as before.
      const next = await escalatingCaller(`+1555010010${round}`);
      sessions.push(next.sessionId!);
      const offer2 = await again.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === next.sessionId, 30_000);
      expect(await again.request({ type: 'offer.accept', offerId: offer2.offer.offerId })).toMatchObject({ type: 'ack' });
      await again.waitFor((m) => m.type === 'call.assigned' && m.sessionId === next.sessionId, 20_000);
      expect(survivor.child.exitCode).toBeNull();
      expect(await again.request({ type: 'call.hangup', sessionId: next.sessionId! })).toMatchObject({ type: 'ack' });
      await again.waitFor((m) => m.type === 'call.state' && m.sessionId === next.sessionId && m.wrapUpStartedAt !== undefined, 20_000);
      expect(await again.request({ type: 'wrapup.submit', sessionId: next.sessionId!, disposition: 'resolved', notes: '', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
      await again.close();
    }

    // No queue entry was taken twice: at most one accept per time a call entered a queue.
    for (const sessionId of sessions) {
      const log = await store.listEvents(sessionId);
      const entries = log.filter((e) => e.type === 'queue.entered').length;
      expect(log.filter((e) => e.type === 'agent.accepted').length).toBeLessThanOrEqual(entries);
    }
  }, 360_000);
});
