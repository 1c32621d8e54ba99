// The only file that touches the real `electron` module: it wraps Electron's objects in the
// facade the rest of main/ is written against. Verified only where the Electron binary runs
// (e2e/desktop.spec.ts); everything behind it is tested in Node with fakes.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  app,
  BrowserWindow,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
  type MenuItemConstructorOptions,
  type WebContents,
} from 'electron';
import type { BrowserWindowLike, ElectronFacade, FileStore, IpcMainLike, SessionLike, TrayImage, WebContentsLike } from './electron-facade';

export const nodeFiles: FileStore = {
  read(path) {
    try {
      return readFileSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  },
  write(path, data) {
    mkdirSync(dirname(path), { recursive: true });
    // Owner-only: settings are not secret, but the encrypted token file is nobody else's business.
    writeFileSync(path, data, { mode: 0o600 });
  },
  remove(path) {
    rmSync(path, { force: true });
  },
};

function image(i: TrayImage) {
  return nativeImage.createFromBitmap(i.bgra, { width: i.width, height: i.height });
}

export function createElectronFacade(): ElectronFacade {
  return {
    app: app as unknown as ElectronFacade['app'],
    ipcMain: ipcMain as unknown as IpcMainLike,
    session: session.defaultSession as unknown as SessionLike,
    screen,
    shell,
    safeStorage,
    globalShortcut,
    createWindow: (options) => new BrowserWindow(options) as unknown as BrowserWindowLike,
    createTray(initial) {
      const tray = new Tray(image(initial));
      return {
        setImage: (i) => tray.setImage(image(i)),
        setToolTip: (t) => tray.setToolTip(t),
        setContextMenu: (items) => tray.setContextMenu(Menu.buildFromTemplate(items as MenuItemConstructorOptions[])),
        on: (event, listener) => void tray.on(event, listener),
        destroy: () => tray.destroy(),
      };
    },
    createNotification: (options) => new Notification(options),
    notificationsSupported: () => Notification.isSupported(),
    netFetch: (input, init) => net.fetch(input, init),
    files: nodeFiles,
    platform: process.platform,
    env: process.env,
    versions: { electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '' },
    arch: process.arch,
  };
}

/** Adapts app.on('web-contents-created') to the facade's WebContentsLike. */
export function onWebContentsCreated(listener: (contents: WebContentsLike) => void): void {
  app.on('web-contents-created', (_event, contents: WebContents) => listener(contents as unknown as WebContentsLike));
}
