// The app wired to a fake window.switchboard: presence mirrored to the tray, ringing offers
// as notifications (and taken down), the notification's Accept, global shortcuts doing what
// the in-app ones do, deep links waiting for sign-in, settings pushed by main. Without a
// bridge nothing happens.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OfferView } from '../../contracts/agent-channel';
import { startDesktopIntegration } from '../src/desktop/desktop-integration';
import { rememberSettingsBackendUrl, serverBaseUrl } from '../src/platform/desktop-bridge';
import { clearSession } from '../src/platform/token-storage';
import { offerNotice } from '../src/desktop/offer-notice';
import { openSettings, useSettingsNav } from '../src/desktop/settings-nav';
import { useDesktopSettings } from '../src/settings/settings-store';
import { useAgentStore } from '../src/state/agent-store';
import { useAuthStore } from '../src/state/auth-store';
import type { CallState } from '../src/state/call-reducer';
import { useCallsStore } from '../src/state/calls-store';
import { desk } from '../src/state/desk';
import { useOffersStore } from '../src/state/offers-store';
import { useViewStore } from '../src/state/view-store';
import { fakeBridge, settingsView, type FakeBridge } from './support/fake-bridge';

const offer = (id: string, extra: Partial<OfferView> = {}): OfferView => ({
  offerId: id,
  sessionId: `s-${id}`,
  callerName: 'Dana Lee',
  callerId: '+15550100001',
  queue: 'billing',
  reason: 'caller_request',
  enqueuedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 20_000).toISOString(),
  ...extra,
});

const flush = () => new Promise((r) => setTimeout(r, 0));

let bridge: FakeBridge;
let stop: () => void;

beforeEach(() => {
  useAuthStore.setState({
    phase: 'signed_in',
    token: 't',
    user: { id: 'u1', email: 'a@x', name: 'Ann', role: 'agent' },
  });
  useAgentStore.getState().reset();
  useAgentStore.getState().setChannel({ state: 'open', failures: 0, nextRetryAt: null });
  useOffersStore.getState().reset();
  useCallsStore.getState().reset();
  useViewStore.getState().reset();
  useSettingsNav.setState({ open: false });
  bridge = fakeBridge();
  stop = startDesktopIntegration(bridge);
});

afterEach(() => {
  stop();
  vi.restoreAllMocks();
});

