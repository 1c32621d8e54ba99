// Voice activity detection for one call: the WebRTC VAD (libfvad compiled to WASM, from
// @echogarden/fvad-wasm). The WASM module is loaded once per process and cached; every call
// gets its own fvad instance and its own input buffer inside that module, so no detector state
// is shared between calls. Callers feed arbitrary-length PCM; we frame it into 10/20/30 ms and
// return one decision per frame, timestamped in stream time.
import loadFvad from '@echogarden/fvad-wasm';

export type VadMode = 0 | 1 | 2 | 3;
export type VadFrameMs = 10 | 20 | 30;
export type VadSampleRate = 8000 | 16000 | 32000 | 48000;

export const DEFAULT_VAD_MODE: VadMode = 3;
export const DEFAULT_VAD_FRAME_MS: VadFrameMs = 20;

export interface VadFrame {
  /** Stream time of the frame's first sample, ms since the detector was created or reset. */
  startMs: number;
  endMs: number;
  voiced: boolean;
}

export interface VoiceActivityDetectorOptions {
  sampleRate?: VadSampleRate;
  /** 0 = least aggressive about flagging non-speech … 3 = most aggressive (fewest false alarms). */
  mode?: VadMode;
  frameMs?: VadFrameMs;
}

export interface VoiceActivityDetector {
  readonly sampleRate: VadSampleRate;
  readonly frameMs: VadFrameMs;
  /** Feed PCM of any length; returns decisions for every complete frame now available. */
  process(pcm: Int16Array): VadFrame[];
  /** Forget buffered samples and detector history; stream time restarts at 0. */
  reset(): void;
  /** Release the WASM instance. The detector is unusable afterwards. */
  dispose(): void;
}

// The subset of the Emscripten module we use (the package ships no typings).
interface FvadModule {
  _fvad_new(): number;
  _fvad_free(inst: number): void;
  _fvad_reset(inst: number): void;
  _fvad_set_mode(inst: number, mode: number): number;
  _fvad_set_sample_rate(inst: number, rate: number): number;
  _fvad_process(inst: number, framePtr: number, length: number): number;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAP16: Int16Array;
}

let modulePromise: Promise<FvadModule> | undefined;

/** Load (once) the WASM module; call at startup to keep the first call's latency low. */
export function loadVoiceActivityModule(): Promise<FvadModule> {
  modulePromise ??= (loadFvad() as Promise<FvadModule>).catch((err: unknown) => {
    modulePromise = undefined; // allow a retry rather than caching the failure
    throw err;
  });
  return modulePromise;
}

export async function createVoiceActivityDetector(
  options: VoiceActivityDetectorOptions = {},
): Promise<VoiceActivityDetector> {
  const m = await loadVoiceActivityModule();
  return createDetectorOn(m, options);
}

function createDetectorOn(m: FvadModule, options: VoiceActivityDetectorOptions): VoiceActivityDetector {
  const sampleRate = options.sampleRate ?? 16_000;
  const mode = options.mode ?? DEFAULT_VAD_MODE;
  const frameMs = options.frameMs ?? DEFAULT_VAD_FRAME_MS;
  if (![8000, 16000, 32000, 48000].includes(sampleRate)) {
    throw new RangeError(`VAD sample rate must be 8000, 16000, 32000 or 48000 Hz, got ${sampleRate}`);
  }
  if (![10, 20, 30].includes(frameMs)) throw new RangeError(`VAD frame must be 10, 20 or 30 ms, got ${frameMs}`);
  if (![0, 1, 2, 3].includes(mode)) throw new RangeError(`VAD mode must be 0–3, got ${mode}`);

  const inst = m._fvad_new();
  if (inst === 0) throw new Error('could not allocate a WebRTC VAD instance (out of WASM memory)');
  if (m._fvad_set_sample_rate(inst, sampleRate) < 0 || m._fvad_set_mode(inst, mode) < 0) {
    m._fvad_free(inst);
    throw new Error('WebRTC VAD rejected its configuration');
  }
  const frameSamples = (sampleRate / 1000) * frameMs;
  const framePtr = m._malloc(frameSamples * 2);
  if (framePtr === 0) {
    m._fvad_free(inst);
    throw new Error('could not allocate a VAD frame buffer (out of WASM memory)');
  }
  const pending = new Int16Array(frameSamples); // partial frame carried between calls
  let pendingCount = 0;
  let framesDone = 0;
  let disposed = false;

  function classify(src: Int16Array, offset: number): VadFrame {
    // HEAP16 is re-read each time: WASM memory growth replaces the view.
    m.HEAP16.set(src.subarray(offset, offset + frameSamples), framePtr >> 1);
    const r = m._fvad_process(inst, framePtr, frameSamples);
    if (r < 0) throw new Error('WebRTC VAD failed to process a frame');
    const startMs = framesDone * frameMs;
    framesDone++;
    return { startMs, endMs: startMs + frameMs, voiced: r === 1 };
  }

  return {
    sampleRate: sampleRate as VadSampleRate,
    frameMs: frameMs as VadFrameMs,
    process(pcm) {
      if (disposed) throw new Error('VAD used after dispose()');
      const decisions: VadFrame[] = [];
      let offset = 0;
      if (pendingCount > 0) {
        const take = Math.min(frameSamples - pendingCount, pcm.length);
        pending.set(pcm.subarray(0, take), pendingCount);
        pendingCount += take;
        offset = take;
        if (pendingCount < frameSamples) return decisions;
        decisions.push(classify(pending, 0));
        pendingCount = 0;
      }
      while (pcm.length - offset >= frameSamples) {
        decisions.push(classify(pcm, offset));
        offset += frameSamples;
      }
      if (offset < pcm.length) {
        pending.set(pcm.subarray(offset), 0);
        pendingCount = pcm.length - offset;
      }
      return decisions;
    },
    reset() {
      if (disposed) return;
      m._fvad_reset(inst);
      // fvad_reset restores defaults; re-apply ours.
      m._fvad_set_sample_rate(inst, sampleRate);
      m._fvad_set_mode(inst, mode);
      pendingCount = 0;
      framesDone = 0;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      m._free(framePtr);
      m._fvad_free(inst);
    },
  };
}
