// Offers ringing at this desk right now, oldest first. An offer leaves when accepted,
// declined, revoked by the server, or past its expiry.
import { create } from 'zustand';
import type { OfferView } from '../../../contracts/agent-channel';

export interface OffersStore {
  offers: OfferView[];
  add(offer: OfferView): void;
  remove(offerId: string): void;
  reset(): void;
}

export const useOffersStore = create<OffersStore>((set) => ({
  offers: [],
  add: (offer) => set((s) => ({ offers: [...s.offers.filter((o) => o.offerId !== offer.offerId), offer] })),
  remove: (offerId) =>
    set((s) =>
      s.offers.some((o) => o.offerId === offerId)
        ? { offers: s.offers.filter((o) => o.offerId !== offerId) }
        : s,
    ),
  reset: () => set({ offers: [] }),
}));
