// The slice of Electron the main process uses, as plain interfaces. Every module takes what
// it needs from here, so it runs under Node in tests with fakes; electron-adapter.ts is the
// only file that touches the real `electron` module.

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface FrameLike {
  url: string;
  /** null for the top frame. */
  parent: FrameLike | null;
}

/** The `event` of ipcMain.handle, as far as sender validation needs it. */
export interface IpcInvokeEvent {
  sender: { id: number };
  senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface WindowOpenHandlerResult {
  action: 'deny';
}

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, payload: unknown): void;
  getURL(): string;
  isDestroyed(): boolean;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResult): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent & { url: string }) => void): void;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): void;
  on(event: 'did-finish-load', listener: () => void): void;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  maximize(): void;
  getNormalBounds(): Rectangle;
  on(event: 'close' | 'closed' | 'ready-to-show' | 'resize' | 'move', listener: () => void): void;
}

/** The subset of BrowserWindowConstructorOptions we set; tests read it back. */
export interface AgentWindowOptions {
  x?: number;
  y?: number;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: {
    preload: string;
    sandbox: true;
    contextIsolation: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webviewTag: false;
    webSecurity: true;
    spellcheck: boolean;
    additionalArguments: string[];
    devTools: boolean;
    navigateOnDragDrop: false;
    safeDialogs: true;
  };
}

export interface PermissionRequestDetails {
  requestingUrl?: string;
  mediaTypes?: string[];
  isMainFrame?: boolean;
}

export interface PermissionCheckDetails {
  requestingUrl?: string;
  mediaType?: string;
  isMainFrame?: boolean;
}

export interface HeadersDetails {
  url: string;
  method: string;
  webContentsId?: number;
  responseHeaders?: Record<string, string[] | string>;
  statusLine?: string;
}

export interface HeadersResponse {
  cancel?: boolean;
  responseHeaders?: Record<string, string[] | string>;
  statusLine?: string;
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler: (webContents: { id: number; getURL(): string } | null, permission: string, callback: (granted: boolean) => void, details: PermissionRequestDetails) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: { id: number } | null, permission: string, requestingOrigin: string, details: PermissionCheckDetails) => boolean,
  ): void;
  setDevicePermissionHandler(handler: (details: { deviceType: string; origin: string }) => boolean): void;
  webRequest: {
    onHeadersReceived(filter: { urls: string[] }, listener: (details: HeadersDetails, callback: (response: HeadersResponse) => void) => void): void;
  };
  protocol: {
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
}

export interface MenuItemSpec {
  label?: string;
  type?: 'normal' | 'separator' | 'radio';
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
}

/** A raw BGRA bitmap (nativeImage.createFromBitmap); the tray icon is drawn, not shipped. */
export interface TrayImage {
  width: number;
  height: number;
  bgra: Buffer;
}

export interface TrayLike {
  setImage(image: TrayImage): void;
  setToolTip(text: string): void;
  setContextMenu(items: MenuItemSpec[]): void;
  on(event: 'click', listener: () => void): void;
  destroy(): void;
}

export interface NotificationLike {
  show(): void;
  close(): void;
  on(event: 'click' | 'close', listener: () => void): void;
  on(event: 'action', listener: (event: unknown, index: number) => void): void;
}

export interface NotificationOptions {
  title: string;
  body: string;
  silent: boolean;
  urgency?: 'normal' | 'critical' | 'low';
  timeoutType?: 'default' | 'never';
  actions?: { type: 'button'; text: string }[];
}

export interface GlobalShortcutLike {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
  unregisterAll(): void;
}

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: "basic_text" means no keychain (a hard-coded key), which we do not trust. */
  getSelectedStorageBackend?(): string;
}

export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

export interface AppLike {
  readonly isPackaged: boolean;
  getName(): string;
  getVersion(): string;
  getPath(name: 'userData' | 'logs'): string;
  getAppPath(): string;
  requestSingleInstanceLock(): boolean;
  setAsDefaultProtocolClient(scheme: string, path?: string, args?: string[]): boolean;
  quit(): void;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): void;
  on(event: 'open-url', listener: (event: PreventableEvent, url: string) => void): void;
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): void;
  on(event: 'will-quit' | 'window-all-closed' | 'before-quit', listener: () => void): void;
}

export interface ScreenLike {
  getAllDisplays(): { workArea: Rectangle }[];
}

/** Files the main process keeps (settings, window state, token) — injected so tests use memory. */
export interface FileStore {
  read(path: string): string | Buffer | null;
  write(path: string, data: string | Buffer): void;
  remove(path: string): void;
}

/** Everything the composition root hands out; modules each take only the part they need. */
export interface ElectronFacade {
  app: AppLike;
  ipcMain: IpcMainLike;
  session: SessionLike;
  screen: ScreenLike;
  shell: ShellLike;
  safeStorage: SafeStorageLike;
  globalShortcut: GlobalShortcutLike;
  createWindow(options: AgentWindowOptions): BrowserWindowLike;
  createTray(image: TrayImage): TrayLike;
  createNotification(options: NotificationOptions): NotificationLike;
  notificationsSupported(): boolean;
  netFetch(input: string, init?: RequestInit): Promise<Response>;
  files: FileStore;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  versions: { electron: string; chrome: string };
  arch: string;
}
