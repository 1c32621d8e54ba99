// The origin of a URL as Chromium sees it. Node's URL gives "null" for schemes it does not
// know (app:), while Chromium treats our registered standard scheme like http; comparing
// scheme://host works for both and keeps the checks identical in tests and in Electron.
export function originOf(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if (!url.host) return null;
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : `${url.protocol}//${url.host.toLowerCase()}`;
  } catch {
    return null;
  }
}
