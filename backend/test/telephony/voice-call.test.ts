// Real audio end to end over /local/media: flite-synthesized caller speech streamed at real
// time, recognized by pocketsphinx, answered by the conversation and spoken by flite.
// Word matching is tolerant (key words), as recognition of synthetic voices is not perfect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { callerSays, startBackend, waitUntil, type Backend } from './harness';

let backend: Backend;
beforeAll(async () => {
  backend = await startBackend();
});
afterAll(async () => {
  await backend.close();
});

async function events(sessionId: string): Promise<AnySessionEvent[]> {
  return backend.services.store.listEvents(sessionId);
}

async function connectedCaller(from = '+15550100001'): Promise<ScriptedCaller> {
  const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from, name: 'Test Caller' });
  await caller.connect();
  await caller.waitForAiAudio(0, 20_000);
  await waitUntil(() => caller.sessionId !== undefined, 20_000, 'the session id from the first mark');
  return caller;
}

describe('voice calls over the local carrier', () => {
  it('hears the caller ask for a person, answers, and escalates to the human queue', async () => {
    const utterance = await callerSays('I want to speak to a person please');
    const caller = await connectedCaller();
    await caller.waitForAiIdle(700, 30_000);
    await caller.say(utterance);
    const sessionId = caller.sessionId!;
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'call.escalated'), 20_000, 'escalation');
    const log = await events(sessionId);
    const heard = log.filter((e) => e.type === 'transcript.final').map((e) => (e.data as { text: string }).text.toLowerCase());
    expect(heard.join(' ')).toMatch(/person|speak/);
    const finalEvent = log.find((e) => e.type === 'transcript.final')!;
    expect(finalEvent.data).toMatchObject({ speaker: 'caller' });
    expect((finalEvent.data as { endMs: number }).endMs).toBeGreaterThan((finalEvent.data as { startMs: number }).startMs);
    const escalated = log.find((e) => e.type === 'call.escalated')!;
    expect(escalated.data).toMatchObject({ reason: 'caller_request' });
    // The AI's reply is spoken: audio arrives after the caller's turn.
    await caller.waitForAiAudio(performance.now() - 5000, 10_000);
    const said = log.filter((e) => e.type === 'ai.said').map((e) => (e.data as { text: string }).text);
    expect(said.at(-1)).toMatch(/connecting you with a person/i);
    await caller.hangUp();
    await waitUntil(async () => (await backend.services.store.getSession(sessionId))?.state === 'ended', 10_000, 'session end');
  });

  it('escalates on DTMF 0', async () => {
    const caller = await connectedCaller('+15550100002');
    caller.dtmf('0');
    const sessionId = caller.sessionId!;
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'call.escalated'), 15_000, 'escalation on 0');
    const log = await events(sessionId);
    expect(log.find((e) => e.type === 'caller.dtmf')?.data).toMatchObject({ digits: '0' });
    expect(log.find((e) => e.type === 'call.escalated')?.data).toMatchObject({ reason: 'caller_request' });
    expect((await backend.services.store.getSession(sessionId))?.state).toBe('queued');
    await caller.hangUp();
  });

  it('sends clear when the caller talks over a long AI answer, and keeps only what was heard', async () => {
    const interruption = await callerSays('wait I have a different question about my order');
    const caller = await connectedCaller('+15550100003');
    // The greeting is a long AI turn: talk over it once a second of it has played.
    await new Promise((r) => setTimeout(r, 1200));
    expect(caller.aiSpeaking).toBe(true);
    await caller.say(interruption);
    await waitUntil(() => caller.clears.length > 0, 10_000, 'a clear frame');
    const sessionId = caller.sessionId!;
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'ai.interrupted'), 10_000, 'the cut recorded');
    const cut = (await events(sessionId)).find((e) => e.type === 'ai.interrupted')!.data as { heardText: string; plannedText: string };
    expect(cut.plannedText).toMatch(/automated assistant/);
    expect(cut.heardText.length).toBeLessThan(cut.plannedText.length);
    await caller.hangUp();
  });

  it('leaves a complete session when the caller hangs up mid-reply', async () => {
    const caller = await connectedCaller('+15550100004');
    await new Promise((r) => setTimeout(r, 800));
    await caller.hangUp();
    const sessionId = caller.sessionId!;
    await waitUntil(async () => (await backend.services.store.getSession(sessionId))?.state === 'ended', 10_000, 'session ended');
    const log = await events(sessionId);
    expect(log.at(-1)?.type).toBe('state.changed');
    expect(log.some((e) => e.type === 'session.ended' && (e.data as { by: string }).by === 'caller')).toBe(true);
    const cut = log.find((e) => e.type === 'ai.interrupted');
    expect(cut).toBeDefined();
    expect((cut!.data as { heardText: string }).heardText).not.toEqual((cut!.data as { plannedText: string }).plannedText);
  });
});
