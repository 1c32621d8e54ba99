// The audio devices this computer has, kept current as headsets come and go. Device names
// are hidden until the page may use the microphone; `revealNames` asks once and releases
// the microphone at once.
import { useCallback, useEffect, useState } from 'react';
import type { DeviceInfoLike } from './device-prefs';

export interface MediaDevicesState {
  devices: DeviceInfoLike[];
  supported: boolean;
  /** True when names are hidden (no microphone permission yet). */
  namesHidden: boolean;
  error: string | null;
  revealNames(): Promise<void>;
}

function mediaDevices(): MediaDevices | null {
  // Absent on insecure origins and in some embedded browsers, whatever the DOM types say.
  const md =
    typeof navigator === 'undefined' ? undefined : (navigator.mediaDevices as MediaDevices | undefined);
  return typeof md?.enumerateDevices === 'function' ? md : null;
}

export function useMediaDevices(): MediaDevicesState {
  const [devices, setDevices] = useState<DeviceInfoLike[]>([]);
  const [error, setError] = useState<string | null>(null);
  const md = mediaDevices();

  const refresh = useCallback(async () => {
    const m = mediaDevices();
    if (!m) return;
    try {
      const list = await m.enumerateDevices();
      setDevices(
        list
          .filter((d) => d.kind === 'audioinput' || d.kind === 'audiooutput')
          .map((d) => ({ deviceId: d.deviceId, kind: d.kind, label: d.label })),
      );
    } catch (err) {
      setError(`Audio devices could not be listed (${(err as Error).message}).`);
    }
  }, []);

  useEffect(() => {
    const m = mediaDevices();
    if (!m) return;
    void refresh();
    const onChange = () => void refresh();
    m.addEventListener('devicechange', onChange);
    return () => m.removeEventListener('devicechange', onChange);
  }, [refresh]);

  const revealNames = useCallback(async () => {
    const m = mediaDevices();
    if (typeof m?.getUserMedia !== 'function') return;
    try {
      const stream = await m.getUserMedia({ audio: true });
      stream.getTracks().forEach((t) => t.stop());
      setError(null);
    } catch (err) {
      setError(`Microphone access was not allowed (${(err as Error).message}); device names stay hidden.`);
    }
    await refresh();
  }, [refresh]);

  return {
    devices,
    supported: md !== null,
    namesHidden: devices.length > 0 && devices.every((d) => d.label === ''),
    error,
    revealNames,
  };
}
