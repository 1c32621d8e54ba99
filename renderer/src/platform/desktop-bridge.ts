// The optional preload API (`window.switchboard`) as the renderer uses it. In the desktop
// shell it brings secure token storage and the backend's address; in a plain browser it is
// absent and every caller here falls back to web behaviour. The contract for it is not in
// contracts/ yet, so the renderer reads only what it needs and checks each member exists.

export interface DesktopTokenStore {
  get(): Promise<string | null>;
  set(token: string): Promise<void>;
  clear(): Promise<void>;
}

export interface DesktopBridge {
  tokens?: DesktopTokenStore;
  /** The backend's origin when the app is not served by it (desktop shell). */
  serverUrl?: string;
}

declare global {
  interface Window {
    switchboard?: DesktopBridge;
  }
}

export function desktopBridge(): DesktopBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.switchboard;
}

/** Where the REST API and the WebSockets live: the desktop's configured server, or this page's origin. */
export function serverBaseUrl(): string {
  const configured = desktopBridge()?.serverUrl;
  return configured && /^https?:\/\//.test(configured) ? configured : window.location.origin;
}
