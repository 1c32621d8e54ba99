// Rules added after the sixth round of outside testers (whole calls, knowledge questions,
// orders and verification, safety): each test is a caller's words that went wrong.
import { describe, expect, it } from 'vitest';
import { call } from '../support/local-brain-call';

describe('knowledge answers', () => {
  it('answers "at the same time" with the sentence about two devices at once', async () => {
    const [laptop, phones] = await call([], false, 'can they connect to my laptop too at the same time', 'do the earbuds work with two phones at once');
    expect(laptop).toMatch(/2 at once/);
    expect(phones).toMatch(/2 at once/);
  });
});
