// PostgreSQL for tests: every suite gets its own fresh schema on the machine's server (CI
// starts it; see .ci/run), so parallel runs and other helpers' runs never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applicationName, openDatabase, type SwitchboardDb } from '../../src/store/database';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  url: string;
  schema: string;
  /** Opens the store in this schema (migrating it on first open). */
  open(poolSize?: number): Promise<SwitchboardDb>;
  drop(): Promise<void>;
}

export async function freshSchema(prefix = 't'): Promise<TestSchema> {
  const schema = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    url: TEST_DATABASE_URL,
    schema,
    open: (poolSize) => openDatabase({ url: TEST_DATABASE_URL, schema, ...(poolSize !== undefined ? { poolSize } : {}) }),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        // A backend process killed mid-query leaves its server session running until the
        // query ends; those sessions must not hold the drop up.
        await client.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [
          applicationName(schema),
        ]);
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
