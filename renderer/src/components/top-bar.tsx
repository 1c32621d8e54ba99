// The header: brand, presence, the screens this role may open, theme and sign-out.
import { useAuthStore } from '../state/auth-store';
import { signOut } from '../state/desk';
import { PresenceSwitch } from './presence-switch';
import { ThemeToggle } from './theme-toggle';

export type Screen = 'desk' | 'admin';

export function TopBar({ screen, onScreen }: { screen: Screen; onScreen: (s: Screen) => void }) {
  const user = useAuthStore((s) => s.user);
  return (
    <header className="top-bar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◎
        </span>{' '}
        Switchboard
      </div>
      <nav aria-label="Screens" className="nav">
        <button
          type="button"
          className="nav-tab"
          aria-current={screen === 'desk' ? 'page' : undefined}
          onClick={() => onScreen('desk')}
        >
          Desk
        </button>
        {user?.role === 'admin' ? (
          <button
            type="button"
            className="nav-tab"
            aria-current={screen === 'admin' ? 'page' : undefined}
            onClick={() => onScreen('admin')}
          >
            Users
          </button>
        ) : null}
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
