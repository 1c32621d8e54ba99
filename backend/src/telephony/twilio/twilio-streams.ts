// Twilio's Media Streams into our pipeline. WS /twilio/media is the call's bidirectional
// stream (<Connect><Stream>): the same frames and the same VoiceCall as the local carrier,
// in µ-law 8 kHz. WS /twilio/fork is the escalated call's unidirectional fork
// (<Start><Stream track="both_tracks">): inbound (the caller) goes on through the call's
// pipeline, outbound (what the caller hears: the agent) to the agent's transcript. Both
// upgrades must carry a valid X-Twilio-Signature over the URL our TwiML gave Twilio.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { CLOSE_PROTOCOL, findSupportedMediaFormat, parseCallerFrame, type MediaFormat, type OutboundFrame, type StartFrame } from '../../../../contracts/media-stream';
import { openAgentTranscript, type AgentTranscript } from '../../agents/agent-transcript';
import { decodeMulaw } from '../../media/mulaw';
import { createResampler } from '../../media/resampler';
import { base64Bytes, StreamGuard } from '../stream-guard';
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
  const { services, speech, registry } = ctx;
  const { config } = services;
  const guard = new StreamGuard(ctx.limits);
  let closed = false;
  let callId: string | undefined;
  let refused: { markHeard(name: string): void } | undefined;
  let format: MediaFormat | undefined;
  let endedBy: 'caller' | 'system' = 'caller';
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
    ...(speech.voiceFor ? { voiceFor: speech.voiceFor } : {}),
    engineProblems: () => speech.problems(),
    endOfTurnSilenceMs: config.END_OF_TURN_SILENCE_MS,
    endOfTurnMinMs: config.END_OF_TURN_MIN_MS,
    endOfTurnMaxMs: config.END_OF_TURN_MAX_MS,
    noiseSuppression: config.NOISE_SUPPRESSION,
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
      if (callId && started.sessionId) registry.bind(callId, started.sessionId);
      ctx.calls.add(control);
      ctx.onCallStarted(started, control);
    },
    ...(ctx.onTurnMetrics ? { onTurnMetrics: ctx.onTurnMetrics } : {}),
    ...(ctx.onBargeIn ? { onBargeIn: ctx.onBargeIn } : {}),
    // However the call ends (status callback, agent, AI, failure), the registry releases the rest.
    onEnded: ({ reason }) => {
      if (callId) void registry.end(callId, reason);
    },
  });

  /** Ends the call through the registry, unless the stream only ended because the call moved to the conference. */
  const end = (reason: string, by: 'caller' | 'system') => {
    if (!callId) return;
    if (control && control.phase !== 'stream' && by === 'caller') return;
    if (!call.ended) endedBy = by;
    void registry.end(callId, reason);
  };
  const reject = (code: number, reason: string, by: 'caller' | 'system' = 'caller') => {
    log.warn({ reason, sessionId: call.sessionId }, 'closing a Twilio media stream on a bad frame');
    close(code, reason);
    end(`stream closed: ${reason}`, by);
  };

  // Idleness on the stream while the AI has the call; once moved, the fork carries the audio.
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    idleTimer = setTimeout(() => {
      if (control && control.phase !== 'stream') return;
      const verdict = guard.idleVerdict();
      if (verdict.ok) return armIdle();
      reject(verdict.closeCode, verdict.reason, 'system');
    }, Math.max(50, guard.idleInMs()));
  };
  armIdle();

  const admit = (frame: StartFrame) => {
    const admission = registry.admit();
    if (!admission.ok) {
      log.warn({ live: admission.live, capacity: admission.capacity }, 'Twilio call refused: all lines busy');
      const refusal = ctx.busyLine.refuse({
        streamSid: frame.streamSid,
        format: findSupportedMediaFormat(frame.start.mediaFormat)!,
        callerId: frame.start.customParameters.from,
        callerName: frame.start.customParameters.name ?? null,
        capacity: admission.capacity,
        send: (f) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(f));
        },
      });
      refused = refusal;
      void refusal.done.finally(() => close(1000, 'all lines busy; call again later'));
      return;
    }
    const id = admission.callId;
    callId = id;
    format = findSupportedMediaFormat(frame.start.mediaFormat);
    control = ctx.newControl(call, frame.start.callSid);
    registry.hold(id, 'socket', () => close(1000, 'call ended'));
    registry.hold(id, 'voice call', async (reason) => {
      clearTimeout(idleTimer);
      if (endedBy === 'caller') await call.hangUpByCaller(reason);
      else await call.fail(reason);
    });
    void call.start(frame).catch((err: unknown) => {
      if (err instanceof CallRefused) return reject(CLOSE_PROTOCOL, err.message, 'system');
      log.error({ err: String(err) }, 'could not start the Twilio call');
      close(1011, 'the call could not be started; try again');
      end(`the call could not be started: ${String(err)}`, 'system');
    });
  };

  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (closed) return;
    guard.frame();
    if (isBinary) return reject(CLOSE_PROTOCOL, 'binary frames are not accepted; send JSON text frames');
    const parsed = parseCallerFrame(data);
    if (!parsed.ok) return reject(parsed.closeCode, parsed.reason);
    const frame = parsed.frame;
    if (refused) {
      if (frame.event === 'mark') refused.markHeard(frame.mark.name);
      return;
    }
    switch (frame.event) {
      case 'connected':
        return;
      case 'start':
        if (callId) return reject(CLOSE_PROTOCOL, 'a second start frame on one stream; open a new stream per call');
        return admit(frame);
      case 'media': {
        if (!callId) return reject(CLOSE_PROTOCOL, 'media frame before start; send start with the mediaFormat first');
        if (format) {
          const verdict = guard.audio(base64Bytes(frame.media.payload), format);
          if (!verdict.ok) return reject(verdict.closeCode, verdict.reason, 'system');
        }
        return call.media(frame);
      }
      case 'dtmf':
        if (!callId) return reject(CLOSE_PROTOCOL, 'dtmf frame before start');
        return call.dtmf(frame);
      case 'mark':
        return call.mark(frame);
      case 'stop':
        close(1000, 'stream stopped');
        end('caller hung up', 'caller');
        return;
    }
  });
  socket.on('close', () => {
    closed = true;
    clearTimeout(idleTimer);
    refused?.markHeard('busy');
    end('caller hung up', 'caller');
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
