// Presence time for occupancy: which presence_day column each routing presence adds to, and
// splitting an interval at UTC midnight so each day gets its own share.
export type PresenceName = 'offline' | 'available' | 'on_call' | 'wrap_up' | 'away';

export const PRESENCE_COLUMNS: Record<PresenceName, string | undefined> = {
  offline: undefined,
  available: 'available_ms',
  on_call: 'on_call_ms',
  wrap_up: 'wrap_up_ms',
  away: 'away_ms',
};

const DAY_MS = 86_400_000;

export function splitByDay(fromMs: number, toMs: number): Array<{ day: string; ms: number }> {
  const parts: Array<{ day: string; ms: number }> = [];
  let t = fromMs;
  while (t < toMs) {
    const dayEnd = (Math.floor(t / DAY_MS) + 1) * DAY_MS;
    const end = Math.min(toMs, dayEnd);
    parts.push({ day: new Date(t).toISOString().slice(0, 10), ms: end - t });
    t = end;
  }
  return parts;
}
