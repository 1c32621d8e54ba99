// Card numbers and SSNs never stored, end to end over the real backend: typed in a text
// conversation, keyed on the phone keypad (one DTMF event per digit, with the tones in band as
// a real phone sends them), and spoken (flite → pocketsphinx). Checked where they could leak:
// the conversation history, every stored event, the search index, captions, the recording
// (decoded: the tone region is silence) and the server log. Zip codes still verify.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { buildApp } from '../../src/app';
import { buildHandoffBrief } from '../../src/assist/handoff-brief';
import { draftWrapUpSummary } from '../../src/assist/wrap-up-summary';
import { defaultConfig } from '../../src/config/config';
import { holdsKeypadTone } from '../../src/media/recording-guard';
import { dtmfTone, silence } from '../../src/media/tones';
import { createServices, type Services } from '../../src/runtime/services';
import { createSpeechEngines } from '../../src/runtime/speech-engines';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { concatPcm, synthesizeCallerUtterance } from '../support/caller-audio';
import { callerSays, waitUntil } from '../telephony/harness';

const KEYED_CARD = '4111111111111111';
const SPOKEN_CARD = '4539148803436467';
const GROUPED_CARD = '4539034352473459';
const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

let dataDir: string;
let services: Services;
let app: FastifyInstance;
let baseUrl: string;
const logLines: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-redaction-'));
  const config = defaultConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  services = await createServices({ config });
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  app = await buildApp(services, { logger: { level: 'info', stream }, speech: await createSpeechEngines(config) });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Everything a session stored, as one string (every payload of every event). */
async function storedText(sessionId: string): Promise<string> {
  return JSON.stringify(await services.store.listEvents(sessionId));
}

/** Every line of the FTS search index. */
async function indexedLines(): Promise<string[]> {
  const { rows } = await sql<{ text: string }>`select text from transcript_fts`.execute(services.db);
  return rows.map((r) => r.text);
}

/** Digits in a text, spoken ones included: what a reader could rebuild a number from. */
function digitsOf(text: string): string {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => (/^\d+$/.test(w) ? w : DIGIT_WORDS.indexOf(w) >= 0 ? String(DIGIT_WORDS.indexOf(w)) : w === 'oh' ? '0' : ' '))
    .join('');
}

function sine(frequency: number, ms: number): Int16Array {
  const out = new Int16Array(ms * 16);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(8000 * Math.sin((2 * Math.PI * frequency * i) / 16000));
  return out;
}

describe('typed input', () => {
  it('masks a typed card and SSN before the history, the log and the index; a typed zip still verifies', async () => {
    const conversation = await services.startConversation({ channel: 'text', callerId: '+15550100001' });
    await conversation.handle({ kind: 'text', text: 'Where is my order? My card is 4111 1111 1111 1111 and my SSN is 123-45-6789.' });
    const history = conversation.history.map((h) => h.text).join('\n');
    expect(history).toContain('************1111');
    expect(history).toContain('***-**-6789');
    expect(history).not.toMatch(/4111 1111|123-45/);
    const said = (await services.store.listEvents(conversation.sessionId)).find((e) => e.type === 'caller.said');
    expect(said?.data).toMatchObject({ text: 'Where is my order? My card is ************1111 and my SSN is ***-**-6789.' });

    await conversation.handle({ kind: 'text', text: 'my zip is 94107' });
    expect(conversation.verified).toBe(true);
    const stored = await storedText(conversation.sessionId);
    expect(stored).not.toContain('4111 1111');
    expect(stored).not.toContain('123-45-6789');
    expect(stored).toContain('94107');
    await waitUntil(async () => (await indexedLines()).some((l) => l.includes('my zip is 94107')), 5000, 'the index to catch up');
    const index = (await indexedLines()).join('\n');
    expect(index).toContain('************1111');
    expect(index).not.toMatch(/4111 1111|123-45-6789/);
    const hits = await sql<{ n: number }>`select count(*) as n from transcript_fts where transcript_fts match '"4111"'`.execute(services.db);
    expect(hits.rows[0]?.n).toBe(0);
  });
});

