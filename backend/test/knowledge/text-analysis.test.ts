// The caller vocabulary (resources/nlu/knowledge-vocabulary.yaml) maps callers' words onto the
// articles' words, for questions and articles alike; a broken file is a clear start-up error.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTerms, isChatter, loadVocabulary, questionTerms, stem } from '../../src/knowledge/text-analysis';

describe('knowledge text analysis', () => {
  it('maps a caller phrase and a caller word onto the article word', () => {
    expect(contentTerms('can I send it back')).toEqual(['return']);
    expect(contentTerms('I want to swap it')).toEqual(['exchang']);
    expect(contentTerms('is there a showroom')).toEqual(contentTerms('we have no walk-in locations').filter((t) => t === 'walkin'));
  });

  it('gives chatter words their own low-weight class', () => {
    expect(isChatter(stem('bought'))).toBe(true);
    expect(isChatter(stem('warranty'))).toBe(false);
  });

  it('tells topic words from describing words, and the question from the scene around it', () => {
    const terms = questionTerms('when does my money come back after I return something');
    expect(terms.find((t) => t.term === 'refund')).toEqual({ term: 'refund', topical: true, context: false, aside: false });
    expect(terms.find((t) => t.term === 'return')).toEqual({ term: 'return', topical: true, context: true, aside: true });
    const [stuck] = questionTerms('stuck');
    expect(stuck?.topical).toBe(false);
    expect(questionTerms('do you sell laptops')[0]).toMatchObject({ term: 'sell', topical: true });
  });

  it("weighs the caller's situation as scene when the turn also asks something", () => {
    const terms = questionTerms("I bought earbuds two weeks ago and honestly I just don't like them, can I send them back");
    expect(terms.find((t) => t.term === 'earbud')).toMatchObject({ context: true });
    expect(terms.find((t) => t.term === 'return')).toMatchObject({ context: false });
    // A statement alone is the question: nothing in it is scene.
    expect(questionTerms('my package never arrived').every((t) => !t.context)).toBe(true);
  });

  it('reads a word after "my" or "the" as a noun even when the lexicon has it as a verb', () => {
    expect(questionTerms('package')[0]).toMatchObject({ term: 'packag', topical: false });
    expect(questionTerms('the package is late')[0]).toMatchObject({ term: 'packag', topical: true });
  });

  it('reads a "*" in a phrase as up to three words between the others', () => {
    // The words the "*" stood for stay: the speaker is what is returned.
    expect(contentTerms('can I send the speaker back')).toEqual(['return', 'speaker']);
    expect(contentTerms('can I send both of them back')).toEqual(['return']);
    // The last word of a phrase may be plural: "gift cards" is the gift card concept, not "card".
    expect(contentTerms('do you sell gift cards')).toEqual(contentTerms('do you sell a gift card'));
    // Four words apart is no longer one phrase.
    expect(contentTerms('send it to my sister who lives back east')).not.toContain('return');
  });

  it('keeps two concepts apart when their words share a stem', () => {
    // "install" (a firmware update) and "installments" (paying over time) both stem to "instal".
    expect(contentTerms('do you do buy now pay later')).toEqual(['financ']);
    expect(contentTerms('installments')).toEqual(['financ']);
    expect(contentTerms('how do I install the update')).not.toEqual(expect.arrayContaining(contentTerms('installments')));
    const dir = mkdtempSync(path.join(tmpdir(), 'vocabulary-'));
    const file = path.join(dir, 'knowledge-vocabulary.yaml');
    writeFileSync(file, 'concepts:\n  update: [install, upgrade]\n  financing: [installments]\n');
    const vocabulary = loadVocabulary(file);
    expect(vocabulary.exact.get('install')).toBe(stem('update'));
    expect(vocabulary.exact.get('installments')).toBe(stem('financing'));
    // The shared stem maps to neither: "installing" stays a word of its own.
    expect(vocabulary.words.has(stem('install'))).toBe(false);
    // A word whose stem is another concept's own term would make that term mean two things.
    writeFileSync(file, 'concepts:\n  installments: [pay later]\n  update: [install]\n');
    expect(() => loadVocabulary(file)).toThrow(/concepts\.update: "install" has the stem "instal" of the concept "installments"\. Rename/);
  });

  it('rejects a vocabulary file with a bad concept name, naming the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vocabulary-'));
    const file = path.join(dir, 'knowledge-vocabulary.yaml');
    writeFileSync(file, 'concepts:\n  "Two Words": [a, b]\n');
    expect(() => loadVocabulary(file)).toThrow(/knowledge-vocabulary\.yaml: concepts.*one lower-case word/);
  });
});
