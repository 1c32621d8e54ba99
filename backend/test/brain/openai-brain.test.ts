// The openai and azure-openai providers through the official `openai` client against the
// OpenAI-compatible stand-in (real HTTP, SSE): streaming text, tool-call arguments split
// across chunks, the usage chunk, 429 with Retry-After, 500, a request that never answers,
// malformed chunks and a content-filter finish — each driven through a real Conversation.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnySessionEvent, SessionEvent, SessionEventType } from '../../../contracts/events';
import { Dashboards } from '../../src/analytics/dashboards';
import { utcDay } from '../../src/analytics/date-range';
import { createChatModel, probeChatModel } from '../../src/brain/providers';
import { ConfigError, defaultConfig, loadConfig } from '../../src/config/config';
import type { Conversation } from '../../src/conversation/conversation';
import { createServices, type Services } from '../../src/runtime/services';
import { OpenAiStandIn, type ModelStep } from '../support/openai-stand-in';

const DANA = '+15550100001'; // C1 Dana Reyes, zip 94107, order O-1001 Headset (shipped)
/** A question the local brain answers from the `returns` article (as in scenarios/knowledge-returns.yaml). */
const RETURNS = 'How long do I have to return something?';

let standIn: OpenAiStandIn;
const opened: Services[] = [];

beforeAll(async () => {
  standIn = await OpenAiStandIn.start();
});
afterAll(async () => {
  await standIn.close();
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  standIn.requests.length = 0;
  standIn.setPace({ firstTokenMs: 0, tokenMs: 0 });
});

async function openAiServices(overrides: Record<string, unknown> = {}): Promise<Services> {
  const config = defaultConfig({
    BRAIN_PROVIDER: 'openai',
    OPENAI_BASE_URL: standIn.baseUrl,
    OPENAI_API_KEY: 'sk-stand-in',
    OPENAI_MODEL: 'stand-in-model',
    BRAIN_HARD_DEADLINE_MS: 1500,
    BRAIN_TURN_BUDGET_MS: 5000,
    MODEL_PRICE_INPUT_PER_MTOK: 2.5,
    MODEL_PRICE_OUTPUT_PER_MTOK: 10,
    ...overrides,
  });
  const s = await createServices({ config, databaseFile: ':memory:' });
  opened.push(s);
  return s;
}

async function eventsOf<T extends SessionEventType>(s: Services, c: Conversation, type: T): Promise<Array<SessionEvent<T>>> {
  const all: AnySessionEvent[] = await s.store.listEvents(c.sessionId);
  return all.filter((e) => e.type === type) as unknown as Array<SessionEvent<T>>;
}

function script(...steps: ModelStep[]): void {
  standIn.setScript(steps);
}

