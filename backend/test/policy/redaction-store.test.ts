// The store is the last line of defence: whatever a writer forgot to mask is masked before
// the commit and before any subscriber hears it. Captions mask again on read, for sessions
// stored before redaction existed.
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { openDatabase, type SwitchboardDb } from '../../src/store/database';
import { SqlSessionStore } from '../../src/store/session-store';
import { CaptionAccess, captionRoutes } from '../../src/telephony/local/captions';

let db: SwitchboardDb;
let store: SqlSessionStore;
beforeEach(async () => {
  db = await openDatabase({ filename: ':memory:' });
  store = new SqlSessionStore(db);
});
afterEach(async () => {
  await db.destroy();
});

describe('SqlSessionStore.appendEvent', () => {
  it('masks every string of every payload before the write and the fan-out', async () => {
    const session = await store.createSession({ channel: 'voice', callerId: '+15550100001' });
    const heard: AnySessionEvent[] = [];
    store.subscribe((e) => heard.push(e));
    const returned = await store.appendEvent(session.id, 'tool.called', {
      turn: 1,
      name: 'lookup_customer',
      args: { note: 'card 4111 1111 1111 1111', ssn: ['123-45-6789'] },
      ok: true,
      result: { phone: '+15550100001', zip: '94107' },
    });
    await store.appendEvent(session.id, 'agent.dtmf', { agentId: 'a1', digits: '4111111111111111#' });
    const stored = await store.listEvents(session.id);
    const rows = await db.selectFrom('session_events').select('data').execute();
    const raw = rows.map((r) => r.data).join('\n');
    for (const text of [JSON.stringify(returned), JSON.stringify(heard), JSON.stringify(stored), raw]) {
      expect(text).not.toMatch(/4111 1111|4111111111111111|123-45-6789/);
      expect(text).toContain('+15550100001');
      expect(text).toContain('94107');
    }
    expect(stored[0]!.data).toMatchObject({ args: { note: 'card ************1111', ssn: ['***-**-6789'] } });
    expect(stored[1]!.data).toMatchObject({ digits: '************1111#' });
  });
});

describe('captions', () => {
  it('mask lines of events stored before redaction existed', async () => {
    const session = await store.createSession({ channel: 'voice', callerId: '+15550100001' });
    // Written around the store, as an old database would hold it.
    await db.updateTable('sessions').set({ last_seq: 1 }).where('id', '=', session.id).execute();
    await db
      .insertInto('session_events')
      .values({ session_id: session.id, seq: 1, type: 'transcript.final', at: new Date().toISOString(), data: JSON.stringify({ speaker: 'caller', text: 'it is 4111 1111 1111 1111', startMs: 0, endMs: 900 }) })
      .execute();
    const access = new CaptionAccess();
    access.open(session.id);
    const app = Fastify();
    await app.register(captionRoutes(store, access));
    const res = await app.inject({ method: 'GET', url: `/local/calls/${session.id}/captions` });
    expect(res.json()).toMatchObject({ lines: [{ speaker: 'caller', text: 'it is ************1111' }] });
    await app.close();
  });
});
