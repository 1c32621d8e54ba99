// Agent assist with the model, through the official `openai` client against the stand-in:
// structured outputs validated with zod, sources checked against what the model was given,
// CRM facts only for a verified caller, and the local version whenever the model fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, Order } from '../../../contracts/crm';
import { groupGapsByTopic } from '../../src/api/routes/analytics';
import { ModelAssist } from '../../src/assist/model-assist';
import type { Suggestion } from '../../src/assist/suggestions';
import { createChatModel } from '../../src/brain/providers';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';
import { OpenAiStandIn, type ModelStep } from '../support/openai-stand-in';

let standIn: OpenAiStandIn;
let services: Services;
let assist: ModelAssist;
const problems: string[] = [];
const LOCAL: Suggestion[] = [{ id: 'local-1', text: 'Local suggestion.', source: { kind: 'article', id: 'returns', title: 'Return policy' } }];

beforeAll(async () => {
  standIn = await OpenAiStandIn.start();
  const config = defaultConfig({ BRAIN_PROVIDER: 'openai', OPENAI_BASE_URL: standIn.baseUrl, OPENAI_MODEL: 'assist-model' });
  services = await createServices({ config, databaseFile: ':memory:' });
  assist = new ModelAssist({ chat: createChatModel(config)!, timeoutMs: 2000, dispositions: config.DISPOSITIONS, onProblem: (what, m) => problems.push(`${what}: ${m}`) });
});
afterAll(async () => {
  await services.close();
  await standIn.close();
});

const json = (value: unknown): ModelStep => ({ kind: 'reply', text: JSON.stringify(value) });

describe('model assist', () => {
  it('services build it only when a model is configured', () => {
    expect(services.assist).toBeInstanceOf(ModelAssist);
  });

  it('suggested replies keep only sources the model was given; unverified callers get no CRM facts', async () => {
    standIn.setScript([json({ suggestions: [{ text: 'You have 30 days to return it.', sourceId: 'article:returns' }, { text: 'Your order O-1001 shipped.', sourceId: 'order:O-1001' }, { text: 'Made up.', sourceId: 'article:nope' }] })]);
    standIn.requests.length = 0;
    const out = await assist.suggestReplies({ callerText: 'How long do I have to return something?', verified: false, knowledge: services.knowledge }, LOCAL);
    expect(out.map((s) => s.text)).toEqual(['You have 30 days to return it.']);
    expect(out[0]!.source).toEqual({ kind: 'article', id: 'returns', title: 'Return policy' });
    const request = standIn.requests[0]!;
    expect(request.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'suggestions' } });
    expect(String(request.body.messages[0]!.content)).not.toMatch(/\[order:/);
  });

  it('a verified caller’s orders are offered as sources, each with its record', async () => {
    const customer = (await services.crm.getCustomer('C1')) as Customer;
    const orders = (await services.crm.listOrders('C1')) as Order[];
    standIn.setScript([json({ suggestions: [{ text: 'Your headset shipped and arrives Friday.', sourceId: 'order:O-1001' }] })]);
    const out = await assist.suggestReplies({ callerText: 'where is my order', verified: true, customer, orders, knowledge: services.knowledge }, LOCAL);
    expect(out[0]!.source).toMatchObject({ kind: 'crm', recordId: 'O-1001' });
  });

  it('wrap-up: a summary with a disposition from the list; anything else falls back to the local draft', async () => {
    const events = await callLog();
    standIn.setScript([json({ summary: 'Caller asked about returns; explained the 30-day window.', disposition: 'resolved' })]);
    expect(await assist.wrapUp(events, 'LOCAL DRAFT')).toEqual({ summary: 'Caller asked about returns; explained the 30-day window.', disposition: 'resolved' });
    standIn.setScript([json({ summary: 'x', disposition: 'made up disposition' })]);
    expect(await assist.wrapUp(events, 'LOCAL DRAFT')).toEqual({ summary: 'LOCAL DRAFT' });
    standIn.setScript([{ kind: 'reply', text: 'not json at all' }]);
    expect(await assist.wrapUp(events, 'LOCAL DRAFT')).toEqual({ summary: 'LOCAL DRAFT' });
    standIn.setScript([{ kind: 'status', status: 500 }]);
    expect(await assist.wrapUp(events, 'LOCAL DRAFT')).toEqual({ summary: 'LOCAL DRAFT' });
    expect(problems.some((p) => /wrap-up: .*schema/.test(p))).toBe(true);
  });

  it('handoff brief: the model writes only the "wants" line', async () => {
    const events = await callLog();
    standIn.setScript([json({ wants: 'Wants to know how long returns take.' })]);
    const local = { caller: { name: null, nameVerified: false, phone: '+1', customerId: null, verified: false }, wants: 'local', aiActions: [], escalation: null, mood: 'neutral' as const, moodTrend: 'steady' as const, flags: [], transcriptTail: [] };
    const brief = await assist.handoffBrief(events, local);
    expect(brief).toEqual({ ...local, wants: 'Wants to know how long returns take.' });
  });

  it('groups knowledge gaps by topic, ignoring question numbers it was not given', async () => {
    standIn.setScript([json({ groups: [{ topic: 'Warranty', questions: [0, 2, 9] }, { topic: 'Store pickup', questions: [1] }] })]);
    const groups = await assist.groupKnowledgeGaps(['how long is the warranty', 'can I pick up in store', 'is my headset under warranty']);
    expect(groups).toEqual([
      { topic: 'Warranty', questions: ['how long is the warranty', 'is my headset under warranty'] },
      { topic: 'Store pickup', questions: ['can I pick up in store'] },
    ]);
  });
  it('the AI & queue view merges gap groups the model puts under one topic, and keeps them when it fails', async () => {
    const gap = (signature: string, count: number, example: string, lastSeenAt: string) => ({ signature, count, examples: [example], lastSessionId: `s-${signature}`, lastSeenAt });
    const gaps = [gap('warranty', 5, 'how long is the warranty', '2026-01-02'), gap('pickup|store', 3, 'can I pick up in store', '2026-01-03'), gap('cover|guarantee', 2, 'is my headset covered by a guarantee', '2026-01-04')];
    standIn.setScript([json({ groups: [{ topic: 'Warranty', questions: [0, 2] }, { topic: 'Store pickup', questions: [1] }] })]);
    expect(await groupGapsByTopic(gaps, assist)).toEqual([
      { signature: 'warranty', count: 7, examples: ['how long is the warranty', 'is my headset covered by a guarantee'], lastSessionId: 's-cover|guarantee', lastSeenAt: '2026-01-04', topic: 'Warranty' },
      { ...gaps[1], topic: 'Store pickup' },
    ]);
    standIn.setScript([{ kind: 'status', status: 500 }]);
    expect(await groupGapsByTopic(gaps, assist)).toBe(gaps);
  });
});

async function callLog() {
  const c = await services.startConversation({ channel: 'text', callerId: '+15550100003' });
  standIn.setScript([{ kind: 'reply', text: 'You have 30 days.' }]);
  await c.handle({ kind: 'text', text: 'How long do I have to return something?' });
  return services.store.listEvents(c.sessionId);
}
