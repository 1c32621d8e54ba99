// Which of the verified caller's orders a caller means when they do not give an order id:
// "my kayak", "the paddles", "my last order", "the one I ordered last week", and after we
// asked which one, "the second one" or "the Aura". Runs only on orders the tools returned
// for a verified caller, so it can never point at another customer's order.
import { SpellCheck } from '@nlpjs/similarity';
import nlp from 'compromise';
import { monthNumberNamed } from '../brain/slots';
import type { Order } from '../../../contracts/crm';
import { dropsOneLetter, foldText, shapeOf, utteranceWords } from './utterance-features';

export type OrderResolution =
  | { kind: 'one'; order: Order; by: 'item' | 'latest' | 'ordinal' | 'only' | 'active' }
  | { kind: 'several'; orders: Order[] }
  /** The caller named two or more of their orders ("where are the kayak and the paddles"). */
  | { kind: 'each'; orders: Order[] }
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
    'how much pay paid paying charged charge cost total price dropped off again ever end ended up guys ' +
    // Contractions typed or recognized without the apostrophe: "hasnt shown up".
    'hasnt havent isnt wasnt didnt doesnt dont wont cant arent werent holdup ' +
    // Where a delivery goes and who brings it: "nothing on my porch", "the box never showed up".
    'box boxes nothing porch door doorstep front step steps mailbox mailroom lobby building garage yard driveway ' +
    'neighbor neighbors neighbour neighbours carrier driver courier mailman mail post office ups fedex usps dhl app website site'
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

/**
 * Of the words said, those compromise tags as nouns in the sentence: "the tracking hasn't
 * budged since Thursday" names no product, and "I don't see a budged since thursday among
 * your orders" is not something to say back. Read only when nothing matched (it takes
 * milliseconds).
 */
