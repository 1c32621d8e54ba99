// Sorting for the dashboard tables: by any column, numbers numerically, text by the
// viewer's collation, and rows without a figure (no calls, no CSAT) always last whichever
// way the column is sorted, so "best first" never starts with blanks. Pure, for Node tests.

export type SortDirection = 'asc' | 'desc';

export interface SortState<K extends string> {
  key: K;
  direction: SortDirection;
}

type Cell = string | number | null | undefined;

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function blank(v: Cell): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || v === '';
}

export function compareCells(a: Cell, b: Cell, direction: SortDirection): number {
  const ab = blank(a);
  const bb = blank(b);
  if (ab || bb) return ab === bb ? 0 : ab ? 1 : -1;
  const sign = direction === 'asc' ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return sign * (a - b);
  return sign * collator.compare(String(a), String(b));
}

/** A sorted copy; ties keep their original order (Array.prototype.sort is stable). */
export function sortRows<R, K extends string>(
  rows: readonly R[],
  sort: SortState<K>,
  cell: (row: R, key: K) => Cell,
): R[] {
  return [...rows].sort((x, y) => compareCells(cell(x, sort.key), cell(y, sort.key), sort.direction));
}

/** Clicking a header: a new column starts in its natural direction, the same column flips. */
export function nextSort<K extends string>(
  current: SortState<K>,
  key: K,
  naturalDirection: SortDirection = 'desc',
): SortState<K> {
  if (current.key !== key) return { key, direction: naturalDirection };
  return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
}

export function ariaSort<K extends string>(
  current: SortState<K>,
  key: K,
): 'ascending' | 'descending' | 'none' {
  if (current.key !== key) return 'none';
  return current.direction === 'asc' ? 'ascending' : 'descending';
}
