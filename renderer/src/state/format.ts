// Display wording shared by the offer card, the brief and the wrap-up: durations, countdowns,
// escalation reasons. Pure functions so they are unit-tested in Node.
import type { EscalationReason } from '../../../contracts/conversation';

/** "m:ss" under an hour, "h:mm:ss" above; negative spans show as 0:00. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Time since an ISO instant, e.g. the caller's wait since `enqueuedAt`. */
export function formatElapsed(sinceIso: string, nowMs: number): string {
  const since = Date.parse(sinceIso);
  return Number.isFinite(since) ? formatDuration(nowMs - since) : '–';
}

export interface Countdown {
  /** Whole seconds left, rounded up so the display never shows 0 while time remains. */
  secondsLeft: number;
  label: string;
  expired: boolean;
  /** Under 5 seconds: the card turns urgent. */
  urgent: boolean;
}

/** Time left until an ISO instant such as an offer's `expiresAt`. */
export function offerCountdown(expiresAtIso: string, nowMs: number): Countdown {
  const expires = Date.parse(expiresAtIso);
  if (!Number.isFinite(expires)) return { secondsLeft: 0, label: '–', expired: true, urgent: true };
  const secondsLeft = Math.max(0, Math.ceil((expires - nowMs) / 1000));
  return {
    secondsLeft,
    label: formatDuration(secondsLeft * 1000),
    expired: secondsLeft === 0,
    urgent: secondsLeft <= 5,
  };
}

const reasonLabels: Record<EscalationReason, string> = {
  caller_request: 'Caller asked for a person',
  negative_sentiment: 'Caller is upset',
  low_confidence: 'AI was not sure how to help',
  policy_topic: 'Topic needs a person (policy)',
  verification_failed: 'Identity could not be verified',
  ai_error: 'AI had a technical problem',
  max_turns: 'Conversation went on too long',
  language: 'Caller needs a person who speaks their language',
};

/** Human wording for an escalation reason; unknown codes pass through readable. */
export function escalationReasonLabel(reason: string): string {
  return (reasonLabels as Record<string, string>)[reason] ?? reason.replaceAll('_', ' ');
}

const queueLabels: Record<string, string> = { billing: 'Billing', orders: 'Orders', general: 'General' };

export function queueLabel(queue: string): string {
  return queueLabels[queue] ?? queue;
}

// ---- one date format and one currency across the app ---------------------------------------

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2026-11-29": unambiguous whatever the machine's locale. A date-only ISO string stays as given. */
export function formatDate(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "2026-11-29 14:05", local time. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : `${formatDate(iso)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "14:05" (or "14:05:09" with seconds), local time. */
export function formatTime(iso: string, seconds = false): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`;
}

/** The CRM's amounts are US dollars (Brightline Audio sells in the US). */
export const CURRENCY = 'USD';
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: CURRENCY });

/** "$1,234.50": every amount with its currency. */
export function formatMoney(amount: number): string {
  return money.format(amount);
}
