// A caller reading a card aloud pauses between the groups printed on it ("four one one one …
// one one one one … "), and each pause long enough ends a turn: four harmless-looking turns
// that no redaction could recognise. This wraps the caller's speech recognizer so such
// groups are joined before anyone sees them. A turn that is only a card-like start (four or
// eight digits beginning 2–6) is held back: the call sees an empty turn, so nothing is stored
// and the AI keeps listening. Each following digits-only turn is added to it until the digits
// form a Luhn-valid card (one turn with the whole number goes on, and is masked) or a turn
// with words arrives (the held digits go on at its front). Only the caller's streams are
// wrapped; a held group is dropped if the call ends first (never stored).
import type { ExpectedAnswer, SpeechToText, SttEvents, SttFinal, SttStream, SttStreamOptions } from '../speech/types';
import { digitsOnly, luhnValid } from './redaction';

const MAX_CARD_DIGITS = 19;

interface Held {
  final: SttFinal;
  digits: string;
}

class CardGroupJoiningStream implements SttStream {
  readonly #inner: SttStream;
  readonly #finals = new Set<SttEvents['final']>();
  #held: Held | undefined;

  constructor(inner: SttStream) {
    this.#inner = inner;
    inner.on('final', (f) => this.#onFinal(f));
  }

  write(pcm: Int16Array): void {
    this.#inner.write(pcm);
  }

  writeMulaw(bytes: Uint8Array): void {
    this.#inner.writeMulaw?.(bytes);
  }

  endUtterance(): void {
    this.#inner.endUtterance();
  }

  expect(answer: ExpectedAnswer): void {
    this.#inner.expect?.(answer);
  }

  /** Fault injection (tests, drills) reaches the recognizer's own stream. */
  injectFault(): void {
    (this.#inner as { injectFault?: () => void }).injectFault?.();
  }

  on<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this {
    if (event === 'final') this.#finals.add(listener as SttEvents['final']);
    else this.#inner.on(event, listener);
    return this;
  }

  off<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this {
    if (event === 'final') this.#finals.delete(listener as SttEvents['final']);
    else this.#inner.off(event, listener);
    return this;
  }

  close(): Promise<void> {
    this.#held = undefined;
    return this.#inner.close();
  }

  #emit(final: SttFinal): void {
    for (const listener of this.#finals) listener(final);
  }

  #onFinal(final: SttFinal): void {
    const digits = digitsOnly(final.text);
    const held = this.#held;
    // One or two printed groups; not ten digits (a phone number is said that way, and must go through).
    const startsCard = !held && digits !== undefined && (digits.length === 4 || digits.length === 8) && /^[2-6]/.test(digits);
    const continuesCard = held && digits !== undefined && held.digits.length + digits.length <= MAX_CARD_DIGITS;
    if (startsCard || continuesCard) {
      const joined: Held = held ? { final: join(held.final, final), digits: held.digits + digits! } : { final, digits: digits! };
      if (joined.digits.length >= 13 && luhnValid(joined.digits)) {
        this.#held = undefined;
        this.#emit(joined.final);
        return;
      }
      this.#held = joined;
      // One final per utterance is the contract: an empty one, which the call ignores.
      this.#emit({ ...final, text: '' });
      return;
    }
    this.#held = undefined;
    this.#emit(held ? join(held.final, final) : final);
  }
}

function join(first: SttFinal, next: SttFinal): SttFinal {
  const confidence = first.confidence !== undefined && next.confidence !== undefined ? Math.min(first.confidence, next.confidence) : undefined;
  return {
    text: `${first.text.trim()} ${next.text.trim()}`.trim(),
    startMs: first.startMs,
    endMs: next.endMs,
    ...(confidence !== undefined ? { confidence } : {}),
  };
}

/** The recognizer with card groups read across several turns joined for the caller's streams. */
export function joinSpokenCardGroups(stt: SpeechToText): SpeechToText {
  return {
    provider: stt.provider,
    ...(stt.capacityHint !== undefined ? { capacityHint: stt.capacityHint } : {}),
    ...(stt.engine !== undefined ? { engine: stt.engine } : {}),
    ...(stt.acceptsMulaw ? { acceptsMulaw: true } : {}),
    status: () => stt.status(),
    ...(stt.capacity ? { capacity: () => stt.capacity!() } : {}),
    ...(stt.close ? { close: () => stt.close!() } : {}),
    openStream: (opts: SttStreamOptions) => {
      const stream = stt.openStream(opts);
      return opts.speaker === 'caller' ? new CardGroupJoiningStream(stream) : stream;
    },
  };
}
