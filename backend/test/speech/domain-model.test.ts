// The recognizer's domain model: built from the knowledge base, the CRM and the scenarios,
// with every grammar word in the trimmed dictionary and a well-formed ARPA bigram model.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildArpaBigram, buildDomainModel, collectCorpus, normalizeSentences } from '../../src/speech/sphinx/domain-model';
import { grammarWords } from '../../src/speech/sphinx/grammars';
import { defaultCorpusSources } from '../../src/speech/sphinx/sphinx-stt';

describe('domain model', () => {
  it('spells numbers the way callers say them', () => {
    expect(normalizeSentences('Order O-1001 ships in 3 days. Born 1985!')).toEqual(['order one zero zero one ships in three days', 'born nineteen eighty five']);
    expect(normalizeSentences('Zip 94107')).toEqual(['zip nine four one zero seven']);
  });

  it('learns the call center vocabulary and keeps the dictionary small', () => {
    const corpus = collectCorpus(defaultCorpusSources());
    const model = buildDomainModel(corpus, readFileSync('/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict', 'utf8'));
    const dictWords = new Set(model.dictionary.split('\n').map((l) => l.split(' ')[0]!.replace(/\(\d+\)$/, '')));
    for (const words of Object.values(grammarWords())) for (const w of words) expect(dictWords.has(w), w).toBe(true);
    for (const w of ['headset', 'refund', 'warranty', 'pairing', 'person', 'earbuds']) expect(dictWords.has(w), w).toBe(true);
    expect(model.words).toBeGreaterThan(500);
    expect(model.words).toBeLessThan(10_000);
    expect(model.arpa).toMatch(/^\\data\\\nngram 1=\d+\nngram 2=\d+\n/);
  });

  it('writes probabilities that sum to one for a history', () => {
    const known = new Set(['where', 'is', 'my', 'order', 'refund']);
    const { arpa } = buildArpaBigram(['where is my order', 'where is my refund', 'my order'], known);
    const uni = new Map<string, { p: number; bow: number }>();
    const bi = new Map<string, number>();
    let section = '';
    for (const line of arpa.split('\n')) {
      if (line.startsWith('\\')) section = line;
      const parts = line.split(' ');
      if (section === '\\1-grams:' && parts.length >= 2) uni.set(parts[1]!, { p: 10 ** Number(parts[0]), bow: parts[2] ? 10 ** Number(parts[2]) : 1 });
      if (section === '\\2-grams:' && parts.length === 3) bi.set(`${parts[1]} ${parts[2]}`, 10 ** Number(parts[0]));
    }
    // P(w | my) over the vocabulary: seen bigrams plus back-off mass times unigrams.
    let total = 0;
    for (const w of [...uni.keys()].filter((w) => w !== '<s>')) total += bi.get(`my ${w}`) ?? uni.get('my')!.bow * uni.get(w)!.p;
    expect(total).toBeCloseTo(1, 3);
  });
});
