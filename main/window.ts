// The agent window: hardened webPreferences, the bundled app from app://, and size and
// position remembered between runs (clamped back onto a screen that still exists, so a
// window last seen on an unplugged monitor does not open off-screen).
import { z } from 'zod';
import { SERVER_URL_ARG } from '../contracts/desktop-api';
import { APP_START_URL } from './app-protocol';
import type { AgentWindowOptions, BrowserWindowLike, FileStore, Rectangle } from './electron-facade';
import { readJson, writeJson } from './json-file';

export const WindowState = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400).max(10_000),
  height: z.number().int().min(300).max(10_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

const DEFAULT_SIZE = { width: 1280, height: 820 };

export function agentWindowOptions(input: { preloadPath: string; backendUrl: string; state: WindowState | null; devTools: boolean }): AgentWindowOptions {
  return {
    ...(input.state ? { x: input.state.x, y: input.state.y, width: input.state.width, height: input.state.height } : DEFAULT_SIZE),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Switchboard',
    backgroundColor: '#111318',
    autoHideMenuBar: true,
    webPreferences: {
      preload: input.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      spellcheck: true,
      additionalArguments: [`${SERVER_URL_ARG}${input.backendUrl}`],
      devTools: input.devTools,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

function intersects(a: Rectangle, b: Rectangle): boolean {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w >= 100 && h >= 100;
}

/** The saved state when at least 100×100 px of it is still on some display, else null (centered default). */
export function visibleState(state: WindowState | null, displays: readonly { workArea: Rectangle }[]): WindowState | null {
  if (!state) return null;
  return displays.some((d) => intersects(state, d.workArea)) ? state : null;
}

export interface AgentWindow {
  window: BrowserWindowLike;
  reveal(): void;
}

export function setupAgentWindow(deps: {
  createWindow: (options: AgentWindowOptions) => BrowserWindowLike;
  displays: () => readonly { workArea: Rectangle }[];
  files: FileStore;
  statePath: string;
  preloadPath: string;
  backendUrl: string;
  devTools: boolean;
}): AgentWindow {
  const state = visibleState(readJson(deps.files, deps.statePath, WindowState), deps.displays());
  const window = deps.createWindow(agentWindowOptions({ preloadPath: deps.preloadPath, backendUrl: deps.backendUrl, state, devTools: deps.devTools }));
  if (state?.maximized) window.maximize();
  const save = () => {
    if (window.isDestroyed()) return;
    const b = window.getNormalBounds();
    writeJson(deps.files, deps.statePath, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: window.isMaximized() });
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('close', () => {
    clearTimeout(timer);
    save();
  });
  window.on('ready-to-show', () => window.show());
  void window.loadURL(APP_START_URL);
  return {
    window,
    reveal() {
      if (window.isDestroyed()) return;
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
  };
}
