// A stand-in for window.switchboard (contracts/desktop-api.ts SwitchboardDesktopApi): records
// every call, and lets a test fire the events main would send.
import type {
  AppInfo,
  AudioDevicePreferences,
  DeepLink,
  OfferAction,
  OfferNotice,
  SelectablePresence,
  SettingsView,
  ShortcutAction,
  SwitchboardDesktopApi,
  TrayPresence,
  UpdateStatus,
  UserSettingsPatch,
} from '../../../contracts/desktop-api';

type Listener<T> = (payload: T) => void;

class Hub<T> {
  listeners = new Set<Listener<T>>();
  on = (l: Listener<T>) => {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  };
  emit(payload: T) {
    for (const l of this.listeners) l(payload);
  }
}

export function settingsView(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    values: {
      backendUrl: 'https://switchboard.example.com',
      updateChannel: 'stable',
      updatesEnabled: true,
      shortcutsEnabled: true,
      shortcuts: {
        answer: 'CmdOrCtrl+Alt+Shift+A',
        mute: 'CmdOrCtrl+Alt+Shift+M',
        hangUp: 'CmdOrCtrl+Alt+Shift+H',
      },
      logLevel: 'info',
    },
    locked: [],
    rejectedPolicyKeys: [],
    policy: { path: '/etc/switchboard/policy.json', found: false },
    allowedBackendOrigins: [],
    ...overrides,
  };
}

export interface FakeBridge extends SwitchboardDesktopApi {
  calls: {
    presence: TrayPresence[];
    notified: OfferNotice[];
    dismissed: string[];
    settingsSet: UserSettingsPatch[];
    audioSet: Partial<AudioDevicePreferences>[];
    tokensCleared: number;
  };
  emit: {
    deepLink(link: DeepLink): void;
    shortcut(action: ShortcutAction): void;
    presenceRequested(p: SelectablePresence): void;
    offerAction(a: OfferAction): void;
    updateStatus(s: UpdateStatus): void;
    settingsChanged(v: SettingsView): void;
  };
  listenerCount(): number;
}

export function fakeBridge(
  options: {
    view?: SettingsView;
    audio?: AudioDevicePreferences;
    serverUrl?: string;
    settingsError?: string;
  } = {},
): FakeBridge {
  let view = options.view ?? settingsView();
  let audio: AudioDevicePreferences = options.audio ?? {
    microphoneId: null,
    speakerId: null,
    ringtoneDeviceId: null,
  };
  let token: string | null = 'stored-token';
  const hubs = {
    deepLink: new Hub<DeepLink>(),
    shortcut: new Hub<ShortcutAction>(),
    presenceRequested: new Hub<SelectablePresence>(),
    offerAction: new Hub<OfferAction>(),
    updateStatus: new Hub<UpdateStatus>(),
    settingsChanged: new Hub<SettingsView>(),
  };
  const calls: FakeBridge['calls'] = {
    presence: [],
    notified: [],
    dismissed: [],
    settingsSet: [],
    audioSet: [],
    tokensCleared: 0,
  };
  const info: AppInfo = {
    name: 'Switchboard',
    version: '0.1.0',
    platform: 'linux',
    arch: 'x64',
    electron: '45.0.0',
    chrome: '140.0.0',
    backendUrl: view.values.backendUrl,
    secureStorageAvailable: true,
  };
  return {
    serverUrl: options.serverUrl ?? 'https://switchboard.example.com',
    tokens: {
      get: async () => token,
      set: async (t) => void (token = t),
      clear: async () => {
        token = null;
        calls.tokensCleared++;
      },
    },
    settings: {
      get: async () => view,
      set: async (patch) => {
        calls.settingsSet.push(patch);
        if (options.settingsError) throw new Error(options.settingsError);
        const refused = Object.keys(patch).filter((k) => (view.locked as string[]).includes(k));
        if (refused.length)
          throw new Error(`Settings not saved: ${refused.join(', ')} is set by your organization's policy.`);
        view = { ...view, values: { ...view.values, ...patch } };
        return view;
      },
      onChanged: hubs.settingsChanged.on,
    },
    audio: {
      get: async () => audio,
      set: async (patch) => {
        calls.audioSet.push(patch);
        audio = { ...audio, ...patch };
        return audio;
      },
    },
    presence: {
      set: async (p) => void calls.presence.push(p),
      onRequested: hubs.presenceRequested.on,
    },
    offers: {
      notify: async (o) => void calls.notified.push(o),
      dismiss: async (id) => void calls.dismissed.push(id),
      onAction: hubs.offerAction.on,
    },
    updates: {
      status: async () => ({ state: 'idle', channel: 'stable', lastCheckedAt: null }),
      install: async () => false,
      onStatus: hubs.updateStatus.on,
    },
    onDeepLink: hubs.deepLink.on,
    onShortcut: hubs.shortcut.on,
    openExternal: async () => true,
    appInfo: async () => info,
    calls,
    emit: {
      deepLink: (l) => hubs.deepLink.emit(l),
      shortcut: (a) => hubs.shortcut.emit(a),
      presenceRequested: (p) => hubs.presenceRequested.emit(p),
      offerAction: (a) => hubs.offerAction.emit(a),
      updateStatus: (s) => hubs.updateStatus.emit(s),
      settingsChanged: (v) => hubs.settingsChanged.emit(v),
    },
    listenerCount: () => Object.values(hubs).reduce((n, h) => n + h.listeners.size, 0),
  };
}
