// Hand-written SQL that runs on both dialects. Analytics keeps its queries as readable text
// with `?` where a value goes; each is turned into Kysely's `sql` template here, so the
// dialect renders its own placeholders (`?` for SQLite, `$1…` for PostgreSQL) and values
// always travel as parameters, never spliced into the text.
import { sql, type Kysely, type RawBuilder } from 'kysely';

export type Param = string | number | null;

type Handle = Pick<Kysely<unknown>, 'executeQuery' | 'getExecutor'>;

/** `text` must not contain a literal `?` other than value slots (none of ours do). */
export function portableSql<R = unknown>(text: string, params: readonly Param[] = []): RawBuilder<R> {
  const fragments = text.split('?');
  if (fragments.length !== params.length + 1) {
    throw new Error(`SQL has ${fragments.length - 1} value slots but ${params.length} values were given: ${text.slice(0, 80)}`);
  }
  // A template's strings array is what `sql` reads; this one is built at run time.
  return sql<R>(Object.assign(fragments, { raw: fragments }) as unknown as TemplateStringsArray, ...params);
}

export async function run(db: Handle, text: string, params: readonly Param[] = []): Promise<void> {
  await portableSql(text, params).execute(db as Kysely<unknown>);
}

export async function all<R>(db: Handle, text: string, params: readonly Param[] = []): Promise<R[]> {
  const result = await portableSql<R>(text, params).execute(db as Kysely<unknown>);
  return result.rows;
}
