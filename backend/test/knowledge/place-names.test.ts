import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base';
import { contentTerms, tokenize } from '../../src/knowledge/text-analysis';

describe('place names', () => {
  it('writes a US city’s state after it, so "Juneau" meets an article’s "Alaska"', () => {
    expect(tokenize('my cousin in Juneau wants the earbuds')).toContain('alaska');
    expect(tokenize('I live in honolulu')).toContain('hawaii');
    expect(tokenize('sending a speaker to my abuela in Ponce')).toEqual(expect.arrayContaining(['puerto', 'rico']));
  });

  it('reads a foreign city as its country, and a people’s name as a country', () => {
    expect(tokenize('what would shipping run me to Calgary')).toContain('canada');
    expect(contentTerms('what would shipping run me to Calgary')).toContain('countri');
    expect(contentTerms('is the Italian VAT included')).toContain('countri');
    expect(contentTerms('is that American made')).not.toContain('countri');
  });

  it('leaves states, countries and everyday words alone', () => {
    // "Puerto Rico" is also a town in Argentina; "York" is in England.
    expect(contentTerms('do you ship to puerto rico')).not.toContain('countri');
    expect(contentTerms('I live in new york')).not.toContain('countri');
    // Nothing is added: the words are the text's own.
    for (const said of ['I need it in time for march', 'can I return it in store', 'my friend austin said it was great', 'I got it at target']) {
      expect(tokenize(said).length).toBe(said.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 1 || /\d/.test(w)).length);
    }
  });

  it('answers a caller who names a city from the article that names its region', () => {
    const kb = KnowledgeBase.fromArticles([
      { id: 'shipping', title: 'Shipping times', tags: ['shipping'], body: 'Standard delivery takes 3–5 business days. Alaska and Hawaii add 1–2 days.' },
      { id: 'abroad', title: 'Shipping abroad', tags: ['international'], body: 'We ship to Canada and Mexico in 5–8 business days.' },
      { id: 'hours', title: 'Support hours', tags: ['hours'], body: 'Our phone team is available 8 am to 8 pm Eastern, Monday to Friday.' },
    ]);
    expect(kb.search('how long will it take to get to my place in Juneau', 1)[0]?.article.id).toBe('shipping');
    expect(kb.search('how long will it take to get to Calgary', 1)[0]?.article.id).toBe('abroad');
  });
});
