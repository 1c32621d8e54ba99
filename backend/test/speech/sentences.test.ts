import { describe, expect, it } from 'vitest';
import { createSentenceStream, splitSentences } from '../../src/speech/sentences';

describe('splitSentences', () => {
  it('splits on . ? ! and keeps the punctuation', () => {
    expect(splitSentences('Hello there. How can I help? Great!')).toEqual(['Hello there.', 'How can I help?', 'Great!']);
  });

  it('does not split after titles, initials or common abbreviations', () => {
    expect(splitSentences('Mr. Smith and Dr. J. Watson are here, e.g. today. Next one.')).toEqual([
      'Mr. Smith and Dr. J. Watson are here, e.g. today.',
      'Next one.',
    ]);
  });

  it('keeps decimals, prices and dotted tokens whole', () => {
    expect(splitSentences('Your balance is $89.50 as of 3.5 days ago. See example.com for more.')).toEqual([
      'Your balance is $89.50 as of 3.5 days ago.',
      'See example.com for more.',
    ]);
  });

  it('treats an ellipsis as an end only before a capital', () => {
    expect(splitSentences('Well... let me check. One moment... Okay, found it.')).toEqual([
      'Well... let me check.',
      'One moment...',
      'Okay, found it.',
    ]);
  });

  it('handles ?! runs, closing quotes and line breaks', () => {
    expect(splitSentences('Really?! "Yes." Next\nline two')).toEqual(['Really?!', '"Yes."', 'Next', 'line two']);
  });

  it('cuts a long run-on sentence at clause breaks, under the limit', () => {
    const clause = 'and then we checked the warehouse records for your parcel';
    const text = Array.from({ length: 8 }, () => clause).join(', ') + '.';
    const parts = splitSentences(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(200);
    expect(parts.join(' ')).toBe(text);
  });

  it('cuts a long sentence without any punctuation at a space', () => {
    const text = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const parts = splitSentences(text, { maxChars: 100 });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join(' ')).toBe(text);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences('  \n ')).toEqual([]);
  });
});

describe('createSentenceStream', () => {
  it('emits complete sentences as text arrives and the rest on flush', () => {
    const s = createSentenceStream();
    const out: string[] = [];
    for (const piece of ['Thanks, Mr', '. Lee. Your total', ' is $89', '.50. Anything', ' else?']) out.push(...s.push(piece));
    out.push(...s.flush());
    expect(out).toEqual(['Thanks, Mr. Lee.', 'Your total is $89.50.', 'Anything else?']);
  });
});
