// Verification by the agent over the real backend: a caller from an unknown number; the agent
// searches the CRM (results show only enough to pick), links the account (nothing opens), then
// types the caller's answers through the AI's own verification tool — same events, same
// attempt limit — and the customer card opens only once verified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { startBackend, waitUntil, type Backend } from '../telephony/harness';
import { TestAgent } from './agent-client';

let backend: Backend;
const PASSWORD = 'agent-password-123';
type Msg<T extends AgentServerMessage['type']> = Extract<AgentServerMessage, { type: T }>;

beforeAll(async () => {
  backend = await startBackend({ OFFER_TIMEOUT_MS: 4000, HOLD_ANNOUNCE_MS: 60_000 });
  await backend.services.users.create({ email: 'vera@example.com', name: 'Vera Agent', role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
});
afterAll(async () => {
  await backend.close();
});

async function takeCall(agent: TestAgent, from: string): Promise<{ caller: ScriptedCaller; sessionId: string }> {
  const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from, name: 'Dana' });
  await caller.connect();
  await caller.waitForAiAudio(0, 20_000);
  await waitUntil(() => caller.sessionId !== undefined, 20_000, 'session id');
  caller.dtmf('0');
  const sessionId = caller.sessionId!;
  const offer = await agent.waitFor<Msg<'offer'>>((m) => m.type === 'offer' && m.offer.sessionId === sessionId);
  await agent.request({ type: 'offer.accept', offerId: offer.offer.offerId });
  await agent.waitFor((m) => m.type === 'call.assigned' && m.sessionId === sessionId);
  return { caller, sessionId };
}

const context = (agent: TestAgent, customerId: string) =>
  fetch(`${backend.baseUrl}/api/customers/${customerId}/context`, { headers: { authorization: `Bearer ${agent.token}` } });

describe('verification by the agent', () => {
  it('searches, links without disclosing, verifies with the AI’s tool and limits, then opens the card', async () => {
    const vera = await TestAgent.signIn(backend.baseUrl, 'vera@example.com', PASSWORD);
    await vera.connect();
    await vera.request({ type: 'presence.set', presence: 'available' });
    const { caller, sessionId } = await takeCall(vera, '+15550109999');

    // Search by name, by order id, by the last digits of a phone: only name, last four digits and an email hint.
    expect(await vera.request({ type: 'customer.search', sessionId, query: 'dana' })).toMatchObject({ type: 'ack' });
    const byName = vera.messages.findLast((m): m is Msg<'customer.results'> => m.type === 'customer.results')!;
    expect(byName.results).toEqual([{ customerId: 'C1', name: 'Dana Reyes', phoneEnding: '0001', emailHint: 'd•••@example.com', matchedOn: 'name' }]);
    expect(JSON.stringify(byName)).not.toMatch(/94107|1985|gold|Prefers/);
    await vera.request({ type: 'customer.search', sessionId, query: '0100002' });
    expect(vera.messages.findLast((m): m is Msg<'customer.results'> => m.type === 'customer.results')!.results.map((r) => [r.customerId, r.matchedOn])).toEqual([['C2', 'phone']]);
    await vera.request({ type: 'customer.search', sessionId, query: 'marcus.chen@example.com' });
    expect(vera.messages.findLast((m): m is Msg<'customer.results'> => m.type === 'customer.results')!.results.map((r) => r.customerId)).toEqual(['C2']);

    // Verifying before linking says what to do; linking opens nothing.
    expect(await vera.request({ type: 'caller.verify', sessionId, answer: { zip: '94107' } })).toMatchObject({ type: 'error', code: 'no_account' });
    expect(await vera.request({ type: 'customer.link', sessionId, customerId: 'C1' })).toMatchObject({ type: 'ack' });
    expect((await context(vera, 'C1')).status).toBe(403);

    // A wrong answer counts against the same limit as the AI's; the right one verifies.
    const wrong = await vera.request({ type: 'caller.verify', sessionId, answer: { zip: '10001' } });
    expect(wrong).toMatchObject({ type: 'error', code: 'verification_failed' });
    expect((wrong as Msg<'error'>).message).toMatch(/1 attempt left/);
    expect((await context(vera, 'C1')).status).toBe(403);
    expect(await vera.request({ type: 'caller.verify', sessionId, answer: { dob: 'April 12, 1985' } })).toMatchObject({ type: 'ack' });
    const brief = await vera.waitFor<Msg<'call.assigned'>>((m) => m.type === 'call.assigned' && m.brief.caller.verified);
    expect(brief.brief.caller).toMatchObject({ customerId: 'C1', verified: true, verificationMethod: 'dob' });
    expect((await context(vera, 'C1')).status).toBe(200);

    const types = (await backend.services.store.listEvents(sessionId)).map((e) => e.type);
    const steps = types.filter((t) => ['customer.linked', 'tool.called', 'identity.verification_failed', 'identity.verified'].includes(t));
    // The tool writes its verdict, then its own call: exactly as when the AI verifies.
    expect(steps.slice(-5)).toEqual(['customer.linked', 'identity.verification_failed', 'tool.called', 'identity.verified', 'tool.called']);
    // Verified, the linked account cannot be swapped for another.
    expect(await vera.request({ type: 'customer.link', sessionId, customerId: 'C2' })).toMatchObject({ type: 'error', code: 'already_verified' });

    await caller.hangUp();
    await vera.waitFor((m) => m.type === 'call.state' && m.wrapUpStartedAt !== undefined);
    await vera.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'ok', followUp: { kind: 'none' } });
    await vera.close();
  });

  it('stops after the attempt limit, and only the agent on the call may search or verify', async () => {
    const vera = await TestAgent.signIn(backend.baseUrl, 'vera@example.com', PASSWORD);
    await vera.connect();
    await vera.request({ type: 'presence.set', presence: 'available' });
    const { caller, sessionId } = await takeCall(vera, '+15550109998');
    await vera.request({ type: 'customer.link', sessionId, customerId: 'C2' });
    expect(await vera.request({ type: 'caller.verify', sessionId, answer: { zip: '11111' } })).toMatchObject({ code: 'verification_failed' });
    expect(await vera.request({ type: 'caller.verify', sessionId, answer: { zip: '22222' } })).toMatchObject({ code: 'verification_locked' });
    // Even the right answer is refused now, and the card stays locked.
    expect(await vera.request({ type: 'caller.verify', sessionId, answer: { zip: '10001' } })).toMatchObject({ code: 'verification_locked' });
    expect((await context(vera, 'C2')).status).toBe(403);
    expect(await vera.request({ type: 'customer.search', sessionId: 'not-my-call', query: 'dana' })).toMatchObject({ type: 'error', code: 'not_your_call' });
    expect(await vera.request({ type: 'customer.search', sessionId, query: 'x' })).toMatchObject({ type: 'error', code: 'bad_message' });
    await caller.hangUp();
    await vera.waitFor((m) => m.type === 'call.state' && m.wrapUpStartedAt !== undefined && m.sessionId === sessionId);
    await vera.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'ok', followUp: { kind: 'none' } });
    await vera.close();
  });
});
