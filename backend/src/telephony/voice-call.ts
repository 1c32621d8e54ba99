// One live voice call: carrier frames in (Twilio Media Streams framing), the caller's
// audio through VAD and turn-taking into speech recognition, each final turn into the
// Conversation, and the AI's reply synthesized sentence by sentence and paced out to the
// far end's playout buffer. What the caller actually heard is taken from echoed marks;
// barge-in clears the far buffer and cancels the reply. All state here is per call.
import type {
  DtmfFrame,
  MarkFrame,
  MediaFormat,
  MediaFrame,
  OutboundFrame,
  StartFrame,
} from '../../../contracts/media-stream';
import { findSupportedMediaFormat } from '../../../contracts/media-stream';
import type { CallerInput } from '../brain/brain';
import type { AiTurn, Conversation } from '../conversation/conversation';
import { decodeL16, encodeL16 } from '../media/l16';
import { decodeMulaw, encodeMulaw } from '../media/mulaw';
import { createOutboundPacer, type OutboundPacer } from '../media/outbound-pacer';
import { createResampler, type Resampler } from '../media/resampler';
import { createTurnDetector, type EndOfTurn, type TurnDetector } from '../media/turn-detector';
import { createVoiceActivityDetector, type VoiceActivityDetector } from '../media/vad';
import { keypadPauseMs, redact, redactPartial } from '../policy/redaction';
import type { ExpectedAnswer, SpeechToText, SttFinal, SttStream, SttStreamError, TextToSpeech } from '../speech/types';
import { createNoiseSuppressor, type NoiseSuppressor } from '../speech/noise-suppressor';
import { endOfTurnSilenceFor, type EndOfTurnBounds } from './end-of-turn-policy';
import type { SessionStore } from '../store/session-store';

export const FILLER_LINE = 'One moment.';
const DTMF_INTERDIGIT_MS = 1200;
/** How long an ending waits for the turn in progress before closing the session regardless. */
const TURN_DRAIN_MS = 3000;

/** Timings of one caller turn, from the caller's last voiced frame to the first reply frame sent. */
export interface TurnMetrics {
  turn: number;
  /** Silence waited before the turn was declared over (the configured end-of-turn gap, as measured). */
  endOfTurnWaitMs: number;
  sttFinalMs: number;
  brainMs: number;
  ttsFirstChunkMs: number;
  sendMs: number;
  totalMs: number;
}

export interface VoiceCallOptions {
  store: SessionStore;
  startConversation: (opts: { callerId: string; callerName?: string | null }) => Promise<Conversation>;
  stt: SpeechToText;
  tts: TextToSpeech;
  voice?: string;
  /** The voice for the caller's language (Azure: one per language); absent: `voice` for every language. */
  voiceFor?: (language: string) => string;
  /** Problems with speech engines found at start-up: the call is answered with an error, not silence. */
  engineProblems: () => string[];
  endOfTurnSilenceMs: number;
  /** Adaptive end of turn (from word partials): silence after a complete answer / a trailing one. */
  endOfTurnMinMs?: number;
  endOfTurnMaxMs?: number;
  /** RNNoise on the caller's audio before VAD and recognition (the recording keeps the original). */
  noiseSuppression?: boolean;
  bargeInMs: number;
  fillerAfterMs: number;
  send: (frame: OutboundFrame) => void;
  /** The carrier ends the line (closes the stream, hangs up the phone call); `failed` when it ends on an error. */
  hangUp: (reason: string, failed?: boolean) => void;
  /** Names a playout mark (carriers may need more in it, e.g. the local caption feed wants the session id). */
  markName?: (label: string, n: number) => string;
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
  onTurnMetrics?: (m: TurnMetrics) => void;
  /** The session exists and no caller audio has been processed yet: attach listeners here. */
  onStarted?: (call: VoiceCall) => void;
  /** Outbound calls: the media stream presents the id of a call an agent dialled. */
  claimOutbound?: (callId: string, phone: string) => { agentId: string } | undefined;
  startOutboundConversation?: (opts: { callerId: string; agentId: string }) => Promise<Conversation>;
  onBargeIn?: (info: { speechStartWallMs: number; clearSentWallMs: number }) => void;
  /** The call is over (by whom, why): the call registry hears it first, whoever ended it. */
  onEnded?: (info: { by: 'caller' | 'ai' | 'agent' | 'system'; reason: string }) => void;
}

/** Who is talking to the caller: the AI, the hold line (queued for a person), or an agent. */
export type CallMode = 'ai' | 'queue' | 'agent';

