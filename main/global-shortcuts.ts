// System-wide shortcuts for answer, mute and hang up. Configurable, but never one of the keys
// people use everywhere (copy, paste, undo, save, refresh, close, quit…): a global shortcut
// takes the key away from every other application while the app runs.
import { ShortcutAction, type ShortcutBindings } from '../contracts/desktop-api';
import { validateAccelerator } from '../contracts/shortcut-rules';
import type { GlobalShortcutLike } from './electron-facade';

export { validateAccelerator };

/** Checks all three bindings, including that no two share a chord. */
export function validateBindings(bindings: ShortcutBindings): { ok: true; bindings: ShortcutBindings } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const out: Partial<ShortcutBindings> = {};
  const seen = new Map<string, string>();
  for (const action of ShortcutAction.options) {
    const r = validateAccelerator(bindings[action]);
    if (!r.ok) {
      problems.push(`${action}: ${r.message}`);
      continue;
    }
    const other = seen.get(r.accelerator.toLowerCase());
    if (other) problems.push(`${action}: same shortcut as ${other}.`);
    seen.set(r.accelerator.toLowerCase(), action);
    out[action] = r.accelerator;
  }
  return problems.length ? { ok: false, problems } : { ok: true, bindings: out as ShortcutBindings };
}

export interface GlobalShortcuts {
  /** Re-registers from settings; returns what could not be registered (another app holds it). */
  apply(input: { enabled: boolean; bindings: ShortcutBindings }): string[];
  dispose(): void;
}

export function setupGlobalShortcuts(deps: { globalShortcut: GlobalShortcutLike; onAction: (action: ShortcutAction) => void; log: (line: string) => void }): GlobalShortcuts {
  let registered: string[] = [];
  const clear = () => {
    for (const a of registered) deps.globalShortcut.unregister(a);
    registered = [];
  };
  return {
    apply({ enabled, bindings }) {
      clear();
      if (!enabled) return [];
      const checked = validateBindings(bindings);
      if (!checked.ok) {
        for (const p of checked.problems) deps.log(`shortcuts not registered: ${p}`);
        return checked.problems;
      }
      const problems: string[] = [];
      for (const action of ShortcutAction.options) {
        const accelerator = checked.bindings[action];
        if (deps.globalShortcut.register(accelerator, () => deps.onAction(action))) registered.push(accelerator);
        else problems.push(`${action}: ${accelerator} is already taken by another application; choose another in Settings.`);
      }
      for (const p of problems) deps.log(p);
      return problems;
    },
    dispose: clear,
  };
}
