// The HTTP API through Fastify's inject(): health, sign-in that gives no hints, bearer
// tokens, and session history with role rules (leads and admins see all, agents only the
// sessions they handled).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionDetail, SessionSummary } from '../../../contracts/api';
import { buildApp } from '../../src/app';
import type { User } from '../../src/auth/users';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';

let services: Services;
let app: FastifyInstance;
let admin: User;
let lead: User;
let agent: User;
let otherAgent: User;
const tokens: Record<string, string> = {};
let handled: string; // a session the agent handled
let unhandled: string; // a session it did not

const PASSWORD = 'correct horse battery';

async function login(email: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
}

function get(url: string, token?: string) {
  return app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

beforeAll(async () => {
  services = await createServices({ config: defaultConfig(), databaseFile: ':memory:' });
  app = await buildApp(services);
  admin = await services.users.create({ email: 'admin@example.com', name: 'Ada Admin', role: 'admin', password: PASSWORD });
  lead = await services.users.create({ email: 'lead@example.com', name: 'Lee Lead', role: 'lead', password: PASSWORD });
  agent = await services.users.create({ email: 'agent@example.com', name: 'Al Agent', role: 'agent', password: PASSWORD });
  otherAgent = await services.users.create({ email: 'other@example.com', name: 'Olga Other', role: 'agent', password: PASSWORD });
  const byKey: Array<[string, User]> = [['admin', admin], ['lead', lead], ['agent', agent], ['other', otherAgent]];
  for (const [key, u] of byKey) tokens[key] = (await login(u.email, PASSWORD)).json<{ token: string }>().token;
  // Two real conversations, so events exist; the agent handled only the first.
  const first = await services.startConversation({ channel: 'text', callerId: '+15550100001' });
  await first.handle({ kind: 'text', text: 'how do returns work' });
  await first.handle({ kind: 'text', text: 'agent please' });
  handled = first.sessionId;
  const second = await services.startConversation({ channel: 'voice', callerId: '+15550100002' });
  unhandled = second.sessionId;
  await services.store.addSessionAgent(handled, agent.id);
  await services.store.addSessionAgent(unhandled, otherAgent.id);
});

afterAll(async () => {
  await app.close();
  await services.close();
});

describe('health', () => {
  it('GET /healthz → 200 {"status":"ok"} with no token', async () => {
    const res = await get('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('sign-in', () => {
  it('accepts good credentials and returns a token and the user without secrets', async () => {
    const res = await login('Lead@Example.com', PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { token: string; user: Record<string, unknown> };
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(body.user).toEqual({ id: lead.id, email: 'lead@example.com', name: 'Lee Lead', role: 'lead' });
    expect(res.body).not.toMatch(/password|hash/i);
  });

  it('a wrong password and an unknown email get the same 401 body', async () => {
    const wrongPassword = await login('admin@example.com', 'not the password');
    const unknownEmail = await login('nobody@example.com', PASSWORD);
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(wrongPassword.body).toBe(unknownEmail.body);
    expect(wrongPassword.json()).toMatchObject({ error: 'invalid_credentials' });
  });

  it.each([
    ['no body', undefined],
    ['missing password', { email: 'admin@example.com' }],
    ['empty email', { email: '', password: PASSWORD }],
    ['wrong types', { email: 42, password: true }],
  ])('a malformed body (%s) → 400', async (_name, payload) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', ...(payload ? { payload } : {}) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request' });
  });

  it('a body that is not JSON → 400, not 500', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(res.statusCode).toBe(400);
  });

  it('logout revokes the token', async () => {
    const token = (await login('lead@example.com', PASSWORD)).json<{ token: string }>().token;
    expect((await get('/api/sessions', token)).statusCode).toBe(200);
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } });
    expect(out.statusCode).toBe(204);
    expect((await get('/api/sessions', token)).statusCode).toBe(401);
  });
});

