// In-memory stand-ins for the Electron facade, shared by the main-process tests.
import type { FileStore, IpcInvokeEvent, WebContentsLike } from '../electron-facade';

export function memoryFiles(initial: Record<string, string | Buffer> = {}): FileStore & { data: Map<string, string | Buffer> } {
  const data = new Map(Object.entries(initial));
  return { data, read: (p) => data.get(p) ?? null, write: (p, d) => void data.set(p, d), remove: (p) => void data.delete(p) };
}

type Listener = (...args: never[]) => unknown;

export function fakeWebContents(id = 1): WebContentsLike & { listeners: Map<string, Listener[]>; sent: [string, unknown][]; openHandler?: (d: { url: string }) => { action: 'deny' }; emit(event: string, ...args: unknown[]): void } {
  const listeners = new Map<string, Listener[]>();
  const wc = {
    id,
    listeners,
    sent: [] as [string, unknown][],
    openHandler: undefined as ((d: { url: string }) => { action: 'deny' }) | undefined,
    send(channel: string, payload: unknown) {
      wc.sent.push([channel, payload]);
    },
    getURL: () => 'app://switchboard/app/',
    isDestroyed: () => false,
    setWindowOpenHandler(h: (d: { url: string }) => { action: 'deny' }) {
      wc.openHandler = h;
    },
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
    emit(event: string, ...args: unknown[]) {
      for (const l of listeners.get(event) ?? []) (l as (...a: unknown[]) => unknown)(...args);
    },
  };
  return wc as never;
}

export function navEvent(url: string): { url: string; prevented: boolean; preventDefault(): void } {
  const e = { url, prevented: false, preventDefault: () => void (e.prevented = true) };
  return e;
}

export function ipcEvent(senderId: number, url: string | null, parent: null | { url: string; parent: null } = null): IpcInvokeEvent {
  return { sender: { id: senderId }, senderFrame: url === null ? null : { url, parent } };
}
