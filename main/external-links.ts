// Links leave the app only for http(s) and mailto, through the system browser or mail client.
// Everything else (file:, javascript:, custom schemes that launch other programs, smb: that
// leaks NTLM hashes) is refused.
import type { ShellLike } from './electron-facade';

const ALLOWED = new Set(['https:', 'http:', 'mailto:']);

export function isSafeExternalUrl(raw: string): boolean {
  if (typeof raw !== 'string' || raw.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (!ALLOWED.has(url.protocol)) return false;
  if (url.protocol === 'mailto:') return url.pathname.length > 0 && !/[\r\n]|%0[ad]/i.test(url.href);
  return url.hostname.length > 0 && !url.username && !url.password;
}

export async function openExternalSafely(shell: ShellLike, raw: string, log: (line: string) => void): Promise<boolean> {
  if (!isSafeExternalUrl(raw)) {
    log(`refused to open external link: ${String(raw).slice(0, 200)}`);
    return false;
  }
  await shell.openExternal(new URL(raw).toString());
  return true;
}
