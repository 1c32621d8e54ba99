// Groups knowledge gaps: questions the AI could not answer are reduced to a signature of
// their content words (lowercased, stop words dropped, a light suffix stem, unique, sorted),
// so "Do you ship to Canada?" and "can you ship to canada" fall in one group. Deliberately
// simple: predictable, explainable to whoever writes the missing article, and indexable.

const STOP_WORDS = new Set(
  ('a an the and or but if then so of to in on at by for with about from into over under is are was were be been being am ' +
    'do does did doing have has had i me my we our you your he she it its they them their this that these those what which who whom ' +
    'how when where why can could would should will shall may might must not no yes please hi hello hey thanks thank just any some ' +
    'there here get got want need know tell like also much many more very really ok okay um uh').split(' '),
);

/** "wrapp" (from wrapping/wrapped) → "wrap", so every form of a verb lands on one stem. */
function undouble(word: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(word) && !/(ll|ss|zz|ff)$/.test(word) ? word.slice(0, -1) : word;
}

function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return undouble(word.slice(0, -3));
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('ed')) return undouble(word.slice(0, -2));
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

export function gapSignature(question: string): string {
  const words = question
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w))
    .map(stem);
  const unique = [...new Set(words)].sort();
  return unique.length > 0 ? unique.slice(0, 8).join('|') : '(empty)';
}

/**
 * Folds a group into another whose words contain all of its own (at least two): "gift|wrap"
 * (can you gift wrap) joins "gift|offer|wrap" (do you offer gift wrapping), so one question
 * asked two ways is one row. Groups arrive most-asked first; the merged list keeps that order.
 */
export function mergeNearGaps<G extends { signature: string; count: number }>(groups: readonly G[], merge: (into: G, from: G) => G): G[] {
  const words = (g: G) => new Set(g.signature.split('|'));
  const out: G[] = [];
  for (const g of groups) {
    const mine = words(g);
    const i = out.findIndex((o) => {
      const theirs = words(o);
      const [small, large] = mine.size <= theirs.size ? [mine, theirs] : [theirs, mine];
      return small.size >= 2 && [...small].every((w) => large.has(w));
    });
    if (i === -1) out.push(g);
    else out[i] = merge(out[i]!, g);
  }
  return out.sort((a, b) => b.count - a.count);
}
