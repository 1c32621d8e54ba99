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
    expect(terms.find((t) => t.term === 'refund')).toEqual({ term: 'refund', topical: true, context: false });
    expect(terms.find((t) => t.term === 'return')).toEqual({ term: 'return', topical: true, context: true });
    const [stuck] = questionTerms('stuck');
    expect(stuck?.topical).toBe(false);
    expect(questionTerms('do you sell laptops')[0]).toMatchObject({ term: 'sell', topical: true });
  });

  it('rejects a vocabulary file with a bad concept name, naming the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vocabulary-'));
    const file = path.join(dir, 'knowledge-vocabulary.yaml');
    writeFileSync(file, 'concepts:\n  "Two Words": [a, b]\n');
    expect(() => loadVocabulary(file)).toThrow(/knowledge-vocabulary\.yaml: concepts.*one lower-case word/);
  });
});
