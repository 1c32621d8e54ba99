// The date range every dashboard and the session list share: a preset (today, 7 or 30 days)
// or a custom pair of calendar days. Days are UTC days, because the server buckets sessions
// by the UTC day they started (contracts/analytics-api.ts); the range picker says so, so a
// lead west of Greenwich is not surprised that "today" rolls over in the evening.
// Pure, for Node tests.
import { MAX_RANGE_DAYS } from '../../../contracts/analytics-api';

export type RangePreset = 'today' | '7d' | '30d' | 'custom';

export interface DateRange {
  preset: RangePreset;
  /** First day, YYYY-MM-DD (UTC), inclusive. */
  from: string;
  /** Last day, YYYY-MM-DD (UTC), inclusive. */
  to: string;
}

export const presetLabels: Record<RangePreset, string> = {
  today: 'Today',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  custom: 'Custom',
};

const DAY_MS = 86_400_000;

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Midnight UTC at the start of a day; null for anything that is not a real YYYY-MM-DD. */
export function parseDay(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const date = new Date(`${day}T00:00:00.000Z`);
  return Number.isFinite(date.getTime()) && utcDay(date) === day ? date : null;
}

/** "Last 7 days" includes today: today and the six days before it. */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, now: Date): DateRange {
  const span = preset === 'today' ? 1 : preset === '7d' ? 7 : 30;
  return { preset, from: utcDay(new Date(now.getTime() - (span - 1) * DAY_MS)), to: utcDay(now) };
}

/** Whole days in the range, both ends included; 0 when either end is not a day. */
export function rangeDays(range: Pick<DateRange, 'from' | 'to'>): number {
  const from = parseDay(range.from);
  const to = parseDay(range.to);
  if (!from || !to) return 0;
  return Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
}

/** Why a custom range cannot be used, in words for the form; null when it is fine. */
export function rangeProblem(range: Pick<DateRange, 'from' | 'to'>): string | null {
  const from = parseDay(range.from);
  const to = parseDay(range.to);
  if (!from) return 'Enter a start date.';
  if (!to) return 'Enter an end date.';
  if (to < from) return 'The end date is before the start date. Pick a later end date.';
  if (rangeDays(range) > MAX_RANGE_DAYS)
    return `Pick at most ${MAX_RANGE_DAYS} days; export longer periods in pieces.`;
  return null;
}

/** Every day in the range, for labelling trend charts. */
export function daysOf(range: Pick<DateRange, 'from' | 'to'>): string[] {
  const from = parseDay(range.from);
  const days = Math.min(rangeDays(range), MAX_RANGE_DAYS);
  if (!from) return [];
  return Array.from({ length: days }, (_, i) => utcDay(new Date(from.getTime() + i * DAY_MS)));
}

/** "12 Mar" for chart axes: short, and the same for every viewer. */
export function shortDay(day: string): string {
  const date = parseDay(day);
  return date
    ? date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' })
    : day;
}

/** Query parameters for a range, in the order the server documents them. */
export function rangeParams(range: Pick<DateRange, 'from' | 'to'>): Record<string, string> {
  return { from: range.from, to: range.to };
}
