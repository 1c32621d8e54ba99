// `npm run migrate`: brings the configured store (SQLite in DATA_DIR, or PostgreSQL with
// STORE=postgres and DATABASE_URL) up to the latest schema and says which migrations it has.
// Backends also migrate on start; run this first when several start at once or to check a
// backup restores cleanly. Safe to run again: each migration runs once.
import { ConfigError, loadConfig } from '../backend/src/config/config';
import { storeLocation } from '../backend/src/runtime/services';
import { describeUrl, openDatabase } from '../backend/src/store/database';

async function main(): Promise<void> {
  const config = loadConfig();
  const location = storeLocation(config);
  const where = 'url' in location ? describeUrl(location.url) : location.filename;
  const db = await openDatabase(location);
  try {
    const applied = await db
      .selectFrom('kysely_migration' as never)
      .select(['name' as never, 'timestamp' as never])
      .orderBy('name' as never)
      .execute();
    console.log(`${where}: schema is current (${applied.length} migrations applied).`);
    for (const m of applied as Array<{ name: string; timestamp: string }>) console.log(`  ${m.name}  ${m.timestamp}`);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `migrate: ${(err as Error).message}`);
  process.exit(1);
});
