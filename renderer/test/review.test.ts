// Session review logic: the transcript on the recording's time axis and the follow-along
// lookup, the readable timeline, the rebuilt brief and summary, QA totals and snippets.
import { describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../contracts/events';
import { qaPreview, qaProblem, qaTotal } from '../src/review/qa-score';
import { rebuildBrief, wrapUpSummary } from '../src/review/review-brief';
import { snippetParts } from '../src/review/session-list';
import { buildTimeline, describeEvent } from '../src/review/timeline';
import { activeLineIndex, buildTimedTranscript, type TimedLine } from '../src/review/transcript-timing';

const T0 = Date.parse('2025-01-01T10:00:00.000Z');
let seq = 0;
function ev(ms: number, type: string, data: object): AnySessionEvent {
  return { sessionId: 's1', seq: ++seq, type, at: new Date(T0 + ms).toISOString(), data } as AnySessionEvent;
}

function callLog(): AnySessionEvent[] {
  seq = 0;
  return [
    ev(0, 'session.started', { channel: 'voice', callerId: '+15550100001', callerName: 'Dana' }),
    ev(200, 'ai.said', { turn: 0, text: 'Hello, this is the automated assistant.', citations: [] }),
    ev(6000, 'transcript.final', { speaker: 'caller', text: 'I want a person', startMs: 4000, endMs: 5500 }),
    ev(6100, 'caller.said', { turn: 1, text: 'I want a person', source: 'speech' }),
    ev(6200, 'tool.called', { turn: 1, name: 'lookup_customer', args: { phone: '+1555' }, ok: true, result: { id: 'c1' } }),
    ev(6300, 'call.escalated', { reason: 'caller_request', detail: 'asked', intent: 'order_status', queue: 'orders' }),
    ev(9000, 'agent.accepted', { offerId: 'o1', agentId: 'a1', agentName: 'Erin' }),
    // The agent's recognizer started when the agent joined: its startMs is not recording time.
    ev(14000, 'transcript.final', { speaker: 'agent', text: 'Hi, I can help', startMs: 3000, endMs: 4200 }),
    ev(20000, 'wrapup.submitted', { agentId: 'a1', disposition: 'resolved', notes: 'Order found', followUp: { kind: 'none' }, wrapUpMs: 12000 }),
  ];
}

describe('timed transcript', () => {
  const lines = buildTimedTranscript(callLog());
  const spoken = lines.filter((l) => l.speaker !== 'system');

  it('keeps one copy of each spoken line, with the caller at stream time', () => {
    expect(spoken.map((l) => [l.speaker, l.text])).toEqual([
      ['ai', 'Hello, this is the automated assistant.'],
      ['caller', 'I want a person'],
      ['agent', 'Hi, I can help'],
    ]);
    const caller = spoken[1]!;
    expect([caller.startMs, caller.endMs, caller.estimated]).toEqual([4000, 5500, false]);
  });

  it('places agent speech by its event time and AI lines by their event time', () => {
    const agent = spoken[2]!;
    expect([agent.startMs, agent.endMs]).toEqual([12800, 14000]);
    const ai = spoken[0]!;
    expect(ai.startMs).toBe(200);
    // Estimated from its length, but cut where the caller starts.
    expect(ai.endMs).toBeLessThanOrEqual(4000);
    expect(ai.estimated).toBe(true);
  });

  it('finds the line playing at a time, and none in a pause', () => {
    const idx = (ms: number) => {
      const i = activeLineIndex(lines, ms);
      return i < 0 ? null : lines[i]!.text;
    };
    expect(idx(300)).toBe('Hello, this is the automated assistant.');
    expect(idx(4500)).toBe('I want a person');
    expect(idx(5600)).toBeNull();
    expect(idx(13000)).toBe('Hi, I can help');
    expect(idx(99_000)).toBeNull();
    expect(activeLineIndex([], 10)).toBe(-1);
  });

  it('covers overlapping lines and many lines by binary search', () => {
    const mk = (i: number, s: number, e: number): TimedLine => ({ key: String(i), seq: i, speaker: 'caller', text: `l${i}`, at: '', source: 'stt', startMs: s, endMs: e, estimated: false });
    const overlap = [mk(1, 0, 10_000), mk(2, 1000, 2000)];
    expect(activeLineIndex(overlap, 5000)).toBe(0);
    expect(activeLineIndex(overlap, 1500)).toBe(1);
    const many = Array.from({ length: 10_000 }, (_, i) => mk(i, i * 1000, i * 1000 + 800));
    expect(activeLineIndex(many, 7_654_321)).toBe(7654);
    expect(activeLineIndex(many, 7_654_900)).toBe(-1);
  });
});

describe('timeline', () => {
  it('reads every step, tool calls with their payload', () => {
    const t = buildTimeline(callLog());
    // Nine events; the caller.said echo of the spoken line is folded into its transcript line.
    expect(t).toHaveLength(8);
    const tool = t.find((e) => e.type === 'tool.called')!;
    expect(tool.title).toBe('Tool lookup customer succeeded');
    expect(tool.extra).toContain('"id": "c1"');
    expect(t.find((e) => e.type === 'call.escalated')!.title).toBe('Escalated to Orders: Caller asked for a person');
    expect(t.find((e) => e.type === 'wrapup.submitted')!.title).toBe('Wrap-up submitted: resolved (12 s)');
    expect(t[5]!.offsetMs).toBe(9000);
  });
  it('lists a spoken caller line once (transcript and caller.said echo), typed lines as they are', () => {
    const base = callLog()[0]!;
    const ev = (seq: number, type: string, data: unknown) => ({ ...base, seq, type, data }) as AnySessionEvent;
    const t = buildTimeline([
      ev(1, 'transcript.final', { speaker: 'caller', text: 'Where is my order', startMs: 0, endMs: 900 }),
      ev(2, 'caller.said', { turn: 1, text: 'where is my order', source: 'speech' }),
      ev(3, 'caller.said', { turn: 2, text: 'where is my order', source: 'text' }),
      ev(4, 'caller.said', { turn: 3, text: 'thanks', source: 'speech' }),
    ]);
    expect(t.map((e) => e.seq)).toEqual([1, 3, 4]);
  });
  it('names agents from the log and shows unknown events by type', () => {
    const events = callLog();
    const names = new Map([['a1', 'Erin']]);
    const held = describeEvent({ ...events[0]!, type: 'call.held', data: { agentId: 'a1', held: true } } as AnySessionEvent, T0, names);
    expect(held.title).toBe('Erin put the caller on hold');
    const paused = describeEvent({ ...events[0]!, type: 'recording.paused', data: { agentId: 'a1', atMs: 75_400 } } as AnySessionEvent, T0, names);
    expect(paused).toMatchObject({ title: 'Erin paused the recording at 1:15', tone: 'warn' });
    const odd = describeEvent({ ...events[0]!, type: 'csat.given', data: { score: 5 } } as unknown as AnySessionEvent, T0);
    expect(odd.title).toBe('csat.given');
    expect(odd.extra).toContain('"score": 5');
  });
  it('shows a model turn with its tokens, cost and speed, and a fallback as a warning', () => {
    const base = callLog()[0]!;
    const usage = { turn: 2, provider: 'openai', model: 'gpt-4o-mini', inputTokens: 812, outputTokens: 40, requests: 1, retries: 0, firstTokenMs: 310, firstSentenceMs: 420, totalMs: 900, costUsd: 0.0004 };
    const entry = describeEvent({ ...base, type: 'ai.usage', data: usage } as AnySessionEvent, T0);
    expect(entry.title).toBe('Model openai gpt-4o-mini (turn 2): 812 tokens in, 40 out, $0.0004');
    expect(entry.detail).toBe('first token 310 ms, first sentence 420 ms, turn 900 ms');
    const fell = describeEvent({ ...base, type: 'ai.usage', data: { ...usage, fallback: 'local: the model wrote nothing within 5000 ms' } } as AnySessionEvent, T0);
    expect(fell.tone).toBe('warn');
    expect(fell.detail).toMatch(/Answered by the fallback: local/);
  });
});

describe('brief and summary', () => {
  it('rebuilds what the log states', () => {
    const b = rebuildBrief(callLog());
    expect(b).toMatchObject({ callerName: 'Dana', phone: '+15550100001', wants: 'order status', aiActions: ['Looked up the customer'] });
    expect(b.escalation).toEqual({ reason: 'caller_request', detail: 'asked', queue: 'orders' });
    expect(wrapUpSummary(callLog())).toEqual({ agentName: 'Erin', disposition: 'resolved', notes: 'Order found', followUp: null, wrapUpMs: 12000 });
    expect(wrapUpSummary(callLog().slice(0, 3))).toBeNull();
  });
});

describe('QA', () => {
  const criteria = [
    { id: 'greeting', label: 'Greeting', description: '', weight: 20, maxScore: 2 },
    { id: 'resolution', label: 'Resolution', description: '', weight: 80, maxScore: 5 },
  ];
  it('weights each criterion by score over max', () => {
    expect(qaTotal(criteria, { greeting: 2, resolution: 5 })).toBe(100);
    expect(qaTotal(criteria, { greeting: 1, resolution: 3 })).toBe(58);
  });
  it('previews a blank form as a dash, never "0 / 100"', () => {
    expect(qaPreview(criteria, {})).toBe('Total: — / 100');
    expect(qaPreview(criteria, { greeting: 2 })).toBe('Total: 20 / 100 so far (1 to score)');
    expect(qaPreview(criteria, { greeting: 1, resolution: 3 })).toBe('Total: 58 / 100');
    expect(qaTotal(criteria, {})).toBe(0);
  });
  it('says what is missing or out of range', () => {
    expect(qaProblem(criteria, { greeting: 1 })).toMatch(/Resolution/);
    expect(qaProblem(criteria, { greeting: 3, resolution: 1 })).toMatch(/0 to 2/);
    expect(qaProblem(criteria, { greeting: 0, resolution: 0 })).toBeNull();
  });
  it('marks the matched terms of a search snippet', () => {
    expect(snippetParts('my [order] has not [arrived]')).toEqual([
      { text: 'my ', match: false },
      { text: 'order', match: true },
      { text: ' has not ', match: false },
      { text: 'arrived', match: true },
    ]);
  });
});
