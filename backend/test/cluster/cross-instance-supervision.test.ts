// Supervision across backends (issue 16, item 4): three real backends over PostgreSQL and
// NATS. The caller is on A, so A holds the call and its media; the agent's channel is on C
// and their audio joins at A; the lead's channel is on B. The lead lists the call from B,
// and listen, whisper and barge run on A (the events are in the store), the lead's audio leg
// joins A at the address the channel names, and who hears whom is checked by tone. A lead of
// another team is refused; the call's end, the lead's leaving and the holding backend's
// going silent or stopping each end the monitoring with nothing left held.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import type { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { TestAgent } from '../agents/agent-client';
import { until } from '../support/backend-processes';
import { startCluster, takenCall, type Backend, type TestCluster } from '../support/cluster';
import { AGENT_HZ, CALLER_HZ, LEAD_HZ, tone } from '../supervision/tones';
import { StaffLeg, callerLevel, expectWhisperOnlyToAgent } from '../supervision/staff-leg';
import { expectInOrder } from '../supervision/event-order';

const PASSWORD = 'lead-password-123';
let cluster: TestCluster;
let a: Backend;
let b: Backend;
let c: Backend;
const open: Array<{ close(): Promise<unknown> }> = [];

type MonitorState = Extract<AgentServerMessage, { type: 'monitor.state' }>;
type CallList = Extract<AgentServerMessage, { type: 'supervision.calls' }>;

