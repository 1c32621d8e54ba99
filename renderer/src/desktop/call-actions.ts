// The call actions behind the shortcuts, read from the stores rather than from a mounted
// component, so the desktop's global shortcuts (and a notification's Accept button) do
// exactly what the in-app Alt+A / Alt+M / Alt+H do on the desk (desk-screen.tsx,
// call-controls.tsx), whichever screen is open or whether the window has focus at all.
import type { ShortcutAction } from '../../../contracts/desktop-api';
import { selectCurrentCall, useCallsStore } from '../state/calls-store';
import { desk } from '../state/desk';
import { useOffersStore } from '../state/offers-store';
import { useViewStore } from '../state/view-store';
import { closeSettings } from './settings-nav';

/** Accepts the oldest ringing offer (or the one named); false when nothing is ringing. */
export function answer(offerId?: string): boolean {
  const offers = useOffersStore.getState().offers;
  const offer = offerId ? offers.find((o) => o.offerId === offerId) : offers[0];
  if (!offer) return false;
  closeSettings();
  useViewStore.getState().go('desk');
  void desk.accept(offer.offerId);
  return true;
}

/** Toggles mute on the call in progress; false when no call is live. */
export function toggleMute(): boolean {
  const call = selectCurrentCall(useCallsStore.getState());
  if (!call || call.phase !== 'talking') return false;
  void desk.mute(call.sessionId, !call.muted);
  return true;
}

/** Hangs up the call in progress; false when no call is live. */
export function hangUp(): boolean {
  const call = selectCurrentCall(useCallsStore.getState());
  if (!call || call.phase !== 'talking') return false;
  void desk.hangUp(call.sessionId);
  return true;
}

export function runShortcut(action: ShortcutAction): boolean {
  switch (action) {
    case 'answer':
      return answer();
    case 'mute':
      return toggleMute();
    case 'hangUp':
      return hangUp();
    default:
      return false;
  }
}