describe('desktop integration', () => {
  it('mirrors presence to the tray, once per change', () => {
    useAgentStore.getState().setPresence('available');
    useAgentStore.getState().setPresence('available');
    useAgentStore.getState().setPresence('on_call');
    expect(bridge.calls.presence).toEqual(['offline', 'available', 'on_call']);
  });

  it('sends a presence picked in the tray to the backend', () => {
    const setPresence = vi.spyOn(desk, 'setPresence').mockResolvedValue(true);
    bridge.emit.presenceRequested('away');
    expect(setPresence).toHaveBeenCalledWith('away');
    useAgentStore.getState().setChannel({ state: 'reconnecting', failures: 1, nextRetryAt: null });
    bridge.emit.presenceRequested('available');
    expect(setPresence).toHaveBeenCalledTimes(1);
    expect(useAgentStore.getState().notices.at(-1)?.text).toMatch(/Not connected/);
  });

  it('notifies ringing offers and dismisses them when they stop', () => {
    useOffersStore.getState().add(offer('o1'));
    useOffersStore.getState().add(offer('o2', { callerName: null, transferNote: 'VIP' }));
    expect(bridge.calls.notified.map((n) => n.offerId)).toEqual(['o1', 'o2']);
    expect(bridge.calls.notified[0]?.title).toBe('Incoming call — Dana Lee (+15550100001)');
    expect(bridge.calls.notified[1]?.body).toMatch(/Note: VIP/);
    useOffersStore.getState().remove('o1');
    expect(bridge.calls.dismissed).toEqual(['o1']);
    useOffersStore.getState().reset();
    expect(bridge.calls.dismissed).toEqual(['o1', 'o2']);
  });

  it("accepts from the notification's Accept button; a click brings the desk forward", () => {
    const accept = vi.spyOn(desk, 'accept').mockResolvedValue(true);
    useOffersStore.getState().add(offer('o1'));
    useViewStore.getState().go('my-dashboard');
    openSettings();
    bridge.emit.offerAction({ offerId: 'o1', action: 'accept' });
    expect(accept).toHaveBeenCalledWith('o1');
    expect(useViewStore.getState().screen).toBe('desk');
    expect(useSettingsNav.getState().open).toBe(false);

    bridge.emit.offerAction({ offerId: 'gone', action: 'accept' });
    expect(accept).toHaveBeenCalledTimes(1);
    expect(useAgentStore.getState().notices.at(-1)?.text).toMatch(/no longer ringing/);

    useViewStore.getState().go('my-sessions');
    bridge.emit.offerAction({ offerId: 'o1', action: 'open' });
    expect(useViewStore.getState().screen).toBe('desk');
  });

  it('global shortcuts answer, mute and hang up like the in-app ones', () => {
    const accept = vi.spyOn(desk, 'accept').mockResolvedValue(true);
    const mute = vi.spyOn(desk, 'mute').mockResolvedValue(true);
    const hangUp = vi.spyOn(desk, 'hangUp').mockResolvedValue(true);
    bridge.emit.shortcut('answer');
    bridge.emit.shortcut('mute');
    bridge.emit.shortcut('hangUp');
    expect([accept, mute, hangUp].map((m) => m.mock.calls.length)).toEqual([0, 0, 0]);

    useOffersStore.getState().add(offer('o1'));
    useOffersStore.getState().add(offer('o2'));
    bridge.emit.shortcut('answer');
    expect(accept).toHaveBeenCalledWith('o1');

    const call = { sessionId: 's1', phase: 'talking', muted: false, held: false } as unknown as CallState;
    useCallsStore.setState({ calls: { s1: call }, order: ['s1'] });
    bridge.emit.shortcut('mute');
    expect(mute).toHaveBeenCalledWith('s1', true);
    bridge.emit.shortcut('hangUp');
    expect(hangUp).toHaveBeenCalledWith('s1');

    useCallsStore.setState({ calls: { s1: { ...call, phase: 'wrap_up' } }, order: ['s1'] });
    bridge.emit.shortcut('hangUp');
    expect(hangUp).toHaveBeenCalledTimes(1);
  });

  it('ignores shortcuts and notification actions while signed out', () => {
    const accept = vi.spyOn(desk, 'accept').mockResolvedValue(true);
    useOffersStore.getState().add(offer('o1'));
    useAuthStore.getState().setSignedOut();
    bridge.emit.shortcut('answer');
    bridge.emit.offerAction({ offerId: 'o1', action: 'accept' });
    expect(accept).not.toHaveBeenCalled();
  });

  it('holds a deep link until sign-in, then opens it', () => {
    useAuthStore.getState().setSignedOut();
    bridge.emit.deepLink({ kind: 'session', sessionId: 'abc' });
    expect(useViewStore.getState().sessionId).toBeNull();
    useAuthStore.getState().setSignedIn('t', { id: 'u2', email: 'l@x', name: 'Lee', role: 'lead' });
    expect(useViewStore.getState()).toMatchObject({ screen: 'sessions', sessionId: 'abc' });
  });

  it('loads settings, app info and update status, and follows what main pushes', async () => {
    await flush();
    expect(useDesktopSettings.getState().view?.values.backendUrl).toBe('https://switchboard.example.com');
    expect(useDesktopSettings.getState().appInfo?.version).toBe('0.1.0');
    expect(useDesktopSettings.getState().update).toEqual({
      state: 'idle',
      channel: 'stable',
      lastCheckedAt: null,
    });
    bridge.emit.settingsChanged(settingsView({ locked: ['backendUrl'] }));
    expect(useDesktopSettings.getState().view?.locked).toEqual(['backendUrl']);
    bridge.emit.updateStatus({ state: 'ready', channel: 'stable', version: '0.2.0' });
    expect(useDesktopSettings.getState().update?.state).toBe('ready');
  });

  it('unsubscribes everything when stopped', () => {
    expect(bridge.listenerCount()).toBe(6);
    stop();
    expect(bridge.listenerCount()).toBe(0);
    useAgentStore.getState().setPresence('away');
    expect(bridge.calls.presence).toEqual(['offline']);
  });

  it('does nothing without a bridge', () => {
    expect(startDesktopIntegration(undefined)).toBeTypeOf('function');
  });
});

describe('offer notice text', () => {
  it('stays within the contract limits', () => {
    const n = offerNotice(offer('o1', { callerName: 'N'.repeat(200), transferNote: 'x'.repeat(1000) }));
    expect(n?.title.length).toBeLessThanOrEqual(120);
    expect((n?.body ?? '').length).toBeLessThanOrEqual(400);
    expect(offerNotice(offer('o'.repeat(150)))).toBeNull();
  });
});

describe('sign-out', () => {
  it('clears the secure token store when the bridge is there, sessionStorage otherwise', async () => {
    const store = new Map<string, string>([
      ['switchboard.token', 'web'],
      ['switchboard.user', '{}'],
    ]);
    const sessionStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
    const bridge2 = fakeBridge();
    vi.stubGlobal('window', { switchboard: bridge2, sessionStorage });
    try {
      await clearSession();
      expect(bridge2.calls.tokensCleared).toBe(1);
      expect(store.size).toBe(0);
      vi.stubGlobal('window', { sessionStorage });
      store.set('switchboard.token', 'web');
      await clearSession();
      expect(store.has('switchboard.token')).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('takes the backend address from the bridge, else settings, else this origin', async () => {
    const location = { origin: 'app://switchboard' };
    try {
      vi.stubGlobal('window', {
        switchboard: fakeBridge({ serverUrl: 'https://sb.example.com/' }),
        location,
      });
      expect(serverBaseUrl()).toBe('https://sb.example.com');
      vi.stubGlobal('window', { switchboard: fakeBridge({ serverUrl: '' }), location });
      rememberSettingsBackendUrl('http://127.0.0.1:8080');
      expect(serverBaseUrl()).toBe('http://127.0.0.1:8080');
      vi.stubGlobal('window', { location: { origin: 'https://web.example.com' } });
      expect(serverBaseUrl()).toBe('https://web.example.com');
    } finally {
      rememberSettingsBackendUrl(null);
      vi.unstubAllGlobals();
    }
  });
});
