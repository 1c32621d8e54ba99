// Sessions and their append-only event log. An event is committed to the database before
// any listener hears of it (nothing is fanned out that a restart could lose), and each
// session's events carry a gapless sequence number that clients resume from.
import { randomUUID } from 'node:crypto';
import type { SessionSummary } from '../../../contracts/api';
import type { ConversationState, EscalationReason, SessionChannel } from '../../../contracts/conversation';
import type { AnySessionEvent, SessionEvent, SessionEventPayloads, SessionEventType } from '../../../contracts/events';
import { sql } from 'kysely';
import { redactDeep } from '../policy/redaction';
import { dialectOf } from './dialect';
import { isConnectionLoss, OutageSpool, type SpooledWrite } from './outage-spool';
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
  /** False while the database is lost (PostgreSQL at run time): new calls wait, live ones go on. */
  readonly reachable: boolean;
  /** Live calls' writes waiting for a lost database. */
  readonly waitingWrites: number;
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

/** Sessions whose last sequence number is remembered (for writes that must wait out an outage); the oldest go first. */
const SEQS_REMEMBERED = 20_000;

export class SqlSessionStore implements SessionStore {
  readonly #db: SwitchboardDb;
  readonly #listeners = new Set<EventListener>();

  readonly #instanceId: string | null;
  /** A live session's last sequence number as this backend wrote or spooled it. */
  readonly #lastSeq = new Map<string, number>();
  /** Live calls' writes waiting for a lost database (see outage-spool.ts). */
  readonly #spool: OutageSpool;
  #reachable = true;

