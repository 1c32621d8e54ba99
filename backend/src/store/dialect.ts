// Which SQL dialect a database handle speaks. Almost every query is portable; the few that
// are not (full-text search, identity columns) ask here and branch in one place.
import { PostgresAdapter, type Kysely } from 'kysely';

export type StoreDialect = 'sqlite' | 'postgres';

/** Works on a database, a transaction on it, or the untyped handle migrations get. */
export function dialectOf(db: Pick<Kysely<unknown>, 'getExecutor'>): StoreDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
