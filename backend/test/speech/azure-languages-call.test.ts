// Issue 13's "done when": a voice call over the local carrier with Azure STT and TTS on the
// Speech stand-in (the real SDK) and the model brain on the OpenAI stand-in. The stand-in
// identifies the caller's speech as Spanish (continuous language identification, as the SDK
// asks for it); the model is told so and answers in Spanish, spoken with the Spanish voice; the
// caller presses 0, no agent speaks Spanish so an English-speaking agent is offered the call
// with a notice, and reads the call in English translations (the model translator).
//
// Stand-in limits: pocketsphinx behind the Speech stand-in hears English, so the caller's audio
// says English words and the stand-in reports the Spanish words a Spanish caller would have
// said (speakAs); the stand-in model translates from a fixed table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import type { AnySessionEvent } from '../../../contracts/events';
import type { Services } from '../../src/runtime/services';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { TestAgent } from '../agents/agent-client';
import { azureSpeechSettings, startAzureSpeechStandIn, type AzureSpeechStandIn } from '../support/azure-speech-stand-in';
import { OpenAiStandIn, type RecordedRequest } from '../support/openai-stand-in';
import { callerSays, startBackend, waitUntil, type Backend } from '../telephony/harness';

const CALLER_SPANISH = '¿Cuál es su horario de apertura?';
const ANSWER_SPANISH = 'Nuestro horario es de ocho de la mañana a ocho de la noche.';
const ENGLISH: Record<string, string> = {
  [CALLER_SPANISH]: 'What are your opening hours?',
  [ANSWER_SPANISH]: 'Our hours are from eight in the morning to eight at night.',
};
const PASSWORD = 'agent-password-123';

let speechStandIn: AzureSpeechStandIn;
let model: OpenAiStandIn;
let backend: Backend;
let services: Services;
let baseUrl: string;

function systemPrompt(request: RecordedRequest): string {
  return request.body.messages[0]?.content ?? '';
}

