// The settings screen and main apply one rule (contracts/shortcut-rules.ts); main is the
// authority, so the same cases run through both and must agree.
import { describe, expect, it } from 'vitest';
import {
  bindingProblems,
  normaliseBindings,
  validateAccelerator,
  type AcceleratorCheck,
} from '../src/settings/shortcut-rules';

const CASES = [
  'CommandOrControl+Alt+Shift+A',
  'CmdOrCtrl+Alt+Shift+M',
  'Ctrl+Alt+H',
  'Alt+Shift+F9',
  'F8',
  'F5',
  'A',
  'Shift+A',
  'CommandOrControl+C',
  'Ctrl+V',
  'CmdOrCtrl+Shift+Z',
  'Cmd+Q',
  'Alt+Tab',
  'Alt+F4',
  'Ctrl+Alt+Delete',
  'Hyper+A',
  'Ctrl+Ctrl+A',
  'Ctrl+Alt+Shift+Super+A',
  'Ctrl+Alt+Shift+Super+Cmd+A',
  'Ctrl+Alt+Oops',
  'option+command+space',
  'Ctrl+Alt+PageDown',
  '',
  '+',
  ' Ctrl + Alt + K ',
  'Super+L',
  'CmdOrCtrl+H',
  'CmdOrCtrl+M',
];

describe('validateAccelerator', () => {
  it('accepts three-modifier chords and function keys, normalised', () => {
    expect(validateAccelerator('CommandOrControl+Alt+Shift+A')).toEqual({
      ok: true,
      accelerator: 'CmdOrCtrl+Alt+Shift+A',
    });
    expect(validateAccelerator('shift+alt+f9')).toEqual({ ok: true, accelerator: 'Alt+Shift+F9' });
    expect(validateAccelerator(' Ctrl + Alt + K ')).toEqual({ ok: true, accelerator: 'Ctrl+Alt+K' });
    expect(validateAccelerator('F8')).toEqual({ ok: true, accelerator: 'F8' });
  });

  it('refuses common keys with a message that says why', () => {
    const refused = (raw: string) => {
      const r = validateAccelerator(raw);
      return r.ok ? null : r.message;
    };
    expect(refused('CommandOrControl+C')).toMatch(/common shortcut/);
    expect(refused('Ctrl+V')).toMatch(/common shortcut/);
    expect(refused('Cmd+Q')).toMatch(/common shortcut/);
    expect(refused('Alt+Tab')).toMatch(/common shortcut/);
    expect(refused('F5')).toMatch(/common shortcut/);
    expect(refused('A')).toMatch(/no modifier/);
    expect(refused('Shift+A')).toMatch(/just Shift/);
    expect(refused('Hyper+A')).toMatch(/unknown modifier/);
    expect(refused('Ctrl+Alt+Oops')).toMatch(/unknown key/);
    expect(refused('')).toMatch(/not a shortcut/);
  });

  it('agrees with main on every case (main stays the authority)', async () => {
    // A computed specifier keeps main/ out of the web typecheck; vitest runs it in Node.
    const mainModule = '../../main/global-shortcuts';
    const main = (await import(/* @vite-ignore */ mainModule)) as {
      validateAccelerator(raw: string): AcceleratorCheck;
    };
    for (const raw of CASES) {
      const mine = validateAccelerator(raw);
      const theirs = main.validateAccelerator(raw);
      expect({ raw, ok: mine.ok }).toEqual({ raw, ok: theirs.ok });
      if (mine.ok && theirs.ok) expect(mine.accelerator).toBe(theirs.accelerator);
    }
  });
});

describe('binding sets', () => {
  const good = {
    answer: 'CmdOrCtrl+Alt+Shift+A',
    mute: 'CmdOrCtrl+Alt+Shift+M',
    hangUp: 'CmdOrCtrl+Alt+Shift+H',
  };
  it('reports per action, including two actions on one chord', () => {
    expect(bindingProblems(good)).toEqual({});
    const bad = bindingProblems({ answer: 'Ctrl+C', mute: 'Alt+Shift+F9', hangUp: 'shift+alt+F9' });
    expect(bad.answer).toMatch(/common shortcut/);
    expect(bad.mute).toBeUndefined();
    expect(bad.hangUp).toMatch(/Same shortcut as mute/);
  });
  it('normalises to the form the contract accepts (letters, digits and "+")', () => {
    const n = normaliseBindings({
      answer: ' ctrl + alt + a ',
      mute: 'CommandOrControl+Alt+Shift+M',
      hangUp: 'F8',
    });
    expect(n).toEqual({ answer: 'Ctrl+Alt+A', mute: 'CmdOrCtrl+Alt+Shift+M', hangUp: 'F8' });
    for (const v of Object.values(n ?? {})) expect(v).toMatch(/^[A-Za-z0-9+]+$/);
    expect(normaliseBindings({ ...good, mute: 'Ctrl+Z' })).toBeNull();
  });
});
