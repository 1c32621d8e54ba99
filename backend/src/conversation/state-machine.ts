// The call's life: ai → queued → offered → agent → wrap-up → ended. Only these moves are
// possible; anything else is a bug in the caller of transition() and is refused.
import type { ConversationState } from '../../../contracts/conversation';

const ALLOWED: Record<ConversationState, ConversationState[]> = {
  ai: ['queued', 'ended'],
  queued: ['offered', 'ended'],
  offered: ['agent', 'queued', 'ended'],
  agent: ['wrap-up', 'queued', 'ended'],
  'wrap-up': ['ended'],
  ended: [],
};

export function canTransition(from: ConversationState, to: ConversationState): boolean {
  return ALLOWED[from].includes(to);
}

export function assertTransition(from: ConversationState, to: ConversationState): void {
  if (!canTransition(from, to)) {
    throw new Error(`A conversation cannot move from "${from}" to "${to}"; allowed: ${ALLOWED[from].join(', ') || 'none'}.`);
  }
}
