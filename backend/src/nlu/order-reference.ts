// Which of the verified caller's orders a caller means when they do not give an order id:
// "my kayak", "the paddles", "my last order", "the one I ordered last week", and after we
// asked which one, "the second one" or "the Aura". Runs only on orders the tools returned
// for a verified caller, so it can never point at another customer's order.
import { SpellCheck } from '@nlpjs/similarity';
import nlp from 'compromise';
import type { Order } from '../../../contracts/crm';
import { foldText, shapeOf, utteranceWords } from './utterance-features';

export type OrderResolution =
  | { kind: 'one'; order: Order; by: 'item' | 'latest' | 'ordinal' | 'only' | 'active' }
  | { kind: 'several'; orders: Order[] }
  /** The caller named something none of their orders contains. */
  | { kind: 'unmatched'; words: string[] };

// Words about orders in general, not about one item: they name no product.
const GENERIC = new Set(
  (
    'order ordered orders purchase purchased package parcel delivery deliver delivered stuff thing things item items ' +
    'shipment ship shipped shipping arrive arrived arriving come came coming get getting got here there status track ' +
    'tracking where when what which will is are was has have hasn not still yet my the a an one i it its me you your ' +
    'that this of for about on in to at and or please can could would check update calling call hi hello hey um uh so ' +
    'just know tell see any been did does do going go show shown up never sent out week weeks day days ago last recent ' +
    'latest newest first second third today yesterday month year placed bought buy hell wondering want wanted like am ' +
    'be expect expected should eta happened happen follow left warehouse way new old with from by far now ' +
    // Fillers and how callers ask: "ok so", "wanna check", "any news on", "any clue when".
    'ok okay wanna gonna yeah yep alright cool right well news clue idea actually really already need needed something ' +
    "anything i'd id i'm im i'll ill few couple any " +
    // What callers ask about an order: its price and its day ("what did I pay", "dropped off").
    'how much pay paid paying charged charge cost total price dropped off again ever end ended up guys'
  )
    .split(' ')
    .map(shapeOf),
);
// Callers and catalogues name the same products differently.
const SYNONYMS: Record<string, string> = Object.fromEntries(
  [['headphones', 'headset'], ['earphones', 'earbuds'], ['buds', 'earbuds'], ['little', 'mini'], ['small', 'mini'], ['big', 'xl'], ['large', 'xl'], ['noise', 'anc'], ['cancelling', 'anc'], ['canceling', 'anc']].map(([a, b]) => [shapeOf(a!), shapeOf(b!)]),
);
const LATEST = /\b(last|latest|most recent|newest|recent) (order|purchase|one|thing)\b|\bone i (ordered|bought|got) (last|this|yesterday|recently)|\b(ordered|bought|got)(?: \w+){0,2} (last|this) (week|month)\b|\brecent(ly)? (ordered|bought)\b/;

function itemTerms(words: readonly string[]): string[] {
  return words.map((w) => SYNONYMS[w] ?? w);
}

/** Terms of the caller's words that could name a product (not generic order talk). */
export function productWords(text: string): string[] {
  return itemTerms(utteranceWords(text).filter(namesProduct));
}

function namesProduct(term: string): boolean {
  return !GENERIC.has(term) && !term.startsWith('#') && term.length > 1;
}

