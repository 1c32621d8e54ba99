// Opens the store's database and brings its schema up to date. The embedded default is
// SQLite (a file in DATA_DIR, or memory for isolated runs such as scenarios and tests);
// STORE=postgres opens a PostgreSQL pool instead, for several backends sharing one store.
// Both run the same migrations (see migrations.ts) and the same queries.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect, type DatabaseIntrospector, type DatabaseMetadata, type SchemaMetadata, type TableMetadata } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export type SwitchboardDb = Kysely<Database>;

export { dialectOf, type StoreDialect } from './dialect';

export type OpenDatabaseOptions =
  /** A file path, or ':memory:' for an isolated throwaway store. */
  | { filename: string }
  /**
   * A PostgreSQL connection URL; `schema` puts every table in that schema (created when
   * missing), so test runs or tenants on one database never collide.
   */
  | { url: string; schema?: string; poolSize?: number };

export async function openDatabase(opts: OpenDatabaseOptions): Promise<SwitchboardDb> {
  if ('url' in opts) return openPostgres(opts.url, opts.schema, opts.poolSize ?? 10);
  const { filename } = opts;
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const sqlite = new SQLite(filename);
  // WAL keeps readers (dashboards) from blocking the writer (live calls); NORMAL sync is
  // durable across process crashes, which is the restart guarantee we give.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db, filename, 'Restore the data directory from a backup or point DATA_DIR at an empty folder.');
  return db;
}

/** The URL without its password, for messages and logs. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// Counts and sums come back as int8/numeric, which pg hands over as strings to protect
// precision; every such value here (counts, millisecond totals) fits a double.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/** How Switchboard's connections to one schema are named in pg_stat_activity. */
export function applicationName(schema: string | undefined): string {
  return schema === undefined ? 'switchboard' : `switchboard:${schema}`;
}

async function openPostgres(url: string, schema: string | undefined, poolSize: number): Promise<SwitchboardDb> {
  const where = describeUrl(url);
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`PostgreSQL schema "${schema}" is not a plain lower-case identifier; use letters, digits and _ only.`);
  }
  // Fail at once, naming the database, rather than on the first call.
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  let home: string;
  try {
    await probe.connect();
    if (schema !== undefined) await probe.query(`create schema if not exists ${schema}`);
    home = schema ?? (await probe.query<{ s: string }>('select current_schema() as s')).rows[0]!.s;
  } catch (err) {
    throw new Error(
      `PostgreSQL at ${where} is not reachable (${(err as Error).message}). Start the server, or fix DATABASE_URL, or unset STORE to use the embedded SQLite store.`,
    );
  } finally {
    await probe.end().catch(() => undefined);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Also how long a query waits for a free connection: a burst of appends queues rather
    // than failing an event write (a dead server still fails at once with a refused connect).
    connectionTimeoutMillis: 30_000,
    types: typeParsers,
    // Names this store's connections in pg_stat_activity (an operator, or a test tearing a
    // schema down, can tell them from other tenants' on the same server).
    application_name: applicationName(schema),
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query fails
  // with the reason and the pool reconnects when the server is back.
  // (Logged by each client's own listener below; the pool re-emits an idle client's error here.)
  pool.on('error', () => undefined);
  // The pool listens only to idle clients: one checked out (mid-transaction) that loses the
  // server would throw an unhandled 'error' and end the process. Its query fails with the reason.
  pool.on('connect', (client) => client.on('error', (err) => console.error(`PostgreSQL ${where}: connection lost: ${err.message}`)));
  const db = new Kysely<Database>({ dialect: new OwnSchemaDialect({ pool }, home) });
  // The migrator must look for its own tables in this schema only: by default it would find
  // another schema's on the same database and skip creating them here.
  await migrate(db, where, 'Restore the database from a backup or point DATABASE_URL at an empty database.', home);
  return db;
}

async function migrate(db: SwitchboardDb, where: string, remedy: string, tableSchema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, ...(tableSchema !== undefined ? { migrationTableSchema: tableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    await db.destroy();
    throw new Error(`Database migration ${failed} failed for ${where}: ${String(error)}. ${remedy}`);
  }
}

/**
 * PostgreSQL, with a catalog reader that looks at this store's schema only. Kysely's migrator
 * asks for every table on the database to find its own two: Kysely's reader then reads every
 * tenant's columns, which fails ("schema … does not exist") when another tenant drops its
 * schema at that moment, and grows with their number.
 */
class OwnSchemaDialect extends PostgresDialect {
  readonly #schema: string;

  constructor(config: ConstructorParameters<typeof PostgresDialect>[0], schema: string) {
    super(config);
    this.#schema = schema;
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db, this.#schema);
  }
}

class OwnSchemaIntrospector implements DatabaseIntrospector {
  constructor(
    readonly db: Kysely<unknown>,
    readonly schema: string,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${this.schema}`.execute(this.db);
    return rows;
  }

  /** The tables and views of this store's schema, without their columns (nothing here reads them). */
  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; kind: string }>`
      select c.relname as name, c.relkind as kind from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${this.schema} and c.relkind in ('r', 'p', 'v', 'm')`.execute(this.db);
    return rows.map((r) => ({ name: r.name, schema: this.schema, isView: r.kind === 'v' || r.kind === 'm', columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
