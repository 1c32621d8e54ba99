// The wallboard's live figures: a new call with the AI marks the board changed (the feed
// showed 0 AI calls while the API said 1), and an agent offline since before the server
// started has no time in state (it showed the time since the server started).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Analytics } from '../../src/analytics/analytics';
import { wallboardSnapshot } from '../../src/analytics/wallboard';
import { UserDirectory } from '../../src/auth/users';
import { FakeClock } from '../../src/routing/clock';
import { Router } from '../../src/routing/router';
import { openDatabase, type SwitchboardDb } from '../../src/store/database';
import { SqlSessionStore } from '../../src/store/session-store';

let db: SwitchboardDb;
beforeEach(async () => {
  db = await openDatabase({ filename: ':memory:' });
});
afterEach(async () => {
  await db.destroy();
});

describe('wallboard live figures', () => {
  it('counts a new AI call and tells the feed, and leaves unknown offline time blank', async () => {
    const store = new SqlSessionStore(db);
    const analytics = await Analytics.start(db, store, new UserDirectory(db, 8));
    let changes = 0;
    analytics.ingest.onChange(() => changes++);
    const session = await store.createSession({ channel: 'voice', callerId: '+15550100001' });
    await store.appendEvent(session.id, 'session.started', { channel: 'voice', callerId: '+15550100001' });
    await analytics.ingest.settle();
    expect(changes).toBeGreaterThan(0);

    const clock = new FakeClock(1_000_000);
    const router = new Router({ clock });
    router.registerAgent({ id: 'a1', name: 'Ann Agent', skills: ['orders'] });
    router.registerAgent({ id: 'a2', name: 'Bo Agent', skills: ['orders'] });
    router.setPresence('a2', 'available');
    clock.advance(5000);
    router.setPresence('a2', 'offline');
    clock.advance(60_000);
    const board = await wallboardSnapshot(router.snapshot(), analytics);
    expect(board.callsInAi).toBe(1);
    expect(board.agents.find((a) => a.id === 'a1')).toMatchObject({ presence: 'offline', sinceMs: null });
    expect(board.agents.find((a) => a.id === 'a2')).toMatchObject({ presence: 'offline', sinceMs: 60_000 });
    await analytics.ingest.stop();
  });
});
