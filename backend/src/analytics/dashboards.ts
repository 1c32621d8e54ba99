// Dashboard queries over the per-day rollups: an agent's figures, the team table and its
// daily trend, and the AI & queue view. Each reads at most (agents × days) or (days × keys)
// rows, so the answer time does not grow with the number of stored sessions.
import type { AgentDayPoint, AgentDashboard, AgentIdentity, AgentMetrics, AiQueueView, CountByKey, KnowledgeGapGroup, ModelUsageSummary, TeamRow, TeamTable } from '../../../contracts/analytics-api';
import type { SessionEventPayloads } from '../../../contracts/events';
import type { EscalationReason, QueueSkill } from '../../../contracts/conversation';
import type { SwitchboardDb } from '../store/database';
import { eachDay, rangeEndIso, rangeStartIso, type DayRange } from './date-range';
import { mergeNearGaps } from './gap-signature';
import { all } from './ingest';
import { PRESENCE_COLUMNS, splitByDay, type PresenceName } from './presence';
import { MAX_WAIT_BUCKET_S } from './rollups';

interface AgentDayRow {
  agent_id: string;
  day: string;
  calls: number;
  talk_ms: number;
  hold_ms: number;
  wrap_ms: number;
  wrap_n: number;
  transfers: number;
  shown: number;
  used: number;
  sent_start_sum: number;
  sent_start_n: number;
  sent_end_sum: number;
  sent_end_n: number;
  csat_sum: number;
  csat_n: number;
}

interface PresenceRow {
  agent_id: string;
  day: string;
  available_ms: number;
  on_call_ms: number;
  wrap_up_ms: number;
}

interface QaRow {
  agent_id: string;
  day: string;
  total: number;
  n: number;
}

/** Sums of rollup counters; turned into means and rates at the end. */
class MetricSum {
  calls = 0;
  talk = 0;
  hold = 0;
  wrap = 0;
  wrapN = 0;
  transfers = 0;
  shown = 0;
  used = 0;
  sentStart = 0;
  sentStartN = 0;
  sentEnd = 0;
  sentEndN = 0;
  csat = 0;
  csatN = 0;
  available = 0;
  onCall = 0;
  wrapUp = 0;
  qa = 0;
  qaN = 0;

  addDay(r: AgentDayRow): void {
    this.calls += r.calls;
    this.talk += r.talk_ms;
    this.hold += r.hold_ms;
    this.wrap += r.wrap_ms;
    this.wrapN += r.wrap_n;
    this.transfers += r.transfers;
    this.shown += r.shown;
    this.used += r.used;
    this.sentStart += r.sent_start_sum;
    this.sentStartN += r.sent_start_n;
    this.sentEnd += r.sent_end_sum;
    this.sentEndN += r.sent_end_n;
    this.csat += r.csat_sum;
    this.csatN += r.csat_n;
  }

  addPresence(r: Pick<PresenceRow, 'available_ms' | 'on_call_ms' | 'wrap_up_ms'>): void {
    this.available += r.available_ms;
    this.onCall += r.on_call_ms;
    this.wrapUp += r.wrap_up_ms;
  }

  addQa(r: QaRow): void {
    this.qa += r.total;
    this.qaN += r.n;
  }

  merge(o: MetricSum): void {
    for (const k of Object.keys(o) as Array<keyof MetricSum>) {
      const v = o[k];
      if (typeof v === 'number') (this as Record<string, unknown>)[k] = (this[k] as number) + v;
    }
  }

  metrics(): AgentMetrics {
    const mean = (s: number, n: number): number | null => (n > 0 ? s / n : null);
    const busy = this.onCall + this.wrapUp;
    return {
      callsHandled: this.calls,
      avgHandleMs: mean(this.talk + this.hold + this.wrap, this.calls),
      avgTalkMs: mean(this.talk, this.calls),
      avgWrapUpMs: mean(this.wrap, this.wrapN),
      holdMs: this.hold,
      avgHoldMs: mean(this.hold, this.calls),
      transfers: this.transfers,
      suggestionsShown: this.shown,
      suggestionsUsed: this.used,
      suggestionAcceptanceRate: mean(this.used, this.shown),
      sentimentStart: mean(this.sentStart, this.sentStartN),
      sentimentEnd: mean(this.sentEnd, this.sentEndN),
      csat: mean(this.csat, this.csatN),
      csatResponses: this.csatN,
      occupancy: mean(busy, busy + this.available),
      qaScore: mean(this.qa, this.qaN),
      qaReviews: this.qaN,
    };
  }
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

export class Dashboards {
  readonly #db: SwitchboardDb;
  readonly #now: () => number;

