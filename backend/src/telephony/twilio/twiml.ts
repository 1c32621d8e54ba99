// Every TwiML document we answer Twilio with, built with the `twilio` package's VoiceResponse.
// URLs are absolute on PUBLIC_URL: Twilio signs its requests over exactly these strings.
import twilio from 'twilio';
import { wssUrl } from './webhook-signature';

const { VoiceResponse } = twilio.twiml;

export interface TwimlUrls {
  /** https://… without a trailing slash. */
  publicUrl: string;
}

/** A new inbound call: straight into our media pipeline. Parameters, not a query string: Twilio drops query strings on stream URLs. */
export function answerWithStream(urls: TwimlUrls, params: { from: string; callSid: string; name?: string }): string {
  const response = new VoiceResponse();
  const stream = response.connect().stream({ url: `${wssUrl(urls.publicUrl)}/twilio/media` });
  stream.parameter({ name: 'from', value: params.from });
  stream.parameter({ name: 'callSid', value: params.callSid });
  if (params.name) stream.parameter({ name: 'name', value: params.name });
  return response.toString();
}

function conference(response: twilio.twiml.VoiceResponse, urls: TwimlUrls, sessionId: string): void {
  const q = `sessionId=${encodeURIComponent(sessionId)}`;
  response.dial().conference(
    {
      waitUrl: `${urls.publicUrl}/twilio/wait?${q}`,
      waitMethod: 'POST',
      // The caller waits (hearing our hold audio) until an agent enters; the agent leaving does not end it.
      startConferenceOnEnter: false,
      endConferenceOnExit: true,
      beep: 'false',
      participantLabel: 'caller',
      record: 'record-from-start',
      recordingStatusCallback: `${urls.publicUrl}/twilio/status/recording?${q}`,
      recordingStatusCallbackEvent: ['in-progress', 'completed'],
      statusCallback: `${urls.publicUrl}/twilio/status/conference?${q}`,
      statusCallbackEvent: ['start', 'end', 'join', 'leave', 'hold'],
    },
    sessionId,
  );
}

/** Escalation: fork both legs to us for transcription (inbound = caller, outbound = agent), then the session's conference. */
export function moveToConference(urls: TwimlUrls, sessionId: string, handoverLineUrl?: string): string {
  const response = new VoiceResponse();
  const fork = response.start().stream({ name: `fork-${sessionId}`, url: `${wssUrl(urls.publicUrl)}/twilio/fork`, track: 'both_tracks' });
  fork.parameter({ name: 'sessionId', value: sessionId });
  if (handoverLineUrl) response.play(handoverLineUrl);
  conference(response, urls, sessionId);
  return response.toString();
}

/** Back into the conference after a keypad question (the fork keeps running on the call). */
export function rejoinConference(urls: TwimlUrls, sessionId: string): string {
  const response = new VoiceResponse();
  conference(response, urls, sessionId);
  return response.toString();
}

/** What a waiting (or held) caller hears between announcements: our hold music, looped. */
export function holdMusicTwiml(urls: TwimlUrls): string {
  const response = new VoiceResponse();
  response.play({ loop: 0 }, `${urls.publicUrl}/twilio/hold-music.wav`);
  return response.toString();
}

/** A line for one participant (announceUrl): a sentence, or keypad tones. */
export function announcementTwiml(line: { text: string } | { digits: string }): string {
  const response = new VoiceResponse();
  if ('text' in line) response.say(line.text);
  else response.play({ digits: line.digits });
  return response.toString();
}

/** A question answered on the keypad, out of the conference for a moment; no answer → back in. */
export function keypadQuestion(urls: TwimlUrls, sessionId: string, text: string): string {
  const q = `sessionId=${encodeURIComponent(sessionId)}`;
  const response = new VoiceResponse();
  response.gather({ input: ['dtmf'], finishOnKey: '#', timeout: 8, action: `${urls.publicUrl}/twilio/gather?${q}`, method: 'POST' }).say(text);
  response.redirect({ method: 'POST' }, `${urls.publicUrl}/twilio/rejoin?${q}`);
  return response.toString();
}

export function farewell(text?: string): string {
  const response = new VoiceResponse();
  if (text) response.say(text);
  response.hangup();
  return response.toString();
}

/**
 * The agent's softphone dials out through the TwiML App: the softphone's leg is forked to us
 * (inbound = the agent, outbound = the customer) under the placed call's one-time id, then
 * the number is dialled with our number as caller ID, recorded from answer (both parties),
 * its status callbacks and the recording's going to us.
 */
export function dialNumber(urls: TwimlUrls, callerId: string, to: string, outboundCallId: string): string {
  const response = new VoiceResponse();
  const fork = response.start().stream({ name: `outbound-${outboundCallId}`, url: `${wssUrl(urls.publicUrl)}/twilio/fork`, track: 'both_tracks' });
  fork.parameter({ name: 'outboundCallId', value: outboundCallId });
  fork.parameter({ name: 'from', value: to });
  response
    .dial({
      callerId,
      answerOnBridge: true,
      record: 'record-from-answer-dual',
      recordingStatusCallback: `${urls.publicUrl}/twilio/status/recording`,
      recordingStatusCallbackEvent: ['in-progress', 'completed'],
    })
    .number({ statusCallback: `${urls.publicUrl}/twilio/status/call`, statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'] }, to);
  return response.toString();
}

/** Refusals Twilio can play (a caller must never hear silence). */
export function sayAndHangUp(text: string): string {
  return farewell(text);
}
