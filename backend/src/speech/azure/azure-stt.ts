// Azure Speech recognition (STT_PROVIDER=azure) through the official SDK: one push stream and
// one continuous recognizer per call side, in the carrier's own format (µ-law 8 kHz bytes as
// they come from Twilio, through writeMulaw; PCM 16 kHz from the local carrier), partials from
// `recognizing`, phrases from `recognized` with their offsets (100-ns ticks from the stream's
// first byte → ms).
//
// Who ends a turn: our own turn detector, as with the local engine. The service endpoints
// phrases on its own (`recognized`), but a caller's turn can hold several phrases, and the
// conversation must answer the turn, not each breath. So phrases are gathered, and when the
// media layer calls endUtterance() the turn's final is everything recognized since the last
// one; when nothing was recognized yet or the service is still hearing a phrase, the final
// waits for the next `recognized` (at most FINAL_GRACE_MS, then it is what was heard, possibly
// empty).
//
// Phrase list: knowledge-base terms and CRM names given at construction go to the service as a
// phrase list with the first audio; expected answers add their words (digits, month names),
// which the SDK sends with the next service turn (in continuous mode: the next reconnect).
import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import { EventEmitter } from 'node:events';
import type { EngineStatus, ExpectedAnswer, SpeechToText, SttEvents, SttFinal, SttStream, SttStreamError, SttStreamOptions } from '../types';
import { SPEECH_SAMPLE_RATE } from '../types';
import { azureSpeechConfig, azureSpeechTarget, describeAzureCancellation, type AzureSpeechOptions } from './azure-speech-config';

export interface AzureSttOptions extends AzureSpeechOptions {
  /** Domain words recognition should favour (KB terms, product and item names). */
  phrases?: readonly string[];
  /** Locales the caller may speak: with more than one, Azure's continuous language
   *  identification picks among them phrase by phrase (the service takes up to 10). */
  languages?: readonly string[];
}

/** Continuous language identification accepts at most this many candidate locales. */
export const MAX_LID_LANGUAGES = 10;

const FINAL_GRACE_MS = 1500;
/**
 * Calls one Azure Speech resource carries at once, for the capacity hint: a standard (S0)
 * resource allows 100 concurrent real-time recognitions by default (a quota Azure raises on
 * request), and a call holds up to two (the caller, and the agent once a person answers).
 */
export const AZURE_CONCURRENT_RECOGNITIONS = 100;
const RECOGNITIONS_PER_CALL = 2;
const STATUS_TIMEOUT_MS = 5000;
const TICKS_PER_MS = 10_000;

const EXPECTED_PHRASES: Record<ExpectedAnswer, readonly string[]> = {
  open: [],
  zip: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
  date: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  'zip-or-date': [],
  'yes-no': ['yes', 'no', 'yeah', 'nope'],
  'order-id': ['order', 'number'],
};
EXPECTED_PHRASES['zip-or-date'] = [...EXPECTED_PHRASES.zip, ...EXPECTED_PHRASES.date];

function audioFormat(mulaw: boolean): sdk.AudioStreamFormat {
  return mulaw
    ? sdk.AudioStreamFormat.getWaveFormat(8000, 8, 1, sdk.AudioFormatTag.MuLaw)
    : sdk.AudioStreamFormat.getWaveFormatPCM(SPEECH_SAMPLE_RATE, 16, 1);
}

function recognizerConfig(o: AzureSttOptions): sdk.SpeechConfig {
  const config = azureSpeechConfig(o);
  config.speechRecognitionLanguage = o.language ?? o.languages?.[0] ?? 'en-US';
  return config;
}

/** Continuous LID over the served languages, or undefined for one fixed language. */
function languageIdentification(o: AzureSttOptions): sdk.AutoDetectSourceLanguageConfig | undefined {
  const candidates = o.languages ?? [];
  if (candidates.length < 2) return undefined;
  const lid = sdk.AutoDetectSourceLanguageConfig.fromLanguages(candidates.slice(0, MAX_LID_LANGUAGES) as string[]);
  // Continuous: a caller who switches language mid-call is followed phrase by phrase.
  lid.mode = sdk.LanguageIdMode.Continuous;
  return lid;
}

function createRecognizer(o: AzureSttOptions, audio: sdk.AudioConfig): sdk.SpeechRecognizer {
  const lid = languageIdentification(o);
  return lid ? sdk.SpeechRecognizer.FromConfig(recognizerConfig(o), lid, audio) : new sdk.SpeechRecognizer(recognizerConfig(o), audio);
}

class AzureSttStream extends EventEmitter implements SttStream {
  readonly #push: sdk.PushAudioInputStream;
  readonly #recognizer: sdk.SpeechRecognizer;
  readonly #phrases: sdk.PhraseListGrammar;
  readonly #listed = new Set<string>();
  #heard: Array<{ text: string; startMs: number; endMs: number; language?: string }> = [];
  #waiting: NodeJS.Timeout | undefined;
  /** The service is still hearing a phrase (a `recognizing` came after the last `recognized`). */
  #phraseOpen = false;
  #closed = false;

