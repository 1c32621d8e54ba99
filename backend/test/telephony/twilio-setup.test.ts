// npm run twilio:setup against the Twilio stand-in's REST API: it points the number and the
// TwiML App at PUBLIC_URL, says what it changed, changes nothing the second time, and names
// each misconfigured setting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config';
import { createTwilioClient } from '../../src/telephony/twilio/twilio-rest';
import { runTwilioSetup } from '../../src/telephony/twilio/twilio-setup';
import { STAND_IN_PUBLIC_URL, TwilioStandIn, twilioSettings } from '../support/twilio-stand-in';

let twilio: TwilioStandIn;
beforeAll(async () => {
  twilio = new TwilioStandIn();
  await twilio.listen();
});
afterAll(async () => twilio.close());

describe('twilio:setup (against the Twilio stand-in)', () => {
  it('points the number and the TwiML App at PUBLIC_URL, then finds nothing to change', async () => {
    const config = defaultConfig(twilioSettings(twilio.restBaseUrl));
    const client = createTwilioClient(config);
    const first = await runTwilioSetup(config, client);
    expect(first.problems).toEqual([]);
    expect(first.changes).toContain(`number +15550009999: voiceUrl "https://demo.twilio.com/welcome/voice/" → "${STAND_IN_PUBLIC_URL}/twilio/voice"`);
    expect(first.changes.some((c) => c.includes('TwiML App') && c.includes(`${STAND_IN_PUBLIC_URL}/twilio/agent`))).toBe(true);
    expect(twilio.account.numbers[0]).toMatchObject({ voice_url: `${STAND_IN_PUBLIC_URL}/twilio/voice`, status_callback: `${STAND_IN_PUBLIC_URL}/twilio/status/call` });
    expect(twilio.account.applications[0]).toMatchObject({ voice_url: `${STAND_IN_PUBLIC_URL}/twilio/agent` });
    const second = await runTwilioSetup(config, client);
    expect(second.changes).toEqual([]);
    expect(second.ok.length).toBe(3);
  });

  it('says which setting is wrong: unknown number, TwiML App or API key', async () => {
    const config = defaultConfig({
      ...twilioSettings(twilio.restBaseUrl),
      TWILIO_PHONE_NUMBER: '+15550001111',
      TWILIO_TWIML_APP_SID: `AP${'0'.repeat(32)}`,
      TWILIO_API_KEY: `SK${'0'.repeat(32)}`,
    });
    const report = await runTwilioSetup(config, createTwilioClient(config));
    expect(report.changes).toEqual([]);
    expect(report.problems).toHaveLength(3);
    expect(report.problems[0]).toMatch(/TWILIO_PHONE_NUMBER \+15550001111 is not a number on this account/);
    expect(report.problems[1]).toMatch(/TWILIO_TWIML_APP_SID AP0+ is not a TwiML App/);
    expect(report.problems[2]).toMatch(/TWILIO_API_KEY SK0+ is not an API key/);
  });
});
