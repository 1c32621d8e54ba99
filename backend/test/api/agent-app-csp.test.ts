// The agent app's CSP opens exactly the Voice SDK's Twilio endpoints, and only when Twilio carries the calls.
import { describe, expect, it } from 'vitest';
import { agentAppCsp } from '../../src/api/routes/agent-app';

describe('agent app CSP', () => {
  it('allows the Voice SDK endpoints only with the Twilio carrier', () => {
    const twilio = agentAppCsp(true);
    expect(twilio).toContain("connect-src 'self' ws: wss: wss://voice-js.roaming.twilio.com https://eventgw.twilio.com https://sdk.twilio.com;");
    expect(twilio).toContain("media-src 'self' blob: https://sdk.twilio.com;");
    expect(twilio).not.toMatch(/\*\.twilio\.com/);
    expect(agentAppCsp(false)).not.toContain('twilio');
  });
});
