// Policy topics a person must handle are raised by the caller's words, not by a product
// feature that contains one ("noise cancelling") or a word the caller says does not apply
// ("no complaints there").
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_TOPICS, matchPolicyTopic } from '../../src/policy/policy';

const topic = (text: string) => matchPolicyTopic(text, DEFAULT_POLICY_TOPICS);

describe('matchPolicyTopic', () => {
  it('hears the topics callers raise', () => {
    expect(topic('I want to cancel my order')).toBe('cancellation');
    expect(topic("why can't I cancel it on the website")).toBe('cancellation');
    expect(topic('I want to file a complaint')).toBe('complaint');
    expect(topic("I didn't make this purchase, it's fraud")).toBe('fraud');
  });

  it('ignores noise cancelling, and topic words said not to apply', () => {
    expect(topic('so, any news on the noise cancelling ones?')).toBeUndefined();
    expect(topic('does the noise-cancellation work on a plane')).toBeUndefined();
    expect(topic('the headset is great, no complaints at all there')).toBeUndefined();
    expect(topic("I'm not complaining, I just want to know")).toBeUndefined();
    expect(topic('please cancel the noise cancelling headset order')).toBe('cancellation');
  });
});
