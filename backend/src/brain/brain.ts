// The brain port: decides each AI turn. Providers (local rules + knowledge retrieval,
// OpenAI-compatible models) implement it; the conversation wraps every provider in the
// same policy, so no provider can disclose data or trap a caller.
import type { EscalationReason, QueueSkill, ToolName } from '../../../contracts/conversation';
import type { Customer } from '../../../contracts/crm';

export type CallerInput = { kind: 'text' | 'speech'; text: string } | { kind: 'dtmf'; digits: string };

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
}

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

export interface Brain {
  readonly provider: string;
  greet(opts: { companyName: string }): string;
  respond(turn: BrainTurn): Promise<BrainReply>;
}
