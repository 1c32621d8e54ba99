// What every local recognizer stream shares, whichever engine runs it (in-process pocketsphinx
// or the command-line fallback): its listeners, and how one utterance's timed words become
// the final the call sees.
import type { SttEvents, SttFinal } from './types';

export interface TimedWord {
  word: string;
  /** Milliseconds of caller audio since the stream opened. */
  startMs: number;
  endMs: number;
  /** The recognizer's word posterior, 0–1. */
  posterior: number;
}

export abstract class SttStreamEvents {
  readonly #listeners: { [E in keyof SttEvents]: Set<SttEvents[E]> } = {
    partial: new Set(),
    final: new Set(),
    error: new Set(),
  };

  on<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this {
    this.#listeners[event].add(listener);
    return this;
  }

  off<E extends keyof SttEvents>(event: E, listener: SttEvents[E]): this {
    this.#listeners[event].delete(listener);
    return this;
  }

  protected emit<E extends keyof SttEvents>(event: E, ...args: Parameters<SttEvents[E]>): void {
    for (const listener of this.#listeners[event]) (listener as (...a: Parameters<SttEvents[E]>) => void)(...args);
  }
}

/**
 * One utterance's final: its words, timed from the first word to the last (never past the end
 * of the turn; an empty utterance sits at the end of the turn), with the mean word posterior
 * as its confidence.
 */
export function finalFromWords(words: readonly TimedWord[], endOfTurnMs: number): SttFinal {
  const first = words[0];
  const last = words[words.length - 1];
  const final: SttFinal = {
    text: words.map((w) => w.word).join(' '),
    startMs: first ? first.startMs : endOfTurnMs,
    endMs: last ? Math.min(last.endMs, endOfTurnMs) : endOfTurnMs,
  };
  if (words.length) final.confidence = Math.max(0, Math.min(1, words.reduce((n, w) => n + w.posterior, 0) / words.length));
  return final;
}
