// Sessions and their append-only event log. An event is committed to the database before
// any listener hears of it (nothing is fanned out that a restart could lose), and each
// session's events carry a gapless sequence number that clients resume from.
import { randomUUID } from 'node:crypto';
import type { SessionSummary } from '../../../contracts/api';
import type { ConversationState, EscalationReason, SessionChannel } from '../../../contracts/conversation';
import type { AnySessionEvent, SessionEvent, SessionEventPayloads, SessionEventType } from '../../../contracts/events';
import { redactDeep } from '../policy/redaction';
import type { SwitchboardDb } from './database';
import type { SessionsTable } from './schema';

export interface NewSession {
  id?: string;
  channel: SessionChannel;
  callerId: string;
  callerName?: string | null;
  startedAt?: Date;
  /** Outbound calls start with a person: 'agent'. Everything else starts with the AI. */
  state?: ConversationState;
}

export interface SessionPatch {
  state?: ConversationState;
  customerId?: string | null;
  verified?: boolean;
  escalationReason?: EscalationReason | null;
  endedAt?: Date | null;
}

export interface SessionQuery {
  limit: number;
  offset?: number;
  /** Only sessions this agent handled. */
  agentId?: string;
  /** Only sessions any of these agents handled (a lead's team); empty means none. */
  agentIds?: readonly string[];
}

export type EventListener = (event: AnySessionEvent) => void;

/** An event to log, not yet numbered. */
export type PendingEvent = { [T in SessionEventType]: { type: T; data: SessionEventPayloads[T] } }[SessionEventType];

/** An agent taking a call: the claim and what it changes, written as one transaction. */
export interface CallTake {
  sessionId: string;
  agentId: string;
  /** Logged in this order after the claim (the accept, the state changes). */
  events?: readonly PendingEvent[];
  /** The session's state once taken. */
  state?: ConversationState;
  at?: Date;
}

/** The port every store adapter implements (SQLite now, PostgreSQL later). */
export interface SessionStore {
  createSession(input: NewSession): Promise<SessionSummary>;
  updateSession(id: string, patch: SessionPatch): Promise<void>;
  addSessionAgent(sessionId: string, userId: string, at?: Date): Promise<void>;
  /** Every adapter masks the payload with `redactDeep` (policy/redaction.ts) before writing it. */
  appendEvent<T extends SessionEventType>(
    sessionId: string,
    type: T,
    data: SessionEventPayloads[T],
    at?: Date,
  ): Promise<SessionEvent<T>>;
  getSession(id: string): Promise<SessionSummary | undefined>;
  listEvents(sessionId: string, afterSeq?: number): Promise<AnySessionEvent[]>;
  listSessions(query: SessionQuery): Promise<SessionSummary[]>;
  wasHandledBy(sessionId: string, userId: string): Promise<boolean>;
  /** The caller's most recent other session started since `since` (call-back resume). */
  latestSessionOf(callerId: string, since: Date, exceptId: string): Promise<SessionSummary | undefined>;
  /** Hear every event after it is committed. Returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  /**
   * Claims the call's current queue entry (its count of `queue.entered` events) for this
   * agent and, in the same transaction, adds the agent to the session, logs the take's
   * events and sets its state. Atomic in the database, so across backends: undefined (and
   * nothing written) when another agent holds the entry; else the events as logged.
   */
  takeCall(take: CallTake): Promise<AnySessionEvent[] | undefined>;
}

export class SqlSessionStore implements SessionStore {
  readonly #db: SwitchboardDb;
  readonly #listeners = new Set<EventListener>();

  readonly #instanceId: string | null;

  /** `instanceId`: the backend this store serves in a cluster; every session it opens records it. */
  constructor(db: SwitchboardDb, opts: { instanceId?: string } = {}) {
    this.#db = db;
    this.#instanceId = opts.instanceId ?? null;
  }

  async createSession(input: NewSession): Promise<SessionSummary> {
    const row: SessionsTable = {
      id: input.id ?? randomUUID(),
      channel: input.channel,
      caller_id: input.callerId,
      caller_name: input.callerName ?? null,
      customer_id: null,
      verified: 0,
      state: input.state ?? 'ai',
      escalation_reason: null,
      started_at: (input.startedAt ?? new Date()).toISOString(),
      ended_at: null,
      last_seq: 0,
    };
    await this.#db.insertInto('sessions').values(this.#instanceId ? { ...row, instance_id: this.#instanceId } : row).execute();
    return toSummary(row, []);
  }

  async updateSession(id: string, patch: SessionPatch): Promise<void> {
    const values: Partial<SessionsTable> = {};
    if (patch.state !== undefined) values.state = patch.state;
    if (patch.customerId !== undefined) values.customer_id = patch.customerId;
    if (patch.verified !== undefined) values.verified = patch.verified ? 1 : 0;
    if (patch.escalationReason !== undefined) values.escalation_reason = patch.escalationReason;
    if (patch.endedAt !== undefined) values.ended_at = patch.endedAt ? patch.endedAt.toISOString() : null;
    if (Object.keys(values).length === 0) return;
    await this.#db.updateTable('sessions').set(values).where('id', '=', id).execute();
  }

