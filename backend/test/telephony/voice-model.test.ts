// A voice call over the local carrier with BRAIN_PROVIDER=openai against the stand-in model,
// which writes slowly: the caller hears the first sentence while the model is still writing
// the rest, and barge-in during the reply aborts the provider request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { OpenAiStandIn } from '../support/openai-stand-in';
import { callerSays, startBackend, waitUntil, type Backend } from './harness';

const REPLY =
  'Sure, I can help with that. Our support line is open from eight in the morning until eight at night. ' +
  'On weekends we open at ten and close at six, and the chat on our website follows the same hours.';

let standIn: OpenAiStandIn;
let backend: Backend;
beforeAll(async () => {
  // About 40 tokens at 120 ms: the stream takes ~5 s; the first sentence is done after ~0.7 s.
  standIn = await OpenAiStandIn.start({ firstTokenMs: 100, tokenMs: 120, script: [{ kind: 'reply', text: REPLY }] });
  backend = await startBackend({
    BRAIN_PROVIDER: 'openai',
    OPENAI_BASE_URL: standIn.baseUrl,
    OPENAI_MODEL: 'voice-model',
    BRAIN_HARD_DEADLINE_MS: 8000,
  });
});
afterAll(async () => {
  await backend.close();
  await standIn.close();
});

async function events(sessionId: string): Promise<AnySessionEvent[]> {
  return backend.services.store.listEvents(sessionId);
}

async function connectedCaller(from: string): Promise<ScriptedCaller> {
  const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from });
  await caller.connect();
  await caller.waitForAiAudio(0, 20_000);
  await waitUntil(() => caller.sessionId !== undefined, 20_000, 'the session id from the first mark');
  await caller.waitForAiIdle(700, 30_000);
  return caller;
}

describe('voice call with the openai provider', () => {
  it('speaks the first sentence before the model stream ends', async () => {
    const caller = await connectedCaller('+15550100003');
    let streamEndedAt = Infinity;
    void standIn.nextClose().then(() => (streamEndedAt = performance.now()));
    const askedAt = performance.now();
    caller.dtmf('5');
    caller.dtmf('#');
    await caller.waitForAiAudio(askedAt, 20_000);
    const firstAudioAt = caller.mediaArrivals.find((t) => t > askedAt)!;
    await waitUntil(() => streamEndedAt < Infinity, 20_000, 'the model stream to end');
    expect(firstAudioAt).toBeLessThan(streamEndedAt);
    expect(standIn.requests[0]!.aborted).toBe(false);
    const sessionId = caller.sessionId!;
    await waitUntil(async () => (await events(sessionId)).filter((e) => e.type === 'ai.said').length >= 2, 20_000, 'the reply logged');
    const said = (await events(sessionId)).filter((e) => e.type === 'ai.said').at(-1)!.data as { text: string };
    expect(said.text).toBe(REPLY.trim());
    const usage = (await events(sessionId)).find((e) => e.type === 'ai.usage')?.data as { firstSentenceMs: number; totalMs: number };
    expect(usage.firstSentenceMs).toBeLessThan(usage.totalMs);
    await caller.hangUp();
  });

  it('barge-in while the model still writes aborts the provider request', async () => {
    standIn.requests.length = 0;
    const interruption = await callerSays('wait a moment I have another question');
    const caller = await connectedCaller('+15550100002');
    const closed = standIn.nextClose();
    const askedAt = performance.now();
    caller.dtmf('5');
    caller.dtmf('#');
    await caller.waitForAiAudio(askedAt, 20_000);
    await caller.say(interruption);
    await closed;
    expect(standIn.requests[0]!.aborted).toBe(true);
    const sessionId = caller.sessionId!;
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'ai.interrupted'), 15_000, 'the cut recorded');
    const cut = (await events(sessionId)).find((e) => e.type === 'ai.interrupted')!.data as { heardText: string; plannedText: string };
    // Planned is what was released before the abort: less than the whole reply.
    expect(REPLY.startsWith(cut.plannedText)).toBe(true);
    expect(cut.plannedText.length).toBeLessThan(REPLY.trim().length);
    await caller.hangUp();
  });
});
