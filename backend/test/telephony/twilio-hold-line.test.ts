// The hold line on Twilio, against the stand-in: a caller waiting in the conference hears
// their position (a participant announcement Twilio fetches from us), is offered a callback
// as a keypad question (<Gather>, then back into the conference), and pressing 1 schedules
// it and ends the call with a goodbye (<Say>…<Hangup/>).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioStandIn, twilioSettings } from '../support/twilio-stand-in';
import { startBackend, waitUntil, type Backend } from './harness';

let backend: Backend;
let twilio: TwilioStandIn;
beforeAll(async () => {
  twilio = new TwilioStandIn();
  await twilio.listen();
  // The shortest intervals the configuration allows; no agent is signed in.
  backend = await startBackend({ ...twilioSettings(twilio.restBaseUrl), HOLD_ANNOUNCE_MS: 5000, CALLBACK_OFFER_AFTER_MS: 5000 });
  twilio.attach(backend.baseUrl);
});
afterAll(async () => {
  await backend.close();
  await twilio.close();
});

describe('hold line over Twilio (against the Twilio stand-in)', () => {
  it('announces the position, asks the callback question on the keypad, and schedules it on 1', { timeout: 60_000 }, async () => {
    const call = await twilio.dial('+15550200201');
    await call.caller.waitForAiAudio(0, 20_000);
    call.caller.dtmf('0');
    await waitUntil(() => call.conference !== undefined, 20_000, 'the conference');
    const sessionId = call.conference!.name;
    const types = async () => (await backend.services.store.listEvents(sessionId)).map((e) => e.type);

    await waitUntil(() => call.gather !== undefined, 30_000, 'the callback question');
    expect(call.gather!.text).toMatch(/Press 1 for a callback/);
    expect(call.gather!.action).toBe(`https://switchboard.example.test/twilio/gather?sessionId=${sessionId}`);
    await waitUntil(async () => (await types()).includes('hold.announced'), 30_000, 'the position announcement');
    await waitUntil(() => call.announcements.length > 0, 10_000, 'the announcement fetched');
    expect(JSON.stringify(call.announcements[0])).toMatch(/You are number 1 in line/);

    expect((await twilio.pressKeys(call, '1')).status).toBe(200);
    await waitUntil(async () => (await types()).includes('callback.scheduled'), 15_000, 'callback scheduled');
    await waitUntil(() => call.updates.some((u) => 'Hangup' in u), 15_000, 'the goodbye');
    const goodbye = call.updates.find((u) => 'Hangup' in u)!;
    expect(JSON.stringify(goodbye.Say)).toMatch(/call you back at the number ending in 0 2 0 1/);
    await waitUntil(async () => (await backend.services.store.getSession(sessionId))?.state === 'ended', 10_000, 'session end');
    const callbacks = await backend.services.crm.listCallbacks();
    expect(callbacks.find((c) => c.sessionId === sessionId)).toMatchObject({ phone: '+15550200201', status: 'scheduled' });
  });
});
