// The missed-offer notice: an offer that rang out unanswered sets the agent Away on the
// server (so calls stop ringing at an empty desk). The agent sees why, and acknowledges it,
// either going Available again or staying Away.
import { useAgentStore } from '../state/agent-store';
import { desk } from '../state/desk';
import { formatTime } from '../state/format';

export function MissedOfferNotice() {
  const at = useAgentStore((s) => s.missedOfferAt);
  const presence = useAgentStore((s) => s.presence);
  const acknowledge = useAgentStore((s) => s.setMissedOffer);
  if (!at) return null;
  return (
    <div className="notice notice-error missed-offer" role="alertdialog" aria-labelledby="missed-offer-text">
      <span id="missed-offer-text">
        You missed a call offer at {formatTime(at)}: it rang out, so your status {presence === 'away' ? 'is now' : 'was set to'} Away.
      </span>
      <button
        type="button"
        className="btn btn-primary btn-small"
        onClick={() => {
          acknowledge(null);
          void desk.setPresence('available');
        }}
      >
        I’m back — go Available
      </button>
      <button type="button" className="btn btn-ghost btn-small" onClick={() => acknowledge(null)}>
        OK, stay Away
      </button>
    </div>
  );
}
