// Window state, tray, offer notifications, main → renderer events.
import { describe, expect, it, vi } from 'vitest';
import type { AgentWindowOptions, NotificationOptions } from '../electron-facade';
import { setupOfferNotifications } from '../offer-notifications';
import { setupRendererEvents } from '../renderer-events';
import { presenceIcon, setupTray, trayMenu } from '../tray';
import { setupAgentWindow } from '../window';
import { fakeWebContents, memoryFiles } from './fakes';

describe('agent window', () => {
  it('opens the app from app://, restores and saves its bounds', () => {
    const files = memoryFiles({ ws: JSON.stringify({ x: 50, y: 60, width: 1100, height: 750, maximized: true }) });
    const handlers = new Map<string, () => void>();
    let options: AgentWindowOptions | undefined;
    const win = {
      webContents: fakeWebContents(),
      loadURL: vi.fn(async () => undefined),
      show: vi.fn(), focus: vi.fn(), restore: vi.fn(), maximize: vi.fn(),
      isMinimized: () => true, isMaximized: () => false, isDestroyed: () => false,
      getNormalBounds: () => ({ x: 10, y: 20, width: 1200, height: 800 }),
      on: (e: string, l: () => void) => void handlers.set(e, l),
    };
    const w = setupAgentWindow({
      createWindow: (o) => ((options = o), win),
      displays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
      files, statePath: 'ws', preloadPath: 'p.cjs', backendUrl: 'http://127.0.0.1:8080', devTools: false,
    });
    expect(options).toMatchObject({ x: 50, y: 60, width: 1100, height: 750, show: false });
    expect(win.maximize).toHaveBeenCalled();
    expect(win.loadURL).toHaveBeenCalledWith('app://switchboard/app/');
    handlers.get('close')!();
    expect(JSON.parse(String(files.data.get('ws')))).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: false });
    w.reveal();
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });
});

describe('tray', () => {
  it('shows presence and offers the selectable ones', () => {
    const request = vi.fn();
    const menu = trayMenu('available', { request, show: vi.fn(), quit: vi.fn() });
    const radios = menu.filter((i) => i.type === 'radio');
    expect(radios.map((r) => [r.label, r.checked])).toEqual([['Available', true], ['Away', false], ['Offline', false]]);
    radios[1]!.click!();
    expect(request).toHaveBeenCalledWith('away');
    expect(trayMenu('on_call', { request, show: vi.fn(), quit: vi.fn() }).filter((i) => i.type === 'radio').every((r) => r.enabled === false)).toBe(true);
  });
  it('updates tooltip and icon colour with presence', () => {
    const tray = { setImage: vi.fn(), setToolTip: vi.fn(), setContextMenu: vi.fn(), on: vi.fn(), destroy: vi.fn() };
    const t = setupTray({ createTray: () => tray, request: vi.fn(), show: vi.fn(), quit: vi.fn() });
    t.setPresence('on_call');
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Switchboard — On a call');
    const icon = presenceIcon('available');
    expect(icon.bgra.length).toBe(16 * 16 * 4);
    const centre = (8 * 16 + 8) * 4;
    expect([icon.bgra[centre + 2], icon.bgra[centre + 1], icon.bgra[centre + 3]]).toEqual([0x2e, 0xa0, 255]);
  });
});

describe('offer notifications', () => {
  function make(supported = true) {
    const created: { options: NotificationOptions; handlers: Map<string, (...a: unknown[]) => void>; show: ReturnType<typeof vi.fn>; close: ReturnType<typeof vi.fn> }[] = [];
    const focusWindow = vi.fn();
    const emit = vi.fn();
    const n = setupOfferNotifications({
      supported: () => supported,
      create: (options) => {
        const handlers = new Map<string, (...a: unknown[]) => void>();
        const item = { options, handlers, show: vi.fn(), close: vi.fn() };
        created.push(item);
        return { show: item.show, close: item.close, on: (e: string, l: (...a: unknown[]) => void) => void handlers.set(e, l) } as never;
      },
      focusWindow,
      emit,
    });
    return { n, created, focusWindow, emit };
  }
  it('shows a notification with an Accept action; click focuses, Accept accepts', () => {
    const { n, created, focusWindow, emit } = make();
    n.notify({ offerId: 'o1', title: 'Incoming call — billing', body: 'Verified: Ada Lovelace' });
    expect(created[0]!.options).toMatchObject({ title: 'Incoming call — billing', actions: [{ type: 'button', text: 'Accept' }], silent: true });
    expect(created[0]!.show).toHaveBeenCalled();
    created[0]!.handlers.get('click')!();
    expect(focusWindow).toHaveBeenCalled();
    expect(emit).toHaveBeenLastCalledWith({ offerId: 'o1', action: 'open' });
    created[0]!.handlers.get('action')!({}, 0);
    expect(emit).toHaveBeenLastCalledWith({ offerId: 'o1', action: 'accept' });
    n.dismiss('o1');
    expect(created[0]!.close).toHaveBeenCalled();
  });
  it('without OS notifications it brings the window forward; bad input throws', () => {
    const { n, created, focusWindow } = make(false);
    n.notify({ offerId: 'o1', title: 'Call' });
    expect(created).toHaveLength(0);
    expect(focusWindow).toHaveBeenCalled();
    expect(() => n.notify({ title: 'x' })).toThrow();
  });
});

describe('renderer events', () => {
  it('holds events until the page has loaded, then sends in order', () => {
    const wc = fakeWebContents();
    const events = setupRendererEvents(wc);
    events.send('event:deep-link', { kind: 'session', sessionId: 'a' });
    expect(wc.sent).toEqual([]);
    wc.emit('did-finish-load');
    events.send('event:shortcut', 'mute');
    expect(wc.sent).toEqual([['event:deep-link', { kind: 'session', sessionId: 'a' }], ['event:shortcut', 'mute']]);
  });
});
