// Knowledge articles as markdown files: YAML front matter (id, title, tags) then the body.
// This module owns reading a folder of them and checking each against the contract, so a
// typo in a shipped or customer-written article fails loudly at start-up with the file name.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { KnowledgeArticle } from '../../../contracts/crm';

/** The articles shipped with the product: `resources/knowledge` at the repository root. */
export const DEFAULT_KNOWLEDGE_DIR = fileURLToPath(new URL('../../../resources/knowledge', import.meta.url));

// Front matter must be the very first thing in the file; editors on Windows may add a BOM
// and CRLF line endings, which we accept rather than reject.
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

const EXAMPLE =
  'Start the file with:\n---\nid: returns\ntitle: Return policy\ntags: [returns, refund]\n---\nthen the article text.';

export function parseArticleMarkdown(text: string, fileName: string): KnowledgeArticle {
  const parts = FRONT_MATTER.exec(text);
  if (!parts) {
    throw new Error(`Knowledge article ${fileName}: no YAML front matter found. ${EXAMPLE}`);
  }
  const [, yamlText = '', bodyText = ''] = parts;

  let front: unknown;
  try {
    front = parseYaml(yamlText);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Knowledge article ${fileName}: the front matter is not valid YAML (${reason}). ${EXAMPLE}`,
    );
  }
  if (front === null || typeof front !== 'object' || Array.isArray(front)) {
    throw new Error(
      `Knowledge article ${fileName}: the front matter must be key: value lines (id, title, tags). ${EXAMPLE}`,
    );
  }

  const checked = KnowledgeArticle.safeParse({ ...front, body: bodyText.trim() });
  if (!checked.success) {
    throw new Error(
      `Knowledge article ${fileName}: ${describeIssues(checked.error)}. Fix the front matter or body and restart.`,
    );
  }
  return checked.data;
}

/**
 * Reads every `.md` file in `dir` (not recursive), sorted by name so the order, and any
 * error, is the same on every machine. Ids must be unique across the folder.
 */
export async function loadArticlesFromDir(dir: string = DEFAULT_KNOWLEDGE_DIR): Promise<KnowledgeArticle[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.md')).sort();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Cannot read the knowledge folder ${dir} (${reason}). Check the path in the configuration.`,
    );
  }

  const articles: KnowledgeArticle[] = [];
  const fileById = new Map<string, string>();
  for (const name of names) {
    const article = parseArticleMarkdown(await readFile(join(dir, name), 'utf8'), name);
    const earlier = fileById.get(article.id);
    if (earlier !== undefined) {
      throw new Error(
        `Knowledge article ${name}: id "${article.id}" is already used by ${earlier}. Give each article its own id.`,
      );
    }
    fileById.set(article.id, name);
    articles.push(article);
  }
  return articles;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.join('.') : '(file)';
      return `${field} ${issue.message}`;
    })
    .join('; ');
}
