// An offer that rings out sets the agent Away on the server; the desk says so until the
// agent acknowledges it (or goes Available again). Taken or withdrawn offers say nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import { useAgentStore } from '../src/state/agent-store';
import { handleServerMessage } from '../src/state/desk';

beforeEach(() => useAgentStore.getState().reset());

describe('missed offer', () => {
  it('shows a notice for an offer that rang out, until acknowledged or available again', () => {
    handleServerMessage({ type: 'offer.revoked', offerId: 'o1', reason: 'taken' });
    expect(useAgentStore.getState().missedOfferAt).toBeNull();
    handleServerMessage({ type: 'offer.revoked', offerId: 'o2', reason: 'expired' });
    handleServerMessage({ type: 'presence', presence: 'away' });
    expect(useAgentStore.getState().missedOfferAt).not.toBeNull();
    expect(useAgentStore.getState().presence).toBe('away');
    useAgentStore.getState().setMissedOffer(null);
    expect(useAgentStore.getState().missedOfferAt).toBeNull();

    handleServerMessage({ type: 'offer.revoked', offerId: 'o3', reason: 'expired' });
    handleServerMessage({ type: 'presence', presence: 'available' });
    expect(useAgentStore.getState().missedOfferAt).toBeNull();
  });
});
