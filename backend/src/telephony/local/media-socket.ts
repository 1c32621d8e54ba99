// The local carrier: WebSocket /local/media speaking the Twilio Media Streams framing, so
// the caller page, the CLI caller and (later) Twilio itself all feed one media pipeline.
// A bad frame closes only its own stream, with a reason; every other call carries on.
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { CLOSE_PROTOCOL, parseCallerFrame, type OutboundFrame } from '../../../../contracts/media-stream';
import type { Services } from '../../runtime/services';
import type { SpeechEngines } from '../../runtime/speech-engines';
import { CallRefused, VoiceCall, type TurnMetrics } from '../voice-call';
import type { CaptionAccess } from './captions';


export interface LocalCarrierOptions {
  services: Services;
  speech: SpeechEngines;
  /** Live calls by session id: the seam routing and outbound calling plug into. */
  liveCalls?: Map<string, VoiceCall>;
  captions: CaptionAccess;
  onTurnMetrics?: (m: TurnMetrics) => void;
  /** A call is up (session created, greeting under way): the agent desk attaches here. */
  onCallStarted?: (call: VoiceCall) => void;
  /** Outbound calls answered on a caller page (see local-lines.ts). */
  claimOutbound?: (callId: string, phone: string) => { agentId: string } | undefined;
  onBargeIn?: (info: { speechStartWallMs: number; clearSentWallMs: number }) => void;
}

export function localCarrierRoutes(opts: LocalCarrierOptions) {
  const liveCalls = opts.liveCalls ?? new Map<string, VoiceCall>();
  return async (app: FastifyInstance): Promise<void> => {
    // Every call on this server, and the work of ending each: shutdown waits for both, so no
    // session write races the store closing.
    const calls = new Set<VoiceCall>();
    const endings = new Set<Promise<void>>();
    const track = (work: Promise<void>) => {
      const settled = work.catch((err: unknown) => app.log.error({ err: String(err) }, 'ending a call failed'));
      endings.add(settled);
      void settled.finally(() => endings.delete(settled));
    };
    app.addHook('preClose', async () => {
      for (const call of calls) track(call.hangUpByCaller('server shutting down'));
      await Promise.allSettled([...endings]);
    });

    app.get('/local/media', { websocket: true }, (socket: WebSocket, request) => {
      const log = request.log;
      const { config } = opts.services;
      let closed = false;
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
        engineProblems: () => opts.speech.problems(),
        endOfTurnSilenceMs: config.END_OF_TURN_SILENCE_MS,
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
        ...(opts.onCallStarted ? { onStarted: opts.onCallStarted } : {}),
        ...(opts.claimOutbound ? { claimOutbound: opts.claimOutbound } : {}),
        startOutboundConversation: (o) => opts.services.startOutboundConversation(o),
        ...(opts.onBargeIn ? { onBargeIn: opts.onBargeIn } : {}),
      });
      let starting: Promise<void> | undefined;
      calls.add(call);

      const reject = (code: number, reason: string) => {
        log.warn({ reason, sessionId: call.sessionId }, 'closing media stream on a bad frame');
        close(code, reason);
        track(call.hangUpByCaller(`stream closed: ${reason}`));
      };

      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (closed) return;
        if (isBinary) return reject(CLOSE_PROTOCOL, 'binary frames are not accepted; send JSON text frames');
        const parsed = parseCallerFrame(data);
        if (!parsed.ok) {
          return reject(parsed.closeCode, parsed.reason);
        }
        const frame = parsed.frame;
        switch (frame.event) {
          case 'connected':
            return;
          case 'start':
            if (starting) return reject(CLOSE_PROTOCOL, 'a second start frame on one stream; open a new stream per call');
            starting = call.start(frame).then(
              () => {
                if (call.sessionId) {
                  liveCalls.set(call.sessionId, call);
                  opts.captions.open(call.sessionId);
                }
              },
              (err: unknown) => {
                if (err instanceof CallRefused) return reject(CLOSE_PROTOCOL, err.message);
                log.error({ err: String(err) }, 'could not start the call');
                close(1011, 'the call could not be started; try again');
              },
            );
            return;
          case 'media':
            if (!starting) return reject(CLOSE_PROTOCOL, 'media frame before start; send start with the mediaFormat first');
            return call.media(frame);
          case 'dtmf':
            if (!starting) return reject(CLOSE_PROTOCOL, 'dtmf frame before start');
            return call.dtmf(frame);
          case 'mark':
            call.mark(frame);
            return;
          case 'stop':
            track((starting ?? Promise.resolve()).then(() => call.hangUpByCaller('caller hung up')));
            close(1000, 'stream stopped');
            return;
        }
      });

      socket.on('close', () => {
        closed = true;
        track(
          (starting ?? Promise.resolve()).then(async () => {
            await call.hangUpByCaller('caller hung up');
            calls.delete(call);
            if (call.sessionId) {
              liveCalls.delete(call.sessionId);
              opts.captions.close(call.sessionId);
            }
          }),
        );
      });
      socket.on('error', (err) => log.warn({ err: err.message }, 'media socket error'));
    });
  };
}
