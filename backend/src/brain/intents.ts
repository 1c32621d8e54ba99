// What the caller wants, from keyword rules the local brain can run with no network:
// an intent name, the queue (skill) a person would need if it came to that, and whether
// the request is about the caller's own account (which needs verification first).
import type { QueueSkill } from '../../../contracts/conversation';
import { tokenize } from './slots';

export type IntentName =
  | 'greeting'
  | 'goodbye'
  | 'affirm'
  | 'deny'
  | 'order_status'
  | 'list_orders'
  | 'create_ticket'
  | 'callback'
  | 'account_details'
  | 'verify'
  | 'question';

export interface Intent {
  name: IntentName;
  queue: QueueSkill;
  /** True when answering discloses something from the caller's account. */
  accountSpecific: boolean;
}

interface Rule {
  name: IntentName;
  queue: QueueSkill;
  accountSpecific: boolean;
  patterns: RegExp[];
}

// Order matters: the first rule that matches wins.
const RULES: Rule[] = [
  {
    name: 'callback',
    queue: 'general',
    accountSpecific: false,
    patterns: [/\bcall(ing)? me back\b/, /\bcall ?back\b/, /\bring me back\b/],
  },
  {
    name: 'list_orders',
    queue: 'orders',
    accountSpecific: true,
    patterns: [/\b(my|recent|all|last) orders\b/, /\bwhat (did|have) i (order|bought|buy)/, /\border history\b/, /\blist .*orders\b/],
  },
  {
    name: 'order_status',
    queue: 'orders',
    accountSpecific: true,
    patterns: [
      /\bwhere('?s| is) my (order|package|parcel|delivery|stuff|headset|item)/,
      /\border status\b/,
      /\bstatus of (my|the) order\b/,
      /\b(track|tracking)\b.*\b(order|package|parcel)\b/,
      /\bwhen (will|does|is) my (order|package|delivery)/,
      /\bhas my order\b/,
      /\b(check|about) (on )?my order\b/,
      /\bo-?\d{3,8}\b/,
    ],
  },
  {
    name: 'create_ticket',
    queue: 'general',
    accountSpecific: true,
    patterns: [/\b(open|create|file|raise|log) (a |an )?(support )?(ticket|case|report)\b/, /\breport (a|an) (problem|issue)\b/],
  },
  {
    name: 'account_details',
    queue: 'general',
    accountSpecific: true,
    patterns: [
      /\bwhat('?s| is) my (name|address|email|phone|account|date of birth|zip)/,
      /\b(read|tell|give) me (my|the) (account|details|address|email|notes|information|info)/,
      /\bwho am i\b/,
      /\bmy account (details|information|info)\b/,
      /\bwhat do you (have|know) (on|about) me\b/,
      /\b(read|tell|give) me .*customer\b/,
      /\bcustomer \w+'?s? (details|address|orders|account|information|info|email|phone)/,
      /\b(address|email|e-mail|phone( number)?|date of birth|birthday|zip( code)?) (do you have )?(on file|on (my|the) account|you have)\b/,
      /\bwhat('?s| is) the (address|email|phone|zip)\b/,
    ],
  },
  { name: 'goodbye', queue: 'general', accountSpecific: false, patterns: [/^(ok(ay)? )?(bye|goodbye|good bye)\b/, /\b(that'?s|that is) (all|it|everything)\b/, /\bno,? (thanks|thank you)\b/, /^(thanks|thank you)( so much| very much)?,? (bye|goodbye)/, /\bhang up\b/, /\bnothing else\b/] },
  { name: 'affirm', queue: 'general', accountSpecific: false, patterns: [/^(yes|yeah|yep|sure|please|ok|okay|yes please|please do|go ahead|correct|that'?s right)[.!]?$/] },
  { name: 'deny', queue: 'general', accountSpecific: false, patterns: [/^(no|nope|no thanks|not now|no thank you)[.!]?$/] },
  { name: 'greeting', queue: 'general', accountSpecific: false, patterns: [/^(hi|hello|hey|good (morning|afternoon|evening))( there)?[.!]?$/] },
];

const BILLING_WORDS = new Set(['refund', 'refunds', 'charge', 'charged', 'payment', 'pay', 'invoice', 'billing', 'bill', 'price', 'card', 'fraud', 'credit', 'gift']);
const ORDER_WORDS = new Set(['order', 'orders', 'delivery', 'shipping', 'shipped', 'package', 'return', 'returns', 'cancel', 'tracking', 'parcel', 'exchange']);

export function normalizeUtterance(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

export function detectIntent(text: string): Intent {
  // Punctuation is the recognizer's or the typist's, not the caller's intent: "Okay, bye."
  const normalized = normalizeUtterance(text)
    .replace(/[^a-z0-9' -]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (const rule of RULES) {
    if (rule.patterns.some((p) => p.test(normalized))) {
      return { name: rule.name, queue: rule.queue, accountSpecific: rule.accountSpecific };
    }
  }
  return { name: 'question', queue: queueFor(text), accountSpecific: false };
}

/** The skill a person would need for this topic: billing, orders, or general. */
export function queueFor(text: string): QueueSkill {
  const tokens = tokenize(text);
  if (tokens.some((t) => BILLING_WORDS.has(t))) return 'billing';
  if (tokens.some((t) => ORDER_WORDS.has(t))) return 'orders';
  return 'general';
}
