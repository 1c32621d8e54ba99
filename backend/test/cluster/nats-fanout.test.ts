// Cross-instance fan-out on the real wire: two backends over the machine's PostgreSQL and
// NATS. A lead connected to one backend follows, live and in order, a session whose events
// another backend writes; an event that never crossed the wire (committed behind its back)
// is re-read from the store, not skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { SqlSessionStore } from '../../src/store/session-store';
import { TestAgent } from '../agents/agent-client';
import { startCluster, type TestCluster } from '../support/cluster';

let cluster: TestCluster;
let annId = '';
const said = (turn: number) => ({ turn, text: `line ${turn}`, source: 'text' as const });

beforeAll(async () => {
  cluster = await startCluster(2);
  await cluster.backends[0]!.services.users.create({ email: 'lena@t.test', name: 'Lena', role: 'lead', password: 'password-123', team: 'north' });
  annId = (await cluster.backends[0]!.services.users.create({ email: 'ann@t.test', name: 'Ann', role: 'agent', password: 'password-123', team: 'north' })).id;
}, 120_000);

afterAll(async () => {
  await cluster?.close();
});

describe('session events across backends (PostgreSQL + NATS)', () => {
  it('reach a lead on the other backend live, in order, once', async () => {
    const [a, b] = cluster.backends;
    const s = await a!.services.store.createSession({ channel: 'voice', callerId: '+15550100001' });
    await a!.services.store.appendEvent(s.id, 'caller.said', said(1));
    // Leads follow their team's sessions: one of the lead's agents is on this call.
    await a!.services.store.addSessionAgent(s.id, annId);
    const lead = await TestAgent.signIn(b!.baseUrl, 'lena@t.test', 'password-123');
    await lead.connect();
    try {
      expect(await lead.request({ type: 'session.subscribe', sessionId: s.id, afterSeq: 0 })).toMatchObject({ type: 'ack' });
      for (let i = 2; i <= 30; i++) await a!.services.store.appendEvent(s.id, 'caller.said', said(i));
      await lead.waitFor((m) => m.type === 'session.event' && m.sessionId === s.id && m.seq === 30);
      expect(lead.seqs(s.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    } finally {
      await lead.close();
    }
  });

  it('re-reads an event that never crossed the wire, and writes from both sides interleave in order', async () => {
    const [a, b] = cluster.backends;
    const heard: AnySessionEvent[] = [];
    const stop = b!.services.liveEvents.subscribe((e) => heard.push(e));
    try {
      const s = await a!.services.store.createSession({ channel: 'voice', callerId: '+15550100002' });
      await a!.services.store.appendEvent(s.id, 'caller.said', said(1));
      // Committed through a store handle with no feed: nothing is published for seq 2.
      await new SqlSessionStore(a!.services.db).appendEvent(s.id, 'caller.said', said(2));
      await a!.services.store.appendEvent(s.id, 'caller.said', said(3));
      await b!.services.store.appendEvent(s.id, 'caller.said', said(4));
      await a!.services.store.appendEvent(s.id, 'caller.said', said(5));
      await a!.services.cluster!.link.flush();
      const deadline = Date.now() + 10_000;
      while (heard.filter((e) => e.sessionId === s.id).length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await b!.services.cluster!.feed.settle();
      expect(heard.filter((e) => e.sessionId === s.id).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(heard.find((e) => e.sessionId === s.id && e.seq === 2)?.data).toEqual(said(2));
    } finally {
      stop();
    }
  });
});
