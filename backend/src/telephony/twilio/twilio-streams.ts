// Twilio's Media Streams into our pipeline. WS /twilio/media is the call's bidirectional
// stream (<Connect><Stream>): the same state machine and VoiceCall as the local carrier
// (telephony/call-stream.ts), in µ-law 8 kHz. WS /twilio/fork carries unidirectional forks
// (<Start><Stream track="both_tracks">) of two kinds:
//   - an escalated call's (parameter `sessionId`): inbound (the caller) goes on through the
//     call's pipeline, outbound (what the caller hears: the agent) to the agent's transcript;
//   - an agent's outbound call's (parameter `outboundCallId`), forked from the softphone's
//     leg: a new call of its own (admitted, a session with direction outbound), where
//     outbound (what the softphone hears: the customer) is the caller and inbound the agent.
// Both upgrades must carry a valid X-Twilio-Signature over the URL our TwiML gave Twilio.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { CLOSE_PROTOCOL, parseCallerFrame, type MediaFrame } from '../../../../contracts/media-stream';
import { openAgentTranscript, type AgentTranscript } from '../../agents/agent-transcript';
import { decodeMulaw } from '../../media/mulaw';
import { createResampler } from '../../media/resampler';
import { serveCallStream, type CallStreamHooks, type CallStreamOptions } from '../call-stream';
import type { VoiceCall } from '../voice-call';
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

function streamOptions(ctx: TwilioCarrierContext, request: FastifyRequest, label: string, hooks: CallStreamHooks): CallStreamOptions {
  return {
    services: ctx.services,
    speech: ctx.speech,
    registry: ctx.registry,
    busyLine: ctx.busyLine,
    limits: ctx.limits,
    log: request.log,
    label,
    voice: {
      ...(ctx.onTurnMetrics ? { onTurnMetrics: ctx.onTurnMetrics } : {}),
      ...(ctx.onBargeIn ? { onBargeIn: ctx.onBargeIn } : {}),
    },
    hooks,
  };
}

/** Registers the call once its session exists, and hands it to the desk. */
function startedHook(ctx: TwilioCarrierContext, control: () => TwilioCallControl | undefined) {
  return (started: VoiceCall) => {
    const c = control();
    if (!c) return;
    ctx.calls.add(c);
    ctx.onCallStarted(started, c);
  };
}

function callStream(ctx: TwilioCarrierContext, socket: WebSocket, request: FastifyRequest): void {
  let control: TwilioCallControl | undefined;
  serveCallStream(
    socket,
    streamOptions(ctx, request, 'Twilio media stream', {
      admitted: (call, frame) => {
        control = ctx.newControl(call, frame.start.callSid);
      },
      started: startedHook(ctx, () => control),
      // Once moved into the conference the stream's end is not the call's end (status callbacks are).
      carriesCall: () => !control || control.phase === 'stream',
    }),
  );
}

function forkStream(ctx: TwilioCarrierContext, socket: WebSocket, request: FastifyRequest): void {
  const log = request.log;
  let control: TwilioCallControl | undefined;
  let agent: Promise<AgentTranscript> | undefined;
  let outbound: ((data: Buffer, isBinary: boolean) => void) | undefined;
  const upsampler = createResampler(8000, 16000);
  const transcribeAgent = (sessionId: string) =>
    openAgentTranscript({
      stt: ctx.speech.stt,
      store: ctx.services.store,
      sessionId,
      endOfTurnSilenceMs: ctx.services.config.END_OF_TURN_SILENCE_MS,
      ...(ctx.onAgentPartial ? { onPartial: (text: string) => ctx.onAgentPartial?.(sessionId, text) } : {}),
    });
  const toAgent = (frame: MediaFrame) => {
    const pcm = upsampler.process(decodeMulaw(Buffer.from(frame.media.payload, 'base64')));
    void agent?.then((t) => t.write(pcm));
  };

  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (outbound) return outbound(data, isBinary);
    const parsed = parseCallerFrame(data);
    if (!parsed.ok) {
      socket.close(parsed.closeCode, parsed.reason);
      return;
    }
    const frame = parsed.frame;
    if (frame.event === 'start' && frame.start.customParameters.outboundCallId) {
      // An agent's outbound call: a call of its own on this fork, the customer on the outbound track.
      const stream = serveCallStream(socket, {
        ...streamOptions(ctx, request, 'Twilio outbound fork', {
          admitted: (call, start) => {
            control = ctx.newControl(call, start.start.callSid, 'dialled');
          },
          started: (started) => {
            startedHook(ctx, () => control)(started);
            agent = transcribeAgent(started.sessionId!);
          },
          otherParty: (media) => {
            if (media.media.track === 'outbound') return false;
            toAgent(media);
            return true;
          },
        }),
        receiveOnly: true,
        voice: {
          claimOutbound: (callId, phone) => ctx.outbound.claim(callId, phone, frame.start.callSid),
          startOutboundConversation: (o) => ctx.services.startOutboundConversation(o),
        },
      }, false);
      outbound = stream.receive;
      return outbound(data, isBinary);
    }
    if (frame.event === 'start') {
      const found = ctx.calls.bySession(frame.start.customParameters.sessionId);
      if (!found || found.callSid !== frame.start.callSid) {
        log.warn({ callSid: frame.start.callSid }, 'fork stream for a call we do not hold');
        socket.close(CLOSE_PROTOCOL, 'unknown call; a fork needs the sessionId parameter of a live call');
        return;
      }
      control = found;
      agent = transcribeAgent(found.sessionId!);
      return;
    }
    if (!control) {
      if (frame.event !== 'connected') socket.close(CLOSE_PROTOCOL, 'frame before start');
      return;
    }
    if (frame.event === 'media') {
      if (frame.media.track !== 'outbound') control.voice.media(frame);
      else if (control.agentListening) toAgent(frame);
    } else if (frame.event === 'stop') {
      socket.close(1000, 'fork stopped');
    }
  });
  socket.on('close', () => void agent?.then((t) => t.close()));
  socket.on('error', (err) => log.warn({ err: err.message }, 'Twilio fork socket error'));
}
