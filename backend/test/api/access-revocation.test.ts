// Access ends when it should: sign-out, a password reset and deactivation close the user's
// open sockets (agent channel and agent audio) with the documented close codes, and every
// action on a socket re-checks that its user and token still work — so a socket that
// outlived its access can no longer go available, accept a call or write notes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import { SOCKET_CLOSE } from '../../src/api/socket-access';
import type { User } from '../../src/auth/users';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { startBackend, waitUntil, type Backend } from '../telephony/harness';
import { TestAgent } from '../agents/agent-client';

let backend: Backend;
let ana: User;
let ben: User;
let adminToken = '';
const PASSWORD = 'agent-password-123';

beforeAll(async () => {
  backend = await startBackend({ OFFER_TIMEOUT_MS: 20_000, HOLD_ANNOUNCE_MS: 60_000 });
  const { users } = backend.services;
  await users.create({ email: 'root@example.com', name: 'Root Admin', role: 'admin', password: PASSWORD });
  ana = await users.create({ email: 'ana@example.com', name: 'Ana Agent', role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
  ben = await users.create({ email: 'ben@example.com', name: 'Ben Agent', role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
  adminToken = (await TestAgent.signIn(backend.baseUrl, 'root@example.com', PASSWORD)).token;
});
afterAll(async () => {
  await backend.close();
});

/** Resolves with the close code and reason once the socket closes. */
function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

async function patchUser(id: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${backend.baseUrl}/api/users/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function escalatedCall(from: string): Promise<ScriptedCaller> {
  const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from, name: 'Pat Caller' });
  await caller.connect();
  await waitUntil(() => caller.sessionId !== undefined, 20_000, 'session id');
  caller.dtmf('0');
  return caller;
}

function openAudioLeg(token: string, sessionId: string): Promise<WebSocket> {
  const leg = new WebSocket(`${backend.baseUrl.replace('http', 'ws')}/agent/media?token=${token}&sessionId=${sessionId}`);
  return new Promise((resolve, reject) => {
    leg.once('open', () => resolve(leg));
    leg.once('error', reject);
  });
}

describe('open sockets lose access with the account', () => {
  it('sign-out closes the sockets opened with that token (channel and audio, 4401); a password reset closes the rest', async () => {
    const desk = await TestAgent.signIn(backend.baseUrl, 'ana@example.com', PASSWORD);
    const laptop = await TestAgent.signIn(backend.baseUrl, 'ana@example.com', PASSWORD);
    await desk.connect();
    await laptop.connect();
    await desk.request({ type: 'presence.set', presence: 'available' });
    const caller = await escalatedCall('+15550100042');
    const offer = await desk.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === caller.sessionId);
    expect(await desk.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    const leg = await openAudioLeg(desk.token, caller.sessionId!);
    expect(backend.app.agentHub.sockets.openFor(ana.id)).toBe(3);

    const channelClosed = closed(desk.ws);
    const legClosed = closed(leg);
    const out = await fetch(`${backend.baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${desk.token}` } });
    expect(out.status).toBe(204);
    // Closed before the sign-out was answered: nothing the old sockets send is acted on.
    expect(backend.app.agentHub.sockets.openFor(ana.id)).toBe(1);
    expect(await channelClosed).toMatchObject({ code: SOCKET_CLOSE.signInAgain });
    expect(await legClosed).toMatchObject({ code: SOCKET_CLOSE.signInAgain });
    expect(laptop.ws.readyState).toBe(WebSocket.OPEN);

    const laptopClosed = closed(laptop.ws);
    expect((await patchUser(ana.id, { password: 'a-brand-new-password' })).status).toBe(200);
    expect(backend.app.agentHub.sockets.openFor(ana.id)).toBe(0);
    expect(await laptopClosed).toMatchObject({ code: SOCKET_CLOSE.signInAgain, reason: expect.stringMatching(/password/) });

    await caller.hangUp();
    await patchUser(ana.id, { password: PASSWORD });
  });

  it('deactivation closes the channel with 4403 at once; the agent goes offline and can no longer write notes', async () => {
    const agent = await TestAgent.signIn(backend.baseUrl, 'ben@example.com', PASSWORD);
    await agent.connect();
    expect(await agent.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });
    const gone = closed(agent.ws);
    expect((await patchUser(ben.id, { active: false })).status).toBe(200);
    expect(backend.app.agentHub.sockets.openFor(ben.id)).toBe(0);
    expect(await gone).toMatchObject({ code: SOCKET_CLOSE.accountDeactivated, reason: expect.stringMatching(/deactivated/) });
    expect(backend.app.desk.router.agent(ben.id)?.presence).toBe('offline');
    const note = await fetch(`${backend.baseUrl}/api/customers/C1/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'written after deactivation' }),
    });
    expect(note.status).toBe(401);
    expect((await backend.services.crm.getCustomer('C1'))?.notes).not.toMatch(/after deactivation/);
    await patchUser(ben.id, { active: true });
  });

  it('a call held by an agent who is deactivated goes back to its queue', async () => {
    const agent = await TestAgent.signIn(backend.baseUrl, 'ben@example.com', PASSWORD);
    await agent.connect();
    await agent.request({ type: 'presence.set', presence: 'available' });
    const caller = await escalatedCall('+15550100044');
    const offer = await agent.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === caller.sessionId);
    expect(await agent.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    expect((await patchUser(ben.id, { active: false })).status).toBe(200);
    await backend.app.desk.settle();
    const sessionId = caller.sessionId!;
    expect(backend.app.desk.holds(ben.id, sessionId)).toBe(false);
    expect(backend.app.desk.router.call(sessionId)?.state).toBe('waiting');
    expect(backend.app.desk.call(sessionId)?.conversation?.state).toBe('queued');
    const types = (await backend.services.store.listEvents(sessionId)).map((e) => e.type);
    expect(types).toContain('call.transferred');
    expect(backend.app.desk.router.agent(ben.id)?.presence).toBe('offline');
    await caller.hangUp();
    await patchUser(ben.id, { active: true });
  });

  it('every action re-checks the account: a socket whose user was switched off in the database cannot accept or go available', async () => {
    const agent = await TestAgent.signIn(backend.baseUrl, 'ben@example.com', PASSWORD);
    await agent.connect();
    await agent.request({ type: 'presence.set', presence: 'available' });
    const caller = await escalatedCall('+15550100043');
    const offer = await agent.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === caller.sessionId);
    // Behind the directory's back (another process, a restore): no revocation event is heard.
    await backend.services.db.updateTable('users').set({ active: 0 }).where('id', '=', ben.id).execute();
    const gone = closed(agent.ws);
    agent.send({ type: 'offer.accept', offerId: offer.offer.offerId, requestId: 'late' });
    expect(await gone).toMatchObject({ code: SOCKET_CLOSE.accountDeactivated });
    expect(agent.messages.some((m) => m.type === 'ack' && m.requestId === 'late')).toBe(false);
    const types = (await backend.services.store.listEvents(caller.sessionId!)).map((e) => e.type);
    expect(types).not.toContain('agent.accepted');
    expect(backend.app.desk.holds(ben.id, caller.sessionId!)).toBe(false);
    await backend.services.db.updateTable('users').set({ active: 1 }).where('id', '=', ben.id).execute();
    await caller.hangUp();
  });

  it('expired tokens are purged, and sockets opened with them are closed', async () => {
    const agent = await TestAgent.signIn(backend.baseUrl, 'ben@example.com', PASSWORD);
    await agent.connect();
    const gone = closed(agent.ws);
    const purged = await backend.services.users.purgeExpiredTokens(new Date(Date.now() + 365 * 24 * 3_600_000));
    expect(purged).toBeGreaterThan(0);
    expect(await gone).toMatchObject({ code: SOCKET_CLOSE.signInAgain, reason: expect.stringMatching(/expired/) });
    const left = await backend.services.db.selectFrom('auth_tokens').select('token_hash').execute();
    expect(left).toHaveLength(0);
  });
});
