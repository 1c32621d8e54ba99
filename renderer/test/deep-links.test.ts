// What a switchboard:// link does: review for roles that have it, the dial pad for a number,
// and waiting for sign-in when it arrives first.
import { beforeEach, describe, expect, it } from 'vitest';
import { takeDialPrefill, useDialPrefill } from '../src/desktop/dial-prefill';
import {
  flushPendingDeepLink,
  handleDeepLink,
  routeDeepLink,
  usePendingDeepLink,
} from '../src/desktop/deep-links';
import { openSettings, useSettingsNav } from '../src/desktop/settings-nav';
import { useAgentStore } from '../src/state/agent-store';
import { useViewStore } from '../src/state/view-store';

const session = { kind: 'session', sessionId: 'sess_42' } as const;
const dial = { kind: 'dial', phone: '+15550100001' } as const;

beforeEach(() => {
  useViewStore.getState().reset();
  useAgentStore.getState().reset();
  usePendingDeepLink.setState({ link: null });
  useDialPrefill.setState({ phone: null });
  useSettingsNav.setState({ open: false });
});

describe('routeDeepLink', () => {
  it('opens a session in the review screen the role has', () => {
    expect(routeDeepLink(session, 'lead')).toEqual({
      kind: 'review',
      screen: 'sessions',
      sessionId: 'sess_42',
    });
    expect(routeDeepLink(session, 'admin')).toEqual({
      kind: 'review',
      screen: 'sessions',
      sessionId: 'sess_42',
    });
    expect(routeDeepLink(session, 'agent')).toEqual({
      kind: 'review',
      screen: 'my-sessions',
      sessionId: 'sess_42',
    });
  });
  it('prefills the dial pad for every role with a desk', () => {
    for (const role of ['agent', 'lead', 'admin'] as const)
      expect(routeDeepLink(dial, role)).toEqual({ kind: 'dial', phone: '+15550100001' });
  });
  it('waits when nobody is signed in', () => {
    expect(routeDeepLink(session, undefined)).toEqual({ kind: 'wait' });
    expect(routeDeepLink(dial, undefined)).toEqual({ kind: 'wait' });
  });
  it('ignores malformed payloads even though main already checked them', () => {
    expect(routeDeepLink({ kind: 'session', sessionId: '../admin' }, 'lead').kind).toBe('ignore');
    expect(routeDeepLink({ kind: 'dial', phone: '5550100' }, 'agent').kind).toBe('ignore');
    expect(routeDeepLink({ kind: 'other' } as never, 'agent').kind).toBe('ignore');
  });
});

describe('handleDeepLink', () => {
  it('opens the session and closes Settings', () => {
    openSettings();
    handleDeepLink(session, 'lead');
    expect(useViewStore.getState()).toMatchObject({ screen: 'sessions', sessionId: 'sess_42' });
    expect(useSettingsNav.getState().open).toBe(false);
  });
  it('puts the number in the dial pad, once', () => {
    useViewStore.getState().go('team');
    handleDeepLink(dial, 'lead');
    expect(useViewStore.getState().screen).toBe('desk');
    expect(takeDialPrefill()).toBe('+15550100001');
    expect(takeDialPrefill()).toBeNull();
  });
  it('keeps a link from before sign-in and acts on it after', () => {
    handleDeepLink(session, undefined);
    expect(useViewStore.getState().screen).toBe('desk');
    flushPendingDeepLink(undefined);
    expect(usePendingDeepLink.getState().link).toEqual(session);
    flushPendingDeepLink('agent');
    expect(useViewStore.getState()).toMatchObject({ screen: 'my-sessions', sessionId: 'sess_42' });
    expect(usePendingDeepLink.getState().link).toBeNull();
  });
  it('says so when a link cannot be used', () => {
    handleDeepLink({ kind: 'dial', phone: 'nope' }, 'agent');
    expect(useAgentStore.getState().notices.at(-1)?.text).toMatch(/valid number/);
  });
});
