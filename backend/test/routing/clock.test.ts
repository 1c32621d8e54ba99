// The FakeClock other routing tests stand on: timers fire in due order, see their own due
// time as now, and can schedule further timers that fire within the same advance.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/routing/clock';

describe('FakeClock', () => {
  it('fires due timers in order and leaves later ones pending', () => {
    const clock = new FakeClock(100);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 20);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 10);
    clock.setTimeout(() => fired.push(['a2', clock.now()]), 10);
    const late = clock.setTimeout(() => fired.push(['late', clock.now()]), 50);
    clock.advance(30);
    expect(fired).toEqual([
      ['a', 110],
      ['a2', 110],
      ['b', 120],
    ]);
    expect(clock.now()).toBe(130);
    clock.clearTimeout(late);
    expect(clock.runNext()).toBe(false);
  });

  it('fires timers scheduled by timers when they fall inside the advance', () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 5);
    }, 5);
    clock.advance(12);
    expect(fired).toEqual([5, 10]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
