// The preload API (`window.switchboard`): the IPC channel list, a zod schema for every
// argument that crosses from the renderer to the main process, the DTOs main sends back, and
// the `SwitchboardDesktopApi` shape. Main parses every argument with these schemas; the
// preload builds exactly the surface listed in DESKTOP_API_SURFACE, and a type check below
// keeps that list and the interface from drifting apart.
import { z } from 'zod';
import { AgentPresence, SelectablePresence as AgentSelectablePresence } from './agent-channel';

/** The app's own origin in the desktop shell (the bundled renderer is served from here). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The deep-link scheme the OS hands to the app: switchboard://session/<id>, switchboard://dial/<+number>. */
export const DEEP_LINK_SCHEME = 'switchboard';
/** How main hands the backend's address to the sandboxed preload (webPreferences.additionalArguments). */
export const SERVER_URL_ARG = '--switchboard-server-url=';

/** Renderer → main (ipcRenderer.invoke / ipcMain.handle). */
export const InvokeChannel = {
  tokensGet: 'tokens:get',
  tokensSet: 'tokens:set',
  tokensClear: 'tokens:clear',
  settingsGet: 'settings:get',
  settingsSet: 'settings:set',
  audioGet: 'audio:get',
  audioSet: 'audio:set',
  presenceSet: 'presence:set',
  offerNotify: 'offer:notify',
  offerDismiss: 'offer:dismiss',
  openExternal: 'external:open',
  appInfo: 'app:info',
  updateStatus: 'update:status',
  updateInstall: 'update:install',
} as const;
export type InvokeChannel = (typeof InvokeChannel)[keyof typeof InvokeChannel];

/** Main → renderer (webContents.send / ipcRenderer.on). */
export const EventChannel = {
  deepLink: 'event:deep-link',
  shortcut: 'event:shortcut',
  presenceRequested: 'event:presence-requested',
  offerAction: 'event:offer-action',
  updateStatus: 'event:update-status',
  settingsChanged: 'event:settings-changed',
} as const;
export type EventChannel = (typeof EventChannel)[keyof typeof EventChannel];

// ---- values ---------------------------------------------------------------------------

export const UpdateChannelName = z.enum(['stable', 'beta']);
export type UpdateChannelName = z.infer<typeof UpdateChannelName>;

export const LogLevel = z.enum(['error', 'warn', 'info', 'debug']);
export type LogLevel = z.infer<typeof LogLevel>;

export const ShortcutAction = z.enum(['answer', 'mute', 'hangUp']);
export type ShortcutAction = z.infer<typeof ShortcutAction>;

/** An Electron accelerator such as "CommandOrControl+Shift+A"; validity beyond shape is checked in main. */
export const Accelerator = z.string().min(1).max(60).regex(/^[A-Za-z0-9+]+$/, 'letters, digits and "+" only');

export const ShortcutBindings = z.object({ answer: Accelerator, mute: Accelerator, hangUp: Accelerator }).strict();
export type ShortcutBindings = z.infer<typeof ShortcutBindings>;

/** A backend address: http(s) only, no credentials, no query or fragment. */
export const BackendUrl = z
  .string()
  .max(2048)
  .url()
  .refine((raw) => {
    const u = new URL(raw);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !u.search && !u.hash;
  }, 'must be an http(s) URL without credentials, query or fragment');

/** What the user may change in the settings screen (each key can be locked by policy). */
export const UserSettings = z
  .object({
    backendUrl: BackendUrl,
    updateChannel: UpdateChannelName,
    updatesEnabled: z.boolean(),
    shortcutsEnabled: z.boolean(),
    shortcuts: ShortcutBindings,
    logLevel: LogLevel,
  })
  .strict();
export type UserSettings = z.infer<typeof UserSettings>;
export type SettingKey = keyof UserSettings;
export const UserSettingsPatch = UserSettings.partial().strict();
export type UserSettingsPatch = z.infer<typeof UserSettingsPatch>;

