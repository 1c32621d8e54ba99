// Warm transfer over the real backend and local carrier: the agent consults a colleague while
// the caller holds, a decline or a ring-out gives the call back with a notice, a cancel puts
// the caller back with the first agent, a conference joins all three (audio mixed), and
// completing hands the caller over while the first agent wraps up their part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import { callerStatus } from '../../src/telephony/local/caller-status';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { startBackend, waitUntil, type Backend } from '../telephony/harness';
import { TestAgent } from './agent-client';

let backend: Backend;
const PASSWORD = 'agent-password-123';
type Msg<T extends AgentServerMessage['type']> = Extract<AgentServerMessage, { type: T }>;

beforeAll(async () => {
  backend = await startBackend({ OFFER_TIMEOUT_MS: 3000, HOLD_ANNOUNCE_MS: 60_000 });
  const { users } = backend.services;
  await users.create({ email: 'ana@example.com', name: 'Ana Agent', role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
  await users.create({ email: 'ben@example.com', name: 'Ben Baker', role: 'agent', password: PASSWORD, skills: ['general', 'orders'] });
});
afterAll(async () => {
  await backend.close();
});

/** An agent's audio leg, as the app opens it: frames it receives are kept. */
async function audioLeg(agent: TestAgent, sessionId: string): Promise<{ ws: WebSocket; heard: () => number; speak: (frames: number) => Promise<void> }> {
  const ws = new WebSocket(`${backend.baseUrl.replace('http', 'ws')}/agent/media?token=${agent.token}&sessionId=${sessionId}`);
  let media = 0;
  ws.on('message', (d) => {
    if (d.toString().includes('"media"')) media++;
  });
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  // The server opens the leg's transcriber before it reads frames (agent-media.ts).
  await new Promise((r) => setTimeout(r, 300));
  ws.send(JSON.stringify({ event: 'start', sequenceNumber: '1', streamSid: 'MAleg', start: { streamSid: 'MAleg', callSid: 'CAleg', tracks: ['inbound'], customParameters: { from: 'agent' }, mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 } } }));
  const tone = new Int16Array(320).map((_, i) => Math.round(4000 * Math.sin(i / 5)));
  return {
    ws,
    heard: () => media,
    speak: async (frames) => {
      for (let i = 0; i < frames; i++) {
        ws.send(JSON.stringify({ event: 'media', sequenceNumber: String(i + 2), streamSid: 'MAleg', media: { track: 'inbound', chunk: String(i), timestamp: '0', payload: Buffer.from(tone.buffer).toString('base64') } }));
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}

const consultState = (agent: TestAgent, after: number, match: (m: Msg<'consult.state'>) => boolean) =>
  agent.waitFor<Msg<'consult.state'>>((m) => m.type === 'consult.state' && agent.messages.indexOf(m) >= after && match(m), 15_000);

describe('warm transfer, consult and conference', () => {
  it('consults, survives a decline and a ring-out, cancels, conferences and completes — every step logged', async () => {
    const ana = await TestAgent.signIn(backend.baseUrl, 'ana@example.com', PASSWORD);
    const ben = await TestAgent.signIn(backend.baseUrl, 'ben@example.com', PASSWORD);
    await ana.connect();
    await ben.connect();
    const benId = ben.messages.find((m): m is Msg<'welcome'> => m.type === 'welcome')!.agent.id;
    const anaId = ana.messages.find((m): m is Msg<'welcome'> => m.type === 'welcome')!.agent.id;
    // Each desk gets its own queues' figures (Ben has no billing skill), and changes as they happen.
    const figures = await ben.waitFor<Msg<'queue.figures'>>((m) => m.type === 'queue.figures');
    expect(figures.queues.map((q) => q.queue).sort()).toEqual(['general', 'orders']);
    expect(figures.queues[0]).toEqual({ queue: expect.any(String), waiting: 0, longestWaitMs: 0, agentsAvailable: 0, agentsStaffed: 0 });
    await ana.request({ type: 'presence.set', presence: 'available' });
    await ben.waitFor((m) => m.type === 'queue.figures' && m.queues.some((q) => q.queue === 'general' && q.agentsAvailable === 1), 5000);

    const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from: '+15550100031', name: 'Dana Reyes' });
    await caller.connect();
    await caller.waitForAiAudio(0, 20_000);
    await waitUntil(() => caller.sessionId !== undefined, 20_000, 'session id');
    caller.dtmf('0');
    const sessionId = caller.sessionId!;
    const offer = await ana.waitFor<Msg<'offer'>>((m) => m.type === 'offer' && m.offer.sessionId === sessionId);
    expect(await ana.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    await ana.waitFor((m) => m.type === 'call.assigned');
    await ben.request({ type: 'presence.set', presence: 'available' });

    // The picker's view: Ben is free, Ana is on a call; General has one agent available.
    const optionsAck = await ana.request({ type: 'transfer.options' });
    expect(optionsAck).toMatchObject({ type: 'ack' });
    const options = ana.messages.findLast((m): m is Msg<'transfer.options'> => m.type === 'transfer.options')!.options;
    expect(options.agents.find((a) => a.id === benId)).toMatchObject({ presence: 'available', free: true });
    expect(options.agents.find((a) => a.id === anaId)).toMatchObject({ presence: 'on_call', free: false });
    expect(options.queues.find((q) => q.queue === 'general')).toMatchObject({ agentsAvailable: 1 });
    expect(options.queues.find((q) => q.queue === 'billing')).toMatchObject({ agentsAvailable: 0 });

    // Bad input changes nothing: consulting yourself, or a queue nobody free serves.
    expect(await ana.request({ type: 'consult.start', sessionId, target: { agentId: anaId }, note: '' })).toMatchObject({ type: 'error', code: 'same_agent' });
    expect(await ana.request({ type: 'consult.start', sessionId, target: { queue: 'billing' }, note: '' })).toMatchObject({ type: 'error', code: 'nobody_available' });
    expect(await ben.request({ type: 'consult.complete', sessionId })).toMatchObject({ type: 'error', code: 'not_your_call' });

    // 1. Ben declines: the caller is back with Ana, with a notice; never dropped.
    let mark = ana.messages.length;
    expect(await ana.request({ type: 'consult.start', sessionId, target: { agentId: benId }, note: 'refund over limit' })).toMatchObject({ type: 'ack' });
    await consultState(ana, mark, (m) => m.consult?.phase === 'ringing' && m.consult.otherAgentName === 'Ben Baker');
    const ring1 = await ben.waitFor<Msg<'offer'>>((m) => m.type === 'offer' && m.offer.consultFrom === 'Ana Agent');
    expect(ring1.offer).toMatchObject({ sessionId, transferNote: 'refund over limit', callerName: 'Dana Reyes' });
    expect(await ana.request({ type: 'call.hold', sessionId, held: false })).toMatchObject({ type: 'error', code: 'consult_in_progress' });
    expect(await ben.request({ type: 'consult.decline', consultId: ring1.offer.offerId })).toMatchObject({ type: 'ack' });
    const declined = await consultState(ana, mark, (m) => m.consult === null);
    expect(declined).toMatchObject({ outcome: 'declined' });
    expect(declined.notice).toMatch(/Ben Baker declined.*back with the caller/);
    expect(backend.app.desk.holds(anaId, sessionId)).toBe(true);
    expect(backend.app.desk.call(sessionId)?.ended).toBe(false);

    // 2. Through the queue, and Ben lets it ring out: the same return, and Ben is not set away.
    mark = ana.messages.length;
    expect(await ana.request({ type: 'consult.start', sessionId, target: { queue: 'orders' }, note: '' })).toMatchObject({ type: 'ack' });
    const ring2 = await ben.waitFor<Msg<'offer'>>((m) => m.type === 'offer' && m.offer.consultFrom !== undefined && m.offer.offerId !== ring1.offer.offerId);
    await ben.waitFor((m) => m.type === 'offer.revoked' && m.offerId === ring2.offer.offerId && m.reason === 'cancelled', 10_000);
    expect(await consultState(ana, mark, (m) => m.consult === null)).toMatchObject({ outcome: 'no_answer' });
    expect(backend.app.desk.router.agent(benId)).toMatchObject({ presence: 'available', free: true });
    expect(await ben.request({ type: 'consult.accept', consultId: ring2.offer.offerId })).toMatchObject({ type: 'error', code: 'consult_gone' });

    // 3. Ben answers: he hears Ana (not the caller, who holds), gets the brief; then Ana cancels.
    const anaLeg = await audioLeg(ana, sessionId);
    mark = ana.messages.length;
    await ana.request({ type: 'consult.start', sessionId, target: { agentId: benId }, note: 'needs an orders specialist' });
    const ring3 = await ben.waitFor<Msg<'offer'>>((m) => m.type === 'offer' && m.offer.consultFrom !== undefined && ![ring1, ring2].some((r) => r.offer.offerId === m.offer.offerId));
    expect(await ben.request({ type: 'consult.accept', consultId: ring3.offer.offerId })).toMatchObject({ type: 'ack' });
    await ben.waitFor((m) => m.type === 'call.assigned' && m.sessionId === sessionId);
    await consultState(ana, mark, (m) => m.consult?.phase === 'talking');
    expect(backend.app.desk.router.agent(benId)).toMatchObject({ presence: 'on_call', free: false });
    const benLeg = await audioLeg(ben, sessionId);
    await waitUntil(async () => {
      await anaLeg.speak(5);
      return benLeg.heard() > 0;
    }, 5000, 'Ben hears Ana');
    mark = ana.messages.length;
    expect(await ana.request({ type: 'consult.cancel', sessionId })).toMatchObject({ type: 'ack' });
    expect(await consultState(ana, mark, (m) => m.consult === null)).toMatchObject({ outcome: 'cancelled' });
    await ben.waitFor((m) => m.type === 'consult.state' && m.consult === null && m.outcome === 'cancelled');
    expect(backend.app.desk.holds(benId, sessionId)).toBe(false);
    benLeg.ws.close();

    // 4. Again, then a three-way conference: Ben hears Ana and the caller; the caller hears both agents mixed.
    mark = ana.messages.length;
    await ana.request({ type: 'consult.start', sessionId, target: { agentId: benId }, note: '' });
    const ring4 = await ben.waitFor<Msg<'offer'>>((m) => m.type === 'offer' && m.offer.consultFrom !== undefined && ![ring1, ring2, ring3].some((r) => r.offer.offerId === m.offer.offerId));
    await ben.request({ type: 'consult.accept', consultId: ring4.offer.offerId });
    await consultState(ana, mark, (m) => m.consult?.phase === 'talking');
    const benLeg2 = await audioLeg(ben, sessionId);
    expect(await ana.request({ type: 'consult.conference', sessionId })).toMatchObject({ type: 'ack' });
    await consultState(ana, mark, (m) => m.consult?.phase === 'conference');
    await ben.waitFor((m) => m.type === 'consult.state' && m.consult?.phase === 'conference');
    const callerHeardBefore = caller.received.filter((f) => f.event === 'media').length;
    const benHeardBefore = benLeg2.heard();
    await Promise.all([anaLeg.speak(20), benLeg2.speak(20)]);
    await waitUntil(() => caller.received.filter((f) => f.event === 'media').length > callerHeardBefore, 5000, 'the caller hears the agents');
    await waitUntil(() => benLeg2.heard() > benHeardBefore, 5000, 'Ben hears Ana in the conference');
    // Mixed, not queued one after the other: about one frame out per pair of frames in.
    const toCaller = caller.received.filter((f) => f.event === 'media').length - callerHeardBefore;
    expect(toCaller).toBeLessThanOrEqual(25);

    // 5. Ana completes: the caller goes to Ben, Ana goes to wrap-up for her part.
    mark = ana.messages.length;
    expect(await ana.request({ type: 'consult.complete', sessionId })).toMatchObject({ type: 'ack' });
    const done = await consultState(ana, mark, (m) => m.consult === null);
    expect(done).toMatchObject({ outcome: 'completed' });
    await ana.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined && ana.messages.indexOf(m) >= mark);
    await ben.waitFor((m) => m.type === 'consult.state' && m.outcome === 'completed');
    expect(backend.app.desk.agentOn(sessionId)).toBe(benId);
    expect(backend.app.desk.router.agent(anaId)?.presence).toBe('wrap_up');
    expect(backend.app.desk.router.agent(benId)).toMatchObject({ presence: 'on_call', sessionId });
    // Ana's wrap-up closes her part only: the caller is still with Ben.
    expect(await ana.request({ type: 'wrapup.submit', sessionId, disposition: 'transferred', notes: 'warm transfer to Ben', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
    expect(backend.app.desk.call(sessionId)?.ended).toBe(false);
    let log = await backend.services.store.listEvents(sessionId);
    expect(log.some((e) => e.type === 'session.ended')).toBe(false);
    expect(callerStatus(log)).toEqual({ phase: 'agent', agentFirstName: 'Ben' });

    // Ben ends the call and wraps up: the session ends once.
    expect(await ben.request({ type: 'call.hangup', sessionId })).toMatchObject({ type: 'ack' });
    await ben.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined);
    await caller.closed();
    expect(await ben.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'done', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
    anaLeg.ws.close();
    benLeg2.ws.close();

    log = await backend.services.store.listEvents(sessionId);
    const steps = log
      .filter((e) => e.type.startsWith('consult.') || e.type === 'conference.started' || e.type === 'call.transferred' || e.type === 'agent.accepted' || e.type === 'wrapup.started' || e.type === 'session.ended')
      .map((e) => (e.type === 'consult.ended' ? `consult.ended:${e.data.outcome}` : e.type));
    expect(steps).toEqual([
      'agent.accepted',
      'consult.requested',
      'consult.ended:declined',
      'consult.requested',
      'consult.ended:no_answer',
      'consult.requested',
      'consult.accepted',
      'consult.ended:cancelled',
      'consult.requested',
      'consult.accepted',
      'conference.started',
      'call.transferred',
      'consult.completed',
      'agent.accepted',
      'wrapup.started',
      'wrapup.started',
      'session.ended',
    ]);
    // Each hold the consultation put on is taken off again.
    const holds = log.filter((e) => e.type === 'call.held').map((e) => (e.data as { held: boolean }).held);
    expect(holds).toEqual([true, false, true, false, true, false, true, false]);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect((await backend.services.store.getSession(sessionId))?.agentIds.sort()).toEqual([anaId, benId].sort());
    await ana.close();
    await ben.close();
  });
});
