// The speech contracts the rest of the backend codes against: one SpeechToText and one
// TextToSpeech interface, whatever the provider (local pocketsphinx/flite today, cloud later).
// All audio crossing these interfaces is 16 kHz mono Int16: pocketsphinx recognises flite and
// telephone speech far better at 16 kHz than at 8 kHz µ-law, so the media layer converts once.

export const SPEECH_SAMPLE_RATE = 16000;

/** What the start-up banner and health checks say about one engine. */
export interface EngineStatus {
  name: string;
  available: boolean;
  /** Why it is unavailable (or degraded), in words an operator can act on. */
  problem?: string;
  howToInstall?: string;
}

export interface SttPartial {
  text: string;
}

export interface SttFinal {
  text: string;
  /** ms of stream audio since the stream opened (injected padding is not counted). */
  startMs: number;
  endMs: number;
  /** 0..1, the engine's own word posteriors averaged; absent when the engine gives none. */
  confidence?: number;
}

/** An error from a recognizer stream; `fatal` means the stream is dead (its engine exited). */
export interface SttStreamError extends Error {
  fatal?: boolean;
}

export interface SttEvents {
  partial: (r: SttPartial) => void;
  final: (r: SttFinal) => void;
  error: (e: SttStreamError) => void;
}

export interface SttStream {
  /** 16 kHz mono samples, in stream order. */
  write(pcm: Int16Array): void;
  /** The media layer's VAD decided the utterance ended: finalize now. Exactly one 'final' follows
   *  (its text may be empty when nothing recognisable was said). */
  endUtterance(): void;
  on<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this;
  off<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this;
  /** Ends the decoder and releases its process and files; pending utterances are dropped. */
  close(): Promise<void>;
}

export interface SttStreamOptions {
  speaker: 'caller' | 'agent';
  sampleRate: typeof SPEECH_SAMPLE_RATE;
}

export interface SpeechToText {
  readonly provider: string;
  /** How many streams this engine sustains at once on this machine (admission control takes
   *  the smallest hint as the default call capacity); absent when it does not limit (cloud). */
  readonly capacityHint?: number;
  status(): Promise<EngineStatus>;
  openStream(opts: SttStreamOptions): SttStream;
}

export interface SynthesizedSentence {
  /** 16 kHz mono. */
  pcm: Int16Array;
  sentence: string;
  sentenceIndex: number;
}

export interface SynthesizeOptions {
  voice?: string;
  signal?: AbortSignal;
}

export interface TextToSpeech {
  readonly provider: string;
  /** How many concurrent calls this engine can voice on this machine; absent when it does not limit. */
  readonly capacityHint?: number;
  status(): Promise<EngineStatus>;
  /** Yields the reply sentence by sentence, the first as soon as it is ready, so playback can
   *  start before the rest is synthesized. Stops (without throwing) once `signal` aborts. */
  synthesize(text: string, opts?: SynthesizeOptions): AsyncIterable<SynthesizedSentence>;
}