  constructor(db: SwitchboardDb, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** Per agent and per day sums for these agents (one pass per table). */
  async #agentDays(agentIds: string[], range: DayRange): Promise<Map<string, Map<string, MetricSum>>> {
    const out = new Map<string, Map<string, MetricSum>>();
    if (agentIds.length === 0) return out;
    const cell = (agent: string, day: string): MetricSum => {
      let byDay = out.get(agent);
      if (!byDay) out.set(agent, (byDay = new Map()));
      let m = byDay.get(day);
      if (!m) byDay.set(day, (m = new MetricSum()));
      return m;
    };
    const ids = placeholders(agentIds.length);
    const params = [...agentIds, range.from, range.to];
    for (const r of await all<AgentDayRow>(this.#db, `select * from agent_day where agent_id in (${ids}) and day between ? and ?`, params)) cell(r.agent_id, r.day).addDay(r);
    for (const r of await all<PresenceRow>(this.#db, `select agent_id, day, available_ms, on_call_ms, wrap_up_ms from presence_day where agent_id in (${ids}) and day between ? and ?`, params)) cell(r.agent_id, r.day).addPresence(r);
    // The presence an agent is in right now counts up to now.
    const now = this.#now();
    for (const cur of await all<{ agent_id: string; presence: PresenceName; since: string }>(this.#db, `select agent_id, presence, since from agent_presence_current where agent_id in (${ids})`, agentIds)) {
      const column = PRESENCE_COLUMNS[cur.presence];
      if (!column) continue;
      for (const part of splitByDay(Date.parse(cur.since), now)) {
        if (part.day < range.from || part.day > range.to) continue;
        cell(cur.agent_id, part.day).addPresence({
          available_ms: column === 'available_ms' ? part.ms : 0,
          on_call_ms: column === 'on_call_ms' ? part.ms : 0,
          wrap_up_ms: column === 'wrap_up_ms' ? part.ms : 0,
        });
      }
    }
    for (const r of await all<QaRow>(this.#db, `select agent_id, day, sum(total) as total, count(*) as n from qa_scores where agent_id in (${ids}) and day between ? and ? group by agent_id, day`, params)) cell(r.agent_id, r.day).addQa(r);
    return out;
  }

  async agentDashboard(agent: AgentIdentity, range: DayRange): Promise<AgentDashboard> {
    const byDay = (await this.#agentDays([agent.id], range)).get(agent.id) ?? new Map<string, MetricSum>();
    const totals = new MetricSum();
    const days: AgentDayPoint[] = eachDay(range).map((day) => {
      const m = byDay.get(day) ?? new MetricSum();
      totals.merge(m);
      return { day, ...m.metrics() };
    });
    return { agent, range, totals: totals.metrics(), days };
  }

  async teamTable(members: AgentIdentity[], team: string | null, range: DayRange): Promise<TeamTable> {
    const cells = await this.#agentDays(members.map((m) => m.id), range);
    const totals = new MetricSum();
    const perDay = new Map<string, MetricSum>(eachDay(range).map((d) => [d, new MetricSum()]));
    const rows: TeamRow[] = members.map((agent) => {
      const sum = new MetricSum();
      for (const [day, m] of cells.get(agent.id) ?? []) {
        sum.merge(m);
        perDay.get(day)?.merge(m);
      }
      totals.merge(sum);
      return { agent, ...sum.metrics() };
    });
    return { range, team, rows, totals: totals.metrics(), days: [...perDay].map(([day, m]) => ({ day, ...m.metrics() })) };
  }

  async aiQueue(range: DayRange, team: string | null, slaSeconds: number): Promise<AiQueueView> {
    const teamClause = team === null ? '' : ' and team = ?';
    const params = team === null ? [range.from, range.to] : [range.from, range.to, team];
    const queueRows = await all<{ day: string; queue: string; sessions: number; contained: number; escalated: number; queued: number; answered: number; wait_ms: number; abandoned: number; callbacks: number }>(
      this.#db,
      `select day, queue, sum(sessions) as sessions, sum(contained) as contained, sum(escalated) as escalated, sum(queued) as queued, sum(answered) as answered, ` +
        `sum(wait_ms) as wait_ms, sum(abandoned) as abandoned, sum(callbacks) as callbacks from queue_day where day between ? and ?${teamClause} group by day, queue`,
      params,
    );
    const waitRows = await all<{ day: string; within: number }>(
      this.#db,
      `select day, sum(n) as within from wait_day where day between ? and ?${teamClause} and wait_s < ? group by day`,
      [...params, Math.min(slaSeconds, MAX_WAIT_BUCKET_S)],
    );
    const reasonRows = await all<{ day: string; reason: string; n: number }>(this.#db, `select day, reason, sum(n) as n from reason_day where day between ? and ?${teamClause} group by day, reason`, params);
    const intentRows = await all<{ intent: string; n: number }>(this.#db, `select intent, sum(n) as n from intent_day where day between ? and ?${teamClause} group by intent order by n desc limit 10`, params);

    const days = new Map(eachDay(range).map((d) => [d, { day: d, sessions: 0, contained: 0, escalated: 0, answered: 0, abandoned: 0, queued: 0, waitMs: 0, within: 0, reasons: {} as Partial<Record<EscalationReason, number>> }]));
    const byQueue = new Map<string, { queued: number; answered: number; abandoned: number; waitMs: number }>();
    let callbacks = 0;
    for (const r of queueRows) {
      const d = days.get(r.day);
      if (d) {
        d.sessions += r.sessions;
        d.contained += r.contained;
        d.escalated += r.escalated;
        d.answered += r.answered;
        d.abandoned += r.abandoned;
        d.queued += r.queued;
        d.waitMs += r.wait_ms;
      }
      callbacks += r.callbacks;
      if (r.queue !== '') {
        const q = byQueue.get(r.queue) ?? { queued: 0, answered: 0, abandoned: 0, waitMs: 0 };
        q.queued += r.queued;
        q.answered += r.answered;
        q.abandoned += r.abandoned;
        q.waitMs += r.wait_ms;
        byQueue.set(r.queue, q);
      }
    }
    for (const r of waitRows) {
      const d = days.get(r.day);
      if (d) d.within += r.within;
    }
    const reasonTotals = new Map<string, number>();
    for (const r of reasonRows) {
      const d = days.get(r.day);
      if (d) d.reasons[r.reason as EscalationReason] = (d.reasons[r.reason as EscalationReason] ?? 0) + r.n;
      reasonTotals.set(r.reason, (reasonTotals.get(r.reason) ?? 0) + r.n);
    }
    const t = { sessions: 0, contained: 0, escalated: 0, answered: 0, abandoned: 0, queued: 0, waitMs: 0, within: 0 };
    for (const d of days.values()) for (const k of Object.keys(t) as Array<keyof typeof t>) t[k] += d[k];
    const rate = (n: number, d: number): number | null => (d > 0 ? n / d : null);

    const [completed] = await all<{ n: number }>(
      this.#db,
      "select count(*) as n from callbacks where created_at >= ? and created_at < ? and status in ('done', 'completed')",
      [rangeStartIso(range), rangeEndIso(range)],
    );

    return {
      range,
      team,
      slaSeconds,
      sessions: t.sessions,
      containmentRate: team === null ? rate(t.contained, t.sessions) : null,
      escalations: t.escalated,
      escalationReasons: [...reasonTotals].map(([key, count]) => ({ key: key as EscalationReason, count })).sort((a, b) => b.count - a.count),
      topIntents: intentRows.map((r): CountByKey => ({ key: r.intent, count: r.n })),
      queued: t.queued,
      answered: t.answered,
      avgSpeedOfAnswerMs: rate(t.waitMs, t.answered),
      abandonmentRate: team === null ? rate(t.abandoned, t.queued) : null,
      abandoned: t.abandoned,
      serviceLevel: rate(t.within, t.answered + t.abandoned),
      callbacksScheduled: callbacks,
      callbacksCompleted: team === null ? Number(completed?.n ?? 0) : 0,
      byQueue: [...byQueue].map(([queue, q]) => ({ queue: queue as QueueSkill, queued: q.queued, answered: q.answered, abandoned: q.abandoned, avgSpeedOfAnswerMs: rate(q.waitMs, q.answered) })),
      days: [...days.values()].map((d) => ({
        day: d.day,
        sessions: d.sessions,
        contained: d.contained,
        escalated: d.escalated,
        answered: d.answered,
        abandoned: d.abandoned,
        serviceLevel: rate(d.within, d.answered + d.abandoned),
        avgSpeedOfAnswerMs: rate(d.waitMs, d.answered),
        escalationsByReason: d.reasons,
      })),
      knowledgeGaps: team === null ? await this.knowledgeGaps(range, 20) : [],
      model: team === null ? await this.modelUsage(range) : null,
    };
  }

  /**
   * Model spend and speed from the `ai.usage` events of sessions started in the range, found
   * through their own partial index (migration 1007): a session's events come after its
   * start, so `e.at >= start` holds for every event wanted and bounds the index walk.
   * `cross join` keeps SQLite on that index (it otherwise walked the sessions of the range
   * and read all their events: 2–3 s for 30 days at a million sessions); PostgreSQL plans
   * it as the inner join it is.
   */
  async modelUsage(range: DayRange): Promise<ModelUsageSummary | null> {
    const rows = await all<{ data: string }>(
      this.#db,
      "select e.data as data from session_events e cross join sessions s where s.id = e.session_id and e.type = 'ai.usage' and e.at >= ? and s.started_at >= ? and s.started_at < ?",
      [rangeStartIso(range), rangeStartIso(range), rangeEndIso(range)],
    );
    if (rows.length === 0) return null;
    const summary: ModelUsageSummary = { turns: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, fallbackTurns: 0, firstTokenMs: { p50: null, p95: null }, firstSentenceMs: { p50: null, p95: null }, byModel: [] };
    const firstToken: number[] = [];
    const firstSentence: number[] = [];
    const byModel = new Map<string, { provider: string; model: string; turns: number; costUsd: number }>();
    for (const row of rows) {
      const u = JSON.parse(row.data) as SessionEventPayloads['ai.usage'];
      summary.turns += 1;
      summary.inputTokens += u.inputTokens;
      summary.outputTokens += u.outputTokens;
      summary.costUsd += u.costUsd;
      if (u.fallback !== undefined) summary.fallbackTurns += 1;
      if (u.firstTokenMs !== undefined) firstToken.push(u.firstTokenMs);
      if (u.firstSentenceMs !== undefined) firstSentence.push(u.firstSentenceMs);
      const key = `${u.provider}/${u.model}`;
      const m = byModel.get(key) ?? { provider: u.provider, model: u.model, turns: 0, costUsd: 0 };
      m.turns += 1;
      m.costUsd += u.costUsd;
      byModel.set(key, m);
    }
    summary.costUsd = Number(summary.costUsd.toFixed(6));
    summary.firstTokenMs = { p50: percentile(firstToken, 50), p95: percentile(firstToken, 95) };
    summary.firstSentenceMs = { p50: percentile(firstSentence, 50), p95: percentile(firstSentence, 95) };
    summary.byModel = [...byModel.values()].sort((a, b) => b.turns - a.turns);
    return summary;
  }

  /** Knowledge-gap groups ranked by how often they were asked, with recent examples. */
  async knowledgeGaps(range: DayRange, limit: number): Promise<KnowledgeGapGroup[]> {
    const groups = await all<{ signature: string; n: number }>(
      this.#db,
      'select signature, sum(n) as n from gap_day where day between ? and ? group by signature order by n desc, signature limit ?',
      [range.from, range.to, limit],
    );
    const out: KnowledgeGapGroup[] = [];
    for (const g of groups) {
      const examples = await all<{ question: string; session_id: string; at: string }>(
        this.#db,
        'select question, session_id, at from knowledge_gaps where signature = ? and at >= ? and at < ? order by at desc limit 3',
        [g.signature, rangeStartIso(range), rangeEndIso(range)],
      );
      out.push({
        signature: g.signature,
        count: g.n,
        examples: [...new Set(examples.map((e) => e.question))],
        lastSessionId: examples[0]?.session_id ?? null,
        lastSeenAt: examples[0]?.at ?? null,
      });
    }
    return mergeNearGaps(out, (into, from) => ({
      ...into,
      count: into.count + from.count,
      examples: [...new Set([...into.examples, ...from.examples])].slice(0, 3),
      ...((from.lastSeenAt ?? '') > (into.lastSeenAt ?? '') ? { lastSessionId: from.lastSessionId, lastSeenAt: from.lastSeenAt } : {}),
    }));
  }

  /** Today's answered / abandoned / within-threshold counts for the wallboard. */
  async serviceLevelToday(slaSeconds: number): Promise<{ answered: number; abandoned: number; serviceLevel: number | null }> {
    const day = new Date(this.#now()).toISOString().slice(0, 10);
    const [q] = await all<{ answered: number | null; abandoned: number | null }>(this.#db, 'select sum(answered) as answered, sum(abandoned) as abandoned from queue_day where day = ?', [day]);
    const [w] = await all<{ within: number | null }>(this.#db, 'select sum(n) as within from wait_day where day = ? and wait_s < ?', [day, slaSeconds]);
    const answered = Number(q?.answered ?? 0);
    const abandoned = Number(q?.abandoned ?? 0);
    const within = Number(w?.within ?? 0);
    return { answered, abandoned, serviceLevel: answered + abandoned > 0 ? within / (answered + abandoned) : null };
  }
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
