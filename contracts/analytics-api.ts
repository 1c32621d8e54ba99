// REST DTOs for dashboards, the wallboard, session review (search) and QA scoring, shared by
// the backend routes (`backend/src/api/routes/analytics.ts`, `reviews.ts`) and the renderer.
// Every figure is computed from the append-only session event log; definitions live in
// `backend/src/analytics/metrics.ts` and `docs/analytics.md`.
//
// Conventions
// - Dates: `from` / `to` are calendar days `YYYY-MM-DD`, both inclusive, in UTC (a session
//   belongs to the day it started; presence time is split at midnight). `to - from` may span
//   at most MAX_RANGE_DAYS days. Both default to today (UTC) when omitted.
// - Durations are milliseconds; rates are fractions 0..1 (null when the denominator is 0).
// - Sentiment is the lexicon score of `backend/src/brain/sentiment.ts` (negative < 0 < positive).
import { z } from 'zod';
import type { EscalationReason, QueueSkill } from './conversation';

/** The longest range a dashboard, export or search accepts. */
export const MAX_RANGE_DAYS = 366;
/** Service level: % of answered calls picked up within this many seconds unless `slaSeconds` says otherwise. */
export const DEFAULT_SLA_SECONDS = 20;

export const AgentPresenceName = z.enum(['offline', 'available', 'on_call', 'wrap_up', 'away']);
export type AgentPresenceName = z.infer<typeof AgentPresenceName>;

export interface DateRangeView {
  from: string;
  to: string;
}

/** The figures of one agent over a range (also one row of the team table). */
export interface AgentMetrics {
  /** Calls the agent accepted and finished in the range (one per agent leg; a transfer out still counts). */
  callsHandled: number;
  /** Mean of talk + hold + wrap-up per handled call. */
  avgHandleMs: number | null;
  avgTalkMs: number | null;
  /** Mean wrap-up time (wrapup.started → wrapup.submitted) over calls that had a wrap-up. */
  avgWrapUpMs: number | null;
  /** Total time callers spent on hold with this agent. */
  holdMs: number;
  avgHoldMs: number | null;
  /** Calls this agent transferred away (call.transferred with fromAgentId = agent). */
  transfers: number;
  suggestionsShown: number;
  suggestionsUsed: number;
  /** used ÷ shown (individual suggestions, not suggestion.shown events). */
  suggestionAcceptanceRate: number | null;
  /** Mean caller sentiment over the first / last caller lines of the agent's part of each call. */
  sentimentStart: number | null;
  sentimentEnd: number | null;
  /** Mean CSAT 1..5 over calls where the caller gave one; null until CSAT is recorded. */
  csat: number | null;
  csatResponses: number;
  /** (on_call + wrap_up time) ÷ (available + on_call + wrap_up time), from the presence log. */
  occupancy: number | null;
  /** Mean QA score 0..100 over scored sessions the agent handled. */
  qaScore: number | null;
  qaReviews: number;
}

export interface AgentDayPoint extends AgentMetrics {
  day: string;
}

export interface AgentIdentity {
  id: string;
  name: string;
  team: string;
}

export interface AgentDashboard {
  agent: AgentIdentity;
  range: DateRangeView;
  totals: AgentMetrics;
  /** One point per day in the range (days with no activity have zero counts and null means). */
  days: AgentDayPoint[];
}

export interface TeamRow extends AgentMetrics {
  agent: AgentIdentity;
}

export interface TeamTable {
  range: DateRangeView;
  /** The team shown; null when an admin asked for every team. */
  team: string | null;
  rows: TeamRow[];
  totals: AgentMetrics;
  /** Team-wide trend, one point per day. */
  days: AgentDayPoint[];
}

export interface CountByKey<K extends string = string> {
  key: K;
  count: number;
}

export interface AiQueueDayPoint {
  day: string;
  sessions: number;
  contained: number;
  escalated: number;
  answered: number;
  abandoned: number;
  serviceLevel: number | null;
  avgSpeedOfAnswerMs: number | null;
  escalationsByReason: Partial<Record<EscalationReason, number>>;
}

export interface KnowledgeGapGroup {
  /** The content-word signature the questions share (sorted stems), e.g. "refund|warranty". */
  signature: string;
  count: number;
  /** Up to 3 recent questions in this group, verbatim. */
  examples: string[];
  /** The session of the most recent example, to open in review. */
  lastSessionId: string | null;
  lastSeenAt: string | null;
  /** A topic name when a model grouped differently worded questions together. */
  topic?: string;
}

/** What the model brain cost and how fast it was, from the `ai.usage` events of the range. */
export interface ModelUsageSummary {
  /** AI turns that used a model (or fell back from one). */
  turns: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Turns the local brain answered because the model was late or failed. */
  fallbackTurns: number;
  firstTokenMs: { p50: number | null; p95: number | null };
  firstSentenceMs: { p50: number | null; p95: number | null };
  byModel: Array<{ provider: string; model: string; turns: number; costUsd: number }>;
}

