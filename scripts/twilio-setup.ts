// npm run twilio:setup — points the Twilio number and TwiML App at PUBLIC_URL (see docs/twilio.md).
import { ConfigError, loadConfig } from '../backend/src/config/config';
import { createTwilioClient } from '../backend/src/telephony/twilio/twilio-rest';
import { runTwilioSetup } from '../backend/src/telephony/twilio/twilio-setup';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : String(err));
    return 2;
  }
  if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN) {
    console.error('Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (Console → Account info) first; docs/twilio.md walks through it.');
    return 2;
  }
  const report = await runTwilioSetup(config, createTwilioClient(config));
  for (const line of report.changes) console.log(`changed  ${line}`);
  for (const line of report.ok) console.log(`ok       ${line}`);
  for (const line of report.problems) console.error(`problem  ${line}`);
  if (report.problems.length > 0) return 1;
  console.log(report.changes.length > 0 ? 'Twilio now sends calls to this server.' : 'Nothing to change: Twilio already sends calls to this server.');
  return 0;
}

process.exitCode = await main();
