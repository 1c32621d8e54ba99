// Optional noise suppression on caller audio: RNNoise (xiph) compiled to WASM by
// @echogarden/rnnoise-wasm. RNNoise works on 10 ms frames of 48 kHz float samples, so caller
// audio (16 kHz) is resampled up, denoised frame by frame, and resampled back; each call gets
// its own RNNoise state and resamplers. Off by default: `npm run bench -- stt` measures whether
// it helps recognition (see the README's accuracy section).
import { createResampler, type Resampler } from '../media/resampler';

const FRAME = 480;

interface RnnoiseModule {
  _rnnoise_create(model: number): number;
  _rnnoise_destroy(state: number): void;
  _rnnoise_process_frame(state: number, out: number, input: number): number;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPF32: Float32Array;
}

let modulePromise: Promise<RnnoiseModule> | undefined;

async function loadModule(): Promise<RnnoiseModule> {
  modulePromise ??= import('@echogarden/rnnoise-wasm').then(async (m) => (await m.default()) as RnnoiseModule);
  return modulePromise;
}

export interface NoiseSuppressor {
  /** 16 kHz in, 16 kHz out (delayed by the resamplers' and RNNoise's look-ahead, ~10 ms). */
  process(pcm16k: Int16Array): Int16Array;
  dispose(): void;
}

export async function createNoiseSuppressor(): Promise<NoiseSuppressor> {
  const m = await loadModule();
  const state = m._rnnoise_create(0);
  const buffer = m._malloc(FRAME * 4);
  const up: Resampler = createResampler(16000, 48000);
  const down: Resampler = createResampler(48000, 16000);
  let pending = new Float32Array(0);
  let disposed = false;
  return {
    process(pcm16k) {
      if (disposed) return pcm16k;
      const wide = up.process(pcm16k);
      const joined = new Float32Array(pending.length + wide.length);
      joined.set(pending);
      for (let i = 0; i < wide.length; i++) joined[pending.length + i] = wide[i]!;
      const frames = Math.floor(joined.length / FRAME);
      const cleaned = new Int16Array(frames * FRAME);
      for (let f = 0; f < frames; f++) {
        // The WASM heap may grow (and its view change) between calls: take the view each time.
        m.HEAPF32.set(joined.subarray(f * FRAME, (f + 1) * FRAME), buffer / 4);
        m._rnnoise_process_frame(state, buffer, buffer);
        const out = m.HEAPF32.subarray(buffer / 4, buffer / 4 + FRAME);
        for (let i = 0; i < FRAME; i++) cleaned[f * FRAME + i] = Math.max(-32768, Math.min(32767, Math.round(out[i]!)));
      }
      pending = joined.slice(frames * FRAME);
      return down.process(cleaned);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      m._rnnoise_destroy(state);
      m._free(buffer);
    },
  };
}
