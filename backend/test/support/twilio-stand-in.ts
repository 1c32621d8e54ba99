// A local stand-in for Twilio that speaks its real protocol to our backend: it signs every
// webhook and Media Streams upgrade the way Twilio does (HMAC-SHA1 of the URL and sorted
// POST parameters with the auth token — computed here independently of the `twilio`
// package the backend validates with), posts /twilio/voice, parses the TwiML with an XML
// parser, opens the <Connect><Stream> with a signed upgrade and streams caller speech as
// µ-law 8 kHz (a ScriptedCaller: playout clock, echoed marks, obeyed clears), and serves the
// REST API the backend calls (recording every request). When a REST update moves the call
// into a conference it does what Twilio does: stops the stream, opens the <Start><Stream>
// fork with both tracks, and posts the conference's status callbacks.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import WebSocket from 'ws';
import { encodeMulaw } from '../../src/media/mulaw';
import { createResampler } from '../../src/media/resampler';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';

export const STAND_IN_ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const STAND_IN_AUTH_TOKEN = 'stand-in-auth-token-0123456789abcdef';
export const STAND_IN_PUBLIC_URL = 'https://switchboard.example.test';
export const STAND_IN_NUMBER = '+15550009999';

/** Settings a backend needs to talk to this stand-in (merge the REST base URL once it listens). */
export function twilioSettings(restBaseUrl: string): Record<string, string> {
  return {
    CARRIER: 'twilio',
    TWILIO_ACCOUNT_SID: STAND_IN_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: STAND_IN_AUTH_TOKEN,
    TWILIO_API_KEY: `SK${'b2'.repeat(16)}`,
    TWILIO_API_SECRET: 'stand-in-api-secret-0123456789',
    TWILIO_TWIML_APP_SID: `AP${'c3'.repeat(16)}`,
    TWILIO_PHONE_NUMBER: STAND_IN_NUMBER,
    PUBLIC_URL: STAND_IN_PUBLIC_URL,
    TWILIO_API_BASE_URL: restBaseUrl,
  };
}

/** Twilio's request signature: base64 HMAC-SHA1 over the URL followed by each POST parameter's name and value, sorted by name. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string> = {}): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export interface RestRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  /** performance.now() when it arrived. */
  at: number;
}

type XmlNode = Record<string, unknown>;
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['Parameter', 'Say', 'Play'].includes(name) });

export function parseTwiml(body: string): XmlNode {
  const doc = xml.parse(body) as { Response?: XmlNode };
  if (!doc.Response) throw new Error(`not TwiML: ${body.slice(0, 200)}`);
  return doc.Response;
}

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

export interface PhoneCall {
  callSid: string;
  caller: ScriptedCaller;
  /** The TwiML /twilio/voice answered with, parsed. */
  answer: XmlNode;
  /** Set once a REST update moved the call into a conference. */
  conference?: { name: string; sid: string; twiml: XmlNode; waitTwiml?: XmlNode; statusCallback?: string; recordingStatusCallback?: string; recordingSid?: string };
  /** Agents' legs Twilio dialled into the conference (Participants create), newest last. */
  agentLegs: Array<{ callSid: string; to: string; statusCallback: string; status: string }>;
  fork?: ForkStream;
  /** A keypad question waiting for an answer (<Gather>). */
  gather?: { action: string; text: string };
  /** Every TwiML a REST update gave this call, parsed. */
  updates: XmlNode[];
  /** Announcements played to the caller in the conference (participant announceUrl), parsed. */
  announcements: XmlNode[];
  /** Audio the call fetched for <Play>. */
  played: Array<{ url: string; status: number; type: string; bytes: number }>;
}

/** An agent's outbound call: the softphone's leg (parent) dialling a number (child) through the TwiML App. */
export interface OutboundPhoneCall {
  callSid: string;
  childSid: string;
  to: string;
  /** The TwiML /twilio/agent answered with, parsed. */
  twiml: XmlNode;
  /** The fork of the softphone's leg: inbound = the agent, outbound = the customer. */
  fork?: ForkStream;
  numberStatusCallback: string;
  recordingStatusCallback: string;
  recordingSid: string;
  ended: boolean;
}

