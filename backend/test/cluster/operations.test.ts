// Operations per backend: /readyz (store, bus, draining) on the embedded default and in a
// PostgreSQL + NATS cluster; a draining backend refuses new calls with a reason and waits
// for live ones; the embedded default still needs no service at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { Drain } from '../../src/runtime/drain';
import { createServices, type Services } from '../../src/runtime/services';
import { createSpeechEngines } from '../../src/runtime/speech-engines';
import { startCluster, type TestCluster } from '../support/cluster';
import { freshSchema } from '../support/postgres';

describe('embedded default (no services)', () => {
  let services: Services;
  let app: FastifyInstance;
  beforeAll(async () => {
    const config = defaultConfig({ LOG_LEVEL: 'silent', RECORDINGS: false, DEMO_DATA: false });
    services = await createServices({ config, databaseFile: ':memory:', seed: 'none' });
    app = await buildApp(services, { speech: await createSpeechEngines(config) });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await services.close();
  });

  it('is ready with its SQLite store and the in-process bus', async () => {
    expect(services.cluster).toBeUndefined();
    expect(services.liveEvents).toBe(services.store);
    const r = await app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ready', instance: null, checks: { store: 'ok', bus: 'in-process' } });
  });

  it('while draining: not ready, and new calls are refused with the reason; other requests still work', async () => {
    const live = { ended: false };
    app.drain.track(live);
    const drained = app.drain.drain(10_000, 10);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'not_ready', checks: { calls: 'draining (1 calls left)' } });
    for (const url of ['/local/media', '/local/phone?token=x']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ error: 'draining', message: expect.stringMatching(/another instance/) });
    }
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    live.ended = true;
    expect(await drained).toBe(0);
  });
});

describe('Drain', () => {
  it('gives up at the deadline and says how many calls were still live', async () => {
    const d = new Drain();
    d.track({ ended: false });
    d.track({ ended: true });
    expect(d.activeCalls()).toBe(1);
    expect(await d.drain(30, 5)).toBe(1);
    expect(d.draining).toBe(true);
  });
});

describe('in a PostgreSQL + NATS cluster', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster(1);
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('reports its instance, store and bus link', async () => {
    const r = await cluster.backends[0]!.app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ready', instance: 'b0', checks: { store: 'ok', bus: 'ok' } });
  });
});

describe('one routing leader among two backends', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster(2);
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('both take new calls (the standby forwards routing to the leader); when the leader lets go, the standby leads', async () => {
    const backends = cluster.backends;
    const role = async (b: (typeof backends)[number]) => ((await b.app.inject({ method: 'GET', url: '/readyz' })).json() as { checks: { routing: string } }).checks.routing;
    const deadline = Date.now() + 10_000;
    while (!backends.some((b) => b.services.cluster!.lease.leader) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const leader = backends.find((b) => b.services.cluster!.lease.leader)!;
    const standby = backends.find((b) => b !== leader)!;
    expect(await role(leader)).toBe('leader');
    expect(await role(standby)).toBe('standby');
    // Neither refuses the call route (not a websocket upgrade here, so not 503 from us).
    for (const b of [leader, standby]) expect((await b.app.inject({ method: 'GET', url: '/local/media' })).statusCode).not.toBe(503);

    await leader.services.cluster!.lease.release();
    const until = Date.now() + 10_000;
    while (!standby.services.cluster!.lease.leader && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(await role(standby)).toBe('leader');
  });
});

describe('cluster configuration', () => {
  it('says what is missing or wrong, and what to do', () => {
    expect(() => defaultConfig({ STORE: 'postgres' })).toThrow(/STORE=postgres needs DATABASE_URL/);
    expect(() => defaultConfig({ BUS: 'nats' })).toThrow(/BUS=nats .* set STORE=postgres/);
    expect(() => defaultConfig({ STORE: 'postgres', DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(() => defaultConfig({ STORE: 'mongo' })).toThrow(/STORE/);
    expect(() => defaultConfig({ INSTANCE_ID: 'a b' })).toThrow(/INSTANCE_ID/);
    expect(defaultConfig({})).toMatchObject({ STORE: 'sqlite', BUS: 'local' });
  });
});

describe('unreachable services at start', () => {
  it('names the database', async () => {
    const config = defaultConfig({ STORE: 'postgres', DATABASE_URL: 'postgres://sb:secret@127.0.0.1:1/none' });
    const err = await createServices({ config }).catch((e: Error) => e);
    expect(String(err)).toMatch(/PostgreSQL at postgres:\/\/sb@127\.0\.0\.1:1\/none is not reachable/);
    expect(String(err)).not.toMatch(/secret/);
  });

  it('names the bus', async () => {
    const schema = await freshSchema('bus');
    const config = defaultConfig({ STORE: 'postgres', DATABASE_URL: schema.url, BUS: 'nats', NATS_URL: 'nats://127.0.0.1:1' });
    const err = await createServices({ config, databaseSchema: schema.schema, seed: 'none' }).catch((e: Error) => e);
    await schema.drop();
    expect(String(err)).toMatch(/NATS at nats:\/\/127\.0\.0\.1:1 is not reachable/);
  });
});
