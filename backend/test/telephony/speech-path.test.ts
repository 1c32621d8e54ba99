// The in-process speech path inside real calls over /local/media, with flite caller audio at
// real time: the AI's question sets what the recognizer listens for, a caller pausing midway
// through a zip code is not cut off, and a recognizer failure escalates only that call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';
import { createSpeechEngines, type SpeechEngines } from '../../src/runtime/speech-engines';
import type { SttStream } from '../../src/speech/types';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { concatPcm, silence } from '../support/caller-audio';
import { callerSays, waitUntil } from './harness';

let services: Services;
let speech: SpeechEngines;
let app: FastifyInstance;
let baseUrl: string;
let dataDir: string;
/** Every recognizer stream the calls opened, in order (for fault injection). */
const streams: SttStream[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-speech-path-'));
  const config = defaultConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', STT_WORKERS: 1 });
  services = await createServices({ config });
  speech = await createSpeechEngines(config);
  const openStream = speech.stt.openStream.bind(speech.stt);
  speech.stt.openStream = (opts) => {
    const stream = openStream(opts);
    streams.push(stream);
    return stream;
  };
  await speech.warm?.();
  app = await buildApp(services, { speech });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);

afterAll(async () => {
  await app.close();
  await speech.close?.();
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function events(sessionId: string): Promise<AnySessionEvent[]> {
  return services.store.listEvents(sessionId);
}

async function connectedCaller(from: string): Promise<ScriptedCaller> {
  const caller = new ScriptedCaller({ baseUrl, from, name: 'Test Caller' });
  await caller.connect();
  await caller.waitForAiAudio(0, 20_000);
  await waitUntil(() => caller.sessionId !== undefined, 20_000, 'the session id from the first mark');
  await caller.waitForAiIdle(700, 30_000);
  return caller;
}

const finals = (log: AnySessionEvent[]): string[] =>
  log.filter((e) => e.type === 'transcript.final').map((e) => (e.data as { text: string }).text);

describe('the in-process speech path in calls', () => {
  it('hears a zip said in two halves with a pause as one answer, and verifies the caller', async () => {
    const question = await callerSays('Where is my order?');
    const [firstHalf, secondHalf] = await Promise.all([callerSays('nine four one'), callerSays('oh seven')]);
    const caller = await connectedCaller('+15550100001');
    const sessionId = caller.sessionId!;
    await caller.say(question);
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'ai.said' && /zip code/.test((e.data as { text: string }).text)), 20_000, 'the verification question');
    await caller.waitForAiIdle(700, 30_000);
    // 700 ms between the halves: longer than the default 500 ms end of turn, shorter than the
    // wait for a number still being said.
    await caller.say(concatPcm([firstHalf, silence(700), secondHalf]));
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'identity.verified'), 20_000, 'verification');
    const heard = finals(await events(sessionId));
    console.log(`[speech-path] finals ${JSON.stringify(heard)}`);
    expect(heard).toHaveLength(2);
    expect(heard[1]).toMatch(/nine four one (oh|zero) seven/);
    await caller.hangUp();
  }, 90_000);

  it('a recognizer failure ends only that call’s recognition: media.error and a person, while another call goes on', async () => {
    const ask = await callerSays('I would like to speak to a person.');
    const question = await callerSays('What are your support hours?');
    const broken = await connectedCaller('+15550100002');
    const healthy = await connectedCaller('+15550100003');
    const brokenStream = streams.at(-2) as unknown as { injectFault(): void };
    brokenStream.injectFault();
    await Promise.all([broken.say(ask), healthy.say(question)]);
    const brokenId = broken.sessionId!;
    const healthyId = healthy.sessionId!;
    await waitUntil(async () => (await events(brokenId)).some((e) => e.type === 'call.escalated'), 20_000, 'escalation of the broken call');
    const brokenLog = await events(brokenId);
    expect(brokenLog.find((e) => e.type === 'media.error')?.data).toMatchObject({ stage: 'stt', message: expect.stringMatching(/injected decoder fault/) });
    expect(brokenLog.find((e) => e.type === 'call.escalated')?.data).toMatchObject({ reason: 'ai_error' });
    await waitUntil(async () => (await events(healthyId)).some((e) => e.type === 'ai.said' && /hours|open|monday|support/i.test((e.data as { text: string }).text) && e.seq > 3), 20_000, 'the other call answered');
    const healthyLog = await events(healthyId);
    expect(healthyLog.some((e) => e.type === 'media.error')).toBe(false);
    expect(finals(healthyLog).join(' ')).toMatch(/support|hours/);
    await Promise.all([broken.hangUp(), healthy.hangUp()]);
  }, 90_000);
});
