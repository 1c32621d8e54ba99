// The rule for global shortcuts, shared by the main process (the authority: it registers
// only what passes) and the settings screen (which says what is wrong before saving).
// Configurable, but never one of the keys people use everywhere (copy, paste, undo, save,
// refresh, close, quit…): a global shortcut takes the key from every other application.
const MODIFIERS = new Map<string, string>([
  ['commandorcontrol', 'CmdOrCtrl'],
  ['cmdorctrl', 'CmdOrCtrl'],
  ['command', 'Cmd'],
  ['cmd', 'Cmd'],
  ['control', 'Ctrl'],
  ['ctrl', 'Ctrl'],
  ['alt', 'Alt'],
  ['option', 'Alt'],
  ['altgr', 'AltGr'],
  ['shift', 'Shift'],
  ['super', 'Super'],
  ['meta', 'Super'],
]);
const NAMED_KEYS = new Set([
  ...Array.from({ length: 24 }, (_, i) => `f${i + 1}`),
  'space', 'tab', 'backspace', 'delete', 'insert', 'return', 'enter', 'up', 'down', 'left', 'right', 'home', 'end',
  'pageup', 'pagedown', 'escape', 'esc', 'plus', 'volumeup', 'volumedown', 'volumemute', 'medianexttrack',
  'mediaprevioustrack', 'mediastop', 'mediaplaypause', 'printscreen',
]);

/** Chords that belong to the OS or to every editor. Checked after normalising modifiers. */
const RESERVED = [
  ...['C', 'V', 'X', 'Z', 'Y', 'A', 'S', 'P', 'F', 'N', 'T', 'W', 'Q', 'R', 'O', 'L', 'H', 'M'].flatMap((k) => [`CmdOrCtrl+${k}`, `Ctrl+${k}`, `Cmd+${k}`]),
  'CmdOrCtrl+Shift+Z', 'Ctrl+Shift+Z', 'Cmd+Shift+Z', 'CmdOrCtrl+Shift+T', 'Ctrl+Shift+Esc', 'Ctrl+Alt+Delete', 'Cmd+Tab', 'Alt+Tab',
  'Alt+F4', 'Cmd+Space', 'Ctrl+Space', 'Super+L', 'Cmd+Shift+3', 'Cmd+Shift+4', 'Cmd+Shift+5', 'Cmd+Alt+Esc', 'Cmd+H', 'Cmd+Alt+H',
  'F1', 'F5', 'F11', 'F12', 'Escape', 'Esc', 'Tab', 'Space', 'Return', 'Enter', 'Backspace', 'Delete', 'PrintScreen',
];
const RESERVED_SET = new Set(RESERVED.map((c) => c.toLowerCase()));

export type AcceleratorCheck = { ok: true; accelerator: string } | { ok: false; message: string };

/** Normalised "Mod+Mod+Key" or an error message that says what to pick instead. */
export function validateAccelerator(raw: string): AcceleratorCheck {
  const parts = raw.split('+').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0 || parts.length > 4) return { ok: false, message: `"${raw}" is not a shortcut; use e.g. CommandOrControl+Alt+Shift+A.` };
  const key = parts[parts.length - 1] ?? '';
  const mods = parts.slice(0, -1).map((m) => MODIFIERS.get(m.toLowerCase()));
  if (mods.some((m) => m === undefined)) return { ok: false, message: `"${raw}" has an unknown modifier; use CommandOrControl, Alt, Shift or Super.` };
  if (new Set(mods).size !== mods.length) return { ok: false, message: `"${raw}" repeats a modifier.` };
  const isChar = /^[A-Za-z0-9]$/.test(key);
  if (!isChar && !NAMED_KEYS.has(key.toLowerCase())) return { ok: false, message: `"${raw}" ends in an unknown key "${key}".` };
  const normalisedKey = isChar ? key.toUpperCase() : key.length <= 3 ? key.toUpperCase() : key[0]!.toUpperCase() + key.slice(1);
  const order = ['CmdOrCtrl', 'Cmd', 'Ctrl', 'Alt', 'AltGr', 'Shift', 'Super'];
  const sortedMods = (mods as string[]).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const accelerator = [...sortedMods, normalisedKey].join('+');
  const isFunctionKey = /^F([1-9]|1\d|2[0-4])$/.test(normalisedKey);
  if (sortedMods.length === 0 && !isFunctionKey) return { ok: false, message: `"${raw}" has no modifier; it would take the key "${key}" from every app. Add CommandOrControl, Alt or Shift.` };
  if (sortedMods.length === 1 && sortedMods[0] === 'Shift') return { ok: false, message: `"${raw}" is just Shift and a key; that is typing. Add CommandOrControl or Alt.` };
  const variants = [accelerator, accelerator.replace('CmdOrCtrl', 'Ctrl'), accelerator.replace('CmdOrCtrl', 'Cmd')];
  if (variants.some((v) => RESERVED_SET.has(v.toLowerCase()))) return { ok: false, message: `"${raw}" is a common shortcut other apps rely on; pick another, e.g. CommandOrControl+Alt+Shift+A.` };
  return { ok: true, accelerator };
}
