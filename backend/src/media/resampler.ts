// Streaming sample-rate conversion for 16-bit mono PCM: carrier audio (8 kHz) into the 16 kHz
// pipeline and back, and TTS or browser audio (22.05, 24, 44.1, 48 kHz) into 16 kHz.
//
// A rational polyphase FIR: the ratio is reduced to up/down = L/M, one Kaiser-windowed sinc
// low-pass at the lower of the two Nyquist rates (anti-aliasing when downsampling, anti-imaging
// when upsampling) is split into L phases. Each resampler keeps its own input history, so
// chunk boundaries are seamless and a stream processed in pieces equals the stream processed
// whole. The filter delay is compensated: output sample n is aligned with input time n·M/L,
// and flush() emits the tail so the total output length is ceil(inputLength·L/M).

export interface Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Convert a chunk; output may be a sample shorter/longer than exact ratio, evened out over calls. */
  process(input: Int16Array): Int16Array;
  /** Emit the samples held back for filter look-ahead and reset to a fresh stream. */
  flush(): Int16Array;
}

/** Zero crossings of the sinc on each side, counted at the lower rate: the quality/cost knob. */
const HALF_ZERO_CROSSINGS = 8;
/** Kaiser β ≈ 8 gives ~80 dB stop-band, far below µ-law quantisation noise. */
const KAISER_BETA = 8;
/** Pass-band edge as a fraction of the lower Nyquist rate (3.68 kHz of a 4 kHz telephone band). */
const CUTOFF = 0.92;

interface FilterBank {
  up: number;
  down: number;
  taps: number;
  /** phase-major: coefficients of phase p are bank[p*taps .. p*taps+taps-1], newest input first. */
  bank: Float32Array;
  /** Delay of the prototype filter in upsampled-domain samples. */
  delay: number;
}

// Immutable coefficient tables keyed by ratio; sharing them between calls is safe.
const banks = new Map<string, FilterBank>();

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function filterBankFor(up: number, down: number): FilterBank {
  const key = `${up}/${down}`;
  const cached = banks.get(key);
  if (cached) return cached;

  const factor = Math.max(up, down);
  // Taps per phase: enough zero crossings at the lower rate, expressed in input samples.
  const taps = Math.ceil((2 * HALF_ZERO_CROSSINGS * factor) / up);
  let length = up * taps;
  if (length % 2 === 0) length -= 1; // odd length → integer delay
  const delay = (length - 1) / 2;
  const fc = (0.5 * CUTOFF) / factor; // cycles per upsampled sample
  const i0Beta = besselI0(KAISER_BETA);

  const bank = new Float32Array(up * taps);
  const proto = new Float64Array(up * taps);
  for (let i = 0; i < length; i++) {
    const t = i - delay;
    const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
    const r = t / delay;
    const window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    proto[i] = sinc * window;
  }
  // Normalise each phase to unit DC gain so a constant input stays exactly constant.
  for (let p = 0; p < up; p++) {
    let sum = 0;
    for (let k = 0; k < taps; k++) sum += proto[p + k * up] as number;
    for (let k = 0; k < taps; k++) bank[p * taps + k] = (proto[p + k * up] as number) / (sum || 1);
  }
  const result: FilterBank = { up, down, taps, bank, delay };
  banks.set(key, result);
  return result;
}

function createIdentity(rate: number): Resampler {
  return {
    fromRate: rate,
    toRate: rate,
    process: (input) => input,
    flush: () => new Int16Array(0),
  };
}

export function createResampler(fromRate: number, toRate: number): Resampler {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
    throw new RangeError(`sample rates must be positive integers, got ${fromRate} → ${toRate}`);
  }
  if (fromRate === toRate) return createIdentity(fromRate);
  const g = gcd(fromRate, toRate);
  const { up, down, taps, bank, delay } = filterBankFor(toRate / g, fromRate / g);

  // history[0..held) holds the newest inputs still needed, as Float32 for the inner loop.
  let history = new Float32Array(Math.max(1024, taps * 2));
  let held = 0;
  let heldStart = 0; // global index of history[0]
  let received = 0; // total input samples so far
  let produced = 0; // total output samples so far
  // Position of the next output in the upsampled domain, split to avoid big-number products.
  let nextIndex = 0; // floor((produced·down + delay) / up)
  let nextPhase = 0; // (produced·down + delay) mod up

  function reset(): void {
    held = 0;
    heldStart = -(taps - 1); // virtual zeros before the stream starts
    received = 0;
    produced = 0;
    nextIndex = Math.floor(delay / up);
    nextPhase = delay % up;
    history.fill(0, 0, taps - 1);
    held = taps - 1;
  }
  reset();

  function append(input: Int16Array | Float32Array): void {
    if (held + input.length > history.length) {
      const grown = new Float32Array(Math.max(history.length * 2, held + input.length));
      grown.set(history.subarray(0, held));
      history = grown;
    }
    history.set(input, held);
    held += input.length;
    received += input.length;
  }

  /** Produce outputs whose newest needed input is below `available` (global index), up to `limit`. */
  function run(available: number, limit: number): Int16Array {
    let count = 0;
    // Count first so we allocate the exact output size.
    {
      let i = nextIndex;
      let p = nextPhase;
      while (i < available && produced + count < limit) {
        count++;
        p += down;
        i += Math.floor(p / up);
        p %= up;
      }
    }
    const out = new Int16Array(count);
    for (let n = 0; n < count; n++) {
      const base = nextPhase * taps;
      let pos = nextIndex - heldStart; // newest input for this output
      let acc = 0;
      for (let k = 0; k < taps; k++, pos--) acc += (bank[base + k] as number) * (history[pos] as number);
      const v = Math.round(acc);
      out[n] = v > 32_767 ? 32_767 : v < -32_768 ? -32_768 : v;
      nextPhase += down;
      nextIndex += Math.floor(nextPhase / up);
      nextPhase %= up;
    }
    produced += count;
    // Drop history no future output needs (keep taps-1 samples behind the next index).
    const keepFrom = nextIndex - (taps - 1) - heldStart;
    if (keepFrom > 0) {
      const drop = Math.min(keepFrom, held);
      history.copyWithin(0, drop, held);
      held -= drop;
      heldStart += drop;
    }
    return out;
  }

  return {
    fromRate,
    toRate,
    process(input) {
      if (input.length === 0) return new Int16Array(0);
      append(input);
      return run(received, Number.POSITIVE_INFINITY);
    },
    flush() {
      const total = Math.ceil((received * up) / down);
      if (produced >= total) {
        reset();
        return new Int16Array(0);
      }
      // Feed silence past the end so the look-ahead of the last outputs is satisfied.
      const realEnd = received;
      append(new Float32Array(taps + 1));
      const out = run(realEnd + taps + 1, total);
      reset();
      return out;
    },
  };
}
