// The main process entry: checks the single-instance lock, registers the app:// scheme, and
// on `ready` sets up each concern in order. Each setupX() lives in its own file and is tested
// in Node through the facade; this file only wires them together.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { app, protocol } from 'electron';
import electronUpdater from 'electron-updater';
import { EventChannel, type DeepLink } from '../contracts/desktop-api';
import { APP_SCHEME_PRIVILEGES, setupAppProtocol } from './app-protocol';
import { setupAudioDevices } from './audio-devices';
import { checkBackend } from './backend-connection';
import { desktopApiHandlers } from './desktop-api-handlers';
import { createElectronFacade, nodeFiles, onWebContentsCreated } from './electron-adapter';
import { openExternalSafely } from './external-links';
import { setupGlobalShortcuts } from './global-shortcuts';
import { setupIpc } from './ipc';
import { setupLogger } from './logger';
import { setupNavigationGuard } from './navigation-guard';
import { setupOfferNotifications } from './offer-notifications';
import { setupPermissions } from './permissions';
import { setupPolicy } from './policy';
import { setupRendererEvents } from './renderer-events';
import { setupSettings } from './settings';
import { setupSingleInstance } from './single-instance';
import { secureStorageAvailable, setupTokenStore } from './token-store';
import { setupTray } from './tray';
import { setupUpdater, type UpdaterLike } from './updater';
import { setupAgentWindow, type AgentWindow } from './window';

// out/desktop/main.cjs → the app root (the asar root once packaged).
const appRoot = resolve(__dirname, '..', '..');
const rendererRoot = join(appRoot, 'dist', 'renderer');
const preloadPath = join(appRoot, 'out', 'desktop', 'preload.cjs');

const logger = setupLogger();
const log = (line: string) => logger.info(line);

protocol.registerSchemesAsPrivileged([{ ...APP_SCHEME_PRIVILEGES, privileges: { ...APP_SCHEME_PRIVILEGES.privileges } }]);

let agentWindow: AgentWindow | null = null;
let sendDeepLink: ((link: DeepLink) => void) | null = null;
let pendingLink: DeepLink | null = null;

const instance = setupSingleInstance({
  app,
  argv: process.argv,
  execPath: process.execPath,
  log,
  onActivate(link) {
    agentWindow?.reveal();
    if (!link) return;
    if (sendDeepLink) sendDeepLink(link);
    else pendingLink = link;
  },
});
pendingLink = instance.initialLink;

async function readAsset(relative: string): Promise<Buffer | null> {
  const path = normalize(join(rendererRoot, relative));
  if (!path.startsWith(rendererRoot + sep)) return null;
  return readFile(path).catch(() => null);
}

