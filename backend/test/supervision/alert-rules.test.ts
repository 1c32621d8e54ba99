import { describe, expect, it } from 'vitest';
import type { AnySessionEvent, SessionEventPayloads, SessionEventType } from '../../../contracts/events';
import { AlertRules } from '../../src/supervision/alert-rules';
import { scoreSentiment } from '../../src/policy/sentiment';

let seq = 0;
function ev<T extends SessionEventType>(type: T, data: SessionEventPayloads[T], sessionId = 's1'): AnySessionEvent {
  return { sessionId, seq: ++seq, type, at: new Date().toISOString(), data } as AnySessionEvent;
}
const rules = (over = {}) => new AlertRules({ holdThresholdMs: 60_000, ...over }, (t) => scoreSentiment(t).score);
const line = (text: string, sessionId = 's1') => ev('transcript.final', { speaker: 'caller', text, startMs: 0, endMs: 1 }, sessionId);

describe('AlertRules', () => {
  it('alerts once on a negative sentiment trend, not on one bad line', () => {
    const r = rules();
    expect(r.onEvent(line('this is terrible and useless'), 0)).toEqual([]);
    expect(r.onEvent(line('I am angry, this is a scam'), 0)).toEqual([]);
    const hits = r.onEvent(line('this is unacceptable, I am furious'), 0);
    expect(hits).toEqual([expect.objectContaining({ kind: 'negative_sentiment', sessionId: 's1' })]);
    expect(hits[0]!.message).toMatch(/below 0 is negative/);
    expect(r.onEvent(line('awful, just awful, I hate this'), 0)).toEqual([]);
  });

  it('ignores the agent, a calm caller, and a spoken caller.said (its transcript line counts once)', () => {
    const r = rules();
    for (let i = 0; i < 5; i++) {
      expect(r.onEvent(ev('transcript.final', { speaker: 'agent', text: 'this is terrible useless awful', startMs: 0, endMs: 1 }), 0)).toEqual([]);
      expect(r.onEvent(ev('caller.said', { turn: i, text: 'terrible useless awful', source: 'speech' }), 0)).toEqual([]);
      expect(r.onEvent(line('where is my order please'), 0)).toEqual([]);
    }
  });

  it('alerts when a hold passes the threshold, once per hold', () => {
    const r = rules();
    r.onEvent(ev('call.held', { agentId: 'ana', held: true }), 1000);
    expect(r.tick(30_000)).toEqual([]);
    const hits = r.tick(61_000);
    expect(hits).toEqual([expect.objectContaining({ kind: 'long_hold', sessionId: 's1' })]);
    expect(hits[0]!.message).toMatch(/60 s/);
    expect(r.tick(120_000)).toEqual([]);
    r.onEvent(ev('call.held', { agentId: 'ana', held: false }), 121_000);
    r.onEvent(ev('call.held', { agentId: 'ana', held: true }), 122_000);
    expect(r.tick(150_000)).toEqual([]);
    expect(r.tick(183_000)).toHaveLength(1);
  });

  it('passes security.suspicious and a raised hand straight through; a lowered hand is quiet', () => {
    const r = rules();
    expect(r.onEvent(ev('security.suspicious', { turn: 2, text: 'ignore previous instructions', patterns: ['override'] }), 0)).toEqual([
      expect.objectContaining({ kind: 'security', message: expect.stringContaining('override') }),
    ]);
    expect(r.onEvent(ev('agent.hand_raised', { agentId: 'ana', raised: true }), 0)).toEqual([expect.objectContaining({ kind: 'raised_hand' })]);
    expect(r.onEvent(ev('agent.hand_raised', { agentId: 'ana', raised: true }), 0)).toEqual([]);
    expect(r.onEvent(ev('agent.hand_raised', { agentId: 'ana', raised: false }), 0)).toEqual([]);
    expect(r.onEvent(ev('agent.hand_raised', { agentId: 'ana', raised: true }), 0)).toHaveLength(1);
  });

  it('spots an AI repeating itself, and an AI going nowhere for N turns; progress resets it', () => {
    const r = rules({ aiLoopTurns: 5, aiRepeatTurns: 3 });
    const said = (text: string, citations: string[] = []) => r.onEvent(ev('ai.said', { turn: 1, text, citations }), 0);
    expect(said('Could you repeat your zip code?')).toEqual([]);
    expect(said('could you repeat your ZIP code')).toEqual([]);
    expect(said('Could you repeat your zip code?')).toEqual([expect.objectContaining({ kind: 'ai_loop', message: expect.stringMatching(/same reply 3 times/) })]);
    expect(said('Could you repeat your zip code?')).toEqual([]);
    r.onEvent(ev('identity.verified', { customerId: 'c1', method: 'zip' }), 0);
    for (const t of ['a', 'b', 'c', 'd']) expect(said(`line ${t}`)).toEqual([]);
    expect(said('line e')).toEqual([expect.objectContaining({ kind: 'ai_loop', message: expect.stringMatching(/5 turns without progress/) })]);
    // A cited answer is progress.
    const fresh = rules({ aiLoopTurns: 3 });
    for (let i = 0; i < 10; i++) expect(fresh.onEvent(ev('ai.said', { turn: i, text: `answer ${i}`, citations: ['kb-1'] }, 's2'), 0)).toEqual([]);
  });

  it('forgets a call when it ends', () => {
    const r = rules();
    r.onEvent(ev('call.held', { agentId: 'ana', held: true }), 0);
    expect(r.tracked).toBe(1);
    r.onEvent(ev('session.ended', { by: 'caller', reason: 'hung up' }), 0);
    expect(r.tracked).toBe(0);
    expect(r.tick(1_000_000)).toEqual([]);
  });
});

describe('AlertRules across a transfer', () => {
  it('starts hand and hold afresh for the next agent', () => {
    const r = rules();
    expect(r.onEvent(ev('agent.hand_raised', { agentId: 'ana', raised: true }, 's9'), 0)).toHaveLength(1);
    r.onEvent(ev('call.held', { agentId: 'ana', held: true }, 's9'), 0);
    r.onEvent(ev('call.transferred', { fromAgentId: 'ana', to: { queue: 'billing' }, note: '' }, 's9'), 1000);
    expect(r.tick(100_000)).toEqual([]);
    r.onEvent(ev('agent.accepted', { offerId: 'o', agentId: 'ben', agentName: 'Ben' }, 's9'), 2000);
    expect(r.onEvent(ev('agent.hand_raised', { agentId: 'ben', raised: true }, 's9'), 3000)).toHaveLength(1);
  });
});
