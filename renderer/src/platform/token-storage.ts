// Where the bearer token lives between reloads: the desktop's secure storage when the
// preload offers it, else this tab's sessionStorage (gone when the tab closes, never shared
// with other tabs). The signed-in user's profile is not secret and stays in sessionStorage.
import type { LoginResponse } from '../../../contracts/api';
import { desktopBridge } from './desktop-bridge';

const TOKEN_KEY = 'switchboard.token';
const USER_KEY = 'switchboard.user';

export type SignedInUser = LoginResponse['user'];

export async function saveSession(token: string, user: SignedInUser): Promise<void> {
  const tokens = desktopBridge()?.tokens;
  if (tokens) await tokens.set(token);
  else safeSession()?.setItem(TOKEN_KEY, token);
  safeSession()?.setItem(USER_KEY, JSON.stringify(user));
}

export async function loadSession(): Promise<{ token: string; user: SignedInUser } | null> {
  const tokens = desktopBridge()?.tokens;
  const token = tokens ? await tokens.get().catch(() => null) : (safeSession()?.getItem(TOKEN_KEY) ?? null);
  const rawUser = safeSession()?.getItem(USER_KEY);
  if (!token || !rawUser) return null;
  try {
    return { token, user: JSON.parse(rawUser) as SignedInUser };
  } catch {
    return null;
  }
}

export async function clearSession(): Promise<void> {
  const tokens = desktopBridge()?.tokens;
  if (tokens) await tokens.clear().catch(() => undefined);
  safeSession()?.removeItem(TOKEN_KEY);
  safeSession()?.removeItem(USER_KEY);
}

// Storage can throw in locked-down browsers; the app still works, only without reload survival.
function safeSession(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
