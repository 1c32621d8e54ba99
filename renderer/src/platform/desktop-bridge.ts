// The optional preload API (`window.switchboard`), typed by the desktop contract
// (contracts/desktop-api.ts). In the desktop shell it brings secure token storage, settings,
// tray, notifications, shortcuts and the backend's address; in a plain browser it is absent
// and every caller falls back to web behaviour. Type-only import: no contract code (zod
// schemas) is needed to talk to the bridge, main parses every argument itself.
import type { SwitchboardDesktopApi } from '../../../contracts/desktop-api';

export type { SwitchboardDesktopApi };

declare global {
  interface Window {
    /** Present only in the desktop shell; the web app must work without it. */
    switchboard?: SwitchboardDesktopApi;
  }
}

export function desktopBridge(): SwitchboardDesktopApi | undefined {
  if (typeof window === 'undefined') return undefined;
  const bridge = window.switchboard;
  // Anything that is not an object with the token store is not our preload (or a stale one).
  return bridge && typeof bridge === 'object' && typeof bridge.tokens?.get === 'function' ? bridge : undefined;
}

export function isDesktop(): boolean {
  return desktopBridge() !== undefined;
}

/** The backend URL from the desktop's settings view, for when the preload got no address. */
let settingsBackendUrl: string | null = null;

export function rememberSettingsBackendUrl(url: string | null): void {
  settingsBackendUrl = url;
}

const httpUrl = (u: string | null | undefined): u is string => !!u && /^https?:\/\/[^/]/i.test(u);

/**
 * Where the REST API and the WebSockets live: the desktop's configured server (the preload's
 * serverUrl, else the settings view's backendUrl), or this page's own origin in a browser.
 */
export function serverBaseUrl(): string {
  const bridge = desktopBridge();
  if (bridge) {
    if (httpUrl(bridge.serverUrl)) return bridge.serverUrl.replace(/\/+$/, '');
    if (httpUrl(settingsBackendUrl)) return settingsBackendUrl.replace(/\/+$/, '');
  }
  return window.location.origin;
}
