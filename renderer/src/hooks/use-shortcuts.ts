// Global call shortcuts (answer, decline, mute, hang up). Matched on `event.code` so Alt+A
// works on macOS too, where Alt turns the key into a special character. The same strings
// go into aria-keyshortcuts and tooltips so they are discoverable.
import { useEffect, useRef } from 'react';

export const SHORTCUTS = {
  answer: { code: 'KeyA', aria: 'Alt+A', label: 'Alt+A' },
  decline: { code: 'KeyD', aria: 'Alt+D', label: 'Alt+D' },
  mute: { code: 'KeyM', aria: 'Alt+M', label: 'Alt+M' },
  hold: { code: 'KeyO', aria: 'Alt+O', label: 'Alt+O' },
  hangUp: { code: 'KeyH', aria: 'Alt+H', label: 'Alt+H' },
  raiseHand: { code: 'KeyR', aria: 'Alt+R', label: 'Alt+R' },
} as const;

export type ShortcutName = keyof typeof SHORTCUTS;

export function useShortcuts(handlers: Partial<Record<ShortcutName, () => void>>): void {
  // A ref so the listener is attached once while handlers change every render.
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const answerByCtrlEnter = e.ctrlKey && !e.altKey && e.key === 'Enter';
      if (!answerByCtrlEnter && (!e.altKey || e.ctrlKey || e.metaKey)) return;
      for (const [name, spec] of Object.entries(SHORTCUTS) as Array<
        [ShortcutName, (typeof SHORTCUTS)[ShortcutName]]
      >) {
        const hit = answerByCtrlEnter ? name === 'answer' : e.code === spec.code;
        const handler = ref.current[name];
        if (hit && handler) {
          e.preventDefault();
          handler();
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
