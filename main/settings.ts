// User settings and their effective values. Policy wins over the user; a key the policy
// sets (even with an invalid value) is locked and cannot be changed from the settings screen.
// Listeners hear every change so shortcuts, updater and window follow without a restart.
import { z } from 'zod';
import { UserSettings, UserSettingsPatch, type SettingKey, type SettingsView } from '../contracts/desktop-api';
import { backendUrlProblem, resolveBackendUrl, type BackendChoice } from './backend-connection';
import type { FileStore } from './electron-facade';
import { readJson, writeJson } from './json-file';
import type { LoadedPolicy } from './policy';

export const DEFAULT_SETTINGS: UserSettings = {
  backendUrl: 'http://127.0.0.1:8080',
  updateChannel: 'stable',
  updatesEnabled: true,
  shortcutsEnabled: true,
  // Three-modifier chords: nothing common uses them, so they do not steal keys from other apps.
  shortcuts: { answer: 'CommandOrControl+Alt+Shift+A', mute: 'CommandOrControl+Alt+Shift+M', hangUp: 'CommandOrControl+Alt+Shift+H' },
  logLevel: 'info',
};

const StoredSettings = UserSettings.partial();

export interface Settings {
  view(): SettingsView;
  backend(): BackendChoice;
  /** Applies a user change; throws an Error that says what to do when a key is locked or invalid. */
  set(patch: unknown): SettingsView;
  onChange(listener: (view: SettingsView) => void): () => void;
}

export function setupSettings(deps: { files: FileStore; path: string; policy: LoadedPolicy; env: NodeJS.ProcessEnv }): Settings {
  let user: Partial<UserSettings> = readJson(deps.files, deps.path, StoredSettings) ?? {};
  const listeners = new Set<(view: SettingsView) => void>();
  const { policy } = deps;
  const locked = policy.lockedKeys.filter((k) => k in DEFAULT_SETTINGS) as SettingKey[];

  const backend = (): BackendChoice => resolveBackendUrl({ policy: policy.values, env: deps.env, userUrl: user.backendUrl });

  const view = (): SettingsView => {
    const values: UserSettings = { ...DEFAULT_SETTINGS, ...user, shortcuts: { ...DEFAULT_SETTINGS.shortcuts, ...user.shortcuts } };
    for (const key of locked) {
      const v = policy.values[key as keyof typeof policy.values];
      if (v !== undefined) (values as Record<string, unknown>)[key] = v;
    }
    values.backendUrl = backend().url;
    return {
      values,
      locked: [...locked],
      rejectedPolicyKeys: [...policy.rejected],
      policy: { path: policy.path, found: policy.found },
      allowedBackendOrigins: [...(policy.values.allowedBackendOrigins ?? [])],
    };
  };

  return {
    view,
    backend,
    set(rawPatch) {
      const parsed = UserSettingsPatch.safeParse(rawPatch);
      if (!parsed.success) throw new Error(`Settings not saved: ${z.prettifyError(parsed.error)}`);
      const patch = parsed.data;
      const refused = (Object.keys(patch) as SettingKey[]).filter((k) => locked.includes(k));
      if (refused.length > 0) {
        throw new Error(`Settings not saved: ${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} set by your organization's policy. Ask IT to change it.`);
      }
      if (patch.backendUrl !== undefined) {
        const problem = backendUrlProblem(patch.backendUrl, policy.values.allowedBackendOrigins);
        if (problem) throw new Error(`Settings not saved: ${problem}`);
      }
      user = { ...user, ...patch };
      writeJson(deps.files, deps.path, user);
      const next = view();
      for (const l of listeners) l(next);
      return next;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
