// The session log: per-session gapless sequence numbers, even under concurrent appends;
// events committed before anyone hears of them; resume by sequence; durable across a
// close and reopen of a file-backed store; migrations that run once. The contract part runs
// against both store engines: embedded SQLite and PostgreSQL (a fresh schema per test).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import pg from 'pg';
import { openDatabase, type SwitchboardDb } from '../../src/store/database';
import { migrationProvider } from '../../src/store/migrations';
import { SqlSessionStore } from '../../src/store/session-store';
import { freshSchema, type TestSchema } from '../support/postgres';

let db: SwitchboardDb;
let store: SqlSessionStore;

const engines = [
  {
    engine: 'sqlite',
    open: async () => ({ db: await openDatabase({ filename: ':memory:' }), drop: async () => {} }),
  },
  {
    engine: 'postgres',
    open: async () => {
      const schema = await freshSchema('store');
      return { db: await schema.open(), drop: () => schema.drop() };
    },
  },
] as const;

const said = (turn: number, text = `line ${turn}`) => ({ turn, text, source: 'text' as const });

describe.each(engines)('store contract on $engine', ({ open }) => {
  let drop: () => Promise<void>;

  beforeEach(async () => {
    ({ db, drop } = await open());
    store = new SqlSessionStore(db);
  });

  afterEach(async () => {
    await db.destroy();
    await drop();
  });

  describe('sessions', () => {
    it('creates a session in state ai with no events yet', async () => {
      const s = await store.createSession({ channel: 'text', callerId: '+15550100001', callerName: 'Dana' });
      expect(s).toMatchObject({
        channel: 'text',
        callerId: '+15550100001',
        callerName: 'Dana',
        state: 'ai',
        verified: false,
        escalationReason: null,
        endedAt: null,
        agentIds: [],
      });
      expect(await store.getSession(s.id)).toEqual(s);
      expect(await store.listEvents(s.id)).toEqual([]);
    });

    it('applies patches and returns undefined for unknown ids', async () => {
      const s = await store.createSession({ id: 'fixed-id', channel: 'voice', callerId: '+15550100002' });
      expect(s.id).toBe('fixed-id');
      const ended = new Date('2026-01-02T03:04:05.000Z');
      await store.updateSession(s.id, {
        state: 'queued',
        verified: true,
        customerId: 'C2',
        escalationReason: 'caller_request',
        endedAt: ended,
      });
      expect(await store.getSession(s.id)).toMatchObject({
        state: 'queued',
        verified: true,
        customerId: 'C2',
        escalationReason: 'caller_request',
        endedAt: ended.toISOString(),
      });
      await store.updateSession(s.id, {});
      expect(await store.getSession('nope')).toBeUndefined();
    });

    it('refuses events for a session that does not exist', async () => {
      await expect(store.appendEvent('missing', 'caller.said', said(1))).rejects.toThrow(/does not exist/);
    });
  });

  describe('sequence numbers', () => {
    it('are per session, start at 1 and have no gaps', async () => {
      const a = await store.createSession({ channel: 'text', callerId: '+15550100001' });
      const b = await store.createSession({ channel: 'text', callerId: '+15550100002' });
      const seqs: Array<[string, number]> = [];
      for (let i = 1; i <= 5; i++) {
        seqs.push(['a', (await store.appendEvent(a.id, 'caller.said', said(i))).seq]);
        if (i % 2 === 0) seqs.push(['b', (await store.appendEvent(b.id, 'caller.said', said(i))).seq]);
      }
      expect(seqs.filter(([s]) => s === 'a').map(([, n]) => n)).toEqual([1, 2, 3, 4, 5]);
      expect(seqs.filter(([s]) => s === 'b').map(([, n]) => n)).toEqual([1, 2]);
      expect((await store.listEvents(a.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await store.listEvents(b.id)).map((e) => e.seq)).toEqual([1, 2]);
    });

    it('200 concurrent appends to one session get 1..200 with no duplicate', async () => {
      const s = await store.createSession({ channel: 'text', callerId: '+15550100001' });
      const events = await Promise.all(
        Array.from({ length: 200 }, (_, i) => store.appendEvent(s.id, 'caller.said', said(i + 1))),
      );
      const seqs = events.map((e) => e.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(new Set(seqs).size).toBe(200);
      const stored = await store.listEvents(s.id);
      expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      // Each stored event is the one its append returned.
      const byTurn = new Map(events.map((e) => [(e.data as { turn: number }).turn, e.seq]));
      for (const e of stored) expect(byTurn.get((e.data as { turn: number }).turn)).toBe(e.seq);
    });

    it('concurrent appends to two sessions stay gapless in each', async () => {
      const a = await store.createSession({ channel: 'text', callerId: '+15550100001' });
      const b = await store.createSession({ channel: 'text', callerId: '+15550100002' });
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => store.appendEvent(i % 2 ? a.id : b.id, 'caller.said', said(i))),
      );
      expect((await store.listEvents(a.id)).map((e) => e.seq)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      expect((await store.listEvents(b.id)).map((e) => e.seq)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
    });
  });

  describe('events', () => {
    it('round-trip type, time and payload', async () => {
      const s = await store.createSession({ channel: 'text', callerId: '+15550100001' });
      const at = new Date('2026-03-04T05:06:07.000Z');
      const written = await store.appendEvent(
        s.id,
        'tool.called',
        {
          turn: 1,
          name: 'order_status',
          args: { orderId: 'O-1001' },
          ok: false,
          result: { error: 'not_verified' },
        },
        at,
      );
      expect(written).toEqual({
        sessionId: s.id,
        seq: 1,
        type: 'tool.called',
        at: at.toISOString(),
        data: {
          turn: 1,
          name: 'order_status',
          args: { orderId: 'O-1001' },
          ok: false,
          result: { error: 'not_verified' },
        },
      });
      expect(await store.listEvents(s.id)).toEqual([written]);
    });

    it('a listener that reads the log synchronously-after finds the event', async () => {
      const s = await store.createSession({ channel: 'text', callerId: '+15550100001' });
      let found: AnySessionEvent[] | undefined;
      let pending: Promise<void> | undefined;
      store.subscribe((event) => {
        pending = store.listEvents(event.sessionId, event.seq - 1).then((events) => {
          found = events;
        });
      });
      const written = await store.appendEvent(s.id, 'caller.said', said(1));
      await pending;
      expect(found).toEqual([written]);
    });

    it('a failing listener neither undoes the event nor starves other listeners', async () => {
      const s = await store.createSession({ channel: 'text', callerId: '+15550100001' });
      const heard: number[] = [];
      const original = console.error;
      console.error = () => {};
      try {
        store.subscribe(() => {
          throw new Error('boom');
        });
        store.subscribe((e) => heard.push(e.seq));
        const e = await store.appendEvent(s.id, 'caller.said', said(1));
        expect(e.seq).toBe(1);
      } finally {
        console.error = original;
      }
      expect(heard).toEqual([1]);
      expect(await store.listEvents(s.id)).toHaveLength(1);
    });

    it('listEvents(afterSeq) resumes after the last sequence seen', async () => {
      const s = await store.createSession({ channel: 'text', callerId: '+15550100001' });
      for (let i = 1; i <= 10; i++) await store.appendEvent(s.id, 'caller.said', said(i));
      expect((await store.listEvents(s.id, 7)).map((e) => e.seq)).toEqual([8, 9, 10]);
      expect((await store.listEvents(s.id, 0)).map((e) => e.seq)).toHaveLength(10);
      expect(await store.listEvents(s.id, 10)).toEqual([]);
      expect(await store.listEvents(s.id, 99)).toEqual([]);
      expect(await store.listEvents('unknown')).toEqual([]);
    });
  });

  describe('call takes', () => {
    const take = (sessionId: string, agentId: string) =>
      store.takeCall({ sessionId, agentId, events: [{ type: 'agent.accepted', data: { offerId: `offer-${agentId}`, agentId, agentName: agentId } }], state: 'agent' });

    it('give each queue entry of a call to exactly one agent, even when taken at once', async () => {
      const s = await store.createSession({ channel: 'voice', callerId: '+15550100001' });
      await store.appendEvent(s.id, 'queue.entered', { queue: 'general', position: 1, reason: 'caller_request' });
      const agents = Array.from({ length: 8 }, (_, i) => `agent-${i}`);
      const won = await Promise.all(agents.map((a) => take(s.id, a)));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await take(s.id, 'late')).toBeUndefined();
      // Only the winner's take was written: one accept, one agent on the session.
      const accepted = (await store.listEvents(s.id)).filter((e) => e.type === 'agent.accepted');
      expect(accepted).toHaveLength(1);
      expect((await store.getSession(s.id))?.agentIds).toEqual([(accepted[0]!.data as { agentId: string }).agentId]);
      // A transfer puts the call in line again: that entry can be taken once more.
      await store.appendEvent(s.id, 'queue.entered', { queue: 'billing', position: 1, reason: 'transfer' });
      expect(await take(s.id, 'agent-next')).toBeDefined();
      expect(await take(s.id, 'agent-other')).toBeUndefined();
    });

    it('log the take as numbered events after the claim, set the state and tell listeners once each', async () => {
      const s = await store.createSession({ channel: 'voice', callerId: '+15550100002' });
      await store.appendEvent(s.id, 'queue.entered', { queue: 'general', position: 1, reason: 'caller_request' });
      const heard: number[] = [];
      const unsubscribe = store.subscribe((e) => e.sessionId === s.id && heard.push(e.seq));
      const logged = await store.takeCall({
        sessionId: s.id,
        agentId: 'agent-1',
        events: [
          { type: 'agent.accepted', data: { offerId: 'o1', agentId: 'agent-1', agentName: 'Ann' } },
          { type: 'state.changed', data: { from: 'queued', to: 'offered' } },
          { type: 'state.changed', data: { from: 'offered', to: 'agent' } },
        ],
        state: 'agent',
      });
      unsubscribe();
      expect(logged?.map((e) => [e.seq, e.type])).toEqual([
        [2, 'agent.accepted'],
        [3, 'state.changed'],
        [4, 'state.changed'],
      ]);
      expect((await store.listEvents(s.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(heard).toEqual([2, 3, 4]);
      const session = await store.getSession(s.id);
      expect(session?.state).toBe('agent');
      expect(session?.agentIds).toEqual(['agent-1']);
      // The next event continues the sequence without a gap.
      expect((await store.appendEvent(s.id, 'caller.said', { turn: 1, text: 'thanks', source: 'speech' })).seq).toBe(5);
    });

    it('of an unknown session write nothing and say so', async () => {
      await expect(store.takeCall({ sessionId: 'no-such-session', agentId: 'a', events: [] })).rejects.toThrow(/does not exist/);
    });
  });

  describe('listSessions', () => {
    it('lists newest first, with limit and offset', async () => {
      const base = Date.parse('2026-01-01T00:00:00.000Z');
      for (let i = 0; i < 5; i++) {
        await store.createSession({
          id: `s${i}`,
          channel: 'text',
          callerId: '+15550100001',
          startedAt: new Date(base + i * 60_000),
        });
      }
      expect((await store.listSessions({ limit: 10 })).map((s) => s.id)).toEqual([
        's4',
        's3',
        's2',
        's1',
        's0',
      ]);
      expect((await store.listSessions({ limit: 2 })).map((s) => s.id)).toEqual(['s4', 's3']);
      expect((await store.listSessions({ limit: 2, offset: 2 })).map((s) => s.id)).toEqual(['s2', 's1']);
      expect(await store.listSessions({ limit: 10, offset: 10 })).toEqual([]);
    });

    it('filters by agent and reports who handled each session', async () => {
      const base = Date.parse('2026-01-01T00:00:00.000Z');
      for (let i = 0; i < 4; i++) {
        await store.createSession({
          id: `s${i}`,
          channel: 'voice',
          callerId: '+15550100001',
          startedAt: new Date(base + i * 1000),
        });
      }
      await store.addSessionAgent('s0', 'alice', new Date(base));
      await store.addSessionAgent('s2', 'alice', new Date(base + 1));
      await store.addSessionAgent('s2', 'bob', new Date(base + 2));
      await store.addSessionAgent('s2', 'bob', new Date(base + 3)); // idempotent
      const alice = await store.listSessions({ limit: 10, agentId: 'alice' });
      expect(alice.map((s) => s.id)).toEqual(['s2', 's0']);
      expect(alice[0]?.agentIds).toEqual(['alice', 'bob']);
      expect((await store.listSessions({ limit: 10, agentId: 'bob' })).map((s) => s.id)).toEqual(['s2']);
      expect(await store.listSessions({ limit: 10, agentId: 'carol' })).toEqual([]);
      expect((await store.getSession('s2'))?.agentIds).toEqual(['alice', 'bob']);
      expect(await store.wasHandledBy('s2', 'bob')).toBe(true);
      expect(await store.wasHandledBy('s1', 'bob')).toBe(false);
    });
  });

  describe('latestSessionOf (call-back resume)', () => {
    it("finds the caller's newest other session inside the window, and nothing outside it", async () => {
      const base = Date.parse('2026-01-01T12:00:00.000Z');
      await store.createSession({ id: 'old', channel: 'voice', callerId: '+15550100001', startedAt: new Date(base - 48 * 3_600_000) });
      await store.createSession({ id: 'recent', channel: 'voice', callerId: '+15550100001', startedAt: new Date(base - 3_600_000) });
      await store.createSession({ id: 'other', channel: 'voice', callerId: '+15550100002', startedAt: new Date(base - 60_000) });
      await store.createSession({ id: 'now', channel: 'voice', callerId: '+15550100001', startedAt: new Date(base) });
      const since = new Date(base - 24 * 3_600_000);
      expect((await store.latestSessionOf('+15550100001', since, 'now'))?.id).toBe('recent');
      expect(await store.latestSessionOf('+15550100001', new Date(base - 60_000), 'now')).toBeUndefined();
      expect(await store.latestSessionOf('+15550100009', since, 'now')).toBeUndefined();
    });
  });
});

describe('commit before fan-out', () => {
  it('are committed before listeners hear them (another connection sees the row inside the callback)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-commit-'));
    const file = join(dir, 'commit.db');
    const fileDb = await openDatabase({ filename: file });
    // A second, independent connection only ever sees committed data; better-sqlite3 reads
    // synchronously, so the check happens inside the listener, before the append returns.
    const reader = new SQLite(file, { readonly: true });
    try {
      const fileStore = new SqlSessionStore(fileDb);
      const s = await fileStore.createSession({ channel: 'text', callerId: '+15550100001' });
      const lookup = reader.prepare('select type from session_events where session_id = ? and seq = ?');
      const seen: Array<{ seq: number; committed: unknown }> = [];
      const unsubscribe = fileStore.subscribe((event) => {
        seen.push({ seq: event.seq, committed: lookup.get(event.sessionId, event.seq) });
      });
      await fileStore.appendEvent(s.id, 'caller.said', said(1));
      await fileStore.appendEvent(s.id, 'ai.said', { turn: 1, text: 'hello', citations: [] });
      expect(seen).toEqual([
        { seq: 1, committed: { type: 'caller.said' } },
        { seq: 2, committed: { type: 'ai.said' } },
      ]);
      unsubscribe();
      await fileStore.appendEvent(s.id, 'caller.said', said(2));
      expect(seen).toHaveLength(2);
    } finally {
      reader.close();
      await fileDb.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on PostgreSQL too: another connection sees the row when the listener hears it', async () => {
    const schema: TestSchema = await freshSchema('commit');
    const pgDb = await schema.open();
    const reader = new pg.Client({
      connectionString: schema.url,
      options: `-c search_path=${schema.schema}`,
    });
    await reader.connect();
    try {
      const pgStore = new SqlSessionStore(pgDb);
      const s = await pgStore.createSession({ channel: 'text', callerId: '+15550100001' });
      // The listener starts a read on an independent connection; read-committed isolation
      // only shows it rows whose transaction has committed.
      const reads: Array<Promise<unknown>> = [];
      pgStore.subscribe((event) => {
        reads.push(
          reader
            .query('select type from session_events where session_id = $1 and seq = $2', [
              event.sessionId,
              event.seq,
            ])
            .then((r) => r.rows[0]),
        );
      });
      await pgStore.appendEvent(s.id, 'caller.said', said(1));
      await pgStore.appendEvent(s.id, 'ai.said', { turn: 1, text: 'hello', citations: [] });
      expect(await Promise.all(reads)).toEqual([{ type: 'caller.said' }, { type: 'ai.said' }]);
    } finally {
      await reader.end();
      await pgDb.destroy();
      await schema.drop();
    }
  });
});

describe('file-backed store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every event across close and reopen, and continues the sequence', async () => {
    const file = join(dir, 'nested', 'switchboard.db');
    const first = await openDatabase({ filename: file });
    const s1 = new SqlSessionStore(first);
    const session = await s1.createSession({ channel: 'voice', callerId: '+15550100001' });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => s1.appendEvent(session.id, 'caller.said', said(i + 1))),
    );
    await s1.updateSession(session.id, { state: 'queued', escalationReason: 'caller_request' });
    const before = await s1.listEvents(session.id);
    await first.destroy();

    const second = await openDatabase({ filename: file });
    try {
      const s2 = new SqlSessionStore(second);
      expect(await s2.listEvents(session.id)).toEqual(before);
      expect(await s2.getSession(session.id)).toMatchObject({
        state: 'queued',
        escalationReason: 'caller_request',
      });
      expect((await s2.appendEvent(session.id, 'caller.said', said(51))).seq).toBe(51);
    } finally {
      await second.destroy();
    }
  });

  it('upgrades a data directory of the first release (a new migration must sort after every applied one)', async () => {
    const file = join(dir, 'upgrade.db');
    const all = await migrationProvider.getMigrations();
    const names = Object.keys(all).sort();
    // What databases in the field already ran; Kysely refuses to start on one if a new migration sorts before these.
    const firstRelease = ['0001_sessions_and_events', '0002_users_and_tokens', '0003_crm', '0004_agent_teams_and_skills', '1001_analytics_facts', '1002_analytics_qa'];
    const older = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    const previous = Object.fromEntries(firstRelease.map((n) => [n, all[n]!]));
    expect((await new Migrator({ db: older, provider: { getMigrations: async () => previous } }).migrateToLatest()).error).toBeUndefined();
    await older.destroy();
    const upgraded = await openDatabase({ filename: file });
    try {
      const ran = await upgraded.selectFrom('kysely_migration' as never).select('name' as never).execute();
      expect(ran).toHaveLength(names.length);
    } finally {
      await upgraded.destroy();
    }
  });

  it('runs migrations once: reopening applies nothing new and keeps data', async () => {
    const file = join(dir, 'migrations.db');
    const first = await openDatabase({ filename: file });
    await new SqlSessionStore(first).createSession({
      id: 'keep-me',
      channel: 'text',
      callerId: '+15550100001',
    });
    const migrationsBefore = await first
      .selectFrom('kysely_migration' as never)
      .selectAll()
      .execute();
    await first.destroy();

    for (let i = 0; i < 2; i++) {
      const again = await openDatabase({ filename: file });
      try {
        const migrationsAfter = await again
          .selectFrom('kysely_migration' as never)
          .selectAll()
          .execute();
        expect(migrationsAfter).toEqual(migrationsBefore);
        expect(await new SqlSessionStore(again).getSession('keep-me')).toBeDefined();
      } finally {
        await again.destroy();
      }
    }
    expect(migrationsBefore.length).toBeGreaterThanOrEqual(3);
  });
});
