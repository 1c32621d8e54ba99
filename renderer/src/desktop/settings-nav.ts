// Whether the Settings screen is open. Kept beside the view store rather than in it: Settings
// is for every role and sits outside the role's screen list, and whatever opens another
// screen (a tab, a ringing offer, a deep link) closes it.
import { create } from 'zustand';

export const useSettingsNav = create<{ open: boolean }>(() => ({ open: false }));

export function openSettings(): void {
  useSettingsNav.setState({ open: true });
}

export function closeSettings(): void {
  if (useSettingsNav.getState().open) useSettingsNav.setState({ open: false });
}
