// Dashboards over the event log: an agent's own figures, the team table, the AI & queue
// view, the live wallboard, and CSV export of any of their tables. Agents see only
// themselves; leads their own team; admins everyone. Unknown query parameters, malformed
// dates and ranges over a year are 400s that name the parameter.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { DEFAULT_SLA_SECONDS, type AgentMetrics, type KnowledgeGapGroup } from '../../../../contracts/analytics-api';
import type { Analytics } from '../../analytics/analytics';
import type { ModelAssist } from '../../assist/model-assist';
import { toCsv } from '../../analytics/csv';
import { resolveRange, type DayRange } from '../../analytics/date-range';
import { teamsOf, wallboardSnapshot } from '../../analytics/wallboard';
import type { User, UserDirectory } from '../../auth/users';
import { requireRole } from '../auth-guard';
import { PathId, zodRoutes } from '../route-schemas';
import { searchQuery, runSearch } from './reviews';

const RangeFields = { from: z.string().optional(), to: z.string().optional(), range: z.string().optional() };
const AgentQuery = z.object(RangeFields).strict();
const TeamQuery = z.object({ ...RangeFields, team: z.string().min(1).max(100).optional() }).strict();
const AiQueueQuery = z.object({ ...RangeFields, team: z.string().min(1).max(100).optional(), slaSeconds: z.coerce.number().int().min(1).max(600).default(DEFAULT_SLA_SECONDS) }).strict();
const ExportBase = z.object({ view: z.enum(['team', 'agent', 'ai-queue', 'sessions']) }).passthrough();

export function badRequest(reply: FastifyReply, param: string, message: string) {
  return reply.code(400).send({ error: 'bad_request', parameter: param, message });
}

/** Parses a query with a strict schema; on failure sends a 400 naming the parameter and returns undefined. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown, reply: FastifyReply): z.output<T> | undefined {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : (issue?.path.join('.') ?? '');
  const message =
    issue?.code === 'unrecognized_keys' ? `Unknown query parameter ${param}; remove it or check the spelling.` : `Query parameter ${param} is not valid: ${issue?.message}.`;
  void badRequest(reply, param, message);
  return undefined;
}

export function rangeOr400(q: { from?: string | undefined; to?: string | undefined; range?: string | undefined }, reply: FastifyReply): DayRange | undefined {
  const r = resolveRange(q);
  if (r.ok) return r.range;
  void badRequest(reply, r.param, r.message);
  return undefined;
}

const forbidden = (reply: FastifyReply, message: string) => reply.code(403).send({ error: 'forbidden', message });

/** Who may see this agent's figures: the agent, a lead of the agent's team, any admin. */
export function maySeeAgent(viewer: User, target: User): boolean {
  if (viewer.role === 'admin') return true;
  if (viewer.role === 'lead') return target.team === viewer.team;
  return viewer.id === target.id;
}

async function teamMembers(users: UserDirectory, team: string | null) {
  return (await users.list())
    .filter((u) => (u.role === 'agent' || u.role === 'lead') && (team === null || u.team === team))
    .map((u) => ({ id: u.id, name: u.name, team: u.team }));
}

const METRIC_HEADER = ['calls_handled', 'avg_handle_ms', 'avg_talk_ms', 'avg_wrap_up_ms', 'hold_ms', 'transfers', 'suggestions_shown', 'suggestions_used', 'suggestion_acceptance_rate', 'sentiment_start', 'sentiment_end', 'csat', 'occupancy', 'qa_score'];
const metricCells = (m: AgentMetrics) => [m.callsHandled, m.avgHandleMs, m.avgTalkMs, m.avgWrapUpMs, m.holdMs, m.transfers, m.suggestionsShown, m.suggestionsUsed, m.suggestionAcceptanceRate, m.sentimentStart, m.sentimentEnd, m.csat, m.occupancy, m.qaScore];

