// The desk under racing agent and routing actions, over the real backend: a repeated
// offer.accept answers like the first and takes the call once; routing steps for one call
// apply in the order routing took them, so an offer withdrawn right after it was sent
// leaves the call queued, not stuck "offered".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import type { User } from '../../src/auth/users';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { startBackend, waitUntil, type Backend } from '../telephony/harness';
import { TestAgent } from './agent-client';

let backend: Backend;
let ana: User;
const PASSWORD = 'agent-password-123';

beforeAll(async () => {
  backend = await startBackend({ OFFER_TIMEOUT_MS: 60_000, HOLD_ANNOUNCE_MS: 60_000 });
  ana = await backend.services.users.create({ email: 'ana@example.com', name: 'Ana Agent', role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
});
afterAll(async () => {
  await backend.close();
});

async function queuedCall(from: string): Promise<ScriptedCaller> {
  const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from });
  await caller.connect();
  await waitUntil(() => caller.sessionId !== undefined, 20_000, 'session id');
  caller.dtmf('0');
  await waitUntil(() => backend.app.desk.router.call(caller.sessionId!) !== undefined, 20_000, 'call in the queue');
  return caller;
}

describe('agent desk ordering', () => {
  it('a double offer.accept acks twice, stores agent.accepted once and leaves the call with the agent', async () => {
    const agent = await TestAgent.signIn(backend.baseUrl, 'ana@example.com', PASSWORD);
    await agent.connect();
    await agent.request({ type: 'presence.set', presence: 'available' });
    const caller = await queuedCall('+15550100061');
    const sessionId = caller.sessionId!;
    const offer = await agent.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === sessionId);
    // Both leave before either is answered, as a double click does.
    const [first, second] = await Promise.all([
      agent.request({ type: 'offer.accept', offerId: offer.offer.offerId }),
      agent.request({ type: 'offer.accept', offerId: offer.offer.offerId }),
    ]);
    expect(first).toMatchObject({ type: 'ack' });
    expect(second).toMatchObject({ type: 'ack' });
    expect(await agent.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    const events = await backend.services.store.listEvents(sessionId);
    expect(events.filter((e) => e.type === 'agent.accepted')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'state.changed' && e.data.to === 'agent')).toHaveLength(1);
    expect(agent.messages.filter((m) => m.type === 'call.assigned')).toHaveLength(1);
    expect(backend.app.desk.holds(ana.id, sessionId)).toBe(true);
    expect((await backend.services.store.getSession(sessionId))?.state).toBe('agent');
    await caller.hangUp();
    await agent.waitFor((m) => m.type === 'call.state' && m.wrapUpStartedAt !== undefined);
    await agent.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'ok', followUp: { kind: 'none' } });
    await agent.request({ type: 'presence.set', presence: 'offline' });
    await agent.close();
  });

  it('an offer revoked in the same tick it was sent leaves the call queued', async () => {
    const caller = await queuedCall('+15550100062');
    const sessionId = caller.sessionId!;
    const { desk } = backend.app;
    await desk.settle();
    // Available (the queued call is offered at once), then away before anything was stored.
    expect(desk.router.setPresence(ana.id, 'available')).toMatchObject({ ok: true });
    expect(desk.router.agent(ana.id)?.offer?.sessionId).toBe(sessionId);
    expect(desk.router.setPresence(ana.id, 'away')).toMatchObject({ ok: true });
    await desk.settle();
    expect(desk.call(sessionId)?.conversation?.state).toBe('queued');
    expect((await backend.services.store.getSession(sessionId))?.state).toBe('queued');
    const moves = (await backend.services.store.listEvents(sessionId)).flatMap((e) => (e.type === 'state.changed' ? [`${e.data.from}>${e.data.to}`] : []));
    expect(moves.slice(-2)).toEqual(['queued>offered', 'offered>queued']);
    await caller.hangUp();
  });
});
