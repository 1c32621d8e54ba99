// The bus lost at run time, on the real wire: a private nats-server is killed and started
// again. Meanwhile the backends refuse new calls with the reason and report not ready; the
// events written during the outage reach the other backend afterwards, in order, once.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { startCluster, type TestCluster } from '../support/cluster';

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
let port = 0;
let server: ChildProcess | undefined;
let cluster: TestCluster;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function startNats(): Promise<void> {
  server = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  await until(async () => {
    const { Socket } = await import('node:net');
    return new Promise<boolean>((resolve) => {
      const sock = new Socket();
      sock.once('connect', () => (sock.destroy(), resolve(true)));
      sock.once('error', () => resolve(false));
      sock.connect(port, '127.0.0.1');
    });
  }, 'nats-server to listen');
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  port = await freePort();
  await startNats();
  cluster = await startCluster(2, { NATS_URL: `nats://127.0.0.1:${port}` });
}, 120_000);

afterAll(async () => {
  await cluster?.close();
  server?.kill('SIGKILL');
});

describe('NATS lost and back (private nats-server)', () => {
  it('refuses new calls while the bus is down, then delivers what was written meanwhile, in order', async () => {
    const [a, b] = cluster.backends;
    const heard: AnySessionEvent[] = [];
    b!.services.liveEvents.subscribe((e) => heard.push(e));
    const s = await a!.services.store.createSession({ channel: 'voice', callerId: '+15550100001' });
    const said = (turn: number) => ({ turn, text: `line ${turn}`, source: 'text' as const });
    await a!.services.store.appendEvent(s.id, 'caller.said', said(1));
    await until(() => heard.some((e) => e.sessionId === s.id && e.seq === 1), 'the first event on b');

    server!.kill('SIGKILL');
    await until(() => !a!.services.cluster!.link.connected && !b!.services.cluster!.link.connected, 'both links to notice');
    const ready = await b!.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ checks: { bus: 'disconnected from NATS' } });
    const refused = await a!.app.inject({ method: 'GET', url: '/local/media' });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ error: 'bus_unavailable', message: expect.stringMatching(/lost its connection to NATS/) });

    // The call in progress goes on: its events are committed to the store as usual.
    for (let i = 2; i <= 6; i++) await a!.services.store.appendEvent(s.id, 'caller.said', said(i));

    await startNats();
    await until(() => a!.services.cluster!.link.connected && b!.services.cluster!.link.connected, 'both links to reconnect');
    await until(() => heard.filter((e) => e.sessionId === s.id).length >= 6, 'b to catch up');
    await b!.services.cluster!.feed.settle();
    expect(heard.filter((e) => e.sessionId === s.id).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await b!.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});
