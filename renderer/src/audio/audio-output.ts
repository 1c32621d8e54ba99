// Where a WebAudio graph plays: the system default, or a chosen output device (speaker for
// call audio, another for the ringtone). Feature-detected: AudioContext.setSinkId (Chromium
// 110+, so Electron) routes the whole context; otherwise the graph is rendered into a
// MediaStream played by an <audio> element whose HTMLMediaElement.setSinkId picks the device;
// with neither, the default device is used and the settings screen says so.

interface SinkAudioContext extends AudioContext {
  setSinkId(sinkId: string): Promise<void>;
}
interface SinkMediaElement extends HTMLMediaElement {
  setSinkId(sinkId: string): Promise<void>;
}

export type SinkSupport = 'context' | 'element' | 'none';

export function sinkSupport(): SinkSupport {
  if (typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype) return 'context';
  if (typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype) return 'element';
  return 'none';
}

export interface AudioOutput {
  /** Connect the graph's last node here instead of ctx.destination. */
  readonly node: AudioNode;
  /** Switches the output; null = system default. Resolves false when it could not (default kept). */
  setSink(deviceId: string | null): Promise<boolean>;
  close(): void;
}

export function createAudioOutput(ctx: AudioContext, deviceId: string | null): AudioOutput {
  const support = sinkSupport();
  if (support === 'context') {
    const sinkCtx = ctx as SinkAudioContext;
    let current: string | null = null;
    const setSink = async (id: string | null) => {
      if (id === current) return true;
      try {
        await sinkCtx.setSinkId(id ?? '');
        current = id;
        return true;
      } catch {
        // The device is gone or not allowed: stay on (or go back to) the default.
        if (current !== null) await sinkCtx.setSinkId('').catch(() => undefined);
        current = null;
        return id === null;
      }
    };
    void setSink(deviceId);
    return { node: ctx.destination, setSink, close: () => undefined };
  }
  if (support === 'element') {
    const dest = ctx.createMediaStreamDestination();
    const el = new Audio() as SinkMediaElement;
    el.autoplay = true;
    el.srcObject = dest.stream;
    let current: string | null = null;
    const setSink = async (id: string | null) => {
      if (id === current) return true;
      try {
        await el.setSinkId(id ?? '');
        current = id;
        return true;
      } catch {
        current = null;
        await el.setSinkId('').catch(() => undefined);
        return id === null;
      }
    };
    void setSink(deviceId).then(() => el.play().catch(() => undefined));
    return {
      node: dest,
      setSink,
      close: () => {
        el.pause();
        el.srcObject = null;
      },
    };
  }
  return { node: ctx.destination, setSink: (id) => Promise.resolve(id === null), close: () => undefined };
}
