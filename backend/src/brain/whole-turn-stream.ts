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
    ...(brain.answersIn ? { answersIn: (language: string) => brain.answersIn!(language) } : {}),
    async *respond(turn: BrainTurn, opts?: RespondOptions): AsyncIterable<BrainEvent> {
      opts?.signal?.throwIfAborted();
      const wasVerified = turn.caller.verified;
      const reply = await brain.respond(turn);
      opts?.signal?.throwIfAborted();
      // Just verified, and they called recently: offer to pick up where they left off.
      const previous = !wasVerified && turn.caller.verified ? turn.previousCall : undefined;
      yield* replyEvents(previous ? { ...reply, messages: [...reply.messages, resumeOffer(previous.topic)] } : reply);
    },
  };
}

/** The line a brain without a model says to a verified caller who rang recently. */
export function resumeOffer(topic: string): string {
  return `I see you called recently about "${topic}". If that's why you're calling, tell me and we can pick up from there.`;
}
