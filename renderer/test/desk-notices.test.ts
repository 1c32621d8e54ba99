// What the desk tells the agent on its own: an offer that rings out sets the agent Away on
// the server, and the desk says so until acknowledged (or Available again); taken or
// withdrawn offers say nothing. A saved wrap-up is confirmed.
import { beforeEach, describe, expect, it } from 'vitest';
import { useAgentStore } from '../src/state/agent-store';
import { handleServerMessage } from '../src/state/desk';
import { wrapUpConfirmation } from '../src/state/wrap-up-confirmation';

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

describe('wrap-up confirmation', () => {
  it('names the disposition and the follow-up', () => {
    expect(wrapUpConfirmation('resolved', { kind: 'none' })).toBe('Wrap-up saved (resolved).');
    expect(wrapUpConfirmation('needs_follow_up', { kind: 'ticket', subject: 'Refund' })).toBe('Wrap-up saved (needs follow up). A ticket "Refund" was opened.');
    expect(wrapUpConfirmation('callback', { kind: 'callback', phone: '+15550100001' })).toContain('A callback to +15550100001 was scheduled.');
  });
});
