// Admission control and stream limits over the real /local/media socket: a call beyond
// capacity hears the busy line and is ended with an event (never a hang); audio faster than
// real time is refused with 1008; an idle stream is closed; an oversized frame is refused.
// Speech engines are test doubles (adapter test): the limits are the subject, not the audio.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';
import { BUSY_REASON } from '../../src/telephony/busy-line';
import { FaultySpeech } from '../support/faulty-speech';
import { waitUntil } from './harness';

let dataDir: string;
let services: Services;
let app: FastifyInstance;
let speech: FaultySpeech;
let url: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-admission-'));
  const config = defaultConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MAX_CALLS: 2, MEDIA_IDLE_MS: 1000, MEDIA_BURST_MS: 500, RECORDINGS: false });
  services = await createServices({ config, databaseFile: ':memory:' });
  speech = new FaultySpeech();
  app = await buildApp(services, { speech: speech.engines() });
  url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws') + '/local/media';
});

afterAll(async () => {
  await app.close();
  await services.close();
  speech.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Line {
  ws: WebSocket;
  frames: Array<{ event: string; mark?: { name: string } }>;
  closed: Promise<{ code: number; reason: string }>;
  send(f: object | string): void;
}

async function dial(n: number, opts: { echoMarks?: boolean; start?: boolean } = {}): Promise<Line> {
  const ws = new WebSocket(url);
  const frames: Line['frames'] = [];
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
  const send = (f: object | string) => {
    if (ws.readyState === ws.OPEN) ws.send(typeof f === 'string' ? f : JSON.stringify(f));
  };
  ws.on('message', (d: Buffer) => {
    const f = JSON.parse(d.toString()) as Line['frames'][number];
    frames.push(f);
    if (opts.echoMarks !== false && f.event === 'mark') send({ event: 'mark', sequenceNumber: '3', streamSid: `MZ${n}`, mark: f.mark });
  });
  await new Promise((r) => ws.once('open', r));
  if (opts.start !== false) {
    send({
      event: 'start',
      sequenceNumber: '1',
      streamSid: `MZ${n}`,
      start: { streamSid: `MZ${n}`, callSid: `CA${n}`, customParameters: { from: `+1555020000${n}` }, mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 } },
    });
  }
  return { ws, frames, closed, send };
}

const media = (n: number, samples: number) => ({
  event: 'media',
  sequenceNumber: '2',
  streamSid: `MZ${n}`,
  media: { track: 'inbound', chunk: '1', timestamp: '0', payload: Buffer.alloc(samples * 2).toString('base64') },
});

describe('admission control', () => {
  it('a call beyond capacity hears the busy line, is closed cleanly and recorded; a freed slot admits the next', async () => {
    const a = await dial(1);
    const b = await dial(2);
    await waitUntil(() => app.calls.size === 2, 5_000, 'two admitted calls');
    // Keep the two admitted lines alive while the third is refused.
    const keepAlive = setInterval(() => [a, b].forEach((l, i) => l.send(media(i + 1, 320))), 20);
    try {
      const c = await dial(3);
      const closed = await c.closed;
      expect(closed).toEqual({ code: 1000, reason: 'all lines busy; call again later' });
      expect(c.frames.some((f) => f.event === 'media')).toBe(true);
      expect(c.frames.some((f) => f.event === 'mark' && f.mark?.name === 'busy')).toBe(true);
      expect(app.calls.size).toBe(2);
      const refused = await services.db.selectFrom('session_events').select(['session_id', 'data']).where('type', '=', 'session.ended').execute();
      const busy = refused.filter((e) => (JSON.parse(e.data) as { reason: string }).reason.startsWith(BUSY_REASON));
      expect(busy).toHaveLength(1);
      const session = await services.store.getSession(busy[0]!.session_id);
      expect(session?.state).toBe('ended');

      a.ws.close();
      await waitUntil(() => app.calls.size === 1, 5_000, 'the first call to be released');
      const d = await dial(4);
      await waitUntil(() => app.calls.size === 2, 5_000, 'the next call to be admitted');
      d.ws.close();
    } finally {
      clearInterval(keepAlive);
      b.ws.close();
    }
    await waitUntil(() => app.calls.size === 0, 5_000, 'all calls released');
  });
});

describe('stream limits', () => {
  it('refuses audio sent faster than real time with 1008, and ends the session', async () => {
    const line = await dial(5);
    await waitUntil(() => line.frames.some((f) => f.event === 'media'), 5_000, 'the greeting');
    // Two seconds of audio at once: far beyond the 500 ms burst allowance.
    for (let i = 0; i < 100; i++) line.send(media(5, 320));
    const closed = await line.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/faster than real time/);
    await waitUntil(() => app.calls.size === 0, 5_000, 'the call to be released');
    const ended = await services.db.selectFrom('session_events').select(['data']).where('type', '=', 'session.ended').execute();
    expect(ended.some((e) => /faster than real time/.test((JSON.parse(e.data) as { reason: string }).reason))).toBe(true);
  });

  it('closes a stream that goes idle, before and after start', async () => {
    const silentBeforeStart = await dial(6, { start: false });
    const started = await dial(7);
    const [a, b] = await Promise.all([silentBeforeStart.closed, started.closed]);
    for (const closed of [a, b]) {
      expect(closed.code).toBe(1008);
      expect(closed.reason).toMatch(/no frames for 1 s/);
    }
    await waitUntil(() => app.calls.size === 0, 5_000, 'the idle call to be released');
  });

  it('refuses a frame over the size limit', async () => {
    const line = await dial(8);
    line.send(media(8, 40_000)); // 80 kB decoded: over the 64 kB per-frame limit
    const closed = await line.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/too large/);
    const huge = await dial(9, { start: false });
    huge.send('x'.repeat(300 * 1024)); // over the socket's 256 kB message limit
    expect((await huge.closed).code).toBe(1009);
    await waitUntil(() => app.calls.size === 0, 5_000, 'released');
  });
});
