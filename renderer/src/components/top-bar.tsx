// The header: brand, presence, the screens this role may open (view-store.ts), Settings
// (everyone), theme and sign-out.
import { openSettings, useSettingsNav } from '../desktop/settings-nav';
import { useAuthStore } from '../state/auth-store';
import { screenLabels, screensFor, type Screen } from '../state/view-store';
import { signOut } from '../state/desk';
import { PresenceSwitch } from './presence-switch';
import { ThemeToggle } from './theme-toggle';

export type { Screen };

export function TopBar({
  screen,
  onScreen,
  deskBusy = false,
}: {
  screen: Screen;
  onScreen: (s: Screen) => void;
  /** A call is open on the desk while another screen is shown. */
  deskBusy?: boolean;
}) {
  const user = useAuthStore((s) => s.user);
  const settingsOpen = useSettingsNav((s) => s.open);
  return (
    <header className="top-bar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◎
        </span>{' '}
        Switchboard
      </div>
      <nav aria-label="Screens" className="nav">
        {screensFor(user?.role).map((s) => (
          <button
            key={s}
            type="button"
            className="nav-tab"
            aria-current={!settingsOpen && screen === s ? 'page' : undefined}
            onClick={() => onScreen(s)}
          >
            {screenLabels[s]}
            {s === 'desk' && deskBusy ? (
              <span className="nav-dot" role="img" aria-label="(call in progress)" />
            ) : null}
          </button>
        ))}
        <button
          type="button"
          className="nav-tab"
          aria-current={settingsOpen ? 'page' : undefined}
          onClick={openSettings}
        >
          Settings
        </button>
      </nav>
      <div className="top-bar-right">
        <PresenceSwitch />
        <ThemeToggle />
        <span className="user-name" title={user?.email}>
          {user?.name}
        </span>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
