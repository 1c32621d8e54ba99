// The spool that keeps a live call's writes while the database is lost: which errors count
// as a lost connection, order per session, retry until written, refused writes dropped.
import { describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { isConnectionLoss, OutageSpool, type SpooledWrite } from '../../src/store/outage-spool';

const said = (text: string): SpooledWrite => ({ kind: 'event', type: 'caller.said', data: { turn: 1, text, source: 'speech' }, at: new Date() });

describe('isConnectionLoss', () => {
  it('is a lost connection, never a statement the database refused', () => {
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isConnectionLoss(Object.assign(new Error('SQLITE_BUSY'), { code: 'SQLITE_BUSY' }))).toBe(false);
    expect(isConnectionLoss(new Error('Session x does not exist'))).toBe(false);
    expect(isConnectionLoss(undefined)).toBe(false);
  });
});

describe('OutageSpool', () => {
  it('writes each session\'s waiting items in order once the database answers, and fans out only what was written', async () => {
    let down = true;
    const stored: string[] = [];
    const heard: string[] = [];
    let seq = 0;
    const spool = new OutageSpool({
      retryMs: 10,
      write: async (sessionId, write) => {
        if (down) throw new Error('Connection terminated unexpectedly');
        stored.push(`${sessionId}:${write.kind === 'event' ? (write.data as { text: string }).text : write.kind}`);
        return write.kind === 'event' ? ({ sessionId, seq: ++seq, type: write.type, at: write.at.toISOString(), data: write.data } as AnySessionEvent) : undefined;
      },
      written: (e) => heard.push(`${e.sessionId}:${e.seq}`),
      log: () => undefined,
    });
    spool.add('a', said('one'));
    spool.add('b', said('first of b'));
    spool.add('a', { kind: 'patch', patch: { state: 'queued' } });
    spool.add('a', said('two'));
    await spool.flush();
    expect(stored).toEqual([]);
    expect(spool.size).toBe(4);
    expect(spool.holds('a')).toBe(true);
    down = false;
    await new Promise((r) => setTimeout(r, 50));
    expect(stored).toEqual(['a:one', 'a:patch', 'a:two', 'b:first of b']);
    expect(heard).toEqual(['a:1', 'a:2', 'b:3']);
    expect(spool.size).toBe(0);
    expect(spool.holds('a')).toBe(false);
    spool.close();
  });

  it('drops a write the database refuses (it would block the session for ever) and says so', async () => {
    const lines: string[] = [];
    const written: string[] = [];
    const spool = new OutageSpool({
      write: async (_sessionId, write) => {
        const text = write.kind === 'event' ? (write.data as { text: string }).text : '';
        if (text === 'bad') throw new Error('Session gone does not exist; create it before logging events.');
        written.push(text);
        return undefined;
      },
      written: () => undefined,
      log: (line) => lines.push(line),
    });
    spool.add('gone', said('bad'));
    spool.add('gone', said('after'));
    await spool.flush();
    expect(written).toEqual(['after']);
    expect(lines.join('\n')).toMatch(/refused and dropped: Session gone does not exist/);
    spool.close();
  });

  it('keeps at most maxPerSession writes for a session, giving up the oldest', async () => {
    const lines: string[] = [];
    const spool = new OutageSpool({ write: async () => Promise.reject(new Error('Connection terminated unexpectedly')), written: () => undefined, maxPerSession: 3, log: (l) => lines.push(l) });
    for (let i = 0; i < 5; i++) spool.add('a', said(String(i)));
    expect(spool.size).toBe(3);
    expect(lines).toHaveLength(2);
    spool.close();
    expect(lines.at(-1)).toMatch(/closing with 3 writes still waiting/);
  });
});
