// Auto-update with electron-updater from the backend's generic feed,
// <backend>/updates/<stable|beta>/. Policy (or the user, when policy is silent) can turn it
// off; a staged rollout is the `stagingPercentage` in the feed's latest.yml, decided per
// install from a stable random id so the same machines are in the first 10 %, then 50 %…
import type { UpdateChannelName, UpdateStatus } from '../contracts/desktop-api';

export interface UpdateInfoLike {
  version: string;
  stagingPercentage?: number;
}

/** The part of electron-updater's AppUpdater we drive (its real object satisfies this). */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowPrerelease: boolean;
  allowDowngrade: boolean;
  channel: string | null;
  isUserWithinRollout: (info: UpdateInfoLike) => boolean | Promise<boolean>;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'checking-for-update', listener: () => void): unknown;
  on(event: 'update-available' | 'update-not-available' | 'update-downloaded', listener: (info: UpdateInfoLike) => void): unknown;
  on(event: 'download-progress', listener: (progress: { percent: number }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdaterConfig {
  enabled: boolean;
  /** True when the policy file sets updatesEnabled (the message then says who turned it off). */
  enabledLockedByPolicy: boolean;
  channel: UpdateChannelName;
  backendUrl: string;
}

export const CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

export function feedUrl(backendUrl: string, channel: UpdateChannelName): string {
  return `${backendUrl.replace(/\/+$/, '')}/updates/${channel}`;
}

/** Same arithmetic as electron-updater's default: the id's last 4 bytes as a fraction of 2^32. */
export function isWithinRollout(stagingPercentage: number | undefined, installId: string): boolean {
  if (stagingPercentage === undefined || stagingPercentage === null || Number.isNaN(Number(stagingPercentage))) return true;
  const pct = Math.max(0, Math.min(100, Number(stagingPercentage)));
  if (pct >= 100) return true;
  const hex = installId.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) return true;
  const value = Number.parseInt(hex.slice(24, 32), 16) / 0xffffffff;
  return value < pct / 100;
}

export interface Updates {
  apply(config: UpdaterConfig): void;
  status(): UpdateStatus;
  install(): boolean;
  dispose(): void;
}

export function setupUpdater(deps: {
  updater: UpdaterLike;
  isPackaged: boolean;
  installId: string;
  emit: (status: UpdateStatus) => void;
  log: (line: string) => void;
  now?: () => Date;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}): Updates {
  const { updater } = deps;
  const now = deps.now ?? (() => new Date());
  const every = deps.setInterval ?? ((fn, ms) => setInterval(fn, ms));
  const stop = deps.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>));
  let status: UpdateStatus = { state: 'disabled', reason: 'Not configured yet.' };
  let channel: UpdateChannelName = 'stable';
  let timer: unknown = null;
  let active = false;
  const set = (next: UpdateStatus) => {
    status = next;
    deps.emit(next);
  };

  updater.on('checking-for-update', () => active && set({ state: 'checking', channel }));
  updater.on('update-available', (info) => active && set({ state: 'available', channel, version: info.version }));
  updater.on('update-not-available', () => active && set({ state: 'idle', channel, lastCheckedAt: now().toISOString() }));
  updater.on('download-progress', (p) => {
    if (active && (status.state === 'available' || status.state === 'downloading')) set({ state: 'downloading', channel, version: status.version, percent: Math.round(p.percent) });
  });
  updater.on('update-downloaded', (info) => active && set({ state: 'ready', channel, version: info.version }));
  updater.on('error', (err) => {
    deps.log(`update check failed: ${err.message}`);
    if (active) set({ state: 'error', channel, message: `Update check failed: ${err.message}. The app keeps working; it retries in a few hours.` });
  });

  const check = () => {
    updater.checkForUpdates().catch((err: unknown) => deps.log(`update check failed: ${(err as Error).message}`));
  };

  return {
    apply(config) {
      if (timer !== null) stop(timer);
      timer = null;
      active = false;
      if (!config.enabled) {
        set({ state: 'disabled', reason: config.enabledLockedByPolicy ? "Updates are managed by your organization's IT (turned off by policy)." : 'Updates are turned off in Settings.' });
        return;
      }
      if (!deps.isPackaged) {
        set({ state: 'disabled', reason: 'Development build: updates apply only to installed builds.' });
        return;
      }
      channel = config.channel;
      updater.autoDownload = true;
      updater.autoInstallOnAppQuit = true;
      updater.allowPrerelease = channel === 'beta';
      // Each channel directory holds electron-builder's own file names: latest*.yml for
      // stable builds, beta*.yml for prerelease builds.
      updater.channel = channel === 'beta' ? 'beta' : 'latest';
      // Setting `channel` turns on allowDowngrade; switching beta → stable waits for stable to catch up instead.
      updater.allowDowngrade = false;
      updater.isUserWithinRollout = (info) => {
        const inside = isWithinRollout(info.stagingPercentage, deps.installId);
        if (!inside) set({ state: 'not-in-rollout', channel, version: info.version, stagingPercentage: Number(info.stagingPercentage) });
        return inside;
      };
      updater.setFeedURL({ provider: 'generic', url: feedUrl(config.backendUrl, channel) });
      active = true;
      set({ state: 'idle', channel, lastCheckedAt: null });
      check();
      timer = every(check, CHECK_INTERVAL_MS);
    },
    status: () => status,
    install() {
      if (status.state !== 'ready') return false;
      updater.quitAndInstall(false, true);
      return true;
    },
    dispose() {
      if (timer !== null) stop(timer);
      timer = null;
      active = false;
    },
  };
}