export class TwilioStandIn {
  readonly requests: RestRequest[] = [];
  /** The account's configuration, as the REST API shows it. */
  readonly account = {
    numbers: [{ sid: `PN${'d4'.repeat(16)}`, phone_number: STAND_IN_NUMBER, voice_url: 'https://demo.twilio.com/welcome/voice/', voice_method: 'POST', status_callback: '', status_callback_method: 'POST', voice_application_sid: '' }],
    applications: [{ sid: `AP${'c3'.repeat(16)}`, friendly_name: 'Switchboard softphone', voice_url: '', voice_method: 'POST' }],
    keys: [`SK${'b2'.repeat(16)}`],
  };
  readonly calls = new Map<string, PhoneCall>();
  readonly outboundCalls = new Map<string, OutboundPhoneCall>();
  #server: Server | undefined;
  #baseUrl = '';
  #backend = '';
  #failures: Array<{ match: RegExp; status: number; code: number; message: string }> = [];
  /** Webhook responses the backend gave (path and status), for assertions. */
  readonly webhookStatuses: Array<{ path: string; status: number }> = [];

  get restBaseUrl(): string {
    return this.#baseUrl;
  }

  async listen(): Promise<void> {
    this.#server = createServer((req, res) => void this.#onRest(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.#baseUrl = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Where the backend really listens (PUBLIC_URL is what we sign over, like a tunnel). */
  attach(backendBaseUrl: string): void {
    this.#backend = backendBaseUrl;
  }

  async close(): Promise<void> {
    for (const call of this.calls.values()) call.fork?.close();
    for (const call of this.outboundCalls.values()) call.fork?.close();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** The next REST request whose path matches fails like Twilio would. */
  failNext(match: RegExp, status = 500, code = 20500, message = 'Internal Server Error'): void {
    this.#failures.push({ match, status, code, message });
  }

  /** Posts a signed webhook (form-encoded) to a PUBLIC_URL address; returns status and body. */
  async webhook(publicUrl: string, params: Record<string, string>, signature?: string): Promise<{ status: number; body: string }> {
    const url = new URL(publicUrl);
    const res = await fetch(`${this.#backend}${url.pathname}${url.search}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? twilioSignature(STAND_IN_AUTH_TOKEN, publicUrl, params),
        'i-twilio-idempotency-token': randomBytes(8).toString('hex'),
      },
      body: new URLSearchParams(params).toString(),
    });
    const body = await res.text();
    this.webhookStatuses.push({ path: url.pathname, status: res.status });
    return { status: res.status, body };
  }

  /** A phone call to our number: webhook, TwiML, then the signed media stream with the caller on it. */
  async dial(from: string, opts: { signature?: string } = {}): Promise<PhoneCall> {
    const callSid = sid('CA');
    const params = { AccountSid: STAND_IN_ACCOUNT_SID, CallSid: callSid, From: from, To: STAND_IN_NUMBER, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01' };
    const answered = await this.webhook(`${STAND_IN_PUBLIC_URL}/twilio/voice`, params, opts.signature);
    if (answered.status !== 200) throw new Error(`/twilio/voice answered ${answered.status}: ${answered.body}`);
    const answer = parseTwiml(answered.body);
    const stream = ((answer.Connect as XmlNode | undefined)?.Stream ?? undefined) as XmlNode | undefined;
    if (!stream) throw new Error('the answer has no <Connect><Stream>');
    const streamUrl = String(stream['@url']);
    const customParameters: Record<string, string> = {};
    for (const p of (stream.Parameter as XmlNode[] | undefined) ?? []) customParameters[String(p['@name'])] = String(p['@value']);
    const caller = new ScriptedCaller({
      baseUrl: this.#backend,
      from: customParameters.from ?? from,
      encoding: 'audio/x-mulaw',
      customParameters,
      callSid,
      url: this.#local(streamUrl),
      headers: { 'x-twilio-signature': twilioSignature(STAND_IN_AUTH_TOKEN, streamUrl) },
    });
    await caller.connect();
    const call: PhoneCall = { callSid, caller, answer, updates: [], played: [], announcements: [], agentLegs: [] };
    this.calls.set(callSid, call);
    return call;
  }

  /** The caller answers a <Gather> on the keypad: Twilio posts Digits to its action and runs the TwiML it gets back. */
  async pressKeys(call: PhoneCall, digits: string): Promise<{ status: number }> {
    const gather = call.gather;
    if (!gather) throw new Error('no keypad question is waiting');
    call.gather = undefined;
    const answer = await this.webhook(gather.action, { AccountSid: STAND_IN_ACCOUNT_SID, CallSid: call.callSid, Digits: digits });
    if (answer.status === 200) void this.#runTwiml(call, parseTwiml(answer.body));
    return answer;
  }

  /**
   * An agent's softphone dials through the TwiML App: Twilio posts the app's voice URL with
   * `From=client:<identity>`, runs the TwiML (the <Start><Stream> fork of the softphone's leg,
   * then <Dial><Number>), and reports the dialled leg ringing to the <Number>'s status
   * callback (a child of the softphone's call). outboundAnswered() picks up.
   */
  async agentDials(identity: string, to: string): Promise<{ status: number; body: string; call?: OutboundPhoneCall }> {
    const callSid = sid('CA');
    const answered = await this.webhook(`${STAND_IN_PUBLIC_URL}/twilio/agent`, {
      AccountSid: STAND_IN_ACCOUNT_SID,
      ApplicationSid: this.account.applications[0]!.sid,
      CallSid: callSid,
      From: `client:${identity}`,
      To: to,
      CallStatus: 'ringing',
      Direction: 'inbound',
    });
    if (answered.status !== 200) return answered;
    const twiml = parseTwiml(answered.body);
    const dial = twiml.Dial as XmlNode | undefined;
    const number = dial?.Number as XmlNode | string | undefined;
    if (!dial || !number) return answered;
    const numberNode = typeof number === 'string' ? { '#text': number } : number;
    const call: OutboundPhoneCall = {
      callSid,
      childSid: sid('CA'),
      to: String(numberNode['#text']),
      twiml,
      numberStatusCallback: String(numberNode['@statusCallback'] ?? ''),
      recordingStatusCallback: String(dial['@recordingStatusCallback'] ?? ''),
      recordingSid: sid('RE'),
      ended: false,
    };
    this.outboundCalls.set(callSid, call);
    const start = (twiml.Start as XmlNode | undefined)?.Stream as XmlNode | undefined;
    if (start) {
      const params: Record<string, string> = {};
      for (const p of (start.Parameter as XmlNode[] | undefined) ?? []) params[String(p['@name'])] = String(p['@value']);
      const url = String(start['@url']);
      call.fork = new ForkStream(this.#local(url), twilioSignature(STAND_IN_AUTH_TOKEN, url), callSid, params, String(start['@track']));
      await call.fork.open();
    }
    for (const status of ['initiated', 'ringing']) await this.#childStatus(call, status);
    return { ...answered, call };
  }

  /** The dialled person picks up: the leg is in progress and the <Dial>'s recording starts (record-from-answer). */
  async outboundAnswered(call: OutboundPhoneCall): Promise<void> {
    await this.#childStatus(call, 'in-progress');
    if (call.recordingStatusCallback) {
      await this.webhook(call.recordingStatusCallback, { AccountSid: STAND_IN_ACCOUNT_SID, CallSid: call.callSid, RecordingSid: call.recordingSid, RecordingStatus: 'in-progress', RecordingSource: 'DialVerb' });
    }
  }

  /** The dialled person hangs up: the <Dial> ends, so does the softphone's leg and its fork; the recording completes. */
  async outboundEnds(call: OutboundPhoneCall, durationS = 25): Promise<void> {
    if (call.ended) return;
    call.ended = true;
    await this.#childStatus(call, 'completed', { CallDuration: String(durationS) });
    call.fork?.close();
    if (call.recordingStatusCallback) {
      await this.webhook(call.recordingStatusCallback, {
        AccountSid: STAND_IN_ACCOUNT_SID,
        CallSid: call.callSid,
        RecordingSid: call.recordingSid,
        RecordingStatus: 'completed',
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${STAND_IN_ACCOUNT_SID}/Recordings/${call.recordingSid}`,
        RecordingDuration: String(durationS),
        RecordingChannels: '2',
        RecordingSource: 'DialVerb',
      });
    }
  }

