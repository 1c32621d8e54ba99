// Builds window.switchboard from the contract's DESKTOP_API_SURFACE table: each invoke leaf
// becomes a method that calls its one channel, each subscribe leaf a function that takes a
// listener and returns its unsubscribe. The page never sees ipcRenderer or an IPC event
// object (whose `sender` would be ipcRenderer itself) — only the payload.
import { DESKTOP_API_SURFACE, EventChannel, SERVER_URL_ARG, type SwitchboardDesktopApi } from '../contracts/desktop-api';

export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

/** The backend address main passed in additionalArguments; empty when missing or not http(s). */
export function serverUrlFromArgv(argv: readonly string[]): string {
  const arg = argv.find((a) => a.startsWith(SERVER_URL_ARG));
  if (!arg) return '';
  try {
    const url = new URL(arg.slice(SERVER_URL_ARG.length));
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin + url.pathname.replace(/\/+$/, '') : '';
  } catch {
    return '';
  }
}

type Node = { readonly [key: string]: Node } | { invoke: string } | { subscribe: string } | { value: 'serverUrl' };

/** Channels whose last event is kept until the first listener subscribes (a link can start the app). */
const BUFFERED = new Set<string>([EventChannel.deepLink]);

export function buildDesktopApi(ipc: PreloadIpc, argv: readonly string[]): SwitchboardDesktopApi {
  const serverUrl = serverUrlFromArgv(argv);
  const buffered = new Map<string, unknown>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const hub = (channel: string) => {
    let set = listeners.get(channel);
    if (!set) {
      const created = new Set<(payload: unknown) => void>();
      listeners.set(channel, created);
      ipc.on(channel, (_event, payload) => {
        if (created.size === 0 && BUFFERED.has(channel)) buffered.set(channel, payload);
        for (const l of created) l(payload);
      });
      set = created;
    }
    return set;
  };
  for (const channel of BUFFERED) hub(channel);

  const build = (node: Node): unknown => {
    if ('invoke' in node && typeof node.invoke === 'string') {
      const channel = node.invoke;
      return (...args: unknown[]) => ipc.invoke(channel, ...args);
    }
    if ('subscribe' in node && typeof node.subscribe === 'string') {
      const channel = node.subscribe;
      return (listener: unknown) => {
        if (typeof listener !== 'function') throw new TypeError(`${channel}: the listener must be a function.`);
        const wrapped = (payload: unknown) => (listener as (p: unknown) => void)(payload);
        const set = hub(channel);
        set.add(wrapped);
        if (buffered.has(channel)) {
          const payload = buffered.get(channel);
          buffered.delete(channel);
          queueMicrotask(() => wrapped(payload));
        }
        return () => void set.delete(wrapped);
      };
    }
    if ('value' in node) return serverUrl;
    return Object.freeze(Object.fromEntries(Object.entries(node as Record<string, Node>).map(([k, v]) => [k, build(v)])));
  };
  return build(DESKTOP_API_SURFACE as unknown as Node) as SwitchboardDesktopApi;
}
