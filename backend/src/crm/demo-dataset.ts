// The demo CRM shipped in `resources/demo/crm.json`: loading it, checking it against the
// contract, and checking that every order and ticket belongs to a customer in the file, so
// a hand edit that breaks the demo is caught at seed time rather than in the middle of a call.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CrmDataset } from '../../../contracts/crm';

export const DEFAULT_DEMO_CRM_PATH = fileURLToPath(
  new URL('../../../resources/demo/crm.json', import.meta.url),
);

export async function loadDemoDataset(path: string = DEFAULT_DEMO_CRM_PATH): Promise<CrmDataset> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Cannot read the demo CRM file ${path} (${reason}). Check the path, or restore resources/demo/crm.json.`,
    );
  }
  return parseDemoDataset(text, path);
}

/** Parses and checks a dataset's JSON text; `source` names it in errors. */
export function parseDemoDataset(text: string, source: string): CrmDataset {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Demo CRM file ${source} is not valid JSON (${reason}). Fix the syntax and try again.`);
  }

  const checked = CrmDataset.safeParse(raw);
  if (!checked.success) {
    const problems = checked.error.issues
      .slice(0, 5)
      .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
      .join('; ');
    const more = checked.error.issues.length > 5 ? ` (and ${checked.error.issues.length - 5} more)` : '';
    throw new Error(
      `Demo CRM file ${source} does not match the CRM schema: ${problems}${more}. Fix these records and try again.`,
    );
  }

  assertIntegrity(checked.data, source);
  return checked.data;
}

function assertIntegrity(dataset: CrmDataset, source: string): void {
  const problems: string[] = [];
  const customerIds = new Set<string>();
  for (const customer of dataset.customers) {
    if (customerIds.has(customer.id)) problems.push(`customer id ${customer.id} appears twice`);
    customerIds.add(customer.id);
  }
  for (const [kind, records] of [
    ['order', dataset.orders],
    ['ticket', dataset.tickets],
  ] as const) {
    const seen = new Set<string>();
    for (const record of records) {
      if (seen.has(record.id)) problems.push(`${kind} id ${record.id} appears twice`);
      seen.add(record.id);
      if (!customerIds.has(record.customerId)) {
        problems.push(`${kind} ${record.id} refers to customer ${record.customerId}, who is not in the file`);
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `Demo CRM file ${source} is inconsistent: ${problems.join('; ')}. Add the missing customers or fix the ids.`,
    );
  }
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return (
    path.reduce<string>(
      (out, part) =>
        typeof part === 'number' ? `${out}[${part}]` : `${out}${out ? '.' : ''}${String(part)}`,
      '',
    ) || '(root)'
  );
}
