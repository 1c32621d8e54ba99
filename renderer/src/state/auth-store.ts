// Who is signed in: the token (kept in memory; persisted by platform/token-storage) and the
// user's profile and role, which decide whether the admin screen shows.
import { create } from 'zustand';
import type { SignedInUser } from '../platform/token-storage';

export type AuthPhase = 'restoring' | 'signed_out' | 'signing_in' | 'signed_in';

export interface AuthStore {
  phase: AuthPhase;
  token: string | null;
  user: SignedInUser | null;
  /** Why the agent is on the sign-in screen again (bad password, expired session). */
  message: string | null;
  setSigningIn(): void;
  setSignedIn(token: string, user: SignedInUser): void;
  setSignedOut(message?: string | null): void;
}

export const useAuthStore = create<AuthStore>((set) => ({
  phase: 'restoring',
  token: null,
  user: null,
  message: null,
  setSigningIn: () => set({ phase: 'signing_in', message: null }),
  setSignedIn: (token, user) => set({ phase: 'signed_in', token, user, message: null }),
  setSignedOut: (message = null) => set({ phase: 'signed_out', token: null, user: null, message }),
}));
