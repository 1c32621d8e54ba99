// One listener's ear in a three-way conference: the other parties' 16 kHz audio summed into
// one stream. Each party's frames arrive at their own pace (a browser's worklet, the caller's
// carrier), so the mixer keeps a short buffer per source and emits a frame once every source
// has one — or once any source runs ahead by `maxLagSamples` (a muted or silent party sends
// nothing), filling the quiet ones with silence. Sending the sources one after the other
// instead would play them in sequence and double the listener's delay.

export interface ConferenceMixerOptions {
  sources: readonly string[];
  /** Samples per mixed frame (20 ms at 16 kHz = 320). */
  frameSamples?: number;
  /** How far one source may run ahead of a quiet one before the quiet one counts as silence. */
  maxLagSamples?: number;
  emit: (pcm: Int16Array) => void;
}

export class ConferenceMixer {
  readonly #frame: number;
  readonly #maxLag: number;
  readonly #emit: (pcm: Int16Array) => void;
  readonly #buffers = new Map<string, Int16Array[]>();
  readonly #lengths = new Map<string, number>();

  constructor(options: ConferenceMixerOptions) {
    this.#frame = options.frameSamples ?? 320;
    this.#maxLag = options.maxLagSamples ?? this.#frame * 4;
    this.#emit = options.emit;
    for (const source of options.sources) {
      this.#buffers.set(source, []);
      this.#lengths.set(source, 0);
    }
  }

  push(source: string, pcm: Int16Array): void {
    const chunks = this.#buffers.get(source);
    if (!chunks || pcm.length === 0) return;
    chunks.push(pcm);
    this.#lengths.set(source, (this.#lengths.get(source) ?? 0) + pcm.length);
    for (;;) {
      const lengths = [...this.#lengths.values()];
      const everyoneHasAFrame = lengths.every((n) => n >= this.#frame);
      const someoneRanAhead = lengths.some((n) => n >= this.#maxLag);
      if (!everyoneHasAFrame && !someoneRanAhead) return;
      this.#emit(this.#mixOneFrame());
    }
  }

  #mixOneFrame(): Int16Array {
    const sum = new Int32Array(this.#frame);
    for (const [source, chunks] of this.#buffers) {
      let filled = 0;
      while (filled < this.#frame && chunks.length > 0) {
        const head = chunks[0]!;
        const take = Math.min(head.length, this.#frame - filled);
        for (let i = 0; i < take; i++) sum[filled + i]! += head[i]!;
        filled += take;
        if (take === head.length) chunks.shift();
        else chunks[0] = head.subarray(take);
      }
      this.#lengths.set(source, Math.max(0, (this.#lengths.get(source) ?? 0) - filled));
    }
    const out = new Int16Array(this.#frame);
    // Two voices at once can exceed the sample range: clip rather than wrap around.
    for (let i = 0; i < out.length; i++) out[i] = Math.max(-32768, Math.min(32767, sum[i]!));
    return out;
  }
}
