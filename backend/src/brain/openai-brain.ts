// A brain backed by a chat model through the official `openai` package (Chat Completions,
// streaming, tools): OpenAI itself, Azure OpenAI (the same package's AzureOpenAI client), or
// any compatible server (Ollama, llama.cpp, vLLM) by base URL. Text is yielded as it streams;
// tool calls are checked against the contracts' schemas before the tool layer runs them.
// Anything the model gets wrong (unknown tool, arguments that are not JSON or fail their
// schema, a malformed stream, a content-filter stop, endless tool rounds) is a ModelError
// for the caller of this brain to handle, never a crash. 429 and 5xx are retried within the
// turn's budget, honouring Retry-After.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';
import { ToolArgs, toolDefinitions } from '../../../contracts/brain-tools';
import { ToolName } from '../../../contracts/conversation';
import type { Brain, BrainEvent, BrainTurn, BrainUsage, RespondOptions } from './brain';
import { buildMessages, toolsFor } from './model-prompt';

/** The model did something we cannot use; the turn falls back or escalates. */
export class ModelError extends Error {
  constructor(
    message: string,
    /** The provider could not be reached at all (not the model's fault). */
    readonly unreachable = false,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

export interface ModelPricing {
  /** US dollars per million input tokens. */
  inputPerMTok: number;
  outputPerMTok: number;
}

export interface OpenAiBrainOptions {
  provider: 'openai' | 'azure-openai';
  client: OpenAI;
  /** The model name (OpenAI, compatible servers) or deployment (Azure). */
  model: string;
  companyName: string;
  policyTopics: string[];
  historyLimit: number;
  /** Everything a turn may spend on the model, retries included. */
  turnBudgetMs: number;
  maxRetries: number;
  /** Tool rounds in one turn before the model is judged to be looping. */
  maxToolRounds?: number;
  pricing: ModelPricing;
  /** Greeting line (the same as the local brain's, so the disclosure of being an AI holds). */
  greeting: (companyName: string) => string;
}

interface StreamedRound {
  text: string;
  toolCalls: ChatCompletionMessageFunctionToolCall[];
  finish: string | null;
}

export class OpenAiBrain implements Brain {
  readonly provider: string;
  readonly #o: OpenAiBrainOptions;

  constructor(options: OpenAiBrainOptions) {
    this.#o = options;
    this.provider = options.provider;
  }

  greet({ companyName }: { companyName: string }): string {
    return this.#o.greeting(companyName);
  }

  async *respond(turn: BrainTurn, opts: RespondOptions = {}): AsyncIterable<BrainEvent> {
    const deadline = Date.now() + this.#o.turnBudgetMs;
    const transcript: ChatCompletionMessageParam[] = [];
    const maxRounds = this.#o.maxToolRounds ?? 4;
    const citations = new Set<string>();
    for (let round = 0; round < maxRounds; round++) {
      // Rebuilt each round: a verification mid-turn changes what the model may know.
      const messages = [
        ...buildMessages({
          companyName: this.#o.companyName,
          policyTopics: this.#o.policyTopics,
          caller: turn.caller,
          history: turn.history,
          historyLimit: this.#o.historyLimit,
          ...(turn.previousCall ? { previousCall: turn.previousCall.summary } : {}),
          ...(turn.language ? { language: turn.language } : {}),
        }),
        ...transcript,
      ];
      const offered = toolsFor(turn.caller);
      const streamed: StreamedRound = { text: '', toolCalls: [], finish: null };
      yield* this.#streamRound(messages, offered, streamed, deadline, opts.signal);
      if (streamed.finish === 'content_filter') throw new ModelError('the provider stopped the reply (content filter)');
      if (streamed.toolCalls.length === 0) {
        yield { type: 'end' };
        return;
      }
      transcript.push({ role: 'assistant', content: streamed.text || null, tool_calls: streamed.toolCalls });
      let endCall = false;
      for (const call of streamed.toolCalls) {
        const { name, args } = checkToolCall(call);
        if (name === 'escalate') {
          const parsed = ToolArgs.escalate.parse(args);
          yield { type: 'escalate', reason: parsed.reason, detail: parsed.detail || 'the model asked for a person' };
          yield { type: 'end' };
          return;
        }
        if (name === 'end_call') {
          endCall = true;
          transcript.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify({ ok: true }) });
          continue;
        }
        // The tool layer decides: verification, scope and arguments are enforced there.
        const outcome = await turn.tools.call(name, args);
        yield { type: 'tool', name, ok: outcome.ok };
        if (name === 'search_knowledge' && outcome.ok) {
          const found = (outcome.result as { articles?: Array<{ id: string }> }).articles ?? [];
          for (const a of found) citations.add(a.id);
          yield {
            type: 'assessment',
            citations: [...citations],
            answered: found.length > 0,
            ...(found.length === 0 ? { knowledgeGap: { question: String(args.query), bestScore: 0 } } : {}),
          };
        }
        transcript.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(outcome) });
      }
      if (endCall) {
        yield { type: 'end', endCall: true };
        return;
      }
    }
    throw new ModelError(`the model kept calling tools for ${maxRounds} rounds without answering`);
  }

  /** One streamed request, retried on 429/5xx within the turn's budget. */
  async *#streamRound(
    messages: ChatCompletionMessageParam[],
    offered: ToolName[],
    out: StreamedRound,
    deadline: number,
    signal: AbortSignal | undefined,
  ): AsyncIterable<BrainEvent> {
    const started = performance.now();
    let retries = 0;
    for (;;) {
      const request = new AbortController();
      const onAbort = () => request.abort(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new ModelError('the turn ran out of time before the model answered');
      const timer = setTimeout(() => request.abort(new ModelError('the model did not finish within the turn budget')), remaining);
      let firstTokenMs: number | undefined;
      let inputTokens = 0;
      let outputTokens = 0;
      let wroteText = false;
      try {
        const stream = await this.#o.client.chat.completions.create(
          {
            model: this.#o.model,
            messages,
            stream: true,
            stream_options: { include_usage: true },
            tools: toolDefinitions(offered).map((t) => ({
              type: 'function' as const,
              function: { name: t.name, description: t.description, parameters: t.parameters },
            })),
          },
          { signal: request.signal, maxRetries: 0, timeout: Math.max(1, remaining) },
        );
        const partial = new Map<number, ChatCompletionMessageFunctionToolCall>();
        for await (const chunk of stream) {
          if (chunk.usage) {
            inputTokens = chunk.usage.prompt_tokens;
            outputTokens = chunk.usage.completion_tokens;
          }
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          const delta = choice.delta;
          if (delta?.content) {
            firstTokenMs ??= performance.now() - started;
            wroteText = true;
            out.text += delta.content;
            yield { type: 'text', text: delta.content };
          }
          for (const piece of delta?.tool_calls ?? []) {
            const known = partial.get(piece.index);
            if (!known) {
              partial.set(piece.index, {
                id: piece.id ?? `call_${piece.index}`,
                type: 'function',
                function: { name: piece.function?.name ?? '', arguments: piece.function?.arguments ?? '' },
              });
            } else {
              if (piece.function?.name) known.function.name += piece.function.name;
              if (piece.function?.arguments) known.function.arguments += piece.function.arguments;
            }
          }
          if (choice.finish_reason) out.finish = choice.finish_reason;
        }
        out.toolCalls = [...partial.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
        const usage: BrainUsage = {
          provider: this.#o.provider,
          model: this.#o.model,
          inputTokens,
          outputTokens,
          ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
          totalMs: performance.now() - started,
          retries,
          costUsd: (inputTokens * this.#o.pricing.inputPerMTok + outputTokens * this.#o.pricing.outputPerMTok) / 1_000_000,
        };
        yield { type: 'usage', usage };
        if (out.finish === null) throw new ModelError('the model stream ended without a finish reason');
        return;
      } catch (err) {
        if (signal?.aborted) throw signal.reason ?? err;
        if (request.signal.reason instanceof ModelError) throw request.signal.reason;
        if (err instanceof ModelError) throw err;
        const retryIn = retryDelay(err, retries);
        // Text already spoken cannot be taken back: a retry would repeat it.
        if (retryIn !== undefined && !wroteText && retries < this.#o.maxRetries && Date.now() + retryIn < deadline) {
          retries += 1;
          await sleep(retryIn, signal);
          continue;
        }
        throw asModelError(err);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    }
  }
}

/** A tool call the tool layer may run: a known tool with JSON arguments that fit its schema. */
function checkToolCall(call: ChatCompletionMessageFunctionToolCall): { name: ToolName; args: Record<string, unknown> } {
  if (call.type !== 'function') throw new ModelError(`the model made a ${String(call.type)} call, which is not a tool here`);
  const name = ToolName.safeParse(call.function.name);
  if (!name.success) throw new ModelError(`the model called an unknown tool "${call.function.name}"`);
  let args: unknown;
  try {
    args = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments);
  } catch {
    throw new ModelError(`the model's arguments for ${name.data} are not JSON`);
  }
  const parsed = ToolArgs[name.data].safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelError(`the model's arguments for ${name.data} do not fit its schema (${issue?.path.join('.') || 'arguments'}: ${issue?.message})`);
  }
  return { name: name.data, args: args as Record<string, unknown> };
}

/** How long to wait before retrying this failure, or undefined when it is not worth retrying. */
export function retryDelay(err: unknown, attempt: number): number | undefined {
  if (!(err instanceof OpenAI.APIError) || err instanceof OpenAI.APIUserAbortError) return undefined;
  if (err instanceof OpenAI.APIConnectionError) return undefined;
  const status = err.status ?? 0;
  if (status !== 429 && status < 500) return undefined;
  const headers = err.headers;
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && headers?.get('retry-after-ms') !== null) return ms;
  const after = headers?.get('retry-after');
  if (after) {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(after);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  return Math.min(4000, 250 * 2 ** attempt);
}

function asModelError(err: unknown): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new ModelError('the model did not answer in time');
  if (err instanceof OpenAI.APIConnectionError) return new ModelError(`the model provider is unreachable (${err.message})`, true);
  if (err instanceof OpenAI.APIError) return new ModelError(`the model provider answered ${err.status ?? 'an error'}: ${err.message}`);
  // The client throws a plain error when a chunk is not JSON: a malformed stream.
  return new ModelError(`the model stream was malformed (${err instanceof Error ? err.message : String(err)})`);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
