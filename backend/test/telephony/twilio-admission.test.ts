// Twilio calls share the one call registry with the local carrier: beyond MAX_CALLS a phone
// caller hears the busy line over the Media Stream, which then closes; a call moved into the
// conference stays admitted (its stream ended, the call did not) until Twilio says it ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioStandIn, twilioSettings } from '../support/twilio-stand-in';
import { startBackend, waitUntil, type Backend } from './harness';

let backend: Backend;
let twilio: TwilioStandIn;
beforeAll(async () => {
  twilio = new TwilioStandIn();
  await twilio.listen();
  backend = await startBackend({ ...twilioSettings(twilio.restBaseUrl), MAX_CALLS: 1, HOLD_ANNOUNCE_MS: 60_000, CALLBACK_OFFER_AFTER_MS: 600_000 });
  twilio.attach(backend.baseUrl);
});
afterAll(async () => {
  await backend.close();
  await twilio.close();
});

describe('Twilio calls and the call registry (against the Twilio stand-in)', () => {
  it('refuses a call beyond capacity with the busy line, and frees the line only when Twilio says the call ended', { timeout: 60_000 }, async () => {
    const first = await twilio.dial('+15550200301');
    await first.caller.waitForAiAudio(0, 20_000);
    first.caller.dtmf('0');
    await waitUntil(() => first.conference !== undefined, 20_000, 'the move into the conference');
    // The AI stream is gone, the call is not: the line is still taken.
    await first.caller.closed();
    const second = await twilio.dial('+15550200302');
    await second.caller.closed();
    expect(second.caller.received.some((f) => f.event === 'media')).toBe(true);
    expect(second.caller.closeReason).toMatch(/all lines busy/);
    // Twilio reports the first call completed: the line is free again.
    expect((await twilio.callCompleted(first)).status).toBe(204);
    const sessionId = first.conference!.name;
    await waitUntil(async () => (await backend.services.store.getSession(sessionId))?.state === 'ended', 10_000, 'the first session ended');
    const third = await twilio.dial('+15550200303');
    await third.caller.waitForAiAudio(0, 20_000);
    expect(third.caller.closeCode).toBeUndefined();
    await third.caller.hangUp();
  });

  it('a backend that takes no new calls (here: draining) tells a phone caller so in words over the stream, and logs the refusal', { timeout: 60_000 }, async () => {
    // Free lines, but the backend is shutting down: a phone call reaches the media stream
    // without the caller page's HTTP gate, so the refusal is spoken there.
    void backend.app.drain.drain(60_000);
    const refused = await twilio.dial('+15550200304');
    await refused.caller.closed();
    expect(refused.caller.received.some((f) => f.event === 'media')).toBe(true);
    expect(refused.caller.closeReason).toMatch(/shutting down; call again later/);
    await waitUntil(
      async () => (await backend.services.store.listSessions({ limit: 5 })).some((s) => s.callerId === '+15550200304' && s.state === 'ended'),
      10_000,
      'the refusal in the log',
    );
    const session = (await backend.services.store.listSessions({ limit: 5 })).find((s) => s.callerId === '+15550200304')!;
    const ended = (await backend.services.store.listEvents(session.id)).find((e) => e.type === 'session.ended');
    expect(ended?.data).toMatchObject({ by: 'system', reason: 'not taking calls: this backend is shutting down' });
  });
});
