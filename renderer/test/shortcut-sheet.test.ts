// The "?" shortcut sheet: opens on "?" outside text fields and lists every call shortcut.
import { describe, expect, it } from 'vitest';
import { asksForShortcutSheet, shortcutSheetRows } from '../src/components/shortcut-sheet';
import { SHORTCUTS } from '../src/hooks/use-shortcuts';

const key = (k: string, tagName = 'BODY', extra: Partial<{ ctrlKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  target: { tagName } as unknown as EventTarget,
  ...extra,
});

describe('shortcut sheet', () => {
  it('opens on "?" except while typing', () => {
    expect(asksForShortcutSheet(key('?'))).toBe(true);
    expect(asksForShortcutSheet(key('?', 'TEXTAREA'))).toBe(false);
    expect(asksForShortcutSheet(key('?', 'INPUT'))).toBe(false);
    expect(asksForShortcutSheet(key('/'))).toBe(false);
    expect(asksForShortcutSheet(key('?', 'BODY', { ctrlKey: true }))).toBe(false);
  });
  it('lists every call shortcut', () => {
    const keys = shortcutSheetRows().map((r) => r.keys);
    for (const s of Object.values(SHORTCUTS)) expect(keys).toContain(s.label);
    expect(keys).toContain('?');
  });
});
