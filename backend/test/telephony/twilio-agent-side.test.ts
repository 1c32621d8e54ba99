// The agent's side of Twilio calls, against the Twilio stand-in. On an escalated call:
// pausing the recording pauses Twilio's conference recording through REST, and when the
// agent's leg drops on its own (Twilio's participant-leave and the leg's `completed` status
// callback, as Twilio sends them) the caller is never left alone — back in the queue with
// hold audio and their position, offered to the next agent — while the first agent goes to
// wrap-up; a caller who hung up first (their leave and the conference's end came before the
// agent leg's end) is not re-queued. An agent's outbound call through the TwiML App becomes
// a session (direction outbound, the agent, the dialled number), transcribed from the fork of
// the softphone's leg, ended by the status callbacks, with Twilio's recording linked to it.
// Real audio.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import { TestAgent } from '../agents/agent-client';
import type { PhoneCall, TwilioStandIn } from '../support/twilio-stand-in';
import { callerSays, startTwilioBackend, waitUntil, type Backend } from './harness';

let backend: Backend;
let twilio: TwilioStandIn;
let close: () => Promise<void>;
const PASSWORD = 'agent-password-123';

beforeAll(async () => {
  ({ backend, twilio, close } = await startTwilioBackend({ OFFER_TIMEOUT_MS: 8000, HOLD_ANNOUNCE_MS: 5000, CALLBACK_OFFER_AFTER_MS: 600_000 }));
  for (const [email, name] of [
    ['ada@example.com', 'Ada Agent'],
    ['ben@example.com', 'Ben Agent'],
  ] as const) {
    await backend.services.users.create({ email, name, role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
  }
});
afterAll(async () => close());

type Offer = Extract<AgentServerMessage, { type: 'offer' }>;

/** A phone caller presses 0 and the agent (signed in, available) accepts: Twilio dials the agent into the conference. */
async function escalatedToAgent(email: string, from: string): Promise<{ agent: TestAgent; call: PhoneCall; sessionId: string }> {
  const agent = await TestAgent.signIn(backend.baseUrl, email, PASSWORD);
  await agent.connect();
  await agent.request({ type: 'presence.set', presence: 'available' });
  const call = await twilio.dial(from);
  await call.caller.waitForAiAudio(0, 20_000);
  call.caller.dtmf('0');
  await waitUntil(() => call.conference?.waitTwiml !== undefined, 30_000, 'the move into the conference');
  const sessionId = call.conference!.name;
  const offer = await agent.waitFor<Offer>((m) => m.type === 'offer' && m.offer.sessionId === sessionId, 30_000);
  expect(await agent.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
  await waitUntil(() => call.agentLegs.some((l) => l.status === 'in-progress'), 10_000, "the agent's leg answered");
  return { agent, call, sessionId };
}

describe("the agent's Twilio leg (against the Twilio stand-in)", () => {
  it('pauses the conference recording by REST, and re-queues the caller when the agent leg drops alone', { timeout: 90_000 }, async () => {
    const { agent: ada, call, sessionId } = await escalatedToAgent('ada@example.com', '+15550200301');
    const events = () => backend.services.store.listEvents(sessionId);
    await waitUntil(() => call.conference?.recordingSid !== undefined, 10_000, 'the recording started');
    const recordingPath = `/Conferences/${call.conference!.sid}/Recordings/${call.conference!.recordingSid}.json`;

    // Pause and resume: Twilio's own copy follows ours.
    expect(await ada.request({ type: 'call.recording', sessionId, paused: true })).toMatchObject({ type: 'ack' });
    expect(twilio.requests.find((r) => r.path.endsWith(recordingPath))?.params).toMatchObject({ Status: 'paused', PauseBehavior: 'silence' });
    expect(await ada.request({ type: 'call.recording', sessionId, paused: false })).toMatchObject({ type: 'ack' });
    expect(twilio.requests.filter((r) => r.path.endsWith(recordingPath)).at(-1)?.params).toMatchObject({ Status: 'in-progress' });
    // Paused again, then the line drops: the pause must not outlive the agent who made it.
    expect(await ada.request({ type: 'call.recording', sessionId, paused: true })).toMatchObject({ type: 'ack' });

    const beforeDrop = (await events()).at(-1)!.seq;
    await twilio.agentLegDrops(call);

    // The agent: told why, and in wrap-up for their part.
    await ada.waitFor((m) => m.type === 'error' && m.code === 'call_audio_lost', 10_000);
    await ada.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined, 10_000);
    // The caller: on hold with our music, recording running again, back in the queue, hearing their position.
    const held = twilio.requests.find((r) => r.path.endsWith(`/Participants/${call.callSid}.json`) && r.params.Hold === 'true');
    expect(held?.params.HoldUrl).toBe(`https://switchboard.example.test/twilio/wait?sessionId=${sessionId}`);
    expect(twilio.requests.filter((r) => r.path.endsWith(recordingPath)).at(-1)?.params).toMatchObject({ Status: 'in-progress' });
    await waitUntil(async () => (await events()).some((e) => e.seq > beforeDrop && e.type === 'hold.announced'), 20_000, 'a position announcement after the drop');
    const after = (await events()).filter((e) => e.seq > beforeDrop);
    expect(after.find((e) => e.type === 'call.transferred')?.data).toMatchObject({ to: { queue: 'general' } });
    expect(after.some((e) => e.type === 'wrapup.started')).toBe(true);
    expect((await backend.services.store.getSession(sessionId))?.state).toBe('queued');

    // Ada's wrap-up closes her part only; the caller is still waiting.
    expect(await ada.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'line dropped', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
    expect((await backend.services.store.getSession(sessionId))?.state).not.toBe('ended');

    // The next agent gets the call and Twilio dials them in; the caller comes off hold.
    const ben = await TestAgent.signIn(backend.baseUrl, 'ben@example.com', PASSWORD);
    await ben.connect();
    await ben.request({ type: 'presence.set', presence: 'available' });
    const second = await ben.waitFor<Offer>((m) => m.type === 'offer' && m.offer.sessionId === sessionId, 30_000);
    expect(await ben.request({ type: 'offer.accept', offerId: second.offer.offerId })).toMatchObject({ type: 'ack' });
    await waitUntil(() => call.agentLegs.filter((l) => l.status === 'in-progress').length === 1 && call.agentLegs.length === 2, 10_000, "the second agent's leg");
    expect(twilio.requests.filter((r) => r.path.endsWith(`/Participants/${call.callSid}.json`)).at(-1)?.params).toMatchObject({ Hold: 'false' });

    // The caller hangs up: Ben wraps up and the session ends with his wrap-up.
    expect((await twilio.callCompleted(call)).status).toBe(204);
    await ben.waitFor((m) => m.type === 'call.state' && m.wrapUpStartedAt !== undefined, 10_000);
    expect(await ben.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'done', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
    expect((await backend.services.store.getSession(sessionId))?.state).toBe('ended');
    await ada.close();
    await ben.close();
  });

  it("makes an agent's outbound call through the TwiML App a session: transcribed, ended by status callbacks, its recording linked", { timeout: 90_000 }, async () => {
    const cara = await backend.services.users.create({ email: 'cara@example.com', name: 'Cara Agent', role: 'agent', password: PASSWORD, skills: ['general'] });
    const agent = await TestAgent.signIn(backend.baseUrl, 'cara@example.com', PASSWORD);
    await agent.connect();
    await agent.request({ type: 'presence.set', presence: 'available' });

    const placed = await twilio.agentDials(cara.id, '+1 (555) 020-0400');
    expect(placed.status).toBe(200);
    const call = placed.call!;
    const dial = call.twiml.Dial as Record<string, unknown>;
    expect(dial['@callerId']).toBe('+15550009999');
    expect(call.to).toBe('+15550200400');
    expect((call.twiml.Start as { Stream: Record<string, string> }).Stream['@track']).toBe('both_tracks');

    // The session: outbound, the agent's, the dialled number; the agent has it at once.
    const assigned = await agent.waitFor<Extract<AgentServerMessage, { type: 'call.assigned' }>>((m) => m.type === 'call.assigned', 20_000);
    const sessionId = assigned.sessionId;
    const events = () => backend.services.store.listEvents(sessionId);
    expect((await events())[0]).toMatchObject({ type: 'session.started', data: { direction: 'outbound', agentId: cara.id, callerId: '+15550200400' } });
    await twilio.outboundAnswered(call);
    expect((twilio.webhookStatuses.filter((w) => w.path === '/twilio/status/recording').at(-1))?.status).toBe(204);
    // Busy on a call: a second dial from the same softphone is refused in words.
    const again = await twilio.agentDials(cara.id, '+15550200401');
    expect(again.body).toMatch(/<Say>.*(outbound call|current call).*<\/Say><Hangup\/>/);

    // Both parties transcribed from the fork: outbound is the customer, inbound the agent.
    call.fork!.say('outbound', await callerSays('where is my order'));
    await waitUntil(async () => (await events()).some((e) => e.type === 'transcript.final' && (e.data as { speaker: string }).speaker === 'caller' && /order|where/.test((e.data as { text: string }).text)), 25_000, "the customer's words");
    call.fork!.say('inbound', await callerSays('I am calling about your order today'));
    await waitUntil(async () => (await events()).some((e) => e.type === 'transcript.final' && (e.data as { speaker: string }).speaker === 'agent'), 25_000, "the agent's words");

    // Pausing the recording pauses the <Dial>'s recording on the softphone's call.
    expect(await agent.request({ type: 'call.recording', sessionId, paused: true })).toMatchObject({ type: 'ack' });
    expect(twilio.requests.find((r) => r.path.endsWith(`/Calls/${call.callSid}/Recordings/${call.recordingSid}.json`))?.params).toMatchObject({ Status: 'paused' });

    // The customer hangs up: the status callback ends the call, the agent wraps up, the recording is linked.
    await twilio.outboundEnds(call, 25);
    await agent.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined, 10_000);
    await waitUntil(async () => (await events()).some((e) => e.type === 'recording.linked'), 10_000, 'the recording linked');
    expect((await events()).find((e) => e.type === 'recording.linked')?.data).toMatchObject({ recordingSid: call.recordingSid, durationMs: 25_000 });
    expect((await events()).some((e) => e.type === 'carrier.status' && (e.data as { status: string }).status === 'completed')).toBe(true);
    expect(await agent.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'called back', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
    expect((await backend.services.store.getSession(sessionId))?.state).toBe('ended');
    // Back to the status the agent dialled from.
    await agent.waitFor((m) => m.type === 'presence' && m.presence === 'available', 10_000);
    await agent.close();
  });

  it('a caller hanging up first is not re-queued when the agent leg ends after them', { timeout: 90_000 }, async () => {
    const { agent: ben, call, sessionId } = await escalatedToAgent('ben@example.com', '+15550200302');

    // Twilio's order when the caller hangs up: their leave, the conference's end, then the agent's leg, then the caller's call.
    const conference = { AccountSid: 'AC', ConferenceSid: call.conference!.sid, FriendlyName: sessionId };
    expect((await twilio.webhook(call.conference!.statusCallback!, { ...conference, StatusCallbackEvent: 'participant-leave', CallSid: call.callSid })).status).toBe(204);
    expect((await twilio.webhook(call.conference!.statusCallback!, { ...conference, StatusCallbackEvent: 'conference-end' })).status).toBe(204);
    await twilio.agentLegDrops(call);
    expect((await twilio.callCompleted(call)).status).toBe(204);
    await ben.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined, 10_000);
    const log = await backend.services.store.listEvents(sessionId);
    expect(log.some((e) => e.type === 'call.transferred')).toBe(false);
    expect(ben.messages.some((m) => m.type === 'error' && m.code === 'call_audio_lost')).toBe(false);
    expect(await ben.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'done', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
    await ben.close();
  });
});
