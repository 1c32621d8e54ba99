// The local carrier: WebSocket /local/media speaking the Twilio Media Streams framing, so
// the caller page, the CLI caller and (later) Twilio itself all feed one media pipeline.
// A bad frame closes only its own stream, with a reason; every other call carries on.
//
// Every stream that sends `start` asks the CallRegistry for a slot: beyond capacity the caller
// hears the busy line and the stream closes; admitted, the call's socket and voice pipeline are
// held by the registry, and whatever ends the call (a hang-up, a bad frame, pacing, idleness,
// an engine failure, shutdown) goes through `registry.end`, which releases both exactly once.
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import {
  CLOSE_PROTOCOL,
  findSupportedMediaFormat,
  parseCallerFrame,
  type MediaFormat,
  type OutboundFrame,
  type StartFrame,
} from '../../../../contracts/media-stream';
import type { Services } from '../../runtime/services';
import type { SpeechEngines } from '../../runtime/speech-engines';
import type { BusyLine } from '../busy-line';
import type { CallRegistry } from '../call-registry';
import { base64Bytes, StreamGuard, type StreamLimits } from '../stream-guard';
import { CallRefused, VoiceCall, type TurnMetrics } from '../voice-call';
import type { CaptionAccess } from './captions';

export interface LocalCarrierOptions {
  services: Services;
  speech: SpeechEngines;
  /** The one owner of live calls (admission, release). */
  registry: CallRegistry;
  busyLine: BusyLine;
  limits: StreamLimits;
  captions: CaptionAccess;
  onTurnMetrics?: (m: TurnMetrics) => void;
  /** A call is up (session created, greeting under way): the agent desk attaches here. */
  onCallStarted?: (call: VoiceCall) => void;
  /** Outbound calls answered on a caller page (see local-lines.ts). */
  claimOutbound?: (callId: string, phone: string) => { agentId: string } | undefined;
  onBargeIn?: (info: { speechStartWallMs: number; clearSentWallMs: number }) => void;
}

