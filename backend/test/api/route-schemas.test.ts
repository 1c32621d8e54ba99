// Every API route under bad input: malformed ids, unknown or mistyped query parameters,
// bodies of the wrong shape. Each is a 4xx with a JSON message — never a 500 — and route
// schemas name the parameter.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';

let services: Services;
let app: FastifyInstance;
let admin = '';
let lead = '';
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  services = await createServices({ config: defaultConfig(), databaseFile: ':memory:' });
  app = await buildApp(services);
  await services.users.create({ email: 'admin@example.com', name: 'Ada Admin', role: 'admin', password: PASSWORD });
  await services.users.create({ email: 'lead@example.com', name: 'Lee Lead', role: 'lead', password: PASSWORD });
  const login = async (email: string) => (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } })).json<{ token: string }>().token;
  admin = await login('admin@example.com');
  lead = await login('lead@example.com');
});
afterAll(async () => {
  await app.close();
  await services.close();
});

const LONG = 'x'.repeat(5000);
const WEIRD = encodeURIComponent('%00<script>"\'\\');

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
/** [method, url, body?] — every route in backend/src/api/routes with a bad part. */
const BAD: Array<[Method, string, unknown?]> = [
  ['GET', '/api/sessions?limit=-5'],
  ['GET', '/api/sessions?limit[]=1'],
  ['GET', '/api/sessions?offset=abc&limit=1e99'],
  ['GET', `/api/sessions/${LONG}`],
  ['GET', `/api/sessions/${WEIRD}`],
  ['GET', `/api/recordings/${LONG}`],
  ['GET', `/api/recordings/${WEIRD}`],
  ['GET', `/api/customers/${LONG}/context`],
  ['POST', `/api/customers/${LONG}/notes`, { note: 'x' }],
  ['POST', '/api/customers/C1/notes', { note: 42 }],
  ['POST', '/api/customers/C1/notes', [1, 2, 3]],
  ['POST', '/api/customers/C1/notes', { note: 'x'.repeat(3000) }],
  ['POST', '/api/users', { email: 'not-an-email', name: '', role: 'root', password: 'short' }],
  ['POST', '/api/users', null],
  ['PATCH', `/api/users/${LONG}`, { name: 'X' }],
  ['PATCH', '/api/users/u1', { active: 'yes', colour: 'blue' }],
  ['PATCH', '/api/users/u1', 'just a string'],
  ['PATCH', '/api/users/u1', { languages: ['spanish'] }],
  ['PUT', '/api/me/languages', { languages: [] }],
  ['PUT', '/api/me/languages', { languages: ['xx-YY'] }],
  ['PUT', '/api/me/languages', { languages: 'es-ES' }],
  ['POST', '/api/auth/login', { email: ['a'], password: { $ne: null } }],
  ['POST', '/api/auth/login', { email: LONG, password: 'x' }],
  ['GET', `/api/analytics/agents/${LONG}`],
  ['GET', '/api/analytics/agents/u1?from=2020-13-45'],
  ['GET', '/api/analytics/agents/u1?range=forever'],
  ['GET', '/api/analytics/team?team=&colour=1'],
  ['GET', '/api/analytics/ai-queue?slaSeconds=-1'],
  ['GET', '/api/analytics/wallboard?x=1'],
  ['GET', '/api/analytics/export.csv?view=everything'],
  ['GET', '/api/analytics/export.csv?view=sessions&limit=zero'],
  ['GET', '/api/review/sessions?limit=0&sentiment=furious'],
  ['GET', '/api/review/sessions?hasRecording=maybe'],
  ['PUT', '/api/review/scorecard', { criteria: 'none' }],
  ['PUT', '/api/review/scorecard', null],
  ['POST', `/api/review/sessions/${LONG}/score`, { scores: {} }],
  ['POST', '/api/review/sessions/s1/score', { scores: { a: -1 } }],
  ['POST', '/api/review/sessions/s1/comments', { seq: 'first', text: 5 }],
  ['GET', `/api/review/sessions/${LONG}/qa`],
  ['GET', `/updates/${LONG}/latest.yml`],
  ['GET', '/updates/stable/..%2F..%2Fswitchboard.db'],
  ['GET', `/local/calls/${LONG}/captions?after=-1`],
];

describe('bad input never reaches a 500', () => {
  it.each(BAD)('%s %s', async (method, url, body) => {
    for (const token of [admin, lead]) {
      const res = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, res.body).toBeLessThan(500);
      if (res.headers['content-type']?.toString().includes('json')) expect(res.json()).toHaveProperty('message');
    }
  });

  it('a schema failure names the parameter', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/sessions?limit=many', headers: { authorization: `Bearer ${admin}` } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request', parameter: 'limit', message: expect.stringMatching(/^Query parameter limit is not valid/) });
    const body = await app.inject({ method: 'PATCH', url: '/api/users/u1', headers: { authorization: `Bearer ${admin}` }, payload: { colour: 'blue' } });
    expect(body.json()).toMatchObject({ error: 'bad_request', parameter: 'colour', message: expect.stringMatching(/Unknown field colour/) });
  });
});

describe('an agent’s own languages', () => {
  it('are set by the person, the first being their working language', async () => {
    const res = await app.inject({ method: 'PUT', url: '/api/me/languages', headers: { authorization: `Bearer ${lead}` }, payload: { languages: ['es-ES', 'en-US'] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ email: 'lead@example.com', languages: ['es-ES', 'en-US'] });
    const unknown = await app.inject({ method: 'PUT', url: '/api/me/languages', headers: { authorization: `Bearer ${lead}` }, payload: { languages: ['xx-YY'] } });
    expect(unknown.json()).toMatchObject({ message: expect.stringMatching(/xx-YY: not a language this build knows\. Use some of en-US/) });
  });
});
