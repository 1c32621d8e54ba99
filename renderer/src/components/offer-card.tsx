// An incoming offer: who is calling, from which queue and why the AI handed over, how long
// they have waited, and how long is left to answer. Accept/Decline carry their shortcuts.
import type { OfferView } from '../../../contracts/agent-channel';
import { useNow } from '../hooks/use-now';
import { SHORTCUTS } from '../hooks/use-shortcuts';
import { desk } from '../state/desk';
import { escalationReasonLabel, formatElapsed, offerCountdown, queueLabel } from '../state/format';

export function OfferCard({ offer }: { offer: OfferView }) {
  const now = useNow(250);
  const countdown = offerCountdown(offer.expiresAt, now);
  const who = offer.callerName ?? offer.callerId;
  return (
    <section
      className={`card offer-card${countdown.urgent ? ' offer-urgent' : ''}`}
      aria-labelledby={`offer-${offer.offerId}`}
    >
      <div className="offer-head">
        <span className="offer-pulse" aria-hidden="true" />
        <h2 id={`offer-${offer.offerId}`}>
          {offer.consultFrom ? `${offer.consultFrom} wants to consult you — ${who}` : `Incoming call — ${who}`}
        </h2>
        <span className="offer-countdown" aria-label={`${countdown.secondsLeft} seconds left to answer`}>
          {countdown.label}
        </span>
      </div>
      <dl className="offer-facts">
        <div>
          <dt>Caller</dt>
          <dd>
            {offer.callerName ?? 'Unknown name'} <span className="muted">{offer.callerId}</span>
          </dd>
        </div>
        <div>
          <dt>Queue</dt>
          <dd>{queueLabel(offer.queue)}</dd>
        </div>
        <div>
          <dt>Why a person</dt>
          <dd>{escalationReasonLabel(offer.reason)}</dd>
        </div>
        <div>
          <dt>Waiting</dt>
          <dd>{formatElapsed(offer.enqueuedAt, now)}</dd>
        </div>
        {offer.transferNote ? (
          <div className="offer-note">
            <dt>{offer.consultFrom ? 'Note' : 'Transfer note'}</dt>
            <dd>{offer.transferNote}</dd>
          </div>
        ) : null}
      </dl>
      <div className="offer-actions">
        <button
          type="button"
          className="btn btn-accept"
          onClick={() => void desk.accept(offer.offerId)}
          aria-keyshortcuts={`${SHORTCUTS.answer.aria} Control+Enter`}
          title={`Accept (${SHORTCUTS.answer.label} or Ctrl+Enter)`}
          disabled={countdown.expired}
        >
          Accept <kbd>{SHORTCUTS.answer.label}</kbd>
        </button>
        <button
          type="button"
          className="btn btn-decline"
          onClick={() => void desk.decline(offer.offerId)}
          aria-keyshortcuts={SHORTCUTS.decline.aria}
          title={`Decline (${SHORTCUTS.decline.label})`}
        >
          Decline <kbd>{SHORTCUTS.decline.label}</kbd>
        </button>
      </div>
    </section>
  );
}
