// `npm run twilio:setup`: points the phone number and the TwiML App at PUBLIC_URL through the
// REST API, checks the API key the softphone tokens are signed with, and reports every change
// made and every setting that is wrong (with what to do about it). Idempotent: a second run
// changes nothing.
import type { AppConfig } from '../../config/config';
import { describeRestError, type TwilioClient } from './twilio-rest';

export interface SetupReport {
  changes: string[];
  ok: string[];
  problems: string[];
}

type Settings = Pick<AppConfig, 'TWILIO_PHONE_NUMBER' | 'TWILIO_TWIML_APP_SID' | 'TWILIO_API_KEY' | 'PUBLIC_URL'>;

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { status?: number }).status === 404;
}

export async function runTwilioSetup(config: Settings, client: TwilioClient): Promise<SetupReport> {
  const report: SetupReport = { changes: [], ok: [], problems: [] };
  const base = config.PUBLIC_URL;
  if (!base) {
    report.problems.push('PUBLIC_URL is not set: set it to the https address Twilio reaches this server at (a tunnel in a trial; see docs/twilio.md).');
    return report;
  }

  // The phone number: calls to it come to /twilio/voice, its status to /twilio/status/call.
  if (!config.TWILIO_PHONE_NUMBER) report.problems.push('TWILIO_PHONE_NUMBER is not set: set it to the number callers dial (E.164, e.g. +15551234567).');
  else {
    try {
      const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: config.TWILIO_PHONE_NUMBER, limit: 1 });
      if (!number) {
        report.problems.push(`TWILIO_PHONE_NUMBER ${config.TWILIO_PHONE_NUMBER} is not a number on this account: buy it (Console → Phone Numbers) or fix the variable.`);
      } else {
        const wanted = {
          voiceUrl: `${base}/twilio/voice`,
          voiceMethod: 'POST',
          statusCallback: `${base}/twilio/status/call`,
          statusCallbackMethod: 'POST',
          // A TwiML App on the number would override its voice URL.
          voiceApplicationSid: '',
        };
        const current = {
          voiceUrl: number.voiceUrl ?? '',
          voiceMethod: number.voiceMethod ?? '',
          statusCallback: number.statusCallback ?? '',
          statusCallbackMethod: number.statusCallbackMethod ?? '',
          voiceApplicationSid: number.voiceApplicationSid ?? '',
        };
        const diff = (Object.keys(wanted) as Array<keyof typeof wanted>).filter((k) => current[k] !== wanted[k]);
        if (diff.length === 0) report.ok.push(`number ${config.TWILIO_PHONE_NUMBER} already points at ${base}`);
        else {
          await client.incomingPhoneNumbers(number.sid).update(wanted);
          for (const k of diff) report.changes.push(`number ${config.TWILIO_PHONE_NUMBER}: ${k} "${current[k]}" → "${wanted[k]}"`);
        }
      }
    } catch (err) {
      report.problems.push(`Could not read or update ${config.TWILIO_PHONE_NUMBER}: ${describeRestError(err)}. Check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.`);
    }
  }

  // The TwiML App: the softphone's outbound calls come to /twilio/agent.
  if (!config.TWILIO_TWIML_APP_SID) report.problems.push('TWILIO_TWIML_APP_SID is not set: create a TwiML App (Console → Voice → TwiML Apps) and set its SID.');
  else {
    try {
      const app = await client.applications(config.TWILIO_TWIML_APP_SID).fetch();
      const wanted = { voiceUrl: `${base}/twilio/agent`, voiceMethod: 'POST' };
      const current = { voiceUrl: app.voiceUrl ?? '', voiceMethod: app.voiceMethod ?? '' };
      const diff = (Object.keys(wanted) as Array<keyof typeof wanted>).filter((k) => current[k] !== wanted[k]);
      if (diff.length === 0) report.ok.push(`TwiML App ${config.TWILIO_TWIML_APP_SID} already points at ${base}`);
      else {
        await client.applications(config.TWILIO_TWIML_APP_SID).update(wanted);
        for (const k of diff) report.changes.push(`TwiML App ${config.TWILIO_TWIML_APP_SID}: ${k} "${current[k]}" → "${wanted[k]}"`);
      }
    } catch (err) {
      report.problems.push(
        isNotFound(err)
          ? `TWILIO_TWIML_APP_SID ${config.TWILIO_TWIML_APP_SID} is not a TwiML App on this account: create one (Console → Voice → TwiML Apps) and set its SID.`
          : `Could not read or update the TwiML App: ${describeRestError(err)}.`,
      );
    }
  }

  // The API key the softphone's access tokens are signed with.
  if (!config.TWILIO_API_KEY) report.problems.push('TWILIO_API_KEY is not set: create a Standard API key (Console → Account → API keys) and set its SID and secret.');
  else {
    try {
      await client.keys(config.TWILIO_API_KEY).fetch();
      report.ok.push(`API key ${config.TWILIO_API_KEY} exists`);
    } catch (err) {
      report.problems.push(
        isNotFound(err)
          ? `TWILIO_API_KEY ${config.TWILIO_API_KEY} is not an API key of this account: softphones could not sign in. Create one and set TWILIO_API_KEY and TWILIO_API_SECRET.`
          : `Could not check the API key: ${describeRestError(err)}.`,
      );
    }
  }
  return report;
}
