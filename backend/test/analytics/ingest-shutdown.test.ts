// Shutdown: stopping the ingest waits for the work it already took on, so the store can be
// closed right after (the cluster bench's teardown logged "analytics ingest: driver has
// already been destroyed" when a session still being derived met a closed store).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Analytics } from '../../src/analytics/analytics';
import { UserDirectory } from '../../src/auth/users';
import { openDatabase } from '../../src/store/database';
import { all } from '../../src/store/raw-sql';
import { SqlSessionStore } from '../../src/store/session-store';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('analytics ingest shutdown', () => {
  it('finishes the session it is deriving before stop resolves, so closing the store after it fails nothing', async () => {
    const db = await openDatabase({ filename: ':memory:' });
    const store = new SqlSessionStore(db);
    const analytics = await Analytics.start(db, store, new UserDirectory(db, 8));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const session = await store.createSession({ channel: 'voice', callerId: '+15550100002' });
    await store.appendEvent(session.id, 'session.started', { channel: 'voice', callerId: '+15550100002' });
    await store.appendEvent(session.id, 'caller.said', { turn: 1, text: 'Where is my parcel?', source: 'speech' });
    await store.appendEvent(session.id, 'session.ended', { by: 'caller', reason: 'hung up' });
    // No settle(): the ending is still being derived when shutdown begins.
    await analytics.ingest.stop();

    const [fact] = await all<{ ended_at: string | null }>(db, 'select ended_at from session_facts where session_id = ?', [session.id]);
    expect(fact?.ended_at).not.toBeNull();
    await db.destroy();
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).not.toHaveBeenCalled();
  });

  it('hears no events after it stopped', async () => {
    const db = await openDatabase({ filename: ':memory:' });
    const store = new SqlSessionStore(db);
    const analytics = await Analytics.start(db, store, new UserDirectory(db, 8));
    await analytics.ingest.stop();
    const session = await store.createSession({ channel: 'text', callerId: '+15550100003' });
    await store.appendEvent(session.id, 'session.started', { channel: 'text', callerId: '+15550100003' });
    await analytics.ingest.settle();
    expect(await all(db, 'select sid from session_facts where session_id = ?', [session.id])).toEqual([]);
    await db.destroy();
  });
});
