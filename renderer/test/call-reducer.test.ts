// Seq de-duplication and resume: replays after a reconnect never double or drop a line.
import { describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../contracts/agent-channel';
import type { AnySessionEvent } from '../../contracts/events';
import {
  applySessionMessage,
  newCall,
  resumeList,
  startLocalWrapUp,
  type CallState,
  type SessionMessage,
  callTimers,
} from '../src/state/call-reducer';

const S = 's1';
const at = '2025-01-01T00:00:00.000Z';

function said(seq: number, text: string): SessionMessage {
  const event: AnySessionEvent = {
    sessionId: S,
    seq,
    at,
    type: 'caller.said',
    data: { turn: seq, text, source: 'text' },
  };
  return { type: 'session.event', sessionId: S, seq, event };
}

function ai(seq: number, text: string): SessionMessage {
  const event: AnySessionEvent = {
    sessionId: S,
    seq,
    at,
    type: 'ai.said',
    data: { turn: seq, text, citations: [] },
  };
  return { type: 'session.event', sessionId: S, seq, event };
}

function run(messages: SessionMessage[], start?: CallState): CallState {
  return messages.reduce<CallState | undefined>((c, m) => applySessionMessage(c, m), start)!;
}

describe('seq de-duplication', () => {
  it('drops events at or below the last seq seen', () => {
    const call = run([
      ai(1, 'Hello'),
      said(2, 'Hi'),
      said(2, 'Hi'),
      ai(1, 'Hello'),
      ai(3, 'How can I help?'),
    ]);
    expect(call.lastSeq).toBe(3);
    expect(call.transcript.lines.map((l) => l.text)).toEqual(['Hello', 'Hi', 'How can I help?']);
  });

  it('a replay after reconnect that overlaps what was seen adds only the new lines', () => {
    const before = run([ai(1, 'a'), said(2, 'b'), ai(3, 'c')]);
    const [resume] = resumeList([before]);
    expect(resume).toEqual({ sessionId: S, afterSeq: 3 });
    // A server that replays a little too much (from 2) must not double line 2 or 3.
    const after = run([said(2, 'b'), ai(3, 'c'), said(4, 'd'), ai(5, 'e')], before);
    expect(after.transcript.lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('returns the same object for an ignored duplicate so React does not re-render', () => {
    const call = run([ai(1, 'a')]);
    expect(applySessionMessage(call, ai(1, 'a'))).toBe(call);
  });

  it('call.assigned does not advance lastSeq, so the history before it is still applied', () => {
    const assigned: AgentServerMessage = {
      type: 'call.assigned',
      sessionId: S,
      seq: 7,
      brief: {
        caller: { name: 'Ana', nameVerified: true, phone: '+15550100001', customerId: 'c1', verified: true },
        wants: 'refund',
        aiActions: [],
        escalation: null,
        mood: 'neutral',
        moodTrend: 'steady',
        flags: [],
        transcriptTail: [],
      },
      wrapUpDraft: 'draft',
    };
    const call = run([assigned as SessionMessage, ai(1, 'a'), said(2, 'b')]);
    expect(call.brief?.caller.name).toBe('Ana');
    expect(call.wrapUpDraft).toBe('draft');
    expect(call.transcript.lines).toHaveLength(2);
    expect(call.mediaUrl).toBeNull();
    // In a cluster the assignment names the backend holding the call; a later brief refresh without it keeps it.
    const clustered = run([{ ...assigned, mediaUrl: 'http://10.0.0.7:8080' } as SessionMessage, assigned as SessionMessage]);
    expect(clustered.mediaUrl).toBe('http://10.0.0.7:8080');
  });

  it('keeps sessions independent in the resume list', () => {
    const a = run([ai(1, 'x'), ai(2, 'y')]);
    const b = applySessionMessage(newCall('s2'), {
      type: 'session.event',
      sessionId: 's2',
      seq: 9,
      event: { sessionId: 's2', seq: 9, at, type: 'ai.said', data: { turn: 1, text: 'z', citations: [] } },
    });
    expect(resumeList([a, b])).toEqual([
      { sessionId: S, afterSeq: 2 },
      { sessionId: 's2', afterSeq: 9 },
    ]);
  });
});

describe('call state and wrap-up', () => {
  it('enters wrap-up from call.state and takes a later draft', () => {
    const call = run([
      ai(1, 'a'),
      { type: 'call.state', sessionId: S, seq: 1, muted: true, held: false },
      {
        type: 'call.state',
        sessionId: S,
        seq: 1,
        muted: false,
        held: false,
        wrapUpStartedAt: at,
        wrapUpDraft: 'Summary',
      },
    ]);
    expect(call.phase).toBe('wrap_up');
    expect(call.wrapUpStartedAt).toBe(at);
    expect(call.wrapUpDraft).toBe('Summary');
  });

  it('follows recording pause and resume from events (replayed after a reconnect) and call.state', () => {
    const paused: SessionMessage = {
      type: 'session.event',
      sessionId: S,
      seq: 2,
      event: { sessionId: S, seq: 2, at, type: 'recording.paused', data: { agentId: 'a1', atMs: 1200 } },
    };
    const resumed: SessionMessage = {
      type: 'session.event',
      sessionId: S,
      seq: 3,
      event: { sessionId: S, seq: 3, at, type: 'recording.resumed', data: { agentId: 'a1', atMs: 5200 } },
    };
    expect(run([ai(1, 'a'), paused]).recordingPaused).toBe(true);
    expect(run([ai(1, 'a'), paused, resumed]).recordingPaused).toBe(false);
    expect(run([ai(1, 'a'), { type: 'call.state', sessionId: S, seq: 1, muted: false, held: false, recordingPaused: true }]).recordingPaused).toBe(true);
    expect(run([ai(1, 'a'), paused, { type: 'call.state', sessionId: S, seq: 2, muted: true, held: false }]).recordingPaused).toBe(true);
  });

  it('local hang-up starts wrap-up once', () => {
    const call = startLocalWrapUp(run([ai(1, 'a')]), at);
    expect(call.phase).toBe('wrap_up');
    expect(startLocalWrapUp(call, '2030-01-01T00:00:00.000Z')).toBe(call);
  });

  it('hides dismissed suggestions when the server repeats them', () => {
    const sugg = (ids: string[]): SessionMessage => ({
      type: 'suggestions',
      sessionId: S,
      seq: 1,
      suggestions: ids.map((id) => ({ id, text: id, source: { kind: 'article', id: 'k', title: 'T' } })),
    });
    let call = run([sugg(['a', 'b'])]);
    call = { ...call, dismissedSuggestionIds: ['a'] };
    call = applySessionMessage(call, sugg(['a', 'b', 'c', 'd']));
    expect(call.suggestions.map((s) => s.id)).toEqual(['b', 'c', 'd']);
  });
});

describe('call timers', () => {
  it('count talk without hold, hold while held, and after-call from wrap-up', () => {
    const t0 = Date.parse('2026-11-29T10:00:00.000Z');
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    let seq = 0;
    const ev = (type: string, s: number, data: unknown) =>
      ({ type: 'session.event', sessionId: 's1', seq: ++seq, event: { sessionId: 's1', seq, type, at: at(s), data } }) as never;
    let call = applySessionMessage(undefined, ev('agent.accepted', 0, { offerId: 'o', agentId: 'a', agentName: 'Ann' }));
    expect(callTimers(call, t0 + 30_000)).toEqual({ talkMs: 30_000, holdMs: 0, afterCallMs: null });
    call = applySessionMessage(call, ev('call.held', 60, { agentId: 'a', held: true }));
    expect(callTimers(call, t0 + 80_000)).toEqual({ talkMs: 60_000, holdMs: 20_000, afterCallMs: null });
    call = applySessionMessage(call, ev('call.held', 90, { agentId: 'a', held: false }));
    call = applySessionMessage(call, ev('session.ended', 120, { by: 'caller', reason: 'hung up' }));
    expect(callTimers(call, t0 + 150_000)).toEqual({ talkMs: 90_000, holdMs: 30_000, afterCallMs: 30_000 });
  });
});

describe('warm transfer on the desk', () => {
  const event = (seq: number, e: Pick<AnySessionEvent, 'type' | 'data'>): SessionMessage =>
    ({ type: 'session.event', sessionId: S, seq, event: { sessionId: S, seq, at, ...e } as AnySessionEvent });

  it('keeps the call’s current queue (a transfer moves it) for the transfer picker', () => {
    let call = applySessionMessage(undefined, event(1, { type: 'call.escalated', data: { reason: 'caller_request', detail: '', intent: 'x', queue: 'orders' } }));
    expect(call.queue).toBe('orders');
    call = applySessionMessage(call, event(2, { type: 'queue.entered', data: { queue: 'orders', position: 1, reason: 'caller_request' } }));
    call = applySessionMessage(call, event(3, { type: 'queue.entered', data: { queue: 'billing', position: 1, reason: 'transfer' } }));
    expect(call.queue).toBe('billing');
  });

  it('follows the consultation and shows each step in the transcript', () => {
    let call = applySessionMessage(undefined, {
      type: 'consult.state',
      sessionId: S,
      seq: 4,
      consult: { consultId: 'c1', role: 'from', phase: 'ringing', otherAgentName: 'Finn Fischer' },
    });
    expect(call.consult?.phase).toBe('ringing');
    call = applySessionMessage(call, event(1, { type: 'consult.requested', data: { consultId: 'c1', fromAgentId: 'a', toAgentId: 'b', toAgentName: 'Finn Fischer', note: '' } }));
    call = applySessionMessage(call, event(2, { type: 'consult.ended', data: { consultId: 'c1', outcome: 'declined', by: 'b' } }));
    call = applySessionMessage(call, { type: 'consult.state', sessionId: S, seq: 2, consult: null, outcome: 'declined' });
    expect(call.consult).toBeNull();
    const lines = call.transcript.lines.map((l) => l.text);
    expect(lines).toEqual(['Consulting Finn Fischer — caller on hold', 'Consultation declined — the caller is back with the agent']);
  });
});
