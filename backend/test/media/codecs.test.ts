import { describe, expect, it } from 'vitest';
import { decodeMulaw, encodeMulaw, linearToMulaw, mulawToLinear } from '../../src/media/mulaw';
import { createL16Decoder, decodeL16, encodeL16 } from '../../src/media/l16';

describe('µ-law', () => {
  it('matches G.711 reference points', () => {
    expect(linearToMulaw(0)).toBe(0xff);
    expect(linearToMulaw(-1)).toBe(0x7f);
    expect(linearToMulaw(32_767)).toBe(0x80);
    expect(linearToMulaw(-32_768)).toBe(0x00);
    expect(mulawToLinear(0xff)).toBe(0);
    expect(mulawToLinear(0x80)).toBe(32_124);
    expect(mulawToLinear(0x00)).toBe(-32_124);
  });

  it('round-trips every 16-bit sample within the quantisation step of its segment', () => {
    const all = new Int16Array(65_536);
    for (let i = 0; i < all.length; i++) all[i] = i - 32_768;
    const back = decodeMulaw(encodeMulaw(all));
    let worstExcess = 0;
    for (let i = 0; i < all.length; i++) {
      const x = all[i] as number;
      const mag = Math.min(Math.abs(x), 32_635);
      // Step size doubles per segment: 8 in the first, 1024 in the last (plus clipping above 32 635).
      const segment = Math.max(0, Math.floor(Math.log2((mag + 0x84) >> 7)));
      const step = 8 << segment;
      const clipErr = Math.abs(x) - mag;
      worstExcess = Math.max(worstExcess, Math.abs((back[i] as number) - x) - (step / 2 + clipErr + 1));
    }
    expect(worstExcess).toBeLessThanOrEqual(0);
  });

  it('decode then encode is exact for every code (except the duplicate zero)', () => {
    const codes = new Uint8Array(256).map((_, i) => i);
    const again = encodeMulaw(decodeMulaw(codes));
    for (let i = 0; i < 256; i++) if (i !== 0x7f) expect(again[i]).toBe(i);
  });

  it('reuses caller buffers', () => {
    const pcm = new Int16Array([100, -100, 2000]);
    const buf = new Uint8Array(8);
    const out = encodeMulaw(pcm, buf);
    expect(out.buffer).toBe(buf.buffer);
    expect(out.length).toBe(3);
    const dec = new Int16Array(8);
    expect(decodeMulaw(out, dec).buffer).toBe(dec.buffer);
  });
});

describe('L16 little-endian', () => {
  it('round-trips exactly, little-endian on the wire', () => {
    const pcm = new Int16Array([0, 1, -1, 32_767, -32_768, 0x1234]);
    const bytes = encodeL16(pcm);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0, 1, 0]);
    expect(Array.from(bytes.subarray(10, 12))).toEqual([0x34, 0x12]);
    expect(Array.from(decodeL16(new Uint8Array(bytes)))).toEqual(Array.from(pcm));
  });

  it('decodes from an odd byte offset and ignores a trailing odd byte', () => {
    const raw = new Uint8Array([9, 0x34, 0x12, 0xff, 0xff, 7]);
    expect(Array.from(decodeL16(raw.subarray(1)))).toEqual([0x1234, -1]);
    expect(Array.from(decodeL16(raw.subarray(1, 4)))).toEqual([0x1234]);
  });

  it('decodes zero-copy from an aligned base64 Buffer', () => {
    const pcm = new Int16Array([5, -6, 7]);
    const b64 = Buffer.from(encodeL16(pcm)).toString('base64');
    expect(Array.from(decodeL16(Buffer.from(b64, 'base64')))).toEqual([5, -6, 7]);
  });

  it('a stream decoder carries odd bytes across chunks', () => {
    const pcm = new Int16Array(101).map((_, i) => (i * 331) % 65_536 - 32_768);
    const bytes = new Uint8Array(encodeL16(pcm));
    const dec = createL16Decoder();
    const parts: number[] = [];
    for (const [a, b] of [[0, 3], [3, 4], [4, 4], [4, 77], [77, 150], [150, 202]] as const) {
      parts.push(...dec.decode(bytes.subarray(a, b)));
    }
    expect(parts).toEqual(Array.from(pcm));
    expect(dec.pendingBytes).toBe(0);
  });
});
