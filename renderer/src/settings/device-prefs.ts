// The agent's audio devices: microphone, speaker (call audio) and ringtone device, by
// MediaDeviceInfo.deviceId (null = the system default). Remembered by the desktop shell
// (window.switchboard.audio) when present, else in this browser's localStorage. A device
// that is no longer plugged in falls back to the default rather than failing the call.
import { create } from 'zustand';
import type {
  AudioDevicePreferences,
  AudioDevicePreferencesPatch,
  SwitchboardDesktopApi,
} from '../../../contracts/desktop-api';
import { desktopBridge } from '../platform/desktop-bridge';

export type { AudioDevicePreferences };

export const DEFAULT_DEVICE_PREFS: AudioDevicePreferences = {
  microphoneId: null,
  speakerId: null,
  ringtoneDeviceId: null,
};

export const DEVICE_PREFS_KEY = 'switchboard.audioDevices';

/** The bits of MediaDeviceInfo this module reads (a plain object in tests). */
export interface DeviceInfoLike {
  deviceId: string;
  kind: string;
  label: string;
}

export type DeviceRole = keyof AudioDevicePreferences;
export const deviceKindFor: Record<DeviceRole, 'audioinput' | 'audiooutput'> = {
  microphoneId: 'audioinput',
  speakerId: 'audiooutput',
  ringtoneDeviceId: 'audiooutput',
};

/** Chromium's pseudo devices that mean "whatever the system uses" — stored as null. */
const PSEUDO_IDS = new Set(['', 'default', 'communications']);

function cleanId(v: unknown): string | null {
  return typeof v === 'string' && !PSEUDO_IDS.has(v) && v.length <= 512 ? v : null;
}

/** Reads whatever was stored, keeping only well-formed ids; anything else is the default. */
export function parseStoredPrefs(raw: unknown): AudioDevicePreferences {
  if (!raw || typeof raw !== 'object') return { ...DEFAULT_DEVICE_PREFS };
  const r = raw as Record<string, unknown>;
  return {
    microphoneId: cleanId(r.microphoneId),
    speakerId: cleanId(r.speakerId),
    ringtoneDeviceId: cleanId(r.ringtoneDeviceId),
  };
}

/**
 * The device id to use for a preference: the preferred one when it is plugged in, null
 * (the system default) when it is gone. When the list cannot tell (no devices listed, or
 * ids hidden before microphone permission) the preference is tried as is; the audio code
 * falls back to the default if the device then refuses.
 */
export function resolveDeviceId(
  preferred: string | null,
  devices: readonly DeviceInfoLike[] | null,
  kind: 'audioinput' | 'audiooutput',
): string | null {
  const id = cleanId(preferred);
  if (id === null) return null;
  const known = (devices ?? []).filter((d) => d.kind === kind && !PSEUDO_IDS.has(d.deviceId));
  if (known.length === 0) return id;
  return known.some((d) => d.deviceId === id) ? id : null;
}

/** The choices for one role: "System default" first, then the devices of that kind. */
export function deviceOptions(
  devices: readonly DeviceInfoLike[],
  kind: 'audioinput' | 'audiooutput',
): Array<{ id: string | null; label: string }> {
  const list = devices.filter((d) => d.kind === kind && !PSEUDO_IDS.has(d.deviceId));
  const noun = kind === 'audioinput' ? 'Microphone' : 'Speaker';
  return [
    { id: null, label: 'System default' },
    ...list.map((d, i) => ({ id: d.deviceId, label: d.label || `${noun} ${i + 1}` })),
  ];
}

export interface PrefsBackend {
  load(): Promise<AudioDevicePreferences>;
  save(patch: AudioDevicePreferencesPatch): Promise<AudioDevicePreferences>;
}

/** Where preferences live: the desktop bridge when present, else the given storage. */
export function prefsBackend(
  bridge: Pick<SwitchboardDesktopApi, 'audio'> | undefined,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null,
): PrefsBackend {
  if (bridge) {
    return {
      load: async () => parseStoredPrefs(await bridge.audio.get()),
      save: async (patch) => parseStoredPrefs(await bridge.audio.set(patch)),
    };
  }
  const read = (): AudioDevicePreferences => {
    try {
      const raw = storage?.getItem(DEVICE_PREFS_KEY);
      return raw ? parseStoredPrefs(JSON.parse(raw)) : { ...DEFAULT_DEVICE_PREFS };
    } catch {
      return { ...DEFAULT_DEVICE_PREFS };
    }
  };
  return {
    load: () => Promise.resolve(read()),
    save: (patch) => {
      const next = parseStoredPrefs({ ...read(), ...patch });
      try {
        storage?.setItem(DEVICE_PREFS_KEY, JSON.stringify(next));
      } catch {
        // Private mode or a full quota: the choice lasts for this page only.
      }
      return Promise.resolve(next);
    },
  };
}

export interface DevicePrefsStore {
  prefs: AudioDevicePreferences;
  loaded: boolean;
  error: string | null;
}

export const useDevicePrefs = create<DevicePrefsStore>(() => ({
  prefs: { ...DEFAULT_DEVICE_PREFS },
  loaded: false,
  error: null,
}));

function defaultBackend(): PrefsBackend {
  let storage: Storage | null = null;
  try {
    storage = typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    storage = null;
  }
  return prefsBackend(desktopBridge(), storage);
}

export async function loadDevicePrefs(backend: PrefsBackend = defaultBackend()): Promise<void> {
  try {
    useDevicePrefs.setState({ prefs: await backend.load(), loaded: true, error: null });
  } catch (err) {
    useDevicePrefs.setState({
      loaded: true,
      error: `Audio device choices could not be read (${(err as Error).message}).`,
    });
  }
}

export async function saveDevicePrefs(
  patch: AudioDevicePreferencesPatch,
  backend: PrefsBackend = defaultBackend(),
): Promise<boolean> {
  // Apply at once (the audio follows the store), then remember.
  const before = useDevicePrefs.getState().prefs;
  useDevicePrefs.setState({ prefs: parseStoredPrefs({ ...before, ...patch }) });
  try {
    useDevicePrefs.setState({ prefs: await backend.save(patch), error: null });
    return true;
  } catch (err) {
    useDevicePrefs.setState({ error: `Audio device choice not saved (${(err as Error).message}).` });
    return false;
  }
}
