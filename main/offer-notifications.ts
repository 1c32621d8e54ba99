// A native notification when a call is offered, even when the window is hidden: clicking it
// brings the window forward; its Accept button (where the OS supports actions) accepts the
// offer through the app, which owns the connection to the backend.
import { OfferNotice, type OfferAction } from '../contracts/desktop-api';
import type { NotificationLike, NotificationOptions } from './electron-facade';

export interface OfferNotifications {
  notify(offer: unknown): void;
  dismiss(offerId: string): void;
  dismissAll(): void;
}

export function offerNotificationOptions(offer: { title: string; body: string }): NotificationOptions {
  return {
    title: offer.title,
    body: offer.body || 'Incoming call — open Switchboard to accept.',
    silent: true, // the app rings on the agent's chosen ringtone device
    urgency: 'critical',
    timeoutType: 'never',
    actions: [{ type: 'button', text: 'Accept' }],
  };
}

export function setupOfferNotifications(deps: {
  supported: () => boolean;
  create: (options: NotificationOptions) => NotificationLike;
  focusWindow: () => void;
  emit: (action: OfferAction) => void;
}): OfferNotifications {
  const open = new Map<string, NotificationLike>();
  const dismiss = (offerId: string) => {
    open.get(offerId)?.close();
    open.delete(offerId);
  };
  return {
    notify(raw) {
      const offer = OfferNotice.parse(raw);
      if (!deps.supported()) {
        deps.focusWindow();
        return;
      }
      dismiss(offer.offerId);
      const n = deps.create(offerNotificationOptions(offer));
      n.on('click', () => {
        deps.focusWindow();
        deps.emit({ offerId: offer.offerId, action: 'open' });
      });
      n.on('action', (_event, index) => {
        if (index !== 0) return;
        deps.focusWindow();
        deps.emit({ offerId: offer.offerId, action: 'accept' });
      });
      n.on('close', () => open.delete(offer.offerId));
      open.set(offer.offerId, n);
      n.show();
    },
    dismiss,
    dismissAll: () => [...open.keys()].forEach(dismiss),
  };
}
