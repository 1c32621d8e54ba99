// Our windows never leave the app: navigation to anything outside the app's own pages is
// cancelled (http(s)/mailto links go to the system browser instead), new windows are always
// denied, and <webview> is never attached. Installed on every webContents the app creates.
import { APP_ORIGIN } from '../contracts/desktop-api';
import type { ShellLike, WebContentsLike } from './electron-facade';
import { openExternalSafely } from './external-links';
import { originOf } from './origin';

/** In-app navigation: only pages of the bundled app (reloads, its own routes). */
export function isInAppUrl(raw: string): boolean {
  if (originOf(raw) !== APP_ORIGIN) return false;
  return new URL(raw).pathname.startsWith('/app/');
}

export function guardWebContents(contents: WebContentsLike, deps: { shell: ShellLike; log: (line: string) => void }): void {
  const stayOrLeave = (event: { preventDefault(): void; url: string }) => {
    if (isInAppUrl(event.url)) return;
    event.preventDefault();
    void openExternalSafely(deps.shell, event.url, deps.log);
  };
  contents.on('will-navigate', stayOrLeave);
  contents.on('will-redirect', (event) => {
    if (!isInAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafely(deps.shell, url, deps.log);
    return { action: 'deny' };
  });
}

export function setupNavigationGuard(deps: {
  onWebContentsCreated: (listener: (contents: WebContentsLike) => void) => void;
  shell: ShellLike;
  log: (line: string) => void;
}): void {
  deps.onWebContentsCreated((contents) => guardWebContents(contents, deps));
}
