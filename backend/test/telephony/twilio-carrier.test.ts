// The Twilio carrier against the Twilio stand-in (test/support/twilio-stand-in.ts), which
// speaks Twilio's wire protocol: signed webhooks, TwiML parsed as XML, Media Streams with a
// signed upgrade in µ-law 8 kHz, and the REST API. Real audio: flite speech recognised by
// pocketsphinx. Word matching is tolerant, as in the local carrier's tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import type { AnySessionEvent } from '../../../contracts/events';
import { TestAgent } from '../agents/agent-client';
import { STAND_IN_AUTH_TOKEN, STAND_IN_PUBLIC_URL, TwilioStandIn, twilioSettings, twilioSignature, type PhoneCall } from '../support/twilio-stand-in';
import { callerSays, startBackend, waitUntil, type Backend } from './harness';

let backend: Backend;
let twilio: TwilioStandIn;
const PASSWORD = 'agent-password-123';

beforeAll(async () => {
  twilio = new TwilioStandIn();
  await twilio.listen();
  backend = await startBackend({ ...twilioSettings(twilio.restBaseUrl), OFFER_TIMEOUT_MS: 8000, HOLD_ANNOUNCE_MS: 60_000 });
  twilio.attach(backend.baseUrl);
  await backend.services.users.create({ email: 'tia@example.com', name: 'Tia Agent', role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
});
afterAll(async () => {
  await backend.close();
  await twilio.close();
});

const events = (sessionId: string): Promise<AnySessionEvent[]> => backend.services.store.listEvents(sessionId);

async function sessionOf(from: string): Promise<string> {
  let id: string | undefined;
  await waitUntil(async () => {
    id = (await backend.services.store.listSessions({ limit: 100 })).find((s) => s.callerId === from)?.id;
    return id !== undefined;
  }, 20_000, `the session of ${from}`);
  return id!;
}

async function answered(from: string): Promise<{ call: PhoneCall; sessionId: string }> {
  const call = await twilio.dial(from);
  await call.caller.waitForAiAudio(0, 20_000);
  return { call, sessionId: await sessionOf(from) };
}

function restUpdates(callSid: string) {
  return twilio.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${callSid}.json`));
}

describe('Twilio carrier (against the Twilio stand-in)', () => {
  it('answers the signed webhook with <Connect><Stream> and Parameters, and greets over µ-law 8 kHz in 20 ms chunks', { timeout: 60_000 }, async () => {
    const { call, sessionId } = await answered('+15550200001');
    const stream = (call.answer.Connect as { Stream: Record<string, unknown> }).Stream;
    expect(stream['@url']).toBe('wss://switchboard.example.test/twilio/media');
    const params = (stream.Parameter as Array<Record<string, string>>).map((p) => [p['@name'], p['@value']]);
    expect(params).toContainEqual(['from', '+15550200001']);
    expect(params).toContainEqual(['callSid', call.callSid]);
    await call.caller.waitForAiIdle(500, 30_000);
    const media = call.caller.received.filter((f) => f.event === 'media');
    expect(media.length).toBeGreaterThan(25);
    const sizes = media.map((f) => Buffer.from(f.media.payload, 'base64').length);
    for (const frame of media) expect(frame.streamSid).toBe(call.caller.streamSid);
    // 20 ms of 8 kHz µ-law per frame; only a sentence's last frame may be shorter.
    expect(Math.max(...sizes)).toBe(160);
    expect(sizes.filter((n) => n === 160).length).toBeGreaterThan(sizes.length * 0.9);
    expect(call.caller.received.some((f) => f.event === 'mark')).toBe(true);
    const log = await events(sessionId);
    expect(log[0]).toMatchObject({ type: 'session.started', data: { channel: 'voice', callerId: '+15550200001' } });
    expect((log.find((e) => e.type === 'ai.said')?.data as { text: string }).text).toMatch(/automated assistant/);
    await call.caller.hangUp();
    await waitUntil(async () => (await backend.services.store.getSession(sessionId))?.state === 'ended', 10_000, 'session end');
  });

  it('hears a spoken turn and answers it', { timeout: 60_000 }, async () => {
    const utterance = await callerSays('where is my order');
    const { call, sessionId } = await answered('+15550200002');
    await call.caller.waitForAiIdle(700, 30_000);
    const before = performance.now();
    await call.caller.say(utterance);
    await waitUntil(async () => (await events(sessionId)).filter((e) => e.type === 'ai.said').length >= 2, 20_000, 'a reply');
    const heard = (await events(sessionId)).filter((e) => e.type === 'transcript.final').map((e) => (e.data as { text: string }).text);
    expect(heard.join(' ')).toMatch(/order|where/);
    await call.caller.waitForAiAudio(before, 10_000);
    await call.caller.hangUp();
  });

  it('clears the far buffer on barge-in and keeps only what was heard', { timeout: 60_000 }, async () => {
    const interruption = await callerSays('wait I have a different question about my order');
    const { call, sessionId } = await answered('+15550200003');
    await new Promise((r) => setTimeout(r, 1200));
    expect(call.caller.aiSpeaking).toBe(true);
    await call.caller.say(interruption);
    await waitUntil(() => call.caller.clears.length > 0, 10_000, 'a clear frame');
    expect(call.caller.received.find((f) => f.event === 'clear')).toMatchObject({ streamSid: call.caller.streamSid });
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'ai.interrupted'), 10_000, 'the cut recorded');
    await call.caller.hangUp();
  });

  it('on 0 moves the call into the session conference by REST, forks both legs, bridges the agent, and ends on the status callback', { timeout: 90_000 }, async () => {
    const tia = await TestAgent.signIn(backend.baseUrl, 'tia@example.com', PASSWORD);
    await tia.connect();
    await tia.request({ type: 'presence.set', presence: 'available' });
    const { call, sessionId } = await answered('+15550200004');
    call.caller.dtmf('0');

    // The REST update: fork both tracks to /twilio/fork, then the conference named by the session.
    await waitUntil(() => call.conference?.waitTwiml !== undefined && call.fork !== undefined, 30_000, 'the move into the conference');
    const update = restUpdates(call.callSid).at(-1)!;
    expect(update.params.Twiml).toBeTruthy();
    const twiml = call.updates[0]!;
    const fork = (twiml.Start as { Stream: Record<string, string> }).Stream;
    expect(fork).toMatchObject({ '@url': 'wss://switchboard.example.test/twilio/fork', '@track': 'both_tracks' });
    expect(call.conference!.name).toBe(sessionId);
    const conference = (twiml.Dial as { Conference: Record<string, string> }).Conference;
    expect(conference['@waitUrl']).toBe(`${STAND_IN_PUBLIC_URL}/twilio/wait?sessionId=${sessionId}`);
    expect(conference['@startConferenceOnEnter']).toBe('false');
    // The AI's handover line is replayed in our voice before the conference (the move cut the stream).
    expect(call.played[0]).toMatchObject({ status: 200, type: 'audio/wav' });
    expect(call.played[0]!.url).toMatch(/^https:\/\/switchboard\.example\.test\/twilio\/line\.wav\?sessionId=/);
    expect(call.played[0]!.bytes).toBeGreaterThan(16_000);
    // Our hold audio is the wait music.
    expect(JSON.stringify(call.conference!.waitTwiml)).toContain('/twilio/hold-music.wav');
    expect(call.caller.closeCode).toBeDefined(); // the AI stream ended, the call did not
    // The handover line was replayed in the conference, so it is not logged as cut off.
    expect((await events(sessionId)).some((e) => e.type === 'ai.interrupted' && /connecting you/i.test((e.data as { plannedText: string }).plannedText))).toBe(false);
    expect((await backend.services.store.getSession(sessionId))?.state).not.toBe('ended');

    // The agent accepts: Twilio dials their softphone into the conference.
    const offer = await tia.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === sessionId, 30_000);
    expect(await tia.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    await waitUntil(() => twilio.requests.some((r) => r.path.endsWith(`/Conferences/${call.conference!.sid}/Participants.json`) || r.path.endsWith(`/Conferences/${sessionId}/Participants.json`)), 10_000, 'the agent added');
    const added = twilio.requests.find((r) => r.path.includes('/Participants.json'))!;
    expect(added.params).toMatchObject({ To: `client:${(await backend.services.users.list()).find((u) => u.email === 'tia@example.com')!.id}`, From: '+15550009999', StartConferenceOnEnter: 'true' });

    // Both legs through the fork: inbound is the caller, outbound the agent.
    call.fork!.say('inbound', await callerSays('where is my order'));
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'transcript.final' && (e.data as { speaker: string }).speaker === 'caller' && /order|where/.test((e.data as { text: string }).text)), 25_000, 'the caller transcript');
    call.fork!.say('outbound', await callerSays('I can help you with your order today'));
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'transcript.final' && (e.data as { speaker: string }).speaker === 'agent'), 25_000, 'the agent transcript');

    // Mute is a participant update on the agent's leg.
    expect(await tia.request({ type: 'call.mute', sessionId, muted: true })).toMatchObject({ type: 'ack' });
    expect(twilio.requests.some((r) => /\/Participants\/CA[0-9a-f]+\.json$/.test(r.path) && r.params.Muted === 'true')).toBe(true);

    // The caller hangs up: Twilio's status callback ends the call; the agent wraps up.
    expect((await twilio.callCompleted(call)).status).toBe(204);
    await tia.waitFor((m) => m.type === 'call.state' && m.wrapUpStartedAt !== undefined, 10_000);
    await waitUntil(async () => (await backend.services.store.getSession(sessionId))?.state === 'wrap-up', 10_000, 'wrap-up');
    const log = await events(sessionId);
    expect(log.some((e) => e.type === 'carrier.status' && (e.data as { status: string }).status === 'completed')).toBe(true);
    expect(log.some((e) => e.type === 'carrier.status' && (e.data as { source: string }).source === 'conference')).toBe(true);
    await waitUntil(async () => (await backend.services.store.getSession(sessionId))?.state === 'wrap-up', 10_000, 'wrap-up');

    // The conference recording is linked to the session.
    const rec = await twilio.webhook(`${STAND_IN_PUBLIC_URL}/twilio/status/recording?sessionId=${sessionId}`, {
      RecordingSid: 'RE' + '0'.repeat(32),
      RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE0',
      RecordingStatus: 'completed',
      RecordingDuration: '31',
    });
    expect(rec.status).toBe(204);
    expect((await events(sessionId)).find((e) => e.type === 'recording.linked')?.data).toMatchObject({ durationMs: 31_000 });
    await tia.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'done', followUp: { kind: 'none' } });
    await tia.close();
  });

  it('keeps the caller with the AI and apologises when the REST update fails', { timeout: 60_000 }, async () => {
    const { call, sessionId } = await answered('+15550200005');
    await call.caller.waitForAiIdle(500, 30_000);
    twilio.failNext(new RegExp(`/Calls/${call.callSid}\\.json$`), 500, 20500, 'Internal Server Error');
    call.caller.dtmf('0');
    await waitUntil(async () => (await events(sessionId)).some((e) => e.type === 'media.error' && (e.data as { stage: string }).stage === 'carrier'), 20_000, 'the carrier error');
    const error = (await events(sessionId)).find((e) => e.type === 'media.error')!;
    expect((error.data as { message: string }).message).toMatch(/move to conference failed: Twilio REST 500/);
    // Not silence: the apology is spoken over the stream, which stays up.
    const after = performance.now();
    await call.caller.waitForAiAudio(after - 2000, 10_000);
    expect(call.caller.closeCode).toBeUndefined();
    expect(call.conference).toBeUndefined();
    await call.caller.hangUp();
  });

  it('refuses unsigned or forged webhooks and upgrades with 403 and creates nothing; unknown calls get 404', async () => {
    const before = (await backend.services.store.listSessions({ limit: 1000 })).length;
    const params = { AccountSid: 'AC', CallSid: 'CA' + 'f'.repeat(32), From: '+15550200099', To: '+15550009999' };
    // Unsigned, signed with the wrong token, and signed over another URL.
    expect((await twilio.webhook(`${STAND_IN_PUBLIC_URL}/twilio/voice`, params, '')).status).toBe(403);
    expect((await twilio.webhook(`${STAND_IN_PUBLIC_URL}/twilio/voice`, params, twilioSignature('not-the-token-0123456789', `${STAND_IN_PUBLIC_URL}/twilio/voice`, params))).status).toBe(403);
    expect((await twilio.webhook(`${STAND_IN_PUBLIC_URL}/twilio/voice`, params, twilioSignature(STAND_IN_AUTH_TOKEN, 'https://evil.example/twilio/voice', params))).status).toBe(403);
    await expect(twilio.dial('+15550200098', { signature: 'Zm9yZ2Vk' })).rejects.toThrow(/403/);

    // A media stream upgrade with a forged signature is refused before any frame.
    const ws = new WebSocket(`${backend.baseUrl.replace('http', 'ws')}/twilio/media`, { headers: { 'x-twilio-signature': 'Zm9yZ2Vk' } });
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
    const unsignedFork = new WebSocket(`${backend.baseUrl.replace('http', 'ws')}/twilio/fork`);
    expect(await new Promise<number>((resolve) => unsignedFork.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))).toBe(403);

    // Signed, but about calls we never had.
    expect((await twilio.webhook(`${STAND_IN_PUBLIC_URL}/twilio/status/call`, { CallSid: 'CA' + 'e'.repeat(32), CallStatus: 'completed' })).status).toBe(404);
    expect((await twilio.webhook(`${STAND_IN_PUBLIC_URL}/twilio/status/conference?sessionId=nope`, { ConferenceSid: 'CF1', StatusCallbackEvent: 'conference-end' })).status).toBe(404);
    expect((await twilio.webhook(`${STAND_IN_PUBLIC_URL}/twilio/wait?sessionId=nope`, {})).status).toBe(404);
    expect((await backend.services.store.listSessions({ limit: 1000 })).length).toBe(before);
  });

  it('issues a short-lived Voice access token to agents only', async () => {
    const tia = await TestAgent.signIn(backend.baseUrl, 'tia@example.com', PASSWORD);
    const res = await fetch(`${backend.baseUrl}/api/twilio/token`, { headers: { authorization: `Bearer ${tia.token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; identity: string; expiresAt: string };
    const claims = JSON.parse(Buffer.from(body.token.split('.')[1]!, 'base64url').toString()) as { grants: { identity: string; voice: { incoming: { allow: boolean }; outgoing: { application_sid: string } } }; exp: number; iat: number };
    expect(claims.grants.identity).toBe(body.identity);
    expect(claims.grants.voice.incoming.allow).toBe(true);
    expect(claims.grants.voice.outgoing.application_sid).toMatch(/^AP/);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(600);
    expect((await fetch(`${backend.baseUrl}/api/twilio/token`)).status).toBe(401);
    expect(await (await fetch(`${backend.baseUrl}/api/telephony`)).json()).toEqual({ carrier: 'twilio' });
  });

  it('dials out for a signed-in agent through the TwiML App voice URL', async () => {
    const tia = (await backend.services.users.list()).find((u) => u.email === 'tia@example.com')!;
    const agent = await TestAgent.signIn(backend.baseUrl, 'tia@example.com', PASSWORD);
    await agent.connect();
    await agent.request({ type: 'presence.set', presence: 'away' });
    const ok = await twilio.webhook(`${STAND_IN_PUBLIC_URL}/twilio/agent`, { From: `client:${tia.id}`, To: '+1 (555) 020-0100', CallSid: 'CA' + 'd'.repeat(32) });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(/<Dial[^>]*callerId="\+15550009999"[^>]*><Number [^>]*>\+15550200100<\/Number><\/Dial>/);
    await agent.close();
    const stranger = await twilio.webhook(`${STAND_IN_PUBLIC_URL}/twilio/agent`, { From: 'client:nobody', To: '+15550200100', CallSid: 'CA' + 'c'.repeat(32) });
    expect(stranger.body).toMatch(/<Say>.*not signed in.*<\/Say><Hangup\/>/);
  });
});