  async #childStatus(call: OutboundPhoneCall, status: string, extra: Record<string, string> = {}): Promise<void> {
    if (!call.numberStatusCallback) return;
    await this.webhook(call.numberStatusCallback, {
      AccountSid: STAND_IN_ACCOUNT_SID,
      CallSid: call.childSid,
      ParentCallSid: call.callSid,
      CallStatus: status,
      Direction: 'outbound-dial',
      To: call.to,
      From: STAND_IN_NUMBER,
      ...extra,
    });
  }

  /** Twilio's "completed" status callback for a call (the caller hung up). */
  async callCompleted(call: PhoneCall, url = `${STAND_IN_PUBLIC_URL}/twilio/status/call`): Promise<{ status: number }> {
    return this.webhook(url, { AccountSid: STAND_IN_ACCOUNT_SID, CallSid: call.callSid, CallStatus: 'completed', CallDuration: '42' });
  }

  /** What Twilio posts as an agent's conference leg rings and answers: the leg's call status callbacks, the participant join, the recording start. */
  async #agentLegAnswers(call: PhoneCall, leg: PhoneCall['agentLegs'][number]): Promise<void> {
    call.agentLegs.push(leg);
    const conference = call.conference!;
    for (const status of ['initiated', 'ringing', 'in-progress']) {
      leg.status = status;
      if (leg.statusCallback) await this.webhook(leg.statusCallback, { AccountSid: STAND_IN_ACCOUNT_SID, CallSid: leg.callSid, CallStatus: status, Direction: 'outbound-api', To: leg.to, From: STAND_IN_NUMBER });
    }
    if (conference.statusCallback) {
      await this.webhook(conference.statusCallback, { AccountSid: STAND_IN_ACCOUNT_SID, ConferenceSid: conference.sid, FriendlyName: conference.name, StatusCallbackEvent: 'participant-join', CallSid: leg.callSid });
    }
    // record-from-start: the recording starts with the conference (the agent's entry starts it).
    if (conference.recordingStatusCallback && !conference.recordingSid) {
      conference.recordingSid = sid('RE');
      await this.webhook(conference.recordingStatusCallback, { AccountSid: STAND_IN_ACCOUNT_SID, ConferenceSid: conference.sid, RecordingSid: conference.recordingSid, RecordingStatus: 'in-progress' });
    }
  }

  /**
   * The agent's leg drops on its own (their app closed, the network went): Twilio reports the
   * participant leaving the conference, then the leg's call status `completed`. The caller stays.
   */
  async agentLegDrops(call: PhoneCall): Promise<void> {
    const leg = call.agentLegs.findLast((l) => l.status === 'in-progress');
    const conference = call.conference;
    if (!leg || !conference) throw new Error('no agent leg is connected to this call');
    leg.status = 'completed';
    if (conference.statusCallback) {
      await this.webhook(conference.statusCallback, { AccountSid: STAND_IN_ACCOUNT_SID, ConferenceSid: conference.sid, FriendlyName: conference.name, StatusCallbackEvent: 'participant-leave', CallSid: leg.callSid });
    }
    if (leg.statusCallback) {
      await this.webhook(leg.statusCallback, { AccountSid: STAND_IN_ACCOUNT_SID, CallSid: leg.callSid, CallStatus: 'completed', CallDuration: '12', Direction: 'outbound-api', To: leg.to, From: STAND_IN_NUMBER });
    }
  }

  /** The backend's address for a PUBLIC_URL (https → http, wss → ws). */
  #local(publicUrl: string): string {
    const url = new URL(publicUrl);
    const base = url.protocol === 'wss:' ? this.#backend.replace(/^http/, 'ws') : this.#backend;
    return `${base}${url.pathname}${url.search}`;
  }

  // ---- the REST API -----------------------------------------------------------------------

  async #onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    this.requests.push({ method: req.method ?? 'GET', path, params, at: performance.now() });
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    if (auth !== `${STAND_IN_ACCOUNT_SID}:${STAND_IN_AUTH_TOKEN}`) return send(401, { code: 20003, message: 'Authenticate', status: 401 });
    const failure = this.#failures.findIndex((f) => f.match.test(path));
    if (failure >= 0) {
      const f = this.#failures.splice(failure, 1)[0]!;
      return send(f.status, { code: f.code, message: f.message, more_info: `https://www.twilio.com/docs/errors/${f.code}`, status: f.status });
    }
    const base = `/2010-04-01/Accounts/${STAND_IN_ACCOUNT_SID}`;
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^${base}/Calls/(CA[0-9a-f]+)/Recordings/([^/]+)\\.json$`).exec(path)) && req.method === 'POST') {
      if (!this.calls.has(m[1]!) && !this.outboundCalls.has(m[1]!)) return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      return send(200, { sid: m[2], call_sid: m[1], account_sid: STAND_IN_ACCOUNT_SID, status: params.Status ?? 'in-progress' });
    }
    const callSid = new RegExp(`^${base}/Calls/(CA[0-9a-f]+)\\.json$`).exec(path)?.[1];
    const outbound = callSid ? this.outboundCalls.get(callSid) : undefined;
    if (outbound && req.method === 'POST') {
      send(200, { sid: outbound.callSid, account_sid: STAND_IN_ACCOUNT_SID, status: 'in-progress' });
      // New TwiML for the softphone's leg ends its <Dial>; a <Hangup/> ends the call.
      if (params.Twiml && 'Hangup' in parseTwiml(params.Twiml)) void this.outboundEnds(outbound);
      return;
    }
    if ((m = new RegExp(`^${base}/Calls/(CA[0-9a-f]+)\\.json$`).exec(path)) && req.method === 'POST') {
      const call = this.calls.get(m[1]!);
      if (!call) return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      send(200, { sid: call.callSid, account_sid: STAND_IN_ACCOUNT_SID, status: 'in-progress' });
      if (params.Twiml) void this.#runTwiml(call, parseTwiml(params.Twiml));
      return;
    }
    if ((m = new RegExp(`^${base}/Conferences/([^/]+)/Participants\\.json$`).exec(path)) && req.method === 'POST') {
      const legSid = sid('CA');
      send(201, { call_sid: legSid, conference_sid: m[1], account_sid: STAND_IN_ACCOUNT_SID, label: params.Label ?? null, status: 'queued', muted: false, hold: false });
      const call = [...this.calls.values()].find((c) => c.conference && (c.conference.sid === m![1] || c.conference.name === m![1]));
      if (call) void this.#agentLegAnswers(call, { callSid: legSid, to: params.To ?? '', statusCallback: params.StatusCallback ?? '', status: 'queued' });
      return;
    }
    if ((m = new RegExp(`^${base}/Conferences/([^/]+)/Recordings/([^/]+)\\.json$`).exec(path)) && req.method === 'POST') {
      return send(200, { sid: m[2], conference_sid: m[1], account_sid: STAND_IN_ACCOUNT_SID, status: params.Status ?? 'in-progress' });
    }
    if ((m = new RegExp(`^${base}/Conferences/([^/]+)/Participants/(CA[0-9a-f]+)\\.json$`).exec(path))) {
      if (req.method === 'DELETE') return send(204);
      // An announcement: Twilio fetches the TwiML (signed POST) and plays it to the participant.
      const call = this.calls.get(m[2]!);
      if (params.AnnounceUrl && call) void this.webhook(params.AnnounceUrl, { AccountSid: STAND_IN_ACCOUNT_SID, CallSid: call.callSid }).then((r) => call.announcements.push(parseTwiml(r.body)));
      return send(200, { call_sid: m[2], conference_sid: m[1], account_sid: STAND_IN_ACCOUNT_SID, muted: params.Muted === 'true', hold: params.Hold === 'true', status: 'connected' });
    }
    // Account configuration (npm run twilio:setup).
    const notFound = () => send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    const meta = { page: 0, page_size: 50, start: 0, end: 0, next_page_uri: null, previous_page_uri: null, first_page_uri: path, uri: path };
    if (path === `${base}/IncomingPhoneNumbers.json` && req.method === 'GET') {
      const wanted = new URL(req.url ?? '/', 'http://x').searchParams.get('PhoneNumber');
      return send(200, { ...meta, incoming_phone_numbers: this.account.numbers.filter((n) => !wanted || n.phone_number === wanted) });
    }
    if ((m = new RegExp(`^${base}/IncomingPhoneNumbers/(PN[0-9a-f]+)\\.json$`).exec(path)) && req.method === 'POST') {
      const number = this.account.numbers.find((n) => n.sid === m![1]);
      if (!number) return notFound();
      const fields: Record<string, string> = { VoiceUrl: 'voice_url', VoiceMethod: 'voice_method', StatusCallback: 'status_callback', StatusCallbackMethod: 'status_callback_method', VoiceApplicationSid: 'voice_application_sid' };
      for (const [param, field] of Object.entries(fields)) if (param in params) (number as Record<string, string>)[field] = params[param]!;
      return send(200, number);
    }
    if ((m = new RegExp(`^${base}/Applications/(AP[0-9a-f]+)\\.json$`).exec(path))) {
      const app = this.account.applications.find((a) => a.sid === m![1]);
      if (!app) return notFound();
      if (req.method === 'POST') {
        if (params.VoiceUrl !== undefined) app.voice_url = params.VoiceUrl;
        if (params.VoiceMethod !== undefined) app.voice_method = params.VoiceMethod;
      }
      return send(200, app);
    }
    if ((m = new RegExp(`^${base}/Keys/(SK[0-9a-f]+)\\.json$`).exec(path)) && req.method === 'GET') {
      return this.account.keys.includes(m[1]!) ? send(200, { sid: m[1], friendly_name: 'switchboard' }) : notFound();
    }
    send(404, { code: 20404, message: `The stand-in does not serve ${req.method} ${path}`, status: 404 });
  }

  /** What Twilio does with new TwiML for a live call. */
  async #runTwiml(call: PhoneCall, twiml: XmlNode): Promise<void> {
    call.updates.push(twiml);
    // Any new TwiML ends the <Connect><Stream> the call was on.
    await call.caller.hangUp().catch(() => undefined);
    const start = (twiml.Start as XmlNode | undefined)?.Stream as XmlNode | undefined;
    if (start && !call.fork) {
      const params: Record<string, string> = {};
      for (const p of (start.Parameter as XmlNode[] | undefined) ?? []) params[String(p['@name'])] = String(p['@value']);
      const url = String(start['@url']);
      call.fork = new ForkStream(this.#local(url), twilioSignature(STAND_IN_AUTH_TOKEN, url), call.callSid, params, String(start['@track']));
      await call.fork.open();
    }
    // <Gather>: the caller is out of the conference, on the keypad question, until pressKeys() answers it.
    const gather = twiml.Gather as XmlNode | undefined;
    if (gather) {
      call.gather = { action: String(gather['@action']), text: String(((gather.Say as unknown[] | undefined) ?? [])[0] ?? '') };
      return;
    }
    // <Hangup/> ends the call: the fork stops and the number's status callback says so.
    if ('Hangup' in twiml) {
      call.fork?.close();
      await this.callCompleted(call);
      return;
    }
    // <Play> is fetched with a signed GET, like every Twilio request.
    for (const play of (twiml.Play as Array<XmlNode | string> | undefined) ?? []) {
      const url = typeof play === 'string' ? play : String(play['#text']);
      const res = await fetch(this.#local(url), { headers: { 'x-twilio-signature': twilioSignature(STAND_IN_AUTH_TOKEN, url) } });
      call.played.push({ url, status: res.status, type: res.headers.get('content-type') ?? '', bytes: (await res.arrayBuffer()).byteLength });
    }
    const conference = (twiml.Dial as XmlNode | undefined)?.Conference as XmlNode | string | undefined;
    if (conference) {
      const node = typeof conference === 'string' ? { '#text': conference } : conference;
      const name = String(node['#text']);
      call.conference ??= { name, sid: sid('CF'), twiml };
      const status = String(node['@statusCallback'] ?? '');
      call.conference.statusCallback = status;
      call.conference.recordingStatusCallback = String(node['@recordingStatusCallback'] ?? '');
      if (status) {
        await this.webhook(status, { AccountSid: STAND_IN_ACCOUNT_SID, ConferenceSid: call.conference.sid, FriendlyName: name, StatusCallbackEvent: 'participant-join', CallSid: call.callSid });
      }
      const wait = String(node['@waitUrl'] ?? '');
      if (wait) {
        const answered = await this.webhook(wait, { AccountSid: STAND_IN_ACCOUNT_SID, CallSid: call.callSid, ConferenceSid: call.conference.sid });
        if (answered.status === 200) call.conference.waitTwiml = parseTwiml(answered.body);
      }
    }
  }
}

const FRAME_MS = 20;

/** The <Start><Stream track="both_tracks"> fork: caller audio on `inbound`, what the caller hears (the agent) on `outbound`, µ-law 8 kHz, 20 ms frames. */
export class ForkStream {
  #ws: WebSocket | undefined;
  #timer: NodeJS.Timeout | undefined;
  #seq = 0;
  #chunk = 0;
  #next = 0;
  readonly #queues = { inbound: [] as Uint8Array[], outbound: [] as Uint8Array[] };
  readonly streamSid = sid('MZ');
  closeCode: number | undefined;

  constructor(
    readonly url: string,
    readonly signature: string,
    readonly callSid: string,
    readonly params: Record<string, string>,
    readonly track: string,
  ) {}

  async open(): Promise<void> {
    const ws = new WebSocket(this.url, { headers: { 'x-twilio-signature': this.signature } });
    this.#ws = ws;
    ws.on('close', (code) => {
      this.closeCode = code;
      clearTimeout(this.#timer);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.#send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.#send({
      event: 'start',
      sequenceNumber: String(++this.#seq),
      streamSid: this.streamSid,
      start: {
        accountSid: STAND_IN_ACCOUNT_SID,
        streamSid: this.streamSid,
        callSid: this.callSid,
        tracks: ['inbound', 'outbound'],
        customParameters: { from: 'fork', ...this.params },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    this.#next = performance.now();
    this.#tick();
  }

  /** 16 kHz speech on one track, streamed at real time. */
  say(track: 'inbound' | 'outbound', pcm16k: Int16Array): void {
    const mulaw = encodeMulaw(createResampler(16000, 8000).process(pcm16k));
    for (let i = 0; i < mulaw.length; i += 160) {
      const frame = new Uint8Array(160).fill(0xff);
      frame.set(mulaw.subarray(i, Math.min(mulaw.length, i + 160)));
      this.#queues[track].push(frame);
    }
  }

  close(): void {
    clearTimeout(this.#timer);
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.close(1000, 'fork stopped');
  }

  #tick(): void {
    if (this.#ws?.readyState !== WebSocket.OPEN) return;
    this.#chunk += 1;
    for (const track of ['inbound', 'outbound'] as const) {
      // µ-law silence is 0xff.
      const payload = this.#queues[track].shift() ?? new Uint8Array(160).fill(0xff);
      this.#send({
        event: 'media',
        sequenceNumber: String(++this.#seq),
        streamSid: this.streamSid,
        media: { track, chunk: String(this.#chunk), timestamp: String(this.#chunk * FRAME_MS), payload: Buffer.from(payload).toString('base64') },
      });
    }
    this.#next += FRAME_MS;
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, this.#next - performance.now()));
  }

  #send(frame: object): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(frame));
  }
}
