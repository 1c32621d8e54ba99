// CARRIER=twilio is refused at start when a setting it needs is missing or malformed, with the names.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config';
import { twilioSettings } from '../support/twilio-stand-in';

describe('Twilio configuration', () => {
  it('accepts a complete set and trims PUBLIC_URL', () => {
    const config = parseConfig({ ...twilioSettings('http://127.0.0.1:1'), PUBLIC_URL: 'https://sb.example.com/' });
    expect(config.CARRIER).toBe('twilio');
    expect(config.PUBLIC_URL).toBe('https://sb.example.com');
  });

  it('names what is missing or malformed', () => {
    expect(() => parseConfig({ CARRIER: 'twilio', TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}` })).toThrow(
      /CARRIER=twilio needs TWILIO_AUTH_TOKEN, TWILIO_API_KEY, TWILIO_API_SECRET, TWILIO_TWIML_APP_SID, TWILIO_PHONE_NUMBER, PUBLIC_URL/,
    );
    expect(() => parseConfig({ ...twilioSettings('http://x'), PUBLIC_URL: 'http://sb.example.com' })).toThrow(/PUBLIC_URL: must start with https/);
    expect(() => parseConfig({ ...twilioSettings('http://x'), TWILIO_PHONE_NUMBER: '5551234' })).toThrow(ConfigError);
    // The local carrier needs none of it.
    expect(parseConfig({}).CARRIER).toBe('local');
  });
});
