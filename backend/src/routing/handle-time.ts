// Recent handle times per queue, kept as a simple moving average over the last few calls,
// so a caller's wait estimate follows how the team is doing today rather than a constant.
import type { QueueSkill } from '../../../contracts/conversation';

export class HandleTimes {
  private readonly samples = new Map<QueueSkill, number[]>();

  constructor(
    private readonly window: number,
    private readonly fallbackMs: number,
  ) {}

  record(queue: QueueSkill, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`A handle time must be a non-negative number of milliseconds; got ${ms}.`);
    }
    const list = this.samples.get(queue) ?? [];
    list.push(ms);
    // Only the recent calls matter: a slow morning should not weigh on the afternoon.
    if (list.length > this.window) list.splice(0, list.length - this.window);
    this.samples.set(queue, list);
  }

  /** The average of the recent handle times, or the fallback before any call was handled. */
  average(queue: QueueSkill): number {
    const list = this.samples.get(queue);
    if (!list || list.length === 0) return this.fallbackMs;
    return list.reduce((a, b) => a + b, 0) / list.length;
  }
}
