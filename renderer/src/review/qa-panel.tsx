// QA for one session: the scores already given (total and per criterion, by whom, with the
// reviewer's comment) and, for leads and admins, the scorecard form with a live total.
import { useState } from 'react';
import type { QaScoreView, SessionQa } from '../../../contracts/analytics-api';
import { qaPreview, qaProblem } from './qa-score';
import { formatDateTime } from '../state/format';

export function QaPanel({ qa, canScore, onScore }: { qa: SessionQa; canScore: boolean; onScore: (scores: Record<string, number>, comment: string) => Promise<string | null> }) {
  return (
    <section className="card qa" aria-labelledby="qa-title">
      <h2 id="qa-title">Quality review</h2>
      {qa.scores.length === 0 ? <p className="muted">Not scored yet.</p> : null}
      {qa.scores.map((s) => (
        <ScoreView key={s.id} score={s} labels={new Map(qa.scorecard.criteria.map((c) => [c.id, c.label]))} />
      ))}
      {canScore ? <ScoreForm qa={qa} onScore={onScore} /> : null}
    </section>
  );
}

function ScoreView({ score, labels }: { score: QaScoreView; labels: Map<string, string> }) {
  return (
    <article className="qa-score" aria-label={`Score ${score.total.toFixed(0)} out of 100 by ${score.reviewerName}`}>
      <p className="qa-total">
        <strong>{score.total.toFixed(0)}</strong>
        <span className="muted"> / 100</span>{' '}
        <span className="muted small">
          by {score.reviewerName}, {formatDateTime(score.createdAt)}
        </span>
      </p>
      <table className="table">
        <tbody>
          {Object.entries(score.scores).map(([id, s]) => (
            <tr key={id}>
              <th scope="row">{labels.get(id) ?? id}</th>
              <td className="num">
                {s.score} / {s.max}
              </td>
              <td className="num muted">weight {s.weight}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {score.comment ? <p className="qa-comment">{score.comment}</p> : null}
    </article>
  );
}

function ScoreForm({ qa, onScore }: { qa: SessionQa; onScore: (scores: Record<string, number>, comment: string) => Promise<string | null> }) {
  const criteria = qa.scorecard.criteria;
  const [scores, setScores] = useState<Record<string, number | undefined>>({});
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const p = qaProblem(criteria, scores);
    setProblem(p);
    if (p) return;
    setBusy(true);
    const error = await onScore(scores as Record<string, number>, comment);
    setBusy(false);
    setProblem(error);
    // The form keeps what was saved (its total stays on screen), so a correction is one change.
    if (!error) setSaved(true);
  };

  return (
    <form className="qa-form" onSubmit={submit} noValidate>
      <h3>Score on “{qa.scorecard.name}”</h3>
      {criteria.map((c) => (
        <label key={c.id} className="field qa-criterion">
          <span>
            {c.label} <span className="muted small">(weight {c.weight}, 0–{c.maxScore})</span>
          </span>
          {c.description ? <span className="muted small qa-desc">{c.description}</span> : null}
          <select
            value={scores[c.id] === undefined ? '' : String(scores[c.id])}
            onChange={(e) => {
              setSaved(false);
              setScores((s) => ({ ...s, [c.id]: e.target.value === '' ? undefined : Number(e.target.value) }));
            }}
          >
            <option value="">Choose…</option>
            {Array.from({ length: c.maxScore + 1 }, (_, i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label className="field">
        <span>Overall comment</span>
        <textarea
          rows={3}
          maxLength={5000}
          value={comment}
          onChange={(e) => {
            setSaved(false);
            setComment(e.target.value);
          }}
        />
      </label>
      <p className="qa-preview" aria-live="polite">
        {qaPreview(criteria, scores)}
      </p>
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
      {saved ? (
        <p className="form-ok" role="status">
          Score saved ({qaPreview(criteria, scores).replace('Total: ', '')}). The agent can see it in My sessions. Saving again adds another review.
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save score'}
      </button>
    </form>
  );
}
