// The app shell: sign-in until there is a token, then the top bar, connection banner,
// notices and the chosen screen (the desk, or users for admins).
import { useEffect, useState } from 'react';
import { useAuthStore } from '../state/auth-store';
import { restoreSession } from '../state/desk';
import { AdminScreen } from './admin-screen';
import { ConnectionBanner } from './connection-banner';
import { DeskScreen } from './desk-screen';
import { LoginScreen } from './login-screen';
import { NoticeList } from './notice-list';
import { TopBar, type Screen } from './top-bar';

export function App() {
  const phase = useAuthStore((s) => s.phase);
  const role = useAuthStore((s) => s.user?.role);
  const [screen, setScreen] = useState<Screen>('desk');

  useEffect(() => {
    void restoreSession();
  }, []);

  if (phase === 'restoring') return <p className="muted center">Loading…</p>;
  if (phase !== 'signed_in') return <LoginScreen />;
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <TopBar screen={screen} onScreen={setScreen} />
      <ConnectionBanner />
      <NoticeList />
      {screen === 'admin' && role === 'admin' ? <AdminScreen /> : <DeskScreen />}
    </div>
  );
}
