// The settings screen's view of global shortcuts: labels, per-action problems and the normal
// form, over the rule main applies (contracts/shortcut-rules.ts). Main stays the authority:
// it re-checks every binding and refuses to register what it does not accept.
import type { ShortcutAction, ShortcutBindings } from '../../../contracts/desktop-api';
import { validateAccelerator, type AcceleratorCheck } from '../../../contracts/shortcut-rules';

export { validateAccelerator, type AcceleratorCheck };

export const SHORTCUT_ACTIONS: readonly ShortcutAction[] = ['answer', 'mute', 'hangUp'];

export const shortcutActionLabels: Record<ShortcutAction, string> = {
  answer: 'Answer',
  mute: 'Mute / unmute',
  hangUp: 'Hang up',
};

/** Per-action problems (empty when all three are fine), including two actions sharing a chord. */
export function bindingProblems(bindings: ShortcutBindings): Partial<Record<ShortcutAction, string>> {
  const problems: Partial<Record<ShortcutAction, string>> = {};
  const seen = new Map<string, ShortcutAction>();
  for (const action of SHORTCUT_ACTIONS) {
    const r = validateAccelerator(bindings[action]);
    if (!r.ok) {
      problems[action] = r.message;
      continue;
    }
    const other = seen.get(r.accelerator.toLowerCase());
    if (other) problems[action] = `Same shortcut as ${shortcutActionLabels[other].toLowerCase()}.`;
    seen.set(r.accelerator.toLowerCase(), action);
  }
  return problems;
}

/** The bindings in main's normal form ("CmdOrCtrl+Alt+Shift+A"), or null if any is invalid. */
export function normaliseBindings(bindings: ShortcutBindings): ShortcutBindings | null {
  if (Object.keys(bindingProblems(bindings)).length > 0) return null;
  const out = {} as ShortcutBindings;
  for (const action of SHORTCUT_ACTIONS) {
    const r = validateAccelerator(bindings[action]);
    if (!r.ok) return null;
    out[action] = r.accelerator;
  }
  return out;
}

/** How a binding reads for people: "Ctrl+Alt+Shift+A" (Windows/Linux) or "⌘⌥⇧A" style words on macOS. */
export function shortcutLabel(accelerator: string, mac: boolean): string {
  return accelerator
    .split('+')
    .map((p) => {
      const k = p.toLowerCase();
      if (k === 'commandorcontrol' || k === 'cmdorctrl') return mac ? 'Cmd' : 'Ctrl';
      if (k === 'command') return 'Cmd';
      if (k === 'control') return 'Ctrl';
      if (k === 'option') return 'Alt';
      return p;
    })
    .join('+');
}
