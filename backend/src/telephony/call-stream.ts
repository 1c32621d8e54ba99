// One media stream carrying one call, whoever the carrier is: the local carrier's
// /local/media, Twilio's /twilio/media (<Connect><Stream>) and the fork of an agent's outbound
// Twilio call all run this state machine. It admits the call through the CallRegistry (beyond
// capacity the caller hears the busy line), has the registry hold the socket and the voice
// pipeline, dispatches frames (start, media under the stream guard's pacing, dtmf, marks,
// stop), and sends every ending — hang-up, bad frame, pacing, idleness, an engine failure,
// shutdown — through `registry.end`, which releases everything once. A bad frame closes only
// its own stream, with a reason; every other call carries on.
import type { WebSocket } from 'ws';
import { CLOSE_PROTOCOL, findSupportedMediaFormat, parseCallerFrame, type MediaFormat, type MediaFrame, type OutboundFrame, type StartFrame } from '../../../contracts/media-stream';
import type { Services } from '../runtime/services';
import type { SpeechEngines } from '../runtime/speech-engines';
import type { BusyLine } from './busy-line';
import type { CallRegistry } from './call-registry';
import { base64Bytes, StreamGuard, type StreamLimits } from './stream-guard';
import { CallRefused, VoiceCall, type VoiceCallOptions } from './voice-call';

type Log = VoiceCallOptions['log'];

/** What a carrier adds to the common stream: each hook is optional. */
export interface CallStreamHooks {
  /** Admitted, before the pipeline starts (a carrier builds its call control here). */
  admitted?(call: VoiceCall, frame: StartFrame): void;
  /** The session exists: the desk attaches (VoiceCall onStarted). */
  started?(call: VoiceCall): void;
  /** Set-up finished and the call goes on. */
  running?(call: VoiceCall): void;
  /** The call has ended and its pipeline is released. */
  released?(call: VoiceCall): void;
  /** False while the call lives on elsewhere (Twilio moved it into a conference): the stream ending does not end it, and idleness no longer applies. */
  carriesCall?(): boolean;
  /** Media of another party on this stream (a fork's agent track): true when the hook took it. */
  otherParty?(frame: MediaFrame): boolean;
}

export interface CallStreamOptions {
  services: Services;
  speech: SpeechEngines;
  registry: CallRegistry;
  busyLine: BusyLine;
  limits: StreamLimits;
  log: Log & { warn: Log['warn'] };
  /** Carrier-specific pipeline options (mark names, outbound claims, metrics). */
  voice?: Partial<Pick<VoiceCallOptions, 'markName' | 'claimOutbound' | 'startOutboundConversation' | 'onTurnMetrics' | 'onBargeIn'>>;
  /** Playout marks named `<sessionId>:<label>:<n>` (the local caller learns its session from the echo). */
  marksNameSession?: boolean;
  /** A unidirectional stream (Twilio's <Start><Stream> fork): nothing is sent back on it. */
  receiveOnly?: boolean;
  /** Words for the log lines of this carrier ("Twilio media stream", "media stream"). */
  label: string;
  hooks?: CallStreamHooks;
}

export interface CallStream {
  readonly call: VoiceCall;
  /** Feeds one frame as if it had arrived on the socket (a fork's handler parses its own start). */
  receive(data: Buffer, isBinary: boolean): void;
}