export function localCarrierRoutes(opts: LocalCarrierOptions) {
  const { registry } = opts;
  return async (app: FastifyInstance): Promise<void> => {
    // Shutdown ends every call through the registry and waits for each to release, so no
    // session write races the store closing.
    app.addHook('preClose', async () => {
      await registry.endAll('server shutting down');
    });

    app.get('/local/media', { websocket: true }, (socket: WebSocket, request) => {
      const log = request.log;
      const { config } = opts.services;
      const guard = new StreamGuard(opts.limits);
      let closed = false;
      let callId: string | undefined;
      let refused: { markHeard(name: string): void } | undefined;
      let format: MediaFormat | undefined;
      /** Who ended the call, for the session log: the caller's side or the system's. */
      let endedBy: 'caller' | 'system' = 'caller';
      const close = (code: number, reason: string) => {
        if (closed) return;
        closed = true;
        socket.close(code, reason);
      };
      const call: VoiceCall = new VoiceCall({
        store: opts.services.store,
        startConversation: ({ callerId, callerName }) =>
          opts.services.startConversation({ channel: 'voice', callerId, callerName: callerName ?? null }),
        stt: opts.speech.stt,
        tts: opts.speech.tts,
        voice: config.TTS_VOICE,
        ...(opts.speech.voiceFor ? { voiceFor: opts.speech.voiceFor } : {}),
        engineProblems: () => opts.speech.problems(),
        endOfTurnSilenceMs: config.END_OF_TURN_SILENCE_MS,
        endOfTurnMinMs: config.END_OF_TURN_MIN_MS,
        endOfTurnMaxMs: config.END_OF_TURN_MAX_MS,
        noiseSuppression: config.NOISE_SUPPRESSION,
        bargeInMs: config.BARGE_IN_MS,
        fillerAfterMs: config.FILLER_AFTER_MS,
        send: (frame: OutboundFrame) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
        },
        hangUp: (reason, failed) => close(failed ? 1011 : 1000, reason),
        // Mark names carry the session id: the caller learns it from the echo (captions, CLI).
        markName: (label, n): string => `${call.sessionId ?? 'call'}:${label}:${n}`,
        log,
        ...(opts.onTurnMetrics ? { onTurnMetrics: opts.onTurnMetrics } : {}),
        onStarted: (started) => {
          if (callId && started.sessionId) registry.bind(callId, started.sessionId);
          opts.onCallStarted?.(started);
        },
        ...(opts.claimOutbound ? { claimOutbound: opts.claimOutbound } : {}),
        startOutboundConversation: (o) => opts.services.startOutboundConversation(o),
        ...(opts.onBargeIn ? { onBargeIn: opts.onBargeIn } : {}),
        // The call ended itself (AI finished, agent hung up, engine failed): the registry releases the rest.
        onEnded: ({ reason }) => {
          if (callId) void registry.end(callId, reason);
        },
      });

      /** The one way a stream ends once it started: the registry releases the call and the socket. */
      const end = (reason: string, by: 'caller' | 'system') => {
        if (!callId) return;
        if (!call.ended) endedBy = by;
        void registry.end(callId, reason);
      };

      const reject = (code: number, reason: string, by: 'caller' | 'system' = 'caller') => {
        log.warn({ reason, sessionId: call.sessionId }, 'closing the media stream');
        close(code, reason);
        end(`stream closed: ${reason}`, by);
      };

      // Idleness: one timer per stream, re-armed for the time left rather than per frame.
      let idleTimer: NodeJS.Timeout | undefined;
      const armIdle = (): void => {
        idleTimer = setTimeout(() => {
          const verdict = guard.idleVerdict();
          if (verdict.ok) return armIdle();
          reject(verdict.closeCode, verdict.reason, 'system');
        }, Math.max(50, guard.idleInMs()));
      };
      armIdle();

      const admit = (frame: StartFrame) => {
        const admission = registry.admit();
        if (!admission.ok) {
          const busyFormat = findSupportedMediaFormat(frame.start.mediaFormat)!;
          const from = frame.start.customParameters.from;
          log.warn({ live: admission.live, capacity: admission.capacity }, 'call refused: all lines busy');
          const refusal = opts.busyLine.refuse({
            streamSid: frame.streamSid,
            format: busyFormat,
            callerId: from,
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
        // Taken first, released last: the socket closes after the session has ended.
        registry.hold(id, 'socket', () => close(1000, 'call ended'));
        registry.hold(id, 'voice call', async (reason) => {
          clearTimeout(idleTimer);
          if (endedBy === 'caller') await call.hangUpByCaller(reason);
          else await call.fail(reason);
          if (call.sessionId) opts.captions.close(call.sessionId);
        });
        void call.start(frame).then(
          () => {
            if (call.sessionId && !call.ended) opts.captions.open(call.sessionId);
          },
          (err: unknown) => {
            if (err instanceof CallRefused) return reject(CLOSE_PROTOCOL, err.message, 'system');
            log.error({ err: String(err) }, 'could not start the call');
            close(1011, 'the call could not be started; try again');
            end(`the call could not be started: ${String(err)}`, 'system');
          },
        );
      };

      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (closed) return;
        guard.frame();
        if (isBinary) return reject(CLOSE_PROTOCOL, 'binary frames are not accepted; send JSON text frames');
        const parsed = parseCallerFrame(data);
        if (!parsed.ok) {
          return reject(parsed.closeCode, parsed.reason);
        }
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
            call.mark(frame);
            return;
          case 'stop':
            close(1000, 'stream stopped');
            end('caller hung up', 'caller');
            return;
        }
      });

      socket.on('close', () => {
        closed = true;
        clearTimeout(idleTimer);
        // A refused caller who hangs up during the busy line: stop playing it now.
        refused?.markHeard('busy');
        end('caller hung up', 'caller');
      });
      socket.on('error', (err) => log.warn({ err: err.message }, 'media socket error'));
    });
  };
}
