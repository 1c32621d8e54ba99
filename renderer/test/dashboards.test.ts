// Range presets, table sorting, CSV text and query building for the dashboards.
import { describe, expect, it } from 'vitest';
import { queryString, searchQueryParams } from '../src/dashboards/analytics-client';
import { csvCell, exportFilename, filenameFromDisposition, toCsv } from '../src/dashboards/csv-export';
import { figures, SENTIMENT_SCALE } from '../src/dashboards/figures';
import { gapHeading } from '../src/dashboards/gap-heading';
import { daysOf, parseDay, presetRange, rangeDays, rangeProblem } from '../src/dashboards/date-range';
import { ariaSort, nextSort, sortRows } from '../src/dashboards/sort-rows';
import { liveMs } from '../src/dashboards/wallboard-store';
import { screensFor } from '../src/state/view-store';

describe('date ranges', () => {
  const now = new Date('2025-03-10T23:30:00.000Z');
  it('presets end today (UTC) and include it', () => {
    expect(presetRange('today', now)).toEqual({ preset: 'today', from: '2025-03-10', to: '2025-03-10' });
    expect(presetRange('7d', now)).toEqual({ preset: '7d', from: '2025-03-04', to: '2025-03-10' });
    expect(rangeDays(presetRange('30d', now))).toBe(30);
  });
  it('crosses month and leap-day boundaries', () => {
    expect(presetRange('7d', new Date('2024-03-02T01:00:00Z')).from).toBe('2024-02-25');
    expect(daysOf({ from: '2024-02-28', to: '2024-03-01' })).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
  it('rejects impossible days, reversed and over-long ranges with a reason', () => {
    expect(parseDay('2025-02-30')).toBeNull();
    expect(rangeProblem({ from: '', to: '2025-01-01' })).toMatch(/start date/);
    expect(rangeProblem({ from: '2025-01-05', to: '2025-01-01' })).toMatch(/before the start/);
    expect(rangeProblem({ from: '2024-01-01', to: '2025-01-02' })).toMatch(/at most 366/);
    expect(rangeProblem({ from: '2024-01-01', to: '2024-12-31' })).toBeNull();
  });
});

describe('sorting', () => {
  const rows = [
    { name: 'bo', calls: 3, csat: null },
    { name: 'Al', calls: 10, csat: 4.5 },
    { name: 'cy', calls: 3, csat: 3.9 },
  ];
  const cell = (r: (typeof rows)[number], k: 'name' | 'calls' | 'csat') => r[k];
  it('sorts numbers numerically and text case-insensitively, stable on ties', () => {
    expect(sortRows(rows, { key: 'calls', direction: 'desc' }, cell).map((r) => r.name)).toEqual(['Al', 'bo', 'cy']);
    expect(sortRows(rows, { key: 'name', direction: 'asc' }, cell).map((r) => r.name)).toEqual(['Al', 'bo', 'cy']);
  });
  it('keeps blanks last in both directions', () => {
    expect(sortRows(rows, { key: 'csat', direction: 'asc' }, cell).map((r) => r.name)).toEqual(['cy', 'Al', 'bo']);
    expect(sortRows(rows, { key: 'csat', direction: 'desc' }, cell).map((r) => r.name)).toEqual(['Al', 'cy', 'bo']);
  });
  it('a new column starts in its natural direction; the same column flips', () => {
    const s = nextSort({ key: 'calls' as string, direction: 'desc' }, 'aht', 'asc');
    expect(s).toEqual({ key: 'aht', direction: 'asc' });
    expect(nextSort(s, 'aht')).toEqual({ key: 'aht', direction: 'desc' });
    expect(ariaSort(s, 'aht')).toBe('ascending');
    expect(ariaSort(s, 'calls')).toBe('none');
  });
});

describe('CSV', () => {
  it('quotes separators, quotes and newlines, and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x\ny']])).toBe('a,b\r\n1,"x\ny"\r\n');
  });
  it('takes the server file name when given, safely', () => {
    expect(filenameFromDisposition('attachment; filename="team.csv"', 'f.csv')).toBe('team.csv');
    expect(filenameFromDisposition("attachment; filename*=UTF-8''a%2Fb.csv", 'f.csv')).toBe('a_b.csv');
    expect(filenameFromDisposition(null, 'f.csv')).toBe('f.csv');
    expect(exportFilename('team', '2025-01-01', '2025-01-07')).toBe('switchboard-team-2025-01-01_2025-01-07.csv');
  });
});

describe('queries', () => {
  it('drops empty filters and maps to the server names', () => {
    const range = { preset: '7d' as const, from: '2025-01-01', to: '2025-01-07' };
    expect(queryString({ a: '', b: null, c: 0, d: 'x y' })).toBe('?c=0&d=x+y');
    expect(queryString({})).toBe('');
    expect(queryString(searchQueryParams({ range, agentId: 'u1', escalationReason: 'caller_request', hasRecording: 'true', q: '' }))).toBe(
      '?from=2025-01-01&to=2025-01-07&agent=u1&reason=caller_request&hasRecording=true',
    );
  });
});

describe('navigation and wallboard', () => {
  it('offers each role its screens', () => {
    expect(screensFor('agent')).toEqual(['desk', 'my-dashboard', 'my-sessions']);
    expect(screensFor('lead')).toEqual(['desk', 'team', 'ai-queue', 'wallboard', 'sessions']);
    expect(screensFor('admin')).toContain('admin');
    expect(screensFor('admin')).toContain('team');
  });
  it('ages a measured wait by the time since the snapshot', () => {
    expect(liveMs(5000, '2025-01-01T00:00:00.000Z', Date.parse('2025-01-01T00:00:03.000Z'))).toBe(8000);
    expect(liveMs(5000, '2025-01-01T00:00:10.000Z', Date.parse('2025-01-01T00:00:03.000Z'))).toBe(5000);
  });
});

describe('knowledge-gap headings', () => {
  it('read as the caller asked, never as word stems', () => {
    expect(gapHeading({ signature: 'gift|offer|wrap', examples: ['Do you offer gift wrapping?'] })).toBe('Do you offer gift wrapping?');
    expect(gapHeading({ signature: 'gift|offer|wrap', examples: [], topic: 'Gift wrapping' })).toBe('Gift wrapping');
    expect(gapHeading({ signature: 'gift|offer|wrap', examples: [] })).toBe('gift, offer, wrap');
  });
});

describe('sentiment figures', () => {
  it('state their scale wherever a number is defined', () => {
    for (const key of ['sentimentStart', 'sentimentEnd']) {
      const figure = figures.find((f) => f.key === key)!;
      expect(figure.definition).toContain(SENTIMENT_SCALE);
    }
    expect(SENTIMENT_SCALE).toMatch(/−5.*\+5/);
  });
});
