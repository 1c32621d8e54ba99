// The desktop's settings as the Settings screen shows them: the view from main (values,
// locks, rejected policy keys), app info and update status; saving goes through main, which
// answers with the new view or an error that says what to do. Empty in a plain browser.
import { create } from 'zustand';
import type {
  AppInfo,
  SettingsView,
  SwitchboardDesktopApi,
  UpdateStatus,
  UserSettingsPatch,
} from '../../../contracts/desktop-api';
import { desktopBridge, rememberSettingsBackendUrl } from '../platform/desktop-bridge';

export interface DesktopSettingsStore {
  view: SettingsView | null;
  appInfo: AppInfo | null;
  update: UpdateStatus | null;
  loadError: string | null;
  setView(view: SettingsView): void;
  setUpdate(status: UpdateStatus): void;
}

export const useDesktopSettings = create<DesktopSettingsStore>((set) => ({
  view: null,
  appInfo: null,
  update: null,
  loadError: null,
  setView: (view) => {
    rememberSettingsBackendUrl(view.values.backendUrl);
    set({ view, loadError: null });
  },
  setUpdate: (update) => set({ update }),
}));

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Reads settings, app info and update status; each can fail on its own. */
export async function loadDesktopSettings(
  bridge: SwitchboardDesktopApi | undefined = desktopBridge(),
): Promise<void> {
  if (!bridge) return;
  const store = useDesktopSettings.getState();
  const [view, info, update] = await Promise.allSettled([
    bridge.settings.get(),
    bridge.appInfo(),
    bridge.updates.status(),
  ]);
  if (view.status === 'fulfilled') store.setView(view.value);
  else useDesktopSettings.setState({ loadError: `Settings could not be read: ${message(view.reason)}` });
  if (info.status === 'fulfilled') useDesktopSettings.setState({ appInfo: info.value });
  if (update.status === 'fulfilled') store.setUpdate(update.value);
}

/** Saves through main; resolves to null on success or the message to show. */
export async function saveDesktopSettings(
  patch: UserSettingsPatch,
  bridge: SwitchboardDesktopApi | undefined = desktopBridge(),
): Promise<string | null> {
  if (!bridge) return 'Desktop settings can only be changed in the Switchboard desktop app.';
  if (Object.keys(patch).length === 0) return null;
  try {
    useDesktopSettings.getState().setView(await bridge.settings.set(patch));
    return null;
  } catch (err) {
    // Electron prefixes errors from ipcMain handlers; keep only main's own sentence.
    return message(err).replace(/^Error invoking remote method '[^']+': (Error: )?/, '');
  }
}

/** Words for the update status line. */
export function describeUpdate(status: UpdateStatus | null): string {
  if (!status) return 'Update status unknown.';
  switch (status.state) {
    case 'disabled':
      return `Updates are off: ${status.reason}`;
    case 'idle':
      return status.lastCheckedAt
        ? `Up to date on the ${status.channel} channel (checked ${new Date(status.lastCheckedAt).toLocaleString()}).`
        : `Up to date on the ${status.channel} channel.`;
    case 'checking':
      return `Checking for updates on the ${status.channel} channel…`;
    case 'available':
      return `Version ${status.version} is available; downloading soon.`;
    case 'downloading':
      return `Downloading version ${status.version} (${Math.round(status.percent)}%)…`;
    case 'ready':
      return `Version ${status.version} is ready. Restart to install it.`;
    case 'not-in-rollout':
      return `Version ${status.version} is rolling out to ${status.stagingPercentage}% of computers; this one gets it later.`;
    case 'error':
      return `Update check failed: ${status.message}`;
    default:
      return 'Update status unknown.';
  }
}
