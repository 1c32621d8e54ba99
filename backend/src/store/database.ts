// Opens the embedded SQLite database (a file in DATA_DIR, or memory for isolated runs such
// as scenarios and tests) and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export type SwitchboardDb = Kysely<Database>;

export interface OpenDatabaseOptions {
  /** A file path, or ':memory:' for an isolated throwaway store. */
  filename: string;
}

export async function openDatabase({ filename }: OpenDatabaseOptions): Promise<SwitchboardDb> {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const sqlite = new SQLite(filename);
  // WAL keeps readers (dashboards) from blocking the writer (live calls); NORMAL sync is
  // durable across process crashes, which is the restart guarantee we give.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    await db.destroy();
    throw new Error(
      `Database migration ${failed} failed for ${filename}: ${String(error)}. ` +
        'Restore the data directory from a backup or point DATA_DIR at an empty folder.',
    );
  }
  return db;
}
