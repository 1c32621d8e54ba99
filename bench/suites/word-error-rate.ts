// Word error rate by our own aligner: the minimum number of substitutions, deletions and
// insertions (Levenshtein over words) turning the reference into the hypothesis. Words are
// compared lower-case without punctuation, and "oh" counts as "zero" (both say the digit 0).

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w === 'oh' ? 'zero' : w));
}

export interface WordErrors {
  errors: number;
  referenceWords: number;
  substitutions: number;
  deletions: number;
  insertions: number;
}

export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const r = words(reference);
  const h = words(hypothesis);
  // cost[i][j]: edits turning r[0..i) into h[0..j); ops kept alongside for the breakdown.
  const cost: number[][] = Array.from({ length: r.length + 1 }, (_, i) => Array.from({ length: h.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= r.length; i++) {
    for (let j = 1; j <= h.length; j++) {
      const same = r[i - 1] === h[j - 1] ? 0 : 1;
      cost[i]![j] = Math.min(cost[i - 1]![j - 1]! + same, cost[i - 1]![j]! + 1, cost[i]![j - 1]! + 1);
    }
  }
  let i = r.length;
  let j = h.length;
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && cost[i]![j] === cost[i - 1]![j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1)) {
      if (r[i - 1] !== h[j - 1]) substitutions++;
      i--;
      j--;
    } else if (i > 0 && cost[i]![j] === cost[i - 1]![j]! + 1) {
      deletions++;
      i--;
    } else {
      insertions++;
      j--;
    }
  }
  return { errors: cost[r.length]![h.length]!, referenceWords: r.length, substitutions, deletions, insertions };
}
