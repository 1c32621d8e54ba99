// The wrap-up draft from real and hand-built logs: three to six plain sentences with the
// reason for the call, the verification, what the AI and the agent did, and the outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../../contracts/events';
import { buildHandoffBrief } from '../../src/assist/handoff-brief';
import { draftWrapUpSummary } from '../../src/assist/wrap-up-summary';
import type { Services } from '../../src/runtime/services';
import { demoServices, logOf, playCall } from './call-log';

let services: Services;
beforeAll(async () => {
  services = await demoServices();
});
afterAll(() => services.close());

function expectShape(summary: string): string[] {
  const lines = summary.split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(3);
  expect(lines.length).toBeLessThanOrEqual(6);
  expect(summary).not.toMatch(/[*#`]|^\s*-/m);
  return lines;
}

describe('draftWrapUpSummary', () => {
  it('summarizes a call the AI resolved: reason, verification, actions and outcome', async () => {
    const events = await playCall(services, ['where is my order', '94107', 'please open a ticket about my earbuds crackling', 'bye']);
    const dana = await services.crm.getCustomer('C1');
    const summary = draftWrapUpSummary(events, buildHandoffBrief(events, dana));
    const lines = expectShape(summary);
    expect(lines[0]).toMatch(/^Reason for call: the caller asked where their order is and asked to open a support ticket/);
    expect(summary).toContain('Identity verified by zip code (Dana Reyes, customer C1).');
    expect(summary).toMatch(/looked up order O-1001: shipped/);
    expect(summary).toMatch(/Outcome: handled by the AI without a person; the AI ended the call/);
    expect(summary).toMatch(/Next step: follow up on ticket T-\d+\./);
  });

  it('says an unverified, escalated call was not verified and is waiting for an agent', async () => {
    const events = await playCall(services, ['where is my package', 'I want to speak to a human']);
    const summary = draftWrapUpSummary(events);
    expectShape(summary);
    expect(summary).toMatch(/Reason for call: .*order/);
    expect(summary).toContain('Identity not verified; no account details were discussed.');
    expect(summary).toMatch(/Outcome: escalated to the \w+ queue \(caller request: asked for a person\), waiting for an agent\./);
    expect(summary).not.toContain('Reyes');
  });

  it('tells what the agent did, including transfers and holds it only knows by name', () => {
    const extra = (type: string, data: Record<string, unknown>) =>
      ({ sessionId: 's-test', seq: 100, type, at: '', data }) as unknown as AnySessionEvent;
    const events = [
      ...logOf(
        ['session.started', { channel: 'voice', callerId: '+15550100002' }],
        ['caller.said', { turn: 1, text: 'I was charged twice for my order', source: 'speech' }],
        ['tool.called', { turn: 1, name: 'escalate', args: { reason: 'policy_topic', detail: 'billing_dispute' }, ok: true, result: {} }],
        ['call.escalated', { reason: 'policy_topic', detail: 'billing_dispute', intent: 'question', queue: 'billing' }],
        ['state.changed', { from: 'ai', to: 'queued' }],
        ['state.changed', { from: 'queued', to: 'offered' }],
        ['state.changed', { from: 'offered', to: 'agent' }],
        ['transcript.final', { speaker: 'agent', text: 'Hi, I can see the double charge and will reverse one of them.', startMs: 0, endMs: 3000 }],
      ),
      extra('call.held', { by: 'agent' }),
      extra('call.resumed', {}),
      extra('call.transferred', { toQueue: 'billing-tier-2' }),
      extra('something.new', { whatever: true }),
      ...logOf(['session.ended', { by: 'agent', reason: 'resolved' }]),
    ];
    const summary = draftWrapUpSummary(events);
    expectShape(summary);
    expect(summary).toContain('Reason for call: the caller raised billing dispute: "I was charged twice for my order".');
    expect(summary).toContain(
      'The agent took the call, put the caller on hold, took the caller off hold, transferred the call to billing-tier-2, spoke with the caller (1 line), last saying "Hi, I can see the double charge and will reverse one of them."',
    );
    expect(summary).toMatch(/Outcome: escalated to the billing queue \(policy topic: billing_dispute\) and handled by an agent; the agent ended the call \(resolved\)\./);
  });

  it('says the call has ended once the agent is wrapping up, never "now with an agent"', () => {
    const events = logOf(
      ['session.started', { channel: 'voice', callerId: '+15550100002' }],
      ['call.escalated', { reason: 'caller_request', detail: 'asked for a person', intent: 'question', queue: 'general' }],
      ['state.changed', { from: 'ai', to: 'queued' }],
      ['state.changed', { from: 'queued', to: 'agent' }],
      ['transcript.final', { speaker: 'agent', text: 'Glad I could help.', startMs: 0, endMs: 900 }],
      ['state.changed', { from: 'agent', to: 'wrap-up' }],
      ['wrapup.started', { agentId: 'a1' }],
    );
    const summary = draftWrapUpSummary(events);
    expect(summary).not.toContain('now with an agent');
    expect(summary).toContain('handled by an agent; the call has ended and the agent is wrapping up.');
  });

  it('copes with an empty log', () => {
    const summary = draftWrapUpSummary([]);
    expectShape(summary);
    expect(summary).toContain('has not said what they need yet');
    expect(summary).toContain('Outcome: still with the AI, not escalated.');
  });
});
