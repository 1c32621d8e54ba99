// Web permissions: deny everything, except the microphone (audio only, never camera or
// screen), notifications and choosing the audio output device — and those only for the
// app's own origin in its top frame. Chromium's default would grant most of these silently.
import { APP_ORIGIN } from '../contracts/desktop-api';
import { originOf } from './origin';
import type { PermissionCheckDetails, PermissionRequestDetails, SessionLike } from './electron-facade';

/** speaker-selection backs HTMLMediaElement.setSinkId (speaker and ringtone device choice). */
const GRANTABLE = new Set(['media', 'notifications', 'speaker-selection']);


export function allowPermissionRequest(permission: string, details: PermissionRequestDetails): boolean {
  if (!GRANTABLE.has(permission)) return false;
  if (originOf(details.requestingUrl) !== APP_ORIGIN) return false;
  if (details.isMainFrame === false) return false;
  if (permission === 'media') {
    const types = details.mediaTypes ?? [];
    return types.length > 0 && types.every((t) => t === 'audio');
  }
  return true;
}

export function allowPermissionCheck(permission: string, requestingOrigin: string, details: PermissionCheckDetails): boolean {
  if (!GRANTABLE.has(permission)) return false;
  if (originOf(requestingOrigin) !== APP_ORIGIN) return false;
  if (details.isMainFrame === false) return false;
  if (permission === 'media') return details.mediaType === undefined || details.mediaType === 'audio';
  return true;
}

export function setupPermissions(session: Pick<SessionLike, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(allowPermissionRequest(permission, details)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => allowPermissionCheck(permission, requestingOrigin, details));
  // HID, serial, USB, Bluetooth: a softphone needs none of them.
  session.setDevicePermissionHandler(() => false);
}
