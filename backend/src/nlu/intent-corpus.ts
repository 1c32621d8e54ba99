// The utterance corpus the intent classifier is trained on: one YAML file per intent under
// resources/nlu/intents/ (see docs/scenarios.md, "Teaching the assistant new phrasings").
// Files are validated here so a typo in a team's own intent file is a clear error at start.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

export const DEFAULT_NLU_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/nlu');

const IntentFile = z
  .object({
    intent: z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case, e.g. "order_status"'),
    queue: z.enum(['general', 'billing', 'orders']),
    accountSpecific: z.boolean(),
    utterances: z.array(z.string().min(1)).min(10, 'give at least 10 utterances (25 or more classify well)'),
  })
  .strict();
export type IntentDefinition = z.infer<typeof IntentFile>;

/** Every intent definition in `<dir>/intents/*.yaml`, sorted by intent name. */
export function loadIntentCorpus(dir: string = DEFAULT_NLU_DIR): IntentDefinition[] {
  const intentsDir = path.join(dir, 'intents');
  const files = readdirSync(intentsDir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const byName = new Map<string, IntentDefinition>();
  for (const file of files) {
    const where = path.join(intentsDir, file);
    const parsed = IntentFile.safeParse(parse(readFileSync(where, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${where}: ${issue.path.join('.') || 'file'}: ${issue.message}. Fix the file and restart.`);
    }
    if (byName.has(parsed.data.intent)) {
      throw new Error(`${where}: intent "${parsed.data.intent}" is defined twice; merge the two files.`);
    }
    byName.set(parsed.data.intent, parsed.data);
  }
  if (byName.size === 0) throw new Error(`No intent files in ${intentsDir}; restore resources/nlu/intents/.`);
  return [...byName.values()].sort((a, b) => a.intent.localeCompare(b.intent));
}
