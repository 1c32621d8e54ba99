// Routing across backend processes (issue 16): three real backends over PostgreSQL and NATS.
// An agent connected to one backend takes a call whose caller is on another, while a third
// holds the routing lease: the agent's commands go to the leader, the offer comes back to the
// agent's backend, the call is taken where the caller is, and the agent's audio joins there
// (call.assigned names that backend; the agent's own backend refuses the audio). Then the
// leader is killed with SIGKILL: the new leader rebuilds routing, so a call that was waiting
// in the queue at the kill is offered and taken; the dead backend's open session is closed
// by crash recovery while the live peer's call is left alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import { UserDirectory } from '../../src/auth/users';
import type { SwitchboardDb } from '../../src/store/database';
import { SqlSessionStore } from '../../src/store/session-store';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { TestAgent } from '../agents/agent-client';
import { BackendProcesses, until, type BackendProcess } from '../support/backend-processes';
import { freshSchema, type TestSchema } from '../support/postgres';

let schema: TestSchema;
let db: SwitchboardDb;
let dataDir: string;
let backends: BackendProcesses;
let leader: BackendProcess;
/** The backend the agent connects to, and the one callers connect to: neither leads at first. */
let agentSide: BackendProcess;
let callerSide: BackendProcess;
const open: Array<{ close(): Promise<unknown> }> = [];

async function escalatingCaller(baseUrl: string, from: string): Promise<ScriptedCaller> {
  const caller = new ScriptedCaller({ baseUrl, from, name: 'Cross Caller' });
  open.push({ close: () => caller.hangUp().catch(() => undefined) });
  await caller.connect();
  await caller.waitForAiAudio(0, 30_000);
  await until(() => caller.sessionId, 'the session id');
  caller.dtmf('0');
  return caller;
}

/** A command the leader may not take while the lease changes hands: repeated until it is done. */
async function whenRouting(agent: TestAgent, message: Parameters<TestAgent['request']>[0]): Promise<AgentServerMessage> {
  return until(async () => {
    const answer = await agent.request(message);
    return answer.type === 'error' && answer.code === 'routing_unavailable' ? undefined : answer;
  }, `${message.type} once routing is back`);
}

function mediaLeg(baseUrl: string, token: string, sessionId: string): WebSocket {
  const leg = new WebSocket(`${baseUrl.replace('http', 'ws')}/agent/media?token=${token}&sessionId=${sessionId}`);
  leg.on('error', () => undefined);
  open.push({ close: async () => void (leg.readyState === WebSocket.OPEN && leg.terminate()) });
  return leg;
}

beforeAll(async () => {
  schema = await freshSchema('crossinst');
  db = await schema.open();
  await new UserDirectory(db, 12).create({ email: 'ann@t.test', name: 'Ann', role: 'agent', password: 'password-123', team: 'north' });
  await new UserDirectory(db, 12).create({ email: 'bob@t.test', name: 'Bob', role: 'agent', password: 'password-123', team: 'north' });
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-cross-'));
  backends = new BackendProcesses(schema, dataDir, { OFFER_TIMEOUT_MS: '30000', RECOVERY_SWEEP_MS: '1000' });
  // One at a time: the first migrates the schema.
  for (const id of ['x1', 'x2', 'x3']) await backends.start(id);
  leader = await until(() => backends.leader(), 'a routing leader');
  [agentSide, callerSide] = backends.all.filter((p) => p !== leader) as [BackendProcess, BackendProcess];
}, 300_000);

