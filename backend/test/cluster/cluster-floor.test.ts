// The wallboard across backends: queues, agents and AI calls of every backend summed, each
// person shown once with their busiest presence; on the real wire, a lead on one backend
// sees an agent who went available on another and a call with the AI there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WallboardSnapshot } from '../../../contracts/analytics-api';
import { mergeFloor, type FloorPart } from '../../src/cluster/cluster-floor';
import type { QueueSnapshot, RoutingSnapshot } from '../../src/routing/router';
import { TestAgent } from '../agents/agent-client';
import { startCluster, type TestCluster } from '../support/cluster';

const emptyQueue: QueueSnapshot = { waiting: 0, ringing: 0, longestWaitMs: 0, calls: [] };
function routing(over: Partial<RoutingSnapshot['agents']>, general: QueueSnapshot = emptyQueue): RoutingSnapshot {
  return {
    at: 1000,
    queues: { general, orders: emptyQueue, billing: emptyQueue, technical: emptyQueue } as RoutingSnapshot['queues'],
    agents: { offline: [], available: [], on_call: [], wrap_up: [], away: [], ...over },
  };
}

describe('mergeFloor', () => {
  it('sums queues and AI calls and shows each person once, busiest presence first', () => {
    const ann = { id: 'ann', name: 'Ann', since: 10, ringing: false };
    const call = (sessionId: string, waitedMs: number) => ({ sessionId, callerName: 'C', reason: 'caller_request' as const, waitedMs, ringing: false, transferred: false });
    const parts: FloorPart[] = [
      { instanceId: 'a', callsInAi: 2, routing: routing({ offline: [ann] }, { waiting: 1, ringing: 0, longestWaitMs: 5000, calls: [call('s1', 5000)] }) },
      { instanceId: 'b', callsInAi: 3, routing: routing({ on_call: [{ ...ann, since: 20 }] }, { waiting: 2, ringing: 1, longestWaitMs: 9000, calls: [call('s2', 9000), call('s3', 1000)] }) },
    ];
    const { routing: r, callsInAi } = mergeFloor(parts, 2000);
    expect(callsInAi).toBe(5);
    expect(r.queues.general).toMatchObject({ waiting: 3, ringing: 1, longestWaitMs: 9000 });
    expect(r.queues.general.calls.map((c) => c.sessionId)).toEqual(['s2', 's1', 's3']);
    expect(r.agents.on_call.map((a) => a.id)).toEqual(['ann']);
    expect(r.agents.offline).toEqual([]);
  });
});

describe('wallboard across two backends (PostgreSQL + NATS)', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster(2, {}, async (services) => {
      await services.users.create({ email: 'lena@t.test', name: 'Lena', role: 'lead', password: 'password-123', team: 'north' });
      await services.users.create({ email: 'ann@t.test', name: 'Ann', role: 'agent', password: 'password-123', team: 'north' });
    });
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('shows a lead on one backend the agents and AI calls of the other', async () => {
    const [a, b] = cluster.backends;
    const ann = await TestAgent.signIn(b!.baseUrl, 'ann@t.test', 'password-123');
    await ann.connect();
    try {
      expect(await ann.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });
      const s = await b!.services.store.createSession({ channel: 'voice', callerId: '+15550100001' });
      await b!.services.store.appendEvent(s.id, 'session.started', { channel: 'voice', callerId: '+15550100001' });
      const token = await a!.services.users.issueToken((await a!.services.users.findByEmail('lena@t.test'))!.id);
      let board: WallboardSnapshot | undefined;
      const deadline = Date.now() + 10_000;
      do {
        await new Promise((r) => setTimeout(r, 200));
        const res = await a!.app.inject({ method: 'GET', url: '/api/analytics/wallboard', headers: { authorization: `Bearer ${token}` } });
        expect(res.statusCode).toBe(200);
        board = res.json() as WallboardSnapshot;
      } while ((board.agentsByPresence.available < 1 || board.callsInAi < 1) && Date.now() < deadline);
      expect(board.agents.filter((x) => x.name === 'Ann').map((x) => x.presence)).toEqual(['available']);
      expect(board.callsInAi).toBe(1);
    } finally {
      await ann.close();
    }
  });
});
