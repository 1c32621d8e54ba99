// The part of an article that answers a question: a long article is not read out whole on a
// call, only the sentences that share the most of the question's terms.
import { contentTerms } from './text-analysis';

/**
 * The sentences of the article that answer the question (at most two, in article order):
 * those sharing the most of the question's content terms, by the knowledge base's own
 * analysis (stems, synonyms), so a long article is not read out whole.
 */
export function answerFromArticle(body: string, question: string): string {
  const plain = body
    .replace(/^#+\s.*$/gm, '')
    .replace(/^.*\|.*$/gm, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/^\s*[-*]\s+/gm, '')
    .replace(/^\s*\d+\.\s+/gm, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  // A sentence ends at . ! ? followed by a space: "support@brightline.com" and "$5.99" stay whole.
  const sentences = plain.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/).map((s) => s.trim()).filter(Boolean);
  const terms = new Set(contentTerms(question));
  const scored = sentences.map((s, i) => {
    const overlap = contentTerms(s).filter((t) => terms.has(t)).length;
    return { s, i, score: overlap + (i === 0 ? 0.5 : 0) };
  });
  const top = [...scored].sort((a, b) => b.score - a.score).slice(0, 2).sort((a, b) => a.i - b.i);
  return top.map((t) => t.s).join(' ');
}
