// Session review and QA: search over sessions (filters + full-text over transcripts), the
// QA scorecard, scores and line comments. Agents see only sessions they handled (and their
// scores); leads their team's; admins all. Only leads (own team) and admins score.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { QaCommentRequest, QaScoreRequest, SentimentBucket, type SessionSearchResult } from '../../../../contracts/analytics-api';
import type { Analytics } from '../../analytics/analytics';
import { all } from '../../analytics/ingest';
import { checkScorecard, checkScores } from '../../analytics/qa';
import type { User, UserDirectory } from '../../auth/users';
import type { SwitchboardDb } from '../../store/database';
import type { SessionStore } from '../../store/session-store';
import { AccessPolicy } from '../access-policy';
import { requireRole } from '../auth-guard';
import { PathId, zodRoutes } from '../route-schemas';
import { badRequest, rangeOr400 } from './analytics';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const searchQuery = z
  .object({
    q: z.string().max(200).optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    range: z.string().optional(),
    agent: z.string().min(1).max(100).optional(),
    team: z.string().min(1).max(100).optional(),
    queue: z.enum(['billing', 'orders', 'general']).optional(),
    disposition: z.string().min(1).max(60).optional(),
    reason: z.string().min(1).max(60).optional(),
    sentiment: SentimentBucket.optional(),
    hasRecording: flag.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
  })
  .strict();

export async function runSearch(viewer: User, q: z.output<typeof searchQuery>, analytics: Analytics, reply: FastifyReply): Promise<SessionSearchResult | undefined> {
  const range = rangeOr400({ from: q.from, to: q.to, range: q.range ?? (q.from === undefined && q.to === undefined ? '30d' : undefined) }, reply);
  if (!range) return undefined;
  let agentId = q.agent;
  let team = q.team;
  if (viewer.role === 'agent') {
    if (agentId !== undefined && agentId !== viewer.id) {
      void reply.code(403).send({ error: 'forbidden', message: 'Agents can search only their own sessions.' });
      return undefined;
    }
    agentId = viewer.id;
  } else if (viewer.role === 'lead') {
    if (team !== undefined && team !== viewer.team) {
      void reply.code(403).send({ error: 'forbidden', message: `Leads see only their own team (${viewer.team}).` });
      return undefined;
    }
    team = viewer.team;
  }
  return analytics.search.search({
    q: q.q, range, agentId, team, queue: q.queue, disposition: q.disposition, reason: q.reason, sentiment: q.sentiment,
    hasRecording: q.hasRecording, limit: q.limit, offset: q.offset,
  });
}

const Params = z.object({ id: PathId }).strict();

export interface ReviewDeps {
  users: UserDirectory;
  store: SessionStore;
  db: SwitchboardDb;
  analytics: Analytics;
}

export function reviewRoutes({ users, store, db, analytics }: ReviewDeps) {
  /** The session's agents and their teams, or undefined when there is no such session. */
  const sessionAccess = async (id: string) => {
    const session = await store.getSession(id);
    if (!session) return undefined;
    const agents = (await Promise.all(session.agentIds.map((a) => users.get(a)))).filter((u): u is User => u !== undefined);
    const [fact] = await all<{ agent_id: string | null; day: string }>(db, 'select agent_id, day from session_facts where session_id = ?', [id]);
    const handler = fact?.agent_id ?? session.agentIds[session.agentIds.length - 1] ?? null;
    return { session, agents, handler, handlerTeam: agents.find((a) => a.id === handler)?.team ?? null, day: fact?.day ?? session.startedAt.slice(0, 10) };
  };
  // The same rule as every other session route (access-policy.ts).
  const policy = new AccessPolicy(users, store);
  const mayView = (viewer: User, access: NonNullable<Awaited<ReturnType<typeof sessionAccess>>>): Promise<boolean> =>
    policy.maySeeSession(viewer, access.session);
  const notFound = (reply: FastifyReply, id: string) => reply.code(404).send({ error: 'not_found', message: `No session ${id}. Check the id in the session list.` });

  return async (plain: FastifyInstance): Promise<void> => {
    const app = zodRoutes(plain);
    const anyStaff = requireRole(users, ['agent', 'lead', 'admin']);
    const leads = requireRole(users, ['lead', 'admin']);
    const admins = requireRole(users, ['admin']);

    app.get('/api/review/sessions', { preHandler: anyStaff, schema: { querystring: searchQuery } }, async (request, reply) => {
      return (await runSearch(request.user!, request.query, analytics, reply)) ?? reply;
    });

    app.get('/api/review/scorecard', { preHandler: anyStaff }, async () => analytics.qa.scorecard());

    app.put('/api/review/scorecard', { preHandler: admins }, async (request, reply) => {
      const checked = checkScorecard(request.body);
      if (!checked.ok) return reply.code(400).send({ error: 'bad_request', message: checked.message });
      return analytics.qa.replaceScorecard(checked.scorecard, request.user!.id);
    });

    app.post('/api/review/sessions/:id/score', { preHandler: leads, schema: { params: Params, body: QaScoreRequest } }, async (request, reply) => {
      const { id } = request.params;
      const access = await sessionAccess(id);
      if (!access) return notFound(reply, id);
      const viewer = request.user!;
      if (!(await mayView(viewer, access))) {
        return reply.code(403).send({ error: 'forbidden', message: `Leads score only sessions handled by their own team (${viewer.team}).` });
      }
      if (access.handler === null) return reply.code(409).send({ error: 'no_agent', message: 'No agent handled this session; QA scores apply to agent calls.' });
      const card = await analytics.qa.scorecard();
      const scored = checkScores(card, request.body.scores);
      if (!scored.ok) return reply.code(400).send({ error: 'bad_request', message: scored.message });
      const scoreId = await analytics.qa.addScore({
        sessionId: id, agentId: access.handler, team: access.handlerTeam, day: access.day, reviewerId: viewer.id, scorecardId: card.id,
        scores: scored.scores, total: scored.total, comment: request.body.comment,
      });
      return reply.code(201).send({ id: scoreId, total: scored.total });
    });

    app.post('/api/review/sessions/:id/comments', { preHandler: leads, schema: { params: Params, body: QaCommentRequest } }, async (request, reply) => {
      const { id } = request.params;
      const access = await sessionAccess(id);
      if (!access) return notFound(reply, id);
      const viewer = request.user!;
      if (!(await mayView(viewer, access))) return reply.code(403).send({ error: 'forbidden', message: `Leads comment only on their own team's sessions (${viewer.team}).` });
      const [line] = await all<{ type: string }>(db, 'select type from session_events where session_id = ? and seq = ?', [id, request.body.seq]);
      if (!line) return badRequest(reply, 'seq', `Session ${id} has no event ${request.body.seq}; comment on a transcript line's seq.`);
      const commentId = await analytics.qa.addComment(id, request.body.seq, viewer.id, request.body.text);
      return reply.code(201).send({ id: commentId });
    });

    app.get('/api/review/sessions/:id/qa', { preHandler: anyStaff, schema: { params: Params } }, async (request, reply) => {
      const { id } = request.params;
      const access = await sessionAccess(id);
      if (!access) return notFound(reply, id);
      if (!(await mayView(request.user!, access))) return reply.code(403).send({ error: 'forbidden', message: 'You can see QA only for sessions you handled (agents) or your team handled (leads).' });
      return analytics.qa.forSession(id);
    });
  };
}
