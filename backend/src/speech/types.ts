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

/** What the AI just asked for, so the recognizer can listen for it (grammar or open model). */
export type ExpectedAnswer = 'open' | 'zip' | 'date' | 'zip-or-date' | 'yes-no' | 'order-id';
export const EXPECTED_ANSWERS: readonly ExpectedAnswer[] = ['open', 'zip', 'date', 'zip-or-date', 'yes-no', 'order-id'];

export interface SttPartial {
  /** The words heard so far in this utterance (word-level with the in-process engine). */
  text: string;
}

export interface SttFinal {
  text: string;
  /** Which search produced the text: the expected-answer grammar, or the open model. */
  context?: ExpectedAnswer;
  /** ms of stream audio since the stream opened (injected padding is not counted). */
  startMs: number;
  endMs: number;
  /** 0..1, the engine's own word posteriors averaged; absent when the engine gives none. */
  confidence?: number;
  /** The language the engine identified (BCP-47, Azure's language identification); absent when it does not identify. */
  language?: string;
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
  /** Only on streams opened with `carrierMulaw`: the carrier's µ-law 8 kHz bytes as they came
   *  (used instead of `write`, so a cloud engine hears the call's own audio, not our resampling). */
  writeMulaw?(bytes: Uint8Array): void;
  /** What the next answer should be; engines without grammars ignore it. Takes effect for the
   *  utterance in progress (a caller who already started answering loses nothing). */
  expect?(answer: ExpectedAnswer): void;
  on<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this;
  off<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this;
  /** Ends the decoder and releases its process and files; pending utterances are dropped. */
  close(): Promise<void>;
}

export interface SttStreamOptions {
  speaker: 'caller' | 'agent';
  sampleRate: typeof SPEECH_SAMPLE_RATE;
  /** The call's audio is µ-law 8 kHz and the engine takes it as is (`acceptsMulaw`): the stream
   *  is fed through `writeMulaw`. */
  carrierMulaw?: boolean;
}

/** How many recognizer streams this engine can decode in real time, for admission control. */
export interface SttCapacity {
  /** Streams open now. */
  activeStreams: number;
  /** Streams the engine decodes in real time on this machine (from its configuration). */
  maxStreams: number;
}

export interface SpeechToText {
  readonly provider: string;
  /** The engine's own name for the start banner ("pocketsphinx in-process", "pocketsphinx CLI"). */
  readonly engine?: string;
  /** How many streams this engine sustains at once on this machine (admission control takes
   *  the smallest hint as the default call capacity); absent when it does not limit (cloud). */
  readonly capacityHint?: number;
  status(): Promise<EngineStatus>;
  /** The engine takes telephone µ-law 8 kHz natively (Azure): callers on such carriers open
   *  their streams with `carrierMulaw`. */
  readonly acceptsMulaw?: boolean;
  openStream(opts: SttStreamOptions): SttStream;
  capacity?(): SttCapacity;
  /** Releases worker threads and model files (process shutdown, tests). */
  close?(): Promise<void>;
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