export function analyticsRoutes(users: UserDirectory, analytics: Analytics, assist?: ModelAssist) {
  return async (plain: FastifyInstance): Promise<void> => {
    const app = zodRoutes(plain);
    const anyStaff = requireRole(users, ['agent', 'lead', 'admin']);
    const leads = requireRole(users, ['lead', 'admin']);

    const agentView = async (viewer: User, id: string, q: z.output<typeof AgentQuery>, reply: FastifyReply) => {
      const range = rangeOr400(q, reply);
      if (!range) return undefined;
      const target = await users.get(id);
      if (!target) {
        // Agents learn nothing about other ids: a missing id reads as someone else's.
        if (viewer.role === 'agent' && viewer.id !== id) return void forbidden(reply, 'Agents can see only their own dashboard.');
        return void reply.code(404).send({ error: 'not_found', message: `No user ${id}. Pick an agent from the team table.` });
      }
      if (!maySeeAgent(viewer, target)) {
        return void forbidden(reply, viewer.role === 'agent' ? 'Agents can see only their own dashboard.' : `Agent ${target.name} is not in your team (${viewer.team}).`);
      }
      return analytics.dashboards.agentDashboard({ id: target.id, name: target.name, team: target.team }, range);
    };

    const teamView = async (viewer: User, q: z.output<typeof TeamQuery>, reply: FastifyReply) => {
      const range = rangeOr400(q, reply);
      if (!range) return undefined;
      let team: string | null = q.team ?? null;
      if (viewer.role === 'lead') {
        if (team !== null && team !== viewer.team) return void forbidden(reply, `Leads see only their own team (${viewer.team}).`);
        team = viewer.team;
      }
      return analytics.dashboards.teamTable(await teamMembers(users, team), team, range);
    };

    const aiQueueView = async (q: z.output<typeof AiQueueQuery>, reply: FastifyReply) => {
      const range = rangeOr400(q, reply);
      if (!range) return undefined;
      const view = await analytics.dashboards.aiQueue(range, q.team ?? null, q.slaSeconds);
      // With a model configured, gaps that ask the same thing in other words become one topic.
      return assist ? { ...view, knowledgeGaps: await groupGapsByTopic(view.knowledgeGaps, assist) } : view;
    };

    app.get('/api/analytics/agents/:id', { preHandler: anyStaff, schema: { params: z.object({ id: PathId }).strict(), querystring: AgentQuery } }, async (request, reply) => {
      return (await agentView(request.user!, request.params.id, request.query, reply)) ?? reply;
    });

    app.get('/api/analytics/team', { preHandler: leads, schema: { querystring: TeamQuery } }, async (request, reply) => {
      return (await teamView(request.user!, request.query, reply)) ?? reply;
    });

    app.get('/api/analytics/ai-queue', { preHandler: leads, schema: { querystring: AiQueueQuery } }, async (request, reply) => {
      return (await aiQueueView(request.query, reply)) ?? reply;
    });

    app.get('/api/analytics/wallboard', { preHandler: leads, schema: { querystring: z.object({}).strict() } }, async () => {
      return wallboardSnapshot(app.desk.router.snapshot(), analytics, undefined, await teamsOf(users));
    });

    app.get('/api/analytics/export.csv', { preHandler: anyStaff, schema: { querystring: ExportBase } }, async (request, reply) => {
      // The rest of the query depends on the view: checked below with that view's schema.
      const { view, ...rest } = request.query as { view: string } & Record<string, unknown>;
      const viewer = request.user!;
      let csv: string | undefined;
      if (view === 'agent') {
        const q = parseQuery(AgentQuery.extend({ agent: z.string().min(1).max(100).optional() }), rest, reply);
        if (!q) return reply;
        const { agent, ...range } = q;
        const d = await agentView(viewer, agent ?? viewer.id, range, reply);
        if (!d) return reply;
        csv = toCsv(['day', ...METRIC_HEADER], d.days.map((p) => [p.day, ...metricCells(p)]));
      } else if (view === 'team') {
        if (viewer.role === 'agent') return forbidden(reply, 'The team table is for leads and admins.');
        const q = parseQuery(TeamQuery, rest, reply);
        if (!q) return reply;
        const t = await teamView(viewer, q, reply);
        if (!t) return reply;
        csv = toCsv(['agent_id', 'agent_name', 'team', ...METRIC_HEADER], t.rows.map((r) => [r.agent.id, r.agent.name, r.agent.team, ...metricCells(r)]));
      } else if (view === 'ai-queue') {
        if (viewer.role === 'agent') return forbidden(reply, 'The AI and queue view is for leads and admins.');
        const q = parseQuery(AiQueueQuery, rest, reply);
        if (!q) return reply;
        const v = await aiQueueView(q, reply);
        if (!v) return reply;
        csv = toCsv(
          ['day', 'sessions', 'contained', 'escalated', 'answered', 'abandoned', 'service_level', 'avg_speed_of_answer_ms'],
          v.days.map((d) => [d.day, d.sessions, d.contained, d.escalated, d.answered, d.abandoned, d.serviceLevel, d.avgSpeedOfAnswerMs]),
        );
      } else {
        const q = parseQuery(searchQuery, rest, reply);
        if (!q) return reply;
        const result = await runSearch(viewer, q, analytics, reply);
        if (!result) return reply;
        csv = toCsv(
          ['session_id', 'started_at', 'ended_at', 'caller_id', 'agent_id', 'agent_name', 'team', 'queue', 'escalation_reason', 'intent', 'disposition', 'sentiment', 'has_recording', 'qa_score'],
          result.hits.map((h) => [h.sessionId, h.startedAt, h.endedAt, h.callerId, h.agentId, h.agentName, h.team, h.queue, h.escalationReason, h.intent, h.disposition, h.sentiment, h.hasRecording, h.qaScore]),
        );
      }
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${view}.csv"`)
        .send(csv);
    });
  };
}

/** Merges word-signature gap groups the model puts under one topic; unchanged when it fails. */
export async function groupGapsByTopic(gaps: KnowledgeGapGroup[], assist: ModelAssist): Promise<KnowledgeGapGroup[]> {
  if (gaps.length < 2) return gaps;
  const firstExamples = gaps.map((g) => g.examples[0] ?? g.signature);
  const grouped = await assist.groupKnowledgeGaps(firstExamples);
  if (!grouped) return gaps;
  const topicOf = new Map<number, string>();
  for (const group of grouped) for (const q of group.questions) topicOf.set(firstExamples.indexOf(q), group.topic);
  const merged = new Map<string, KnowledgeGapGroup>();
  gaps.forEach((gap, i) => {
    const topic = topicOf.get(i);
    const key = topic ?? `signature:${gap.signature}`;
    const known = merged.get(key);
    if (!known) {
      merged.set(key, { ...gap, ...(topic ? { topic } : {}) });
      return;
    }
    const newer = (gap.lastSeenAt ?? '') > (known.lastSeenAt ?? '');
    merged.set(key, {
      ...known,
      count: known.count + gap.count,
      examples: [...known.examples, ...gap.examples].slice(0, 3),
      lastSessionId: newer ? gap.lastSessionId : known.lastSessionId,
      lastSeenAt: newer ? gap.lastSeenAt : known.lastSeenAt,
    });
  });
  return [...merged.values()].sort((a, b) => b.count - a.count);
}