/** The keys a managed policy file may set (flat JSON object; see docs/it-deployment.md). */
export const POLICY_KEYS = ['backendUrl', 'allowedBackendOrigins', 'updateChannel', 'updatesEnabled', 'shortcutsEnabled', 'logLevel'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export interface RejectedPolicyKey {
  /** The key as written in the file, or "(file)" when the whole file could not be read. */
  key: string;
  reason: string;
}

/** settings.get(): effective values, which keys policy locks, and what the policy file got wrong. */
export interface SettingsView {
  values: UserSettings;
  locked: SettingKey[];
  rejectedPolicyKeys: RejectedPolicyKey[];
  /** Where the policy was looked for, and whether a file was found there. */
  policy: { path: string; found: boolean };
  /** Origins the backend URL must match (empty: any https origin, or http on loopback). */
  allowedBackendOrigins: string[];
}

export const AudioDevicePreferences = z
  .object({
    /** MediaDeviceInfo.deviceId values; null means the system default. */
    microphoneId: z.string().max(512).nullable(),
    speakerId: z.string().max(512).nullable(),
    ringtoneDeviceId: z.string().max(512).nullable(),
  })
  .strict();
export type AudioDevicePreferences = z.infer<typeof AudioDevicePreferences>;
export const AudioDevicePreferencesPatch = AudioDevicePreferences.partial().strict();
export type AudioDevicePreferencesPatch = z.infer<typeof AudioDevicePreferencesPatch>;

export const BearerToken = z.string().min(1).max(4096);

export const TrayPresence = AgentPresence;
export type TrayPresence = z.infer<typeof TrayPresence>;
export const SelectablePresence = AgentSelectablePresence;
export type SelectablePresence = z.infer<typeof SelectablePresence>;

export const OfferNotice = z
  .object({
    offerId: z.string().min(1).max(100),
    /** Shown in the notification title, e.g. the queue or the caller's name when verified. */
    title: z.string().min(1).max(120),
    body: z.string().max(400).default(''),
  })
  .strict();
export type OfferNotice = z.input<typeof OfferNotice>;

export const OfferId = z.string().min(1).max(100);

export interface OfferAction {
  offerId: string;
  /** accept: the notification's Accept action; open: the notification body was clicked. */
  action: 'accept' | 'open';
}

export const ExternalUrl = z.string().min(1).max(2048);

const sessionIdPattern = /^[A-Za-z0-9_-]{1,100}$/;
const phonePattern = /^\+[1-9]\d{7,14}$/;
export const DeepLink = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('session'), sessionId: z.string().regex(sessionIdPattern) }),
  z.object({ kind: z.literal('dial'), phone: z.string().regex(phonePattern) }),
]);
export type DeepLink = z.infer<typeof DeepLink>;

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  arch: string;
  electron: string;
  chrome: string;
  backendUrl: string;
  /** False where safeStorage has no OS keychain (tokens are then kept in memory only). */
  secureStorageAvailable: boolean;
}

export type UpdateStatus =
  | { state: 'disabled'; reason: string }
  | { state: 'idle'; channel: UpdateChannelName; lastCheckedAt: string | null }
  | { state: 'checking'; channel: UpdateChannelName }
  | { state: 'available'; channel: UpdateChannelName; version: string }
  | { state: 'downloading'; channel: UpdateChannelName; version: string; percent: number }
  | { state: 'ready'; channel: UpdateChannelName; version: string }
  | { state: 'not-in-rollout'; channel: UpdateChannelName; version: string; stagingPercentage: number }
  | { state: 'error'; channel: UpdateChannelName; message: string };

/** Argument tuples, parsed in main before any handler runs. */
export const InvokeArgs = {
  [InvokeChannel.tokensGet]: z.tuple([]),
  [InvokeChannel.tokensSet]: z.tuple([BearerToken]),
  [InvokeChannel.tokensClear]: z.tuple([]),
  [InvokeChannel.settingsGet]: z.tuple([]),
  [InvokeChannel.settingsSet]: z.tuple([UserSettingsPatch]),
  [InvokeChannel.audioGet]: z.tuple([]),
  [InvokeChannel.audioSet]: z.tuple([AudioDevicePreferencesPatch]),
  [InvokeChannel.presenceSet]: z.tuple([TrayPresence]),
  [InvokeChannel.offerNotify]: z.tuple([OfferNotice]),
  [InvokeChannel.offerDismiss]: z.tuple([OfferId]),
  [InvokeChannel.openExternal]: z.tuple([ExternalUrl]),
  [InvokeChannel.appInfo]: z.tuple([]),
  [InvokeChannel.updateStatus]: z.tuple([]),
  [InvokeChannel.updateInstall]: z.tuple([]),
} as const satisfies Record<InvokeChannel, z.ZodType>;

/** What each invoke channel resolves to. */
export interface InvokeResults {
  [InvokeChannel.tokensGet]: string | null;
  [InvokeChannel.tokensSet]: void;
  [InvokeChannel.tokensClear]: void;
  [InvokeChannel.settingsGet]: SettingsView;
  [InvokeChannel.settingsSet]: SettingsView;
  [InvokeChannel.audioGet]: AudioDevicePreferences;
  [InvokeChannel.audioSet]: AudioDevicePreferences;
  [InvokeChannel.presenceSet]: void;
  [InvokeChannel.offerNotify]: void;
  [InvokeChannel.offerDismiss]: void;
  [InvokeChannel.openExternal]: boolean;
  [InvokeChannel.appInfo]: AppInfo;
  [InvokeChannel.updateStatus]: UpdateStatus;
  [InvokeChannel.updateInstall]: boolean;
}

/** What each event channel carries. */
export interface EventPayloads {
  [EventChannel.deepLink]: DeepLink;
  [EventChannel.shortcut]: ShortcutAction;
  [EventChannel.presenceRequested]: SelectablePresence;
  [EventChannel.offerAction]: OfferAction;
  [EventChannel.updateStatus]: UpdateStatus;
  [EventChannel.settingsChanged]: SettingsView;
}

