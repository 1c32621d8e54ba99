// The managed policy: a flat JSON file IT deploys per machine. Each key is checked on its
// own, so one bad value does not throw away the rest; a rejected key is still locked (to its
// safe default), because IT meant to manage it. The settings screen shows both lists.
import { z } from 'zod';
import { BackendUrl, LogLevel, POLICY_KEYS, UpdateChannelName, type PolicyKey, type RejectedPolicyKey } from '../contracts/desktop-api';

export const POLICY_ENV = 'SWITCHBOARD_POLICY_FILE';

export interface ManagedPolicy {
  backendUrl?: string;
  allowedBackendOrigins?: string[];
  updateChannel?: 'stable' | 'beta';
  updatesEnabled?: boolean;
  shortcutsEnabled?: boolean;
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

export interface LoadedPolicy {
  path: string;
  found: boolean;
  /** Valid keys and, for rejected keys, their safe defaults. */
  values: ManagedPolicy;
  /** Every key the file sets, valid or not: these cannot be changed by the user. */
  lockedKeys: PolicyKey[];
  rejected: RejectedPolicyKey[];
}

/** Where IT puts the file; SWITCHBOARD_POLICY_FILE overrides it (tests, staging machines). */
export function policyFilePath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  const override = env[POLICY_ENV];
  if (override) return override;
  if (platform === 'win32') return `${env.ProgramData ?? 'C:\\ProgramData'}\\Switchboard\\policy.json`;
  if (platform === 'darwin') return '/Library/Application Support/Switchboard/policy.json';
  return '/etc/switchboard/policy.json';
}

const Origin = z
  .string()
  .url()
  .refine((raw) => {
    const u = new URL(raw);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === raw.replace(/\/$/, '');
  }, 'must be a bare origin such as https://switchboard.example.com');

const keySchemas: Record<PolicyKey, z.ZodType> = {
  backendUrl: BackendUrl,
  allowedBackendOrigins: z.array(Origin).min(1).max(20),
  updateChannel: UpdateChannelName,
  updatesEnabled: z.boolean(),
  shortcutsEnabled: z.boolean(),
  logLevel: LogLevel,
};

/**
 * What a rejected key falls back to. Chosen to fail closed: shortcuts off (never steal keys),
 * stable channel with updates on (security fixes still arrive), only the local backend.
 */
export const SAFE_POLICY_DEFAULTS: Required<ManagedPolicy> = {
  backendUrl: 'http://127.0.0.1:8080',
  allowedBackendOrigins: ['http://127.0.0.1:8080', 'http://localhost:8080'],
  updateChannel: 'stable',
  updatesEnabled: true,
  shortcutsEnabled: false,
  logLevel: 'info',
};

function isPolicyKey(key: string): key is PolicyKey {
  return (POLICY_KEYS as readonly string[]).includes(key);
}

/** Parses the file's text; never throws. `text` null means no file (nothing is managed). */
export function parsePolicy(path: string, text: string | null): LoadedPolicy {
  const empty: LoadedPolicy = { path, found: text !== null, values: {}, lockedKeys: [], rejected: [] };
  if (text === null) return empty;
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, '')); // Windows editors add a BOM
  } catch (err) {
    return { ...empty, rejected: [{ key: '(file)', reason: `not valid JSON (${(err as Error).message}); fix the file at ${path}` }] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ...empty, rejected: [{ key: '(file)', reason: `must be a JSON object; fix the file at ${path}` }] };
  }
  const values: Record<string, unknown> = {};
  const lockedKeys: PolicyKey[] = [];
  const rejected: RejectedPolicyKey[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!isPolicyKey(key)) {
      rejected.push({ key, reason: `unknown key; known keys: ${POLICY_KEYS.join(', ')}` });
      continue;
    }
    lockedKeys.push(key);
    const parsed = keySchemas[key].safeParse(value);
    if (parsed.success) {
      values[key] = key === 'allowedBackendOrigins' ? (parsed.data as string[]).map((o) => new URL(o).origin) : parsed.data;
    } else {
      values[key] = SAFE_POLICY_DEFAULTS[key];
      rejected.push({ key, reason: `${parsed.error.issues[0]?.message ?? 'invalid value'}; using ${JSON.stringify(SAFE_POLICY_DEFAULTS[key])}` });
    }
  }
  const policy = values as ManagedPolicy;
  if (policy.backendUrl && policy.allowedBackendOrigins && !policy.allowedBackendOrigins.includes(new URL(policy.backendUrl).origin)) {
    rejected.push({ key: 'backendUrl', reason: `origin is not in allowedBackendOrigins; using ${policy.allowedBackendOrigins[0]}` });
    policy.backendUrl = policy.allowedBackendOrigins[0];
  }
  return { path, found: true, values: policy, lockedKeys, rejected };
}

export function loadPolicy(deps: { platform: NodeJS.Platform; env: NodeJS.ProcessEnv; readText: (path: string) => string | null }): LoadedPolicy {
  const path = policyFilePath(deps.platform, deps.env);
  let text: string | null;
  try {
    text = deps.readText(path);
  } catch (err) {
    return { path, found: true, values: {}, lockedKeys: [], rejected: [{ key: '(file)', reason: `cannot be read (${(err as Error).message})` }] };
  }
  return parsePolicy(path, text);
}

export function setupPolicy(deps: { platform: NodeJS.Platform; env: NodeJS.ProcessEnv; readText: (path: string) => string | null; log: (line: string) => void }): LoadedPolicy {
  const policy = loadPolicy(deps);
  for (const r of policy.rejected) deps.log(`policy ${policy.path}: key "${r.key}" rejected: ${r.reason}`);
  return policy;
}
