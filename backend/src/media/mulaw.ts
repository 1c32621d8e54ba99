// G.711 µ-law codec (ITU-T G.711, the 8 kHz telephone encoding Twilio uses). Table-driven:
// a 256-entry decode table and a 64 Ki-entry encode table indexed by the raw 16-bit sample,
// so each sample costs one lookup. Tables are immutable and shared; no per-call state here.

const BIAS = 0x84;
const CLIP = 32_635;

function encodeSample(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function decodeSample(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

const DECODE_TABLE = new Int16Array(256);
for (let i = 0; i < 256; i++) DECODE_TABLE[i] = decodeSample(i);

// Indexed by the sample's two's-complement bits (sample & 0xffff).
const ENCODE_TABLE = new Uint8Array(65_536);
for (let i = 0; i < 65_536; i++) ENCODE_TABLE[i] = encodeSample(i >= 32_768 ? i - 65_536 : i);

export function linearToMulaw(sample: number): number {
  return ENCODE_TABLE[sample & 0xffff] as number;
}

export function mulawToLinear(byte: number): number {
  return DECODE_TABLE[byte & 0xff] as number;
}

/** Decode µ-law bytes to 16-bit PCM. Pass `out` (≥ bytes.length) to reuse a buffer on hot paths. */
export function decodeMulaw(bytes: Uint8Array, out?: Int16Array): Int16Array {
  const n = bytes.length;
  const pcm = out && out.length >= n ? out.subarray(0, n) : new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = DECODE_TABLE[bytes[i] as number] as number;
  return pcm;
}

/** Encode 16-bit PCM to µ-law bytes. Pass `out` (≥ pcm.length) to reuse a buffer on hot paths. */
export function encodeMulaw(pcm: Int16Array, out?: Uint8Array): Uint8Array {
  const n = pcm.length;
  const bytes = out && out.length >= n ? out.subarray(0, n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = ENCODE_TABLE[(pcm[i] as number) & 0xffff] as number;
  return bytes;
}
