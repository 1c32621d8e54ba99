// Metric definitions on small hand-built event logs.
import { describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { gapSignature, mergeNearGaps } from '../../src/analytics/gap-signature';
import { resolveRange } from '../../src/analytics/date-range';
import { contributions } from '../../src/analytics/rollups';
import { analyzeSession } from '../../src/analytics/session-facts';
import { splitByDay } from '../../src/analytics/presence';
import { checkScorecard, checkScores, DEFAULT_SCORECARD } from '../../src/analytics/qa';

type E = [type: string, at: string, data: unknown];
function log(id: string, events: E[]): AnySessionEvent[] {
  return events.map(([type, at, data], i) => ({ sessionId: id, seq: i + 1, type, at, data }) as AnySessionEvent);
}
const teams = (id: string) => (id.startsWith('a') ? 'north' : 'south');
const T = (hms: string, day = '2025-03-10') => `${day}T${hms}.000Z`;

describe('analyzeSession', () => {
  it('counts an AI-contained call', () => {
    const a = analyzeSession('s1', log('s1', [
      ['session.started', T('10:00:00'), { channel: 'voice', callerId: '+15550001' }],
      ['ai.said', T('10:00:01'), { turn: 0, text: 'Hello', citations: [], intent: 'order_status' }],
      ['caller.said', T('10:00:05'), { turn: 1, text: 'thanks great', source: 'speech' }],
      ['session.ended', T('10:01:00'), { by: 'ai', reason: 'done' }],
    ]), teams);
    expect(a.fact).toMatchObject({ contained: true, escalated: false, abandoned: false, handled: false, intent: 'order_status', day: '2025-03-10' });
    expect(a.lines).toHaveLength(2);
  });

  it('counts a spoken caller line once (transcript.final and its caller.said echo)', () => {
    const a = analyzeSession('s1b', log('s1b', [
      ['session.started', T('10:00:00'), { channel: 'voice', callerId: '+15550001' }],
      ['transcript.final', T('10:00:04'), { speaker: 'caller', text: 'This is terrible', startMs: 0, endMs: 900 }],
      ['caller.said', T('10:00:05'), { turn: 1, text: 'this is terrible', source: 'speech' }],
      ['session.ended', T('10:01:00'), { by: 'ai', reason: 'done' }],
    ]), teams);
    expect(a.lines.map((l) => l.seq)).toEqual([2]);
  });

  it('marks a call abandoned in queue (no accept, no callback)', () => {
    const a = analyzeSession('s2', log('s2', [
      ['session.started', T('10:00:00'), { channel: 'voice', callerId: '+1' }],
      ['call.escalated', T('10:00:10'), { reason: 'caller_request', detail: '', intent: 'refund', queue: 'billing' }],
      ['queue.entered', T('10:00:11'), { queue: 'billing', position: 1, reason: 'caller_request' }],
      ['offer.sent', T('10:00:12'), { offerId: 'o', agentId: 'a1', agentName: 'A', expiresAt: T('10:00:32') }],
      ['offer.expired', T('10:00:32'), { offerId: 'o', agentId: 'a1' }],
      ['session.ended', T('10:02:00'), { by: 'caller', reason: 'hung up' }],
    ]), teams);
    expect(a.fact).toMatchObject({ abandoned: true, contained: false, escalated: true, reason: 'caller_request', queue: 'billing', waitMs: null, handled: false });
    const queueDay = contributions(a).find((d) => d.table === 'queue_day')!;
    expect(queueDay.values).toMatchObject({ queued: 1, answered: 0, abandoned: 1 });
  });

  it('does not count a callback as abandoned', () => {
    const a = analyzeSession('s3', log('s3', [
      ['queue.entered', T('10:00:00'), { queue: 'orders', position: 1, reason: 'caller_request' }],
      ['callback.scheduled', T('10:01:00'), { callbackId: 'CB-1', phone: '+1', customerId: null }],
      ['session.ended', T('10:01:01'), { by: 'system', reason: 'callback' }],
    ]), teams);
    expect(a.fact).toMatchObject({ abandoned: false, callback: true });
  });

  it('splits a transferred call into two agent legs with hold, talk, wrap and suggestions', () => {
    const a = analyzeSession('s4', log('s4', [
      ['session.started', T('10:00:00'), { channel: 'voice', callerId: '+1' }],
      ['call.escalated', T('10:00:10'), { reason: 'policy_topic', detail: '', intent: 'refund', queue: 'billing' }],
      ['queue.entered', T('10:00:10'), { queue: 'billing', position: 1, reason: 'policy_topic' }],
      ['agent.accepted', T('10:00:25'), { offerId: 'o1', agentId: 'a1', agentName: 'A' }],
      ['transcript.final', T('10:00:30'), { speaker: 'caller', text: 'this is terrible and unacceptable', startMs: 0, endMs: 1 }],
      ['suggestion.shown', T('10:00:31'), { afterSeq: 5, suggestions: [{ id: 'x', text: 't', source: 'kb' }, { id: 'y', text: 't', source: 'kb' }] }],
      ['suggestion.used', T('10:00:40'), { agentId: 'a1', suggestionId: 'x' }],
      ['call.held', T('10:01:00'), { agentId: 'a1', held: true }],
      ['call.held', T('10:01:30'), { agentId: 'a1', held: false }],
      ['call.transferred', T('10:02:25'), { fromAgentId: 'a1', to: { queue: 'billing' }, note: '' }],
      ['queue.entered', T('10:02:26'), { queue: 'billing', position: 1, reason: 'transfer' }],
      ['agent.accepted', T('10:02:40'), { offerId: 'o2', agentId: 'b1', agentName: 'B' }],
      ['transcript.final', T('10:03:00'), { speaker: 'caller', text: 'great thanks', startMs: 0, endMs: 1 }],
      ['wrapup.started', T('10:04:40'), { agentId: 'b1' }],
      ['wrapup.submitted', T('10:05:10'), { agentId: 'b1', disposition: 'resolved', notes: '', followUp: { kind: 'none' }, wrapUpMs: 1 }],
      ['session.ended', T('10:05:11'), { by: 'agent', reason: 'wrap-up' }],
    ]), teams);
    expect(a.legs).toHaveLength(2);
    const [first, second] = a.legs;
    expect(first).toMatchObject({ agentId: 'a1', team: 'north', transferredOut: true, holdMs: 30_000, talkMs: 90_000, wrapMs: null, suggestionsShown: 2, suggestionsUsed: 1 });
    expect(first!.sentimentStart).toBeLessThan(0);
    expect(second).toMatchObject({ agentId: 'b1', team: 'south', transferredOut: false, holdMs: 0, talkMs: 120_000, wrapMs: 30_000, disposition: 'resolved' });
    expect(second!.sentimentEnd).toBeGreaterThan(0);
    expect(a.fact).toMatchObject({ waitMs: 15_000, transferredCount: 1, agentId: 'b1', team: 'south', disposition: 'resolved', sentiment: 'positive' });
    const agentDays = contributions(a).filter((d) => d.table === 'agent_day');
    expect(agentDays.map((d) => d.values.transfers)).toEqual([1, 0]);
  });

  it('files a call that crosses midnight under its start day, and the agent leg under the answer day', () => {
    const a = analyzeSession('s5', log('s5', [
      ['session.started', T('23:59:30', '2025-03-10'), { channel: 'voice', callerId: '+1' }],
      ['queue.entered', T('23:59:50', '2025-03-10'), { queue: 'general', position: 1, reason: 'caller_request' }],
      ['agent.accepted', T('00:00:15', '2025-03-11'), { offerId: 'o', agentId: 'a1', agentName: 'A' }],
      ['session.ended', T('00:05:15', '2025-03-11'), { by: 'caller', reason: 'hung up' }],
    ]), teams);
    expect(a.fact.day).toBe('2025-03-10');
    expect(a.fact.waitMs).toBe(25_000);
    expect(a.legs[0]).toMatchObject({ day: '2025-03-11', talkMs: 300_000 });
    const wait = contributions(a).find((d) => d.table === 'wait_day')!;
    expect(wait.keys).toMatchObject({ day: '2025-03-10', wait_s: 25 });
  });

  it('splits presence time at midnight', () => {
    expect(splitByDay(Date.parse('2025-03-10T23:00:00Z'), Date.parse('2025-03-11T01:30:00Z'))).toEqual([
      { day: '2025-03-10', ms: 3_600_000 },
      { day: '2025-03-11', ms: 5_400_000 },
    ]);
  });
});

describe('knowledge gap signatures', () => {
  it('groups the same question asked differently', () => {
    expect(gapSignature('Do you ship to Canada?')).toBe(gapSignature('can you ship to canada please'));
    expect(gapSignature('Is there a student discount?')).not.toBe(gapSignature('Do you ship to Canada?'));
  });
  it('stems every form of a verb to one word (no "wrapp") and folds one question asked two ways', () => {
    expect(gapSignature('Do you offer gift wrapping?')).toBe('gift|offer|wrap');
    expect(gapSignature('Is gift wrap offered?')).toBe('gift|offer|wrap');
    expect(gapSignature('I shipped it')).toBe('ship');
    expect(gapSignature('Is the wall pass-through filling?')).toBe('fill|pass|through|wall');
    const groups = [
      { signature: 'gift|offer|wrap', count: 3 },
      { signature: 'canada|ship', count: 2 },
      { signature: 'gift|wrap', count: 2 },
      { signature: 'wrap', count: 1 },
    ];
    const merged = mergeNearGaps(groups, (a, b) => ({ ...a, count: a.count + b.count }));
    expect(merged).toEqual([{ signature: 'gift|offer|wrap', count: 5 }, { signature: 'canada|ship', count: 2 }, { signature: 'wrap', count: 1 }]);
  });
});

describe('date ranges', () => {
  const now = Date.parse('2025-03-10T12:00:00Z');
  it('accepts presets and explicit days', () => {
    expect(resolveRange({ range: '7d' }, now)).toEqual({ ok: true, range: { from: '2025-03-04', to: '2025-03-10' } });
    expect(resolveRange({ from: '2025-01-01', to: '2025-01-31' }, now)).toMatchObject({ ok: true });
  });
  it('names the bad parameter and refuses over a year', () => {
    expect(resolveRange({ from: '2025-13-01' }, now)).toMatchObject({ ok: false, param: 'from' });
    expect(resolveRange({ to: 'yesterday' }, now)).toMatchObject({ ok: false, param: 'to' });
    const long = resolveRange({ from: '2023-01-01', to: '2025-01-01' }, now);
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.message).toMatch(/limit is 366 days/);
  });
});

describe('scorecards', () => {
  it('rejects weights that do not sum to 100, with the sum', () => {
    const r = checkScorecard({ name: 'x', criteria: [{ id: 'a', label: 'A', weight: 60, maxScore: 5 }, { id: 'b', label: 'B', weight: 30, maxScore: 5 }] });
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/sum to 100.*sum to 90/) });
    expect(checkScorecard({ name: 'x', criteria: [{ id: 'a', label: 'A', weight: 100, maxScore: 3 }] }).ok).toBe(true);
  });
  it('totals weighted scores to 0..100', () => {
    const all = Object.fromEntries(DEFAULT_SCORECARD.criteria.map((c) => [c.id, c.maxScore]));
    expect(checkScores(DEFAULT_SCORECARD, all)).toMatchObject({ ok: true, total: 100 });
    expect(checkScores(DEFAULT_SCORECARD, { ...all, nope: 1 }).ok).toBe(false);
  });
});
