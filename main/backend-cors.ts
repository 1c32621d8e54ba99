// The bundled app (origin app://switchboard) calls the backend cross-origin. Until the
// backend answers CORS for that origin itself, main adds the headers — only on responses
// from the configured backend origin, only for requests our own app made, and preflights
// (which the backend answers 404) are turned into 204s. Nothing else is touched.
import { APP_ORIGIN } from '../contracts/desktop-api';
import type { HeadersDetails, HeadersResponse, SessionLike } from './electron-facade';

const ALLOW_HEADERS = 'authorization, content-type';
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

function header(headers: Record<string, string[] | string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  if (!entry) return undefined;
  return Array.isArray(entry[1]) ? entry[1][0] : entry[1];
}

export function corsResponse(details: HeadersDetails, backendOrigin: string, isOurContents: (id: number | undefined) => boolean): HeadersResponse {
  let origin: string;
  try {
    origin = new URL(details.url).origin;
  } catch {
    return {};
  }
  if (origin !== backendOrigin || !isOurContents(details.webContentsId)) return {};
  const responseHeaders: Record<string, string[] | string> = {};
  for (const [k, v] of Object.entries(details.responseHeaders ?? {})) {
    if (!k.toLowerCase().startsWith('access-control-')) responseHeaders[k] = v;
  }
  responseHeaders['Access-Control-Allow-Origin'] = [APP_ORIGIN];
  responseHeaders['Vary'] = ['Origin'];
  if (details.method === 'OPTIONS') {
    responseHeaders['Access-Control-Allow-Methods'] = [ALLOW_METHODS];
    responseHeaders['Access-Control-Allow-Headers'] = [ALLOW_HEADERS];
    responseHeaders['Access-Control-Max-Age'] = ['600'];
    return { responseHeaders, statusLine: 'HTTP/1.1 204 No Content' };
  }
  const exposed = header(details.responseHeaders, 'content-disposition') ? 'content-disposition' : undefined;
  if (exposed) responseHeaders['Access-Control-Expose-Headers'] = [exposed];
  return { responseHeaders };
}

export function setupBackendCors(deps: { session: Pick<SessionLike, 'webRequest'>; backendUrl: () => string; isOurContents: (id: number | undefined) => boolean }): void {
  deps.session.webRequest.onHeadersReceived({ urls: ['http://*/*', 'https://*/*'] }, (details, callback) => {
    callback(corsResponse(details, new URL(deps.backendUrl()).origin, deps.isOurContents));
  });
}
