// The part of an article that answers a question: a long article is not read out whole on a
// call, only the sentences that share the most of the question's terms.
import { termWeight } from './knowledge-base';
import { contentTerms } from './text-analysis';

/** The article's opening sentence states its main rule ("You can return … within 30 days"), when it shares a word with the question. */
const LEAD_BONUS = 0.5;
const MAX_SENTENCES = 2;
/** A question word the first sentence already matched counts this much towards the second. */
const REPEAT_SHARE = 0.5;

/**
 * What kind of fact a question asks for, and how a sentence that states one reads: "how long
 * does an update take" wants a length of time ("10–20 minutes"), "how much" an amount, "what
 * time" a time of day, "where do I see" a place in the app or on the site. A sentence with the
 * asked-for kind of fact is worth this much more than its shared words alone say.
 */
const ANSWER_KINDS: Array<{ asks: RegExp; states: RegExp }> = [
  {
    asks: /\bhow (long|soon|many (days|weeks|hours|minutes|months|years))\b|\buntil when\b|\bhow much time\b/i,
    states: /\b\d+(\s*(–|-|to)\s*\d+)?\s*(business |calendar )?(minutes?|hours?|days?|weeks?|months?|years?)\b|\b(same|next) (business )?day\b|\buntil the end of\b|\bthrough the end of\b|\binstantly\b/i,
  },
  { asks: /\bhow much\b|\bwhat (does|do|would|will) (it|that|they|this|\w+ \w+) (cost|run)\b|\b(cost|price|fee|charge)s?\b|\b(have to|need to|do i|will i|would i) pay\b|\bpay (for|anything|extra)\b/i, states: /\$\s?\d|\bfree\b|\bno (cost|charge|fee)\b|\b\d+%/i },
  { asks: /\bwhat time\b|\b(open|close|closing|opening) (at|on|time)\b|\bhours\b/i, states: /\b\d{1,2}(:\d{2})?\s?(am|pm)\b/i },
  { asks: /\bwhere (do|can|would|should|is|are) (i|we|you|it|they)\b|\bwhere('s| is) the\b/i, states: /›|\bunder [A-Z]|\b[a-z0-9-]+\.(com|org|net)\b|\bgo to\b|\bin the (app|settings|menu)\b/ },
  // "And if none of that works?": the sentence that says what comes when the steps fail.
  {
    asks: /\bnone of (that|this|those|it|them)\b|\b(that|it|this|they) (does not|doesn't|doesnt|didn't|didnt|did not|won't|wont) (work|help|fix)\b|\bstill (does not|doesn't|doesnt|won't|wont|not|isn't|isnt|dead)\b|\bnothing (works|worked|helps|helped)\b/i,
    states: /\bif (it|that|this|they|the \w+) still\b|\bstill (does not|doesn't|will not|won't|not)\b|\bif (none|nothing)\b/i,
  },
];
const KIND_BONUS = 1;

/**
 * The sentences of the article that answer the question (at most two, in article order), by
 * the knowledge base's own analysis (stems, synonyms): first the sentence whose shared terms
 * say the most (a rare word like "cryptocurrency" outweighs a common one like "pay"), then the
 * one that adds the most of what is still unsaid (a word already matched counts half), with
 * a bonus for the article's opening rule.
 */
export function answerFromArticle(body: string, question: string): string {
  const sentences = articleSentences(body);
  const asked = new Set(contentTerms(question));
  const unsaid = new Set(asked);
  const candidates = sentences.map((s, i) => ({ s, i, terms: new Set(contentTerms(s)) }));
  const kinds = ANSWER_KINDS.filter((k) => k.asks.test(question));
  const chosen: typeof candidates = [];
  while (chosen.length < Math.min(MAX_SENTENCES, candidates.length)) {
    let best: (typeof candidates)[number] | undefined;
    let bestScore = -1;
    // Once a chosen sentence states the kind of fact asked for, the second need not.
    const stated = chosen.some((c) => kinds.some((k) => k.states.test(c.s)));
    for (const c of candidates) {
      if (chosen.includes(c)) continue;
      // The opening rule answers a question that shares a word with it ("We ship to all 50 US
      // states…" is no answer to "will the driver come on a Sunday").
      let score = c.i === 0 && [...c.terms].some((t) => asked.has(t)) ? LEAD_BONUS : 0;
      if (!stated && kinds.some((k) => k.states.test(c.s))) score += KIND_BONUS;
      for (const t of c.terms) if (asked.has(t)) score += termWeight(t) * (unsaid.has(t) ? 1 : REPEAT_SHARE);
      if (score > bestScore) [best, bestScore] = [c, score];
    }
    chosen.push(best!);
    for (const t of best!.terms) unsaid.delete(t);
  }
  return chosen.sort((a, b) => a.i - b.i).map((c) => c.s).join(' ');
}

/** The article's body as plain sentences: markdown removed, each table row one sentence. */
export function articleSentences(body: string): string[] {
  const plain = tablesAsSentences(body)
    .replace(/^#+\s.*$/gm, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/^\s*[-*]\s+/gm, '')
    .replace(/^\s*\d+\.\s+/gm, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  // A sentence ends at . ! ? followed by a space: "support@brightline.com" and "$5.99" stay whole.
  return plain.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/).map((s) => s.trim()).filter(Boolean);
}

/**
 * A markdown table read out as one sentence per row, each cell named by its column, so the
 * answer to "how long does standard shipping take" can be the row that says it:
 * "Standard: delivery time 3–5 business days; price $5.99, free on orders over $50."
 */
function tablesAsSentences(body: string): string {
  const lines = body.split('\n');
  const out: string[] = [];
  let header: string[] | undefined;
  for (const line of lines) {
    if (!/^\s*\|.*\|\s*$/.test(line)) {
      header = undefined;
      out.push(line);
      continue;
    }
    const cells = line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
    if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
    if (!header) {
      header = cells;
      continue;
    }
    const [first, ...rest] = cells;
    const named = rest.map((cell, i) => `${(header?.[i + 1] ?? '').toLowerCase()} ${cell}`.trim()).join('; ');
    out.push('', `${first}: ${named}.`, '');
  }
  return out.join('\n');
}
