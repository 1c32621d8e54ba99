// The native notification for a ringing offer: what it says (within the contract's limits),
// and which notifications to show or take down when the ringing list changes.
import type { OfferView } from '../../../contracts/agent-channel';
import type { OfferNotice } from '../../../contracts/desktop-api';
import { escalationReasonLabel, queueLabel } from '../state/format';

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Null for an id main would refuse (over 100 characters): the offer card still rings. */
export function offerNotice(offer: OfferView): OfferNotice | null {
  if (offer.offerId.length === 0 || offer.offerId.length > 100) return null;
  const who = offer.callerName ? `${offer.callerName} (${offer.callerId})` : offer.callerId;
  const parts = [`${queueLabel(offer.queue)} queue`, escalationReasonLabel(offer.reason)];
  if (offer.transferNote) parts.push(`Note: ${offer.transferNote}`);
  return {
    offerId: offer.offerId,
    title: clip(`Incoming call — ${who}`, 120),
    body: clip(parts.join(' · '), 400),
  };
}

/** Offers that started ringing and offers that stopped, between two lists. */
export function offerChanges(
  before: readonly OfferView[],
  after: readonly OfferView[],
): { added: OfferView[]; removed: string[] } {
  const was = new Set(before.map((o) => o.offerId));
  const is = new Set(after.map((o) => o.offerId));
  return {
    added: after.filter((o) => !was.has(o.offerId)),
    removed: [...was].filter((id) => !is.has(id)),
  };
}
