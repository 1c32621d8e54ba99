// Knowledge-answer precision and recall at the confidence threshold, on held-out caller
// questions (resources/nlu/test/knowledge.yaml; knowledge-dev.yaml is the tuning set), with 4 articles, the 21 shipped ones, and
// the 21 padded to 400 with generated articles on unrelated topics. The threshold is one
// number for every size: the point of the test is that its meaning does not drift.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KnowledgeArticle } from '../../contracts/crm';
import { DEFAULT_KNOWLEDGE_DIR, parseArticleMarkdown } from '../../backend/src/knowledge/article-files';
import { KnowledgeBase, KNOWLEDGE_CONFIDENCE_THRESHOLD } from '../../backend/src/knowledge/knowledge-base';
import { DEFAULT_NLU_DIR } from '../../backend/src/nlu/intent-corpus';

interface Question {
  q: string;
  article: string | string[] | null;
}

export interface KnowledgeScore {
  precision: number;
  recall: number;
  answerable: number;
  unanswerable: number;
  errors: string[];
}

export function shippedArticles(): KnowledgeArticle[] {
  return readdirSync(DEFAULT_KNOWLEDGE_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => parseArticleMarkdown(readFileSync(path.join(DEFAULT_KNOWLEDGE_DIR, f), 'utf8'), f));
}

// Unrelated topics for padding: a large help centre's other departments, written with the
// same help-desk words (days, free, order, hours) so they compete for generic terms.
const SUBJECTS = [
  'lawn mower', 'garden hose', 'rose bush', 'compost bin', 'bird feeder', 'pizza oven', 'sourdough starter',
  'espresso grinder', 'cast iron pan', 'slow cooker', 'winter tires', 'brake pads', 'windshield wiper',
  'roof rack', 'camping tent', 'sleeping bag', 'hiking boots', 'fishing rod', 'yoga mat', 'rowing machine',
  'dog leash', 'cat litter', 'aquarium filter', 'hamster cage', 'knitting needles', 'watercolor paints',
  'sewing machine', 'pottery wheel', 'chess set', 'jigsaw puzzle', 'board game', 'guitar strings',
  'piano bench', 'drum kit', 'ski goggles', 'snowboard', 'tennis racket', 'golf clubs', 'baby stroller',
  'crib mattress', 'office chair', 'standing desk', 'bookshelf', 'curtain rod', 'ceiling fan', 'space heater',
  'dehumidifier', 'water filter', 'paint roller', 'power drill', 'ladder', 'toolbox', 'wheelbarrow',
];
const TOPICS = [
  ['Assembling the', 'Unpack every part, lay the pieces out and follow the numbered steps. Allow about an hour and keep the hex key that comes in the box.'],
  ['Cleaning your', 'Wipe it down with warm soapy water after each use and let it dry completely before storing it in a cool place.'],
  ['Choosing the right', 'Compare sizes, materials and weight before you decide. Our buying guide lists the most popular models and what each is best for.'],
  ['Storing the', 'Keep it indoors out of direct sunlight. A cover protects it from dust during the months you do not use it.'],
  ['Safety tips for the', 'Read the manual first, wear gloves and keep children and pets away while it is in use.'],
  ['Seasonal care for the', 'Inspect it at the start of each season, tighten loose fittings and replace worn parts before they fail.'],
  ['Common questions about the', 'Most people ask about size, weight and how long it lasts. With regular care it lasts many years.'],
  ['Upgrading your', 'Accessories and add-ons make it more comfortable and versatile. Check compatibility with your model number first.'],
];

export function paddingArticles(count: number): KnowledgeArticle[] {
  const out: KnowledgeArticle[] = [];
  for (let i = 0; out.length < count; i++) {
    const subject = SUBJECTS[i % SUBJECTS.length]!;
    const [lead, body] = TOPICS[Math.floor(i / SUBJECTS.length) % TOPICS.length]!;
    out.push({
      id: `pad-${i}`,
      title: `${lead} ${subject}`,
      tags: subject.split(' '),
      body: `${body} This applies to every ${subject} in our catalogue. Questions about your ${subject}? Our hobby desk is open weekdays.`,
    });
  }
  return out;
}

export function evaluateKnowledge(file = 'knowledge.yaml'): Record<string, KnowledgeScore> {
  const spec = parse(readFileSync(path.join(DEFAULT_NLU_DIR, 'test', file), 'utf8')) as { small: string[]; questions: Question[] };
  const shipped = shippedArticles();
  const sets: Record<string, KnowledgeArticle[]> = {
    [`articles${spec.small.length}`]: shipped.filter((a) => spec.small.includes(a.id)),
    [`articles${shipped.length}`]: shipped,
    articles400: [...shipped, ...paddingArticles(400 - shipped.length)],
  };
  const result: Record<string, KnowledgeScore> = {};
  for (const [name, articles] of Object.entries(sets)) {
    const kb = KnowledgeBase.fromArticles(articles);
    const present = new Set(articles.map((a) => a.id));
    let answered = 0;
    let correct = 0;
    let answerable = 0;
    const errors: string[] = [];
    for (const { q, article } of spec.questions) {
      const expected = (article === null ? [] : Array.isArray(article) ? article : [article]).filter((id) => present.has(id));
      if (expected.length > 0) answerable += 1;
      const best = kb.search(q, 1)[0];
      const answers = best !== undefined && best.confidence >= KNOWLEDGE_CONFIDENCE_THRESHOLD;
      if (answers) {
        answered += 1;
        if (expected.includes(best.article.id)) correct += 1;
        else errors.push(`"${q}" answered from ${best.article.id} (${best.confidence}), expected ${expected.join('|') || 'no answer'}`);
      } else if (expected.length > 0) {
        errors.push(`"${q}" not answered (best ${best?.article.id ?? 'none'} ${best?.confidence ?? 0}), expected ${expected.join('|')}`);
      }
    }
    result[name] = {
      precision: answered === 0 ? 1 : correct / answered,
      recall: answerable === 0 ? 1 : correct / answerable,
      answerable,
      unanswerable: spec.questions.length - answerable,
      errors,
    };
  }
  return result;
}
