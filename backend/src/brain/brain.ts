// The brain port: decides each AI turn. Providers (local rules + knowledge retrieval,
// OpenAI-compatible models) implement it; the conversation wraps every provider in the
// same policy, so no provider can disclose data or trap a caller.
import type { EscalationReason, QueueSkill, ToolName } from '../../../contracts/conversation';
import type { Customer } from '../../../contracts/crm';

/** `language`: what speech recognition identified this turn as (a locale), when it identifies. */
export type CallerInput = { kind: 'text' | 'speech'; text: string; language?: string } | { kind: 'dtmf'; digits: string };

export interface HistoryEntry {
  speaker: 'caller' | 'ai';
  text: string;
}

/** What the brain may know about the caller: account data only once verified. */
export interface CallerView {
  phone: string;
  verified: boolean;
  /** A customer was proposed (by caller ID or a number the caller gave) and can be verified. */
  hasCandidate: boolean;
  verificationFailures: number;
  customer?: Customer;
}

export interface ToolOutcome<T = unknown> {
  ok: boolean;
  result: T;
}

/** Runs a tool through the policy guard and records it in the session log. */
export interface ToolRunner {
  call<T = unknown>(name: ToolName, args: Record<string, unknown>): Promise<ToolOutcome<T>>;
}

export interface KnowledgeLookup {
  search(question: string, limit?: number): Array<{
    article: { id: string; title: string; body: string; tags: string[] };
    score: number;
    confidence: number;
  }>;
  readonly confidenceThreshold: number;
}

export interface BrainTurn {
  turn: number;
  input: CallerInput;
  history: readonly HistoryEntry[];
  caller: CallerView;
  tools: ToolRunner;
  knowledge: KnowledgeLookup;
  /** The caller's previous call within the resume window; set only once they are verified. */
  readonly previousCall?: { topic: string; summary: string; startedAt: string } | undefined;
  /** The language the caller speaks (identified from speech or chosen by keypad); replies are in it. */
  readonly language?: { code: string; name: string };
}

/** A whole reply, decided at once (the local brain decides this way). */
export interface BrainReply {
  messages: string[];
  citations: string[];
  intent: string;
  queue: QueueSkill;
  /** False when the brain could not answer (feeds the low-confidence rule). */
  answered: boolean;
  knowledgeGap?: { question: string; bestScore: number };
  escalate?: { reason: EscalationReason; detail: string };
  endCall?: boolean;
}

/** What a model spent on one turn; the conversation turns it into an `ai.usage` event. */
export interface BrainUsage {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** From the request to the first text token (undefined when no text came). */
  firstTokenMs?: number;
  totalMs: number;
  /** Requests retried after a 429 or 5xx. */
  retries: number;
  costUsd: number;
}

/**
 * One step of a streamed AI turn. Text arrives as the brain writes it; the conversation
 * cuts it into sentences and guards each before it may be spoken.
 */
export type BrainEvent =
  | { type: 'text'; text: string }
  /** What the brain knows about the turn as a whole; may come before, between or after text. */
  | {
      type: 'assessment';
      intent?: string;
      queue?: QueueSkill;
      answered?: boolean;
      citations?: string[];
      knowledgeGap?: { question: string; bestScore: number };
    }
  | { type: 'tool'; name: ToolName; ok: boolean }
  | { type: 'escalate'; reason: EscalationReason; detail: string }
  | { type: 'usage'; usage: BrainUsage }
  /** This turn was answered by the fallback brain (the model was late or failed). */
  | { type: 'fallback'; provider: string; why: string }
  | { type: 'end'; endCall?: boolean };

export interface RespondOptions {
  /** Aborted on barge-in or hang-up: the provider request must stop. */
  signal?: AbortSignal;
}

/** The brain port: each turn is a stream of events, abortable at any point. */
export interface Brain {
  readonly provider: string;
  greet(opts: { companyName: string }): string;
  /** Whether this brain can answer in a language (a locale); absent: any (a model writes every language). */
  answersIn?(language: string): boolean;
  respond(turn: BrainTurn, opts?: RespondOptions): AsyncIterable<BrainEvent>;
}

/** A brain that decides a whole turn at once; `streamWholeTurns` fits it to the port. */
export interface WholeTurnBrain {
  readonly provider: string;
  greet(opts: { companyName: string }): string;
  answersIn?(language: string): boolean;
  respond(turn: BrainTurn): Promise<BrainReply>;
}
