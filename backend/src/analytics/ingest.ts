// Keeps the analytics tables in step with the event log: it subscribes to the session store
// (events arrive after they are committed), indexes transcript lines for search as they are
// said, and when a session ends writes its fact row, agent legs and knowledge gaps and adds
// its contribution to the per-day rollups. An event that arrives for an already finished
// session (a late recording, a CSAT) re-derives the session and applies only the difference.
// It also owns the presence log, from which occupancy is computed.
//
// Work is serialized on one promise chain, so rollups see events in commit order.
import type { AnySessionEvent } from '../../../contracts/events';
import type { User, UserDirectory } from '../auth/users';
import type { SwitchboardDb } from '../store/database';
import type { SessionStore } from '../store/session-store';
import { all, run } from '../store/raw-sql';
import { FACT_COLUMNS, INSERT_GAP_SQL, INSERT_LEG_SQL, factParams, gapParams, legParams, UPSERT_FACT_SQL } from './fact-rows';
import { transcriptIndexFor } from './transcript-index';
import { contributions, DeltaSum, upsertSql } from './rollups';
import { analyzeSession, type SessionAnalysis } from './session-facts';
import { PRESENCE_COLUMNS, splitByDay, type PresenceName } from './presence';

// Kept here for existing importers; the helpers live with the store.
export { all, run } from '../store/raw-sql';

export class AnalyticsIngest {
  readonly #db: SwitchboardDb;
  readonly #store: SessionStore;
  readonly #teams = new Map<string, string>();
  /** Live sessions in the AI state, for the wallboard. */
  readonly #inAi = new Set<string>();
  readonly #changeListeners = new Set<() => void>();
  #chain: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | undefined;

  constructor(db: SwitchboardDb, store: SessionStore) {
    this.#db = db;
    this.#store = store;
  }

  /** Loads teams and the live AI set, then starts following the event log. */
  async start(users: UserDirectory): Promise<void> {
    for (const u of await users.list()) this.#teams.set(u.id, u.team);
    users.onChange((u: User) => this.#teams.set(u.id, u.team));
    const since = new Date(Date.now() - 86_400_000).toISOString();
    const live = await all<{ id: string }>(this.#db, "select id from sessions where started_at >= ? and state = 'ai' and ended_at is null", [since]);
    for (const r of live) this.#inAi.add(r.id);
    this.#unsubscribe = this.#store.subscribe((event) => this.#enqueue(() => this.#onEvent(event)));
  }

  /**
   * Stops following the event log and waits for the work already queued (a session being
   * derived, a presence change): the store may be closed once this resolves. Closing it
   * earlier failed that work with "driver has already been destroyed".
   */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.settle();
  }

  /** Hear that something a wallboard shows may have changed. */
  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  callsInAi(): number {
    return this.#inAi.size;
  }

  teamOf = (agentId: string): string => this.#teams.get(agentId) ?? 'default';

  /** Waits until every event heard so far is reflected in the tables (tests, shutdown). */
  async settle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.#chain;
      await seen;
    } while (seen !== this.#chain);
  }

