// The ring for incoming offers, synthesised with WebAudio oscillators so no sound asset
// ships: a soft two-tone chirp twice, then a pause, repeated until stopped. Browsers only
// allow audio after a user gesture; sign-in is one, and a blocked context fails silently
// because the offer card is visible anyway. The ring plays on the agent's chosen ringtone
// device (e.g. the laptop speaker while the headset carries the call), see audio-output.ts.
import { createAudioOutput, type AudioOutput } from './audio-output';

const CYCLE_MS = 3000;

export interface RingerOptions {
  /** The ringtone's output device, read at each ring start; null = system default. */
  deviceId?: () => string | null;
}

export class Ringer {
  #ctx: AudioContext | null = null;
  #out: AudioOutput | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #deviceId: () => string | null;

  constructor(options: RingerOptions = {}) {
    this.#deviceId = options.deviceId ?? (() => null);
  }

  get ringing(): boolean {
    return this.#timer !== null;
  }

  start(): void {
    if (this.#timer) return;
    const ctx = this.#context();
    if (!ctx) return;
    void ctx.resume().catch(() => undefined);
    void this.#out?.setSink(this.#deviceId());
    this.#ring(ctx);
    this.#timer = setInterval(() => this.#ring(ctx), CYCLE_MS);
  }

  /** Moves the ring to another device now (the settings screen changed it). */
  setDevice(deviceId: string | null): Promise<boolean> {
    return this.#out ? this.#out.setSink(deviceId) : Promise.resolve(true);
  }

  /** One ring cycle on the chosen device, for "Test ringtone" in settings. */
  preview(): void {
    const ctx = this.#context();
    if (!ctx) return;
    void ctx.resume().catch(() => undefined);
    void this.#out?.setSink(this.#deviceId());
    this.#ring(ctx);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Warm up the context inside a click handler so later rings are allowed to sound. */
  unlock(): void {
    void this.#context()
      ?.resume()
      .catch(() => undefined);
  }

  #context(): AudioContext | null {
    if (this.#ctx) return this.#ctx;
    try {
      this.#ctx = new AudioContext();
      this.#out = createAudioOutput(this.#ctx, this.#deviceId());
    } catch {
      return null;
    }
    return this.#ctx;
  }

  #ring(ctx: AudioContext): void {
    const t0 = ctx.currentTime + 0.02;
    for (const offset of [0, 0.5]) {
      this.#chirp(ctx, t0 + offset, 880);
      this.#chirp(ctx, t0 + offset + 0.18, 1175);
    }
  }

  #chirp(ctx: AudioContext, at: number, hz: number): void {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = hz;
    // Short attack and release: no clicks, and quiet enough not to startle through a headset.
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.15, at + 0.02);
    gain.gain.setValueAtTime(0.15, at + 0.14);
    gain.gain.linearRampToValueAtTime(0, at + 0.17);
    osc.connect(gain).connect(this.#out?.node ?? ctx.destination);
    osc.start(at);
    osc.stop(at + 0.2);
  }
}
