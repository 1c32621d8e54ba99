// What each preload method does in main: one table from invoke channel to service call.
// Arguments arrive already parsed by ipc.ts; this file only routes them.
import { InvokeChannel, type AppInfo } from '../contracts/desktop-api';
import type { AudioDevices } from './audio-devices';
import type { InvokeHandlers } from './ipc';
import type { OfferNotifications } from './offer-notifications';
import type { Settings } from './settings';
import type { TokenStore } from './token-store';
import type { PresenceTray } from './tray';
import type { Updates } from './updater';

export function desktopApiHandlers(deps: {
  tokens: TokenStore;
  settings: Settings;
  audio: AudioDevices;
  tray: PresenceTray | null;
  offers: OfferNotifications;
  updates: Updates;
  openExternal: (url: string) => Promise<boolean>;
  appInfo: () => AppInfo;
}): InvokeHandlers {
  return {
    [InvokeChannel.tokensGet]: () => deps.tokens.get(),
    [InvokeChannel.tokensSet]: (token) => deps.tokens.set(token),
    [InvokeChannel.tokensClear]: () => deps.tokens.clear(),
    [InvokeChannel.settingsGet]: () => deps.settings.view(),
    [InvokeChannel.settingsSet]: (patch) => deps.settings.set(patch),
    [InvokeChannel.audioGet]: () => deps.audio.get(),
    [InvokeChannel.audioSet]: (patch) => deps.audio.set(patch),
    [InvokeChannel.presenceSet]: (presence) => deps.tray?.setPresence(presence),
    [InvokeChannel.offerNotify]: (offer) => deps.offers.notify(offer),
    [InvokeChannel.offerDismiss]: (offerId) => deps.offers.dismiss(offerId),
    [InvokeChannel.openExternal]: (url) => deps.openExternal(url),
    [InvokeChannel.appInfo]: () => deps.appInfo(),
    [InvokeChannel.updateStatus]: () => deps.updates.status(),
    [InvokeChannel.updateInstall]: () => deps.updates.install(),
  };
}
