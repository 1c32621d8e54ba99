// Fits a brain that decides whole turns (the local brain) to the streaming port: what it
// knows about the turn comes first, so the conversation's rules that depend on it (an
// unanswered turn, an escalation) apply before any sentence is released.
import type { Brain, BrainEvent, BrainReply, BrainTurn, RespondOptions, WholeTurnBrain } from './brain';

/** The events a whole reply stands for, in the order the conversation needs them. */
export function* replyEvents(reply: BrainReply): Generator<BrainEvent> {
  yield {
    type: 'assessment',
    intent: reply.intent,
    queue: reply.queue,
    answered: reply.answered,
    citations: reply.citations,
    ...(reply.knowledgeGap ? { knowledgeGap: reply.knowledgeGap } : {}),
  };
  if (reply.escalate) yield { type: 'escalate', ...reply.escalate };
  const text = reply.messages.filter((m) => m.trim()).join('\n');
  if (text) yield { type: 'text', text };
  yield { type: 'end', ...(reply.endCall ? { endCall: true } : {}) };
}

export function streamWholeTurns(brain: WholeTurnBrain): Brain {
  return {
    provider: brain.provider,
    greet: (opts) => brain.greet(opts),
    async *respond(turn: BrainTurn, opts?: RespondOptions): AsyncIterable<BrainEvent> {
      opts?.signal?.throwIfAborted();
      const reply = await brain.respond(turn);
      opts?.signal?.throwIfAborted();
      yield* replyEvents(reply);
    },
  };
}