describe('openai provider against the stand-in', () => {
  it('streams text sentence by sentence, sends tools as JSON Schema, and records usage and cost', async () => {
    const s = await openAiServices();
    script({ kind: 'reply', text: 'Our store opens at nine. It closes at six on weekdays.', usage: { prompt: 1000, completion: 100 } });
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    const sentences: string[] = [];
    const turn = await c.handle({ kind: 'text', text: 'when are you open' }, { onSentence: (x) => sentences.push(x) });
    expect(sentences).toEqual(['Our store opens at nine.', 'It closes at six on weekdays.']);
    expect(turn.text).toBe('Our store opens at nine. It closes at six on weekdays.');
    const request = standIn.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-stand-in');
    expect(request.body.model).toBe('stand-in-model');
    expect(request.body.stream).toBe(true);
    expect(request.body.stream_options).toEqual({ include_usage: true });
    const escalate = request.body.tools?.find((t) => t.function.name === 'escalate');
    expect(escalate?.function.parameters).toMatchObject({
      type: 'object',
      properties: { reason: { enum: expect.arrayContaining(['caller_request', 'ai_error']) } },
      required: ['reason'],
    });
    // Before verification no account tool is offered.
    expect(request.body.tools?.map((t) => t.function.name)).not.toContain('order_status');
    const [usage] = await eventsOf(s, c, 'ai.usage');
    expect(usage?.data).toMatchObject({ provider: 'openai', model: 'stand-in-model', inputTokens: 1000, outputTokens: 100, requests: 1, retries: 0 });
    expect(usage?.data.costUsd).toBeCloseTo((1000 * 2.5 + 100 * 10) / 1e6, 8);
    expect(usage?.data.firstTokenMs).toBeGreaterThanOrEqual(0);
    expect(usage?.data.firstSentenceMs).toBeGreaterThanOrEqual(0);
  });

  it('assembles tool-call arguments split across chunks, runs the tools, and cites the article', async () => {
    const s = await openAiServices();
    script(
      { kind: 'reply', toolCalls: [{ name: 'verify_identity', args: { zip: '94107' } }], argChunkChars: 3 },
      { kind: 'reply', toolCalls: [{ name: 'order_status', args: { orderId: 'O-1001' } }, { name: 'search_knowledge', args: { query: 'return policy' } }], argChunkChars: 2 },
      { kind: 'reply', text: 'Thanks, you are verified. Your headset has shipped.' },
    );
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    const turn = await c.handle({ kind: 'text', text: 'my zip is 94107, where is my order' });
    expect(turn.verified).toBe(true);
    expect(turn.tools).toEqual(expect.arrayContaining(['verify_identity', 'order_status', 'search_knowledge']));
    expect(turn.text).toMatch(/headset has shipped/);
    expect(turn.citations.length).toBeGreaterThan(0);
    // The third request carries both tool results, and the now-verified caller's account tools.
    const third = standIn.requests[2]!;
    expect(third.body.messages.filter((m) => m.role === 'tool')).toHaveLength(3);
    expect(third.body.tools?.map((t) => t.function.name)).toContain('order_status');
    const [usage] = await eventsOf(s, c, 'ai.usage');
    expect(usage?.data.requests).toBe(3);
  });

  it('retries a 429 after its Retry-After and a 500 with backoff, within the turn budget', async () => {
    const s = await openAiServices({ BRAIN_HARD_DEADLINE_MS: 8000, BRAIN_TURN_BUDGET_MS: 10_000 });
    script({ kind: 'status', status: 429, retryAfter: '1' }, { kind: 'status', status: 500 }, { kind: 'reply', text: 'Here I am.' });
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    const turn = await c.handle({ kind: 'text', text: 'hello?' });
    expect(turn.text).toBe('Here I am.');
    expect(standIn.requests).toHaveLength(3);
    expect(standIn.requests[1]!.receivedAt - standIn.requests[0]!.receivedAt).toBeGreaterThanOrEqual(950);
    const [usage] = await eventsOf(s, c, 'ai.usage');
    expect(usage?.data.retries).toBe(2);
  });

  it('does not wait past the turn budget for a Retry-After: the local brain answers instead', async () => {
    const s = await openAiServices({ BRAIN_TURN_BUDGET_MS: 2000 });
    script({ kind: 'status', status: 429, retryAfter: '30' });
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    const turn = await c.handle({ kind: 'text', text: RETURNS });
    expect(standIn.requests).toHaveLength(1);
    expect(turn.citations).toContain('returns');
    const [usage] = await eventsOf(s, c, 'ai.usage');
    expect(usage?.data.fallback).toMatch(/local: .*429/);
  });

  it('a model that never answers: past the hard deadline the local brain answers, and the request is aborted', async () => {
    const s = await openAiServices({ BRAIN_HARD_DEADLINE_MS: 600 });
    script({ kind: 'hang' });
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    const closed = standIn.nextClose();
    const turn = await c.handle({ kind: 'text', text: RETURNS });
    await closed;
    expect(standIn.requests[0]!.aborted).toBe(true);
    expect(turn.citations).toContain('returns');
    expect(turn.escalated).toBeUndefined();
    const errors = await eventsOf(s, c, 'media.error');
    expect(errors[0]?.data).toMatchObject({ stage: 'brain' });
    expect(errors[0]?.data.message).toMatch(/nothing within 600 ms/);
  });

  it('malformed chunks and a content-filter finish are model errors: local answers, then ai_error on repetition', async () => {
    const s = await openAiServices();
    script({ kind: 'malformed' }, { kind: 'reply', text: '', finish: 'content_filter' });
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    const first = await c.handle({ kind: 'text', text: RETURNS });
    expect(first.citations).toContain('returns');
    expect(first.escalated).toBeUndefined();
    const second = await c.handle({ kind: 'text', text: 'What shipping options do you have and how long does delivery take?' });
    expect(second.escalated).toMatchObject({ reason: 'ai_error' });
    expect(second.text).toMatch(/something went wrong on my side/);
    const errors = (await eventsOf(s, c, 'media.error')).map((e) => e.data.message);
    expect(errors[0]).toMatch(/malformed/);
    expect(errors[1]).toMatch(/content filter/);
  });

  it.each<[string, ModelStep]>([
    ['an unknown tool', { kind: 'reply', toolCalls: [{ name: 'delete_database', args: {} }] }],
    ['arguments that are not JSON', { kind: 'reply', toolCalls: [{ name: 'search_knowledge', args: '{"query": "ret' }] }],
    ['arguments that fail the schema', { kind: 'reply', toolCalls: [{ name: 'create_ticket', args: { subject: 42 } }] }],
    ['an invented escalation reason', { kind: 'reply', toolCalls: [{ name: 'escalate', args: { reason: 'vip_customer' } }] }],
  ])('%s is a model error, not a crash: the local brain answers the turn', async (_what, step) => {
    const s = await openAiServices();
    script(step);
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    const turn = await c.handle({ kind: 'text', text: RETURNS });
    expect(turn.citations).toContain('returns');
    expect(turn.escalated).toBeUndefined();
    expect((await eventsOf(s, c, 'media.error'))[0]?.data.message).toMatch(/model/);
  });

  it('barge-in aborts the provider request mid-stream', async () => {
    const s = await openAiServices();
    standIn.setPace({ tokenMs: 40 });
    script({ kind: 'reply', text: 'First sentence here. ' + 'Then a long tail of words follows. '.repeat(20) });
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    const abort = new AbortController();
    const closed = standIn.nextClose();
    const turn = await c.handle({ kind: 'text', text: 'tell me a story' }, { signal: abort.signal, onSentence: () => abort.abort() });
    await closed;
    expect(standIn.requests[0]!.aborted).toBe(true);
    expect(turn.text).toBe('First sentence here.');
    expect(turn.escalated).toBeUndefined();
  });

  it('an unreachable provider leaves the local brain answering, without escalating', async () => {
    const s = await openAiServices({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    for (const q of [RETURNS, 'And how long do I have to return something?', 'How long do I have to return something again?']) {
      const turn = await c.handle({ kind: 'text', text: q });
      expect(turn.escalated).toBeUndefined();
      expect(turn.citations).toContain('returns');
    }
    // After the first failure every conversation on this provider skips it for a while.
    expect(s.chatModel!.health.downUntil).toBeGreaterThan(Date.now());
    const errors = (await eventsOf(s, c, 'media.error')).map((e) => e.data.message);
    expect(errors[0]).toMatch(/unreachable/);
    expect(errors[1]).toMatch(/openai is unreachable; trying again in \d+ s/);
    // Once it is due again and answers, the model is back.
    s.chatModel!.health.downUntil = 0;
  });

  it('a provider that is back is used again after the pause', async () => {
    const s = await openAiServices();
    script({ kind: 'reply', text: 'Back again.' });
    s.chatModel!.health.downUntil = Date.now() + 60_000;
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    expect((await c.handle({ kind: 'text', text: RETURNS })).citations).toContain('returns');
    expect(standIn.requests).toHaveLength(0);
    s.chatModel!.health.downUntil = Date.now() - 1;
    expect((await c.handle({ kind: 'text', text: 'hello?' })).text).toBe('Back again.');
    expect(s.chatModel!.health.downUntil).toBe(0);
  });
});

describe('model usage is shown per session and on the AI & queue dashboard', () => {
  it('sums ai.usage events into the dashboard figures ', async () => {
    const s = await openAiServices();
    script({ kind: 'reply', text: 'One. Two.', usage: { prompt: 400, completion: 20 } });
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    await c.handle({ kind: 'text', text: 'count for me' });
    await c.handle({ kind: 'text', text: 'again' });
    const today = utcDay(Date.now());
    const usage = await new Dashboards(s.db).modelUsage({ from: today, to: today });
    expect(usage).toMatchObject({ turns: 2, inputTokens: 800, outputTokens: 40, fallbackTurns: 0, byModel: [{ provider: 'openai', model: 'stand-in-model', turns: 2 }] });
    expect(usage?.costUsd).toBeCloseTo(2 * (400 * 2.5 + 20 * 10) / 1e6, 8);
    expect(usage?.firstSentenceMs.p50).not.toBeNull();
  });
});

describe('azure-openai provider against the stand-in', () => {
  it('uses the deployment path, the api-version query and the api-key header', async () => {
    const s = await openAiServices({
      BRAIN_PROVIDER: 'azure-openai',
      AZURE_OPENAI_ENDPOINT: standIn.azureEndpoint,
      AZURE_OPENAI_API_KEY: 'azure-key-1',
      AZURE_OPENAI_DEPLOYMENT: 'switchboard-gpt',
      AZURE_OPENAI_API_VERSION: '2024-10-21',
    });
    script({ kind: 'reply', text: 'Hello from Azure.' });
    const c = await s.startConversation({ channel: 'text', callerId: DANA });
    const turn = await c.handle({ kind: 'text', text: 'hello?' });
    expect(turn.text).toBe('Hello from Azure.');
    const request = standIn.requests[0]!;
    expect(request.path).toBe('/openai/deployments/switchboard-gpt/chat/completions');
    expect(request.query.get('api-version')).toBe('2024-10-21');
    expect(request.headers['api-key']).toBe('azure-key-1');
    expect(request.headers.authorization).toBeUndefined();
    expect((await eventsOf(s, c, 'ai.usage'))[0]?.data.provider).toBe('azure-openai');
  });
});

describe('provider configuration', () => {
  it.each<[Record<string, unknown>, RegExp]>([
    [{ BRAIN_PROVIDER: 'openai' }, /OPENAI_MODEL and OPENAI_API_KEY/],
    [{ BRAIN_PROVIDER: 'openai', OPENAI_MODEL: 'gpt-4o-mini' }, /OPENAI_API_KEY/],
    [{ BRAIN_PROVIDER: 'openai', OPENAI_MODEL: 'm', OPENAI_BASE_URL: 'not a url' }, /OPENAI_BASE_URL/],
    [{ BRAIN_PROVIDER: 'azure-openai', AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' }, /AZURE_OPENAI_API_KEY, AZURE_OPENAI_DEPLOYMENT/],
    [{ BRAIN_PROVIDER: 'azure-openai', AZURE_OPENAI_API_VERSION: 'latest' }, /AZURE_OPENAI_API_VERSION/],
  ])('an incomplete or invalid provider configuration names the variable (%o)', (config, message) => {
    expect(() => defaultConfig(config)).toThrow(ConfigError);
    expect(() => defaultConfig(config)).toThrow(message);
  });

  it.each([
    ['docs/examples/openai.yaml', { OPENAI_API_KEY: 'sk-from-env' }, 'openai'],
    ['docs/examples/azure-openai.yaml', { AZURE_OPENAI_API_KEY: 'from-env' }, 'azure-openai'],
    ['docs/examples/local-model-server.yaml', {}, 'openai'],
  ])('the example config file %s is valid (secrets from the environment)', (file, env, provider) => {
    expect(loadConfig({ CONFIG_FILE: file, ...env }).BRAIN_PROVIDER).toBe(provider);
    if (provider === 'azure-openai') expect(() => loadConfig({ CONFIG_FILE: file })).toThrow(/AZURE_OPENAI_API_KEY/);
  });

  it('the start-up probe: a reachable provider passes, an unreachable one is a warning naming where it looked', async () => {
    const ok = createChatModel(defaultConfig({ BRAIN_PROVIDER: 'openai', OPENAI_BASE_URL: standIn.baseUrl, OPENAI_MODEL: 'm' }))!;
    expect(await probeChatModel(ok)).toBeUndefined();
    const down = createChatModel(defaultConfig({ BRAIN_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_MODEL: 'm' }))!;
    expect(await probeChatModel(down, 1000)).toMatch(/openai at http:\/\/127.0.0.1:9\/v1 is not answering .*the local brain answers until it is reachable/);
  });

  it('a local model server needs no API key', () => {
    expect(defaultConfig({ BRAIN_PROVIDER: 'openai', OPENAI_MODEL: 'llama3.2', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }).BRAIN_PROVIDER).toBe('openai');
  });
});
