// The local carrier: WebSocket /local/media speaking the Twilio Media Streams framing, so
// the caller page and the CLI caller feed the same media pipeline as Twilio's calls. The
// stream's state machine (admission, busy line, registry holds, frame dispatch) is the one
// every carrier shares (telephony/call-stream.ts); this adds the caption feed and outbound claims.
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Services } from '../../runtime/services';
import type { SpeechEngines } from '../../runtime/speech-engines';
import type { BusyLine } from '../busy-line';
import type { CallRegistry } from '../call-registry';
import { serveCallStream } from '../call-stream';
import type { StreamLimits } from '../stream-guard';
import type { TurnMetrics, VoiceCall } from '../voice-call';
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
      serveCallStream(socket, {
        services: opts.services,
        speech: opts.speech,
        registry,
        busyLine: opts.busyLine,
        limits: opts.limits,
        log: request.log,
        label: 'media stream',
        // Mark names carry the session id: the caller learns it from the echo (captions, CLI).
        marksNameSession: true,
        voice: {
          ...(opts.claimOutbound ? { claimOutbound: opts.claimOutbound } : {}),
          startOutboundConversation: (o) => opts.services.startOutboundConversation(o),
          ...(opts.onTurnMetrics ? { onTurnMetrics: opts.onTurnMetrics } : {}),
          ...(opts.onBargeIn ? { onBargeIn: opts.onBargeIn } : {}),
        },
        hooks: {
          started: (started) => opts.onCallStarted?.(started),
          running: (started) => opts.captions.open(started.sessionId!),
          released: (ended) => {
            if (ended.sessionId) opts.captions.close(ended.sessionId);
          },
        },
      });
    });
  };
}
