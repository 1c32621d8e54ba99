// Versioned schema migrations. Each migration runs once, in order, inside Kysely's
// migrator (which records what ran in its own table), so an old data directory is
// brought up to date on start and never rebuilt.
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { analyticsMigrations } from '../analytics/migrations';

const migrations: Record<string, Migration> = {
  '0001_sessions_and_events': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('caller_id', 'text', (c) => c.notNull())
        .addColumn('caller_name', 'text')
        .addColumn('customer_id', 'text')
        .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('escalation_reason', 'text')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('sessions_started_at').on('sessions').column('started_at').execute();
      await db.schema.createIndex('sessions_customer').on('sessions').column('customer_id').execute();
      await db.schema
        .createTable('session_events')
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('session_events_pk', ['session_id', 'seq'])
        .execute();
      await db.schema
        .createTable('session_agents')
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('joined_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('session_agents_pk', ['session_id', 'user_id'])
        .execute();
      await db.schema.createIndex('session_agents_user').on('session_agents').column('user_id').execute();
    },
  },
  '0002_users_and_tokens': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('auth_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0003_crm': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('customers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('zip', 'text')
        .addColumn('dob', 'text')
        .addColumn('tier', 'text', (c) => c.notNull().defaultTo('standard'))
        .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.createIndex('customers_phone').on('customers').column('phone').execute();
      await db.schema
        .createTable('orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('item', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('eta', 'text')
        .addColumn('total', 'double precision', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('orders_customer').on('orders').column('customer_id').execute();
      await db.schema
        .createTable('tickets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tickets_customer').on('tickets').column('customer_id').execute();
      await db.schema
        .createTable('callbacks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text')
        .addColumn('session_id', 'text')
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text')
        .execute();
      await db.schema
        .createTable('knowledge_articles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Human-readable ids (T-1001, CB-1001) come from named counters.
      await db.schema
        .createTable('sequences')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`select 1`.execute(db);
    },
  },
  '0004_agent_teams_and_skills': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('team', 'text', (c) => c.notNull().defaultTo('default')).execute();
      await db.schema.alterTable('users').addColumn('skills', 'text', (c) => c.notNull().defaultTo('["general"]')).execute();
    },
  },
  // Named after the analytics migrations (1001_, 1002_): Kysely refuses a new migration that
  // sorts before one already applied, which would stop every existing data directory.
  '1003_call_claims': {
    // One agent per queue entry of a call, whichever backend routed it (issue 16: an accept
    // is atomic across instances).
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('call_claims')
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('entry', 'integer', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('call_claims_pk', ['session_id', 'entry'])
        .execute();
    },
  },
  '1004_agent_languages': {
    // Languages an agent speaks, the first their working language (issue 13: routing by
    // language, translation for agents). Empty: the deployment's default language.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
  },
  '1005_session_instance': {
    // Which backend holds each call (its media): work on the call goes there, and crash
    // recovery in a cluster closes only sessions of backends that are gone (issue 16).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('sessions').addColumn('instance_id', 'text').execute();
    },
  },
  '1008_article_questions': {
    // Example caller questions of an article imported into the CRM (front matter `questions:`
    // of a shipped article): the knowledge base reads each as one more title (issue 14).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('knowledge_articles').addColumn('questions', 'text').execute();
    },
  },
  '1009_article_not_answered': {
    // Near misses an article does not answer (front matter `notAnswered:`), kept with an
    // imported article so the knowledge base still declines them (issue 14).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('knowledge_articles').addColumn('not_answered', 'text').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return { ...migrations, ...analyticsMigrations };
  },
};
