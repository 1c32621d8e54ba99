// Twilio's Media Streams into our pipeline. WS /twilio/media is the call's bidirectional
// stream (<Connect><Stream>): the same frames and the same VoiceCall as the local carrier,
// in µ-law 8 kHz. WS /twilio/fork is the escalated call's unidirectional fork
// (<Start><Stream track="both_tracks">): inbound (the caller) goes on through the call's
// pipeline, outbound (what the caller hears: the agent) to the agent's transcript. Both
// upgrades must carry a valid X-Twilio-Signature over the URL our TwiML gave Twilio.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { CLOSE_PROTOCOL, parseCallerFrame, type OutboundFrame } from '../../../../contracts/media-stream';
import { openAgentTranscript, type AgentTranscript } from '../../agents/agent-transcript';
import { decodeMulaw } from '../../media/mulaw';
import { createResampler } from '../../media/resampler';
import { CallRefused, VoiceCall } from '../voice-call';
import type { TwilioCarrierContext } from './twilio-carrier';
import type { TwilioCallControl } from './twilio-call-control';
import { validUpgrade } from './webhook-signature';

export function twilioStreamRoutes(ctx: TwilioCarrierContext) {
  return async (app: FastifyInstance): Promise<void> => {
    const signed = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (validUpgrade(ctx.signature, request)) return;
      request.log.warn({ url: request.url, ip: request.ip }, 'refused a Media Streams upgrade without a valid X-Twilio-Signature');
      await reply.code(403).send({ error: 'forbidden', message: 'Missing or invalid X-Twilio-Signature; only Twilio may open media streams.' });
    };
    app.get('/twilio/media', { websocket: true, preValidation: signed }, (socket: WebSocket, request) => callStream(ctx, socket, request));
    app.get('/twilio/fork', { websocket: true, preValidation: signed }, (socket: WebSocket, request) => forkStream(ctx, socket, request));
  };
}

function callStream(ctx: TwilioCarrierContext, socket: WebSocket, request: FastifyRequest): void {
  const log = request.log;
  const { services, speech } = ctx;
  const { config } = services;
  let closed = false;
  const close = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    socket.close(code, reason);
  };
  let control: TwilioCallControl | undefined;
  const call: VoiceCall = new VoiceCall({
    store: services.store,
    startConversation: ({ callerId, callerName }) => services.startConversation({ channel: 'voice', callerId, callerName: callerName ?? null }),
    stt: speech.stt,
    tts: speech.tts,
    voice: config.TTS_VOICE,
    engineProblems: () => speech.problems(),
    endOfTurnSilenceMs: config.END_OF_TURN_SILENCE_MS,
    bargeInMs: config.BARGE_IN_MS,
    fillerAfterMs: config.FILLER_AFTER_MS,
    send: (frame: OutboundFrame) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    },
    // Closing a <Connect><Stream> makes Twilio run the next verb; there is none, so the call ends.
    hangUp: (reason, failed) => close(failed ? 1011 : 1000, reason),
    log,
    onStarted: (started) => {
      if (!control) return;
      ctx.calls.add(control);
      ctx.onCallStarted(started, control);
    },
    ...(ctx.onTurnMetrics ? { onTurnMetrics: ctx.onTurnMetrics } : {}),
    ...(ctx.onBargeIn ? { onBargeIn: ctx.onBargeIn } : {}),
  });
  let starting: Promise<void> | undefined;
  ctx.track(call);

  const reject = (code: number, reason: string) => {
    log.warn({ reason, sessionId: call.sessionId }, 'closing a Twilio media stream on a bad frame');
    close(code, reason);
    ctx.end(call.hangUpByCaller(`stream closed: ${reason}`));
  };
  // The stream ends when the caller hangs up, or because we moved the call into a conference.
  const streamEnded = (why: string) =>
    (starting ?? Promise.resolve()).then(async () => {
      if (control && control.phase !== 'stream') return;
      await call.hangUpByCaller(why);
    });

  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (closed) return;
    if (isBinary) return reject(CLOSE_PROTOCOL, 'binary frames are not accepted; send JSON text frames');
    const parsed = parseCallerFrame(data);
    if (!parsed.ok) return reject(parsed.closeCode, parsed.reason);
    const frame = parsed.frame;
    switch (frame.event) {
      case 'connected':
        return;
      case 'start':
        if (starting) return reject(CLOSE_PROTOCOL, 'a second start frame on one stream; open a new stream per call');
        control = ctx.newControl(call, frame.start.callSid);
        starting = call.start(frame).catch((err: unknown) => {
          if (err instanceof CallRefused) return reject(CLOSE_PROTOCOL, err.message);
          log.error({ err: String(err) }, 'could not start the Twilio call');
          close(1011, 'the call could not be started; try again');
        });
        return;
      case 'media':
        if (!starting) return reject(CLOSE_PROTOCOL, 'media frame before start; send start with the mediaFormat first');
        return call.media(frame);
      case 'dtmf':
        if (!starting) return reject(CLOSE_PROTOCOL, 'dtmf frame before start');
        return call.dtmf(frame);
      case 'mark':
        return call.mark(frame);
      case 'stop':
        ctx.end(streamEnded('caller hung up'));
        close(1000, 'stream stopped');
        return;
    }
  });
  socket.on('close', () => {
    closed = true;
    ctx.end(streamEnded('caller hung up'));
  });
  socket.on('error', (err) => log.warn({ err: err.message }, 'Twilio media socket error'));
}

function forkStream(ctx: TwilioCarrierContext, socket: WebSocket, request: FastifyRequest): void {
  const log = request.log;
  let control: TwilioCallControl | undefined;
  let agent: Promise<AgentTranscript> | undefined;
  const upsampler = createResampler(8000, 16000);
  socket.on('message', (data: Buffer) => {
    const parsed = parseCallerFrame(data);
    if (!parsed.ok) {
      socket.close(parsed.closeCode, parsed.reason);
      return;
    }
    const frame = parsed.frame;
    if (frame.event === 'start') {
      const found = ctx.calls.bySession(frame.start.customParameters.sessionId);
      if (!found || found.callSid !== frame.start.callSid) {
        log.warn({ callSid: frame.start.callSid }, 'fork stream for a call we do not hold');
        socket.close(CLOSE_PROTOCOL, 'unknown call; a fork needs the sessionId parameter of a live call');
        return;
      }
      control = found;
      agent = openAgentTranscript({
        stt: ctx.speech.stt,
        store: ctx.services.store,
        sessionId: found.sessionId!,
        endOfTurnSilenceMs: ctx.services.config.END_OF_TURN_SILENCE_MS,
        ...(ctx.onAgentPartial ? { onPartial: (text: string) => ctx.onAgentPartial?.(found.sessionId!, text) } : {}),
      });
      return;
    }
    if (!control) {
      if (frame.event !== 'connected') socket.close(CLOSE_PROTOCOL, 'frame before start');
      return;
    }
    if (frame.event === 'media') {
      if (frame.media.track === 'outbound') {
        if (!control.agentListening) return;
        const pcm = upsampler.process(decodeMulaw(Buffer.from(frame.media.payload, 'base64')));
        void agent?.then((t) => t.write(pcm));
      } else {
        control.voice.media(frame);
      }
    } else if (frame.event === 'stop') {
      socket.close(1000, 'fork stopped');
    }
  });
  socket.on('close', () => void agent?.then((t) => t.close()));
  socket.on('error', (err) => log.warn({ err: err.message }, 'Twilio fork socket error'));
}
