// The call life cycle ai → queued → offered → agent → wrap-up → ended: exactly these moves
// are possible (plus re-queue and ending from anywhere alive); everything else is refused.
import { describe, expect, it } from 'vitest';
import { conversationStates, type ConversationState } from '../../../contracts/conversation';
import { assertTransition, canTransition } from '../../src/conversation/state-machine';

const ALLOWED: Array<[ConversationState, ConversationState]> = [
  ['ai', 'queued'],
  ['ai', 'ended'],
  ['queued', 'offered'],
  ['queued', 'ended'],
  ['offered', 'agent'],
  ['offered', 'queued'],
  ['offered', 'ended'],
  ['agent', 'wrap-up'],
  ['agent', 'queued'],
  ['agent', 'ended'],
  ['wrap-up', 'ended'],
];

const key = (from: ConversationState, to: ConversationState) => `${from}->${to}`;
const allowedKeys = new Set(ALLOWED.map(([f, t]) => key(f, t)));
const REFUSED = conversationStates.flatMap((from) =>
  conversationStates.filter((to) => !allowedKeys.has(key(from, to))).map((to) => [from, to] as [ConversationState, ConversationState]),
);

describe('conversation state machine', () => {
  it.each(ALLOWED)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(REFUSED)('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(new RegExp(`"${from}" to "${to}"`));
  });

  it('refuses staying in the same state', () => {
    for (const s of conversationStates) expect(canTransition(s, s)).toBe(false);
  });

  it('never lets the AI hand a call straight to an agent or skip wrap-up backwards', () => {
    expect(canTransition('ai', 'agent')).toBe(false);
    expect(canTransition('ai', 'offered')).toBe(false);
    expect(canTransition('wrap-up', 'agent')).toBe(false);
    expect(canTransition('queued', 'ai')).toBe(false);
  });

  it('ended is terminal and the error says no move is allowed', () => {
    for (const to of conversationStates) expect(canTransition('ended', to)).toBe(false);
    expect(() => assertTransition('ended', 'ai')).toThrow(/allowed: none/);
  });

  it('the refusal names the allowed moves', () => {
    expect(() => assertTransition('queued', 'agent')).toThrow(/allowed: offered, ended/);
  });

  it('every live state can end (the caller can always hang up)', () => {
    for (const s of conversationStates.filter((x) => x !== 'ended')) expect(canTransition(s, 'ended')).toBe(true);
  });
});
