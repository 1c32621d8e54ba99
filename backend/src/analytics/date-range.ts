// Date ranges for dashboards: calendar days in UTC, both ends inclusive, at most
// MAX_RANGE_DAYS long. Errors name the parameter so a client knows what to fix.
import { MAX_RANGE_DAYS } from '../../../contracts/analytics-api';

export interface DayRange {
  from: string;
  to: string;
}

export type RangeResult = { ok: true; range: DayRange } | { ok: false; param: string; message: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function validDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(t) && utcDay(t) === value;
}

/** `range` is a preset (today, 7d, 30d, 90d) ending today; `from`/`to` override it. */
export function resolveRange(input: { from?: string | undefined; to?: string | undefined; range?: string | undefined }, nowMs = Date.now()): RangeResult {
  const today = utcDay(nowMs);
  let from = today;
  let to = today;
  if (input.range !== undefined) {
    const presets: Record<string, number> = { today: 1, '7d': 7, '30d': 30, '90d': 90 };
    const days = presets[input.range];
    if (days === undefined) return { ok: false, param: 'range', message: 'Query parameter range must be one of today, 7d, 30d, 90d.' };
    from = utcDay(nowMs - (days - 1) * DAY_MS);
  }
  if (input.from !== undefined) {
    if (!validDay(input.from)) return { ok: false, param: 'from', message: `Query parameter from must be a date YYYY-MM-DD (UTC), got "${input.from}".` };
    from = input.from;
  }
  if (input.to !== undefined) {
    if (!validDay(input.to)) return { ok: false, param: 'to', message: `Query parameter to must be a date YYYY-MM-DD (UTC), got "${input.to}".` };
    to = input.to;
  } else if (input.from !== undefined && input.range === undefined && from > to) {
    to = from;
  }
  if (from > to) return { ok: false, param: 'from', message: `Query parameter from (${from}) is after to (${to}).` };
  const days = daysBetween(from, to);
  if (days > MAX_RANGE_DAYS) {
    return { ok: false, param: 'to', message: `The date range spans ${days} days; the limit is ${MAX_RANGE_DAYS} days (1 year). Narrow from/to.` };
  }
  return { ok: true, range: { from, to } };
}

/** Days in [from, to], inclusive. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

export function eachDay(range: DayRange): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${range.from}T00:00:00Z`); utcDay(t) <= range.to; t += DAY_MS) out.push(utcDay(t));
  return out;
}

export function rangeStartIso(range: DayRange): string {
  return `${range.from}T00:00:00.000Z`;
}

/** The first instant after the range (exclusive bound). */
export function rangeEndIso(range: DayRange): string {
  return new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS).toISOString();
}
