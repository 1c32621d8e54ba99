// The exposed surface is exactly the contract: same members, each calling its own channel,
// subscriptions returning an unsubscribe, and nothing of ipcRenderer reaching the page.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DESKTOP_API_SURFACE, EventChannel, InvokeChannel } from '../../contracts/desktop-api';
import { buildDesktopApi, serverUrlFromArgv, type PreloadIpc } from '../bridge';

const exposed = vi.hoisted(() => ({ calls: [] as [string, unknown][] }));
const ipc = vi.hoisted(() => {
  const listeners = new Map<string, ((event: unknown, payload: unknown) => void)[]>();
  return {
    listeners,
    invoke: vi.fn(async (..._args: unknown[]) => 'result'),
    on: vi.fn((c: string, l: (event: unknown, payload: unknown) => void) => void listeners.set(c, [...(listeners.get(c) ?? []), l])),
    removeListener: vi.fn(),
    send: vi.fn(),
    sendSync: vi.fn(),
    fire(channel: string, payload: unknown) {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'the ipcRenderer object' }, payload);
    },
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.calls.push([name, api]) },
  ipcRenderer: ipc,
}));

type Tree = { [k: string]: Tree | string };
function shape(node: unknown): Tree | string {
  if (typeof node === 'function') return 'function';
  if (typeof node === 'string') return 'string';
  return Object.fromEntries(Object.entries(node as object).map(([k, v]) => [k, shape(v)]));
}
function contractShape(node: unknown): Tree | string {
  const n = node as Record<string, unknown>;
  if ('invoke' in n || 'subscribe' in n) return 'function';
  if ('value' in n) return 'string';
  return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, contractShape(v)]));
}

describe('preload', () => {
  beforeEach(() => {
    exposed.calls.length = 0;
    vi.resetModules();
  });

  it('exposes one object, window.switchboard, whose members are exactly the contract', async () => {
    process.argv.push('--switchboard-server-url=http://127.0.0.1:8080');
    await import('../index');
    process.argv.pop();
    expect(exposed.calls.map(([name]) => name)).toEqual(['switchboard']);
    const api = exposed.calls[0]![1] as Record<string, unknown>;
    expect(shape(api)).toEqual(contractShape(DESKTOP_API_SURFACE));
    expect(api.serverUrl).toBe('http://127.0.0.1:8080');
    const all = JSON.stringify(Object.keys(api)) + JSON.stringify(shape(api));
    for (const forbidden of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'on', 'require', 'process']) expect(all).not.toContain(`"${forbidden}"`);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('each method invokes its own channel with the given arguments', async () => {
    const api = buildDesktopApi(ipc as unknown as PreloadIpc, []);
    await api.tokens.set('t');
    expect(ipc.invoke).toHaveBeenLastCalledWith(InvokeChannel.tokensSet, 't');
    await api.settings.set({ logLevel: 'debug' });
    expect(ipc.invoke).toHaveBeenLastCalledWith(InvokeChannel.settingsSet, { logLevel: 'debug' });
    await api.offers.notify({ offerId: 'o', title: 'x' });
    expect(ipc.invoke).toHaveBeenLastCalledWith(InvokeChannel.offerNotify, { offerId: 'o', title: 'x' });
    await api.openExternal('https://example.com');
    expect(ipc.invoke).toHaveBeenLastCalledWith(InvokeChannel.openExternal, 'https://example.com');
  });

  it('subscriptions receive only the payload and return an unsubscribe', () => {
    const api = buildDesktopApi(ipc as unknown as PreloadIpc, []);
    const got: unknown[] = [];
    const off = api.onShortcut((a) => got.push(a));
    ipc.fire(EventChannel.shortcut, 'mute');
    off();
    ipc.fire(EventChannel.shortcut, 'answer');
    expect(got).toEqual(['mute']);
    expect(() => api.onShortcut('nope' as never)).toThrow(TypeError);
  });

  it('keeps a deep link that arrives before the app subscribes', async () => {
    ipc.listeners.clear();
    const api = buildDesktopApi(ipc as unknown as PreloadIpc, []);
    ipc.fire(EventChannel.deepLink, { kind: 'dial', phone: '+15551234567' });
    const got: unknown[] = [];
    api.onDeepLink((l) => got.push(l));
    await Promise.resolve();
    expect(got).toEqual([{ kind: 'dial', phone: '+15551234567' }]);
  });

  it('serverUrl accepts only http(s)', () => {
    expect(serverUrlFromArgv(['--switchboard-server-url=https://sb.example.com/'])).toBe('https://sb.example.com');
    expect(serverUrlFromArgv(['--switchboard-server-url=javascript:alert(1)'])).toBe('');
    expect(serverUrlFromArgv([])).toBe('');
  });
});
