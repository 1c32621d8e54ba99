// Customer data follows verification, not caller ID; verification secrets stay with admins;
// leads are scoped to their team on every route. Over the real backend: a caller who chooses
// `customParameters.from` on the local carrier, the agent channel, and the REST routes for
// sessions, recordings, customers, notes and QA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import type { CustomerContext } from '../../../contracts/agent-api';
import type { SessionDetail, SessionSummary } from '../../../contracts/api';
import { MASKED_DOB, MASKED_ZIP } from '../../src/api/access-policy';
import type { User } from '../../src/auth/users';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { startBackend, waitUntil, type Backend } from '../telephony/harness';
import { TestAgent } from '../agents/agent-client';

let backend: Backend;
const PASSWORD = 'agent-password-123';
const token: Record<string, string> = {};
const people: Record<string, User> = {};
// Dana Reyes (C1) and Marcus Chen (C2) in the demo CRM, with their verification secrets.
const DANA = { id: 'C1', phone: '+15550100001', zip: '94107', dob: '1985-04-12', name: 'Dana Reyes' };
const MARCUS = { id: 'C2', phone: '+15550100002', zip: '10001', dob: '1990-09-23' };

beforeAll(async () => {
  backend = await startBackend({ OFFER_TIMEOUT_MS: 20_000, HOLD_ANNOUNCE_MS: 60_000 });
  const { users } = backend.services;
  const all = ['general', 'orders', 'billing'] as const;
  people.admin = await users.create({ email: 'admin@example.com', name: 'Ada Admin', role: 'admin', password: PASSWORD });
  people.ana = await users.create({ email: 'ana@example.com', name: 'Ana Red', role: 'agent', team: 'red', password: PASSWORD, skills: [...all] });
  people.ben = await users.create({ email: 'ben@example.com', name: 'Ben Blue', role: 'agent', team: 'blue', password: PASSWORD, skills: [...all] });
  people.lea = await users.create({ email: 'lea@example.com', name: 'Lea Red Lead', role: 'lead', team: 'red', password: PASSWORD });
  for (const who of Object.keys(people)) token[who] = (await TestAgent.signIn(backend.baseUrl, `${who}@example.com`, PASSWORD)).token;
});
afterAll(async () => {
  await backend.close();
});

async function api(who: string, path: string, init: RequestInit = {}): Promise<{ status: number; text: string; json: <T>() => T }> {
  const res = await fetch(`${backend.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token[who]}`, 'content-type': 'application/json', ...init.headers } });
  const text = await res.text();
  return { status: res.status, text, json: <T>() => JSON.parse(text) as T };
}

/** A text session in which the AI verified the caller by zip, handled by `agent`. */
async function verifiedSession(customer: { phone: string; zip: string }, agent: User): Promise<string> {
  const conversation = await backend.services.startConversation({ channel: 'text', callerId: customer.phone });
  await conversation.handle({ kind: 'text', text: 'Where is my order?' });
  const turn = await conversation.handle({ kind: 'dtmf', digits: customer.zip });
  expect(turn.verified).toBe(true);
  await backend.services.store.addSessionAgent(conversation.sessionId, agent.id);
  return conversation.sessionId;
}

describe('caller-ID spoofing gives an agent nothing before verification', () => {
  it("a caller presenting Dana's number: the agent sees a candidate match only, and no route opens her record", async () => {
    const ana = new TestAgent(backend.baseUrl);
    ana.token = token.ana!;
    await ana.connect();
    await ana.request({ type: 'presence.set', presence: 'available' });
    const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from: DANA.phone, name: 'Mallory' });
    await caller.connect();
    await waitUntil(() => caller.sessionId !== undefined, 20_000, 'session id');
    caller.dtmf('0');
    const offer = await ana.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer');
    expect(await ana.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    const assigned = await ana.waitFor<Extract<AgentServerMessage, { type: 'call.assigned' }>>((m) => m.type === 'call.assigned');
    expect(assigned.brief.caller).toMatchObject({ verified: false, customerId: null, name: 'Mallory', nameVerified: false });
    expect(assigned.brief.caller.candidateMatch).toEqual({ name: 'Mallory', phone: '+1••••••0001' });
    await ana.waitFor((m) => m.type === 'session.event' && m.event.type === 'agent.accepted');

    const sessionId = caller.sessionId!;
    const context = await api('ana', `/api/customers/${DANA.id}/context`);
    expect(context.status).toBe(403);
    expect(context.json<{ error: string }>().error).toBe('not_verified');
    const note = await api('ana', `/api/customers/${DANA.id}/notes`, { method: 'POST', body: JSON.stringify({ note: 'spoofed' }) });
    expect(note.status).toBe(403);
    const detail = await api('ana', `/api/sessions/${sessionId}`);
    expect(detail.status).toBe(200);
    expect(detail.json<SessionDetail>().customerId).toBeNull();
    const lookups = detail.json<SessionDetail>().events.filter((e) => e.type === 'tool.called' && e.data.name === 'lookup_customer');
    expect(lookups.map((e) => (e.type === 'tool.called' ? e.data.result : undefined))).toEqual([{ found: true, customerId: null }]);
    const listed = (await api('ana', '/api/sessions')).json<{ sessions: SessionSummary[] }>().sessions.find((s) => s.id === sessionId);
    expect(listed?.customerId).toBeNull();

    // Nothing of the record reached the agent by any path.
    const seen = [JSON.stringify(ana.messages), context.text, note.text, detail.text].join('\n');
    for (const secret of [DANA.name, DANA.zip, DANA.dob, 'gold', 'dana.reyes']) expect(seen, secret).not.toContain(secret);
    await caller.hangUp();
    await ana.waitFor((m) => m.type === 'call.state' && m.wrapUpStartedAt !== undefined);
    await ana.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'spoof', followUp: { kind: 'none' } });
    await ana.close();
  });
});

