// Translation on one call for the agent who holds it: the caller's language is not the agent's
// working language (their first language; the deployment's default when they set none). Every
// caller and AI line — the call so far, then each new one — is translated into the agent's
// language and logged as `transcript.translated` next to its original (so a reconnecting app,
// a supervisor and the review screen see the same), in order, one line at a time. A failed
// line is logged as a media.error and skipped: the original stays readable.
import type { AnySessionEvent } from '../../../contracts/events';
import type { SessionStore } from '../store/session-store';
import type { Translator } from '../translation/translator';

export interface CallTranslationOptions {
  store: SessionStore;
  translator: Translator;
  sessionId: string;
  callerLanguage: () => string;
  agentLanguage: string;
  /** Plays the agent's translated words to the caller (in the caller's voice for their language). */
  speak?: (text: string) => Promise<void>;
  agentId?: string;
}

/** The text and speaker of a line the agent reads in translation; undefined for other events. */
function translatable(event: AnySessionEvent): { speaker: 'caller' | 'ai'; text: string } | undefined {
  if (event.type === 'ai.said') return { speaker: 'ai', text: event.data.text };
  if (event.type === 'caller.said' && event.data.source !== 'speech') return { speaker: 'caller', text: event.data.text };
  if (event.type === 'transcript.final' && event.data.speaker === 'caller') return { speaker: 'caller', text: event.data.text };
  return undefined;
}

export class CallTranslation {
  readonly #o: CallTranslationOptions;
  #chain: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | undefined;
  #stopped = false;
  readonly #done = new Set<number>();
  /** "Speak my replies in the caller's language" is on: each agent line is translated and spoken. */
  speakReplies = false;

  constructor(o: CallTranslationOptions) {
    this.#o = o;
  }

  /** Translates `backlog` (the call so far), then every new line until stop(). */
  start(backlog: readonly AnySessionEvent[]): void {
    for (const event of backlog) this.#queue(event);
    this.#unsubscribe = this.#o.store.subscribe((event) => {
      if (event.sessionId === this.#o.sessionId) this.#queue(event);
    });
  }

  /** One text in the agent's language (the brief, suggestions); the original when translation fails. */
  async toAgent(text: string, from: string): Promise<string> {
    try {
      return await this.#o.translator.translate(text, from, this.#o.agentLanguage);
    } catch {
      return text;
    }
  }

  /** The agent's words in the caller's language (spoken replies). Throws when translation fails. */
  toCaller(text: string): Promise<string> {
    return this.#o.translator.translate(text, this.#o.agentLanguage, this.#o.callerLanguage());
  }

  get agentLanguage(): string {
    return this.#o.agentLanguage;
  }

  /** Waits for the lines queued so far (tests, wrap-up). */
  settled(): Promise<void> {
    return this.#chain;
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
  }

  #queue(event: AnySessionEvent): void {
    if (event.type === 'transcript.final' && event.data.speaker === 'agent' && this.speakReplies && !this.#done.has(event.seq)) {
      this.#done.add(event.seq);
      const original = event.data.text;
      this.#chain = this.#chain.then(() => this.#speakToCaller(original));
      return;
    }
    const line = translatable(event);
    if (!line || this.#done.has(event.seq)) return;
    this.#done.add(event.seq);
    this.#chain = this.#chain.then(() => this.#translate(event.seq, line));
  }

  async #speakToCaller(original: string): Promise<void> {
    if (this.#stopped || !this.#o.speak) return;
    const { store, sessionId, agentLanguage } = this.#o;
    const to = this.#o.callerLanguage();
    try {
      const text = await this.toCaller(original);
      if (this.#stopped) return;
      await store.appendEvent(sessionId, 'agent.spoken_translated', { agentId: this.#o.agentId ?? '', original, from: agentLanguage, to, text });
      await this.#o.speak(text);
    } catch (err) {
      if (this.#stopped) return;
      await store
        .appendEvent(sessionId, 'media.error', { stage: 'tts', message: `the agent's words could not be translated for the caller: ${(err as Error).message}` })
        .catch(() => undefined);
    }
  }

  async #translate(seq: number, line: { speaker: 'caller' | 'ai'; text: string }): Promise<void> {
    if (this.#stopped) return;
    const { store, translator, sessionId, agentLanguage } = this.#o;
    const from = this.#o.callerLanguage();
    try {
      const text = await translator.translate(line.text, from, agentLanguage);
      if (this.#stopped) return;
      await store.appendEvent(sessionId, 'transcript.translated', { ofSeq: seq, speaker: line.speaker, from, to: agentLanguage, text, provider: translator.provider });
    } catch (err) {
      if (this.#stopped) return;
      await store
        .appendEvent(sessionId, 'media.error', { stage: 'brain', message: `translation for the agent failed (${translator.provider}): ${(err as Error).message}` })
        .catch(() => undefined);
    }
  }
}
