// The words Azure recognition is told to favour for this call center: knowledge-base tags and
// titles (product and topic words callers say) and the CRM's item names. Read once at start.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The service takes up to ~500 phrases; more only slows its turn start. */
const MAX_PHRASES = 400;

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function domainPhrases(sources: { knowledgeDir?: string; crmFile?: string }): string[] {
  const phrases = new Set<string>();
  if (sources.knowledgeDir) {
    for (const file of list(sources.knowledgeDir).filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(sources.knowledgeDir, file), 'utf8');
      const tags = /^tags:\s*\[([^\]]*)\]/m.exec(text)?.[1];
      for (const tag of tags?.split(',') ?? []) if (tag.trim()) phrases.add(tag.trim());
    }
  }
  if (sources.crmFile) {
    try {
      const crm = JSON.parse(readFileSync(sources.crmFile, 'utf8')) as { orders?: Array<{ item?: string }> };
      for (const order of crm.orders ?? []) if (order.item) phrases.add(order.item);
    } catch {
      // no CRM file: recognition works without its names
    }
  }
  return [...phrases].slice(0, MAX_PHRASES);
}
