// Generated call audio (16 kHz mono Int16) so we ship no audio assets: hold music, DTMF key
// tones for IVR navigation and transfers, and silence.
//
// Levels are re full scale (32767): hold music is normalised to −24 dBFS RMS so it sits well
// under speech and never startles; each DTMF sine peaks at −10 dBFS, inside what carriers'
// tone detectors expect with headroom for the pair (≈ −4 dBFS combined peak).

const SAMPLE_RATE = 16_000;
const SAMPLES_PER_MS = SAMPLE_RATE / 1000;

function sampleCount(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`duration must be a non-negative number of ms, got ${ms}`);
  return Math.round(ms * SAMPLES_PER_MS);
}

function dbfs(db: number): number {
  return 32767 * 10 ** (db / 20);
}

export function silence(ms: number): Int16Array {
  return new Int16Array(sampleCount(ms));
}

// ── DTMF ────────────────────────────────────────────────────────────────────────────────────

const DTMF_ROWS = [697, 770, 852, 941] as const;
const DTMF_COLUMNS = [1209, 1336, 1477, 1633] as const;
const DTMF_KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;
const DTMF_LEVEL_DBFS = -10;
const DTMF_RAMP_MS = 5;

/** The (row, column) frequencies of a DTMF key; letters may be either case. */
export function dtmfFrequencies(digit: string): readonly [number, number] {
  const key = digit.toUpperCase();
  for (let r = 0; r < DTMF_KEYPAD.length; r++) {
    const c = key.length === 1 ? (DTMF_KEYPAD[r] ?? '').indexOf(key) : -1;
    if (c >= 0) return [DTMF_ROWS[r] ?? 0, DTMF_COLUMNS[c] ?? 0];
  }
  throw new Error(`"${digit}" is not a DTMF key; use one of 0-9, *, # or A-D`);
}

export function dtmfTone(digit: string, ms = 120): Int16Array {
  const [low, high] = dtmfFrequencies(digit);
  const n = sampleCount(ms);
  const out = new Int16Array(n);
  const amplitude = dbfs(DTMF_LEVEL_DBFS);
  // Ramps keep the key from clicking (and splattering energy into other tone bins).
  const ramp = Math.min(DTMF_RAMP_MS * SAMPLES_PER_MS, Math.floor(n / 2));
  for (let i = 0; i < n; i++) {
    const edge = Math.min(i, n - 1 - i);
    const gain = edge < ramp ? 0.5 - 0.5 * Math.cos((Math.PI * edge) / ramp) : 1;
    const t = i / SAMPLE_RATE;
    out[i] = Math.round(gain * amplitude * (Math.sin(2 * Math.PI * low * t) + Math.sin(2 * Math.PI * high * t)));
  }
  return out;
}

/** Tones separated by gaps (none after the last), as a phone keypad would send them. */
export function dtmfSequence(digits: string, toneMs = 120, gapMs = 80): Int16Array {
  const tones = [...digits].map((digit) => dtmfTone(digit, toneMs));
  const gap = sampleCount(gapMs);
  const out = new Int16Array(tones.reduce((sum, tone) => sum + tone.length, 0) + gap * Math.max(0, tones.length - 1));
  let at = 0;
  for (const tone of tones) {
    out.set(tone, at);
    at += tone.length + gap;
  }
  return out;
}

// ── Hold music ──────────────────────────────────────────────────────────────────────────────

/** I–vi–IV–V in C, voiced at 350–800 Hz: inside the 300–3400 Hz telephone band, so it survives µ-law. */
const HOLD_CHORDS: readonly (readonly number[])[] = [
  [523.25, 659.25, 783.99], // C5 E5 G5
  [440.0, 523.25, 659.25], // A4 C5 E5
  [349.23, 440.0, 523.25], // F4 A4 C5
  [392.0, 493.88, 587.33], // G4 B4 D5
];
const HOLD_CHORD_MS = 2_500;
/** Each chord rings on under the next one, so chord changes crossfade instead of dipping. */
const HOLD_OVERLAP_MS = 600;
/** A gentle strum: notes of a chord enter one after another. */
const HOLD_STRUM_MS = 90;
const HOLD_ATTACK_MS = 150;
const HOLD_DECAY_MS = 1_800;
const HOLD_SUSTAIN = 0.55;
/** A touch of second harmonic so it sounds like an instrument rather than a test tone. */
const HOLD_HARMONIC = 0.12;
const HOLD_LEVEL_DBFS = -24;

// One loop of the progression, rendered once per process. It is immutable, so sharing it across
// calls is safe, and hold audio for hundreds of calls costs a copy instead of ~6 sin() per sample.
let holdLoop: Int16Array | undefined;

function renderHoldLoop(): Int16Array {
  const chordSamples = HOLD_CHORD_MS * SAMPLES_PER_MS;
  const length = chordSamples * HOLD_CHORDS.length;
  const mix = new Float64Array(length);
  const attack = HOLD_ATTACK_MS * SAMPLES_PER_MS;
  const release = HOLD_OVERLAP_MS * SAMPLES_PER_MS;
  const decay = HOLD_DECAY_MS * SAMPLES_PER_MS;
  HOLD_CHORDS.forEach((chord, c) => {
    const chordEnd = (c + 1) * chordSamples + release;
    chord.forEach((frequency, j) => {
      const start = c * chordSamples + j * HOLD_STRUM_MS * SAMPLES_PER_MS;
      const span = chordEnd - start;
      const w = (2 * Math.PI * frequency) / SAMPLE_RATE;
      for (let t = 0; t < span; t++) {
        // Every note starts and ends at zero gain: that is what keeps the loop free of clicks.
        const rise = t < attack ? 0.5 - 0.5 * Math.cos((Math.PI * t) / attack) : 1;
        const fall = span - t < release ? 0.5 - 0.5 * Math.cos((Math.PI * (span - t)) / release) : 1;
        const body = HOLD_SUSTAIN + (1 - HOLD_SUSTAIN) * Math.exp(-t / decay);
        const voice = Math.sin(w * t) + HOLD_HARMONIC * Math.sin(2 * w * t);
        // The last chord's tail wraps onto the first chord, so the loop joins to itself.
        const at = (start + t) % length;
        mix[at] = (mix[at] ?? 0) + rise * fall * body * voice;
      }
    });
  });
  let power = 0;
  for (const v of mix) power += v * v;
  const scale = dbfs(HOLD_LEVEL_DBFS) / Math.sqrt(power / length);
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.round((mix[i] ?? 0) * scale);
  return out;
}

/**
 * `ms` of hold music starting at absolute sample `startSample` of an endless loop. Callers keep
 * the running sample count, so consecutive chunks join exactly as if generated in one piece.
 */
export function holdMusic(ms: number, startSample = 0): Int16Array {
  holdLoop ??= renderHoldLoop();
  const loop = holdLoop;
  const n = sampleCount(ms);
  const out = new Int16Array(n);
  let from = ((Math.floor(startSample) % loop.length) + loop.length) % loop.length;
  let at = 0;
  while (at < n) {
    const take = Math.min(n - at, loop.length - from);
    out.set(loop.subarray(from, from + take), at);
    at += take;
    from = 0;
  }
  return out;
}
