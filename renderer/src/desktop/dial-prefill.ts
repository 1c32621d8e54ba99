// A number handed to the dial pad from outside (a switchboard://dial/+1555… link): the pad
// takes it when it is (or next is) on screen. The agent still presses Call.
import { create } from 'zustand';

export const useDialPrefill = create<{ phone: string | null }>(() => ({ phone: null }));

export function prefillDial(phone: string): void {
  useDialPrefill.setState({ phone });
}

/** The waiting number, once: the pad calls this when it shows it. */
export function takeDialPrefill(): string | null {
  const { phone } = useDialPrefill.getState();
  if (phone !== null) useDialPrefill.setState({ phone: null });
  return phone;
}
