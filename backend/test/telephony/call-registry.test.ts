// The call registry on its own, over a fake clock: admission up to capacity, one ending per
// call with the first reason, every hook run (newest first) even when one throws or hangs.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/routing/clock';
import { CallRegistry, deriveCallCapacity, type CallRegistryEvent } from '../../src/telephony/call-registry';

function registry(capacity: number, clock = new FakeClock()) {
  const events: CallRegistryEvent[] = [];
  let n = 0;
  const r = new CallRegistry({ capacity, clock, newCallId: () => `c${++n}`, onEvent: (e) => events.push(e), releaseTimeoutMs: 1000 });
  return { r, events, clock };
}

describe('CallRegistry', () => {
  it('admits up to capacity, refuses beyond it, and frees the slot when a call ends', async () => {
    const { r, events } = registry(2);
    expect(r.admit()).toMatchObject({ ok: true, callId: 'c1' });
    expect(r.admit()).toMatchObject({ ok: true, callId: 'c2' });
    expect(r.admit()).toMatchObject({ ok: false, live: 2, capacity: 2 });
    await r.end('c1', 'caller hung up');
    expect(r.admit()).toMatchObject({ ok: true, callId: 'c4' });
    expect(events.map((e) => e.type)).toEqual(['call.admitted', 'call.admitted', 'call.refused', 'call.released', 'call.admitted']);
  });

  it('refuses every new call while the backend is closed for calls, saying why, and admits again after', () => {
    let closed: string | undefined = 'the database is unreachable';
    const events: CallRegistryEvent[] = [];
    const r = new CallRegistry({ capacity: 5, closedFor: () => closed, onEvent: (e) => events.push(e) });
    expect(r.admit()).toMatchObject({ ok: false, live: 0, capacity: 5, closed: 'the database is unreachable' });
    expect(events).toMatchObject([{ type: 'call.refused', closed: 'the database is unreachable' }]);
    closed = undefined;
    expect(r.admit()).toMatchObject({ ok: true });
  });

  it('ends a call once: the first reason wins and hooks run newest first, each once', async () => {
    const { r, events } = registry(5);
    const { callId } = r.admit() as { callId: string };
    r.bind(callId, 's1');
    const order: string[] = [];
    r.hold(callId, 'socket', (reason) => void order.push(`socket:${reason}`));
    r.hold(callId, 'voice', (reason) => void order.push(`voice:${reason}`));
    const first = r.end(callId, 'bad frame');
    const second = r.end(callId, 'caller hung up');
    await Promise.all([first, second]);
    expect(order).toEqual(['voice:bad frame', 'socket:bad frame']);
    expect(r.size).toBe(0);
    expect(r.callIdOf('s1')).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'call.released', sessionId: 's1', reason: 'bad frame', releaseFailures: [] });
  });

  it('releases everything even when a hook throws or hangs, and reports which', async () => {
    const { r, events, clock } = registry(5);
    const { callId } = r.admit() as { callId: string };
    let socketClosed = false;
    r.hold(callId, 'socket', () => {
      socketClosed = true;
    });
    r.hold(callId, 'stuck recognizer', () => new Promise<void>(() => undefined));
    r.hold(callId, 'broken recorder', () => {
      throw new Error('disk full');
    });
    const ending = r.end(callId, 'engine error');
    await Promise.resolve();
    await new Promise((res) => setImmediate(res));
    clock.advance(1000);
    await ending;
    expect(socketClosed).toBe(true);
    expect(r.size).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: 'call.released', releaseFailures: ['broken recorder', 'stuck recognizer'] });
  });

  it('releases at once a resource taken while the call is already ending', async () => {
    const { r } = registry(5);
    const { callId } = r.admit() as { callId: string };
    let lateReleased = '';
    r.hold(callId, 'voice', async () => {
      // The start finishing late acquires one more thing during the ending.
      r.hold(callId, 'late recognizer', (reason) => void (lateReleased = reason));
    });
    await r.end(callId, 'caller hung up');
    await new Promise((res) => setImmediate(res));
    expect(lateReleased).toBe('caller hung up');
    expect(r.size).toBe(0);
  });

  it('an early release is not run again at the end', async () => {
    const { r } = registry(5);
    const { callId } = r.admit() as { callId: string };
    let runs = 0;
    const release = r.hold(callId, 'filler timer', () => void runs++);
    await release();
    await r.end(callId, 'done');
    expect(runs).toBe(1);
  });

  it('derives the default capacity from the smallest engine hint', () => {
    expect(deriveCallCapacity([8, 40], 16)).toBe(8);
    expect(deriveCallCapacity([undefined, 40], 16)).toBe(40);
    expect(deriveCallCapacity([undefined, undefined], 16)).toBe(16);
    expect(deriveCallCapacity([0.5], 16)).toBe(1);
  });
});