  /** `instanceId`: the backend this store serves in a cluster; every session it opens records it. */
  constructor(db: SwitchboardDb, opts: { instanceId?: string; spoolRetryMs?: number } = {}) {
    this.#db = db;
    this.#instanceId = opts.instanceId ?? null;
    this.#spool = new OutageSpool({
      write: (sessionId, write) => this.#writeSpooled(sessionId, write),
      written: (event) => {
        this.#reached();
        this.#fanOut(event);
      },
      ...(opts.spoolRetryMs !== undefined ? { retryMs: opts.spoolRetryMs } : {}),
    });
  }

  /**
   * False from a lost connection to the database until a write reaches it again: new calls
   * wait meanwhile, calls in progress go on (their writes wait in the spool).
   */
  get reachable(): boolean {
    return this.#reachable;
  }

  /** Writes still waiting for the database. */
  get waitingWrites(): number {
    return this.#spool.size;
  }

  /** Asks the database whether it answers (readiness, and the recovery of `reachable`). */
  async probe(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.#db);
      this.#reached();
      if (this.#spool.size > 0) await this.#spool.flush();
      return true;
    } catch (err) {
      if (isConnectionLoss(err)) this.#lost();
      return false;
    }
  }

  /** Ends the retries of waiting writes (shutdown). */
  close(): void {
    this.#spool.close();
  }

  #lost(): void {
    this.#reachable = false;
  }

  #reached(): void {
    this.#reachable = true;
  }

  #seen(sessionId: string, seq: number): void {
    this.#lastSeq.delete(sessionId);
    this.#lastSeq.set(sessionId, seq);
    if (this.#lastSeq.size > SEQS_REMEMBERED) this.#lastSeq.delete(this.#lastSeq.keys().next().value!);
  }

  /**
   * Runs a live session's write; when the database is lost (or the session already has writes
   * waiting) the write waits in the spool instead, and `spooled` says what to answer now.
   */
  async #orSpool<R>(sessionId: string, write: SpooledWrite, now: () => Promise<R>, spooled: () => R): Promise<R> {
    if (!this.#spool.holds(sessionId)) {
      try {
        const result = await now();
        this.#reached();
        return result;
      } catch (err) {
        // Only a session this backend is writing can go on without the database.
        if (!isConnectionLoss(err) || !this.#lastSeq.has(sessionId)) throw err;
        this.#lost();
      }
    }
    this.#spool.add(sessionId, write);
    return spooled();
  }

  async #writeSpooled(sessionId: string, write: SpooledWrite): Promise<AnySessionEvent | undefined> {
    switch (write.kind) {
      case 'event':
        return this.#insertEvent(sessionId, write.type, write.data, write.at);
      case 'patch':
        await this.#patch(sessionId, write.patch);
        return undefined;
      case 'agent':
        await this.#addAgent(sessionId, write.userId, write.at);
        return undefined;
    }
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
    try {
      await this.#db.insertInto('sessions').values(this.#instanceId ? { ...row, instance_id: this.#instanceId } : row).execute();
    } catch (err) {
      if (isConnectionLoss(err)) this.#lost();
      throw err;
    }
    this.#seen(row.id, 0);
    return toSummary(row, []);
  }

  updateSession(id: string, patch: SessionPatch): Promise<void> {
    return this.#orSpool(id, { kind: 'patch', patch }, () => this.#patch(id, patch), () => undefined);
  }

  async #patch(id: string, patch: SessionPatch): Promise<void> {
    const values: Partial<SessionsTable> = {};
    if (patch.state !== undefined) values.state = patch.state;
    if (patch.customerId !== undefined) values.customer_id = patch.customerId;
    if (patch.verified !== undefined) values.verified = patch.verified ? 1 : 0;
    if (patch.escalationReason !== undefined) values.escalation_reason = patch.escalationReason;
    if (patch.endedAt !== undefined) values.ended_at = patch.endedAt ? patch.endedAt.toISOString() : null;
    if (Object.keys(values).length === 0) return;
    await this.#db.updateTable('sessions').set(values).where('id', '=', id).execute();
  }

  addSessionAgent(sessionId: string, userId: string, at = new Date()): Promise<void> {
    return this.#orSpool(sessionId, { kind: 'agent', userId, at }, () => this.#addAgent(sessionId, userId, at), () => undefined);
  }

  async #addAgent(sessionId: string, userId: string, at: Date): Promise<void> {
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
    let waiting = false;
    const event = await this.#orSpool(
      sessionId,
      { kind: 'event', type, data, at },
      () => this.#insertEvent(sessionId, type, data, at),
      () => {
        // Waiting for the database: the call goes on with the event numbered after this
        // backend's last one for the session (the database numbers it again when it is
        // written: the same number unless another backend wrote to the session meanwhile).
        waiting = true;
        const seq = (this.#lastSeq.get(sessionId) ?? 0) + 1;
        this.#seen(sessionId, seq);
        return { sessionId, seq, type, at: at.toISOString(), data } as AnySessionEvent;
      },
    );
    // Listeners hear a waiting event once it is written, never before.
    if (!waiting) this.#fanOut(event);
    return event as unknown as SessionEvent<T>;
  }

  async #insertEvent(sessionId: string, type: SessionEventType, data: unknown, at: Date): Promise<AnySessionEvent> {
    const stored = await this.#db.transaction().execute(async (trx) => {
      const bumped = await trx
        .updateTable('sessions')
        .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
        .where('id', '=', sessionId)
        .returning('last_seq')
        .executeTakeFirst();
      if (!bumped) throw new Error(`Session ${sessionId} does not exist; create it before logging events.`);
      const event = { sessionId, seq: bumped.last_seq, type, at: at.toISOString(), data } as AnySessionEvent;
      await trx
        .insertInto('session_events')
        .values({ session_id: sessionId, seq: event.seq, type, at: event.at, data: JSON.stringify(data) })
        .execute();
      return event;
    });
    this.#seen(sessionId, stored.seq);
    return stored;
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
    // A session's waiting writes go first (if the database is back), so the log read is whole.
    if (this.#spool.holds(sessionId)) await this.#spool.flush(sessionId);
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
    if (this.#spool.holds(sessionId)) await this.#spool.flush(sessionId);
    if (this.#spool.holds(sessionId)) throw new Error('The database is unreachable, so the call cannot be handed over now; try again in a moment.');
    const data = events.map((e) => redactDeep(e.data));
    const firstSeq = dialectOf(this.#db) === 'postgres' ? await this.#takeInOneTrip(sessionId, agentId, events, data, state, at) : await this.#takeInTransaction(sessionId, agentId, events, data, state, at);
    const logged = firstSeq === undefined ? undefined : events.map((e, i) => ({ sessionId, seq: firstSeq + i, type: e.type, at: at.toISOString(), data: data[i] }) as AnySessionEvent);
    const last = logged?.at(-1);
    if (last) this.#seen(sessionId, last.seq);
    for (const event of logged ?? []) this.#fanOut(event);
    return logged;
  }

  /**
   * PostgreSQL: the whole take is one statement (data-modifying CTEs, atomic like a
   * transaction), so the agent waits for one round trip to the database instead of six. The
   * answer is the first logged event's number, or undefined when another agent holds the entry.
   */
  async #takeInOneTrip(sessionId: string, agentId: string, events: readonly PendingEvent[], data: unknown[], state: ConversationState | undefined, at: Date): Promise<number | undefined> {
    const when = at.toISOString();
    const { rows } = await sql<{ claimed: string | null; last_seq: number | null }>`
      with claim as (
        insert into call_claims (session_id, entry, agent_id, claimed_at)
        select ${sessionId}, (select count(*) from session_events where session_id = ${sessionId} and type = 'queue.entered'), ${agentId}, ${when}
        where exists (select 1 from sessions where id = ${sessionId})
        on conflict (session_id, entry) do nothing
        returning agent_id
      ), bumped as (
        update sessions set last_seq = last_seq + ${events.length}::int, state = coalesce(${state ?? null}::text, state)
        where id = ${sessionId} and exists (select 1 from claim)
        returning last_seq
      ), joined as (
        insert into session_agents (session_id, user_id, joined_at)
        select ${sessionId}, ${agentId}, ${when} where exists (select 1 from claim)
        on conflict do nothing
      ), logged as (
        insert into session_events (session_id, seq, type, at, data)
        select ${sessionId}, b.last_seq - ${events.length}::int + e.ord::int, e.type, ${when}, e.data
        from bumped b cross join unnest(${events.map((e) => e.type)}::text[], ${data.map((d) => JSON.stringify(d))}::text[]) with ordinality as e(type, data, ord)
      )
      select (select agent_id from claim) as claimed, (select last_seq from bumped) as last_seq`.execute(this.#db);
    const row = rows[0];
    if (row?.claimed == null || row.last_seq == null) {
      if (!(await this.#db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst())) {
        throw new Error(`Session ${sessionId} does not exist; create it before an agent takes it.`);
      }
      return undefined;
    }
    return row.last_seq - events.length + 1;
  }

  /** SQLite (no data-modifying CTEs): the same writes in one transaction, in-process and quick. */
  async #takeInTransaction(sessionId: string, agentId: string, events: readonly PendingEvent[], data: unknown[], state: ConversationState | undefined, at: Date): Promise<number | undefined> {
    const when = at.toISOString();
    return this.#db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('call_claims')
        .values((eb) => ({
          session_id: sessionId,
          entry: eb.selectFrom('session_events').select(eb.fn.countAll<number>().as('n')).where('session_id', '=', sessionId).where('type', '=', 'queue.entered'),
          agent_id: agentId,
          claimed_at: when,
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
      await trx.insertInto('session_agents').values({ session_id: sessionId, user_id: agentId, joined_at: when }).onConflict((oc) => oc.doNothing()).execute();
      const first = bumped.last_seq - events.length + 1;
      if (events.length > 0) {
        await trx
          .insertInto('session_events')
          .values(events.map((e, i) => ({ session_id: sessionId, seq: first + i, type: e.type, at: when, data: JSON.stringify(data[i]) })))
          .execute();
      }
      return first;
    });
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
