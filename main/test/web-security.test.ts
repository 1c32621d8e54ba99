// Checklist items testable in Node: window options, navigation, new windows, external links,
// permissions, CSP, the app:// handler, CORS scope.
import { describe, expect, it, vi } from 'vitest';
import { APP_SCHEME_PRIVILEGES, contentSecurityPolicy, createAppProtocolHandler, resolveAppAsset } from '../app-protocol';
import { isSafeExternalUrl, openExternalSafely } from '../external-links';
import { guardWebContents, isInAppUrl } from '../navigation-guard';
import { allowPermissionCheck, allowPermissionRequest, setupPermissions } from '../permissions';
import { agentWindowOptions, visibleState } from '../window';
import { fakeWebContents, navEvent } from './fakes';

describe('agent window options', () => {
  const opts = agentWindowOptions({ preloadPath: '/app/out/desktop/preload.cjs', backendUrl: 'http://127.0.0.1:8080', state: null, devTools: false });
  it('sandboxed, isolated, no Node, web security on', () => {
    expect(opts.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webviewTag: false, webSecurity: true });
  });
  it('never sets the dangerous switches', () => {
    const wp = opts.webPreferences as Record<string, unknown>;
    for (const key of ['allowRunningInsecureContent', 'experimentalFeatures', 'enableBlinkFeatures', 'enableRemoteModule']) expect(wp).not.toHaveProperty(key);
    expect(wp.webSecurity).not.toBe(false);
  });
  it('passes the backend to the preload as an argument, loads a preload from the bundle', () => {
    expect(opts.webPreferences.additionalArguments).toEqual(['--switchboard-server-url=http://127.0.0.1:8080']);
    expect(opts.webPreferences.preload).toMatch(/preload\.cjs$/);
  });
  it('remembers bounds, but not off-screen ones', () => {
    const state = { x: 100, y: 80, width: 1000, height: 700, maximized: false };
    const screen = [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
    expect(visibleState(state, screen)).toEqual(state);
    expect(visibleState({ ...state, x: 4000 }, screen)).toBeNull();
    expect(agentWindowOptions({ preloadPath: 'p', backendUrl: 'http://127.0.0.1:8080', state, devTools: false })).toMatchObject({ x: 100, y: 80, width: 1000, height: 700 });
  });
});

