// What the agent keys on a call is logged one run at a time, not one event per key: the
// agent's keypad sends each key as it is pressed, and a card number keyed for the caller
// (into a payment line, say) would otherwise sit in the log as sixteen harmless-looking
// single digits that no redaction could recognise. The tones still play at once; the run is
// written as one `agent.dtmf` event (masked by the store like any other) after `#` or a pause.

/** A pause this long ends a run of keys. */
export const AGENT_KEYPAD_PAUSE_MS = 3_000;

export class AgentKeypadRun {
  readonly agentId: string;
  readonly #write: (digits: string) => Promise<void>;
  readonly #pauseMs: number;
  readonly #onError: (err: unknown) => void;
  #digits = '';
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: { agentId: string; write: (digits: string) => Promise<void>; onError: (err: unknown) => void; pauseMs?: number }) {
    this.agentId = opts.agentId;
    this.#write = opts.write;
    this.#onError = opts.onError;
    this.#pauseMs = opts.pauseMs ?? AGENT_KEYPAD_PAUSE_MS;
  }

  get pending(): string {
    return this.#digits;
  }

  press(digits: string): void {
    this.#digits += digits;
    clearTimeout(this.#timer);
    if (digits.endsWith('#')) void this.flush();
    else this.#timer = setTimeout(() => void this.flush(), this.#pauseMs);
  }

  /** Writes the run now (call ending, another agent taking over). Nothing pending: nothing written. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const digits = this.#digits;
    this.#digits = '';
    if (!digits) return;
    await this.#write(digits).catch(this.#onError);
  }
}
