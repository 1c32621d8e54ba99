// Plain readings of caller text the policy needs whatever brain decides the turn: the
// normalized utterance its rules match against, and the queue (skill) a person would need.
// Kept here, apart from the local brain's intent rules, so swapping brains never moves policy.
import type { QueueSkill } from '../../../contracts/conversation';

const BILLING_WORDS = new Set(['refund', 'refunds', 'charge', 'charged', 'payment', 'pay', 'invoice', 'billing', 'bill', 'price', 'card', 'fraud', 'credit', 'gift']);
const ORDER_WORDS = new Set(['order', 'orders', 'delivery', 'shipping', 'shipped', 'package', 'return', 'returns', 'cancel', 'tracking', 'parcel', 'exchange']);

export function normalizeUtterance(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[‐-―]/g, '-')
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/** The skill a person would need for this topic: billing, orders, or general. */
export function queueFor(text: string): QueueSkill {
  const tokens = words(text);
  if (tokens.some((t) => BILLING_WORDS.has(t))) return 'billing';
  if (tokens.some((t) => ORDER_WORDS.has(t))) return 'orders';
  return 'general';
}
