// The agent's audio devices: microphone, speaker (call audio) and the ringtone's device, by
// MediaDeviceInfo.deviceId. Main only remembers them; the renderer applies them
// (getUserMedia constraints, setSinkId) and falls back to the default device when one is gone.
import { AudioDevicePreferences, AudioDevicePreferencesPatch } from '../contracts/desktop-api';
import type { FileStore } from './electron-facade';
import { readJson, writeJson } from './json-file';

export const DEFAULT_AUDIO: AudioDevicePreferences = { microphoneId: null, speakerId: null, ringtoneDeviceId: null };

export interface AudioDevices {
  get(): AudioDevicePreferences;
  set(patch: unknown): AudioDevicePreferences;
}

export function setupAudioDevices(deps: { files: FileStore; path: string }): AudioDevices {
  let prefs: AudioDevicePreferences = readJson(deps.files, deps.path, AudioDevicePreferences) ?? { ...DEFAULT_AUDIO };
  return {
    get: () => ({ ...prefs }),
    set(raw) {
      const patch = AudioDevicePreferencesPatch.parse(raw);
      prefs = { ...prefs, ...patch };
      writeJson(deps.files, deps.path, prefs);
      return { ...prefs };
    },
  };
}
