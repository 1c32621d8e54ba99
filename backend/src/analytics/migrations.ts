// The analytics schema: one fact row per session, one row per agent leg, per-day rollups
// kept incrementally (so dashboards read a few hundred rows whatever the history size), the
// presence log for occupancy, knowledge gaps, QA tables and the transcript full-text index.
// Names start at 1001_ so they sort after the store's own migrations when merged into one
// provider.
//
// One set of migrations for SQLite and PostgreSQL: the DDL is portable except identity
// columns and the transcript index, which `transcript-index.ts` owns (FTS5 on SQLite, a
// tsvector column with a GIN index on PostgreSQL). Fractions are `double precision`
// (REAL affinity on SQLite; PostgreSQL's `real` would round them to 6 digits).
import type { ColumnDefinitionBuilder, Kysely, Migration } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../store/dialect';
import { createTranscriptIndexTable } from './transcript-index';

/** An integer primary key numbered by the database: AUTOINCREMENT on SQLite, an identity on PostgreSQL. */
function numberedKey(db: Kysely<unknown>): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return dialectOf(db) === 'postgres' ? (c) => c.primaryKey().generatedByDefaultAsIdentity() : (c) => c.primaryKey().autoIncrement();
}

export const analyticsMigrations: Record<string, Migration> = {
  '1001_analytics_facts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('session_facts')
        // A dense integer id in start order: the full-text rowid is sid * 4096 + seq, so
        // "newest matching sessions first" is a rowid-descending walk of the index.
        .addColumn('sid', 'integer', numberedKey(db))
        .addColumn('session_id', 'text', (c) => c.notNull().unique())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('caller_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('caller_name', 'text')
        .addColumn('agent_id', 'text')
        .addColumn('team', 'text')
        .addColumn('queue', 'text')
        .addColumn('escalated', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reason', 'text')
        .addColumn('intent', 'text')
        .addColumn('queued_at', 'text')
        .addColumn('accepted_at', 'text')
        .addColumn('wait_ms', 'integer')
        .addColumn('talk_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('hold_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('wrap_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('handled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('contained', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('abandoned', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('callback', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('transferred_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('disposition', 'text')
        .addColumn('sentiment_start', 'double precision')
        .addColumn('sentiment_end', 'double precision')
        .addColumn('sentiment', 'text')
        .addColumn('suggestions_shown', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('suggestions_used', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('has_recording', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('csat', 'integer')
        .execute();
      await db.schema.createIndex('session_facts_started').on('session_facts').column('started_at').execute();
      await db.schema.createIndex('session_facts_agent').on('session_facts').columns(['agent_id', 'started_at']).execute();
      await db.schema.createIndex('session_facts_team').on('session_facts').columns(['team', 'started_at']).execute();

      await db.schema
        .createTable('agent_legs')
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('leg', 'integer', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('team', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('accepted_at', 'text', (c) => c.notNull())
        .addColumn('talk_ms', 'integer', (c) => c.notNull())
        .addColumn('hold_ms', 'integer', (c) => c.notNull())
        .addColumn('wrap_ms', 'integer')
        .addColumn('transferred_out', 'integer', (c) => c.notNull())
        .addColumn('sentiment_start', 'double precision')
        .addColumn('sentiment_end', 'double precision')
        .addColumn('suggestions_shown', 'integer', (c) => c.notNull())
        .addColumn('suggestions_used', 'integer', (c) => c.notNull())
        .addColumn('disposition', 'text')
        .addColumn('csat', 'integer')
        .addPrimaryKeyConstraint('agent_legs_pk', ['session_id', 'leg'])
        .execute();
      await db.schema.createIndex('agent_legs_agent').on('agent_legs').columns(['agent_id', 'session_id']).execute();

      // Rollups: counters only, so a late event is applied as (new contribution − old).
      await db.schema
        .createTable('agent_day')
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('talk_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('hold_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('wrap_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('wrap_n', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('transfers', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('shown', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('used', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sent_start_sum', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('sent_start_n', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sent_end_sum', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('sent_end_n', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('csat_sum', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('csat_n', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('agent_day_pk', ['agent_id', 'day'])
        .execute();
      await db.schema
        .createTable('presence_day')
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('available_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('on_call_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('wrap_up_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('away_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('presence_day_pk', ['agent_id', 'day'])
        .execute();
      await db.schema
        .createTable('queue_day')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('team', 'text', (c) => c.notNull())
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('sessions', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('contained', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('escalated', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('queued', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('answered', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('wait_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('abandoned', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('callbacks', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('transfers', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('queue_day_pk', ['day', 'team', 'queue'])
        .execute();
      // Answered calls by whole seconds waited (capped at 600), so any SLA threshold is a prefix sum.
      await db.schema
        .createTable('wait_day')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('team', 'text', (c) => c.notNull())
        .addColumn('wait_s', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('wait_day_pk', ['day', 'team', 'wait_s'])
        .execute();
      await db.schema
        .createTable('reason_day')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('team', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('reason_day_pk', ['day', 'team', 'reason'])
        .execute();
      await db.schema
        .createTable('intent_day')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('team', 'text', (c) => c.notNull())
        .addColumn('intent', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('intent_day_pk', ['day', 'team', 'intent'])
        .execute();
      await db.schema
        .createTable('gap_day')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('gap_day_pk', ['day', 'signature'])
        .execute();
      await db.schema
        .createTable('knowledge_gaps')
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('knowledge_gaps_pk', ['session_id', 'seq'])
        .execute();
      await db.schema.createIndex('knowledge_gaps_signature').on('knowledge_gaps').columns(['signature', 'at']).execute();

      await db.schema
        .createTable('agent_presence_log')
        .addColumn('id', 'integer', numberedKey(db))
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('presence', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('agent_presence_log_agent').on('agent_presence_log').columns(['agent_id', 'at']).execute();
      await db.schema
        .createTable('agent_presence_current')
        .addColumn('agent_id', 'text', (c) => c.primaryKey())
        .addColumn('presence', 'text', (c) => c.notNull())
        .addColumn('since', 'text', (c) => c.notNull())
        .execute();

      await createTranscriptIndexTable(db);
      // Callbacks are counted by creation day for "callbacks completed".
      await sql`create index if not exists callbacks_created_at on callbacks (created_at)`.execute(db);
    },
  },
  '1002_analytics_qa': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('qa_scorecards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('criteria', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema
        .createTable('qa_scores')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('team', 'text')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('reviewer_id', 'text', (c) => c.notNull())
        .addColumn('scorecard_id', 'text', (c) => c.notNull())
        .addColumn('scores', 'text', (c) => c.notNull())
        .addColumn('total', 'double precision', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('qa_scores_session').on('qa_scores').column('session_id').execute();
      await db.schema.createIndex('qa_scores_agent').on('qa_scores').columns(['agent_id', 'day']).execute();
      await db.schema
        .createTable('qa_comments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('qa_comments_session').on('qa_comments').columns(['session_id', 'seq']).execute();
    },
  },
  // Numbered after the store's 1003–1005 (one sequence over both files).
  '1006_session_facts_day_sid': {
    // Transcript search bounds its walk by the lowest and highest sid started in the range:
    // two index probes per day on (day, sid). min/max over a started_at range read every
    // session of the range (PostgreSQL: ~1 s for 30 days at a million sessions).
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('session_facts_day_sid').on('session_facts').columns(['day', 'sid']).execute();
    },
  },
  '1007_session_events_ai_usage': {
    // Model usage on the AI & queue view reads only `ai.usage` events: a partial index finds
    // them by time instead of reading every event of every session in the range (18 s at p95
    // for 90 days at a million sessions on SQLite).
    async up(db: Kysely<unknown>) {
      await sql`create index session_events_ai_usage on session_events (at) where type = 'ai.usage'`.execute(db);
    },
  },
};
