// Connects the app to the desktop shell's preload API (window.switchboard) when it is there:
//   presence → tray icon, and the tray's presence menu → the backend
//   ringing offers → native notifications (taken down when the offer stops ringing); the
//     notification's Accept → accept that offer, a click → bring the desk forward
//   global shortcuts from main → the same actions as the in-app shortcuts (call-actions.ts)
//   switchboard:// links → review or dial pad (deep-links.ts), kept until sign-in
//   settings and update status pushed by main → the Settings screen's store
// In a plain browser it does nothing. Returns the function that undoes it all.
import type { OfferView } from '../../../contracts/agent-channel';
import type { SwitchboardDesktopApi, TrayPresence } from '../../../contracts/desktop-api';
import { desktopBridge } from '../platform/desktop-bridge';
import { loadDesktopSettings, useDesktopSettings } from '../settings/settings-store';
import { useAgentStore } from '../state/agent-store';
import { useAuthStore } from '../state/auth-store';
import { desk } from '../state/desk';
import { useOffersStore } from '../state/offers-store';
import { useViewStore } from '../state/view-store';
import { answer, runShortcut } from './call-actions';
import { flushPendingDeepLink, handleDeepLink } from './deep-links';
import { offerChanges, offerNotice } from './offer-notice';
import { closeSettings } from './settings-nav';

const quietly = (p: Promise<unknown>) => void p.catch(() => undefined);

export function startDesktopIntegration(
  bridge: SwitchboardDesktopApi | undefined = desktopBridge(),
): () => void {
  if (!bridge) return () => undefined;
  const undo: Array<() => void> = [];
  const signedIn = () => useAuthStore.getState().phase === 'signed_in';

  // Presence → tray, only when it changes.
  let trayPresence: TrayPresence | null = null;
  const showPresence = (p: TrayPresence) => {
    if (p === trayPresence) return;
    trayPresence = p;
    quietly(bridge.presence.set(p));
  };
  showPresence(useAgentStore.getState().presence);
  undo.push(useAgentStore.subscribe((s) => showPresence(s.presence)));
  undo.push(
    bridge.presence.onRequested((p) => {
      if (!signedIn()) return;
      const agent = useAgentStore.getState();
      if (agent.channel.state !== 'open') {
        agent.notify(
          'error',
          'Not connected to the server, so your status was not changed. Try again when connected.',
        );
        return;
      }
      if (agent.presence === 'on_call' || agent.presence === 'wrap_up') return;
      void desk.setPresence(p);
    }),
  );

  // Offers → notifications.
  const notified = new Set<string>();
  const notify = (o: OfferView) => {
    const notice = offerNotice(o);
    if (!notice) return;
    notified.add(o.offerId);
    quietly(bridge.offers.notify(notice));
  };
  let ringing = useOffersStore.getState().offers;
  ringing.forEach(notify);
  undo.push(
    useOffersStore.subscribe((s) => {
      const { added, removed } = offerChanges(ringing, s.offers);
      ringing = s.offers;
      for (const id of removed) {
        if (notified.delete(id)) quietly(bridge.offers.dismiss(id));
      }
      added.forEach(notify);
    }),
  );
  undo.push(
    bridge.offers.onAction(({ offerId, action }) => {
      if (!signedIn()) return;
      if (action === 'accept') {
        if (!answer(offerId)) useAgentStore.getState().notify('info', 'That call is no longer ringing.');
        return;
      }
      closeSettings();
      useViewStore.getState().go('desk');
    }),
  );

  // Global shortcuts → the in-app actions.
  undo.push(
    bridge.onShortcut((action) => {
      if (signedIn()) runShortcut(action);
    }),
  );

  // Deep links, now or after sign-in.
  const role = () => (signedIn() ? useAuthStore.getState().user?.role : undefined);
  undo.push(bridge.onDeepLink((link) => void handleDeepLink(link, role())));
  flushPendingDeepLink(role());
  undo.push(
    useAuthStore.subscribe((s, prev) => {
      if (s.phase === 'signed_in' && prev.phase !== 'signed_in') flushPendingDeepLink(s.user?.role);
    }),
  );

  // Settings and updates pushed by main.
  void loadDesktopSettings(bridge);
  undo.push(bridge.settings.onChanged((view) => useDesktopSettings.getState().setView(view)));
  undo.push(bridge.updates.onStatus((status) => useDesktopSettings.getState().setUpdate(status)));

  return () => {
    for (const u of undo.splice(0)) u();
  };
}
