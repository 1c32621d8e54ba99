// Knowledge articles per language: one index per language (front matter `language: es`;
// untagged articles are in the default language). A caller's question is searched in their
// language first; when nothing there is confident enough (or there are no articles in it), the
// default language's articles answer — a model brain then answers in the caller's language
// from them, and the local brain hands the caller to a person who speaks it.
import type { KnowledgeArticle } from '../../../contracts/crm';
import type { KnowledgeLookup } from '../brain/brain';
import { primaryTag } from '../languages/languages';
import { KNOWLEDGE_CONFIDENCE_THRESHOLD, KnowledgeBase } from './knowledge-base';

export class KnowledgeByLanguage {
  /** The default language's articles (and every untagged one): the desk, assist and analytics use these. */
  readonly main: KnowledgeBase;
  readonly #others: ReadonlyMap<string, KnowledgeBase>;
  readonly #defaultTag: string;

  constructor(articles: readonly KnowledgeArticle[], defaultLanguage: string) {
    this.#defaultTag = primaryTag(defaultLanguage);
    const groups = new Map<string, KnowledgeArticle[]>();
    for (const article of articles) {
      const tag = article.language ?? this.#defaultTag;
      groups.set(tag, [...(groups.get(tag) ?? []), article]);
    }
    this.main = KnowledgeBase.fromArticles(groups.get(this.#defaultTag) ?? []);
    groups.delete(this.#defaultTag);
    this.#others = new Map([...groups].map(([tag, list]) => [tag, KnowledgeBase.fromArticles(list)]));
  }

  /** The store's product names (the CRM's order items), for every language's articles. */
  addProductNames(names: readonly string[]): void {
    this.main.addProductNames(names);
    for (const kb of this.#others.values()) kb.addProductNames(names);
  }

  /** Languages with articles of their own besides the default. */
  get languages(): string[] {
    return [...this.#others.keys()];
  }

  /** The lookup for a caller speaking `language` (a locale), with the fallback to the default language. */
  lookupFor(language: string): KnowledgeLookup {
    const own = this.#others.get(primaryTag(language));
    const main = this.main;
    if (!own) return { search: (q, limit) => main.search(q, limit), confidenceThreshold: KNOWLEDGE_CONFIDENCE_THRESHOLD };
    return {
      search(question, limit) {
        const hits = own.search(question, limit);
        return hits.some((h) => h.confidence >= KNOWLEDGE_CONFIDENCE_THRESHOLD) ? hits : main.search(question, limit);
      },
      confidenceThreshold: KNOWLEDGE_CONFIDENCE_THRESHOLD,
    };
  }
}
