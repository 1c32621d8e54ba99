// Sentiment from the library, with negation and the anger words of callers.
import { describe, expect, it } from 'vitest';
import { scoreSentiment } from '../../src/policy/sentiment';

describe('scoreSentiment', () => {
  it('handles negation', () => {
    expect(scoreSentiment('I am not happy at all').score).toBeLessThan(0);
    expect(scoreSentiment('this is not bad').score).toBeGreaterThan(0);
    expect(scoreSentiment("I'm not angry, just confused").mood).not.toBe('upset');
  });

  it('hears a furious caller who never says "complaint"', () => {
    expect(scoreSentiment("I'm furious, nobody ever calls me back").mood).toBe('upset');
    expect(scoreSentiment('I am so fed up with this, what a waste of time').mood).toBe('upset');
    expect(scoreSentiment('This is absolutely unacceptable, your service is terrible and useless!!').mood).toBe('upset');
  });

  it('hears a caller worn down by the service, without a single angry word', () => {
    const worn = 'Three weeks. I have called four times now, twice I was promised someone would ring me back and nobody ever did. I am done waiting around.';
    expect(scoreSentiment(worn).mood).toBe('upset');
    expect(scoreSentiment("I'm not upset, I just want to know when it ships").mood).not.toBe('upset');
  });

  it('leaves neutral requests neutral and thanks positive', () => {
    expect(scoreSentiment('where is my order').mood).toBe('neutral');
    expect(scoreSentiment('my headset is broken').mood).toBe('neutral');
    expect(scoreSentiment('thanks, that is great').mood).toBe('positive');
  });

  it('names the words that made a turn negative', () => {
    expect(scoreSentiment('this is ridiculous').words).toEqual(['ridiculous']);
  });

  it('copes with empty and very long turns', () => {
    expect(scoreSentiment('').mood).toBe('neutral');
    expect(scoreSentiment('terrible '.repeat(5000)).mood).toBe('upset');
  });
});
