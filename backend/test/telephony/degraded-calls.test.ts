// Calls in degraded conditions: a slow brain gets a filler line (never stored as something
// the AI said), and a server with a missing speech engine answers with a spoken error.
import { afterEach, describe, expect, it } from 'vitest';
import type { Brain } from '../../src/brain/brain';
import { createBrain } from '../../src/runtime/services';
import { Conversation } from '../../src/conversation/conversation';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { FILLER_LINE } from '../../src/telephony/voice-call';
import { callerSays, startBackend, waitUntil, type Backend } from './harness';
import { createSpeechEngines } from '../../src/runtime/speech-engines';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { createServices } from '../../src/runtime/services';

let backend: Backend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

describe('degraded voice calls', () => {
  it('plays a filler when no reply audio is ready 1.5 s after the caller finished, and never stores it as AI speech', async () => {
    backend = await startBackend();
    const services = backend.services;
    // A brain that thinks for 2.5 s before answering.
    services.startConversation = (opts) => {
      const inner = createBrain(services.config);
      const slow: Brain = {
        provider: 'slow-test',
        greet: (o) => inner.greet(o),
        async *respond(turn, opts) {
          await new Promise((r) => setTimeout(r, 2500));
          yield* inner.respond(turn, opts);
        },
      };
      return Conversation.start(
        { store: services.store, crm: services.crm, knowledge: { search: (q, l) => services.knowledge.search(q, l), confidenceThreshold: 0.37 }, brain: slow, policy: services.policy, companyName: 'Test Co' },
        opts,
      );
    };
    const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from: '+15550100001' });
    await caller.connect();
    await caller.waitForAiAudio(0, 20_000);
    await caller.waitForAiIdle(700, 30_000);
    await caller.say(await callerSays('hello there'));
    const sessionId = caller.sessionId!;
    await waitUntil(async () => (await services.store.listEvents(sessionId)).some((e) => e.type === 'media.filler'), 15_000, 'filler');
    await waitUntil(async () => (await services.store.listEvents(sessionId)).filter((e) => e.type === 'ai.said').length >= 2, 15_000, 'reply');
    const log = await services.store.listEvents(sessionId);
    expect(log.find((e) => e.type === 'media.filler')?.data).toMatchObject({ text: FILLER_LINE });
    const said = log.filter((e) => e.type === 'ai.said').map((e) => (e.data as { text: string }).text);
    expect(said.some((t) => t.includes(FILLER_LINE))).toBe(false);
    await caller.hangUp();
  });

  it('answers with a spoken error, and logs it, when speech recognition is missing', async () => {
    const config = defaultConfig({ DATA_DIR: '.tmp/degraded', LOG_LEVEL: 'silent' });
    const services = await createServices({ config, databaseFile: ':memory:' });
    const real = await createSpeechEngines(config);
    const missing = 'pocketsphinx is not available: binary not found — install with: sudo apt-get install pocketsphinx pocketsphinx-en-us';
    const app = await buildApp(services, { speech: { ...real, problems: () => [missing] } });
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const caller = new ScriptedCaller({ baseUrl, from: '+15550100009' });
      await caller.connect();
      await caller.waitForAiAudio(0, 20_000);
      await waitUntil(() => caller.sessionId !== undefined, 10_000, 'session id');
      const log = await services.store.listEvents(caller.sessionId!);
      expect(log.find((e) => e.type === 'media.error')?.data).toMatchObject({ stage: 'stt', message: missing });
      const captions = await caller.captions();
      expect(caller.received.some((f) => f.event === 'media')).toBe(true);
      expect(captions.lines.length).toBeGreaterThan(0);
      await caller.hangUp();
    } finally {
      await app.close();
      await services.close();
    }
  });
});