export interface AiQueueView {
  range: DateRangeView;
  /** When set, the queue figures are for calls answered by this team; org-wide AI figures are null. */
  team: string | null;
  slaSeconds: number;
  sessions: number;
  /** Sessions that ended without call.escalated ÷ ended sessions. */
  containmentRate: number | null;
  escalations: number;
  escalationReasons: CountByKey<EscalationReason>[];
  topIntents: CountByKey[];
  /** Calls that entered a queue (first queue.entered per session). */
  queued: number;
  answered: number;
  /** Mean first queue.entered → first agent.accepted over answered calls. */
  avgSpeedOfAnswerMs: number | null;
  /** Queued sessions that ended with no agent.accepted and no callback.scheduled ÷ queued. */
  abandonmentRate: number | null;
  abandoned: number;
  /** Answered within slaSeconds ÷ (answered + abandoned). */
  serviceLevel: number | null;
  callbacksScheduled: number;
  /** Scheduled callbacks whose callbacks row reached status "done" (or "completed"). */
  callbacksCompleted: number;
  byQueue: Array<{ queue: QueueSkill; queued: number; answered: number; abandoned: number; avgSpeedOfAnswerMs: number | null }>;
  days: AiQueueDayPoint[];
  knowledgeGaps: KnowledgeGapGroup[];
  /** Model usage (org-wide only: null with a team filter or when no model was used). */
  model?: ModelUsageSummary | null;
}

export interface WallboardQueue {
  queue: QueueSkill;
  waiting: number;
  ringing: number;
  longestWaitMs: number;
}

export interface WallboardSnapshot {
  at: string;
  /** Live sessions whose state is `ai`. */
  callsInAi: number;
  callsInQueue: number;
  longestWaitMs: number;
  queues: WallboardQueue[];
  agentsByPresence: Record<AgentPresenceName, number>;
  /** sinceMs is null for an agent offline since before the server started (time unknown). */
  /** `team` is the agent's team, for the wallboard's team filter. */
  agents: Array<{ id: string; name: string; presence: AgentPresenceName; sinceMs: number | null; team?: string }>;
  /** Today (UTC) so far, default threshold. */
  serviceLevelToday: number | null;
  answeredToday: number;
  abandonedToday: number;
  slaSeconds: number;
}

/** Pushed over /agent/ws to connected leads and admins, at most every 2 s and only when it changed. */
export interface WallboardMessage {
  type: 'wallboard';
  snapshot: WallboardSnapshot;
}

// ── Session review ────────────────────────────────────────────────────────────────────

export const SentimentBucket = z.enum(['negative', 'neutral', 'positive']);
export type SentimentBucket = z.infer<typeof SentimentBucket>;

export interface SessionSearchHit {
  sessionId: string;
  startedAt: string;
  endedAt: string | null;
  callerId: string;
  callerName: string | null;
  agentId: string | null;
  agentName: string | null;
  team: string | null;
  queue: QueueSkill | null;
  escalationReason: EscalationReason | null;
  intent: string | null;
  disposition: string | null;
  /** Caller sentiment at the end of the call (bucketed from the score). */
  sentiment: SentimentBucket | null;
  hasRecording: boolean;
  contained: boolean;
  abandoned: boolean;
  /** The matching transcript line with the matched terms in [brackets]; null without `q`. */
  snippet: string | null;
  /** The event seq of the matched line, to scroll the transcript to. */
  matchSeq: number | null;
  qaScore: number | null;
}

export interface SessionSearchResult {
  hits: SessionSearchHit[];
  limit: number;
  offset: number;
  /** True when at least one more hit exists past this page. */
  hasMore: boolean;
}

// ── QA ────────────────────────────────────────────────────────────────────────────────

/** One scorecard criterion. Weights of a scorecard sum to exactly 100. */
export const ScorecardCriterion = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'use lowercase letters, digits, _ or -'),
  label: z.string().min(1).max(120),
  description: z.string().max(500).default(''),
  /** Percentage points of the total; all weights sum to 100. */
  weight: z.number().positive().max(100),
  /** The highest score a reviewer can give (0..maxScore). */
  maxScore: z.number().int().min(1).max(10),
});
export type ScorecardCriterion = z.infer<typeof ScorecardCriterion>;

export const ScorecardInput = z.object({
  name: z.string().min(1).max(120),
  criteria: z.array(ScorecardCriterion).min(1).max(30),
});
export type ScorecardInput = z.input<typeof ScorecardInput>;

export interface Scorecard {
  id: string;
  name: string;
  criteria: ScorecardCriterion[];
  updatedAt: string;
  updatedBy: string | null;
}

export const QaScoreRequest = z.object({
  scores: z.record(z.string(), z.number().int().min(0)),
  comment: z.string().max(5000).default(''),
});
export type QaScoreRequest = z.input<typeof QaScoreRequest>;

export const QaCommentRequest = z.object({
  seq: z.number().int().min(1),
  text: z.string().min(1).max(5000),
});
export type QaCommentRequest = z.infer<typeof QaCommentRequest>;

export interface QaScoreView {
  id: string;
  sessionId: string;
  agentId: string | null;
  reviewerId: string;
  reviewerName: string;
  scorecardId: string;
  /** Per criterion: the raw score given and its max. */
  scores: Record<string, { score: number; max: number; weight: number }>;
  /** Σ weight × score ÷ max, 0..100. */
  total: number;
  comment: string;
  createdAt: string;
}

export interface QaCommentView {
  id: string;
  sessionId: string;
  seq: number;
  authorId: string;
  authorName: string;
  text: string;
  createdAt: string;
}

export interface SessionQa {
  sessionId: string;
  scorecard: Scorecard;
  scores: QaScoreView[];
  comments: QaCommentView[];
}

/** CSV export views: `GET /api/analytics/export.csv?view=...` with the same filters as the JSON view. */
export const ExportView = z.enum(['team', 'agent', 'ai-queue', 'sessions']);
export type ExportView = z.infer<typeof ExportView>;