  async addSessionAgent(sessionId: string, userId: string, at = new Date()): Promise<void> {
    await this.#db
      .insertInto('session_agents')
      .values({ session_id: sessionId, user_id: userId, joined_at: at.toISOString() })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async appendEvent<T extends SessionEventType>(
    sessionId: string,
    type: T,
    data: SessionEventPayloads[T],
    at = new Date(),
  ): Promise<SessionEvent<T>> {
    // Last line of defence: no card number or SSN is written, indexed or fanned out, whichever
    // writer forgot to mask it (see policy/redaction.ts for the earlier choke points).
    data = redactDeep(data);
    const event = await this.#db.transaction().execute(async (trx) => {
      const bumped = await trx
        .updateTable('sessions')
        .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
        .where('id', '=', sessionId)
        .returning('last_seq')
        .executeTakeFirst();
      if (!bumped) throw new Error(`Session ${sessionId} does not exist; create it before logging events.`);
      const stored: SessionEvent<T> = { sessionId, seq: bumped.last_seq, type, at: at.toISOString(), data };
      await trx
        .insertInto('session_events')
        .values({ session_id: sessionId, seq: stored.seq, type, at: stored.at, data: JSON.stringify(data) })
        .execute();
      return stored;
    });
    this.#fanOut(event as unknown as AnySessionEvent);
    return event;
  }

  /** Tells every listener of a committed event. */
  #fanOut(event: AnySessionEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        // A faulty subscriber must not undo a committed event or starve the others.
        console.error(`session event listener failed on ${event.type}:`, err);
      }
    }
  }

  async getSession(id: string): Promise<SessionSummary | undefined> {
    const row = await this.#db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const agents = await this.#db
      .selectFrom('session_agents')
      .select('user_id')
      .where('session_id', '=', id)
      .orderBy('joined_at')
      .execute();
    return toSummary(
      row,
      agents.map((a) => a.user_id),
    );
  }

  async listEvents(sessionId: string, afterSeq = 0): Promise<AnySessionEvent[]> {
    const rows = await this.#db
      .selectFrom('session_events')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .execute();
    return rows.map(
      (r) =>
        ({ sessionId: r.session_id, seq: r.seq, type: r.type, at: r.at, data: JSON.parse(r.data) }) as AnySessionEvent,
    );
  }

  async listSessions(query: SessionQuery): Promise<SessionSummary[]> {
    let q = this.#db.selectFrom('sessions').selectAll('sessions');
    if (query.agentId !== undefined) {
      const agentId = query.agentId;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('session_agents')
            .select('session_agents.session_id')
            .whereRef('session_agents.session_id', '=', 'sessions.id')
            .where('session_agents.user_id', '=', agentId),
        ),
      );
    }
    if (query.agentIds !== undefined) {
      if (query.agentIds.length === 0) return [];
      const agentIds = [...query.agentIds];
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('session_agents')
            .select('session_agents.session_id')
            .whereRef('session_agents.session_id', '=', 'sessions.id')
            .where('session_agents.user_id', 'in', agentIds),
        ),
      );
    }
    const rows = await q
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit)
      .offset(query.offset ?? 0)
      .execute();
    if (rows.length === 0) return [];
    const agents = await this.#db
      .selectFrom('session_agents')
      .select(['session_id', 'user_id'])
      .where(
        'session_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('joined_at')
      .execute();
    return rows.map((r) =>
      toSummary(
        r,
        agents.filter((a) => a.session_id === r.id).map((a) => a.user_id),
      ),
    );
  }

  async latestSessionOf(callerId: string, since: Date, exceptId: string): Promise<SessionSummary | undefined> {
    const row = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('started_at', '>=', since.toISOString())
      .where('caller_id', '=', callerId)
      .where('id', '!=', exceptId)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toSummary(row, []) : undefined;
  }

  async wasHandledBy(sessionId: string, userId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('session_agents')
      .select('user_id')
      .where('session_id', '=', sessionId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async takeCall({ sessionId, agentId, events = [], state, at = new Date() }: CallTake): Promise<AnySessionEvent[] | undefined> {
    // One transaction instead of a round trip per write: in a cluster the agent waits for
    // all of them, and each is a trip to the database server.
    const logged = await this.#db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('call_claims')
        .values((eb) => ({
          session_id: sessionId,
          entry: eb.selectFrom('session_events').select(eb.fn.countAll<number>().as('n')).where('session_id', '=', sessionId).where('type', '=', 'queue.entered'),
          agent_id: agentId,
          claimed_at: at.toISOString(),
        }))
        .onConflict((oc) => oc.columns(['session_id', 'entry']).doNothing())
        .returning('agent_id')
        .executeTakeFirst();
      if (!claimed) return undefined;
      const bumped = await trx
        .updateTable('sessions')
        .set((eb) => ({ last_seq: eb('last_seq', '+', events.length), ...(state ? { state } : {}) }))
        .where('id', '=', sessionId)
        .returning('last_seq')
        .executeTakeFirst();
      if (!bumped) throw new Error(`Session ${sessionId} does not exist; create it before an agent takes it.`);
      await trx.insertInto('session_agents').values({ session_id: sessionId, user_id: agentId, joined_at: at.toISOString() }).onConflict((oc) => oc.doNothing()).execute();
      const first = bumped.last_seq - events.length + 1;
      const stored = events.map(
        (e, i) => ({ sessionId, seq: first + i, type: e.type, at: at.toISOString(), data: redactDeep(e.data) }) as AnySessionEvent,
      );
      if (stored.length > 0) {
        await trx
          .insertInto('session_events')
          .values(stored.map((e) => ({ session_id: sessionId, seq: e.seq, type: e.type, at: e.at, data: JSON.stringify(e.data) })))
          .execute();
      }
      return stored;
    });
    for (const event of logged ?? []) this.#fanOut(event);
    return logged;
  }
}

function toSummary(row: SessionsTable, agentIds: string[]): SessionSummary {
  return {
    id: row.id,
    channel: row.channel as SessionChannel,
    callerId: row.caller_id,
    callerName: row.caller_name,
    customerId: row.customer_id,
    verified: row.verified === 1,
    state: row.state as ConversationState,
    escalationReason: row.escalation_reason as EscalationReason | null,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    agentIds,
  };
}
