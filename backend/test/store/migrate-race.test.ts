// Opening a PostgreSQL store while other tenants' schemas come and go on the same database:
// Kysely's migrator read every schema's catalog, and a schema dropped during that read made
// the open fail with "schema … does not exist" (seen as a rare test flake; this reproduced it
// every time). The store's catalog reader now looks at its own schema only.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { freshSchema, TEST_DATABASE_URL } from '../support/postgres';

describe('opening stores while other schemas are dropped', () => {
  it('opens every store although other tenants drop their schemas meanwhile', async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    let churning = true;
    const prefix = `churn_${process.pid}_`;
    const churn = (async () => {
      for (let i = 0; churning; i++) {
        await admin.query(`create schema ${prefix}${i}; create table ${prefix}${i}.t (id serial primary key, a text, b text, c text)`);
        await admin.query(`drop schema ${prefix}${i} cascade`);
      }
    })();
    try {
      for (let i = 0; i < 6; i++) {
        const schema = await freshSchema('race');
        const db = await schema.open();
        // Migrated: its tables are there.
        expect((await db.selectFrom('sessions').select('id').execute()).length).toBe(0);
        await db.destroy();
        await schema.drop();
      }
    } finally {
      churning = false;
      await churn;
      await admin.end();
    }
  }, 120_000);
});