// ---- the window.switchboard surface -----------------------------------------------------

export type Unsubscribe = () => void;

export interface SwitchboardDesktopApi {
  /** The backend's origin (REST and WebSockets); the app itself is served from app://switchboard. */
  readonly serverUrl: string;
  readonly tokens: {
    get(): Promise<string | null>;
    set(token: string): Promise<void>;
    /** Sign-out: removes the stored token from disk and memory. */
    clear(): Promise<void>;
  };
  readonly settings: {
    get(): Promise<SettingsView>;
    /** Locked keys in the patch are refused with an error that names them. */
    set(patch: UserSettingsPatch): Promise<SettingsView>;
    onChanged(listener: (view: SettingsView) => void): Unsubscribe;
  };
  readonly audio: {
    get(): Promise<AudioDevicePreferences>;
    set(patch: AudioDevicePreferencesPatch): Promise<AudioDevicePreferences>;
  };
  readonly presence: {
    /** Mirrors the agent's presence in the tray. */
    set(presence: TrayPresence): Promise<void>;
    /** The agent picked a presence from the tray menu; the app sends it to the backend. */
    onRequested(listener: (presence: SelectablePresence) => void): Unsubscribe;
  };
  readonly offers: {
    notify(offer: OfferNotice): Promise<void>;
    dismiss(offerId: string): Promise<void>;
    onAction(listener: (action: OfferAction) => void): Unsubscribe;
  };
  readonly updates: {
    status(): Promise<UpdateStatus>;
    /** Restarts into a downloaded update; false when none is ready. */
    install(): Promise<boolean>;
    onStatus(listener: (status: UpdateStatus) => void): Unsubscribe;
  };
  onDeepLink(listener: (link: DeepLink) => void): Unsubscribe;
  onShortcut(listener: (action: ShortcutAction) => void): Unsubscribe;
  /** Opens http(s) and mailto links in the system browser or mail client; false when refused. */
  openExternal(url: string): Promise<boolean>;
  appInfo(): Promise<AppInfo>;
}

type Leaf = { invoke: InvokeChannel } | { subscribe: EventChannel } | { value: 'serverUrl' };
type Surface<T> = { readonly [K in keyof T]: T[K] extends (...args: never[]) => unknown ? Leaf : T[K] extends string ? Leaf : Surface<T[K]> };

/**
 * Every member of window.switchboard and the channel behind it. The preload is built from
 * this table and its test checks the exposed object has exactly these members.
 */
export const DESKTOP_API_SURFACE = {
  serverUrl: { value: 'serverUrl' },
  tokens: {
    get: { invoke: InvokeChannel.tokensGet },
    set: { invoke: InvokeChannel.tokensSet },
    clear: { invoke: InvokeChannel.tokensClear },
  },
  settings: {
    get: { invoke: InvokeChannel.settingsGet },
    set: { invoke: InvokeChannel.settingsSet },
    onChanged: { subscribe: EventChannel.settingsChanged },
  },
  audio: {
    get: { invoke: InvokeChannel.audioGet },
    set: { invoke: InvokeChannel.audioSet },
  },
  presence: {
    set: { invoke: InvokeChannel.presenceSet },
    onRequested: { subscribe: EventChannel.presenceRequested },
  },
  offers: {
    notify: { invoke: InvokeChannel.offerNotify },
    dismiss: { invoke: InvokeChannel.offerDismiss },
    onAction: { subscribe: EventChannel.offerAction },
  },
  updates: {
    status: { invoke: InvokeChannel.updateStatus },
    install: { invoke: InvokeChannel.updateInstall },
    onStatus: { subscribe: EventChannel.updateStatus },
  },
  onDeepLink: { subscribe: EventChannel.deepLink },
  onShortcut: { subscribe: EventChannel.shortcut },
  openExternal: { invoke: InvokeChannel.openExternal },
  appInfo: { invoke: InvokeChannel.appInfo },
} as const satisfies Surface<SwitchboardDesktopApi>;

// Both directions: every interface member is in the table (satisfies above) and the table has
// no member the interface lacks.
type ExactKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const _surfaceMatches: ExactKeys<typeof DESKTOP_API_SURFACE, SwitchboardDesktopApi> = true;
void _surfaceMatches;

/**
 * The window typing for the renderer. Not a `declare global` here: renderer/src/platform/
 * desktop-bridge.ts declares `Window.switchboard` today, and two global declarations of one
 * property with different types would break the web typecheck. The renderer should declare
 * `interface Window extends SwitchboardWindow {}` (or `switchboard?: SwitchboardDesktopApi`).
 */
export interface SwitchboardWindow {
  /** Present only in the desktop shell; the web app must work without it. */
  switchboard?: SwitchboardDesktopApi;
}
