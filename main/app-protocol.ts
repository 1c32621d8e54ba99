// app://switchboard/app/… serves the bundled agent app (dist/renderer, inside the signed
// asar) instead of file://. Each response carries the strict Content-Security-Policy; the
// only other origin the page may talk to is the configured backend (REST, WebSockets and the
// audio worklet it serves).
import { posix } from 'node:path';
import { APP_HOST, APP_SCHEME } from '../contracts/desktop-api';
import { TWILIO_SDK_CONNECT_SRC, TWILIO_SDK_MEDIA_SRC } from '../contracts/twilio-sdk-endpoints';

export const APP_START_URL = `${APP_SCHEME}://${APP_HOST}/app/`;

/** Registered before `ready` (protocol.registerSchemesAsPrivileged). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: real origin and relative URLs; secure: a secure context, so getUserMedia works;
  // supportFetchAPI: fetch() of the app's own assets. No bypassCSP, no corsEnabled.
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
} as const;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};

/**
 * The app's CSP. `clusterOrigins`: the managed policy's allowed backend origins — in a
 * cluster a call's audio joins the backend holding it (`call.assigned`'s mediaUrl), so the
 * app may connect to each backend IT listed, and to no other.
 */
export function contentSecurityPolicy(backendUrl: string, clusterOrigins: readonly string[] = []): string {
  const backend = new URL(backendUrl);
  const origins = [...new Set([backend.origin, ...clusterOrigins.map((o) => new URL(o).origin)])];
  const connect = origins.flatMap((origin) => {
    const url = new URL(origin);
    return [origin, `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`];
  });
  return [
    "default-src 'none'",
    // The audio worklet comes from the backend (it is versioned with the media protocol).
    `script-src 'self' ${backend.origin}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // The Twilio Voice SDK's endpoints, for when the backend's carrier is Twilio (docs/twilio.md).
    `media-src 'self' blob: ${TWILIO_SDK_MEDIA_SRC.join(' ')}`,
    `connect-src 'self' ${connect.join(' ')} ${TWILIO_SDK_CONNECT_SRC.join(' ')}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The file under `root` for an app:// URL, or null (wrong host, outside /app/, traversal). */
export function resolveAppAsset(rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (!path.startsWith('/app/') || path.includes('\0') || path.includes('\\')) return null;
  const relative = posix.normalize(path.slice('/app/'.length));
  if (relative.startsWith('..') || posix.isAbsolute(relative)) return null;
  // Client-side routes (no extension) get the app shell.
  return relative === '.' || relative === '' || posix.extname(relative) === '' ? 'index.html' : relative;
}

export interface AppProtocolDeps {
  readAsset: (relativePath: string) => Promise<Buffer | null>;
  backendUrl: () => string;
  /** Every backend of the cluster the app may reach (the policy's allow-list). */
  clusterOrigins?: () => readonly string[];
}

export function createAppProtocolHandler(deps: AppProtocolDeps) {
  return async (request: Request): Promise<Response> => {
    const headers = {
      'content-security-policy': contentSecurityPolicy(deps.backendUrl(), deps.clusterOrigins?.() ?? []),
      'x-content-type-options': 'nosniff',
      'cross-origin-opener-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405, headers });
    const asset = resolveAppAsset(request.url);
    const body = asset === null ? null : await deps.readAsset(asset);
    if (asset === null || body === null) return new Response('not found', { status: 404, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
    return new Response(new Uint8Array(body), { status: 200, headers: { ...headers, 'content-type': MIME[posix.extname(asset)] ?? 'application/octet-stream' } });
  };
}

export function setupAppProtocol(deps: AppProtocolDeps & { protocol: { handle(scheme: string, handler: (request: Request) => Promise<Response>): void } }): void {
  deps.protocol.handle(APP_SCHEME, createAppProtocolHandler(deps));
}
