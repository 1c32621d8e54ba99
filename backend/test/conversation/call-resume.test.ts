// Call-backs resume: a caller who rings again within the window is linked to their previous
// session; its summary and open items reach the brain only after verification — the model
// through its system prompt, the local brain as an "are you calling about …" offer.
import { afterEach, describe, expect, it } from 'vitest';
import { buildHandoffBrief } from '../../src/assist/handoff-brief';
import { defaultConfig } from '../../src/config/config';
import { summarizeCall } from '../../src/conversation/call-resume';
import { createServices, type Services } from '../../src/runtime/services';
import { OpenAiStandIn } from '../support/openai-stand-in';

const DANA = '+15550100001'; // C1, zip 94107
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

async function services(overrides: Record<string, unknown> = {}): Promise<Services> {
  const s = await createServices({ config: defaultConfig(overrides), databaseFile: ':memory:' });
  opened.push(s);
  return s;
}

/** A first call that asked for a person and hung up before anyone answered. */
async function abandonedCall(s: Services, from = DANA): Promise<string> {
  const first = await s.startConversation({ channel: 'text', callerId: from });
  await first.handle({ kind: 'text', text: 'My headset arrived broken and I want to speak to a person' });
  await first.end('caller', 'hung up');
  return first.sessionId;
}

describe('call-back resume', () => {
  it('links the call-back to the previous session and offers to continue only after verification', async () => {
    const s = await services();
    const previousId = await abandonedCall(s);
    const again = await s.startConversation({ channel: 'text', callerId: DANA });
    expect(again.previousSessionId).toBe(previousId);
    const linked = (await s.store.listEvents(again.sessionId)).find((e) => e.type === 'session.linked');
    expect(linked?.data).toMatchObject({ previousSessionId: previousId, openItems: ['a handoff to a person that did not connect'] });
    expect(linked?.type === 'session.linked' && linked.data.summary).toMatch(/headset arrived broken/);
    // Nothing about the last call before verification.
    expect(again.greeting.text).not.toMatch(/headset|called recently/);
    const unverifiedBrief = buildHandoffBrief(await s.store.listEvents(again.sessionId));
    expect(unverifiedBrief.flags.find((f) => f.startsWith('Called from this number before'))).toMatch(/details once verified/);
    const verified = await again.handle({ kind: 'text', text: 'My zip is 94107' });
    expect(verified.verified).toBe(true);
    expect(verified.text).toMatch(/I see you called recently about "My headset arrived broken/);
    // The agent taking over sees the link in the brief.
    const brief = buildHandoffBrief(await s.store.listEvents(again.sessionId));
    expect(brief.flags.find((f) => f.startsWith('Called before'))).toMatch(/headset arrived broken/);
  });

  it('does not link outside the window, or for a withheld number', async () => {
    const s = await services({ CALLBACK_RESUME_HOURS: 0 });
    await abandonedCall(s);
    const again = await s.startConversation({ channel: 'text', callerId: DANA });
    expect(again.previousSessionId).toBeUndefined();
    const t = await services();
    await abandonedCall(t, 'anonymous');
    expect((await t.startConversation({ channel: 'text', callerId: 'anonymous' })).previousSessionId).toBeUndefined();
  });

  it('gives the model the previous call only once the caller is verified', async () => {
    const standIn = await OpenAiStandIn.start({
      script: (req) =>
        req.body.messages.some((m) => m.role === 'tool')
          ? { kind: 'reply', text: 'Thanks, you are verified.' }
          : /zip/.test(String(req.body.messages.at(-1)?.content)) ? { kind: 'reply', toolCalls: [{ name: 'verify_identity', args: { zip: '94107' } }] } : { kind: 'reply', text: 'How can I help?' },
    });
    opened.push(standIn);
    const s = await services({ BRAIN_PROVIDER: 'openai', OPENAI_BASE_URL: standIn.baseUrl, OPENAI_MODEL: 'm' });
    await abandonedCall(s);
    const again = await s.startConversation({ channel: 'text', callerId: DANA });
    standIn.requests.length = 0;
    await again.handle({ kind: 'text', text: 'hi there' });
    expect(String(standIn.requests[0]!.body.messages[0]!.content)).not.toMatch(/called recently|headset/);
    await again.handle({ kind: 'text', text: 'my zip is 94107' });
    const afterVerify = String(standIn.requests.at(-1)!.body.messages[0]!.content);
    expect(afterVerify).toMatch(/They called recently: the caller said "My headset arrived broken/);
  });

  it('summarizes tickets, callbacks and the wrap-up as open items', () => {
    const at = new Date().toISOString();
    const read = summarizeCall([
      { sessionId: 's', seq: 1, at, type: 'caller.said', data: { turn: 1, text: 'please open a ticket about my earbuds', source: 'text' } },
      { sessionId: 's', seq: 2, at, type: 'tool.called', data: { turn: 1, name: 'create_ticket', args: {}, ok: true, result: { ticket: { id: 'T-9' } } } },
      { sessionId: 's', seq: 3, at, type: 'callback.scheduled', data: { callbackId: 'cb1', phone: '+15550100001', customerId: 'C1' } },
      { sessionId: 's', seq: 4, at, type: 'wrapup.submitted', data: { agentId: 'a', disposition: 'follow-up needed', notes: 'send a replacement', followUp: { kind: 'none' }, wrapUpMs: 1 } },
    ]);
    expect(read?.openItems).toEqual(['ticket T-9', 'a callback to +15550100001']);
    expect(read?.summary).toMatch(/closed it as follow-up needed \(send a replacement\)/);
  });
});