  /**
   * Records an agent's presence change (the desk calls this on every routing presence
   * change). The interval that just closed is added, split at UTC midnight, to presence_day.
   */
  recordPresence(agentId: string, presence: PresenceName, at: Date = new Date()): Promise<void> {
    return this.#enqueue(async () => {
      const iso = at.toISOString();
      await run(this.#db, 'insert into agent_presence_log (agent_id, presence, at) values (?, ?, ?)', [agentId, presence, iso]);
      const [prev] = await all<{ presence: PresenceName; since: string }>(this.#db, 'select presence, since from agent_presence_current where agent_id = ?', [agentId]);
      if (prev) {
        const column = PRESENCE_COLUMNS[prev.presence];
        if (column) {
          for (const part of splitByDay(Date.parse(prev.since), at.getTime())) {
            await run(this.#db, `insert into presence_day (agent_id, day, ${column}) values (?, ?, ?) on conflict (agent_id, day) do update set ${column} = presence_day.${column} + excluded.${column}`, [agentId, part.day, part.ms]);
          }
        }
      }
      await run(this.#db, 'insert into agent_presence_current (agent_id, presence, since) values (?, ?, ?) on conflict (agent_id) do update set presence = excluded.presence, since = excluded.since', [agentId, presence, iso]);
      this.#changed();
    });
  }

  /** Derives any ended session that has no fact row yet (history from before analytics existed). */
  async backfill(batch = 500): Promise<number> {
    let done = 0;
    for (;;) {
      const rows = await all<{ id: string }>(this.#db, 'select s.id from sessions s where s.ended_at is not null and not exists (select 1 from session_facts f where f.session_id = s.id and f.ended_at is not null) limit ?', [batch]);
      if (rows.length === 0) return done;
      for (const r of rows) await this.#enqueue(() => this.#finish(r.id, undefined));
      done += rows.length;
    }
  }

  #enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(work).catch((err: unknown) => console.error('analytics ingest:', err));
    this.#chain = next;
    return next;
  }

  #changed(): void {
    for (const l of this.#changeListeners) l();
  }

  async #sidFor(sessionId: string): Promise<{ sid: number; ended: boolean }> {
    const [row] = await all<{ sid: number; ended_at: string | null }>(this.#db, 'select sid, ended_at from session_facts where session_id = ?', [sessionId]);
    if (row) return { sid: row.sid, ended: row.ended_at !== null };
    const [session] = await all<{ started_at: string; caller_id: string; caller_name: string | null }>(this.#db, 'select started_at, caller_id, caller_name from sessions where id = ?', [sessionId]);
    const startedAt = session?.started_at ?? new Date().toISOString();
    await run(this.#db, 'insert into session_facts (session_id, started_at, day, caller_id, caller_name) values (?, ?, ?, ?, ?) on conflict (session_id) do nothing', [
      sessionId, startedAt, startedAt.slice(0, 10), session?.caller_id ?? '', session?.caller_name ?? null,
    ]);
    const [created] = await all<{ sid: number }>(this.#db, 'select sid from session_facts where session_id = ?', [sessionId]);
    return { sid: created!.sid, ended: false };
  }

  async #onEvent(event: AnySessionEvent): Promise<void> {
    const { sid, ended } = await this.#sidFor(event.sessionId);
    let text: string | undefined;
    let speaker: 'caller' | 'ai' | 'agent' | undefined;
    if (event.type === 'ai.said') [text, speaker] = [event.data.text, 'ai'];
    else if (event.type === 'caller.said') [text, speaker] = [event.data.text, 'caller'];
    else if (event.type === 'transcript.final') [text, speaker] = [event.data.text, event.data.speaker];
    if (text !== undefined && speaker !== undefined) {
      await transcriptIndexFor(this.#db).addLine(this.#db, sid, { seq: event.seq, speaker, text });
    }
    if (event.type === 'session.started') {
      // A new call with the AI changes the wallboard: without this the feed stayed at 0 AI calls.
      this.#inAi.add(event.sessionId);
      this.#changed();
    }
    if (event.type === 'state.changed') {
      if (event.data.to === 'ai') this.#inAi.add(event.sessionId);
      else this.#inAi.delete(event.sessionId);
      this.#changed();
    }
    if (ended) {
      await this.#finish(event.sessionId, event.seq);
    } else if (event.type === 'session.ended') {
      this.#inAi.delete(event.sessionId);
      await this.#finish(event.sessionId, undefined);
      this.#changed();
    } else if (event.type === 'queue.entered' || event.type === 'agent.accepted') {
      this.#changed();
    }
  }

  /** (Re)derives a finished session; `lateSeq` is the event that changed it after it ended. */
  async #finish(sessionId: string, lateSeq: number | undefined): Promise<void> {
    const [session] = await all<{ started_at: string; caller_id: string; caller_name: string | null }>(this.#db, 'select started_at, caller_id, caller_name from sessions where id = ?', [sessionId]);
    const events = await this.#store.listEvents(sessionId);
    const meta = session ? { startedAt: session.started_at, callerId: session.caller_id, callerName: session.caller_name } : undefined;
    const analysis = analyzeSession(sessionId, events, this.teamOf, meta);
    const sum = new DeltaSum();
    sum.add(contributions(analysis));
    if (lateSeq !== undefined) {
      const before = analyzeSession(sessionId, events.filter((e) => e.seq !== lateSeq), this.teamOf, meta);
      sum.add(contributions(before), -1);
    }
    await this.#write(analysis, sum);
  }

  async #write(a: SessionAnalysis, sum: DeltaSum): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await run(trx, UPSERT_FACT_SQL, factParams(a.fact));
      await run(trx, 'delete from agent_legs where session_id = ?', [a.fact.sessionId]);
      for (const leg of a.legs) await run(trx, INSERT_LEG_SQL, legParams(leg));
      await run(trx, 'delete from knowledge_gaps where session_id = ?', [a.fact.sessionId]);
      for (const g of a.gaps) await run(trx, INSERT_GAP_SQL, gapParams(a.fact.sessionId, a.fact.day, g));
      for (const d of sum.deltas()) {
        const { sql, params } = upsertSql(d);
        await run(trx, sql, params);
      }
    });
  }
}

export { FACT_COLUMNS };