describe('verification opens the record, and the secrets stay with admins', () => {
  it('after the AI verifies the caller, the handling agent opens the record with zip and date of birth masked; an admin sees them', async () => {
    const live = await verifiedSession(DANA, people.ana!);
    const forAgent = await api('ana', `/api/customers/${DANA.id}/context`);
    expect(forAgent.status).toBe(200);
    const context = forAgent.json<CustomerContext>();
    expect(context.verified).toBe(true);
    // The live call is not one of the "past sessions".
    expect(context.pastSessions.map((s) => s.id)).not.toContain(live);
    expect(context.pastSessions.every((s) => s.state === 'ended')).toBe(true);
    expect(context.customer).toMatchObject({ name: DANA.name, zip: MASKED_ZIP, dob: MASKED_DOB });
    expect(forAgent.text).not.toContain(DANA.zip);
    expect(forAgent.text).not.toContain(DANA.dob);
    const forAdmin = (await api('admin', `/api/customers/${DANA.id}/context`)).json<CustomerContext>();
    expect(forAdmin.customer).toMatchObject({ zip: DANA.zip, dob: DANA.dob });
  });

  it("the caller's answers to the identity check are masked in session events for all but admins", async () => {
    const sessionId = await verifiedSession(MARCUS, people.ben!);
    const toolArgs = (detail: SessionDetail) =>
      detail.events.flatMap((e) => (e.type === 'tool.called' && e.data.name === 'verify_identity' ? [e.data.args] : []));
    const forBen = (await api('ben', `/api/sessions/${sessionId}`)).json<SessionDetail>();
    expect(toolArgs(forBen)).toEqual([{ zip: MASKED_ZIP }]);
    expect(forBen.customerId).toBe(MARCUS.id);
    const forAdmin = (await api('admin', `/api/sessions/${sessionId}`)).json<SessionDetail>();
    expect(toolArgs(forAdmin)).toEqual([{ zip: MARCUS.zip }]);
  });

  it('the brain never receives zip or date of birth, even after verification', async () => {
    const { CallerState } = await import('../../src/conversation/caller-state');
    const state = new CallerState(DANA.phone);
    state.candidate = (await backend.services.crm.getCustomer(DANA.id))!;
    state.verified = true;
    const view = state.view();
    expect(view.customer?.name).toBe(DANA.name);
    expect(JSON.stringify(view)).not.toContain(DANA.zip);
    expect(JSON.stringify(view)).not.toContain(DANA.dob);
  });
});

describe('leads are scoped to their team on every route', () => {
  let red: string;
  let blue: string;
  beforeAll(async () => {
    red = await verifiedSession(DANA, people.ana!);
    blue = await verifiedSession(MARCUS, people.ben!);
  });

  it('sessions: the red lead lists and opens red sessions only', async () => {
    const listed = (await api('lea', '/api/sessions?limit=500')).json<{ sessions: SessionSummary[] }>().sessions.map((s) => s.id);
    expect(listed).toContain(red);
    expect(listed).not.toContain(blue);
    expect((await api('lea', `/api/sessions/${red}`)).status).toBe(200);
    expect((await api('lea', `/api/sessions/${blue}`)).status).toBe(403);
  });

  it('recordings: another team’s recording is refused before anything about it is said', async () => {
    const res = await api('lea', `/api/recordings/${blue}`);
    expect(res.status).toBe(403);
  });

  it('customers and notes: only customers verified on the team’s sessions', async () => {
    expect((await api('lea', `/api/customers/${DANA.id}/context`)).status).toBe(200);
    expect((await api('lea', `/api/customers/${MARCUS.id}/context`)).status).toBe(403);
    const note = await api('lea', `/api/customers/${MARCUS.id}/notes`, { method: 'POST', body: JSON.stringify({ note: 'not my team' }) });
    expect(note.status).toBe(403);
    expect((await backend.services.crm.getCustomer(MARCUS.id))?.notes).not.toContain('not my team');
  });

  it('QA: scores, comments and QA pages of another team are refused', async () => {
    expect((await api('lea', `/api/review/sessions/${blue}/qa`)).status).toBe(403);
    expect((await api('lea', `/api/review/sessions/${blue}/comments`, { method: 'POST', body: JSON.stringify({ seq: 1, text: 'x' }) })).status).toBe(403);
    const card = (await api('lea', '/api/review/scorecard')).json<{ criteria: Array<{ id: string }> }>();
    const scores = Object.fromEntries(card.criteria.map((c) => [c.id, 1]));
    expect((await api('lea', `/api/review/sessions/${blue}/score`, { method: 'POST', body: JSON.stringify({ scores }) })).status).toBe(403);
    expect((await api('lea', `/api/review/sessions/${red}/qa`)).status).toBe(200);
    expect((await api('lea', '/api/review/sessions?team=blue')).status).toBe(403);
  });

  it('agent channel: the lead cannot follow another team’s session', async () => {
    const lea = new TestAgent(backend.baseUrl);
    lea.token = token.lea!;
    await lea.connect();
    expect(await lea.request({ type: 'session.subscribe', sessionId: blue, afterSeq: 0 })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await lea.request({ type: 'session.subscribe', sessionId: red, afterSeq: 0 })).toMatchObject({ type: 'ack' });
    await lea.close();
  });
});