  constructor(
    private readonly o: AzureSttOptions,
    private readonly mulaw: boolean,
    private readonly onClose: () => void,
  ) {
    super();
    this.#push = sdk.AudioInputStream.createPushStream(audioFormat(mulaw));
    this.#recognizer = createRecognizer(o, sdk.AudioConfig.fromStreamInput(this.#push));
    this.#phrases = sdk.PhraseListGrammar.fromRecognizer(this.#recognizer);
    this.#addPhrases(o.phrases ?? []);
    this.#recognizer.recognizing = (_s, e) => {
      this.#phraseOpen = true;
      const soFar = [...this.#heard.map((h) => h.text), e.result.text].join(' ').trim();
      if (soFar) this.emit('partial', { text: soFar });
    };
    this.#recognizer.recognized = (_s, e) => {
      this.#phraseOpen = false;
      if (e.result.reason !== sdk.ResultReason.RecognizedSpeech || !e.result.text) return;
      const startMs = e.result.offset / TICKS_PER_MS;
      // With language identification each phrase carries the language it was heard in.
      const language = e.result.language && e.result.language !== 'Unknown' ? e.result.language : undefined;
      this.#heard.push({ text: e.result.text, startMs, endMs: startMs + e.result.duration / TICKS_PER_MS, ...(language ? { language } : {}) });
      if (this.#waiting) this.#emitFinal();
    };
    this.#recognizer.canceled = (_s, e) => {
      if (this.#closed || e.reason !== sdk.CancellationReason.Error) return;
      const error: SttStreamError = new Error(describeAzureCancellation(e.errorCode, e.errorDetails, o));
      error.fatal = true;
      this.emit('error', error);
    };
    this.#recognizer.startContinuousRecognitionAsync(
      () => undefined,
      (message) => {
        const error: SttStreamError = new Error(`Azure Speech recognition could not start at ${azureSpeechTarget(o)}: ${message}`);
        error.fatal = true;
        this.emit('error', error);
      },
    );
  }

  write(pcm: Int16Array): void {
    // A µ-law stream is fed by writeMulaw only; PCM here would corrupt its format.
    if (this.#closed || this.mulaw) return;
    // The SDK keeps the buffer until it is sent: hand it a copy it owns.
    this.#push.write(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer);
  }

  /** The carrier's µ-law 8 kHz bytes as they came, with no conversion (streams opened with `carrierMulaw`). */
  writeMulaw(bytes: Uint8Array): void {
    if (this.#closed || !this.mulaw) return;
    this.#push.write(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }

  endUtterance(): void {
    if (this.#closed || this.#waiting) return;
    if (this.#heard.length > 0 && !this.#phraseOpen) return this.#emitFinal();
    this.#waiting = setTimeout(() => this.#emitFinal(), FINAL_GRACE_MS);
  }

  expect(answer: ExpectedAnswer): void {
    this.#addPhrases(EXPECTED_PHRASES[answer]);
  }

  /** Each phrase once: the AI asks for the same kind of answer many times in a call. */
  #addPhrases(phrases: readonly string[]): void {
    const fresh = phrases.filter((p) => !this.#listed.has(p));
    for (const p of fresh) this.#listed.add(p);
    if (fresh.length) this.#phrases.addPhrases(fresh);
  }

  #emitFinal(): void {
    if (this.#waiting) clearTimeout(this.#waiting);
    this.#waiting = undefined;
    const heard = this.#heard;
    this.#heard = [];
    // The turn's language is its last phrase's: a caller who switched mid-turn is answered in the new one.
    const language = heard.findLast((h) => h.language)?.language;
    const final: SttFinal = {
      text: heard.map((h) => h.text).join(' '),
      startMs: heard[0]?.startMs ?? 0,
      endMs: heard.at(-1)?.endMs ?? 0,
      ...(language ? { language } : {}),
    };
    this.emit('final', final);
  }

  override on<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this {
    return super.on(event, listener);
  }

  override off<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this {
    return super.off(event, listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#waiting) clearTimeout(this.#waiting);
    this.#waiting = undefined;
    this.#push.close();
    await new Promise<void>((resolve) => this.#recognizer.stopContinuousRecognitionAsync(resolve, () => resolve()));
    this.#recognizer.close();
    this.onClose();
  }
}

/** Opens and closes one connection, so a wrong key or region shows at start, not on a call. */
export function checkAzureSpeech(o: AzureSpeechOptions, name: string): Promise<EngineStatus> {
  return new Promise((resolve) => {
    let recognizer: sdk.SpeechRecognizer;
    try {
      const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(SPEECH_SAMPLE_RATE, 16, 1));
      recognizer = createRecognizer(o, sdk.AudioConfig.fromStreamInput(push));
    } catch (e) {
      resolve({ name, available: false, problem: (e as Error).message });
      return;
    }
    const connection = sdk.Connection.fromRecognizer(recognizer);
    const finish = (status: EngineStatus): void => {
      clearTimeout(timer);
      connection.closeConnection();
      recognizer.close();
      resolve(status);
    };
    const timer = setTimeout(() => finish({ name, available: false, problem: `no answer from ${azureSpeechTarget(o)} within ${STATUS_TIMEOUT_MS / 1000} s` }), STATUS_TIMEOUT_MS);
    connection.openConnection(
      () => finish({ name, available: true }),
      (message: string) =>
        finish({
          name,
          available: false,
          problem: /401|403|auth/i.test(message)
            ? `Azure Speech refused the key at ${azureSpeechTarget(o)} (${message}). Check AZURE_SPEECH_KEY and AZURE_SPEECH_REGION`
            : `cannot reach ${azureSpeechTarget(o)} (${message}). Check AZURE_SPEECH_REGION / AZURE_SPEECH_HOST`,
        }),
    );
  });
}

export function createAzureSpeechToText(o: AzureSttOptions): SpeechToText {
  return {
    provider: 'azure',
    engine: `Azure Speech (${azureSpeechTarget(o)})`,
    capacityHint: AZURE_CONCURRENT_RECOGNITIONS / RECOGNITIONS_PER_CALL,
    status: () => checkAzureSpeech(o, 'Azure Speech (STT)'),
    acceptsMulaw: true,
    openStream(opts: SttStreamOptions): SttStream {
      return new AzureSttStream(o, opts.carrierMulaw === true, () => undefined);
    },
  };
}
