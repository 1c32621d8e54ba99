// The app shell: sign-in until there is a token, then the top bar, connection banner,
// notices and the chosen screen (the desk, dashboards and review by role, users for admins,
// settings for everyone). In the desktop shell it also wires the preload API (tray,
// notifications, global shortcuts, deep links: desktop/desktop-integration.ts).
import { useEffect } from 'react';
import { ScreenView } from '../dashboards/screens';
import { startDesktopIntegration } from '../desktop/desktop-integration';
import { closeSettings, useSettingsNav } from '../desktop/settings-nav';
import { loadDevicePrefs } from '../settings/device-prefs';
import { SettingsScreen } from '../settings/settings-screen';
import { useAuthStore } from '../state/auth-store';
import { selectCurrentCall, useCallsStore } from '../state/calls-store';
import { restoreSession } from '../state/desk';
import { useOffersStore } from '../state/offers-store';
import { screensFor, useViewStore } from '../state/view-store';
import { ConnectionBanner } from './connection-banner';
import { LoginScreen } from './login-screen';
import { MissedOfferNotice } from './missed-offer-notice';
import { NoticeList } from './notice-list';
import { ShortcutSheet } from './shortcut-sheet';
import { TopBar } from './top-bar';

export function App() {
  const phase = useAuthStore((s) => s.phase);
  const role = useAuthStore((s) => s.user?.role);
  const chosen = useViewStore((s) => s.screen);
  const go = useViewStore((s) => s.go);
  const ringing = useOffersStore((s) => s.offers.length > 0);
  const onCall = useCallsStore((s) => selectCurrentCall(s) !== null);
  const settingsOpen = useSettingsNav((s) => s.open);
  const screen = screensFor(role).includes(chosen) ? chosen : 'desk';

  useEffect(() => {
    void restoreSession();
    void loadDevicePrefs();
    return startDesktopIntegration();
  }, []);

  // Settings is per visit: the next sign-in starts on the desk like the other screens.
  useEffect(() => {
    if (phase !== 'signed_in') closeSettings();
  }, [phase]);

  // Calls come first: a ringing offer brings the desk forward (the ring and the Accept
  // button live there) wherever the agent was reading.
  useEffect(() => {
    if (!ringing) return;
    closeSettings();
    go('desk');
  }, [ringing, go]);

  if (phase === 'restoring') return <p className="muted center">Loading…</p>;
  if (phase !== 'signed_in') return <LoginScreen />;
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <TopBar
        screen={screen}
        onScreen={(s) => {
          closeSettings();
          go(s);
        }}
        deskBusy={onCall && (settingsOpen || screen !== 'desk')}
      />
      <ConnectionBanner />
      <NoticeList />
      <MissedOfferNotice />
      <ShortcutSheet />
      {settingsOpen ? <SettingsScreen /> : <ScreenView screen={screen} />}
    </div>
  );
}
