import { describe, expect, it, vi } from 'vitest';
import { InvokeChannel } from '../../contracts/desktop-api';
import { desktopApiHandlers } from '../desktop-api-handlers';
import type { IpcInvokeEvent } from '../electron-facade';
import { isTrustedSender, setupIpc } from '../ipc';
import { ipcEvent } from './fakes';

function harness() {
  const registered = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
  const ipcMain = { handle: (c: string, l: (event: IpcInvokeEvent, ...args: unknown[]) => unknown) => void registered.set(c, l), removeHandler: (c: string) => void registered.delete(c) };
  const tokens = { value: null as string | null, get: () => tokens.value, set: (t: string) => void (tokens.value = t), clear: () => void (tokens.value = null), persistent: true };
  const handlers = desktopApiHandlers({
    tokens,
    settings: { view: vi.fn(), backend: vi.fn(), set: vi.fn(), onChange: vi.fn() } as never,
    audio: { get: vi.fn(), set: vi.fn((p) => p) } as never,
    tray: { setPresence: vi.fn(), dispose: vi.fn() },
    offers: { notify: vi.fn(), dismiss: vi.fn(), dismissAll: vi.fn() },
    updates: { status: vi.fn(), install: vi.fn(() => false), apply: vi.fn(), dispose: vi.fn() },
    openExternal: vi.fn(async () => true),
    appInfo: vi.fn(),
  });
  const log = vi.fn();
  const dispose = setupIpc({ ipcMain, ourWebContentsIds: () => new Set([1]), handlers, log });
  const call = (channel: string, event: IpcInvokeEvent, ...args: unknown[]) => Promise.resolve(registered.get(channel)!(event, ...args));
  return { registered, handlers, tokens, log, call, dispose };
}

const good = ipcEvent(1, 'app://switchboard/app/');

describe('IPC sender validation', () => {
  it('trusts only our window, its top frame, our origin', () => {
    const ids = new Set([1]);
    expect(isTrustedSender(good, ids)).toBe(true);
    expect(isTrustedSender(ipcEvent(2, 'app://switchboard/app/'), ids)).toBe(false);
    expect(isTrustedSender(ipcEvent(1, 'https://evil.example/'), ids)).toBe(false);
    expect(isTrustedSender(ipcEvent(1, 'http://127.0.0.1:8080/app/'), ids)).toBe(false);
    expect(isTrustedSender(ipcEvent(1, null), ids)).toBe(false);
    expect(isTrustedSender(ipcEvent(1, 'app://switchboard/app/', { url: 'app://switchboard/app/', parent: null }), ids)).toBe(false);
  });

  it('registers a handler for every invoke channel and removes them on dispose', () => {
    const h = harness();
    expect([...h.registered.keys()].sort()).toEqual(Object.values(InvokeChannel).sort());
    h.dispose();
    expect(h.registered.size).toBe(0);
  });

  it('refuses untrusted senders before the handler runs', async () => {
    const h = harness();
    await expect(h.call(InvokeChannel.tokensSet, ipcEvent(1, 'https://evil.example/'), 'stolen')).rejects.toThrow(/not allowed/);
    await expect(h.call(InvokeChannel.tokensGet, ipcEvent(5, 'app://switchboard/app/'))).rejects.toThrow(/not allowed/);
    expect(h.tokens.value).toBeNull();
    expect(h.log).toHaveBeenCalled();
  });
});

describe('IPC argument parsing', () => {
  it('parses arguments with the contract schemas', async () => {
    const h = harness();
    await h.call(InvokeChannel.tokensSet, good, 'abc');
    expect(await h.call(InvokeChannel.tokensGet, good)).toBe('abc');
    await expect(h.call(InvokeChannel.tokensSet, good, 42)).rejects.toThrow(/invalid arguments/);
    await expect(h.call(InvokeChannel.tokensSet, good, '')).rejects.toThrow(/invalid arguments/);
    await expect(h.call(InvokeChannel.tokensGet, good, 'extra')).rejects.toThrow(/invalid arguments/);
    await expect(h.call(InvokeChannel.presenceSet, good, 'napping')).rejects.toThrow(/invalid arguments/);
    await expect(h.call(InvokeChannel.audioSet, good, { microphoneId: 'a', evil: true })).rejects.toThrow(/invalid arguments/);
    await expect(h.call(InvokeChannel.offerNotify, good, { offerId: 'o1' })).rejects.toThrow(/invalid arguments/);
    await expect(h.call(InvokeChannel.settingsSet, good, { backendUrl: 'javascript:alert(1)' })).rejects.toThrow(/invalid arguments/);
    await h.call(InvokeChannel.tokensClear, good);
    expect(h.tokens.value).toBeNull();
  });
});
