// Audio device choices: kept by the desktop bridge when present, else localStorage; a device
// that is gone falls back to the system default.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_DEVICE_PREFS,
  DEVICE_PREFS_KEY,
  deviceOptions,
  loadDevicePrefs,
  parseStoredPrefs,
  prefsBackend,
  resolveDeviceId,
  saveDevicePrefs,
  useDevicePrefs,
} from '../src/settings/device-prefs';
import { fakeBridge } from './support/fake-bridge';

const devices = [
  { deviceId: 'default', kind: 'audioinput', label: 'Default' },
  { deviceId: 'mic-usb', kind: 'audioinput', label: 'USB headset' },
  { deviceId: 'spk-usb', kind: 'audiooutput', label: 'USB headset' },
  { deviceId: 'spk-laptop', kind: 'audiooutput', label: '' },
];

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

beforeEach(() => useDevicePrefs.setState({ prefs: { ...DEFAULT_DEVICE_PREFS }, loaded: false, error: null }));

describe('resolveDeviceId', () => {
  it('uses the chosen device while it is plugged in', () => {
    expect(resolveDeviceId('mic-usb', devices, 'audioinput')).toBe('mic-usb');
    expect(resolveDeviceId('spk-laptop', devices, 'audiooutput')).toBe('spk-laptop');
  });
  it('falls back to the default when the device is gone or of the wrong kind', () => {
    expect(resolveDeviceId('mic-gone', devices, 'audioinput')).toBeNull();
    expect(resolveDeviceId('spk-usb', devices, 'audioinput')).toBeNull();
    expect(resolveDeviceId(null, devices, 'audioinput')).toBeNull();
    expect(resolveDeviceId('default', devices, 'audioinput')).toBeNull();
  });
  it('tries the choice when the list cannot tell (no permission yet, or no list)', () => {
    const hidden = [{ deviceId: '', kind: 'audioinput', label: '' }];
    expect(resolveDeviceId('mic-usb', hidden, 'audioinput')).toBe('mic-usb');
    expect(resolveDeviceId('mic-usb', null, 'audioinput')).toBe('mic-usb');
  });
  it('offers "System default" first and names unnamed devices', () => {
    expect(deviceOptions(devices, 'audiooutput')).toEqual([
      { id: null, label: 'System default' },
      { id: 'spk-usb', label: 'USB headset' },
      { id: 'spk-laptop', label: 'Speaker 2' },
    ]);
  });
});

describe('where preferences are kept', () => {
  it('keeps only well-formed ids', () => {
    expect(
      parseStoredPrefs({ microphoneId: 'a', speakerId: 7, ringtoneDeviceId: 'default', extra: 1 }),
    ).toEqual({
      microphoneId: 'a',
      speakerId: null,
      ringtoneDeviceId: null,
    });
    expect(parseStoredPrefs('nonsense')).toEqual(DEFAULT_DEVICE_PREFS);
  });

  it('uses the desktop bridge when present (and not localStorage)', async () => {
    const bridge = fakeBridge({
      audio: { microphoneId: 'mic-usb', speakerId: null, ringtoneDeviceId: 'spk-laptop' },
    });
    const storage = memoryStorage();
    const backend = prefsBackend(bridge, storage);
    await loadDevicePrefs(backend);
    expect(useDevicePrefs.getState()).toMatchObject({
      loaded: true,
      prefs: { microphoneId: 'mic-usb', ringtoneDeviceId: 'spk-laptop' },
    });
    expect(await saveDevicePrefs({ speakerId: 'spk-usb' }, backend)).toBe(true);
    expect(bridge.calls.audioSet).toEqual([{ speakerId: 'spk-usb' }]);
    expect(useDevicePrefs.getState().prefs.speakerId).toBe('spk-usb');
    expect(storage.data.size).toBe(0);
  });

  it('falls back to localStorage in a browser', async () => {
    const storage = memoryStorage({ [DEVICE_PREFS_KEY]: JSON.stringify({ microphoneId: 'mic-usb' }) });
    const backend = prefsBackend(undefined, storage);
    await loadDevicePrefs(backend);
    expect(useDevicePrefs.getState().prefs).toEqual({
      microphoneId: 'mic-usb',
      speakerId: null,
      ringtoneDeviceId: null,
    });
    await saveDevicePrefs({ ringtoneDeviceId: 'spk-laptop' }, backend);
    expect(JSON.parse(storage.data.get(DEVICE_PREFS_KEY) ?? '{}')).toEqual({
      microphoneId: 'mic-usb',
      speakerId: null,
      ringtoneDeviceId: 'spk-laptop',
    });
  });

  it('survives broken storage', async () => {
    const backend = prefsBackend(undefined, {
      getItem: () => '{not json',
      setItem: () => {
        throw new Error('quota');
      },
    });
    await loadDevicePrefs(backend);
    expect(useDevicePrefs.getState().prefs).toEqual(DEFAULT_DEVICE_PREFS);
    expect(await saveDevicePrefs({ speakerId: 'x' }, backend)).toBe(true);
    expect(useDevicePrefs.getState().prefs.speakerId).toBe('x');
    await loadDevicePrefs(prefsBackend(undefined, null));
    expect(useDevicePrefs.getState().prefs).toEqual(DEFAULT_DEVICE_PREFS);
  });

  it('keeps the choice for this session and says so when the bridge fails', async () => {
    const bridge = fakeBridge();
    bridge.audio.set = async () => {
      throw new Error('disk full');
    };
    expect(await saveDevicePrefs({ microphoneId: 'mic-usb' }, prefsBackend(bridge, null))).toBe(false);
    expect(useDevicePrefs.getState()).toMatchObject({
      prefs: { microphoneId: 'mic-usb' },
      error: expect.stringMatching(/disk full/),
    });
  });
});
