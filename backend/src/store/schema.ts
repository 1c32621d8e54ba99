// The relational schema every store adapter speaks: Kysely table types shared by the
// SQLite adapter today and a PostgreSQL adapter later. JSON columns are stored as text.
import type { Generated } from 'kysely';

export interface SessionsTable {
  id: string;
  channel: string;
  caller_id: string;
  caller_name: string | null;
  customer_id: string | null;
  verified: number;
  state: string;
  escalation_reason: string | null;
  started_at: string;
  ended_at: string | null;
  /** The last sequence number handed out; events take last_seq + 1 inside one transaction. */
  last_seq: number;
  /** The backend holding the call (BUS=nats); null on a lone backend. */
  instance_id?: string | null;
}

export interface SessionEventsTable {
  session_id: string;
  seq: number;
  type: string;
  at: string;
  data: string;
}

export interface SessionAgentsTable {
  session_id: string;
  user_id: string;
  joined_at: string;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  active: number;
  created_at: string;
  team: Generated<string>;
  skills: Generated<string>;
  /** JSON array of locales, the first the working language. */
  languages: Generated<string>;
}

export interface AuthTokensTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface CustomersTable {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  zip: string | null;
  dob: string | null;
  tier: string;
  notes: string;
}

export interface OrdersTable {
  id: string;
  customer_id: string;
  item: string;
  status: string;
  eta: string | null;
  total: number;
}

export interface TicketsTable {
  id: string;
  customer_id: string;
  subject: string;
  status: string;
  created_at: string;
}

export interface CallbacksTable {
  id: string;
  customer_id: string | null;
  session_id: string | null;
  phone: string;
  reason: string;
  status: string;
  created_at: string;
  due_at: string | null;
}

export interface KnowledgeArticlesTable {
  id: string;
  title: string;
  body: string;
  tags: string;
  /** JSON array of example caller questions; null when the article has none. */
  questions: string | null;
  /** JSON array of near-miss questions the article does not answer; null when none. */
  not_answered: string | null;
  updated_at: string;
}

export interface SequencesTable {
  name: string;
  value: Generated<number>;
}

/** Who took each queue entry of a call: at most one agent, enforced by the primary key. */
export interface CallClaimsTable {
  session_id: string;
  entry: number;
  agent_id: string;
  claimed_at: string;
}

export interface Database {
  sessions: SessionsTable;
  session_events: SessionEventsTable;
  session_agents: SessionAgentsTable;
  users: UsersTable;
  auth_tokens: AuthTokensTable;
  customers: CustomersTable;
  orders: OrdersTable;
  tickets: TicketsTable;
  callbacks: CallbacksTable;
  knowledge_articles: KnowledgeArticlesTable;
  sequences: SequencesTable;
  call_claims: CallClaimsTable;
}
