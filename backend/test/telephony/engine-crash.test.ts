// A synthesis worker crash in the middle of live calls: the process stays up, the worker is
// replaced, a call whose sentence was being made ends with a reason, every other call carries
// on, and new calls are answered. Real flite (the worker pool); recognition is a test double
// that hears the same question on every turn (adapter test for STT only).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';
import { fliteWorkerPool } from '../../src/speech/flite-tts';
import { createTextToSpeech } from '../../src/speech/providers';
import { FaultySpeech } from '../support/faulty-speech';
import { waitUntil } from './harness';

let dataDir: string;
let services: Services;
let app: FastifyInstance;
let fake: FaultySpeech;
let url: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-engine-crash-'));
  const config = defaultConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', RECORDINGS: false, END_OF_TURN_SILENCE_MS: 200 });
  services = await createServices({ config, databaseFile: ':memory:' });
  fake = new FaultySpeech();
  fake.fixedFinal = 'what are your opening hours';
  const tts = createTextToSpeech({ provider: 'local', engine: 'wasi' });
  app = await buildApp(services, { speech: { stt: fake.stt, tts, statuses: [], problems: () => [] } });
  url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws') + '/local/media';
});

afterAll(async () => {
  await app.close();
  await services.close();
  fake.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Line {
  ws: WebSocket;
  media: number;
  closed: boolean;
  ticker: NodeJS.Timeout | undefined;
  speakFrames: number;
}

function vowel(chunk: number): string {
  const pcm = new Int16Array(320);
  for (let i = 0; i < pcm.length; i++) {
    const t = (chunk * 320 + i) / 16000;
    let v = 0;
    for (let k = 1; k <= 12; k++) v += Math.sin(2 * Math.PI * 130 * k * t) / k;
    pcm[i] = Math.round(6000 * v);
  }
  return Buffer.from(pcm.buffer).toString('base64');
}
const SILENCE = Buffer.alloc(640).toString('base64');

async function dial(n: number): Promise<Line> {
  const ws = new WebSocket(url);
  await new Promise((r) => ws.once('open', r));
  const line: Line = { ws, media: 0, closed: false, ticker: undefined, speakFrames: 0 };
  ws.on('close', () => {
    line.closed = true;
    clearInterval(line.ticker);
  });
  ws.on('message', (d: Buffer) => {
    const f = JSON.parse(d.toString()) as { event: string; mark?: { name: string } };
    if (f.event === 'media') line.media++;
    if (f.event === 'mark' && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: 'mark', sequenceNumber: '3', streamSid: `MZ${n}`, mark: f.mark }));
  });
  ws.send(JSON.stringify({ event: 'start', sequenceNumber: '1', streamSid: `MZ${n}`, start: { streamSid: `MZ${n}`, callSid: `CA${n}`, customParameters: { from: `+1555040000${n}` }, mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 } } }));
  let chunk = 0;
  line.ticker = setInterval(() => {
    if (ws.readyState !== ws.OPEN) return;
    const payload = line.speakFrames > 0 ? vowel(chunk) : SILENCE;
    if (line.speakFrames > 0) line.speakFrames--;
    chunk++;
    ws.send(JSON.stringify({ event: 'media', sequenceNumber: '2', streamSid: `MZ${n}`, media: { track: 'inbound', chunk: String(chunk), timestamp: String(chunk * 20), payload } }));
  }, 20);
  return line;
}

async function aiTurns(): Promise<Map<string, number>> {
  const rows = await services.db.selectFrom('session_events').select(['session_id']).where('type', '=', 'ai.said').execute();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.session_id, (counts.get(r.session_id) ?? 0) + 1);
  return counts;
}

describe('a synthesis worker crash during live calls', () => {
  it('affects only the calls whose sentence was being made; the others and new calls carry on', { timeout: 120_000 }, async () => {
    const pool = fliteWorkerPool();
    const lines = await Promise.all([1, 2, 3, 4].map((n) => dial(n)));
    await waitUntil(() => lines.every((l) => l.media > 0), 20_000, 'every greeting');
    const crashesBefore = pool.stats().crashes;
    for (const l of lines) l.speakFrames = 20; // 400 ms of "speech", then silence ends the turn
    // Crash the worker while it is busy with the replies.
    await waitUntil(() => pool.stats().busy > 0 || pool.stats().queued > 0, 20_000, 'replies being synthesized');
    pool.injectCrash(0);
    await waitUntil(() => pool.stats().crashes > crashesBefore, 20_000, 'the crash to be noticed');
    // Every call either got its answer or ended with the reason; none hangs, the process is up.
    await waitUntil(async () => {
      const turns = await aiTurns();
      const sessions = await services.db.selectFrom('sessions').select(['id', 'state']).execute();
      return sessions.length === 4 && sessions.every((s) => s.state === 'ended' || (turns.get(s.id) ?? 0) >= 2);
    }, 30_000, 'each call answered or ended');
    const sessions = await services.db.selectFrom('sessions').select(['id', 'state']).execute();
    const ended = sessions.filter((s) => s.state === 'ended');
    expect(ended.length).toBeLessThanOrEqual(pool.size);
    for (const s of ended) {
      const end = (await services.store.listEvents(s.id)).find((e) => e.type === 'session.ended');
      expect((end?.data as { reason: string }).reason).toMatch(/^(voice turn failed|the call could not be started): .*worker crashed/);
    }
    // A new call after the crash is greeted and answered by the replacement worker.
    const late = await dial(5);
    await waitUntil(() => late.media > 0, 20_000, 'the new call to be greeted');
    for (const l of [...lines, late]) l.ws.close();
    await waitUntil(() => app.calls.size === 0, 10_000, 'all calls released');
  });
});
