// Escalation from the AI to a person over the real backend: routing, the agent channel,
// the agent audio leg, live transcript, suggestions and wrap-up, with real audio.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { callerSays, startBackend, waitUntil, type Backend } from '../telephony/harness';
import { TestAgent } from './agent-client';

let backend: Backend;
const PASSWORD = 'agent-password-123';

beforeAll(async () => {
  backend = await startBackend({ OFFER_TIMEOUT_MS: 4000, HOLD_ANNOUNCE_MS: 60_000 });
  const { users } = backend.services;
  await users.create({ email: 'ana@example.com', name: 'Ana Agent', role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
  await users.create({ email: 'ben@example.com', name: 'Ben Agent', role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
  await users.create({ email: 'lea@example.com', name: 'Lea Lead', role: 'lead', password: PASSWORD });
});
afterAll(async () => {
  await backend.close();
});

async function callAndEscalate(from: string): Promise<ScriptedCaller> {
  const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from, name: 'Dana Reyes' });
  await caller.connect();
  await caller.waitForAiAudio(0, 20_000);
  await waitUntil(() => caller.sessionId !== undefined, 20_000, 'session id');
  caller.dtmf('0');
  return caller;
}

describe('human escalation end to end', () => {
  it('offers the call, hands it over with a brief, streams both sides live, and closes with wrap-up', async () => {
    const ana = await TestAgent.signIn(backend.baseUrl, 'ana@example.com', PASSWORD);
    await ana.connect();
    expect(ana.messages.find((m) => m.type === 'welcome')).toBeTruthy();
    expect(await ana.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });

    const caller = await callAndEscalate('+15550100001');
    const sessionId = caller.sessionId!;
    const offer = await ana.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer');
    expect(offer.offer).toMatchObject({ sessionId, reason: 'caller_request', callerId: '+15550100001', callerName: 'Dana Reyes' });

    expect(await ana.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    const assigned = await ana.waitFor<Extract<AgentServerMessage, { type: 'call.assigned' }>>((m) => m.type === 'call.assigned');
    expect(assigned.brief.escalation?.reason).toBe('caller_request');
    expect(assigned.brief.caller.phone).toBe('+15550100001');
    expect(assigned.brief.caller.verified).toBe(false);
    // The whole call so far, from the first event: the AI's greeting is in the transcript.
    await ana.waitFor((m) => m.type === 'session.event' && m.event.type === 'ai.said');
    expect(ana.seqs(sessionId)[0]).toBe(1);

    // The agent's audio leg: the caller's words reach the agent's speaker, and the agent's voice the caller.
    const leg = new WebSocket(`${backend.baseUrl.replace('http', 'ws')}/agent/media?token=${ana.token}&sessionId=${sessionId}`);
    const toAgent: string[] = [];
    leg.on('message', (d) => toAgent.push(d.toString()));
    await new Promise((r) => leg.once('open', r));
    leg.send(JSON.stringify({ event: 'start', sequenceNumber: '1', streamSid: 'MAtest', start: { streamSid: 'MAtest', callSid: 'CAagent', tracks: ['inbound'], customParameters: { from: 'agent', sessionId }, mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 } } }));

    await caller.say(await callerSays('where is my order'));
    await ana.waitFor((m) => m.type === 'session.event' && m.event.type === 'transcript.final' && (m.event.data as { speaker: string }).speaker === 'caller' && /order/.test((m.event.data as { text: string }).text), 20_000);
    const suggestions = await ana.waitFor<Extract<AgentServerMessage, { type: 'suggestions' }>>((m) => m.type === 'suggestions', 10_000);
    expect(suggestions.suggestions.length).toBeGreaterThan(0);
    expect(toAgent.some((f) => f.includes('"media"'))).toBe(true);

    // The agent speaks: the caller hears it and it is transcribed as the agent.
    const agentVoice = await callerSays('let me check that order for you', 'slt');
    const before = caller.received.length;
    for (let i = 0; i < agentVoice.length; i += 320) {
      const chunk = agentVoice.subarray(i, i + 320);
      leg.send(JSON.stringify({ event: 'media', sequenceNumber: String(i), streamSid: 'MAtest', media: { track: 'inbound', chunk: '1', timestamp: '0', payload: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64') } }));
      await new Promise((r) => setTimeout(r, 20));
    }
    const quiet = new Int16Array(320);
    for (let i = 0; i < 40; i++) {
      leg.send(JSON.stringify({ event: 'media', sequenceNumber: String(100_000 + i), streamSid: 'MAtest', media: { track: 'inbound', chunk: '1', timestamp: '0', payload: Buffer.from(quiet.buffer).toString('base64') } }));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(caller.received.slice(before).some((f) => f.event === 'media')).toBe(true);
    await ana.waitFor((m) => m.type === 'session.event' && m.event.type === 'transcript.final' && (m.event.data as { speaker: string }).speaker === 'agent', 20_000);

    // Mute, then hang up and wrap up.
    expect(await ana.request({ type: 'call.mute', sessionId, muted: true })).toMatchObject({ type: 'ack' });
    expect(await ana.request({ type: 'call.hangup', sessionId })).toMatchObject({ type: 'ack' });
    const wrap = await ana.waitFor<Extract<AgentServerMessage, { type: 'call.state' }>>((m) => m.type === 'call.state' && m.wrapUpStartedAt !== undefined);
    expect(wrap.wrapUpDraft).toBeTruthy();
    await caller.closed();
    leg.close();
    const bad = await ana.request({ type: 'wrapup.submit', sessionId, disposition: 'not-a-disposition', notes: 'x', followUp: { kind: 'none' } });
    expect(bad).toMatchObject({ type: 'error', code: 'bad_disposition' });
    await new Promise((r) => setTimeout(r, 100)); // a wrap-up that takes a while, so its time cannot be 0
    expect(await ana.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: wrap.wrapUpDraft ?? 'done', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });

    const log = await backend.services.store.listEvents(sessionId);
    // Wrap-up time is measured from wrapup.started, even though the desk forgot the call when the caller left.
    const wrapStarted = log.find((e) => e.type === 'wrapup.started')!;
    const submitted = log.find((e) => e.type === 'wrapup.submitted') as Extract<(typeof log)[number], { type: 'wrapup.submitted' }>;
    expect(submitted.data.wrapUpMs).toBeGreaterThanOrEqual(100);
    expect(Math.abs(submitted.data.wrapUpMs - (Date.parse(submitted.at) - Date.parse(wrapStarted.at)))).toBeLessThan(50);
    const types: string[] = log.map((e) => e.type);
    const order = ['call.escalated', 'queue.entered', 'offer.sent', 'agent.accepted', 'transcript.final', 'call.muted', 'wrapup.started', 'wrapup.submitted', 'session.ended'];
    let at = -1;
    for (const type of order) {
      const next = types.indexOf(type, at + 1);
      expect(next, `${type} after position ${at}`).toBeGreaterThan(at);
      at = next;
    }
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect((await backend.services.store.getSession(sessionId))).toMatchObject({ state: 'ended', agentIds: [expect.any(String)] });
    await waitUntil(async () => (await backend.services.store.listEvents(sessionId)).some((e) => e.type === 'recording.saved'), 5000, 'recording');
    const recording = await fetch(`${backend.baseUrl}/api/recordings/${sessionId}`, { headers: { authorization: `Bearer ${ana.token}` } });
    expect(recording.status).toBe(200);
    expect(recording.headers.get('content-type')).toBe('audio/wav');
    await ana.close();
  });

  it('re-offers an expired offer to the next agent and refuses the late accept with a reason', async () => {
    const ana = await TestAgent.signIn(backend.baseUrl, 'ana@example.com', PASSWORD);
    const ben = await TestAgent.signIn(backend.baseUrl, 'ben@example.com', PASSWORD);
    await ana.connect();
    await ben.connect();
    await ana.request({ type: 'presence.set', presence: 'available' });
    await new Promise((r) => setTimeout(r, 30));
    await ben.request({ type: 'presence.set', presence: 'available' });
    const caller = await callAndEscalate('+15550100002');
    // Ana has been idle longest, so she rings first; she lets it ring out.
    const first = await ana.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === caller.sessionId);
    await ana.waitFor((m) => m.type === 'offer.revoked' && m.offerId === first.offer.offerId, 10_000);
    const late = await ana.request({ type: 'offer.accept', offerId: first.offer.offerId });
    expect(late).toMatchObject({ type: 'error', code: 'offer_expired' });
    const second = await ben.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === caller.sessionId, 10_000);
    // Ana cannot take Ben's offer, nor control a call she is not on.
    expect(await ana.request({ type: 'offer.accept', offerId: second.offer.offerId })).toMatchObject({ type: 'error', code: 'offer_not_yours' });
    expect(await ben.request({ type: 'offer.accept', offerId: second.offer.offerId })).toMatchObject({ type: 'ack' });
    expect(await ana.request({ type: 'call.hangup', sessionId: caller.sessionId! })).toMatchObject({ type: 'error', code: 'not_your_call' });
    const types = (await backend.services.store.listEvents(caller.sessionId!)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['offer.sent', 'offer.expired', 'agent.accepted']));
    await caller.hangUp();
    await ben.waitFor((m) => m.type === 'call.state' && m.wrapUpStartedAt !== undefined);
    await ben.request({ type: 'wrapup.submit', sessionId: caller.sessionId!, disposition: 'resolved', notes: 'ok', followUp: { kind: 'none' } });
    await ana.close();
    await ben.close();
  });

  it('resumes after a dropped agent connection with no gap and no duplicate', async () => {
    const ben = await TestAgent.signIn(backend.baseUrl, 'ben@example.com', PASSWORD);
    await ben.connect();
    await ben.request({ type: 'presence.set', presence: 'available' });
    const caller = await callAndEscalate('+15550100003');
    const sessionId = caller.sessionId!;
    const offer = await ben.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === sessionId);
    await ben.request({ type: 'offer.accept', offerId: offer.offer.offerId });
    await ben.waitFor((m) => m.type === 'session.event' && m.event.type === 'agent.accepted');
    const seen = ben.seqs(sessionId);
    const lastSeen = Math.max(...seen);
    // Drop the connection; the caller keeps talking meanwhile.
    ben.ws.terminate();
    await caller.say(await callerSays('I still need help with my order'));
    await waitUntil(async () => (await backend.services.store.listEvents(sessionId, lastSeen)).some((e) => e.type === 'transcript.final'), 20_000, 'caller words while the agent was away');
    const reconnected = new TestAgent(backend.baseUrl);
    reconnected.token = ben.token;
    await reconnected.connect([{ sessionId, afterSeq: lastSeen }]);
    await reconnected.waitFor((m) => m.type === 'session.event' && m.event.type === 'transcript.final');
    const all = [...seen, ...reconnected.seqs(sessionId)];
    const latest = (await backend.services.store.listEvents(sessionId)).at(-1)!.seq;
    await waitUntil(() => Math.max(...[...seen, ...reconnected.seqs(sessionId)]) >= latest, 5000, 'catch-up');
    const merged = [...seen, ...reconnected.seqs(sessionId)];
    expect(new Set(merged).size).toBe(merged.length);
    expect(merged).toEqual(Array.from({ length: merged.length }, (_, i) => i + 1));
    expect(all[0]).toBe(1);
    await caller.hangUp();
    await reconnected.waitFor((m) => m.type === 'call.state' && m.wrapUpStartedAt !== undefined);
    await reconnected.close();
    // Signing in again during wrap-up brings back the brief (the customer card hangs off it), not just the form.
    const again = new TestAgent(backend.baseUrl);
    again.token = ben.token;
    await again.connect();
    const brief = await again.waitFor<Extract<AgentServerMessage, { type: 'call.assigned' }>>((m) => m.type === 'call.assigned' && m.sessionId === sessionId);
    expect(brief.brief.caller.phone).toBe('+15550100003');
    await again.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined);
    await again.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'ok', followUp: { kind: 'none' } });
    await again.close();
  });

  it('rejects bad agent input without changing anything, and keeps agents out of admin routes', async () => {
    const ana = await TestAgent.signIn(backend.baseUrl, 'ana@example.com', PASSWORD);
    await ana.connect();
    ana.ws.send('not json');
    await ana.waitFor((m) => m.type === 'error' && m.code === 'bad_message' && /not valid JSON/.test(m.message));
    expect(await ana.request({ type: 'presence.set', presence: 'on_call' as never })).toMatchObject({ type: 'error', code: 'bad_message' });
    expect(await ana.request({ type: 'offer.accept', offerId: 'no-such-offer' })).toMatchObject({ type: 'error', code: 'offer_unknown_offer' });
    expect(await ana.request({ type: 'session.subscribe', sessionId: 'someone-elses', afterSeq: 0 })).toMatchObject({ type: 'error', code: 'forbidden' });
    const users = await fetch(`${backend.baseUrl}/api/users`, { headers: { authorization: `Bearer ${ana.token}` } });
    expect(users.status).toBe(403);
    const unauth = await fetch(`${backend.baseUrl}/agent/ws`);
    expect(unauth.status).toBe(401);
    await ana.close();
  });
});
