// API tests: live ingest from the store, role scoping, bad input, search and QA — on the
// embedded SQLite store and on PostgreSQL (a fresh schema), with the same expectations.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentDashboard,
  AiQueueView,
  SessionQa,
  SessionSearchResult,
  TeamTable,
} from '../../../contracts/analytics-api';
import type { SessionEventPayloads, SessionEventType } from '../../../contracts/events';
import type { Analytics } from '../../src/analytics/analytics';
import { buildApp } from '../../src/app';
import type { User } from '../../src/auth/users';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';
import { freshSchema, type TestSchema } from '../support/postgres';

let services: Services;
let app: FastifyInstance;
let analytics: Analytics;
const tokens: Record<string, string> = {};
const people: Record<string, User> = {};
const today = new Date().toISOString().slice(0, 10);
let sessionId = '';

async function call(sid: string, type: SessionEventType, data: unknown, at: Date): Promise<void> {
  await services.store.appendEvent(sid, type, data as SessionEventPayloads[typeof type], at);
}

function get<T>(who: string, url: string) {
  return app
    .inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens[who]}` } })
    .then((r) => ({ status: r.statusCode, body: r.json() as T & { message?: string; parameter?: string } }));
}

describe.each(['sqlite', 'postgres'] as const)('analytics on %s', (engine) => {
  let schema: TestSchema | undefined;

  beforeAll(async () => {
    const base = { LOG_LEVEL: 'silent', RECORDINGS: false, DEMO_DATA: false };
    if (engine === 'postgres') {
      schema = await freshSchema('analytics');
      const config = defaultConfig({ ...base, STORE: 'postgres', DATABASE_URL: schema.url });
      services = await createServices({ config, databaseSchema: schema.schema, seed: 'none' });
    } else {
      services = await createServices({
        config: defaultConfig(base),
        databaseFile: ':memory:',
        seed: 'none',
      });
    }
    const mk = async (key: string, role: 'agent' | 'lead' | 'admin', team: string) => {
      people[key] = await services.users.create({
        email: `${key}@t.test`,
        name: key,
        role,
        password: 'password-123',
        team,
      });
      tokens[key] = await services.users.issueToken(people[key]!.id);
    };
    await mk('ann', 'agent', 'north');
    await mk('bob', 'agent', 'south');
    await mk('lena', 'lead', 'north');
    await mk('root', 'admin', 'default');
    app = await buildApp(services);
    await app.ready();
    analytics = app.analytics;

    // One handled call for ann, one contained call, one abandoned call.
    const t0 = Date.now() - 600_000;
    const at = (s: number) => new Date(t0 + s * 1000);
    const s1 = await services.store.createSession({
      channel: 'voice',
      callerId: '+15550001',
      startedAt: at(0),
    });
    sessionId = s1.id;
    await call(s1.id, 'session.started', { channel: 'voice', callerId: '+15550001' }, at(0));
    await call(
      s1.id,
      'caller.said',
      { turn: 1, text: 'My blender arrived damaged and I want a refund', source: 'speech' },
      at(5),
    );
    await call(
      s1.id,
      'call.escalated',
      { reason: 'policy_topic', detail: '', intent: 'refund', queue: 'billing' },
      at(10),
    );
    await call(s1.id, 'queue.entered', { queue: 'billing', position: 1, reason: 'policy_topic' }, at(10));
    await call(s1.id, 'agent.accepted', { offerId: 'o', agentId: people.ann!.id, agentName: 'ann' }, at(22));
    await services.store.addSessionAgent(s1.id, people.ann!.id);
    await call(
      s1.id,
      'transcript.final',
      { speaker: 'agent', text: 'I have issued the refund for the blender', startMs: 0, endMs: 1 },
      at(60),
    );
    await call(s1.id, 'wrapup.started', { agentId: people.ann!.id }, at(120));
    await call(
      s1.id,
      'wrapup.submitted',
      {
        agentId: people.ann!.id,
        disposition: 'refund_issued',
        notes: '',
        followUp: { kind: 'none' },
        wrapUpMs: 30_000,
      },
      at(150),
    );
    await call(s1.id, 'session.ended', { by: 'agent', reason: 'wrap-up' }, at(151));

    const s2 = await services.store.createSession({
      channel: 'text',
      callerId: '+15550002',
      startedAt: at(0),
    });
    await call(s2.id, 'caller.said', { turn: 1, text: 'Do you ship to Canada?', source: 'text' }, at(1));
    await call(
      s2.id,
      'knowledge.gap',
      { turn: 1, question: 'Do you ship to Canada?', bestScore: 0.1 },
      at(2),
    );
    await call(s2.id, 'session.ended', { by: 'ai', reason: 'done' }, at(30));

    const s3 = await services.store.createSession({
      channel: 'voice',
      callerId: '+15550003',
      startedAt: at(0),
    });
    await call(
      s3.id,
      'call.escalated',
      { reason: 'caller_request', detail: '', intent: 'order_status', queue: 'orders' },
      at(5),
    );
    await call(s3.id, 'queue.entered', { queue: 'orders', position: 1, reason: 'caller_request' }, at(5));
    await call(s3.id, 'session.ended', { by: 'caller', reason: 'hung up' }, at(90));

    await analytics.recordPresence(people.ann!.id, 'available', at(0));
    await analytics.recordPresence(people.ann!.id, 'on_call', at(22));
    await analytics.recordPresence(people.ann!.id, 'available', at(172));
    await analytics.recordPresence(people.ann!.id, 'offline', at(200));
    await analytics.ingest.settle();
  });

  afterAll(async () => {
    await analytics.ingest.stop();
    await app.close();
    await services.close();
    await schema?.drop();
  });

  describe('dashboards from the live event log', () => {
    it('shows an agent their own figures', async () => {
      const r = await get<AgentDashboard>('ann', `/api/analytics/agents/${people.ann!.id}?range=today`);
      expect(r.status).toBe(200);
      expect(r.body.totals).toMatchObject({
        callsHandled: 1,
        avgWrapUpMs: 30_000,
        transfers: 0,
        avgHandleMs: 128_000,
      });
      expect(r.body.totals.occupancy).toBeCloseTo(150 / 200, 5);
    });

    it('shows the AI and queue view', async () => {
      const r = await get<AiQueueView>('lena', '/api/analytics/ai-queue?range=today&slaSeconds=20');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        sessions: 3,
        queued: 2,
        answered: 1,
        abandoned: 1,
        avgSpeedOfAnswerMs: 12_000,
        abandonmentRate: 0.5,
        serviceLevel: 0.5,
      });
      expect(r.body.containmentRate).toBeCloseTo(1 / 3, 5);
      expect(r.body.knowledgeGaps[0]).toMatchObject({ count: 1, examples: ['Do you ship to Canada?'] });
      const strict = await get<AiQueueView>('lena', '/api/analytics/ai-queue?range=today&slaSeconds=5');
      expect(strict.body.serviceLevel).toBe(0);
    });

    it('shows a lead their team table', async () => {
      const r = await get<TeamTable>('lena', '/api/analytics/team?range=7d');
      expect(r.status).toBe(200);
      expect(r.body.team).toBe('north');
      expect(r.body.rows.map((row) => row.agent.name).sort()).toEqual(['ann', 'lena']);
    });
  });

  describe('role scoping', () => {
    it('403s an agent asking for another agent', async () => {
      expect((await get('ann', `/api/analytics/agents/${people.bob!.id}`)).status).toBe(403);
      expect((await get('ann', '/api/analytics/team')).status).toBe(403);
    });
    it('403s a lead asking for another team, allows admins everything', async () => {
      expect((await get('lena', `/api/analytics/agents/${people.bob!.id}`)).status).toBe(403);
      expect((await get('lena', '/api/analytics/team?team=south')).status).toBe(403);
      expect((await get('lena', `/api/analytics/agents/${people.ann!.id}`)).status).toBe(200);
      expect((await get('root', `/api/analytics/agents/${people.bob!.id}`)).status).toBe(200);
      expect((await get<TeamTable>('root', '/api/analytics/team?team=south')).body.team).toBe('south');
    });
    it('limits search to own sessions for agents', async () => {
      const bob = await get<SessionSearchResult>('bob', '/api/review/sessions?q=refund');
      expect(bob.status).toBe(200);
      expect(bob.body.hits).toHaveLength(0);
      expect((await get('bob', `/api/review/sessions?agent=${people.ann!.id}`)).status).toBe(403);
    });
  });

  describe('bad input', () => {
    it('names unknown filters and malformed dates', async () => {
      const unknown = await get('lena', '/api/analytics/team?colour=red');
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toMatch(/colour/);
      const bad = await get('lena', '/api/analytics/team?from=2025-02-30');
      expect(bad.status).toBe(400);
      expect(bad.body.parameter).toBe('from');
      expect((await get('lena', '/api/review/sessions?sort=asc')).body.message).toMatch(/sort/);
    });
    it('refuses a range over a year with the limit', async () => {
      const r = await get('root', '/api/analytics/ai-queue?from=2023-01-01&to=2025-01-01');
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(/366 days/);
    });
    it('rejects a scorecard whose weights do not sum to 100', async () => {
      const r = await app.inject({
        method: 'PUT',
        url: '/api/review/scorecard',
        headers: { authorization: `Bearer ${tokens.root}` },
        payload: { name: 'x', criteria: [{ id: 'a', label: 'A', weight: 50, maxScore: 5 }] },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().message).toMatch(/sum to 100/);
    });
  });

  describe('search and QA', () => {
    it('finds sessions by transcript words with a snippet', async () => {
      const r = await get<SessionSearchResult>('root', '/api/review/sessions?q=blender%20refund');
      expect(r.status).toBe(200);
      expect(r.body.hits.map((h) => h.sessionId)).toEqual([sessionId]);
      expect(r.body.hits[0]!.snippet).toMatch(/\[refund\]/);
      expect(
        (await get<SessionSearchResult>('root', '/api/review/sessions?disposition=refund_issued')).body.hits,
      ).toHaveLength(1);
      expect((await get<SessionSearchResult>('root', '/api/review/sessions?q=zebra')).body.hits).toHaveLength(
        0,
      );
    });

    it('lets the team lead score and comment, and the agent see it on the dashboard', async () => {
      const scores = { greeting: 5, verification: 5, resolution: 5, empathy: 5, wrap_up: 5 };
      const other = await app.inject({
        method: 'POST',
        url: `/api/review/sessions/${sessionId}/score`,
        headers: { authorization: `Bearer ${tokens.bob}` },
        payload: { scores },
      });
      expect(other.statusCode).toBe(403);
      const scored = await app.inject({
        method: 'POST',
        url: `/api/review/sessions/${sessionId}/score`,
        headers: { authorization: `Bearer ${tokens.lena}` },
        payload: { scores, comment: 'Great call' },
      });
      expect(scored.statusCode).toBe(201);
      const comment = await app.inject({
        method: 'POST',
        url: `/api/review/sessions/${sessionId}/comments`,
        headers: { authorization: `Bearer ${tokens.lena}` },
        payload: { seq: 2, text: 'Good empathy here' },
      });
      expect(comment.statusCode).toBe(201);
      const qa = await get<SessionQa>('ann', `/api/review/sessions/${sessionId}/qa`);
      expect(qa.status).toBe(200);
      expect(qa.body.scores[0]!.total).toBe(100);
      expect(qa.body.comments[0]).toMatchObject({ seq: 2, text: 'Good empathy here' });
      expect((await get('bob', `/api/review/sessions/${sessionId}/qa`)).status).toBe(403);
      const dash = await get<AgentDashboard>('ann', `/api/analytics/agents/${people.ann!.id}?from=${today}`);
      expect(dash.body.totals.qaScore).toBe(100);
    });

    it('exports the team table as CSV', async () => {
      const r = await app.inject({
        method: 'GET',
        url: '/api/analytics/export.csv?view=team&range=today',
        headers: { authorization: `Bearer ${tokens.lena}` },
      });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/text\/csv/);
      expect(r.body.split('\r\n')[0]).toMatch(/^agent_id,agent_name,team,calls_handled/);
    });
  });
});
