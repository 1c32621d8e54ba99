// Which backend the app talks to. Order: managed policy, then SWITCHBOARD_BACKEND_URL (set by
// `npm start` after it starts the local backend), then the user's setting, then the local
// default. Whatever wins must pass the origin rules: the policy's allow-list when there is
// one, else https anywhere or http on loopback only — the backend's pages get the preload
// API, so they must not come over plain http from another machine.
import type { ManagedPolicy } from './policy';

export const BACKEND_URL_ENV = 'SWITCHBOARD_BACKEND_URL';
export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8080';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname);
}

/** Null when the URL may be used; otherwise a message that says what to do. */
export function backendUrlProblem(raw: string, allowedOrigins: readonly string[] | undefined): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw}" is not a URL. Enter the address IT gave you, e.g. https://switchboard.example.com.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `"${raw}" must start with https://.`;
  if (url.username || url.password || url.search || url.hash) return `"${raw}" must not contain credentials, a query or a fragment.`;
  if (allowedOrigins && allowedOrigins.length > 0) {
    return allowedOrigins.includes(url.origin) ? null : `${url.origin} is not allowed by your organization's policy (allowed: ${allowedOrigins.join(', ')}).`;
  }
  if (url.protocol === 'http:' && !isLoopback(url)) return `${url.origin} uses plain http; use https:// for a backend on another machine.`;
  return null;
}

export interface BackendChoice {
  url: string;
  source: 'policy' | 'environment' | 'user' | 'default';
  /** Candidates that were skipped and why (logged, shown in the settings screen's log). */
  skipped: string[];
}

export function resolveBackendUrl(input: { policy: ManagedPolicy; env: NodeJS.ProcessEnv; userUrl: string | undefined }): BackendChoice {
  const allowed = input.policy.allowedBackendOrigins;
  const candidates: [BackendChoice['source'], string | undefined][] = [
    ['policy', input.policy.backendUrl],
    ['environment', input.env[BACKEND_URL_ENV]],
    ['user', input.userUrl],
    ['default', allowed?.[0] ?? DEFAULT_BACKEND_URL],
  ];
  const skipped: string[] = [];
  for (const [source, url] of candidates) {
    if (!url) continue;
    const problem = backendUrlProblem(url, allowed);
    if (problem === null) return { url: stripTrailingSlash(url), source, skipped };
    skipped.push(`${source}: ${problem}`);
  }
  return { url: DEFAULT_BACKEND_URL, source: 'default', skipped };
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Waits for /healthz (used by the window to show a clear message when the backend is down). */
export async function checkBackend(fetchImpl: (url: string, init?: RequestInit) => Promise<Response>, backendUrl: string, timeoutMs = 3000): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    const res = await fetchImpl(`${backendUrl}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? { ok: true } : { ok: false, message: `${backendUrl} answered ${res.status}; check the server log.` };
  } catch (err) {
    return { ok: false, message: `Cannot reach ${backendUrl} (${(err as Error).message}). Check the network or ask IT for the backend address.` };
  }
}