beforeAll(async () => {
  speechStandIn = await startAzureSpeechStandIn();
  model = await OpenAiStandIn.start({
    script: (request) => {
      const system = systemPrompt(request);
      if (system.startsWith('You translate')) {
        const line = JSON.parse(request.body.messages[1]?.content ?? '""') as string;
        const to = /to \w+ \(([a-z]{2}-[A-Z]{2})\)/.exec(system)?.[1] ?? '';
        return { kind: 'reply', text: ENGLISH[line] ?? `(${to}) ${line}` };
      }
      if (system.includes('phone assistant')) return { kind: 'reply', text: ANSWER_SPANISH };
      // Agent assist (brief, suggestions): fails here, so the local versions are used.
      return { kind: 'status', status: 500 };
    },
  });
  backend = await startBackend({
    ...azureSpeechSettings(speechStandIn),
    LANGUAGES: 'en-US,es-ES',
    BRAIN_PROVIDER: 'openai',
    OPENAI_BASE_URL: model.baseUrl,
    OPENAI_MODEL: 'stand-in-model',
    BRAIN_HARD_DEADLINE_MS: 8000,
    ASSIST_TIMEOUT_MS: 500,
  });
  ({ services, baseUrl } = backend);
  await services.users.create({ email: 'eve@example.com', name: 'Eve Agent', role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'], languages: ['en-US'] });
}, 60_000);

afterAll(async () => {
  await backend?.close();
  await speechStandIn?.close();
  await model?.close();
});

const events = (sessionId: string): Promise<AnySessionEvent[]> => services.store.listEvents(sessionId);

describe('a Spanish-speaking caller on Azure Speech with the model brain (stand-ins, real SDKs)', () => {
  it('is identified as Spanish, answered in Spanish, and the English-speaking agent reads English translations', async () => {
    const eve = await TestAgent.signIn(baseUrl, 'eve@example.com', PASSWORD);
    await eve.connect();
    await eve.request({ type: 'presence.set', presence: 'available' });

    speechStandIn.speakAs(() => ({ language: 'es-ES', text: CALLER_SPANISH }));
    const question = await callerSays('what are your opening hours');
    const caller = new ScriptedCaller({ baseUrl, from: '+15550100042', name: 'Lucía Gómez' });
    await caller.connect();
    await caller.waitForAiAudio(0, 20_000);
    await waitUntil(() => caller.sessionId !== undefined, 20_000, 'the session id');
    await caller.waitForAiIdle(700, 30_000);
    const sessionId = caller.sessionId!;

    // The greeting offers Spanish by keypad, in Spanish.
    const greeting = (await events(sessionId)).find((e) => e.type === 'ai.said')!.data as { text: string };
    expect(greeting.text).toContain('Para español, oprima 2.');
    // The SDK asked for continuous identification among the served languages.
    expect(speechStandIn.received.languageId).toContainEqual({ languages: ['en-US', 'es-ES'], mode: 'DetectContinuous' });

    await caller.say(question);
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'ai.said' && (e.data as { text: string }).text === ANSWER_SPANISH), 30_000, 'the Spanish answer');
    const log = await events(sessionId);
    expect(log.find((e) => e.type === 'caller.language')?.data).toEqual({ language: 'es-ES', source: 'speech' });
    expect(log.some((e) => e.type === 'transcript.final' && (e.data as { text: string }).text === CALLER_SPANISH)).toBe(true);
    // The model was told the caller's language, and its answer was spoken with the Spanish voice.
    const brainRequest = model.requests.find((r) => systemPrompt(r).includes('phone assistant'))!;
    expect(systemPrompt(brainRequest)).toContain('The caller speaks Spanish (es-ES)');
    await waitUntil(() => speechStandIn.received.ssml.some((s) => s.includes('es-ES-ElviraNeural') && s.includes('Nuestro horario')), 20_000, 'the Spanish voice');

    // A person: no agent speaks Spanish, so Eve (English) is offered the call with a notice.
    await caller.waitForAiIdle(700, 30_000);
    caller.dtmf('0');
    const offer = await eve.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer', 30_000);
    expect(offer.offer).toMatchObject({ sessionId, language: 'es-ES', languageNotice: expect.stringMatching(/speaks Spanish and no agent speaks it/) });
    expect((await events(sessionId)).find((e) => e.type === 'call.escalated')?.data).toMatchObject({ reason: 'caller_request', language: 'es-ES' });

    await eve.request({ type: 'offer.accept', offerId: offer.offer.offerId });
    const assigned = await eve.waitFor<Extract<AgentServerMessage, { type: 'call.assigned' }>>((m) => m.type === 'call.assigned');
    expect(assigned.translation).toMatchObject({ callerLanguage: 'es-ES', agentLanguage: 'en-US', on: true });

    // The agent's app receives each line translated next to its original.
    const translated = (text: string) => (m: AgentServerMessage) => m.type === 'session.event' && m.event.type === 'transcript.translated' && m.event.data.text === text;
    const callerLine = await eve.waitFor<Extract<AgentServerMessage, { type: 'session.event' }>>(translated('What are your opening hours?'), 30_000);
    await eve.waitFor(translated('Our hours are from eight in the morning to eight at night.'), 30_000);
    const original = (await events(sessionId)).find((e) => e.seq === (callerLine.event.data as { ofSeq: number }).ofSeq);
    expect(original?.data).toMatchObject({ text: CALLER_SPANISH });
    expect(callerLine.event.data).toMatchObject({ speaker: 'caller', from: 'es-ES', to: 'en-US' });

    // "Speak my replies in the caller's language": Eve's words are recognized, translated to
    // Spanish, marked as such in the log, and synthesized to the caller with the Spanish voice.
    speechStandIn.speakAs(() => ({ language: 'en-US' }));
    expect(await eve.request({ type: 'call.speak_translated', sessionId, on: true })).toMatchObject({ type: 'ack' });
    await eve.waitFor((m) => m.type === 'call.state' && m.speakTranslated === true);
    const leg = new WebSocket(`${baseUrl.replace('http', 'ws')}/agent/media?token=${eve.token}&sessionId=${sessionId}`);
    await new Promise((r) => leg.once('open', r));
    leg.send(JSON.stringify({ event: 'start', sequenceNumber: '1', streamSid: 'MAeve', start: { streamSid: 'MAeve', callSid: 'CAeve', tracks: ['inbound'], customParameters: { from: 'agent', sessionId }, mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 } } }));
    const agentVoice = await callerSays('let me check that for you', 'slt');
    const quiet = new Int16Array(16000);
    const audio = new Int16Array(agentVoice.length + quiet.length);
    audio.set(agentVoice);
    for (let i = 0; i < audio.length; i += 320) {
      const chunk = audio.subarray(i, i + 320);
      leg.send(JSON.stringify({ event: 'media', sequenceNumber: String(i), streamSid: 'MAeve', media: { track: 'inbound', chunk: '1', timestamp: '0', payload: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64') } }));
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'agent.spoken_translated'), 30_000, 'the agent’s words spoken translated');
    const spoken = (await events(sessionId)).find((e) => e.type === 'agent.spoken_translated')!.data as { original: string; text: string; to: string };
    expect(spoken).toMatchObject({ to: 'es-ES', original: expect.stringMatching(/check/) });
    expect(spoken.text).toBe(`(es-ES) ${spoken.original}`);
    await waitUntil(() => speechStandIn.received.ssml.some((s) => s.includes('es-ES-ElviraNeural') && s.includes(spoken.text.replace('(es-ES) ', ''))), 20_000, 'the translated reply synthesized in Spanish');
    leg.close();

    await caller.hangUp();
    await eve.close();
    speechStandIn.speakAs(undefined);
  }, 150_000);
});
