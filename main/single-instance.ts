// One running copy. A second launch (a click on a switchboard:// link, the Start menu
// again) hands its command line to the first copy and quits: the first copy comes forward
// and follows the deep link. macOS delivers links with `open-url` instead of argv.
import { DEEP_LINK_SCHEME, type DeepLink } from '../contracts/desktop-api';
import { deepLinkFromArgv, parseDeepLink } from './deep-links';
import type { AppLike } from './electron-facade';

export interface SingleInstance {
  /** False when another copy runs: the caller quits immediately. */
  primary: boolean;
  /** A deep link this copy was started with (cold start), delivered once the app is ready. */
  initialLink: DeepLink | null;
}

export function setupSingleInstance(deps: {
  app: Pick<AppLike, 'requestSingleInstanceLock' | 'setAsDefaultProtocolClient' | 'on' | 'quit' | 'isPackaged'>;
  argv: readonly string[];
  execPath: string;
  /** Brings the window forward and, with a link, sends it to the app (queued until it loads). */
  onActivate: (link: DeepLink | null) => void;
  log: (line: string) => void;
}): SingleInstance {
  if (!deps.app.requestSingleInstanceLock()) {
    deps.app.quit();
    return { primary: false, initialLink: null };
  }
  // In development the OS must start electron with our entry script to hand over a link.
  const registered = deps.app.isPackaged
    ? deps.app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME)
    : deps.app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, deps.execPath, deps.argv.slice(1, 2));
  if (!registered) deps.log(`could not register ${DEEP_LINK_SCHEME}:// links with the OS`);
  deps.app.on('second-instance', (_event, argv) => deps.onActivate(deepLinkFromArgv(argv)));
  deps.app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (!link) deps.log(`ignored a malformed ${DEEP_LINK_SCHEME}:// link`);
    deps.onActivate(link);
  });
  return { primary: true, initialLink: deepLinkFromArgv(deps.argv) };
}