afterAll(async () => {
  // Bounded: sockets terminated, every backend SIGKILLed, then the schema dropped.
  await Promise.all(open.map((o) => Promise.race([o.close(), new Promise((r) => setTimeout(r, 2000))])));
  await backends?.killAll();
  await db?.destroy();
  await schema?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('routing across backends', () => {
  it('lets an agent on one backend take a call whose caller is on another, with the audio where the call is', async () => {
    const store = new SqlSessionStore(db);
    const ann = await TestAgent.signIn(agentSide.url, 'ann@t.test', 'password-123');
    open.push(ann);
    await ann.connect();
    expect(await ann.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });

    const caller = await escalatingCaller(callerSide.url, '+15550200001');
    const sessionId = caller.sessionId!;
    const offer = await ann.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === sessionId, 30_000);
    expect(await ann.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    const assigned = await ann.waitFor<Extract<AgentServerMessage, { type: 'call.assigned' }>>((m) => m.type === 'call.assigned' && m.sessionId === sessionId, 20_000);
    // The call is held where the caller is, and the agent's audio is sent there.
    expect(assigned.mediaUrl).toBe(callerSide.url);
    const row = await db.selectFrom('sessions').select('instance_id').where('id', '=', sessionId).executeTakeFirstOrThrow();
    expect(row.instance_id).toBe(callerSide.id);

    // The agent's own backend does not hold the call: it refuses the audio.
    const wrong = mediaLeg(agentSide.url, ann.token, sessionId);
    const refused = await new Promise<number>((resolve) => {
      wrong.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      wrong.once('open', () => resolve(101));
    });
    expect(refused).toBe(403);
    // The backend named in call.assigned carries the caller's voice to the agent.
    const leg = mediaLeg(assigned.mediaUrl!, ann.token, sessionId);
    const toAgent: string[] = [];
    leg.on('message', (d: Buffer) => toAgent.push(d.toString()));
    await new Promise((r, j) => (leg.once('open', r), leg.once('error', j)));
    leg.send(JSON.stringify({ event: 'start', sequenceNumber: '1', streamSid: 'MAx', start: { streamSid: 'MAx', callSid: 'CAx', tracks: ['inbound'], customParameters: { from: 'agent', sessionId }, mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 } } }));
    await until(() => toAgent.some((f) => f.includes('"media"')), 'caller audio at the agent');

    // The agent's controls reach the call on the caller's backend.
    expect(await ann.request({ type: 'call.mute', sessionId, muted: true })).toMatchObject({ type: 'ack' });
    await ann.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.muted, 10_000);
    expect(await ann.request({ type: 'call.hangup', sessionId })).toMatchObject({ type: 'ack' });
    await ann.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined, 20_000);
    expect(await ann.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'across backends', followUp: { kind: 'none' } })).toMatchObject({
      type: 'ack',
    });
    const log = await store.listEvents(sessionId);
    expect(log.filter((e) => e.type === 'agent.accepted')).toHaveLength(1);
    expect(log.some((e) => e.type === 'wrapup.submitted')).toBe(true);
    // The agent followed the call's events live from another backend, in order, once each.
    const seqs = ann.seqs(sessionId);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    await ann.close();
  }, 120_000);

  it('lets an agent on a standby consult a colleague on the leader about a call held on the third backend, and hand it over', async () => {
    const store = new SqlSessionStore(db);
    const ann = await TestAgent.signIn(agentSide.url, 'ann@t.test', 'password-123');
    const bob = await TestAgent.signIn(leader.url, 'bob@t.test', 'password-123');
    open.push(ann, bob);
    await ann.connect();
    await bob.connect();
    expect(await bob.request({ type: 'presence.set', presence: 'away' })).toMatchObject({ type: 'ack' });
    expect(await ann.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });

    const caller = await escalatingCaller(callerSide.url, '+15550200004');
    const sessionId = caller.sessionId!;
    const offer = await ann.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === sessionId, 30_000);
    expect(await ann.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    await ann.waitFor((m) => m.type === 'call.assigned' && m.sessionId === sessionId, 20_000);
    expect(await bob.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });

    // The standby's transfer picker reads the leader's routing: Bob is free, Ann is on a call.
    ann.send({ type: 'transfer.options', requestId: 'opts' });
    const options = await ann.waitFor<Extract<AgentServerMessage, { type: 'transfer.options' }>>((m) => m.type === 'transfer.options', 10_000);
    const bobView = options.options.agents.find((a) => a.name === 'Bob');
    expect(bobView).toMatchObject({ free: true });
    expect(options.options.agents.find((a) => a.name === 'Ann')).toMatchObject({ presence: 'on_call', free: false });

    expect(await ann.request({ type: 'consult.start', sessionId, target: { agentId: bobView!.id }, note: 'billing question' })).toMatchObject({ type: 'ack' });
    const ring = await bob.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === sessionId, 20_000);
    expect(ring.offer.consultFrom).toBe('Ann');
    // Bob's backend is neither the call's nor Ann's: the answer goes where the call is held.
    expect(await bob.request({ type: 'consult.accept', consultId: ring.offer.offerId })).toMatchObject({ type: 'ack' });
    const joined = await bob.waitFor<Extract<AgentServerMessage, { type: 'call.assigned' }>>((m) => m.type === 'call.assigned' && m.sessionId === sessionId, 20_000);
    expect(joined.mediaUrl).toBe(callerSide.url);
    const bobLeg = mediaLeg(joined.mediaUrl!, bob.token, sessionId);
    await new Promise((r, j) => (bobLeg.once('open', r), bobLeg.once('unexpected-response', (_q, res) => j(new Error(`Bob's audio refused: ${res.statusCode}`)))));
    await ann.waitFor((m) => m.type === 'consult.state' && m.sessionId === sessionId && m.consult?.phase === 'talking', 20_000);

    expect(await ann.request({ type: 'consult.complete', sessionId })).toMatchObject({ type: 'ack' });
    await bob.waitFor((m) => m.type === 'consult.state' && m.sessionId === sessionId && m.outcome === 'completed', 20_000);
    await ann.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined, 20_000);
    const log = (await store.listEvents(sessionId)).map((e) => e.type);
    expect(log.filter((t) => t === 'consult.requested' || t === 'consult.accepted' || t === 'consult.completed')).toEqual(['consult.requested', 'consult.accepted', 'consult.completed']);
    expect(log.filter((t) => t === 'agent.accepted')).toHaveLength(2);
    // Bob has the caller now: his controls reach the call on its backend.
    expect(await bob.request({ type: 'call.hangup', sessionId })).toMatchObject({ type: 'ack' });
    await bob.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined, 20_000);
    for (const agent of [ann, bob]) {
      expect(await agent.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'consulted across backends', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
    }
    await bob.close();
    await ann.close();
  }, 150_000);

  it('after the leader is killed, a call waiting in the queue is offered again and the dead backend\'s sessions are closed', async () => {
    const store = new SqlSessionStore(db);
    const ann = await TestAgent.signIn(agentSide.url, 'ann@t.test', 'password-123');
    open.push(ann);
    await ann.connect();
    expect(await ann.request({ type: 'presence.set', presence: 'away' })).toMatchObject({ type: 'ack' });

    // Waiting in the queue on a standby when the leader dies.
    const waiting = await escalatingCaller(callerSide.url, '+15550200002');
    await until(async () => (await store.listEvents(waiting.sessionId!)).some((e) => e.type === 'queue.entered'), 'the call in the queue');
    // A call with the AI on the leader itself: it dies with it.
    const doomed = new ScriptedCaller({ baseUrl: leader.url, from: '+15550200003', name: 'Doomed Caller' });
    open.push({ close: () => doomed.hangUp().catch(() => undefined) });
    await doomed.connect();
    await doomed.waitForAiAudio(0, 30_000);
    const doomedId = await until(() => doomed.sessionId, 'the doomed session id');

    await backends.kill(leader);
    const next = await until(async () => {
      const l = await backends.leader();
      return l && l !== leader ? l : undefined;
    }, 'a new leader');
    expect([agentSide, callerSide]).toContain(next);

    expect(await whenRouting(ann, { type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });
    const offer = await ann.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === waiting.sessionId, 30_000);
    expect(await ann.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    await ann.waitFor((m) => m.type === 'call.assigned' && m.sessionId === waiting.sessionId, 20_000);

    // The dead leader's call is closed by recovery; the live peer's call is not touched.
    await until(async () => (await store.getSession(doomedId))?.state === 'ended', 'the dead backend\'s session closed', 30_000);
    const doomedLog = await store.listEvents(doomedId);
    expect(doomedLog.find((e) => e.type === 'session.ended')?.data).toMatchObject({ reason: 'system_restart' });
    expect((await store.getSession(waiting.sessionId!))?.state).toBe('agent');
    expect((await store.listEvents(waiting.sessionId!)).some((e) => e.type === 'session.ended')).toBe(false);
    expect((await store.listEvents(waiting.sessionId!)).filter((e) => e.type === 'agent.accepted')).toHaveLength(1);

    expect(await ann.request({ type: 'call.hangup', sessionId: waiting.sessionId! })).toMatchObject({ type: 'ack' });
    await ann.close();
  }, 150_000);
});