async function onReady(): Promise<void> {
  const electron = createElectronFacade();
  const userData = app.getPath('userData');

  // 1. Policy, settings, logging: everything else reads its configuration from here.
  const policy = setupPolicy({ platform: electron.platform, env: electron.env, readText: (p) => nodeFiles.read(p)?.toString('utf8') ?? null, log });
  const settings = setupSettings({ files: electron.files, path: join(userData, 'settings.json'), policy, env: electron.env });
  logger.setLevel(settings.view().values.logLevel);
  const backend = settings.backend();
  for (const s of backend.skipped) logger.warn(`backend URL skipped: ${s}`);
  log(`backend ${backend.url} (from ${backend.source}); policy ${policy.path}${policy.found ? '' : ' (none)'}`);

  // 2. Web security for every window: permissions, navigation, the app:// scheme, CORS to the backend.
  const ourContents = new Set<number>();
  setupPermissions(electron.session);
  setupNavigationGuard({ onWebContentsCreated, shell: electron.shell, log });
  setupAppProtocol({
    protocol: electron.session.protocol,
    readAsset,
    backendUrl: () => settings.backend().url,
    // A cluster's backends: the call's audio joins whichever holds it.
    clusterOrigins: () => policy.values.allowedBackendOrigins ?? [],
  });

  // 3. Storage.
  const tokens = setupTokenStore({ safeStorage: electron.safeStorage, files: electron.files, path: join(userData, 'session-token.bin'), log });
  const audio = setupAudioDevices({ files: electron.files, path: join(userData, 'audio-devices.json') });

  // 4. The window.
  const health = await checkBackend(electron.netFetch, backend.url);
  if (!health.ok) logger.warn(health.message);
  agentWindow = setupAgentWindow({
    createWindow: electron.createWindow,
    displays: () => electron.screen.getAllDisplays(),
    files: electron.files,
    statePath: join(userData, 'window-state.json'),
    preloadPath,
    backendUrl: backend.url,
    devTools: !app.isPackaged,
  });
  const win = agentWindow.window;
  ourContents.add(win.webContents.id);
  const events = setupRendererEvents(win.webContents);
  sendDeepLink = (link) => events.send(EventChannel.deepLink, link);
  if (pendingLink) sendDeepLink(pendingLink);
  pendingLink = null;
  const reveal = () => agentWindow?.reveal();

  // 5. Tray, notifications, shortcuts.
  const tray = setupTray({
    createTray: electron.createTray,
    request: (p) => events.send(EventChannel.presenceRequested, p),
    show: reveal,
    quit: () => app.quit(),
  });
  const offers = setupOfferNotifications({
    supported: electron.notificationsSupported,
    create: electron.createNotification,
    focusWindow: reveal,
    emit: (action) => events.send(EventChannel.offerAction, action),
  });
  const shortcuts = setupGlobalShortcuts({ globalShortcut: electron.globalShortcut, onAction: (a) => events.send(EventChannel.shortcut, a), log });
  const applyShortcuts = () => {
    const v = settings.view().values;
    shortcuts.apply({ enabled: v.shortcutsEnabled, bindings: v.shortcuts });
  };
  applyShortcuts();

  // 6. Updates.
  const installIdPath = join(userData, 'update-install-id');
  let installId = nodeFiles.read(installIdPath)?.toString('utf8').trim() ?? '';
  if (!/^[0-9a-f-]{36}$/i.test(installId)) {
    installId = randomUUID();
    nodeFiles.write(installIdPath, installId);
  }
  const updates = setupUpdater({
    updater: electronUpdater.autoUpdater as unknown as UpdaterLike,
    isPackaged: app.isPackaged,
    installId,
    emit: (s) => events.send(EventChannel.updateStatus, s),
    log,
  });
  const applyUpdates = () => {
    const v = settings.view();
    updates.apply({ enabled: v.values.updatesEnabled, enabledLockedByPolicy: v.locked.includes('updatesEnabled'), channel: v.values.updateChannel, backendUrl: v.values.backendUrl });
  };
  applyUpdates();

  // 7. IPC last: every handler exists before the page can call one.
  setupIpc({
    ipcMain: electron.ipcMain,
    ourWebContentsIds: () => ourContents,
    log,
    handlers: desktopApiHandlers({
      tokens,
      settings,
      audio,
      tray,
      offers,
      updates,
      openExternal: (url) => openExternalSafely(electron.shell, url, log),
      appInfo: () => ({
        name: app.getName(),
        version: app.getVersion(),
        platform: electron.platform,
        arch: electron.arch,
        electron: electron.versions.electron,
        chrome: electron.versions.chrome,
        backendUrl: settings.backend().url,
        secureStorageAvailable: secureStorageAvailable(electron.safeStorage),
      }),
    }),
  });

  let lastBackend = backend.url;
  settings.onChange((view) => {
    logger.setLevel(view.values.logLevel);
    applyShortcuts();
    applyUpdates();
    events.send(EventChannel.settingsChanged, view);
    // The preload received the backend address as an argument: a new one needs a new window.
    if (view.values.backendUrl !== lastBackend) {
      lastBackend = view.values.backendUrl;
      app.relaunch();
      app.quit();
    }
  });

  app.on('will-quit', () => {
    shortcuts.dispose();
    updates.dispose();
    offers.dismissAll();
  });
  // Closing the agent window ends the softphone (the backend puts the agent offline); a
  // hidden window that still rings would surprise agents more than it helps.
  app.on('window-all-closed', () => app.quit());
}

if (instance.primary) {
  app.whenReady().then(onReady, (err: unknown) => {
    logger.log('error', `failed to start: ${(err as Error).message}`);
    app.quit();
  });
}
