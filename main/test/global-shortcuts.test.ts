import { describe, expect, it, vi } from 'vitest';
import { setupGlobalShortcuts, validateAccelerator, validateBindings } from '../global-shortcuts';
import { DEFAULT_SETTINGS } from '../settings';

describe('shortcut validation', () => {
  it('accepts and normalises uncommon chords and function keys', () => {
    expect(validateAccelerator('CommandOrControl+Alt+Shift+A')).toEqual({ ok: true, accelerator: 'CmdOrCtrl+Alt+Shift+A' });
    expect(validateAccelerator('shift+ctrl+F8')).toEqual({ ok: true, accelerator: 'Ctrl+Shift+F8' });
    expect(validateAccelerator('F9')).toEqual({ ok: true, accelerator: 'F9' });
  });
  it('refuses the keys everyone uses', () => {
    for (const key of ['Ctrl+C', 'CommandOrControl+V', 'Cmd+X', 'Ctrl+Z', 'CmdOrCtrl+A', 'Ctrl+S', 'F5', 'Alt+F4', 'Cmd+Q', 'Ctrl+W', 'Cmd+Tab', 'Alt+Tab', 'CmdOrCtrl+Shift+Z', 'Escape', 'F12', 'Ctrl+Alt+Delete']) {
      expect(validateAccelerator(key).ok, key).toBe(false);
    }
  });
  it('refuses plain keys, Shift+key, unknown parts', () => {
    for (const key of ['A', 'Shift+A', 'Hyper+A', 'Ctrl+Ctrl+A', 'Ctrl+', '', 'Ctrl+Alt+Shift+Super+A', 'Ctrl+Banana']) expect(validateAccelerator(key).ok, key).toBe(false);
  });
  it('refuses two actions on one chord', () => {
    const r = validateBindings({ answer: 'Ctrl+Alt+A', mute: 'Alt+Ctrl+A', hangUp: 'Ctrl+Alt+H' });
    expect(r.ok).toBe(false);
  });
  it('the defaults are valid', () => {
    expect(validateBindings(DEFAULT_SETTINGS.shortcuts).ok).toBe(true);
  });
});

describe('global shortcut registration', () => {
  it('registers the three actions, re-registers on change, none when disabled', () => {
    const registered = new Map<string, () => void>();
    const gs = { register: vi.fn((a: string, cb: () => void) => (registered.set(a, cb), true)), unregister: vi.fn((a: string) => void registered.delete(a)), unregisterAll: vi.fn() };
    const onAction = vi.fn();
    const s = setupGlobalShortcuts({ globalShortcut: gs, onAction, log: vi.fn() });
    expect(s.apply({ enabled: true, bindings: DEFAULT_SETTINGS.shortcuts })).toEqual([]);
    expect([...registered.keys()]).toEqual(['CmdOrCtrl+Alt+Shift+A', 'CmdOrCtrl+Alt+Shift+M', 'CmdOrCtrl+Alt+Shift+H']);
    registered.get('CmdOrCtrl+Alt+Shift+M')!();
    expect(onAction).toHaveBeenCalledWith('mute');
    s.apply({ enabled: false, bindings: DEFAULT_SETTINGS.shortcuts });
    expect(registered.size).toBe(0);
    expect(s.apply({ enabled: true, bindings: { ...DEFAULT_SETTINGS.shortcuts, answer: 'Ctrl+C' } })[0]).toMatch(/answer/);
    expect(registered.size).toBe(0);
  });
  it('reports a chord another app holds', () => {
    const gs = { register: vi.fn(() => false), unregister: vi.fn(), unregisterAll: vi.fn() };
    const problems = setupGlobalShortcuts({ globalShortcut: gs, onAction: vi.fn(), log: vi.fn() }).apply({ enabled: true, bindings: DEFAULT_SETTINGS.shortcuts });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/already taken/);
  });
});
