// QA review: the active scorecard (a default in code until an admin replaces it), scores a
// reviewer gives a session, and comments pinned to transcript lines by event seq. A score's
// total is Σ weight × score ÷ maxScore over the criteria (weights sum to 100, so 0..100); it is
// filed under the agent who handled the session (the last agent leg) and the day the session
// started, which is how it reaches the dashboards.
import { randomUUID } from 'node:crypto';
import type { QaCommentView, QaScoreView, Scorecard, ScorecardCriterion, SessionQa } from '../../../contracts/analytics-api';
import { ScorecardInput } from '../../../contracts/analytics-api';
import type { SwitchboardDb } from '../store/database';
import { all, run } from './ingest';

export const DEFAULT_SCORECARD: Scorecard = {
  id: 'default',
  name: 'Standard call review',
  updatedAt: '1970-01-01T00:00:00.000Z',
  updatedBy: null,
  criteria: [
    { id: 'greeting', label: 'Greeting and ownership', description: 'Introduced themselves and took ownership of the request.', weight: 10, maxScore: 5 },
    { id: 'verification', label: 'Identity verification', description: 'Verified the caller before discussing account details.', weight: 20, maxScore: 5 },
    { id: 'resolution', label: 'Resolution', description: 'Solved the problem or set a clear next step.', weight: 35, maxScore: 5 },
    { id: 'empathy', label: 'Empathy and tone', description: 'Acknowledged the caller and kept a calm, friendly tone.', weight: 20, maxScore: 5 },
    { id: 'wrap_up', label: 'Wrap-up accuracy', description: 'Disposition and notes match what happened.', weight: 15, maxScore: 5 },
  ],
};

export type ScorecardCheck = { ok: true; scorecard: Omit<Scorecard, 'id' | 'updatedAt' | 'updatedBy'> } | { ok: false; message: string };

/** Validates a scorecard: shape, unique criterion ids, and weights summing to exactly 100. */
export function checkScorecard(input: unknown): ScorecardCheck {
  const parsed = ScorecardInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `Scorecard field ${issue?.path.join('.') || '(body)'} is not valid: ${issue?.message}.` };
  }
  const ids = parsed.data.criteria.map((c) => c.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) return { ok: false, message: `Criterion id "${dup}" appears twice; ids must be unique.` };
  const total = parsed.data.criteria.reduce((s, c) => s + c.weight, 0);
  if (Math.abs(total - 100) > 1e-6) {
    return { ok: false, message: `Criterion weights must sum to 100 (percentage points); these sum to ${Math.round(total * 1000) / 1000}.` };
  }
  return { ok: true, scorecard: parsed.data };
}

export type ScoreCheck = { ok: true; total: number; scores: QaScoreView['scores'] } | { ok: false; message: string };

export function checkScores(card: Scorecard, scores: Record<string, number>): ScoreCheck {
  const byId = new Map(card.criteria.map((c) => [c.id, c]));
  for (const id of Object.keys(scores)) {
    if (!byId.has(id)) return { ok: false, message: `Unknown criterion "${id}"; the scorecard has ${[...byId.keys()].join(', ')}.` };
  }
  const out: QaScoreView['scores'] = {};
  let total = 0;
  for (const c of card.criteria) {
    const score = scores[c.id];
    if (score === undefined) return { ok: false, message: `Score the criterion "${c.id}" (0..${c.maxScore}).` };
    if (!Number.isInteger(score) || score < 0 || score > c.maxScore) return { ok: false, message: `Criterion "${c.id}" takes a whole score 0..${c.maxScore}, got ${score}.` };
    out[c.id] = { score, max: c.maxScore, weight: c.weight };
    total += (c.weight * score) / c.maxScore;
  }
  return { ok: true, total: Math.round(total * 100) / 100, scores: out };
}

export class QaReviews {
  readonly #db: SwitchboardDb;

  constructor(db: SwitchboardDb) {
    this.#db = db;
  }

  async scorecard(): Promise<Scorecard> {
    const [row] = await all<{ id: string; name: string; criteria: string; updated_at: string; updated_by: string | null }>(this.#db, 'select * from qa_scorecards where active = 1 order by updated_at desc limit 1');
    if (!row) return DEFAULT_SCORECARD;
    return { id: row.id, name: row.name, criteria: JSON.parse(row.criteria) as ScorecardCriterion[], updatedAt: row.updated_at, updatedBy: row.updated_by };
  }

  /** Replaces the active scorecard; past scores keep the criteria they were given against. */
  async replaceScorecard(card: Omit<Scorecard, 'id' | 'updatedAt' | 'updatedBy'>, by: string): Promise<Scorecard> {
    const saved: Scorecard = { ...card, id: randomUUID(), updatedAt: new Date().toISOString(), updatedBy: by };
    await this.#db.transaction().execute(async (trx) => {
      await run(trx, 'update qa_scorecards set active = 0');
      await run(trx, 'insert into qa_scorecards (id, name, criteria, active, updated_at, updated_by) values (?, ?, ?, 1, ?, ?)', [saved.id, saved.name, JSON.stringify(saved.criteria), saved.updatedAt, by]);
    });
    return saved;
  }

  async addScore(input: { sessionId: string; agentId: string | null; team: string | null; day: string; reviewerId: string; scorecardId: string; scores: QaScoreView['scores']; total: number; comment: string }): Promise<string> {
    const id = randomUUID();
    await run(this.#db, 'insert into qa_scores (id, session_id, agent_id, team, day, reviewer_id, scorecard_id, scores, total, comment, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      id, input.sessionId, input.agentId, input.team, input.day, input.reviewerId, input.scorecardId, JSON.stringify(input.scores), input.total, input.comment, new Date().toISOString(),
    ]);
    return id;
  }

  async addComment(sessionId: string, seq: number, authorId: string, text: string): Promise<string> {
    const id = randomUUID();
    await run(this.#db, 'insert into qa_comments (id, session_id, seq, author_id, text, created_at) values (?, ?, ?, ?, ?, ?)', [id, sessionId, seq, authorId, text, new Date().toISOString()]);
    return id;
  }

  async forSession(sessionId: string): Promise<SessionQa> {
    const scores = await all<{ id: string; session_id: string; agent_id: string | null; reviewer_id: string; reviewer_name: string | null; scorecard_id: string; scores: string; total: number; comment: string; created_at: string }>(
      this.#db,
      'select q.*, u.name as reviewer_name from qa_scores q left join users u on u.id = q.reviewer_id where q.session_id = ? order by q.created_at',
      [sessionId],
    );
    const comments = await all<{ id: string; session_id: string; seq: number; author_id: string; author_name: string | null; text: string; created_at: string }>(
      this.#db,
      'select c.*, u.name as author_name from qa_comments c left join users u on u.id = c.author_id where c.session_id = ? order by c.seq, c.created_at',
      [sessionId],
    );
    return {
      sessionId,
      scorecard: await this.scorecard(),
      scores: scores.map((s): QaScoreView => ({
        id: s.id, sessionId: s.session_id, agentId: s.agent_id, reviewerId: s.reviewer_id, reviewerName: s.reviewer_name ?? s.reviewer_id,
        scorecardId: s.scorecard_id, scores: JSON.parse(s.scores) as QaScoreView['scores'], total: s.total, comment: s.comment, createdAt: s.created_at,
      })),
      comments: comments.map((c): QaCommentView => ({
        id: c.id, sessionId: c.session_id, seq: c.seq, authorId: c.author_id, authorName: c.author_name ?? c.author_id, text: c.text, createdAt: c.created_at,
      })),
    };
  }
}
