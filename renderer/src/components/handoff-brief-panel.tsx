// The handoff brief: what the agent needs before saying a word — who is calling (and if
// the AI verified them), what they want, what the AI already did, why it handed over, how
// the caller feels and any flags.
import type { HandoffBriefView } from '../../../contracts/agent-channel';
import { escalationReasonLabel, queueLabel } from '../state/format';

const moodWords: Record<HandoffBriefView['mood'], string> = {
  upset: 'Upset',
  negative: 'Unhappy',
  neutral: 'Neutral',
  positive: 'Positive',
};
const trendWords: Record<HandoffBriefView['moodTrend'], string> = {
  improving: '↗ improving',
  steady: '→ steady',
  worsening: '↘ worsening',
};

export function HandoffBriefPanel({ brief }: { brief: HandoffBriefView }) {
  const { caller } = brief;
  return (
    <section className="card brief" aria-labelledby="brief-title">
      <h2 id="brief-title">Handoff brief</h2>
      <div className="brief-caller">
        <strong className="brief-name">{caller.name ?? 'Unknown caller'}</strong>
        {caller.name && !caller.nameVerified ? (
          <span className="muted small">(name as given, not from the CRM)</span>
        ) : null}
        {caller.verified ? (
          <span
            className="badge badge-ok"
            title={
              caller.verificationMethod
                ? `Verified by ${caller.verificationMethod === 'dob' ? 'date of birth' : 'ZIP code'}`
                : 'Verified'
            }
          >
            ✓ Verified
          </span>
        ) : (
          <span className="badge badge-warn">Not verified</span>
        )}
        {caller.tier ? <span className="badge">{caller.tier}</span> : null}
        <span className="muted">{caller.phone}</span>
      </div>
      {caller.candidateMatch ? (
        <p className="muted small" data-testid="candidate-match">
          Candidate match in the CRM: {caller.candidateMatch.name ?? 'no name given'} (as given),{' '}
          {caller.candidateMatch.phone}. The record opens once the caller is verified.
        </p>
      ) : null}
      <dl className="brief-facts">
        <dt>Wants</dt>
        <dd>{brief.wants || '—'}</dd>
        {brief.escalation ? (
          <>
            <dt>Why you</dt>
            <dd>
              {escalationReasonLabel(brief.escalation.reason)} · {queueLabel(brief.escalation.queue)}
              {brief.escalation.detail ? <span className="muted"> — {brief.escalation.detail}</span> : null}
            </dd>
          </>
        ) : null}
        <dt>Mood</dt>
        <dd>
          <span className={`mood mood-${brief.mood}`}>{moodWords[brief.mood]}</span>{' '}
          <span className="muted">{trendWords[brief.moodTrend]}</span>
        </dd>
      </dl>
      {brief.aiActions.length > 0 ? (
        <>
          <h3>What the AI did</h3>
          <ul className="brief-actions">
            {brief.aiActions.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ul>
        </>
      ) : null}
      {brief.flags.length > 0 ? (
        <ul className="brief-flags" aria-label="Flags">
          {brief.flags.map((f) => (
            <li key={f} className="badge badge-danger">
              {f}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
