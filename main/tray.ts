// The tray icon: shows the agent's presence and lets them switch between the presences they
// may choose (available, away, offline) without opening the window. The switch is a request
// to the app, which sends it to the backend; the tray changes when the backend confirms.
import { SelectablePresence, type TrayPresence } from '../contracts/desktop-api';
import type { MenuItemSpec, TrayImage, TrayLike } from './electron-facade';

const LABEL: Record<TrayPresence, string> = { available: 'Available', away: 'Away', offline: 'Offline', on_call: 'On a call', wrap_up: 'Wrap-up' };

export function trayMenu(presence: TrayPresence, actions: { request: (p: SelectablePresence) => void; show: () => void; quit: () => void }): MenuItemSpec[] {
  const busy = presence === 'on_call' || presence === 'wrap_up';
  return [
    { label: `Switchboard — ${LABEL[presence]}`, enabled: false },
    { type: 'separator' },
    ...SelectablePresence.options.map(
      (p): MenuItemSpec => ({ label: LABEL[p], type: 'radio', checked: p === presence, enabled: !busy, click: () => actions.request(p) }),
    ),
    { type: 'separator' },
    { label: 'Open Switchboard', click: actions.show },
    { label: 'Quit', click: actions.quit },
  ];
}

const COLOR: Record<TrayPresence, [number, number, number]> = {
  available: [0x2e, 0xa0, 0x43],
  on_call: [0xd0, 0x3a, 0x2f],
  wrap_up: [0xe0, 0x8e, 0x0b],
  away: [0xe0, 0x8e, 0x0b],
  offline: [0x80, 0x80, 0x80],
};

/** A filled circle in the presence colour (green available, red on a call, amber away/wrap-up, grey offline). */
export function presenceIcon(presence: TrayPresence, size = 16): TrayImage {
  const [r, g, b] = COLOR[presence];
  const bgra = Buffer.alloc(size * size * 4);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const alpha = Math.max(0, Math.min(1, c + 0.5 - d));
      const i = (y * size + x) * 4;
      bgra[i] = b;
      bgra[i + 1] = g;
      bgra[i + 2] = r;
      bgra[i + 3] = Math.round(alpha * 255);
    }
  }
  return { width: size, height: size, bgra };
}

export interface PresenceTray {
  setPresence(presence: TrayPresence): void;
  dispose(): void;
}

export function setupTray(deps: { createTray: (image: TrayImage) => TrayLike; request: (p: SelectablePresence) => void; show: () => void; quit: () => void }): PresenceTray {
  const tray = deps.createTray(presenceIcon('offline'));
  tray.on('click', deps.show);
  const render = (p: TrayPresence) => {
    tray.setImage(presenceIcon(p));
    tray.setToolTip(`Switchboard — ${LABEL[p]}`);
    tray.setContextMenu(trayMenu(p, deps));
  };
  render('offline');
  return { setPresence: render, dispose: () => tray.destroy() };
}
