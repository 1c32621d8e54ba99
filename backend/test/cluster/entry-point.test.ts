// The cluster's entry point (scripts/entry-point.ts): passes HTTP and WebSocket upgrades
// through to the first ready backend, moves new connections on when that backend stops
// being ready (draining, store or bus lost), and says so when none is.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startEntryPoint, type EntryPoint } from '../../../scripts/entry-point';

interface FakeBackend {
  url: string;
  ready: boolean;
  close(): Promise<void>;
}

async function fakeBackend(name: string): Promise<FakeBackend> {
  const state = { ready: true };
  const server: Server = createServer((req, res) => {
    if (req.url === '/readyz') {
      res.writeHead(state.ready ? 200 : 503);
      return res.end();
    }
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': name });
      res.end(JSON.stringify({ backend: name, method: req.method, url: req.url, body }));
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => ws.on('message', (m: Buffer) => ws.send(`${name}:${req.url}:${m.toString()}`)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get ready() {
      return state.ready;
    },
    set ready(v: boolean) {
      state.ready = v;
    },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let entry: EntryPoint | undefined;
let backends: FakeBackend[] = [];
afterEach(async () => {
  await entry?.close();
  for (const b of backends) await b.close();
  backends = [];
});

async function wsEcho(url: string, text: string): Promise<string> {
  const ws = new WebSocket(url);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const reply = new Promise<string>((r) => ws.once('message', (d: Buffer) => r(d.toString())));
  ws.send(text);
  const out = await reply;
  ws.close();
  return out;
}

describe('entry point', () => {
  it('passes requests and upgrades to the first ready backend, and moves on when it is not ready', async () => {
    backends = [await fakeBackend('sb1'), await fakeBackend('sb2')];
    entry = await startEntryPoint(backends.map((b) => b.url), 0);
    const post = await fetch(`${entry.url}/api/things?x=1`, { method: 'POST', body: 'hello' });
    expect(await post.json()).toEqual({ backend: 'sb1', method: 'POST', url: '/api/things?x=1', body: 'hello' });
    expect(await wsEcho(`${entry.url.replace('http', 'ws')}/agent/ws?token=t`, 'ping')).toBe('sb1:/agent/ws?token=t:ping');

    backends[0]!.ready = false;
    const deadline = Date.now() + 5000;
    while (entry.current() !== backends[1]!.url && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(((await (await fetch(`${entry.url}/x`)).json()) as { backend: string }).backend).toBe('sb2');
    expect(await wsEcho(`${entry.url.replace('http', 'ws')}/local/media`, 'hi')).toBe('sb2:/local/media:hi');
  });

  it('answers 503 with what to check when no backend is ready', async () => {
    backends = [await fakeBackend('sb1')];
    backends[0]!.ready = false;
    entry = await startEntryPoint([backends[0]!.url], 0);
    const r = await fetch(`${entry.url}/call`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ error: 'no_backend', message: expect.stringMatching(/readyz/) });
  });

  it('spreads new connections over the ready backends when asked (every backend takes calls)', async () => {
    backends = [await fakeBackend('sb1'), await fakeBackend('sb2')];
    entry = await startEntryPoint(backends.map((b) => b.url), 0, '127.0.0.1', { prefer: 'spread' });
    const hit = async () => ((await (await fetch(`${entry!.url}/api/x`)).json()) as { backend: string }).backend;
    expect(new Set([await hit(), await hit(), await hit(), await hit()])).toEqual(new Set(['sb1', 'sb2']));
  });
});