describe('tokens', () => {
  it('no token → 401 with a Bearer challenge', async () => {
    const res = await get('/api/sessions');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it.each([['garbage'], ['Bearer'], ['Basic YWRtaW46cGFzcw==']])('a bad authorization header (%s) → 401', async (header) => {
    const res = await app.inject({ method: 'GET', url: '/api/sessions', headers: { authorization: header } });
    expect(res.statusCode).toBe(401);
  });

  it('an unknown token → 401', async () => {
    expect((await get('/api/sessions', 'x'.repeat(43))).statusCode).toBe(401);
    expect((await get(`/api/sessions/${handled}`, 'not-a-token')).statusCode).toBe(401);
  });
});

describe('sessions', () => {
  it.each([['admin'], ['lead']])('%s lists every session, newest first', async (role) => {
    const res = await get('/api/sessions', tokens[role]);
    expect(res.statusCode).toBe(200);
    const { sessions } = res.json<{ sessions: SessionSummary[] }>();
    expect(sessions.map((s) => s.id)).toEqual(expect.arrayContaining([handled, unhandled]));
    const starts = sessions.map((s) => s.startedAt);
    expect([...starts].sort().reverse()).toEqual(starts);
  });

  it.each([['admin'], ['lead']])('%s opens any session with its events ordered by seq', async (role) => {
    for (const id of [handled, unhandled]) {
      const res = await get(`/api/sessions/${id}`, tokens[role]);
      expect(res.statusCode).toBe(200);
      const detail = res.json<SessionDetail>();
      expect(detail.id).toBe(id);
      expect(detail.events.length).toBeGreaterThan(0);
      expect(detail.events.map((e) => e.seq)).toEqual(detail.events.map((_, i) => i + 1));
      expect(detail.events[0]?.type).toBe('session.started');
    }
    const detail = (await get(`/api/sessions/${handled}`, tokens[role])).json<SessionDetail>();
    expect(detail.escalationReason).toBe('caller_request');
    expect(detail.agentIds).toEqual([agent.id]);
  });

  it('an agent lists only the sessions it handled', async () => {
    const res = await get('/api/sessions', tokens.agent);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ sessions: SessionSummary[] }>().sessions.map((s) => s.id)).toEqual([handled]);
    const other = await get('/api/sessions', tokens.other);
    expect(other.json<{ sessions: SessionSummary[] }>().sessions.map((s) => s.id)).toEqual([unhandled]);
  });

  it('an agent opens its own session and gets 403 on others', async () => {
    expect((await get(`/api/sessions/${handled}`, tokens.agent)).statusCode).toBe(200);
    const res = await get(`/api/sessions/${unhandled}`, tokens.agent);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden' });
    expect(res.body).not.toContain('+15550100002');
  });

  it('limit and offset page through the list', async () => {
    const one = await get('/api/sessions?limit=1', tokens.admin);
    expect(one.statusCode).toBe(200);
    expect(one.json<{ sessions: SessionSummary[] }>().sessions).toHaveLength(1);
    const all = (await get('/api/sessions', tokens.admin)).json<{ sessions: SessionSummary[] }>().sessions;
    const second = (await get('/api/sessions?limit=1&offset=1', tokens.admin)).json<{ sessions: SessionSummary[] }>().sessions;
    expect(second[0]?.id).toBe(all[1]?.id);
  });

  it('an unknown query parameter → 400 naming it', async () => {
    const res = await get('/api/sessions?limit=5&colour=blue', tokens.admin);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toContain('colour');
  });

  it.each([['limit=0', 'limit'], ['limit=abc', 'limit'], ['limit=501', 'limit'], ['offset=-1', 'offset']])('a bad %s → 400 naming %s', async (query, name) => {
    const res = await get(`/api/sessions?${query}`, tokens.admin);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toContain(name);
  });

  it('an unknown session id → 404', async () => {
    const res = await get('/api/sessions/no-such-session', tokens.admin);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
    expect((await get('/api/sessions/no-such-session', tokens.agent)).statusCode).toBe(404);
  });

  it('an unknown route → 404 JSON', async () => {
    const res = await get('/api/nothing-here', tokens.admin);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('deactivated users', () => {
  it("a deactivated user's token stops working at once, and it cannot sign in again", async () => {
    const user = await services.users.create({ email: 'leaver@example.com', name: 'Lee Ver', role: 'lead', password: PASSWORD });
    const token = (await login(user.email, PASSWORD)).json<{ token: string }>().token;
    expect((await get('/api/sessions', token)).statusCode).toBe(200);
    await services.db.updateTable('users').set({ active: 0 }).where('id', '=', user.id).execute();
    expect((await get('/api/sessions', token)).statusCode).toBe(401);
    expect((await get(`/api/sessions/${handled}`, token)).statusCode).toBe(401);
    const again = await login(user.email, PASSWORD);
    expect(again.statusCode).toBe(401);
    expect(again.body).toBe((await login('nobody@example.com', PASSWORD)).body);
  });
});
