// What the settings screen shows, computed from the desktop's settings view (settings.get()):
// each value with whether IT policy locks it, the policy keys main rejected (with a label a
// person understands), and the patch a save sends — only keys that changed and are not
// locked, since main refuses a patch that names a locked key.
import type {
  RejectedPolicyKey,
  SettingKey,
  SettingsView,
  UserSettings,
  UserSettingsPatch,
} from '../../../contracts/desktop-api';

export const LOCKED_NOTE = 'Set by your IT policy';

export const settingLabels: Record<SettingKey, string> = {
  backendUrl: 'Backend URL',
  updateChannel: 'Update channel',
  updatesEnabled: 'Automatic updates',
  shortcutsEnabled: 'Global shortcuts',
  shortcuts: 'Shortcut keys',
  logLevel: 'Log level',
};

/** Policy keys that are not user settings, and the whole-file pseudo key. */
const policyOnlyLabels: Record<string, string> = {
  allowedBackendOrigins: 'Allowed backend origins',
  '(file)': 'Policy file',
};

export const SETTING_KEYS: readonly SettingKey[] = [
  'backendUrl',
  'updatesEnabled',
  'updateChannel',
  'shortcutsEnabled',
  'shortcuts',
  'logLevel',
];

export interface SettingRow {
  key: SettingKey;
  label: string;
  locked: boolean;
  /** "Set by your IT policy" when locked, else null. */
  lockNote: string | null;
}

export interface RejectedRow {
  key: string;
  label: string;
  reason: string;
}

export interface SettingsModel {
  values: UserSettings;
  rows: Record<SettingKey, SettingRow>;
  lockedCount: number;
  rejected: RejectedRow[];
  /** One sentence for the warning's heading; null when nothing was rejected. */
  rejectedSummary: string | null;
  /** Where the policy came from, for the note under the settings. */
  policyNote: string;
  allowedBackendOrigins: string[];
}

export function labelForPolicyKey(key: string): string {
  return (settingLabels as Record<string, string>)[key] ?? policyOnlyLabels[key] ?? key;
}

export function settingsModel(view: SettingsView): SettingsModel {
  const locked = new Set(view.locked);
  const rows = Object.fromEntries(
    SETTING_KEYS.map((key) => [
      key,
      {
        key,
        label: settingLabels[key],
        locked: locked.has(key),
        lockNote: locked.has(key) ? LOCKED_NOTE : null,
      },
    ]),
  ) as Record<SettingKey, SettingRow>;
  const rejected = view.rejectedPolicyKeys.map((r: RejectedPolicyKey) => ({
    key: r.key,
    label: labelForPolicyKey(r.key),
    reason: r.reason,
  }));
  const n = rejected.length;
  return {
    values: view.values,
    rows,
    lockedCount: SETTING_KEYS.filter((k) => locked.has(k)).length,
    rejected,
    rejectedSummary:
      n === 0
        ? null
        : `Your IT policy has ${n === 1 ? 'a setting' : `${n} settings`} that could not be applied; ` +
          `${n === 1 ? 'it is' : 'they are'} locked to safe defaults. Tell your IT department.`,
    policyNote: view.policy.found
      ? `Managed policy: ${view.policy.path}`
      : `No managed policy (looked for ${view.policy.path}).`,
    allowedBackendOrigins: view.allowedBackendOrigins,
  };
}

/** The keys of `draft` that differ from the view and are not locked; empty object = nothing to save. */
export function patchFromDraft(view: SettingsView, draft: Partial<UserSettings>): UserSettingsPatch {
  const locked = new Set(view.locked);
  const patch: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const next = draft[key];
    if (next === undefined || locked.has(key)) continue;
    if (JSON.stringify(next) !== JSON.stringify(view.values[key])) patch[key] = next;
  }
  return patch as UserSettingsPatch;
}

/**
 * The contract's BackendUrl rule (http(s), no credentials, query or fragment) for a friendly
 * message before saving. Main also checks the allowed origins and https off loopback.
 */
export function backendUrlProblem(raw: string, allowedOrigins: readonly string[] = []): string | null {
  const value = raw.trim();
  if (value === '') return 'Enter the backend address, e.g. https://switchboard.example.com.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'That is not a web address; it should look like https://switchboard.example.com.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'Use an https:// (or http:// on this computer) address.';
  if (url.username || url.password) return 'Leave the user name and password out of the address.';
  if (url.search || url.hash) return 'Leave the ?query and #fragment out of the address.';
  // As in main (main/backend-connection.ts): an allow-list from policy decides on its own.
  if (allowedOrigins.length > 0)
    return allowedOrigins.includes(url.origin)
      ? null
      : `Your IT policy only allows ${allowedOrigins.join(', ')}.`;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !loopback)
    return 'Plain http:// is only allowed for a backend on this computer; use https://.';
  return null;
}
