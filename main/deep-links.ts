// switchboard:// links from the OS (a CRM's "call" button, a lead's "open session" link).
// Parsed strictly: exactly the two shapes below, nothing else is acted on.
//   switchboard://session/<sessionId>   open a session
//   switchboard://dial/<+E.164 number>  prepare a call (the agent still presses call)
import { DEEP_LINK_SCHEME, DeepLink } from '../contracts/desktop-api';

const MAX_LENGTH = 512;

export function parseDeepLink(raw: string): DeepLink | null {
  if (typeof raw !== 'string' || raw.length > MAX_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return null;
  if (url.username || url.password || url.port || url.search || url.hash) return null;
  const action = url.hostname.toLowerCase();
  const parts = url.pathname.split('/').filter((p) => p !== '');
  if (parts.length !== 1) return null;
  let value: string;
  try {
    value = decodeURIComponent(parts[0] ?? '');
  } catch {
    return null;
  }
  const candidate = action === 'session' ? { kind: 'session', sessionId: value } : action === 'dial' ? { kind: 'dial', phone: value.replace(/[\s().-]/g, '') } : null;
  if (!candidate) return null;
  const parsed = DeepLink.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

/** The deep link in a command line (Windows/Linux pass it as an argument to the new instance). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  const arg = argv.find((a) => a.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}://`));
  return arg ? parseDeepLink(arg) : null;
}
