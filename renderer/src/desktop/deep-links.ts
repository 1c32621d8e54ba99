// What a switchboard:// link does in the app. Main has already parsed it strictly
// (main/deep-links.ts): switchboard://session/<id> opens that session in review when the
// signed-in role has a review screen ("Sessions" for leads and admins, "My sessions" for
// agents, where the server only shows the agent's own calls); switchboard://dial/<+E.164>
// puts the number in the dial pad on the desk. A link that arrives before sign-in waits.
import { create } from 'zustand';
import type { Role } from '../../../contracts/api';
import type { DeepLink } from '../../../contracts/desktop-api';
import { useAgentStore } from '../state/agent-store';
import { screensFor, useViewStore, type Screen } from '../state/view-store';
import { prefillDial } from './dial-prefill';
import { closeSettings } from './settings-nav';

export type DeepLinkRoute =
  | { kind: 'review'; screen: Screen; sessionId: string }
  | { kind: 'dial'; phone: string }
  | { kind: 'wait' }
  | { kind: 'ignore'; message: string };

const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/;
const E164 = /^\+[1-9]\d{7,14}$/;

/** Pure: what to do with a link for a role (undefined role = not signed in yet). */
export function routeDeepLink(link: DeepLink, role: Role | undefined): DeepLinkRoute {
  if (!role) return { kind: 'wait' };
  const screens = screensFor(role);
  if (link.kind === 'session') {
    if (!SESSION_ID.test(link.sessionId))
      return { kind: 'ignore', message: 'That session link is not valid.' };
    const screen: Screen | undefined = screens.includes('sessions')
      ? 'sessions'
      : screens.includes('my-sessions')
        ? 'my-sessions'
        : undefined;
    return screen
      ? { kind: 'review', screen, sessionId: link.sessionId }
      : { kind: 'ignore', message: 'Your role cannot open session reviews.' };
  }
  if (link.kind === 'dial') {
    if (!E164.test(link.phone))
      return { kind: 'ignore', message: 'That dial link does not hold a valid number.' };
    return screens.includes('desk')
      ? { kind: 'dial', phone: link.phone }
      : { kind: 'ignore', message: 'Your role cannot place calls.' };
  }
  return { kind: 'ignore', message: 'That link is not one Switchboard understands.' };
}

/** The link waiting for sign-in (only the latest one is kept). */
export const usePendingDeepLink = create<{ link: DeepLink | null }>(() => ({ link: null }));

/** Acts on a link now, or keeps it until someone signs in. Returns the route taken. */
export function handleDeepLink(link: DeepLink, role: Role | undefined): DeepLinkRoute {
  const route = routeDeepLink(link, role);
  switch (route.kind) {
    case 'wait':
      usePendingDeepLink.setState({ link });
      break;
    case 'review': {
      closeSettings();
      const view = useViewStore.getState();
      view.go(route.screen);
      view.openSession(route.sessionId);
      break;
    }
    case 'dial':
      closeSettings();
      useViewStore.getState().go('desk');
      prefillDial(route.phone);
      break;
    case 'ignore':
      useAgentStore.getState().notify('error', route.message);
      break;
  }
  return route;
}

/** After sign-in: the link that started the app (or came in at the sign-in screen). */
export function flushPendingDeepLink(role: Role | undefined): void {
  const { link } = usePendingDeepLink.getState();
  if (!link || !role) return;
  usePendingDeepLink.setState({ link: null });
  handleDeepLink(link, role);
}
