// Bad input on /local/media: each malformed stream is closed with a clear reason, and the
// server keeps serving everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBackend, type Backend } from './harness';

let backend: Backend;
beforeAll(async () => {
  backend = await startBackend();
});
afterAll(async () => {
  await backend.close();
});

const START = {
  event: 'start',
  sequenceNumber: '1',
  streamSid: 'MZtest',
  start: {
    streamSid: 'MZtest',
    callSid: 'CAtest',
    tracks: ['inbound'],
    customParameters: { from: '+15550100001' },
    mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 },
  },
};

function openStream(): Promise<WebSocket> {
  const ws = new WebSocket(backend.baseUrl.replace('http', 'ws') + '/local/media');
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

async function sendAndExpectClose(frames: Array<string | object>): Promise<{ code: number; reason: string }> {
  const ws = await openStream();
  const closed = closeOf(ws);
  for (const f of frames) ws.send(typeof f === 'string' ? f : JSON.stringify(f));
  return closed;
}

describe('/local/media bad input', () => {
  it('closes on a non-JSON frame, saying so', async () => {
    const { code, reason } = await sendAndExpectClose(['this is not json']);
    expect(code).toBe(1007);
    expect(reason).toMatch(/not valid JSON/);
  });

  it('closes on an unknown event, naming it', async () => {
    const { code, reason } = await sendAndExpectClose([{ event: 'dance', streamSid: 'x' }]);
    expect(code).toBe(1008);
    expect(reason).toMatch(/unknown event "dance"/);
  });

  it('closes on media before start', async () => {
    const { code, reason } = await sendAndExpectClose([
      { event: 'media', sequenceNumber: '1', streamSid: 'x', media: { track: 'inbound', chunk: '1', timestamp: '0', payload: 'AAAA' } },
    ]);
    expect(code).toBe(1008);
    expect(reason).toMatch(/media frame before start/);
  });

  it('closes on a payload that is not base64', async () => {
    const { code, reason } = await sendAndExpectClose([
      START,
      { event: 'media', sequenceNumber: '2', streamSid: 'MZtest', media: { track: 'inbound', chunk: '1', timestamp: '0', payload: '***not base64***' } },
    ]);
    expect(code).toBe(1007);
    expect(reason).toMatch(/base64/);
  });

  it('closes on a payload over 64 KiB', async () => {
    const payload = Buffer.alloc(70_000).toString('base64');
    const { code, reason } = await sendAndExpectClose([
      START,
      { event: 'media', sequenceNumber: '2', streamSid: 'MZtest', media: { track: 'inbound', chunk: '1', timestamp: '0', payload } },
    ]);
    expect([1008, 1009]).toContain(code);
    expect(reason).toMatch(/65536|too large|limit|payload/i);
  });

  it('closes on an unsupported media format, listing the supported ones', async () => {
    const bad = structuredClone(START);
    bad.start.mediaFormat = { encoding: 'audio/x-l16', sampleRate: 44100, channels: 2 };
    const { code, reason } = await sendAndExpectClose([bad]);
    expect(code).toBe(1008);
    expect(reason).toMatch(/unsupported mediaFormat/);
  });

  it('keeps serving other calls while one stream misbehaves', async () => {
    const good = await openStream();
    const frames: string[] = [];
    good.on('message', (d) => frames.push(d.toString()));
    good.send(JSON.stringify(START));
    await sendAndExpectClose(['garbage']);
    const health = await fetch(`${backend.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    // The good call is still answered: its greeting audio keeps arriving.
    const started = Date.now();
    while (!frames.some((f) => f.includes('"media"')) && Date.now() - started < 15_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(frames.some((f) => f.includes('"media"'))).toBe(true);
    expect(good.readyState).toBe(WebSocket.OPEN);
    good.close();
  });
});
