// Twilio's HTTP side: the inbound-call webhook, the TwiML our conference asks for (wait
// music, announcements, keypad answers), status callbacks for calls, conferences and
// recordings (each becomes a session event), and the TwiML App's voice URL for agents'
// outbound calls. Every request must carry a valid X-Twilio-Signature over PUBLIC_URL:
// anything else is answered 403, logged, and changes nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodeWav } from '../../speech/wav';
import { holdMusic } from '../../media/tones';
import { synthesizeWhole } from '../../speech/whole-utterance';
import type { TwilioCarrierContext } from './twilio-carrier';
import type { TwilioCallControl } from './twilio-call-control';
import { announcementTwiml, answerWithStream, dialNumber, holdMusicTwiml, rejoinConference, sayAndHangUp } from './twiml';
import { validWebhook } from './webhook-signature';

type Params = Record<string, string | undefined>;

const ENDED_CALL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
const E164 = /^\+[1-9]\d{6,14}$/;
const HOLD_MUSIC_MS = 30_000;

export function twilioWebhookRoutes(ctx: TwilioCarrierContext) {
  return async (app: FastifyInstance): Promise<void> => {
    // Twilio posts application/x-www-form-urlencoded; scoped to this plugin.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    const signed = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (validWebhook(ctx.signature, request)) return;
      request.log.warn({ url: request.url, ip: request.ip }, 'refused a Twilio webhook without a valid X-Twilio-Signature');
      await reply.code(403).send({ error: 'forbidden', message: 'Missing or invalid X-Twilio-Signature. Check that PUBLIC_URL is the exact address Twilio calls.' });
    };
    const twiml = (reply: FastifyReply, xml: string) => reply.type('text/xml').send(xml);
    const unknown = (reply: FastifyReply, what: string) =>
      reply.code(404).send({ error: 'not_found', message: `No live call matches this ${what}; nothing was changed.` });
    const session = (request: FastifyRequest) => ctx.calls.bySession((request.query as Params).sessionId);

    app.post('/twilio/voice', { preHandler: signed }, async (request, reply) => {
      const p = request.body as Params;
      if (!p.CallSid) return reply.code(400).send({ error: 'bad_request', message: 'CallSid is missing.' });
      return twiml(reply, answerWithStream(ctx.urls, { from: p.From || 'anonymous', callSid: p.CallSid, ...(p.CallerName ? { name: p.CallerName } : {}) }));
    });

    app.post('/twilio/wait', { preHandler: signed }, async (request, reply) => {
      if (!session(request)) return unknown(reply, 'session');
      return twiml(reply, holdMusicTwiml(ctx.urls));
    });

    let music: Buffer | undefined;
    app.get('/twilio/hold-music.wav', async (_request, reply) => {
      music ??= Buffer.from(encodeWav(holdMusic(HOLD_MUSIC_MS), 16000));
      return reply.type('audio/wav').header('cache-control', 'public, max-age=86400').send(music);
    });

    app.post('/twilio/say', { preHandler: signed }, async (request, reply) => {
      const line = session(request)?.takeLine((request.query as Params).line ?? '');
      if (!line || 'audio' in line) return unknown(reply, 'announcement');
      return twiml(reply, announcementTwiml(line));
    });

    // The AI's handover sentence in our own voice (<Play> fetches it with a signed GET).
    app.get('/twilio/line.wav', { preHandler: signed }, async (request, reply) => {
      const line = session(request)?.takeLine((request.query as Params).line ?? '');
      if (!line || !('audio' in line)) return unknown(reply, 'line');
      // The move may have started while the line was being composed; a call that ended first gets a moment of silence.
      const text = await line.audio;
      const pcm = text ? await synthesizeWhole(ctx.speech.tts, text, ctx.services.config.TTS_VOICE) : new Int16Array(1600);
      return reply.type('audio/wav').header('cache-control', 'no-store').send(Buffer.from(encodeWav(pcm, 16000)));
    });

    app.post('/twilio/gather', { preHandler: signed }, async (request, reply) => {
      const control = session(request);
      if (!control) return unknown(reply, 'session');
      const digits = (request.body as Params).Digits ?? '';
      // Through the call's own keypad handling, as if pressed on the stream: the hold line hears them.
      let seq = 0;
      for (const digit of `${digits.replace(/[^0-9*#]/g, '')}#`) {
        control.voice.dtmf({ event: 'dtmf', streamSid: control.callSid, sequenceNumber: ++seq, dtmf: { track: 'inbound_track', digit } });
      }
      return twiml(reply, rejoinConference(ctx.urls, control.sessionId!));
    });

    app.post('/twilio/rejoin', { preHandler: signed }, async (request, reply) => {
      const control = session(request);
      if (!control) return unknown(reply, 'session');
      return twiml(reply, rejoinConference(ctx.urls, control.sessionId!));
    });

    app.post('/twilio/status/call', { preHandler: signed }, async (request, reply) => {
      const p = request.body as Params;
      // The number an agent dialled reports as a child of the softphone's leg (ParentCallSid).
      const control = ctx.calls.byCallSid(p.CallSid) ?? ctx.calls.byCallSid(p.ParentCallSid);
      if (!control || !p.CallStatus) return unknown(reply, 'CallSid');
      await record(control, { source: 'call', status: p.CallStatus, callSid: p.CallSid! });
      if (ENDED_CALL_STATUSES.has(p.CallStatus)) {
        // An outbound call ends with either party (Twilio ends the softphone's leg when the <Dial> ends).
        if (control.phase === 'dialled') ctx.end(control.callerGone(p.CallSid === control.callSid ? `agent's softphone leg ${p.CallStatus}` : `dialled number ${p.CallStatus}`));
        else if (p.CallSid === control.callSid) ctx.end(control.callerGone(`caller's call ${p.CallStatus}`));
        else agentLegGone(control, p.CallSid!, `agent's leg ${p.CallStatus}`);
      }
      return reply.code(204).send();
    });

    app.post('/twilio/status/conference', { preHandler: signed }, async (request, reply) => {
      const p = request.body as Params;
      const control = session(request);
      if (!control || !p.StatusCallbackEvent) return unknown(reply, 'conference');
      if (p.ConferenceSid && (p.StatusCallbackEvent === 'conference-start' || p.StatusCallbackEvent === 'participant-join')) {
        control.conferenceStarted(p.ConferenceSid);
      }
      control.conferenceEvent(p.StatusCallbackEvent, p.CallSid);
      await record(control, {
        source: 'conference',
        status: p.StatusCallbackEvent,
        ...(p.CallSid ? { callSid: p.CallSid } : {}),
        ...(p.ConferenceSid ? { detail: p.ConferenceSid } : {}),
      });
      if (p.StatusCallbackEvent === 'participant-leave' && p.CallSid && p.CallSid !== control.callSid) agentLegGone(control, p.CallSid, 'agent left the conference');
      return reply.code(204).send();
    });

    app.post('/twilio/status/recording', { preHandler: signed }, async (request, reply) => {
      const p = request.body as Params;
      // A conference recording names the session in its URL; an outbound <Dial>'s is found by its call.
      const control = session(request) ?? ctx.calls.byCallSid(p.CallSid);
      const sessionId = (request.query as Params).sessionId ?? control?.sessionId;
      // Recordings finish after the call: the session may be over, but it must exist.
      const known = control ?? (sessionId ? await ctx.services.store.getSession(sessionId) : undefined);
      if (!known || !sessionId || !p.RecordingSid || !p.RecordingStatus) return unknown(reply, 'recording');
      await ctx.services.store.appendEvent(sessionId, 'carrier.status', { source: 'recording', status: p.RecordingStatus, detail: p.RecordingSid });
      if (p.RecordingStatus === 'in-progress' && control) await control.recordingStarted(p.RecordingSid);
      if (p.RecordingStatus === 'completed' && p.RecordingUrl) {
        await ctx.services.store.appendEvent(sessionId, 'recording.linked', {
          recordingSid: p.RecordingSid,
          url: p.RecordingUrl,
          durationMs: Math.round(Number(p.RecordingDuration ?? 0) * 1000),
        });
      }
      return reply.code(204).send();
    });

    // The TwiML App's voice URL: an agent's softphone dials a customer.
    app.post('/twilio/agent', { preHandler: signed }, async (request, reply) => {
      const p = request.body as Params;
      const identity = p.From?.startsWith('client:') ? p.From.slice('client:'.length) : undefined;
      const agent = identity ? await ctx.services.users.get(identity) : undefined;
      if (!agent || !agent.active || (agent.role !== 'agent' && agent.role !== 'lead')) {
        request.log.warn({ from: p.From }, 'refused an outbound call from an unknown softphone');
        return twiml(reply, sayAndHangUp('This softphone is not signed in as an agent. Sign in again and retry.'));
      }
      const to = (p.To ?? '').replace(/[\s().-]/g, '');
      if (!E164.test(to)) return twiml(reply, sayAndHangUp('That number cannot be dialled. Enter it with the country code, for example plus one five five five.'));
      if (!p.CallSid) return reply.code(400).send({ error: 'bad_request', message: 'CallSid is missing.' });
      const allowed = await ctx.placeOutbound(agent.id);
      if (!allowed.ok) return twiml(reply, sayAndHangUp(allowed.message));
      const outboundCallId = ctx.outbound.place({ agentId: agent.id, phone: to, callSid: p.CallSid });
      request.log.info({ agentId: agent.id, to }, 'agent dials out through Twilio');
      return twiml(reply, dialNumber(ctx.urls, ctx.services.config.TWILIO_PHONE_NUMBER!, to, outboundCallId));
    });

    /** The agent's leg is gone but the caller is not: never trapped — back to the queue, the agent to wrap-up. */
    function agentLegGone(control: TwilioCallControl, legSid: string, why: string): void {
      if (control.agentLegEnded(legSid) && control.sessionId) ctx.end(ctx.onAgentLegLost(control.sessionId, why));
    }

    async function record(control: TwilioCallControl, data: { source: 'call' | 'conference'; status: string; callSid?: string; detail?: string }) {
      if (control.sessionId) await ctx.services.store.appendEvent(control.sessionId, 'carrier.status', data);
    }
  };
}