/** The caller's own words (not their stems) that could name a product, to say back to them. */
function productWordsSaid(text: string): string[] {
  return foldText(text)
    .split(/[^a-z0-9']+/)
    .filter((word) => word.length > 0 && namesProduct(shapeOf(word.replace(/'/g, ''))));
}

/** More words than this the caller's orders lack is a story, not a product name. */
const MAX_UNMATCHED_WORDS = 3;
/** In a long turn the request is in the sentences that ask, usually the last. */
const LONG_TURN_WORDS = 50;

/** The part of a long turn that asks: its questions, or its last two sentences. */
function askingPart(text: string): string {
  if (utteranceWords(text).length <= LONG_TURN_WORDS) return text;
  const sentences = text.split(/(?<=[.!?])\s+/);
  const asking = sentences.filter((s) => s.trim().endsWith('?'));
  return (asking.length > 0 ? asking : sentences.slice(-2)).join(' ');
}

/**
 * Resolves what the caller said against their orders (newest first by id). `candidates`
 * are the orders we just asked the caller to choose between, if any.
 */
export function resolveOrderReference(text: string, orders: readonly Order[], candidates?: readonly Order[]): OrderResolution | undefined {
  const newestFirst = [...orders].sort((a, b) => b.id.localeCompare(a.id, 'en', { numeric: true }));
  const pool = candidates && candidates.length > 0 ? candidates : newestFirst;
  const focus = askingPart(text);
  const lower = focus.toLowerCase();

  const wanted = productWords(focus);
  if (wanted.length > 0) {
    const scored = pool.map((order) => ({ order, score: matchScore(wanted, itemTerms(utteranceWords(order.item))) }));
    const best = Math.max(0, ...scored.map((s) => s.score));
    if (best > 0) {
      const top = scored.filter((s) => s.score === best).map((s) => s.order);
      if (top.length === 1) return { kind: 'one', order: top[0]!, by: 'item' };
      const byPrice = byPriceIn(lower, top);
      if (byPrice) return { kind: 'one', order: byPrice, by: 'item' };
      if (!LATEST.test(lower)) return { kind: 'several', orders: top };
      return { kind: 'one', order: top[0]!, by: 'latest' };
    }
  }
  if (candidates && candidates.length > 0) {
    const n = ordinalIn(lower);
    if (n !== undefined) {
      const order = n === -1 ? candidates.at(-1) : candidates[n - 1];
      if (order) return { kind: 'one', order, by: 'ordinal' };
    }
    const byPrice = byPriceIn(lower, candidates);
    if (byPrice) return { kind: 'one', order: byPrice, by: 'ordinal' };
  }
  if (LATEST.test(lower)) {
    const latest = pool[0];
    return latest ? { kind: 'one', order: latest, by: 'latest' } : undefined;
  }
  if (wanted.length > 0 && !candidates) {
    const said = productWordsSaid(focus);
    return said.length > 0 && said.length <= MAX_UNMATCHED_WORDS ? { kind: 'unmatched', words: said } : undefined;
  }
  return undefined;
}

/** "the cheaper one", "the more expensive headset": the order of that price among those that match. */
function byPriceIn(text: string, orders: readonly Order[]): Order | undefined {
  const priced = [...orders].sort((a, b) => a.total - b.total);
  if (priced.length < 2 || priced[0]!.total === priced.at(-1)!.total) return undefined;
  if (/\b(cheap(er|est)?|less expensive|least expensive|lower priced)\b/.test(text)) return priced[0];
  if (/\b(more expensive|most expensive|pricier|priciest|dearer)\b/.test(text)) return priced.at(-1);
  return undefined;
}

/**
 * Which of the offered orders the caller picked by position: "the second one", "the 2nd",
 * "number two" (numbers and ordinals read by compromise), or "the last one".
 */
function ordinalIn(text: string): number | undefined {
  if (/\b(last|latter)\b/.test(text)) return -1;
  if (/\b(former)\b/.test(text)) return 1;
  const doc = nlp(text.slice(0, 200));
  const ordinal = (doc.numbers().isOrdinal().json() as NumberJson[])[0]?.number?.num;
  if (ordinal !== undefined) return ordinal;
  const picked = /\b(?:number|option|choice)\s+(\S+)/.exec(text);
  if (!picked) return undefined;
  return (nlp(picked[1]!).numbers().json() as NumberJson[])[0]?.number?.num;
}

type NumberJson = { number?: { num?: number } };

/** How many of the item's words the caller said, allowing one typo in longer words. */
function matchScore(wanted: readonly string[], item: readonly string[]): number {
  const speller = new SpellCheck({ features: Object.fromEntries(item.map((t) => [t, 1])), minLength: 5 });
  let score = 0;
  for (const term of new Set(item)) {
    if (wanted.includes(term)) score += 1;
  }
  if (score > 0) return score;
  for (const w of wanted) if (item.includes(speller.checkToken(w, 1))) score += 0.5;
  return score;
}
