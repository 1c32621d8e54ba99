// The conference mixer: two parties' frames become one stream (summed, clipped), and a
// silent party never holds the other back for more than the lag bound.
import { describe, expect, it } from 'vitest';
import { ConferenceMixer } from '../../src/agents/conference-mixer';

const frame = (value: number, n = 320) => new Int16Array(n).fill(value);

describe('ConferenceMixer', () => {
  it('sums one frame from each source into one frame out, clipping instead of wrapping', () => {
    const out: Int16Array[] = [];
    const mixer = new ConferenceMixer({ sources: ['caller', 'ben'], emit: (pcm) => out.push(pcm) });
    mixer.push('caller', frame(1000));
    expect(out).toHaveLength(0);
    mixer.push('ben', frame(250));
    expect(out).toHaveLength(1);
    expect(out[0]![0]).toBe(1250);
    mixer.push('caller', frame(30000));
    mixer.push('ben', frame(30000));
    expect(out[1]![319]).toBe(32767);
  });

  it('regroups frames of different sizes and lets a lone talker through once past the lag bound', () => {
    const out: Int16Array[] = [];
    const mixer = new ConferenceMixer({ sources: ['a', 'b'], frameSamples: 320, maxLagSamples: 960, emit: (pcm) => out.push(pcm) });
    mixer.push('a', frame(1, 160));
    mixer.push('b', frame(2, 480));
    mixer.push('a', frame(1, 160));
    expect(out.map((f) => f[0])).toEqual([3]);
    // b goes quiet (muted): a's audio still comes out, with silence for b.
    for (let i = 0; i < 3; i++) mixer.push('a', frame(5));
    expect(out.length).toBeGreaterThanOrEqual(2);
    expect(out.at(-1)![319]).toBe(5);
    mixer.push('nobody', frame(9));
    expect(out.every((f) => f.length === 320)).toBe(true);
  });
});
