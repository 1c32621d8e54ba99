// The shortcut sheet: "?" (outside a text field) lists every keyboard shortcut, so they are
// not only in tooltips. Escape or the button closes it.
import { useEffect, useState } from 'react';
import { SHORTCUTS, type ShortcutName } from '../hooks/use-shortcuts';

const WORDS: Record<ShortcutName, string> = {
  answer: 'Answer an offered call (also Ctrl+Enter)',
  decline: 'Decline an offered call',
  mute: 'Mute or unmute',
  hold: 'Hold or resume',
  hangUp: 'Hang up',
  raiseHand: 'Raise or lower your hand (asks a team lead for help)',
};

/** Whether a key press asks for the sheet: "?" while not typing into a field. */
export function asksForShortcutSheet(e: { key: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean; target: EventTarget | null }): boolean {
  if (e.key !== '?' || e.ctrlKey || e.altKey || e.metaKey) return false;
  const el = e.target as { tagName?: string; isContentEditable?: boolean } | null;
  const tag = el?.tagName?.toLowerCase();
  return !(tag === 'input' || tag === 'textarea' || tag === 'select' || el?.isContentEditable === true);
}

export function shortcutSheetRows(): Array<{ keys: string; does: string }> {
  return [
    ...(Object.keys(SHORTCUTS) as ShortcutName[]).map((name) => ({ keys: SHORTCUTS[name].label, does: WORDS[name] })),
    { keys: '?', does: 'Show this list' },
  ];
}

export function ShortcutSheet() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (asksForShortcutSheet(e)) {
        e.preventDefault();
        setOpen((o) => !o);
      } else if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!open) return null;
  return (
    <div className="card shortcut-sheet" role="dialog" aria-modal="false" aria-labelledby="shortcut-sheet-title">
      <h2 id="shortcut-sheet-title">Keyboard shortcuts</h2>
      <table className="table">
        <tbody>
          {shortcutSheetRows().map((r) => (
            <tr key={r.keys}>
              <th scope="row">
                <kbd>{r.keys}</kbd>
              </th>
              <td>{r.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="btn btn-ghost btn-small" onClick={() => setOpen(false)}>
        Close (Esc)
      </button>
    </div>
  );
}
