// A warm transfer in progress, from this desk's side. The agent who asked can complete the
// transfer (the caller goes to the colleague), join all three in a conference, or cancel
// (the caller is back with them); the consulted colleague can leave.
import type { ConsultView } from '../../../contracts/agent-channel';
import { useNow } from '../hooks/use-now';
import { desk } from '../state/desk';
import { offerCountdown } from '../state/format';

export function ConsultBar({ sessionId, consult }: { sessionId: string; consult: ConsultView }) {
  const now = useNow(500);
  const other = consult.otherAgentName;
  const ringing = consult.phase === 'ringing';
  const words =
    consult.role === 'from'
      ? {
          ringing: `Calling ${other}… The caller is on hold.`,
          talking: `Talking with ${other}. The caller is on hold and cannot hear you.`,
          conference: `Conference: you, ${other} and the caller all hear each other.`,
        }[consult.phase]
      : {
          ringing: '',
          talking: `${other} is consulting you about this call. The caller is on hold and cannot hear you.`,
          conference: `Conference with ${other} and the caller.`,
        }[consult.phase];
  return (
    <div className="consult-bar" role="region" aria-label="Consultation">
      <p className="consult-status" role="status">
        {words}
        {ringing && consult.expiresAt ? ` ${offerCountdown(consult.expiresAt, now).label}` : ''}
      </p>
      <div className="controls-row">
        {consult.role === 'from' ? (
          <>
            <button type="button" className="btn btn-primary" disabled={ringing} onClick={() => void desk.completeConsult(sessionId)}>
              Complete transfer
            </button>
            {consult.phase === 'talking' ? (
              <button type="button" className="btn" onClick={() => void desk.conference(sessionId)}>
                Conference all three
              </button>
            ) : null}
            <button type="button" className="btn btn-ghost" onClick={() => void desk.cancelConsult(sessionId)}>
              {consult.phase === 'conference' ? `End conference (${other} leaves)` : 'Cancel — back to the caller'}
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-ghost" onClick={() => void desk.cancelConsult(sessionId)}>
            Leave consultation
          </button>
        )}
      </div>
    </div>
  );
}
