import { describe, expect, it, vi } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from '../deep-links';
import { setupSingleInstance } from '../single-instance';

describe('deep links', () => {
  it('parses the two shapes', () => {
    expect(parseDeepLink('switchboard://session/s_123-abc')).toEqual({ kind: 'session', sessionId: 's_123-abc' });
    expect(parseDeepLink('switchboard://dial/+15551234567')).toEqual({ kind: 'dial', phone: '+15551234567' });
    expect(parseDeepLink('switchboard://dial/%2B1%20(555)%20123-4567')).toEqual({ kind: 'dial', phone: '+15551234567' });
    expect(parseDeepLink('SWITCHBOARD://SESSION/abc')).toEqual({ kind: 'session', sessionId: 'abc' });
  });
  it('rejects everything else', () => {
    for (const bad of [
      'switchboard://dial/5551234567', 'switchboard://dial/+1555', 'switchboard://dial/+15551234567?auto=1', 'switchboard://session/a/b',
      'switchboard://session/', 'switchboard://session/..%2F..', 'switchboard://session/<script>', 'switchboard://settings/x',
      'switchboard://user:pw@session/a', 'switchboard://session:99/a', 'switchboard://session/a#x', 'https://session/a', 'not a url',
      `switchboard://session/${'a'.repeat(600)}`, 'switchboard://session/%E0%A4%A',
    ]) {
      expect(parseDeepLink(bad), bad).toBeNull();
    }
  });
  it('finds the link in a second instance\'s argv', () => {
    expect(deepLinkFromArgv(['/opt/Switchboard/switchboard', '--flag', 'switchboard://session/abc'])).toEqual({ kind: 'session', sessionId: 'abc' });
    expect(deepLinkFromArgv(['/opt/Switchboard/switchboard'])).toBeNull();
  });
});

describe('single instance', () => {
  function fakeApp(lock: boolean) {
    const on = new Map<string, (...a: never[]) => void>();
    return {
      on,
      app: {
        isPackaged: true,
        requestSingleInstanceLock: vi.fn(() => lock),
        setAsDefaultProtocolClient: vi.fn(() => true),
        quit: vi.fn(),
        on: vi.fn((e: string, l: (...a: never[]) => void) => void on.set(e, l)),
      },
    };
  }
  it('a second copy quits', () => {
    const f = fakeApp(false);
    expect(setupSingleInstance({ app: f.app as never, argv: ['x'], execPath: 'x', onActivate: vi.fn(), log: vi.fn() }).primary).toBe(false);
    expect(f.app.quit).toHaveBeenCalled();
  });
  it('the first copy registers switchboard://, focuses on second-instance and forwards the link', () => {
    const f = fakeApp(true);
    const onActivate = vi.fn();
    const r = setupSingleInstance({ app: f.app as never, argv: ['x', 'switchboard://dial/+15551234567'], execPath: 'x', onActivate, log: vi.fn() });
    expect(r).toEqual({ primary: true, initialLink: { kind: 'dial', phone: '+15551234567' } });
    expect(f.app.setAsDefaultProtocolClient).toHaveBeenCalledWith('switchboard');
    (f.on.get('second-instance') as (e: unknown, argv: string[]) => void)({}, ['x', 'switchboard://session/abc']);
    expect(onActivate).toHaveBeenLastCalledWith({ kind: 'session', sessionId: 'abc' });
    (f.on.get('second-instance') as (e: unknown, argv: string[]) => void)({}, ['x']);
    expect(onActivate).toHaveBeenLastCalledWith(null);
    const ev = { preventDefault: vi.fn() };
    (f.on.get('open-url') as (e: unknown, url: string) => void)(ev, 'switchboard://evil/x');
    expect(onActivate).toHaveBeenLastCalledWith(null);
    expect(ev.preventDefault).toHaveBeenCalled();
  });
});