/** What the agent desk hears from a live call once the AI has handed it over. */
export interface CallListener {
  /** `line` is the AI's handover sentence, which starts playing right after this. */
  escalated?(call: VoiceCall, line: string): void;
  /**
   * The escalation is stored and the handover line not yet composed (`line` resolves with it,
   * or '' if the call ends first): the carrier may start moving the caller now.
   */
  escalating?(call: VoiceCall, line: Promise<string>): void;
  callerAudio?(pcm16k: Int16Array): void;
  callerFinal?(text: string): void;
  callerPartial?(text: string): void;
  callerDigits?(digits: string): void;
  ended?(call: VoiceCall, by: 'caller' | 'ai' | 'agent' | 'system'): void | Promise<void>;
}

interface SpokenSegment {
  turn: number;
  sentence: string;
  filler: boolean;
}

interface ReplyInFlight {
  turn: number;
  plannedText: string;
  abort: AbortController;
  marks: string[];
  /** Resolves once the conversation has logged the turn (a streamed turn may still be deciding). */
  settled: Promise<void>;
}

interface SpeechTiming {
  firstChunkAt: number;
  firstFrameAt: number;
}

/** A start frame the carrier must refuse (it ends the stream with this reason). */
export class CallRefused extends Error {}

export class VoiceCall {
  readonly #o: VoiceCallOptions;
  #streamSid = '';
  #format: MediaFormat | undefined;
  /** The recognizer is fed the carrier's µ-law bytes as they came (see `acceptsMulaw`). */
  #sttMulaw = false;
  #conversation: Conversation | undefined;
  #vad: VoiceActivityDetector | undefined;
  #turns: TurnDetector | undefined;
  #stt: SttStream | undefined;
  #pacer: OutboundPacer | undefined;
  #upsampler: Resampler | undefined;
  #segments = new Map<string, SpokenSegment>();
  #heard = new Map<number, string[]>();
  #reply: ReplyInFlight | undefined;
  #work: Promise<void> = Promise.resolve();
  /** Turns waiting for their final, oldest first: each endUtterance gets exactly one final, in
   *  order, and a second turn may end before the first one's final arrives. */
  readonly #pendingFinals: Array<(f: SttFinal) => void> = [];
  #dtmfDigits = '';
  #dtmfTimer: NodeJS.Timeout | undefined;
  #speechStartWall = 0;
  #ended = false;
  #endAfterPlayout = false;
  #markCounter = 0;
  #markName(label: string): string {
    const n = ++this.#markCounter;
    return this.#o.markName ? this.#o.markName(label, n) : `${label}:${n}`;
  }
  #mode: CallMode = 'ai';
  #listener: CallListener = {};
  #downsampler: Resampler | undefined;
  #farSideTap: ((pcm16k: Int16Array) => void) | undefined;
  #held = false;
  /** What the AI last asked for: the recognizer's grammar and the end-of-turn policy use it. */
  #expected: ExpectedAnswer = 'open';
  #denoiser: NoiseSuppressor | undefined;

  constructor(options: VoiceCallOptions) {
    this.#o = options;
  }

  get sessionId(): string | undefined {
    return this.#conversation?.sessionId;
  }
  get conversation(): Conversation | undefined {
    return this.#conversation;
  }
  get mode(): CallMode {
    return this.#mode;
  }
  get ended(): boolean {
    return this.#ended;
  }
  get callerId(): string {
    return this.#callerId;
  }
  /** Set for an outbound call: the agent who dialled it. */
  get outboundAgentId(): string | undefined {
    return this.#outboundAgentId;
  }
  #outboundAgentId: string | undefined;
  get callerName(): string | null {
    return this.#callerName;
  }
  #callerId = 'anonymous';
  #callerName: string | null = null;

  listen(listener: CallListener): void {
    this.#listener = listener;
  }

  /** Everything sent toward the caller, as 16 kHz audio (the recorder's far side). */
  tapFarSide(tap: (pcm16k: Int16Array) => void): void {
    this.#farSideTap = tap;
  }

  /** The AI leaves: from now on the caller's words go to the desk, not the conversation. */
  setMode(mode: CallMode): void {
    if (mode !== 'ai') {
      this.#background(this.#cancelReply(mode === 'agent' ? 'agent joined' : 'queued'));
      this.#turns?.setAiSpeaking(false);
    }
    this.#mode = mode;
  }

  /** The handover line promised to `escalating` listeners, settled when the turn's text is known. */
  #handoverLine: ((line: string) => void) | undefined;

  #escalationStored(): void {
    if (this.#mode !== 'ai' || this.#handoverLine) return;
    const line = new Promise<string>((resolve) => (this.#handoverLine = resolve));
    this.#listener.escalating?.(this, line);
  }

  /** The turn that escalated is composed: listeners waiting for its words get them. */
  #handedOver(line: string): void {
    this.#handoverLine?.(line);
  }

  /** Speaks a line on the hold line or from the system (not an AI turn: not stored as ai.said). */
  async announce(text: string): Promise<void> {
    await this.#speak(-2, text, true);
  }

  /** Queues generated audio (hold music) for paced playout. */
  playAudio(pcm16k: Int16Array): void {
    if (this.#ended || !this.#pacer) return;
    this.#pacer.enqueue(pcm16k, this.#markName('hold'));
  }

  /** Drops queued playout (hold music) without touching the conversation. */
  stopAudio(): void {
    if (this.#pacer?.isPlaying) this.#pacer.clear();
  }

  get playoutQueuedMs(): number {
    return this.#pacer?.queuedMs ?? 0;
  }

  /** Speech is being synthesized or is still playing out: hold audio must wait its turn. */
  get speaking(): boolean {
    return this.#synthesizing > 0 || (this.#pacer?.isPlaying ?? false);
  }
  #synthesizing = 0;

  /** Live audio from the agent, already at real time: straight to the caller in their format. */
  sendToCaller(pcm16k: Int16Array): void {
    if (this.#ended || !this.#format || this.#held) return;
    let payload: Uint8Array;
    if (this.#format.encoding === 'audio/x-mulaw') {
      this.#downsampler ??= createResampler(16000, 8000);
      payload = encodeMulaw(this.#downsampler.process(pcm16k));
    } else {
      payload = encodeL16(pcm16k);
    }
    this.#farSideTap?.(pcm16k);
    this.#o.send({
      event: 'media',
      streamSid: this.#streamSid,
      media: { payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64') },
    });
  }

  /**
   * The media stream is gone but the caller hears the reply in flight another way (Twilio
   * replays the handover line after moving the call): it is not recorded as cut off.
   */
  releaseStream(): void {
    // Synthesis finishes into the dead stream on its own; aborting it mid-sentence would stall the turn queue.
    this.#reply = undefined;
  }

  /** While held, the caller hears hold audio and the agent's voice is not sent. */
  setHeld(held: boolean): void {
    this.#held = held;
  }

  /** The agent ends the call: the caller is disconnected politely. */
  async hangUpByAgent(reason: string): Promise<void> {
    await this.#finish('agent', reason);
  }

  /** The system ends the call (a callback was scheduled, the server is stopping). */
  async hangUpBySystem(reason: string): Promise<void> {
    await this.#finish('system', reason);
  }
  /** Frames that arrived before the pipeline was ready, replayed in order once it is. */
  #early: Array<MediaFrame | DtmfFrame> = [];
  #ready = false;

  #tapUpsampler: Resampler | undefined;

  /** Wire payload (base64, the call's format) → 16 kHz samples. Each direction keeps its own resampler state. */
  #wireToPcm(payload: string, direction: 'in' | 'out'): Int16Array {
    const bytes = Buffer.from(payload, 'base64');
    if (this.#format?.encoding !== 'audio/x-mulaw') return decodeL16(bytes);
    const resampler = direction === 'in' ? this.#upsampler! : (this.#tapUpsampler ??= createResampler(8000, 16000));
    return resampler.process(decodeMulaw(bytes));
  }

  /**
   * Sets the call up and greets the caller. A hang-up or failure at any point of this is safe:
   * the ending waits for the set-up step in flight, then releases whatever it created (the
   * "start then malformed frame" zombie was a session opened after the ending had run).
   */
  async start(frame: StartFrame): Promise<void> {
    const setUp = this.#setUp(frame);
    this.#setUpSettled = setUp.then(
      () => undefined,
      () => undefined,
    );
    const problems = await setUp;
    if (this.#ended || !this.#conversation) return;
    if (problems.length > 0) {
      for (const message of problems) {
        await this.#o.store.appendEvent(this.#conversation.sessionId, 'media.error', { stage: 'stt', message });
      }
      this.#o.log.error({ sessionId: this.#conversation.sessionId, problems }, 'call answered while speech engines are missing');
      this.#markReady();
      // The greeting would promise help the assistant cannot hear: say what is wrong instead.
      await this.#speak(
        0,
        'Sorry, our voice assistant is not available right now because speech recognition is not installed on this server. Please press 0 to reach a person, or call again later.',
        false,
      ).catch(() => this.#o.hangUp(`speech engines missing: ${problems.join('; ')}`, true));
      return;
    }
    this.#markReady();
    // An outbound call has no AI part: the agent speaks first.
    if (!this.#outboundAgentId) await this.#playTurn(this.#conversation.greeting);
  }

  #setUpSettled: Promise<void> = Promise.resolve();

  /** Everything up to an open session and recognizer; returns the engine problems found. Stops early once the call ended. */
  async #setUp(frame: StartFrame): Promise<string[]> {
    const format = findSupportedMediaFormat(frame.start.mediaFormat);
    if (!format) throw new Error('unsupported media format');
    this.#format = format;
    this.#streamSid = frame.streamSid ?? frame.start.streamSid;
    const params = frame.start.customParameters ?? {};
    const callerId = typeof params.from === 'string' && params.from ? params.from : 'anonymous';
    const callerName = typeof params.name === 'string' ? params.name : null;
    this.#callerId = callerId;
    this.#callerName = callerName;

    this.#pacer = createOutboundPacer({
      streamSid: this.#streamSid,
      format,
      send: (frame) => {
        this.#o.send(frame);
        if (frame.event === 'media' && this.#farSideTap) this.#farSideTap(this.#wireToPcm(frame.media.payload, 'out'));
      },
    });
    this.#pacer.on('drained', () => {
      this.#turns?.setAiSpeaking(false);
      if (this.#endAfterPlayout) this.#background(this.#finish('ai', 'call completed'));
    });
    if (format.encoding === 'audio/x-mulaw') this.#upsampler = createResampler(8000, 16000);
    const vad = await createVoiceActivityDetector({ sampleRate: 16000 });
    if (this.#ended) {
      vad.dispose();
      return [];
    }
    this.#vad = vad;
    if (this.#o.noiseSuppression) this.#denoiser = await createNoiseSuppressor();
    this.#turns = createTurnDetector(
      { endOfTurnSilenceMs: this.#o.endOfTurnSilenceMs, bargeInMs: this.#o.bargeInMs },
      {
        speechStart: () => {
          this.#speechStartWall = performance.now();
        },
        bargeIn: () => this.#bargeIn(),
        endOfTurn: (turn) => this.#endOfTurn(turn),
      },
    );
    const outboundCallId = typeof params.outboundCallId === 'string' ? params.outboundCallId : undefined;
    if (outboundCallId) {
      const claim = this.#o.claimOutbound?.(outboundCallId, callerId);
      if (!claim || !this.#o.startOutboundConversation) {
        throw new CallRefused('unknown or expired outbound call; wait for the next incoming call');
      }
      this.#outboundAgentId = claim.agentId;
      this.#mode = 'agent';
      this.#conversation = await this.#o.startOutboundConversation({ callerId, agentId: claim.agentId });
    } else {
      this.#conversation = await this.#o.startConversation({ callerId, callerName });
    }
    // Ended while the session was being opened: the ending (waiting on this step) closes it.
    if (this.#ended) return [];
    this.#conversation.onEscalationStored = () => this.#escalationStored();
    this.#o.log.info({ sessionId: this.#conversation.sessionId, callerId, format: format.encoding, outbound: Boolean(outboundCallId) }, 'voice call started');
    this.#o.onStarted?.(this);

    const problems = this.#o.engineProblems();
    if (problems.length === 0) {
      // An engine that takes µ-law natively hears the carrier's own bytes (no resampling).
      const carrierMulaw = this.#o.stt.acceptsMulaw === true && format.encoding === 'audio/x-mulaw';
      this.#stt = this.#o.stt.openStream({ speaker: 'caller', sampleRate: 16000, ...(carrierMulaw ? { carrierMulaw } : {}) });
      this.#sttMulaw = carrierMulaw;
      this.#stt.on('final', (f) => {
        this.#pendingFinals.shift()?.(f);
      });
      this.#stt.on('partial', (p) => {
        // The end of turn adapts to the raw words (digits must stay digits); listeners get them masked.
        this.#adaptEndOfTurn(p.text);
        this.#listener.callerPartial?.(redactPartial(p.text));
      });
      this.#stt.on('error', (err: SttStreamError) => this.#recognitionFailed(err));
    }
    return problems;
  }

  #markReady(): void {
    this.#ready = true;
    for (const early of this.#early.splice(0)) {
      if (early.event === 'media') this.media(early);
      else this.dtmf(early);
    }
  }

  media(frame: MediaFrame): void {
    if (this.#ended) return;
    if (!this.#ready) {
      this.#early.push(frame);
      return;
    }
    const pcm = this.#wireToPcm(frame.media.payload, 'in');
    const heard = this.#denoiser ? this.#denoiser.process(pcm) : pcm;
    if (this.#sttMulaw) this.#stt?.writeMulaw?.(Buffer.from(frame.media.payload, 'base64'));
    else this.#stt?.write(heard);
    this.#listener.callerAudio?.(pcm);
    const frames = this.#vad?.process(heard) ?? [];
    if (frames.length > 0) this.#turns?.push(frames);
  }

  dtmf(frame: DtmfFrame): void {
    if (this.#ended) return;
    if (!this.#ready) {
      this.#early.push(frame);
      return;
    }
    const digit = frame.dtmf.digit;
    clearTimeout(this.#dtmfTimer);
    if (digit === '#') {
      this.#flushDigits();
      return;
    }
    this.#dtmfDigits += digit;
    // A card being keyed group by group gets longer pauses, so it is masked as one entry.
    this.#dtmfTimer = setTimeout(() => this.#flushDigits(), keypadPauseMs(this.#dtmfDigits, DTMF_INTERDIGIT_MS));
  }

  mark(frame: MarkFrame): void {
    const segment = this.#segments.get(frame.mark.name);
    if (!segment) return;
    this.#segments.delete(frame.mark.name);
    if (segment.filler) return;
    const heard = this.#heard.get(segment.turn) ?? [];
    heard.push(segment.sentence);
    this.#heard.set(segment.turn, heard);
  }

  /** The caller hung up (stop frame or closed socket): keep what they heard, end the session. */
  async hangUpByCaller(reason: string): Promise<void> {
    await this.#finish('caller', reason);
  }

  /** A failure the call cannot carry on from (an engine died, a turn could not be answered). */
  async fail(reason: string): Promise<void> {
    await this.#finish('system', reason, true);
  }

  /** Ends the call once; every later caller waits for that one ending to complete. */
  #finish(by: 'caller' | 'ai' | 'agent' | 'system', reason: string, failed = false): Promise<void> {
    this.#finishing ??= this.#release(by, reason, failed);
    return this.#finishing;
  }
  #finishing: Promise<void> | undefined;

  async #release(by: 'caller' | 'ai' | 'agent' | 'system', reason: string, failed: boolean): Promise<void> {
    this.#ended = true;
    this.#handedOver('');
    this.#o.onEnded?.({ by, reason });
    clearTimeout(this.#dtmfTimer);
    // Each release is attempted even when an earlier one fails: one stuck step must not keep
    // a recognizer process, a recorder or a session open.
    const step = async (what: string, work: () => unknown): Promise<void> => {
      try {
        await work();
      } catch (err) {
        this.#o.log.warn({ sessionId: this.sessionId, err: String(err) }, `ending the call: ${what} failed`);
      }
    };
    await step('cancel reply', () => this.#cancelReply('hang-up'));
    for (const speaking of this.#speeches) speaking.abort();
    // A turn waiting for a final the closed recognizer will never give gets an empty one.
    for (const resolve of this.#pendingFinals.splice(0)) resolve({ text: '', startMs: 0, endMs: 0 });
    // A start still in flight finishes its current step and stops; what it made is released below.
    await this.#setUpSettled;
    this.#early.length = 0;
    await step('pacer', () => this.#pacer?.dispose());
    await step('vad', () => this.#vad?.dispose());
    await step('noise suppressor', () => this.#denoiser?.dispose());
    await step('recognizer', () => this.#stt?.close());
    // The turn in progress finishes (its recognizer and replies are gone, so it ends quickly);
    // one stuck on a provider must not keep the session open, so it gets a bounded wait.
    let stuck: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      this.#work.then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => (stuck = setTimeout(() => resolve(false), TURN_DRAIN_MS))),
    ]);
    clearTimeout(stuck);
    if (!settled) this.#o.log.warn({ sessionId: this.sessionId }, `a turn was still running ${TURN_DRAIN_MS} ms after the call ended; ending the session anyway`);
    // The desk first (no more offers for a caller who left; the agent starts wrap-up)...
    await step('desk', () => this.#listener.ended?.(this, by));
    // ...then the session: a call a person held goes to wrap-up, anything else ends here.
    const conversation = this.#conversation;
    await step('session', async () => {
      if (conversation?.state === 'agent') await conversation.transition('wrap-up');
      else if (conversation && conversation.state !== 'ended' && conversation.state !== 'wrap-up') {
        await conversation.end(by, reason);
      }
    });
    this.#o.log.info({ sessionId: this.sessionId, by, reason }, 'voice call ended');
    if (by !== 'caller') this.#o.hangUp(failed ? reason : by === 'agent' ? 'the agent ended the call' : 'call completed', failed);
  }

  #flushDigits(): void {
    const digits = this.#dtmfDigits;
    this.#dtmfDigits = '';
    if (!digits || !this.#conversation) return;
    if (this.#mode !== 'ai') {
      this.#listener.callerDigits?.(digits);
      return;
    }
    this.#enqueueWork(async () => {
      await this.#cancelReply('dtmf');
      await this.#converse({ kind: 'dtmf', digits });
    });
  }

  #endOfTurnBounds(): EndOfTurnBounds {
    const defaultMs = this.#o.endOfTurnSilenceMs;
    return { minMs: Math.min(this.#o.endOfTurnMinMs ?? defaultMs, defaultMs), defaultMs, maxMs: Math.max(this.#o.endOfTurnMaxMs ?? defaultMs, defaultMs) };
  }

  /** The words so far decide how long a pause ends this turn (whole answer: short; "and…": long). */
  #adaptEndOfTurn(partial: string): void {
    if (!this.#turns) return;
    this.#turns.setEndOfTurnSilence(endOfTurnSilenceFor(partial, this.#expected, this.#endOfTurnBounds()));
  }

  /** The AI's line is decided: tell the recognizer what answer to listen for. */
  #listenFor(turn: AiTurn): void {
    if (!this.#conversation || !turn.text) return;
    this.#expected = this.#conversation.expectedAnswer;
    this.#stt?.expect?.(this.#expected);
  }

  /** A recognizer error. A fatal one ends this call's recognition only: logged, and the caller
   *  handed to a person (the AI can no longer hear) — never the process, never another call. */
  #recognitionFailed(err: SttStreamError): void {
    this.#o.log.error({ sessionId: this.sessionId, err: err.message, fatal: Boolean(err.fatal) }, 'speech recognition failed');
    const conversation = this.#conversation;
    if (conversation && !this.#ended) {
      this.#background(this.#o.store.appendEvent(conversation.sessionId, 'media.error', { stage: 'stt', message: err.message }));
    }
    if (!err.fatal) return;
    const stt = this.#stt;
    this.#stt = undefined;
    void stt?.close().catch(() => undefined);
    if (!conversation || this.#ended || this.#mode !== 'ai') return;
    this.#enqueueWork(async () => {
      await this.#cancelReply('speech recognition failed');
      const turn = await conversation.escalateForFailure(`speech recognition failed: ${err.message}`);
      // With no person to hand over to, a deaf AI must not keep the caller talking to nobody.
      if (turn) await this.#playTurn(turn);
      else await this.#finish('system', `speech recognition failed: ${err.message}`);
    });
  }

  #endOfTurn(turn: EndOfTurn): void {
    // The next turn starts from the configured silence until its own words say otherwise.
    this.#turns?.setEndOfTurnSilence(this.#o.endOfTurnSilenceMs);
    if (!this.#stt || this.#ended) return;
    const endOfTurnWall = performance.now();
    const lastVoicedWall = endOfTurnWall - (turn.atMs - turn.lastVoicedMs);
    const finalPromise = new Promise<SttFinal>((resolve) => {
      this.#pendingFinals.push(resolve);
    });
    this.#stt.endUtterance();
    this.#enqueueWork(async () => {
      const final = await finalPromise;
      const sttDone = performance.now();
      // Masked here, before the transcript, the desk or the conversation sees it.
      const text = redact(final.text.trim());
      if (!text || !this.#conversation || this.#ended) return;
      await this.#o.store.appendEvent(this.#conversation.sessionId, 'transcript.final', {
        speaker: 'caller',
        text,
        startMs: Math.round(final.startMs),
        endMs: Math.round(final.endMs),
        ...(final.confidence !== undefined ? { confidence: final.confidence } : {}),
      });
      if (this.#mode !== 'ai') {
        this.#listener.callerFinal?.(text);
        return;
      }
      const filler = this.#scheduleFiller(lastVoicedWall);
      const { aiTurn, timing, firstSentenceAt } = await this.#converse({ kind: 'speech', text, ...(final.language ? { language: final.language } : {}) }, filler);
      const brainDone = firstSentenceAt || performance.now();
      if (timing && this.#o.onTurnMetrics) {
        this.#o.onTurnMetrics({
          turn: aiTurn.turn,
          endOfTurnWaitMs: endOfTurnWall - lastVoicedWall,
          sttFinalMs: sttDone - endOfTurnWall,
          brainMs: brainDone - sttDone,
          ttsFirstChunkMs: timing.firstChunkAt - brainDone,
          sendMs: timing.firstFrameAt - timing.firstChunkAt,
          totalMs: timing.firstFrameAt - lastVoicedWall,
        });
      }
    });
  }

  /** Work nobody awaits still has its failure logged, never an unhandled rejection. */
  #background(work: Promise<unknown>): void {
    work.catch((err: unknown) => this.#o.log.error({ sessionId: this.sessionId, err: String(err) }, 'voice call background work failed'));
  }

  #enqueueWork(job: () => Promise<void>): void {
    this.#work = this.#work.then(job).catch((err: unknown) => {
      this.#o.log.error({ sessionId: this.sessionId, err: String(err) }, 'voice turn failed');
      // The AI could not answer (brain, synthesis or store failed): end cleanly with the reason
      // instead of leaving the caller in silence. A person on the line carries on.
      if (this.#mode === 'ai' && !this.#ended) this.#background(this.fail(`voice turn failed: ${String(err)}`));
    });
  }

  /** If no reply audio is ready soon after the caller finished, say a filler line (never stored as AI speech). */
  #scheduleFiller(lastVoicedWall: number): { cancel: () => void } {
    const delay = Math.max(0, this.#o.fillerAfterMs - (performance.now() - lastVoicedWall));
    const timer = setTimeout(() => {
      if (this.#ended || !this.#conversation) return;
      this.#background(
        this.#o.store.appendEvent(this.#conversation.sessionId, 'media.filler', {
          text: FILLER_LINE,
          afterMs: Math.round(performance.now() - lastVoicedWall),
        }),
      );
      this.#background(this.#speak(-1, FILLER_LINE, true));
    }, delay);
    return { cancel: () => clearTimeout(timer) };
  }

  /**
   * One AI turn, spoken as it is decided: each sentence the conversation releases goes to
   * synthesis at once (the first is heard while a model still writes the rest), and barge-in
   * aborts the turn's signal, which stops the provider request too.
   */
  async #converse(
    input: CallerInput,
    filler?: { cancel: () => void },
  ): Promise<{ aiTurn: AiTurn; timing: SpeechTiming | undefined; firstSentenceAt: number }> {
    const conversation = this.#conversation!;
    const abort = new AbortController();
    let handled!: () => void;
    const reply: ReplyInFlight = { turn: -1, plannedText: '', abort, marks: [], settled: new Promise<void>((r) => (handled = r)) };
    let spoken: Promise<SpeechTiming | undefined> = Promise.resolve(undefined);
    let firstSentenceAt = 0;
    const onSentence = (sentence: string): void => {
      // What was released is what was planned, even if the caller cut in meanwhile.
      reply.plannedText = reply.plannedText ? `${reply.plannedText} ${sentence}` : sentence;
      if (abort.signal.aborted || this.#ended) return;
      if (reply.turn < 0) {
        reply.turn = conversation.turn;
        this.#reply = reply;
        firstSentenceAt = performance.now();
      }
      // Counted as speech from here, before synthesis starts, so hold audio waits for it.
      this.#synthesizing += 1;
      spoken = spoken.then(
        async (first) => {
          try {
            const timing = await this.#speak(reply.turn, sentence, false, filler, reply);
            return first ?? timing;
          } finally {
            this.#synthesizing -= 1;
          }
        },
        // An earlier sentence failed: this one is not spoken, but it no longer counts as speech
        // (or hold audio would wait for it for ever).
        (err: unknown) => {
          this.#synthesizing -= 1;
          throw err;
        },
      );
    };
    let aiTurn: AiTurn;
    try {
      aiTurn = await conversation.handle(input, { signal: abort.signal, onSentence });
    } finally {
      handled();
    }
    if (!aiTurn.text) filler?.cancel();
    this.#listenFor(aiTurn);
    // Routing starts at escalation, not after the "connecting you" line: the offer rings
    // while the caller hears it, and an agent who answers first simply cuts it short.
    if (aiTurn.escalated && this.#mode === 'ai') {
      this.#mode = 'queue';
      this.#handedOver(aiTurn.text);
      this.#listener.escalated?.(this, aiTurn.text);
    }
    const timing = await spoken;
    if (aiTurn.ended) this.#endAfterPlayout = true;
    if (aiTurn.ended && !this.#pacer?.isPlaying) this.#background(this.#finish('ai', 'call completed'));
    return { aiTurn, timing, firstSentenceAt };
  }

  async #playTurn(turn: AiTurn, filler?: { cancel: () => void }): Promise<{ firstChunkAt: number; firstFrameAt: number } | undefined> {
    if (!turn.text) {
      filler?.cancel();
      return undefined;
    }
    this.#listenFor(turn);
    // The turn counts as speech from here, before synthesis starts, so hold audio waits for it.
    this.#synthesizing += 1;
    try {
      // Routing starts at escalation, not after the "connecting you" line: the offer rings
      // while the caller hears it, and an agent who answers first simply cuts it short.
      if (turn.escalated && this.#mode === 'ai') {
        this.#mode = 'queue';
        this.#handedOver(turn.text);
        this.#listener.escalated?.(this, turn.text);
      }
      const timing = await this.#speak(turn.turn, turn.text, false, filler);
      if (turn.ended) this.#endAfterPlayout = true;
      return timing;
    } finally {
      this.#synthesizing -= 1;
    }
  }

  /** Synthesizes text sentence by sentence into the pacer, a mark after each sentence. */
  async #speak(
    turn: number,
    text: string,
    isFiller: boolean,
    filler?: { cancel: () => void },
    streamed?: ReplyInFlight,
  ): Promise<SpeechTiming | undefined> {
    const pacer = this.#pacer;
    if (!pacer || this.#ended) return undefined;
    const reply: ReplyInFlight = streamed ?? { turn, plannedText: text, abort: new AbortController(), marks: [], settled: Promise.resolve() };
    const abort = reply.abort;
    if (abort.signal.aborted) return undefined;
    this.#speeches.add(abort);
    if (!isFiller && !streamed) this.#reply = reply;
    let firstChunkAt = 0;
    let firstFrameAt = 0;
    // A streamed turn's later sentences join audio already playing: only its first is timed.
    const timed = !streamed || streamed.marks.length === 0;
    const firstFrame = !timed
      ? Promise.resolve(0)
      : new Promise<number>((resolve) => {
          const off = pacer.on('firstFrameSent', (at) => {
            off();
            resolve(at);
          });
          abort.signal.addEventListener('abort', () => {
            off();
            resolve(0);
          });
        });
    this.#synthesizing += 1;
    try {
      const voice = this.#conversation && this.#o.voiceFor ? this.#o.voiceFor(this.#conversation.language) : this.#o.voice;
      // A µ-law call gets µ-law from a synthesizer that makes it, sent as it comes (no resampling here).
      const mulaw8k = this.#format?.encoding === 'audio/x-mulaw' && this.#o.tts.producesMulaw === true;
      for await (const chunk of this.#o.tts.synthesize(text, { signal: abort.signal, ...(voice ? { voice } : {}), ...(mulaw8k ? { mulaw8k } : {}) })) {
        if (abort.signal.aborted || this.#ended) break;
        if (!firstChunkAt) {
          firstChunkAt = performance.now();
          filler?.cancel();
        }
        const mark = chunk.mulaw8k ? pacer.enqueueMulaw(chunk.mulaw8k, this.#markName(String(turn))) : pacer.enqueue(chunk.pcm, this.#markName(String(turn)));
        reply.marks.push(mark);
        this.#segments.set(mark, { turn, sentence: chunk.sentence, filler: isFiller });
        this.#turns?.setAiSpeaking(true);
      }
    } catch (err) {
      filler?.cancel();
      // A provider that answers its abort with an AbortError has done what was asked: the
      // caller cut in or the call ended. That is no failure, and must not end the turn queue.
      if (abort.signal.aborted || this.#ended) return undefined;
      const message = err instanceof Error ? err.message : String(err);
      this.#o.log.error({ sessionId: this.sessionId, err: message }, 'speech synthesis failed');
      if (this.sessionId) await this.#o.store.appendEvent(this.sessionId, 'media.error', { stage: 'tts', message });
      throw err;
    } finally {
      this.#synthesizing -= 1;
      // Nothing was queued (aborted, failed or empty): nothing to wait for.
      if (!firstChunkAt) this.#speeches.delete(abort);
    }
    if (!firstChunkAt) return undefined;
    firstFrameAt = await firstFrame;
    this.#speeches.delete(abort);
    return firstFrameAt ? { firstChunkAt, firstFrameAt } : undefined;
  }
  /** Every synthesis in flight (fillers and announcements too): the ending aborts them all. */
  readonly #speeches = new Set<AbortController>();

  #bargeIn(): void {
    if (this.#ended || this.#mode !== 'ai' || !this.#pacer?.isPlaying) return;
    const clearAt = performance.now();
    this.#background(this.#cancelReply('barge-in'));
    this.#o.onBargeIn?.({ speechStartWallMs: this.#speechStartWall, clearSentWallMs: clearAt });
  }

  /** Stops the reply in flight: clear the far buffer, stop synthesis, keep only what was heard. */
  #cancelReply(why: string): Promise<void> {
    const reply = this.#reply;
    const pacer = this.#pacer;
    if (!pacer) return Promise.resolve();
    const wasPlaying = pacer.isPlaying;
    const report = wasPlaying ? pacer.clear() : { segments: [] };
    this.#turns?.setAiSpeaking(false);
    if (!reply) return Promise.resolve();
    this.#reply = undefined;
    reply.abort.abort();
    const cutMarks = new Set(report.segments.map((s) => s.mark));
    for (const mark of reply.marks) {
      if (cutMarks.has(mark)) this.#segments.delete(mark);
    }
    if (!wasPlaying && report.segments.length === 0 && reply.marks.every((m) => !this.#segments.has(m))) return Promise.resolve();
    const heardText = (this.#heard.get(reply.turn) ?? []).join(' ');
    const heardMs = report.segments.reduce((sum, s) => sum + s.playedMs, 0);
    const conversation = this.#conversation;
    if (!conversation) return Promise.resolve();
    // A streamed turn is logged (ai.said) only once the aborted brain has stopped.
    return reply.settled
      .then(() =>
        heardText === reply.plannedText
          ? undefined
          : conversation.recordInterruption(reply.turn, heardText, reply.plannedText, Math.round(heardMs)),
      )
      .catch((err: unknown) => this.#o.log.warn({ err: String(err) }, `could not record ${why}`));
  }
}
