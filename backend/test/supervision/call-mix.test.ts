// The mixer of a monitored call: who hears whom in each mode, checked by the tones each
// speaker puts in (tones.ts), never by timing.
import { describe, expect, it } from 'vitest';
import { CallMix, VoiceQueue, mixInto } from '../../src/supervision/call-mix';
import { AGENT_HZ, CALLER_HZ, LEAD_HZ, concat, tone, toneLevel } from './tones';

const FRAME = 320;

function harness() {
  const toCaller: Int16Array[] = [];
  const toAgent: Int16Array[] = [];
  const toLead: Int16Array[] = [];
  const mix = new CallMix({ toCaller: (p) => toCaller.push(p), toAgent: (p) => toAgent.push(p) });
  /** One 20 ms step: caller, agent and lead each speak their tone (lead optional). */
  const step = (i: number, lead = true) => {
    mix.callerFrame(tone(CALLER_HZ, FRAME, 8000, i * FRAME));
    mix.agentFrame(tone(AGENT_HZ, FRAME, 8000, i * FRAME));
    if (lead) mix.supervisorFrame('lea', tone(LEAD_HZ, FRAME, 8000, i * FRAME));
  };
  return { mix, toCaller, toAgent, toLead, step, hear: (p: Int16Array) => toLead.push(p) };
}

const levels = (frames: Int16Array[]) => {
  const pcm = concat(frames);
  return { caller: toneLevel(pcm, CALLER_HZ), agent: toneLevel(pcm, AGENT_HZ), lead: toneLevel(pcm, LEAD_HZ) };
};

describe('CallMix', () => {
  it('listen: the lead hears caller and agent; nobody hears the lead', () => {
    const h = harness();
    h.mix.add('lea', 'listen', h.hear);
    for (let i = 0; i < 50; i++) h.step(i);
    const lead = levels(h.toLead);
    expect(lead.caller).toBeGreaterThan(4000);
    expect(lead.agent).toBeGreaterThan(3000);
    expect(levels(h.toAgent).lead).toBeLessThan(50);
    expect(levels(h.toCaller).lead).toBeLessThan(50);
  });

  it('whisper: the agent hears the lead over the caller; the caller never does', () => {
    const h = harness();
    h.mix.add('lea', 'whisper', h.hear);
    for (let i = 0; i < 50; i++) h.step(i);
    const agent = levels(h.toAgent);
    expect(agent.lead).toBeGreaterThan(3000);
    expect(agent.caller).toBeGreaterThan(4000);
    const caller = levels(h.toCaller);
    expect(caller.lead).toBeLessThan(50);
    expect(caller.agent).toBeGreaterThan(4000);
    expect(levels(h.toLead).lead).toBeLessThan(50);
  });

  it('whisper with the agent silent (muted): the lead still reaches the agent and still not the caller', () => {
    const h = harness();
    h.mix.add('lea', 'whisper', h.hear);
    for (let i = 0; i < 50; i++) {
      h.mix.callerFrame(tone(CALLER_HZ, FRAME, 8000, i * FRAME));
      h.mix.supervisorFrame('lea', tone(LEAD_HZ, FRAME, 8000, i * FRAME));
    }
    expect(levels(h.toAgent).lead).toBeGreaterThan(3000);
    expect(h.toCaller.length === 0 || levels(h.toCaller).lead < 50).toBe(true);
  });

  it('barge: caller and agent both hear the lead; a later whisper does not leak to the caller', () => {
    const h = harness();
    h.mix.add('lea', 'barge', h.hear);
    for (let i = 0; i < 50; i++) h.step(i);
    expect(levels(h.toCaller).lead).toBeGreaterThan(3000);
    expect(levels(h.toAgent).lead).toBeGreaterThan(3000);

    // Back to whisper: queued barge audio is dropped and nothing new reaches the caller.
    h.mix.supervisorFrame('lea', tone(LEAD_HZ, FRAME * 2));
    h.mix.setMode('lea', 'whisper');
    h.toCaller.length = 0;
    for (let i = 0; i < 50; i++) h.step(i);
    expect(levels(h.toCaller).lead).toBeLessThan(50);
    expect(levels(h.toAgent).lead).toBeGreaterThan(3000);
  });

  it('barge with the agent muted: the caller hears the lead through the lag bound', () => {
    const h = harness();
    h.mix.add('lea', 'barge', h.hear);
    for (let i = 0; i < 50; i++) {
      h.mix.callerFrame(tone(CALLER_HZ, FRAME, 8000, i * FRAME));
      h.mix.supervisorFrame('lea', tone(LEAD_HZ, FRAME, 8000, i * FRAME));
    }
    expect(levels(h.toCaller).lead).toBeGreaterThan(3000);
  });

  it('a removed lead hears nothing more and is heard by no one', () => {
    const h = harness();
    h.mix.add('lea', 'barge', h.hear);
    h.step(0);
    h.mix.remove('lea');
    h.toLead.length = 0;
    h.toCaller.length = 0;
    h.toAgent.length = 0;
    for (let i = 0; i < 20; i++) h.step(i);
    expect(h.toLead).toHaveLength(0);
    expect(levels(h.toCaller).lead).toBeLessThan(50);
    expect(levels(h.toAgent).lead).toBeLessThan(50);
    expect(h.mix.size).toBe(0);
  });
});

describe('VoiceQueue and mixInto', () => {
  it('takes in any frame size, keeps order, and bounds the lag', () => {
    const q = new VoiceQueue(960);
    q.push(Int16Array.from([1, 2, 3]));
    q.push(Int16Array.from([4, 5]));
    expect([...q.take(4)]).toEqual([1, 2, 3, 4]);
    expect([...q.take(4)]).toEqual([5]);
    for (let i = 0; i < 10; i++) q.push(new Int16Array(320));
    expect(q.overflow()?.length).toBe(3200 - 480);
    expect(q.length).toBe(480);
  });

  it('clips the sum instead of wrapping around', () => {
    const out = mixInto(Int16Array.from([30000, -30000, 5]), [Int16Array.from([10000, -10000, 5])]);
    expect([...out]).toEqual([32767, -32768, 10]);
  });
});
