// Copies what the dashboards read from a seeded SQLite store into a PostgreSQL schema, so
// `bench -- dashboards --store postgres` measures the same history on both engines. Rows go
// over in batches through `insert … select * from unnest($1::type[], …)` (one round trip per
// few thousand rows). The raw event log (sessions, session_events) is not copied: no
// dashboard or search query reads it.
import SQLite from 'better-sqlite3';
import pg from 'pg';

const TABLES = [
  'users', 'session_facts', 'agent_legs', 'agent_day', 'presence_day', 'queue_day', 'wait_day', 'reason_day', 'intent_day', 'gap_day',
  'knowledge_gaps', 'agent_presence_log', 'agent_presence_current', 'callbacks', 'qa_scorecards', 'qa_scores', 'qa_comments', 'transcript_fts',
];
const BATCH = 5000;

export async function copyToPostgres(sqliteFile: string, url: string, schema: string, log: (line: string) => void): Promise<Record<string, number>> {
  const src = new SQLite(sqliteFile, { readonly: true });
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  const copied: Record<string, number> = {};
  try {
    for (const table of TABLES) {
      const cols = (
        await client.query<{ column_name: string; data_type: string }>(
          "select column_name, data_type from information_schema.columns where table_schema = $1 and table_name = $2 and is_generated = 'NEVER' order by ordinal_position",
          [schema, table],
        )
      ).rows;
      const names = cols.map((c) => c.column_name);
      const casts = cols.map((c, i) => `$${i + 1}::${c.data_type}[]`);
      const insert = `insert into ${table} (${names.join(', ')}) select * from unnest(${casts.join(', ')})`;
      const select = src.prepare(`select rowid as _r, ${names.join(', ')} from ${table} where rowid > ? order by rowid limit ${BATCH}`);
      await client.query(`truncate ${table} cascade`);
      let after = 0;
      let n = 0;
      await client.query('begin');
      for (;;) {
        const rows = select.all(after) as Array<Record<string, unknown>>;
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!._r as number;
        await client.query(insert, names.map((c) => rows.map((r) => r[c] ?? null)));
        n += rows.length;
        if (n % 200_000 < BATCH) log(`copy-to-postgres: ${table} ${n} rows`);
      }
      await client.query('commit');
      copied[table] = n;
    }
    // Identities continue after the copied ids.
    for (const [table, col] of [['session_facts', 'sid'], ['agent_presence_log', 'id']] as const) {
      await client.query(`select setval(pg_get_serial_sequence('${table}', '${col}'), greatest((select max(${col}) from ${table}), 1))`);
    }
    await client.query('analyze');
  } finally {
    src.close();
    await client.end();
  }
  return copied;
}