describe('a voice call', () => {
  it('masks keyed and spoken cards in events, captions, search and logs, and records silence for the tones', { timeout: 180_000 }, async () => {
    const caller = new ScriptedCaller({ baseUrl, from: '+15550100001', name: 'Dana Reyes' });
    await caller.connect();
    await caller.waitForAiAudio(0, 20_000);
    await waitUntil(() => caller.sessionId !== undefined, 20_000, 'the session id');
    const sessionId = caller.sessionId!;
    const events = () => services.store.listEvents(sessionId);
    const has = async (check: (e: AnySessionEvent) => boolean) => (await events()).some(check);
    await caller.waitForAiIdle(700, 30_000);

    // A card read out one digit at a time (first: the keypad tones later throw the recognizer's
    // level adaptation off for a while).
    const spokenWords = [...SPOKEN_CARD].map((d) => DIGIT_WORDS[Number(d)]).join(' ');
    await caller.say(await synthesizeCallerUtterance(spokenWords));
    await waitUntil(() => has((e) => e.type === 'transcript.final' && /\*{4}/.test(e.data.text)), 45_000, 'the spoken card transcribed').catch(async (err) => {
      console.log(JSON.stringify((await events()).map((e) => [e.type, e.data])));
      throw err;
    });
    const finals = (await events()).filter((e) => e.type === 'transcript.final').map((e) => (e.data as { text: string }).text);
    expect(finals.join('\n')).toContain('************6467');

    // A zip keyed on the keypad still verifies (five digits are never masked).
    await caller.waitForAiIdle(700, 30_000);
    await caller.say(await callerSays('where is my order'));
    await waitUntil(() => has((e) => e.type === 'caller.said' && /order/.test(e.data.text)), 30_000, 'the order question');
    for (const digit of '94107#') caller.dtmf(digit);
    await waitUntil(() => has((e) => e.type === 'identity.verified'), 40_000, 'verification by keyed zip');
    expect((await events()).find((e) => e.type === 'caller.dtmf')?.data).toMatchObject({ digits: '94107' });

    // A card keyed digit by digit, each key's tone in band before its DTMF event, between two
    // 1 kHz marker beeps that show where the keying sits in the recording.
    await caller.say(concatPcm([sine(1000, 200), silence(100)]));
    for (const digit of KEYED_CARD) {
      await caller.say(concatPcm([dtmfTone(digit, 120), silence(80)]));
      caller.dtmf(digit);
    }
    caller.dtmf('#');
    await caller.say(concatPcm([silence(100), sine(1000, 200)]));
    await waitUntil(() => has((e) => e.type === 'caller.dtmf' && e.data.digits.endsWith('1111')), 40_000, 'the keyed card');
    const keyed = (await events()).filter((e) => e.type === 'caller.dtmf').map((e) => e.data as { digits: string });
    expect(keyed.at(-1)).toEqual(expect.objectContaining({ digits: '************1111' }));

    const captions = await caller.captions();
    const captionText = captions.lines.map((l) => l.text).join('\n');
    expect(captionText).toContain('************6467');

    await caller.hangUp();
    await waitUntil(() => has((e) => e.type === 'recording.saved'), 20_000, 'the recording');
    await app.analytics.ingest.settle();

    // Whatever a module logs goes through the same mask (errors and objects included).
    app.log.error(new Error(`payment with ${KEYED_CARD} declined`));
    app.log.info({ heard: [...SPOKEN_CARD].map((d) => DIGIT_WORDS[Number(d)]).join(' ') }, `caller read ${SPOKEN_CARD}`);

    // Nowhere in clear: the events, captions, the search index, the log, and what the agent
    // desk builds from the events (handoff brief, wrap-up draft).
    const stored = await storedText(sessionId);
    const all = await events();
    const assist = JSON.stringify([buildHandoffBrief(all, undefined, { knowledge: services.knowledge }), draftWrapUpSummary(all)]);
    const index = (await indexedLines()).join('\n');
    const logs = logLines.join('');
    for (const [where, text] of [
      ['events', stored],
      ['captions', captionText],
      ['search index', index],
      ['log', logs],
      ['brief and wrap-up draft', assist],
    ] as const) {
      expect(digitsOf(text), where).not.toContain(KEYED_CARD);
      expect(digitsOf(text), where).not.toContain(SPOKEN_CARD);
      expect(digitsOf(text), where).not.toContain(SPOKEN_CARD.slice(0, 12));
    }
    expect(logs).toMatch(/voice call started/);
    expect(logs).toContain('payment with ************1111 declined');

    // The recording: the caller channel between the two marker beeps is silence, and holds no tone.
    const recording = (await events()).find((e) => e.type === 'recording.saved')!.data as { path: string };
    const wav = await readFile(recording.path);
    const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.byteLength));
    const left = new Int16Array(samples.length / 2);
    for (let i = 0; i < left.length; i++) left[i] = samples[2 * i] ?? 0;
    const beeps: number[] = [];
    for (let at = 0; at + 320 <= left.length; at += 320) {
      const block = left.subarray(at, at + 320);
      expect(holdsKeypadTone(block), `keypad tone at ${at / 16} ms`).toBe(false);
      if (isBeep(block)) beeps.push(at);
    }
    expect(beeps.length).toBeGreaterThanOrEqual(2);
    const firstBeepEnd = beeps.find((b, i) => beeps[i + 1] !== b + 320)! + 320;
    const lastBeepStart = beeps.filter((b, i) => i === 0 || beeps[i - 1] !== b - 320).at(-1)!;
    expect(lastBeepStart - firstBeepEnd).toBeGreaterThanOrEqual(16 * 200 * 16 * 0.9); // ~16 keys × 200 ms
    expect(left.subarray(firstBeepEnd, lastBeepStart).every((s) => s === 0)).toBe(true);
  });
});

