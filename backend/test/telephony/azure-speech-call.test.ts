// Voice calls over the local carrier with STT_PROVIDER=azure and TTS_PROVIDER=azure, the real
// SDK talking to the local Azure Speech stand-in: the caller hears the greeting and is answered
// on a spoken turn; a wrong key shows at start, and a key revoked mid-run gives media.error and
// a person, never silence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { defaultConfig } from '../../src/config/config';
import type { Services } from '../../src/runtime/services';
import { createSpeechEngines, type SpeechEngines } from '../../src/runtime/speech-engines';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { azureSpeechSettings, startAzureSpeechStandIn, type AzureSpeechStandIn } from '../support/azure-speech-stand-in';
import { callerSays, startBackend, waitUntil, type Backend } from './harness';

let standIn: AzureSpeechStandIn;
let backend: Backend;
let services: Services;
let speech: SpeechEngines;
let baseUrl: string;

beforeAll(async () => {
  standIn = await startAzureSpeechStandIn();
  backend = await startBackend(azureSpeechSettings(standIn));
  ({ services, speech, baseUrl } = backend);
}, 60_000);

afterAll(async () => {
  await backend?.close();
  await standIn?.close();
});

const events = (sessionId: string): Promise<AnySessionEvent[]> => services.store.listEvents(sessionId);

describe('a voice call on Azure Speech (stand-in, real SDK)', () => {
  it('checks only the configured engines and finds Azure reachable', () => {
    expect(speech.statuses).toEqual([expect.objectContaining({ name: 'Azure Speech (STT and TTS)', available: true })]);
    expect(speech.problems()).toEqual([]);
  });

  it('greets the caller in Azure audio and answers a spoken turn', async () => {
    const question = await callerSays('what are your opening hours');
    const caller = new ScriptedCaller({ baseUrl, from: '+15550100001', name: 'Test Caller' });
    await caller.connect();
    await caller.waitForAiAudio(0, 20_000);
    await waitUntil(() => caller.sessionId !== undefined, 20_000, 'the session id');
    await caller.waitForAiIdle(700, 30_000);
    const sessionId = caller.sessionId!;
    const saidBefore = (await events(sessionId)).filter((e) => e.type === 'ai.said').length;
    await caller.say(question);
    await waitUntil(async () => (await events(sessionId)).filter((e) => e.type === 'ai.said').length > saidBefore, 30_000, 'the answer');
    const log = await events(sessionId);
    const finals = log.filter((e) => e.type === 'transcript.final').map((e) => (e.data as { text: string }).text);
    expect(finals.join(' ')).toMatch(/hours/);
    expect(log.some((e) => e.type === 'media.error')).toBe(false);
    expect(standIn.received.ssml.length).toBeGreaterThan(0);
    expect(standIn.received.audioFormats).toEqual(['pcm/16000']);
    await caller.hangUp();
  }, 90_000);

  it('feeds a µ-law 8 kHz call’s audio to Azure as it came, and answers it', async () => {
    const question = await callerSays('what are your opening hours');
    const caller = new ScriptedCaller({ baseUrl, from: '+15550100003', name: 'Test Caller', encoding: 'audio/x-mulaw' });
    await caller.connect();
    await caller.waitForAiAudio(0, 20_000);
    await waitUntil(() => caller.sessionId !== undefined, 20_000, 'the session id');
    await caller.waitForAiIdle(700, 30_000);
    const sessionId = caller.sessionId!;
    await caller.say(question);
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'transcript.final' && /hours/.test((e.data as { text: string }).text)), 30_000, 'the µ-law turn heard');
    expect(standIn.received.audioFormats).toContain('mulaw/8000');
    await caller.hangUp();
  }, 90_000);

  it('a key revoked while running gives media.error and a person, never silence', async () => {
    standIn.setKey('rotated-key');
    try {
      const caller = new ScriptedCaller({ baseUrl, from: '+15550100002', name: 'Test Caller' });
      await caller.connect();
      await waitUntil(() => caller.sessionId !== undefined, 20_000, 'the session id');
      const sessionId = caller.sessionId!;
      await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'call.escalated'), 30_000, 'escalation');
      const log = await events(sessionId);
      expect(log.find((e) => e.type === 'media.error')?.data).toMatchObject({ message: expect.stringMatching(/AZURE_SPEECH_KEY/) });
      await caller.hangUp();
    } finally {
      standIn.setKey('stand-in-key');
    }
  }, 60_000);

  it('says at start that a wrong key was refused, naming what to check', async () => {
    const config = defaultConfig({ DATA_DIR: backend.dataDir, ...azureSpeechSettings(standIn), AZURE_SPEECH_KEY: 'wrong' });
    const wrong = await createSpeechEngines(config);
    expect(wrong.problems().join('\n')).toMatch(/refused the key.*AZURE_SPEECH_KEY/);
  }, 30_000);
});