function nounsAmong(text: string, words: readonly string[]): string[] {
  const nouns = new Set(
    (nlp(foldText(text)).match('#Noun').not('(#Date|#Pronoun)').terms().out('array') as string[]).map((t) => t.toLowerCase().replace(/[^a-z0-9']/g, '')),
  );
  return words.filter((w) => nouns.has(w));
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
 * Newest first: by delivery date when both orders have one (an order placed later arrives
 * later; a returned order delivered in August is older than one arriving next week whatever
 * its number), else by order number.
 */
function newerFirst(a: Order, b: Order): number {
  if (a.eta && b.eta && a.eta !== b.eta) return b.eta.localeCompare(a.eta);
  return b.id.localeCompare(a.id, 'en', { numeric: true });
}

/**
 * Resolves what the caller said against their orders (newest first). `candidates`
 * are the orders we just asked the caller to choose between, if any.
 */
export function resolveOrderReference(text: string, orders: readonly Order[], candidates?: readonly Order[]): OrderResolution | undefined {
  const newestFirst = [...orders].sort(newerFirst);
  const pool = candidates && candidates.length > 0 ? candidates : newestFirst;
  const focus = askingPart(text);
  const lower = focus.toLowerCase();

  // "The one that cost like two hundred and ten bucks", "the thing due on the 27th".
  const byFigure = byAmountIn(lower, pool);
  if (byFigure) return { kind: 'one', order: byFigure, by: 'item' };
  const onDay = byDayIn(lower, pool);
  if (onDay.length === 1) return { kind: 'one', order: onDay[0]!, by: 'item' };
  if (onDay.length > 1) return { kind: 'several', orders: onDay };
  const wanted = withCompounds(focus, productWords(focus), pool);
  // "the one that was delivered", "the backordered one": of the orders in that state, the one, or which.
  const inState = wanted.length === 0 ? byStatusIn(text.toLowerCase(), pool) : [];
  if (inState.length === 1) return { kind: 'one', order: inState[0]!, by: 'item' };
  if (inState.length > 1) return { kind: 'several', orders: inState };
  const each = eachNamed(focus, pool);
  if (each) return { kind: 'each', orders: each };
  if (wanted.length > 0) {
    const top = bestByItem(wanted, pool);
    if (top.length > 0) {
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
    if (said.length > MAX_UNMATCHED_WORDS) return undefined;
    const named = nounsAmong(focus, said);
    return named.length > 0 ? { kind: 'unmatched', words: named } : undefined;
  }
  return undefined;
}

/** Two or more orders named side by side, each by its own words: "the kayak and the paddles". */
function eachNamed(text: string, orders: readonly Order[]): Order[] | undefined {
  const parts = text.split(/\band\b|\bplus\b|&|,/).filter((p) => productWords(p).length > 0);
  if (parts.length < 2) return undefined;
  const named: Order[] = [];
  for (const part of parts) {
    const top = bestByItem(withCompounds(part, productWords(part), orders), orders);
    // "Hi, this is Daniel, I'm checking on the headsets and the adapters": a part naming no order is no pick.
    if (top.length === 0) continue;
    const pick = top.length === 1 ? top[0] : undefined;
    if (!pick) return undefined;
    if (!named.includes(pick)) named.push(pick);
  }
  return named.length >= 2 ? named : undefined;
}

/**
 * The orders whose item names the caller's words match best (none when no word matches); of
 * several, only the one whose name ends in a word said when there is one ("my kayak" with a
 * Touring Kayak and a Kayak Paddle Set is the kayak).
 */
function bestByItem(wanted: readonly string[], orders: readonly Order[]): Order[] {
  const scored = orders.map((order) => ({ order, score: matchScore(wanted, itemTerms(utteranceWords(order.item))) }));
  const best = Math.max(0, ...scored.map((s) => s.score));
  if (best === 0) return [];
  const top = scored.filter((s) => s.score === best).map((s) => s.order);
  const named = top.filter((order) => wanted.includes(headTerm(order.item)));
  return top.length > 1 && named.length === 1 ? named : top;
}

/** Words that name how an item is sold, not what it is: the head of "Kayak Paddle Set" is "paddle". */
const PACKAGING = new Set(['set', 'pack', 'kit', 'bundle', 'pair', 'combo'].map(shapeOf));

/** The word an item's name is about: its last word, but for packaging. */
function headTerm(item: string): string {
  const terms = itemTerms(utteranceWords(item)).filter((t) => !PACKAGING.has(t));
  return terms.at(-1) ?? '';
}

/**
 * A name the recognizer split in two ("head set", "ear buds", "blue tooth"): when the two words
 * joined are a word of one of the orders' items, they are that word, not "head" and "set".
 */
function withCompounds(text: string, wanted: readonly string[], orders: readonly Order[]): string[] {
  const itemWords = new Set(orders.flatMap((o) => itemTerms(utteranceWords(o.item))));
  const raw = foldText(text).split(/[^a-z0-9]+/).filter(Boolean);
  const out = [...wanted];
  for (let i = 0; i + 1 < raw.length; i++) {
    const joined = itemTerms([shapeOf(raw[i]! + raw[i + 1]!)])[0]!;
    if (!itemWords.has(joined)) continue;
    const parts = new Set([shapeOf(raw[i]!), shapeOf(raw[i + 1]!)].flatMap((p) => itemTerms([p])));
    for (let j = out.length - 1; j >= 0; j--) if (parts.has(out[j]!)) out.splice(j, 1);
    out.push(joined);
  }
  return out;
}

/** Digits or number words: only then is the turn worth reading for numbers (compromise takes milliseconds). */
const SAYS_A_NUMBER = /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+teenth|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|\w+tieth|hundred|thousand|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)\b/;
const MONEY = /\$|\b(bucks|dollars?|cost|costs|paid|pay|price|priced|spent)\b/;
const DUE = /\b(arriv\w*|due|deliver\w*|coming|expected|supposed|eta|come|came|ship\w*)\b/;

/** The one order whose total is the amount the caller said (within a tenth, or five dollars). */
function byAmountIn(text: string, orders: readonly Order[]): Order | undefined {
  if (orders.length < 2 || !MONEY.test(text) || !SAYS_A_NUMBER.test(text)) return undefined;
  const amounts = numbersIn(text).filter((n) => n >= 1);
  const near = orders.filter((o) => amounts.some((a) => Math.abs(o.total - a) <= Math.max(5, a * 0.1)));
  return near.length === 1 ? near[0] : undefined;
}

/** The orders due (or delivered) on the day of the month the caller said ("the 27th", "september 15th"). */
function byDayIn(text: string, orders: readonly Order[]): Order[] {
  if (orders.length < 2 || !DUE.test(text) || !SAYS_A_NUMBER.test(text)) return [];
  const days = (nlp(text.slice(0, 200)).numbers().isOrdinal().json() as NumberJson[]).flatMap((n) => (n.number?.num !== undefined ? [n.number.num] : []));
  if (days.length === 0) return [];
  const month = monthNumberNamed(text);
  return orders.filter((o) => typeof o.eta === 'string' && days.includes(Number(o.eta.slice(8, 10))) && (month === undefined || Number(o.eta.slice(5, 7)) === month));
}

/** How a caller names an order by what happened to it: "the one that was delivered", "the backordered one". */
const STATUS_REFERENCES: Array<{ says: RegExp; statuses: string[] }> = [
  { says: /\b(one|order|thing|item|stuff)s? (that|which) (was|were|got|has been|have been|already) (delivered|dropped off)\b|\b(the|my) delivered (one|order|thing|item)s?\b|\bwhat (got|was) delivered\b/, statuses: ['delivered'] },
  { says: /\b(one|order|thing|item)s? (that|which) (has |have )?(shipped|already shipped|is on (its|the) way|is in transit)\b|\b(the|my) shipped (one|order|thing|item)s?\b/, statuses: ['shipped'] },
  { says: /\b(the|my) back ?ordered (one|order|thing|item)s?\b|\b(one|order|thing|item)s? (that|which) (is|are|was|were) back ?ordered\b/, statuses: ['backordered'] },
  { says: /\b(the|my) (cancel+ed) (one|order|thing|item)s?\b|\b(one|order|thing|item)s? (that )?i cancel+ed\b/, statuses: ['cancelled'] },
  { says: /\b(the|my) returned (one|order|thing|item)s?\b|\b(one|order|thing|item)s? (that )?i (returned|sent back)\b/, statuses: ['returned'] },
];

function byStatusIn(text: string, orders: readonly Order[]): Order[] {
  const named = STATUS_REFERENCES.find((r) => r.says.test(text));
  return named ? orders.filter((o) => named.statuses.includes(o.status)) : [];
}

function numbersIn(text: string): number[] {
  return (nlp(text.slice(0, 200)).numbers().json() as NumberJson[]).flatMap((n) => (n.number?.num !== undefined ? [n.number.num] : []));
}

/** "the cheaper one", "the more expensive headset": the order of that price among those that match. */
function byPriceIn(text: string, orders: readonly Order[]): Order | undefined {
  const priced = [...orders].sort((a, b) => a.total - b.total);
  if (priced.length < 2 || priced[0]!.total === priced.at(-1)!.total) return undefined;
  if (/\b(cheap(er|est)?|less expensive|least expensive|lower priced)\b/.test(text)) return priced[0];
  if (/\b(more expensive|most expensive|pricier|priciest|dearer|(the )?expensive one)\b/.test(text)) return priced.at(-1);
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
  // A four-letter slip with a letter dropped ("kyak" for "kayak"): too short for the checker's
  // one edit either way ("pods"/"pads"), so only a name it is the word with a letter left out of.
  if (score === 0) for (const w of wanted) if (w.length === 4 && item.some((t) => t.length === 5 && dropsOneLetter(w, t))) score += 0.5;
  return score;
}