describe('a card read in groups across turns', () => {
  it('is joined into one masked turn; the AI does not answer each group', { timeout: 90_000 }, async () => {
    const caller = new ScriptedCaller({ baseUrl, from: '+15550100002', name: 'Sam Caller' });
    await caller.connect();
    await caller.waitForAiAudio(0, 20_000);
    await waitUntil(() => caller.sessionId !== undefined, 20_000, 'the session id');
    const sessionId = caller.sessionId!;
    await caller.waitForAiIdle(700, 30_000);
    // Groups the recognizer hears reliably on their own (short utterances have no context).
    for (const group of GROUPED_CARD.match(/\d{4}/g)!) {
      const words = [...group].map((d) => DIGIT_WORDS[Number(d)]).join(' ');
      await caller.say(concatPcm([silence(300), await synthesizeCallerUtterance(words, 'kal16'), silence(1500)]));
    }
    const events = () => services.store.listEvents(sessionId);
    await waitUntil(async () => (await events()).some((e) => e.type === 'caller.said'), 45_000, 'the joined turn').catch(async (err) => {
      console.log(JSON.stringify((await events()).map((e) => [e.type, e.data])));
      throw err;
    });
    const log = await events();
    const finals = log.filter((e) => e.type === 'transcript.final').map((e) => (e.data as { text: string }).text);
    expect(finals, JSON.stringify(finals)).toEqual(['************3459']);
    expect(log.filter((e) => e.type === 'caller.said')).toHaveLength(1);
    expect(digitsOf(JSON.stringify(log))).not.toContain(GROUPED_CARD.slice(0, 8));
    await caller.hangUp();
  });
});

/** A block dominated by the 1 kHz marker. */
function isBeep(block: Int16Array): boolean {
  let energy = 0;
  let re = 0;
  let im = 0;
  for (let i = 0; i < block.length; i++) {
    const s = block[i] ?? 0;
    energy += s * s;
    re += s * Math.cos((2 * Math.PI * 1000 * i) / 16000);
    im += s * Math.sin((2 * Math.PI * 1000 * i) / 16000);
  }
  return energy > 320 * 1000 * 1000 && (2 * (re * re + im * im)) / (block.length * energy) > 0.8;
}
