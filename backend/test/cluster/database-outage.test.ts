// PostgreSQL lost at run time, on the real wire: the backend reaches the machine's server
// through a forwarder the test cuts (every connection ended, new ones refused), then
// restores. Meanwhile the backend stays up (a lost connection mid-transaction once ended
// the process), reports not ready, refuses new calls with the reason, and the call in
// progress goes on: the AI still answers. Once the database is back, the call's events from
// the outage are written in order with gapless numbers and only then fanned out, and new
// calls are taken again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { concatPcm, silence, synthesizeCallerUtterance } from '../support/caller-audio';
import { startCluster, type TestCluster } from '../support/cluster';
import { TEST_DATABASE_URL } from '../support/postgres';
import { TcpCut } from '../support/tcp-cut';
import { until } from '../support/backend-processes';

let proxy: TcpCut;
let cluster: TestCluster;
const open: ScriptedCaller[] = [];

beforeAll(async () => {
  const db = new URL(TEST_DATABASE_URL);
  proxy = await TcpCut.start({ host: db.hostname, port: Number(db.port || 5432) });
  const viaProxy = new URL(TEST_DATABASE_URL);
  viaProxy.port = String(proxy.port);
  cluster = await startCluster(1, { DATABASE_URL: viaProxy.toString() });
}, 120_000);

afterAll(async () => {
  proxy?.restore();
  await Promise.all(open.map((c) => Promise.race([c.hangUp().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))])));
  await cluster?.close();
  await proxy?.close();
}, 60_000);

describe('PostgreSQL lost at run time and back', () => {
  it('keeps the live call going, refuses new calls with the reason, then writes the outage\'s events in order', async () => {
    const [backend] = cluster.backends;
    const { store } = backend!.services;
    const heard: AnySessionEvent[] = [];
    store.subscribe((e) => heard.push(e));
    const caller = new ScriptedCaller({ baseUrl: backend!.baseUrl, from: '+15550100001', name: 'Outage Caller' });
    open.push(caller);
    await caller.connect();
    await caller.waitForAiAudio(0, 30_000);
    await caller.waitForAiIdle();
    const sessionId = caller.sessionId!;
    const before = (await store.listEvents(sessionId)).length;

    proxy.cut();
    await until(() => !store.reachable, 'the backend to notice the database is gone', 15_000);
    const ready = await backend!.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ checks: { store: expect.stringMatching(/^unreachable|no answer/) } });
    const refused = await backend!.app.inject({ method: 'GET', url: '/local/media' });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ error: 'store_unavailable', message: expect.stringMatching(/lost its connection to the database.*calls in progress go on/) });

    // The call in progress: the caller asks, the AI answers from what the backend holds.
    const asked = performance.now();
    await caller.say(concatPcm([await synthesizeCallerUtterance('what are your opening hours'), silence(1200)]));
    await caller.waitForAiAudio(asked, 30_000);
    await caller.waitForAiIdle();
    expect(store.waitingWrites).toBeGreaterThan(0);
    // Nothing waiting was fanned out: listeners hear only what is written.
    const heardDuring = heard.filter((e) => e.sessionId === sessionId && e.seq > before);
    expect(heardDuring).toEqual([]);

    proxy.restore();
    await until(() => store.reachable && store.waitingWrites === 0, 'the waiting writes to reach the database', 30_000);
    const log = await store.listEvents(sessionId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_e, i) => i + 1));
    const outage = log.slice(before);
    expect(outage.some((e) => e.type === 'caller.said')).toBe(true);
    expect(outage.some((e) => e.type === 'ai.said')).toBe(true);
    // Listeners heard each of them once, in order, after the write.
    const heardAfter = heard.filter((e) => e.sessionId === sessionId && e.seq > before).map((e) => e.seq);
    expect(heardAfter).toEqual(outage.map((e) => e.seq));

    // New calls are taken again.
    const next = new ScriptedCaller({ baseUrl: backend!.baseUrl, from: '+15550100002', name: 'Next Caller' });
    open.push(next);
    await next.connect();
    await next.waitForAiAudio(0, 30_000);
    const nextId = await until(() => next.sessionId, 'the new call\'s session');
    expect(await store.getSession(nextId)).toMatchObject({ callerId: '+15550100002' });
  }, 150_000);
});