describe('navigation and new windows', () => {
  it('allows only pages of the bundled app', () => {
    expect(isInAppUrl('app://switchboard/app/')).toBe(true);
    expect(isInAppUrl('app://switchboard/app/desk?x=1')).toBe(true);
    expect(isInAppUrl('app://evil/app/')).toBe(false);
    expect(isInAppUrl('https://switchboard.example.com/app/')).toBe(false);
    expect(isInAppUrl('file:///etc/passwd')).toBe(false);
  });
  it('cancels navigation away and sends http(s) to the browser; denies every new window; blocks webviews', async () => {
    const wc = fakeWebContents();
    const shell = { openExternal: vi.fn(async (_url: string) => undefined) };
    guardWebContents(wc, { shell, log: () => undefined });
    const inside = navEvent('app://switchboard/app/review');
    wc.emit('will-navigate', inside);
    expect(inside.prevented).toBe(false);
    const outside = navEvent('https://example.com/help');
    wc.emit('will-navigate', outside);
    expect(outside.prevented).toBe(true);
    const js = navEvent('javascript:alert(1)');
    wc.emit('will-navigate', js);
    expect(js.prevented).toBe(true);
    const redirect = navEvent('https://evil.example/');
    wc.emit('will-redirect', redirect);
    expect(redirect.prevented).toBe(true);
    expect(wc.openHandler?.({ url: 'https://example.com/kb' })).toEqual({ action: 'deny' });
    expect(wc.openHandler?.({ url: 'app://switchboard/app/' })).toEqual({ action: 'deny' });
    const webview = navEvent('');
    wc.emit('will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
    await Promise.resolve();
    expect(shell.openExternal.mock.calls.map((c) => c[0])).toEqual(['https://example.com/help', 'https://example.com/kb']);
  });
});

describe('openExternal allow-list', () => {
  it('http(s) and mailto only', () => {
    for (const ok of ['https://example.com/a?b=c', 'http://example.com', 'mailto:help@example.com']) expect(isSafeExternalUrl(ok)).toBe(true);
    for (const bad of ['file:///C:/Windows/system32/calc.exe', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'switchboard://dial/+15551234567', 'vbscript:x', 'https://user:pw@example.com', 'not a url', 'mailto:a@b.c%0d%0abcc:x@y.z', 'x'.repeat(3000)]) {
      expect(isSafeExternalUrl(bad)).toBe(false);
    }
  });
  it('refuses without calling the shell', async () => {
    const shell = { openExternal: vi.fn(async () => undefined) };
    expect(await openExternalSafely(shell, 'file:///etc/passwd', () => undefined)).toBe(false);
    expect(shell.openExternal).not.toHaveBeenCalled();
    expect(await openExternalSafely(shell, 'https://example.com', () => undefined)).toBe(true);
  });
});

describe('permission handler', () => {
  const ours = 'app://switchboard/app/';
  it('grants microphone (audio only), notifications and speaker selection to our origin', () => {
    expect(allowPermissionRequest('media', { requestingUrl: ours, mediaTypes: ['audio'], isMainFrame: true })).toBe(true);
    expect(allowPermissionRequest('notifications', { requestingUrl: ours, isMainFrame: true })).toBe(true);
    expect(allowPermissionRequest('speaker-selection', { requestingUrl: ours })).toBe(true);
  });
  it('denies camera, screen capture, other permissions, other origins and subframes', () => {
    expect(allowPermissionRequest('media', { requestingUrl: ours, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(allowPermissionRequest('media', { requestingUrl: ours, mediaTypes: [] })).toBe(false);
    for (const p of ['geolocation', 'display-capture', 'clipboard-read', 'midiSysex', 'openExternal', 'pointerLock', 'fullscreen', 'hid', 'serial', 'usb']) {
      expect(allowPermissionRequest(p, { requestingUrl: ours })).toBe(false);
    }
    expect(allowPermissionRequest('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] })).toBe(false);
    expect(allowPermissionRequest('media', { requestingUrl: 'http://127.0.0.1:8080/app/', mediaTypes: ['audio'] })).toBe(false);
    expect(allowPermissionRequest('media', { requestingUrl: ours, mediaTypes: ['audio'], isMainFrame: false })).toBe(false);
  });
  it('checks follow the same rule', () => {
    expect(allowPermissionCheck('media', 'app://switchboard', { mediaType: 'audio' })).toBe(true);
    expect(allowPermissionCheck('media', 'app://switchboard', { mediaType: 'video' })).toBe(false);
    expect(allowPermissionCheck('notifications', 'https://evil.example', {})).toBe(false);
    expect(allowPermissionCheck('geolocation', 'app://switchboard', {})).toBe(false);
  });
  it('is installed on the session, with devices denied', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() };
    setupPermissions(session);
    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (...a: unknown[]) => void;
    const cb = vi.fn();
    request(null, 'geolocation', cb, { requestingUrl: 'app://switchboard/app/' });
    expect(cb).toHaveBeenCalledWith(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]?.[0] as (d: unknown) => boolean;
    expect(device({ deviceType: 'usb', origin: 'app://switchboard' })).toBe(false);
  });
});

describe('app:// protocol and CSP', () => {
  it('registers a secure standard scheme without CSP bypass', () => {
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
  });
  it('maps URLs to assets and refuses traversal and other hosts', () => {
    expect(resolveAppAsset('app://switchboard/app/')).toBe('index.html');
    expect(resolveAppAsset('app://switchboard/app/desk')).toBe('index.html');
    expect(resolveAppAsset('app://switchboard/app/assets/index-1.js')).toBe('assets/index-1.js');
    expect(resolveAppAsset('app://switchboard/app/%2e%2e/%2e%2e/secret.txt')).toBeNull();
    expect(resolveAppAsset('app://switchboard/app/..%5c..%5cwin.ini')).toBeNull();
    expect(resolveAppAsset('app://switchboard/other')).toBeNull();
    expect(resolveAppAsset('app://evil/app/index.html')).toBeNull();
  });
  it('strict CSP: no inline or eval scripts, only our origin and the backend', () => {
    const csp = contentSecurityPolicy('https://sb.example.com');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self' https://sb.example.com;");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("connect-src 'self' https://sb.example.com wss://sb.example.com wss://voice-js.roaming.twilio.com https://eventgw.twilio.com https://sdk.twilio.com;");
    // Exactly the Voice SDK's endpoints, no wildcard.
    expect(csp).not.toMatch(/\*\.twilio\.com/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy('http://127.0.0.1:8080')).toContain('ws://127.0.0.1:8080');
  });
  it('in a cluster, lets the app reach each backend the policy allows (a call\'s audio joins the one holding it), and no other', () => {
    const csp = contentSecurityPolicy('https://sb.example.com', ['https://sb1.example.com', 'https://sb2.example.com:8443/', 'https://sb.example.com']);
    const connect = /connect-src ([^;]*)/.exec(csp)![1]!.split(' ');
    expect(connect).toEqual(expect.arrayContaining(['https://sb1.example.com', 'wss://sb1.example.com', 'https://sb2.example.com:8443', 'wss://sb2.example.com:8443']));
    expect(connect.filter((c) => c === 'https://sb.example.com')).toHaveLength(1);
    // Scripts still come only from the configured backend.
    expect(csp).toContain("script-src 'self' https://sb.example.com;");
  });
  it('the app:// handler puts the policy\'s backends in the CSP it serves', async () => {
    const handler = createAppProtocolHandler({ readAsset: async () => Buffer.from('<html>'), backendUrl: () => 'https://sb.example.com', clusterOrigins: () => ['https://sb3.example.com'] });
    const res = await handler(new Request('app://switchboard/app/'));
    expect(res.headers.get('content-security-policy')).toContain('wss://sb3.example.com');
  });
  it('every response carries the CSP; unknown paths are 404', async () => {
    const handler = createAppProtocolHandler({ readAsset: async (p) => (p === 'index.html' ? Buffer.from('<html>') : null), backendUrl: () => 'http://127.0.0.1:8080' });
    const ok = await handler(new Request('app://switchboard/app/'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/text\/html/);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
    const missing = await handler(new Request('app://switchboard/app/nope.js'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBeTruthy();
    expect((await handler(new Request('app://switchboard/app/', { method: 'POST' }))).status).toBe(405);
  });
});
