// The agent's main screen: the call on screen if there is one, else the idle view with
// the outbound dial pad; incoming offers on top either way, with the ring while any rings.
import { useEffect } from 'react';
import { useShortcuts } from '../hooks/use-shortcuts';
import { useAgentStore } from '../state/agent-store';
import { selectCurrentCall, useCallsStore } from '../state/calls-store';
import { desk, setRinging } from '../state/desk';
import { useOffersStore } from '../state/offers-store';
import { CallWorkspace } from './call-workspace';
import { DialPad } from './dial-pad';
import { OfferCard } from './offer-card';
import { QueueFigures } from './queue-figures';

export function DeskScreen() {
  const offers = useOffersStore((s) => s.offers);
  const call = useCallsStore(selectCurrentCall);
  const presence = useAgentStore((s) => s.presence);
  const agentName = useAgentStore((s) => s.agent?.name);
  const connected = useAgentStore((s) => s.channel.state === 'open');
  const first = offers[0];

  useEffect(() => {
    setRinging(offers.length > 0);
    return () => setRinging(false);
  }, [offers.length]);

  useShortcuts(
    first
      ? {
          answer: () => void desk.accept(first.offerId),
          decline: () => void desk.decline(first.offerId),
        }
      : {},
  );

  return (
    <main className="desk" id="main">
      <div className="offers" aria-live="assertive" aria-relevant="additions">
        {offers.map((o) => (
          <OfferCard key={o.offerId} offer={o} />
        ))}
      </div>
      {call ? (
        <CallWorkspace call={call} />
      ) : (
        <div className="idle">
          <div className="idle-head">
            <QueueFigures />
          </div>
          <section className="card idle-status">
            <h1>{agentName ? `Hello, ${agentName}` : 'Your desk'}</h1>
            <p className="muted">
              {!connected
                ? 'Waiting for the connection to the server…'
                : presence === 'available'
                  ? 'You are available. Calls will ring here.'
                  : 'Set your status to Available to receive calls.'}
            </p>
          </section>
          <DialPad disabled={!connected} />
        </div>
      )}
    </main>
  );
}
