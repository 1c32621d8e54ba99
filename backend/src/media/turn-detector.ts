// Turn-taking for one call: turns VAD frame decisions into "the caller started speaking",
// "the caller finished their turn" and "the caller is talking over the AI". Pure logic driven
// by audio (stream) time rather than timers, so identical audio always gives identical events.
import type { VadFrame } from './vad';

/** Silence after the last voiced frame that ends a turn. */
export const DEFAULT_END_OF_TURN_SILENCE_MS = 500;
/** Voiced time a turn needs before it counts; shorter bursts are clicks, coughs, line noise. */
export const DEFAULT_MIN_SPEECH_MS = 120;
/** Caller speech over the AI for this long (gaps allowed) interrupts the AI. */
export const DEFAULT_BARGE_IN_MS = 250;
/** Unvoiced gaps up to this long do not break a run of speech (between syllables, plosives). */
export const DEFAULT_MAX_SPEECH_GAP_MS = 100;

export interface TurnDetectorOptions {
  endOfTurnSilenceMs?: number;
  minSpeechMs?: number;
  bargeInMs?: number;
  maxSpeechGapMs?: number;
}

export interface EndOfTurn {
  /** Stream time the turn's first voiced frame began. */
  startMs: number;
  /** Stream time the turn's last voiced frame ended. */
  lastVoicedMs: number;
  /** Stream time the turn was declared over (≈ lastVoicedMs + silence). */
  atMs: number;
}

export type TurnEvent =
  | { type: 'speechStart'; atMs: number }
  | ({ type: 'endOfTurn' } & EndOfTurn)
  | { type: 'bargeIn'; atMs: number };

export interface TurnDetectorListeners {
  /** `atMs` is when the speech began (the first voiced frame), reported once it is confirmed. */
  speechStart?(atMs: number): void;
  endOfTurn?(turn: EndOfTurn): void;
  /** `atMs` is the stream time at which the barge-in threshold was reached. */
  bargeIn?(atMs: number): void;
}

export interface TurnDetector {
  /** Feed decisions in stream order; returns the events they caused (also sent to listeners). */
  push(frames: VadFrame | readonly VadFrame[]): TurnEvent[];
  /** Adaptive end of turn: the silence that ends the current turn, from now on (the caller of
   *  this knows whether what was said so far is a complete answer). */
  setEndOfTurnSilence(ms: number): void;
  readonly endOfTurnSilenceMs: number;
  /** Tell the detector whether the AI is currently playing audio to the caller. */
  setAiSpeaking(speaking: boolean): void;
  readonly aiSpeaking: boolean;
  /** True between a confirmed speechStart and its endOfTurn. */
  readonly inTurn: boolean;
  reset(): void;
}

export function createTurnDetector(options: TurnDetectorOptions = {}, listeners: TurnDetectorListeners = {}): TurnDetector {
  let silenceMs = options.endOfTurnSilenceMs ?? DEFAULT_END_OF_TURN_SILENCE_MS;
  const minSpeechMs = options.minSpeechMs ?? DEFAULT_MIN_SPEECH_MS;
  const bargeInMs = options.bargeInMs ?? DEFAULT_BARGE_IN_MS;
  const maxGapMs = options.maxSpeechGapMs ?? DEFAULT_MAX_SPEECH_GAP_MS;
  for (const [name, v] of Object.entries({ silenceMs, minSpeechMs, bargeInMs, maxGapMs })) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`turn detector ${name} must be a non-negative number, got ${v}`);
  }

  // Candidate speech: voiced frames not yet long enough to be a turn.
  let candidateStart = -1;
  let candidateVoicedMs = 0;
  // Confirmed turn.
  let inTurn = false;
  let turnStart = 0;
  let lastVoicedEnd = 0;
  // Current run of near-continuous speech, for barge-in.
  let runStart = -1;
  let runLastVoicedEnd = 0;
  let bargedIn = false;
  let aiSpeaking = false;

  function clearCandidate(): void {
    candidateStart = -1;
    candidateVoicedMs = 0;
  }

  function step(f: VadFrame, events: TurnEvent[]): void {
    if (f.voiced) {
      if (runStart < 0 || f.startMs - runLastVoicedEnd > maxGapMs) runStart = f.startMs;
      runLastVoicedEnd = f.endMs;
      lastVoicedEnd = f.endMs;

      if (!inTurn) {
        if (candidateStart < 0) candidateStart = f.startMs;
        candidateVoicedMs += f.endMs - f.startMs;
        if (candidateVoicedMs >= minSpeechMs) {
          inTurn = true;
          turnStart = candidateStart;
          clearCandidate();
          events.push({ type: 'speechStart', atMs: turnStart });
        }
      }
      if (aiSpeaking && !bargedIn && runLastVoicedEnd - runStart >= bargeInMs) {
        bargedIn = true;
        events.push({ type: 'bargeIn', atMs: f.endMs });
      }
      return;
    }

    // Unvoiced frame.
    if (runStart >= 0 && f.endMs - runLastVoicedEnd > maxGapMs) runStart = -1;
    if (!inTurn) {
      // A burst too short to confirm and followed by a real gap was noise.
      if (candidateStart >= 0 && f.endMs - lastVoicedEnd > maxGapMs) clearCandidate();
      return;
    }
    if (f.endMs - lastVoicedEnd >= silenceMs) {
      inTurn = false;
      events.push({ type: 'endOfTurn', startMs: turnStart, lastVoicedMs: lastVoicedEnd, atMs: f.endMs });
    }
  }

  function emit(e: TurnEvent): void {
    if (e.type === 'speechStart') listeners.speechStart?.(e.atMs);
    else if (e.type === 'bargeIn') listeners.bargeIn?.(e.atMs);
    else listeners.endOfTurn?.({ startMs: e.startMs, lastVoicedMs: e.lastVoicedMs, atMs: e.atMs });
  }

  return {
    push(frames) {
      const events: TurnEvent[] = [];
      if (Array.isArray(frames)) for (const f of frames as readonly VadFrame[]) step(f, events);
      else step(frames as VadFrame, events);
      for (const e of events) emit(e);
      return events;
    },
    setEndOfTurnSilence(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`end-of-turn silence must be a non-negative number, got ${ms}`);
      silenceMs = ms;
    },
    get endOfTurnSilenceMs() {
      return silenceMs;
    },
    setAiSpeaking(speaking) {
      // Each AI utterance can be barged in once; a new one re-arms the trigger.
      if (speaking && !aiSpeaking) bargedIn = false;
      aiSpeaking = speaking;
    },
    get aiSpeaking() {
      return aiSpeaking;
    },
    get inTurn() {
      return inTurn;
    },
    reset() {
      clearCandidate();
      inTurn = false;
      turnStart = 0;
      lastVoicedEnd = 0;
      runStart = -1;
      runLastVoicedEnd = 0;
      bargedIn = false;
      aiSpeaking = false;
    },
  };
}
