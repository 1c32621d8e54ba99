// The shipped knowledge articles and the markdown loader: every shipped file parses, the
// set covers the topics callers ask about, and a broken file fails with its name.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_KNOWLEDGE_DIR,
  loadArticlesFromDir,
  parseArticleMarkdown,
} from '../../src/knowledge/article-files';

const REQUIRED_TOPICS = [
  'returns',
  'refund-timing',
  'shipping-options',
  'order-tracking',
  'international-shipping',
  'change-shipping-address',
  'cancel-order',
  'warranty',
  'damaged-or-defective',
  'missing-package',
  'bluetooth-pairing',
  'charging-battery',
  'firmware-updates',
  'support-hours',
  'payment-methods',
  'price-match',
  'gift-cards',
  'loyalty-tiers',
  'account-password',
  'privacy-data-requests',
  'noise-cancellation',
];

describe('shipped knowledge articles', () => {
  it('all parse, at least 18, with unique ids', async () => {
    const articles = await loadArticlesFromDir(DEFAULT_KNOWLEDGE_DIR);
    expect(articles.length).toBeGreaterThanOrEqual(18);
    expect(new Set(articles.map((a) => a.id)).size).toBe(articles.length);
  });

  it('cover every required topic', async () => {
    const ids = new Set((await loadArticlesFromDir()).map((a) => a.id));
    for (const topic of REQUIRED_TOPICS) expect(ids, topic).toContain(topic);
  });

  it('each teach the knowledge base at least eight example caller questions', async () => {
    for (const article of await loadArticlesFromDir()) expect(article.questions?.length ?? 0, article.id).toBeGreaterThanOrEqual(8);
  });

  it('have tags and a body of 60 to 200 words', async () => {
    for (const article of await loadArticlesFromDir()) {
      const words = article.body.split(/\s+/).filter((w) => /[a-z0-9]/i.test(w)).length;
      expect(words, article.id).toBeGreaterThanOrEqual(60);
      expect(words, article.id).toBeLessThanOrEqual(200);
      expect(article.tags.length, article.id).toBeGreaterThan(0);
    }
  });

  it('say that a person handles cancellations', async () => {
    const cancel = (await loadArticlesFromDir()).find((a) => a.id === 'cancel-order');
    expect(cancel?.body).toMatch(/member of our support team|person/);
  });
});

describe('parseArticleMarkdown', () => {
  it('reads front matter and trims the body', () => {
    const article = parseArticleMarkdown(
      '---\nid: a-b\ntitle: A B\ntags: [x, y]\n---\n\nBody text.\n',
      'a-b.md',
    );
    expect(article).toEqual({ id: 'a-b', title: 'A B', tags: ['x', 'y'], body: 'Body text.' });
  });

  it('accepts CRLF line endings and a BOM, and defaults tags', () => {
    const article = parseArticleMarkdown(
      '\uFEFF---\r\nid: crlf\r\ntitle: Windows\r\n---\r\nBody.\r\n',
      'crlf.md',
    );
    expect(article).toMatchObject({ id: 'crlf', title: 'Windows', tags: [], body: 'Body.' });
  });

  it('names the file when the front matter is missing', () => {
    expect(() => parseArticleMarkdown('# Just a heading\n\nText.', 'no-front.md')).toThrow(
      /no-front\.md.*no YAML front matter/,
    );
  });

  it('names the file when the YAML is malformed', () => {
    expect(() => parseArticleMarkdown('---\nid: bad\ntitle: [unclosed\n---\nBody.', 'bad-yaml.md')).toThrow(
      /bad-yaml\.md.*not valid YAML/,
    );
  });

  it('names the file and the field when the title is missing', () => {
    expect(() => parseArticleMarkdown('---\nid: untitled\ntags: [a]\n---\nBody.', 'untitled.md')).toThrow(
      /untitled\.md: title/,
    );
  });

  it('rejects an empty body and an id that is not a slug', () => {
    expect(() => parseArticleMarkdown('---\nid: empty\ntitle: Empty\n---\n\n', 'empty.md')).toThrow(
      /empty\.md: body/,
    );
    expect(() => parseArticleMarkdown('---\nid: has space\ntitle: T\n---\nBody.', 'space.md')).toThrow(
      /space\.md: id must be a slug/,
    );
  });

  it('reads example caller questions, and names the file when one is not a sentence', () => {
    const article = parseArticleMarkdown(
      '---\nid: hours\ntitle: Hours\nquestions:\n  - are you open on the weekend\n  - "what time do you close?"\n---\nBody.',
      'hours.md',
    );
    expect(article.questions).toEqual(['are you open on the weekend', 'what time do you close?']);
    expect(() => parseArticleMarkdown('---\nid: q\ntitle: Q\nquestions: [""]\n---\nBody.', 'q.md')).toThrow(/q\.md: questions\.0/);
    expect(() => parseArticleMarkdown('---\nid: q\ntitle: Q\nquestions: are you open\n---\nBody.', 'q.md')).toThrow(/q\.md: questions/);
  });

  it('rejects front matter that is not key: value lines', () => {
    expect(() => parseArticleMarkdown('---\n- a\n- b\n---\nBody.', 'list.md')).toThrow(
      /list\.md: the front matter must be key: value/,
    );
  });
});

describe('loadArticlesFromDir', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('names the bad file in a folder, ignoring files that are not markdown', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kb-'));
    await writeFile(join(dir, 'good.md'), '---\nid: good\ntitle: Good\n---\nBody.');
    await writeFile(join(dir, 'notes.txt'), 'not an article');
    await writeFile(join(dir, 'zz-broken.md'), '---\nid: broken\n---\nBody.');
    await expect(loadArticlesFromDir(dir)).rejects.toThrow(/zz-broken\.md: title/);
  });

  it('rejects two files with the same id', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kb-'));
    await writeFile(join(dir, 'a.md'), '---\nid: same\ntitle: A\n---\nBody.');
    await writeFile(join(dir, 'b.md'), '---\nid: same\ntitle: B\n---\nBody.');
    await expect(loadArticlesFromDir(dir)).rejects.toThrow(/b\.md: id "same" is already used by a\.md/);
  });

  it('says which folder it could not read', async () => {
    await expect(loadArticlesFromDir('/nonexistent/knowledge')).rejects.toThrow(/\/nonexistent\/knowledge/);
  });
});
