// Checks that a session's log holds these event types in this order (others may come between).
import { expect } from 'vitest';

export function expectInOrder(types: readonly string[], order: readonly string[]): void {
  let at = -1;
  for (const type of order) {
    const next = types.indexOf(type, at + 1);
    expect(next, `${type} after ${types[at] ?? 'start'}`).toBeGreaterThan(at);
    at = next;
  }
}
