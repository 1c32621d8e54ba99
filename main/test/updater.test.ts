import { describe, expect, it, vi } from 'vitest';
import type { UpdateStatus } from '../../contracts/desktop-api';
import { feedUrl, isWithinRollout, setupUpdater, type UpdateInfoLike, type UpdaterLike } from '../updater';

function fakeUpdater() {
  const listeners = new Map<string, (arg?: unknown) => void>();
  const u = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    allowPrerelease: false,
    allowDowngrade: true,
    channel: null as string | null,
    isUserWithinRollout: (() => true) as (info: UpdateInfoLike) => boolean | Promise<boolean>,
    setFeedURL: vi.fn(),
    checkForUpdates: vi.fn(async () => null),
    quitAndInstall: vi.fn(),
    on: vi.fn((e: string, l: (arg?: unknown) => void) => listeners.set(e, l)),
    emit: (e: string, arg?: unknown) => listeners.get(e)?.(arg),
  };
  return u;
}

function make(isPackaged = true) {
  const updater = fakeUpdater();
  const statuses: UpdateStatus[] = [];
  const intervals: unknown[] = [];
  const updates = setupUpdater({
    updater: updater as unknown as UpdaterLike,
    isPackaged,
    installId: '00000000-0000-4000-8000-000000000000',
    emit: (s) => statuses.push(s),
    log: vi.fn(),
    setInterval: (fn, ms) => (intervals.push(ms), 1),
    clearInterval: vi.fn(),
  });
  return { updater, statuses, updates, intervals };
}

const base = { enabled: true, enabledLockedByPolicy: false, channel: 'stable' as const, backendUrl: 'https://sb.example.com/' };

describe('updater configuration', () => {
  it('points electron-updater at the backend generic feed for the channel', () => {
    const { updater, updates, intervals } = make();
    updates.apply(base);
    expect(updater.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://sb.example.com/updates/stable' });
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true, allowPrerelease: false, allowDowngrade: false, channel: 'latest' });
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(intervals).toEqual([4 * 60 * 60 * 1000]);
    expect(updates.status()).toMatchObject({ state: 'idle', channel: 'stable' });
  });
  it('beta channel: beta feed, prereleases allowed, still no downgrade', () => {
    const { updater, updates } = make();
    updates.apply({ ...base, channel: 'beta' });
    expect(updater.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://sb.example.com/updates/beta' });
    expect(updater).toMatchObject({ allowPrerelease: true, allowDowngrade: false, channel: 'beta' });
    expect(feedUrl('http://127.0.0.1:8080', 'beta')).toBe('http://127.0.0.1:8080/updates/beta');
  });
  it('policy off: no feed, no check, and the status says IT turned it off', () => {
    const { updater, updates } = make();
    updates.apply({ ...base, enabled: false, enabledLockedByPolicy: true });
    expect(updater.setFeedURL).not.toHaveBeenCalled();
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
    expect(updates.status()).toEqual({ state: 'disabled', reason: expect.stringMatching(/policy/) });
  });
  it('development builds never update', () => {
    const { updater, updates } = make(false);
    updates.apply(base);
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
    expect(updates.status().state).toBe('disabled');
  });
  it('reports progress and installs only when ready', () => {
    const { updater, updates, statuses } = make();
    updates.apply(base);
    expect(updates.install()).toBe(false);
    updater.emit('update-available', { version: '1.2.0' });
    updater.emit('download-progress', { percent: 41.6 });
    updater.emit('update-downloaded', { version: '1.2.0' });
    expect(statuses.slice(-3)).toEqual([
      { state: 'available', channel: 'stable', version: '1.2.0' },
      { state: 'downloading', channel: 'stable', version: '1.2.0', percent: 42 },
      { state: 'ready', channel: 'stable', version: '1.2.0' },
    ]);
    expect(updates.install()).toBe(true);
    expect(updater.quitAndInstall).toHaveBeenCalledWith(false, true);
  });
});

describe('staged rollout', () => {
  it('follows stagingPercentage from the feed, stable per install id', () => {
    const low = '00000000-0000-4000-8000-000000000001'; // ~0 %
    const high = '00000000-0000-4000-8000-fffffffffffe'; // ~100 %
    const mid = '00000000-0000-4000-8000-00007fffffff'; // ~50 %
    expect(isWithinRollout(undefined, high)).toBe(true);
    expect(isWithinRollout(100, high)).toBe(true);
    expect(isWithinRollout(0, low)).toBe(false);
    expect(isWithinRollout(10, low)).toBe(true);
    expect(isWithinRollout(10, high)).toBe(false);
    expect(isWithinRollout(49, mid)).toBe(false);
    expect(isWithinRollout(51, mid)).toBe(true);
  });
  it('the updater uses it, and tells the app when this machine is not in the rollout yet', async () => {
    const { updater, updates } = make();
    updates.apply(base);
    expect(await updater.isUserWithinRollout({ version: '1.3.0', stagingPercentage: 0 })).toBe(false);
    expect(updates.status()).toEqual({ state: 'not-in-rollout', channel: 'stable', version: '1.3.0', stagingPercentage: 0 });
    expect(await updater.isUserWithinRollout({ version: '1.3.0' })).toBe(true);
  });
});