/** Serves a call on `socket`; with `attach: false` the caller feeds frames through `receive` (the socket's close still ends the call). */
export function serveCallStream(socket: WebSocket, o: CallStreamOptions, attach = true): CallStream {
  const { log, registry } = o;
  const { config } = o.services;
  const hooks = o.hooks ?? {};
  const carriesCall = () => hooks.carriesCall?.() ?? true;
  const guard = new StreamGuard(o.limits);
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
  const send = (frame: object) => {
    if (!o.receiveOnly && socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  const call: VoiceCall = new VoiceCall({
    store: o.services.store,
    startConversation: ({ callerId, callerName }) => o.services.startConversation({ channel: 'voice', callerId, callerName: callerName ?? null }),
    stt: o.speech.stt,
    tts: o.speech.tts,
    voice: config.TTS_VOICE,
    ...(o.speech.voiceFor ? { voiceFor: o.speech.voiceFor } : {}),
    engineProblems: () => o.speech.problems(),
    endOfTurnSilenceMs: config.END_OF_TURN_SILENCE_MS,
    endOfTurnMinMs: config.END_OF_TURN_MIN_MS,
    endOfTurnMaxMs: config.END_OF_TURN_MAX_MS,
    noiseSuppression: config.NOISE_SUPPRESSION,
    bargeInMs: config.BARGE_IN_MS,
    fillerAfterMs: config.FILLER_AFTER_MS,
    send: (frame: OutboundFrame) => send(frame),
    // Closing the stream ends the line (on Twilio: a <Connect><Stream> with no next verb ends the call).
    hangUp: (reason, failed) => close(failed ? 1011 : 1000, reason),
    log,
    ...(o.marksNameSession ? { markName: (label: string, n: number): string => `${call.sessionId ?? 'call'}:${label}:${n}` } : {}),
    ...o.voice,
    onStarted: (started) => {
      if (callId && started.sessionId) registry.bind(callId, started.sessionId);
      hooks.started?.(started);
    },
    // However the call ends (hang-up, agent, AI, failure, a carrier callback), the registry releases the rest.
    onEnded: ({ reason }) => {
      if (callId) void registry.end(callId, reason);
    },
  });

  /** The one way a stream ends once it started, unless the call lives on elsewhere. */
  const end = (reason: string, by: 'caller' | 'system') => {
    if (!callId) return;
    if (by === 'caller' && !carriesCall()) return;
    if (!call.ended) endedBy = by;
    void registry.end(callId, reason);
  };
  const reject = (code: number, reason: string, by: 'caller' | 'system' = 'caller') => {
    log.warn({ reason, sessionId: call.sessionId }, `closing a ${o.label} on a bad frame`);
    close(code, reason);
    end(`stream closed: ${reason}`, by);
  };

  // Idleness: one timer per stream, re-armed for the time left rather than per frame.
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    idleTimer = setTimeout(() => {
      if (!carriesCall()) return;
      const verdict = guard.idleVerdict();
      if (verdict.ok) return armIdle();
      reject(verdict.closeCode, verdict.reason, 'system');
    }, Math.max(50, guard.idleInMs()));
  };
  armIdle();

  const admit = (frame: StartFrame) => {
    const admission = registry.admit();
    if (!admission.ok) {
      const why = admission.closed ?? 'all lines busy';
      log.warn({ live: admission.live, capacity: admission.capacity }, `${o.label} refused: ${why}`);
      const refusal = o.busyLine.refuse({
        ...(admission.closed ? { closed: admission.closed } : {}),
        streamSid: frame.streamSid,
        format: findSupportedMediaFormat(frame.start.mediaFormat)!,
        callerId: frame.start.customParameters.from,
        callerName: frame.start.customParameters.name ?? null,
        capacity: admission.capacity,
        send,
      });
      refused = refusal;
      void refusal.done.finally(() => close(1000, `${why}; call again later`));
      return;
    }
    const id = admission.callId;
    callId = id;
    format = findSupportedMediaFormat(frame.start.mediaFormat);
    hooks.admitted?.(call, frame);
    // Taken first, released last: the socket closes after the session has ended.
    registry.hold(id, 'socket', () => close(1000, 'call ended'));
    registry.hold(id, 'voice call', async (reason) => {
      clearTimeout(idleTimer);
      if (endedBy === 'caller') await call.hangUpByCaller(reason);
      else await call.fail(reason);
      hooks.released?.(call);
    });
    void call.start(frame).then(
      () => {
        if (call.sessionId && !call.ended) hooks.running?.(call);
      },
      (err: unknown) => {
        if (err instanceof CallRefused) return reject(CLOSE_PROTOCOL, err.message, 'system');
        log.error({ err: String(err) }, `could not start the call on a ${o.label}`);
        close(1011, 'the call could not be started; try again');
        end(`the call could not be started: ${String(err)}`, 'system');
      },
    );
  };

  const receive = (data: Buffer, isBinary: boolean): void => {
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
        if (hooks.otherParty?.(frame)) return;
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
  };

  if (attach) socket.on('message', receive);
  socket.on('close', () => {
    closed = true;
    clearTimeout(idleTimer);
    // A refused caller who hangs up during the busy line: stop playing it now.
    refused?.markHeard('busy');
    end('caller hung up', 'caller');
  });
  socket.on('error', (err) => log.warn({ err: err.message }, `${o.label} socket error`));
  return { call, receive };
}
