// A model brain with the local brain behind it. A turn the model cannot start in time (no
// text by the hard deadline) or fails before saying anything is answered by the local brain;
// a provider that cannot be reached at all leaves the local brain answering until it can be;
// and a model that fails turn after turn hands the call to a person (`ai_error`).
import type { Brain, BrainEvent, BrainTurn, RespondOptions } from './brain';
import { ModelError } from './openai-brain';

export interface ModelFallbackOptions {
  /** Past this with no text from the model, the local brain answers the turn. */
  hardDeadlineMs: number;
  /** Consecutive model failures (not counting an unreachable provider) before `ai_error`. */
  maxFailures: number;
  onProblem?: (message: string) => void;
  /**
   * Shared by every conversation on the same provider: once it cannot be reached, turns go
   * straight to the local brain until `downUntil`, instead of each trying and failing again.
   */
  health?: ProviderHealth;
  /** How long an unreachable provider is left alone before it is tried again. */
  retryUnreachableAfterMs?: number;
}

export interface ProviderHealth {
  downUntil: number;
}

export class ModelWithFallback implements Brain {
  readonly provider: string;
  readonly #model: Brain;
  readonly #local: Brain;
  readonly #o: ModelFallbackOptions;
  #failures = 0;

  constructor(model: Brain, local: Brain, options: ModelFallbackOptions) {
    this.#model = model;
    this.#local = local;
    this.#o = options;
    this.provider = model.provider;
  }

  greet(opts: { companyName: string }): string {
    return this.#model.greet(opts);
  }

  async *respond(turn: BrainTurn, opts: RespondOptions = {}): AsyncIterable<BrainEvent> {
    const health = this.#o.health;
    if (health && Date.now() < health.downUntil) {
      yield { type: 'fallback', provider: this.#local.provider, why: `${this.#model.provider} is unreachable; trying again in ${Math.ceil((health.downUntil - Date.now()) / 1000)} s` };
      yield* this.#local.respond(turn, opts);
      return;
    }
    const late = new AbortController();
    const onAbort = () => late.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const lateError = new ModelError(`the model wrote nothing within ${this.#o.hardDeadlineMs} ms`);
    const timer = setTimeout(() => late.abort(lateError), this.#o.hardDeadlineMs);
    let spoke = false;
    let problem: ModelError | undefined;
    try {
      for await (const event of this.#model.respond(turn, { signal: late.signal })) {
        if (health) health.downUntil = 0;
        if (event.type === 'text' && !spoke) {
          spoke = true;
          clearTimeout(timer);
        }
        yield event;
      }
      this.#failures = 0;
      return;
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? err;
      problem = late.signal.reason === lateError ? lateError : err instanceof ModelError ? err : new ModelError(err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
    if (!problem.unreachable) this.#failures += 1;
    else if (health) health.downUntil = Date.now() + (this.#o.retryUnreachableAfterMs ?? 30_000);
    this.#o.onProblem?.(problem.message);
    if (this.#failures >= this.#o.maxFailures) {
      yield { type: 'fallback', provider: this.#local.provider, why: problem.message };
      yield { type: 'escalate', reason: 'ai_error', detail: `the model failed ${this.#failures} turns in a row (${problem.message})` };
      yield { type: 'end' };
      return;
    }
    if (spoke) {
      // What was said stands; the caller is asked to go on rather than hearing it twice.
      yield { type: 'fallback', provider: this.#model.provider, why: problem.message };
      yield { type: 'text', text: ' Sorry, could you say that again?' };
      yield { type: 'end' };
      return;
    }
    yield { type: 'fallback', provider: this.#local.provider, why: problem.message };
    yield* this.#local.respond(turn, opts);
  }
}