beforeAll(async () => {
  cluster = await startCluster(3, { OFFER_TIMEOUT_MS: 30_000, HOLD_ANNOUNCE_MS: 60_000 }, async (services) => {
    await services.users.create({ email: 'ana@xs.test', name: 'Ana Agent', role: 'agent', team: 'north', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
    await services.users.create({ email: 'lea@xs.test', name: 'Lea Lead', role: 'lead', team: 'north', password: PASSWORD });
    await services.users.create({ email: 'lou@xs.test', name: 'Lou Lead', role: 'lead', team: 'south', password: PASSWORD });
  });
  [a, b, c] = cluster.backends as [Backend, Backend, Backend];
}, 120_000);

afterAll(async () => {
  await Promise.all(open.map((o) => Promise.race([o.close(), new Promise((r) => setTimeout(r, 2000))])));
  await cluster?.close();
}, 60_000);

async function signIn(backend: Backend, name: string): Promise<TestAgent> {
  const agent = await TestAgent.signIn(backend.baseUrl, `${name}@xs.test`, PASSWORD);
  await agent.connect();
  open.push(agent);
  return agent;
}

/** A caller on A escalates, the agent on C takes the call; its audio joins at A. */
async function takenOnA(ana: TestAgent, from: string): Promise<{ caller: ScriptedCaller; sessionId: string; agentLeg: StaffLeg }> {
  const { caller, sessionId, mediaUrl } = await takenCall(a, ana, from, open);
  expect(mediaUrl).toBe(a.baseUrl);
  const agentLeg = new StaffLeg(mediaUrl!, '/agent/media', ana.token, sessionId);
  open.push({ close: async () => agentLeg.ws.terminate() });
  await agentLeg.open();
  return { caller, sessionId, agentLeg };
}

/** monitor.start from the lead's backend; the state names where the audio is, and the leg joins there. */
async function monitorFrom(lead: TestAgent, sessionId: string): Promise<StaffLeg> {
  const from = lead.messages.length;
  expect(await lead.request({ type: 'monitor.start', sessionId, mode: 'listen' })).toMatchObject({ type: 'ack' });
  const state = await lead.waitFor<MonitorState>((m) => m.type === 'monitor.state' && m.sessionId === sessionId && m.mode === 'listen' && lead.messages.indexOf(m) >= from);
  expect(state.mediaUrl).toBe(a.baseUrl);
  const leg = new StaffLeg(state.mediaUrl!, '/agent/monitor', lead.token, sessionId);
  open.push({ close: async () => leg.ws.terminate() });
  await leg.open();
  return leg;
}

async function eventTypes(sessionId: string): Promise<string[]> {
  return (await a.services.store.listEvents(sessionId)).map((e) => e.type as string);
}

describe('supervision across backends', () => {
  it('a lead on B listens, whispers and barges on a call held on A that an agent on C took; another team is refused; the call end stops it', async () => {
    const [ana, lea, lou] = [await signIn(c, 'ana'), await signIn(b, 'lea'), await signIn(b, 'lou')] as [TestAgent, TestAgent, TestAgent];
    expect(await ana.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });
    const { caller, sessionId, agentLeg } = await takenOnA(ana, '+15550300001');

    // The call held on A is in the list of the agent's lead on B; not in the other team's.
    const list = await lea.waitFor<CallList>((m) => m.type === 'supervision.calls' && m.calls.some((x) => x.sessionId === sessionId), 10_000);
    expect(list.calls.find((x) => x.sessionId === sessionId)).toMatchObject({ agentName: 'Ana Agent', team: 'north', callerName: 'Dana Reyes', monitors: [] });
    expect(await lou.request({ type: 'monitor.start', sessionId, mode: 'listen' })).toMatchObject({ type: 'error', code: 'other_team' });
    expect(lou.messages.some((m) => m.type === 'supervision.calls' && m.calls.length > 0)).toBe(false);
    expect(await lea.request({ type: 'monitor.mode', sessionId, mode: 'whisper' })).toMatchObject({ type: 'error', code: 'not_monitoring' });

    const leadLeg = await monitorFrom(lea, sessionId);
    // B does not hold the call: its monitor endpoint refuses the leg.
    expect((await fetch(`${b.baseUrl}/agent/monitor?token=${lea.token}&sessionId=${sessionId}`)).status).toBe(403);
    expect(a.app.supervision.monitoredCalls).toBe(1);
    expect(b.app.supervision.monitoredCalls).toBe(0);
    await lea.waitFor<CallList>((m) => m.type === 'supervision.calls' && m.calls.some((x) => x.sessionId === sessionId && x.monitors.some((s) => s.supervisorName === 'Lea Lead' && s.mode === 'listen')), 10_000);

    // Listen: the lead hears caller and agent; the agent does not hear the lead.
    await Promise.all([caller.say(tone(CALLER_HZ, 16_000)), agentLeg.speak(tone(AGENT_HZ, 16_000)), leadLeg.speak(tone(LEAD_HZ, 16_000))]);
    expect(leadLeg.level(CALLER_HZ)).toBeGreaterThan(1500);
    expect(leadLeg.level(AGENT_HZ)).toBeGreaterThan(1500);
    expect(agentLeg.level(LEAD_HZ)).toBeLessThan(100);

    // Whisper: the agent hears the lead; the caller does not.
    expect(await lea.request({ type: 'monitor.mode', sessionId, mode: 'whisper' })).toMatchObject({ type: 'ack' });
    await expectWhisperOnlyToAgent(caller, agentLeg, leadLeg);

    // Barge: the caller hears the lead too.
    expect(await lea.request({ type: 'monitor.mode', sessionId, mode: 'barge' })).toMatchObject({ type: 'ack' });
    const callerFrom = caller.received.length;
    await leadLeg.speak(tone(LEAD_HZ, 16_000));
    expect(callerLevel(caller, LEAD_HZ, callerFrom)).toBeGreaterThan(1500);

    // The caller hangs up on A: the lead on B is told, the leg on A closes, A holds nothing.
    const beforeEnd = lea.messages.length;
    await caller.hangUp();
    await lea.waitFor<MonitorState>((m) => m.type === 'monitor.state' && m.sessionId === sessionId && m.mode === null && /call ended/i.test(m.reason ?? ''));
    await until(() => leadLeg.closedWith, 'the lead\'s leg closed');
    await until(() => a.app.supervision.monitoredCalls === 0, 'no mixer left on A');
    await lea.waitFor((m) => m.type === 'supervision.calls' && !m.calls.some((x) => x.sessionId === sessionId) && lea.messages.indexOf(m) >= beforeEnd, 10_000);
    expect(await lea.request({ type: 'monitor.mode', sessionId, mode: 'listen' })).toMatchObject({ type: 'error', code: 'call_ended' });

    // Each step is a session event, in order, written on A.
    const types = await eventTypes(sessionId);
    const order = ['agent.accepted', 'monitor.started', 'monitor.mode_changed', 'monitor.mode_changed', 'monitor.stopped'];
    expectInOrder(types, order);
    const stopped = (await a.services.store.listEvents(sessionId)).find((e) => e.type === 'monitor.stopped');
    expect(stopped?.data).toMatchObject({ reason: 'call_ended' });
    expect(types.filter((t) => t === 'monitor.started')).toHaveLength(1);
    // Wrap the call up so the agent is free for the next case.
    await ana.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined, 20_000);
    expect(await ana.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'monitored across backends', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
    for (const x of [ana, lea, lou]) await x.close();
  }, 180_000);

  it('the lead leaving (closing the leg) ends the monitoring on A; A falling silent tells the lead on B, and A stopping holds nothing', async () => {
    const [ana, lea] = [await signIn(c, 'ana'), await signIn(b, 'lea')] as [TestAgent, TestAgent];
    expect(await ana.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });
    const { sessionId } = await takenOnA(ana, '+15550300002');

    const first = await monitorFrom(lea, sessionId);
    first.ws.close();
    await until(async () => (await eventTypes(sessionId)).includes('monitor.stopped'), 'the monitor stopped on A');
    expect((await a.services.store.listEvents(sessionId)).find((e) => e.type === 'monitor.stopped')?.data).toMatchObject({ reason: 'supervisor' });
    await until(() => a.app.supervision.monitoredCalls === 0, 'no mixer left on A');
    await lea.waitFor((m) => m.type === 'monitor.state' && m.sessionId === sessionId && m.mode === null, 10_000);

    // Monitoring again, then A is cut off from the bus (as if killed: it can tell nobody):
    // B notices A's silence and tells its lead the monitoring ended, and lists the call no more.
    const second = await monitorFrom(lea, sessionId);
    const from = lea.messages.length;
    await a.services.cluster!.link.close();
    const ended = await lea.waitFor<MonitorState>((m) => m.type === 'monitor.state' && m.sessionId === sessionId && m.mode === null && lea.messages.indexOf(m) >= from, 15_000);
    expect(ended.reason).toMatch(/server holding this call stopped/);
    await lea.waitFor((m) => m.type === 'supervision.calls' && !m.calls.some((x) => x.sessionId === sessionId) && lea.messages.indexOf(m) >= from, 15_000);
    // A stopping ends what it still held: the mixer and the lead's leg.
    await a.app.close();
    await until(() => second.closedWith, 'the lead\'s leg closed');
    expect(a.app.supervision.monitoredCalls).toBe(0);
    await ana.close();
    await lea.close();
  }, 180_000);
});
