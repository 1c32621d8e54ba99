// Outbound calls on the local carrier: an agent dials a number whose call page is waiting;
// the page rings; answering connects the person straight to that agent, with no AI part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { callerSays, startBackend, waitUntil, type Backend } from '../telephony/harness';
import { TestAgent } from './agent-client';

let backend: Backend;
const PASSWORD = 'agent-password-123';

beforeAll(async () => {
  backend = await startBackend();
  await backend.services.users.create({ email: 'olga@example.com', name: 'Olga Agent', role: 'agent', password: PASSWORD });
});
afterAll(async () => {
  await backend.close();
});

/** A line code for the number, issued by a signed-in agent. */
async function lineCode(agentToken: string, number: string): Promise<string> {
  const res = await fetch(`${backend.baseUrl}/api/local/line-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ number }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { code: string }).code;
}

function openLine(number: string, code?: string): WebSocket {
  return new WebSocket(`${backend.baseUrl.replace('http', 'ws')}/local/phone?number=${encodeURIComponent(number)}${code ? `&code=${code}` : ''}`);
}

async function waitingLine(agentToken: string, number: string): Promise<{ ws: WebSocket; messages: Array<{ type: string; callId?: string }> }> {
  const ws = openLine(number, await lineCode(agentToken, number));
  const messages: Array<{ type: string; callId?: string }> = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as { type: string }));
  return new Promise((resolve) => ws.once('open', () => resolve({ ws, messages })));
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

describe('outbound calls', () => {
  it('rings a waiting call page and connects the answer to the agent who dialled', async () => {
    const olga = await TestAgent.signIn(backend.baseUrl, 'olga@example.com', PASSWORD);
    await olga.connect();
    await olga.request({ type: 'presence.set', presence: 'available' });
    const line = await waitingLine(olga.token, '+15550100001');
    await waitUntil(() => line.messages.some((m) => m.type === 'registered'), 5000, 'registration');

    expect(await olga.request({ type: 'call.dial', phone: '+15550100001' })).toMatchObject({ type: 'ack' });
    await waitUntil(() => line.messages.some((m) => m.type === 'incoming'), 5000, 'ringing');
    const callId = line.messages.find((m) => m.type === 'incoming')!.callId!;

    const person = new ScriptedCaller({ baseUrl: backend.baseUrl, from: '+15550100001', customParameters: { outboundCallId: callId } });
    await person.connect();
    const assigned = await olga.waitFor<Extract<AgentServerMessage, { type: 'call.assigned' }>>((m) => m.type === 'call.assigned');
    const sessionId = assigned.sessionId;
    expect(assigned.brief.wants).toMatch(/Outbound call/);
    await person.say(await callerSays('hello who is this'));
    await olga.waitFor((m) => m.type === 'session.event' && m.event.type === 'transcript.final', 20_000);

    await olga.request({ type: 'call.hangup', sessionId });
    await olga.waitFor((m) => m.type === 'call.state' && m.wrapUpStartedAt !== undefined);
    expect(await olga.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'Called back about the delivery.', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
    const log = await backend.services.store.listEvents(sessionId);
    expect(log[0]).toMatchObject({ type: 'session.started', data: { direction: 'outbound' } });
    expect(log.some((e) => e.type === 'ai.said')).toBe(false);
    expect((await backend.services.store.getSession(sessionId))?.state).toBe('ended');
    // Dialling took Olga out of inbound routing; wrap-up gives her presence back.
    const olgaId = (await backend.services.users.findByEmail('olga@example.com'))!.id;
    expect(backend.app.desk.router.agent(olgaId)?.presence).toBe('available');
    line.ws.close();
    await olga.close();
  });

  it('refuses unreachable numbers and reports a declined call', async () => {
    const olga = await TestAgent.signIn(backend.baseUrl, 'olga@example.com', PASSWORD);
    await olga.connect();
    await olga.request({ type: 'presence.set', presence: 'available' });
    expect(await olga.request({ type: 'call.dial', phone: '+15550109876' })).toMatchObject({ type: 'error', code: 'unreachable' });
    const line = await waitingLine(olga.token, '+15550100002');
    await waitUntil(() => line.messages.some((m) => m.type === 'registered'), 5000, 'registration');
    await olga.request({ type: 'call.dial', phone: '+15550100002' });
    await waitUntil(() => line.messages.some((m) => m.type === 'incoming'), 5000, 'ringing');
    line.ws.send(JSON.stringify({ type: 'decline', callId: line.messages.find((m) => m.type === 'incoming')!.callId }));
    await olga.waitFor((m) => m.type === 'error' && m.code === 'outbound_declined');
    // A stream presenting an unknown outbound id is refused.
    const impostor = new ScriptedCaller({ baseUrl: backend.baseUrl, from: '+15550100002', customParameters: { outboundCallId: 'made-up' } });
    await impostor.connect();
    await impostor.closed();
    expect(impostor.closeCode).toBe(1008);
    expect(impostor.closeReason).toMatch(/unknown or expired outbound call/);
    line.ws.close();
    await olga.close();
  });

  it('a page can wait for calls at a number only with a one-time code a signed-in agent issued for it', async () => {
    const olga = await TestAgent.signIn(backend.baseUrl, 'olga@example.com', PASSWORD);
    const refused = async (ws: WebSocket) => {
      const closed = await closeOf(ws);
      expect(closed.code).toBe(1008);
      expect(closed.reason).toMatch(/line code needed/);
    };
    await refused(openLine('+15550100003'));
    await refused(openLine('+15550100003', 'NOTACODE'));
    // A code is for its own number, and works once.
    const code = await lineCode(olga.token, '+15550100003');
    await refused(openLine('+15550100004', code));
    const first = openLine('+15550100003', code.toLowerCase());
    const registered = new Promise((resolve) => first.once('message', (d) => resolve(JSON.parse(d.toString()) as unknown)));
    expect(await registered).toMatchObject({ type: 'registered', number: '+15550100003' });
    await refused(openLine('+15550100003', code));
    first.close();
    // Only signed-in staff get codes.
    const anonymous = await fetch(`${backend.baseUrl}/api/local/line-codes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ number: '+15550100003' }) });
    expect(anonymous.status).toBe(401);
    const bad = await fetch(`${backend.baseUrl}/api/local/line-codes`, { method: 'POST', headers: { authorization: `Bearer ${olga.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ number: '555' }) });
    expect(bad.status).toBe(400);
  });
});
