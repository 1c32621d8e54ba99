// L16 codec for the local carrier: signed 16-bit linear PCM, mono, LITTLE-endian on our wire
// (RFC 3551's audio/L16 is big-endian; we chose little-endian because browsers and Node hand us
// native Int16Array bytes). On little-endian hosts with aligned input, decode and encode are
// zero-copy views; otherwise they copy through a DataView.

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Bytes → samples. A trailing odd byte is ignored (use `createL16Decoder` to carry it across
 * chunks). The result may alias `bytes`; copy it if you keep it beyond the input's lifetime.
 */
export function decodeL16(bytes: Uint8Array): Int16Array {
  const samples = bytes.length >> 1;
  if (HOST_IS_LITTLE_ENDIAN && (bytes.byteOffset & 1) === 0) {
    return new Int16Array(bytes.buffer, bytes.byteOffset, samples);
  }
  const out = new Int16Array(samples);
  const view = new DataView(bytes.buffer, bytes.byteOffset, samples * 2);
  for (let i = 0; i < samples; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** Samples → bytes (little-endian). The result may alias `pcm`'s memory. */
export function encodeL16(pcm: Int16Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const out = new Uint8Array(pcm.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < pcm.length; i++) view.setInt16(i * 2, pcm[i] as number, true);
  return out;
}

export interface L16Decoder {
  /** Decode a chunk; an odd trailing byte is held and joined to the next chunk's first byte. */
  decode(bytes: Uint8Array): Int16Array;
  /** Bytes held over from the last chunk (0 or 1). */
  readonly pendingBytes: number;
}

/** A per-stream decoder for peers that split frames at odd byte boundaries. */
export function createL16Decoder(): L16Decoder {
  let carry = -1;
  return {
    get pendingBytes() {
      return carry < 0 ? 0 : 1;
    },
    decode(bytes) {
      if (carry < 0) {
        if ((bytes.length & 1) === 0) return decodeL16(bytes);
        carry = bytes[bytes.length - 1] as number;
        return decodeL16(bytes.subarray(0, bytes.length - 1));
      }
      if (bytes.length === 0) return new Int16Array(0);
      // Rare path: re-align by copying once with the held byte in front.
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = carry;
      joined.set(bytes, 1);
      if ((joined.length & 1) === 1) {
        carry = joined[joined.length - 1] as number;
        return decodeL16(joined.subarray(0, joined.length - 1));
      }
      carry = -1;
      return decodeL16(joined);
    },
  };
}
