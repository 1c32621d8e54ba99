// Offer countdown and wait-time wording.
import { describe, expect, it } from 'vitest';
import { escalationReasonLabel, formatDate, formatDateTime, formatDuration, formatElapsed, formatMoney, formatTime, offerCountdown } from '../src/state/format';

describe('formatDuration', () => {
  it('formats m:ss and h:mm:ss, clamping negatives', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(59_999)).toBe('0:59');
    expect(formatDuration(61_000)).toBe('1:01');
    expect(formatDuration(3_600_000 + 5_000)).toBe('1:00:05');
    expect(formatDuration(-5_000)).toBe('0:00');
  });
});

describe('offerCountdown', () => {
  const expires = '2025-01-01T00:00:20.000Z';
  const t = (s: number) => Date.parse('2025-01-01T00:00:00.000Z') + s * 1000;

  it('rounds up so a live offer never shows 0', () => {
    expect(offerCountdown(expires, t(0))).toEqual({
      secondsLeft: 20,
      label: '0:20',
      expired: false,
      urgent: false,
    });
    expect(offerCountdown(expires, t(19.9)).secondsLeft).toBe(1);
    expect(offerCountdown(expires, t(19.9)).expired).toBe(false);
  });

  it('turns urgent at 5 s and expired at 0', () => {
    expect(offerCountdown(expires, t(15)).urgent).toBe(true);
    expect(offerCountdown(expires, t(14)).urgent).toBe(false);
    expect(offerCountdown(expires, t(25))).toMatchObject({ secondsLeft: 0, label: '0:00', expired: true });
  });

  it('treats an unreadable date as expired', () => {
    expect(offerCountdown('soon', t(0)).expired).toBe(true);
  });
});

describe('wording', () => {
  it('shows the wait since enqueue and readable reasons', () => {
    expect(formatElapsed('2025-01-01T00:00:00.000Z', Date.parse('2025-01-01T00:02:05.000Z'))).toBe('2:05');
    expect(escalationReasonLabel('verification_failed')).toBe('Identity could not be verified');
    expect(escalationReasonLabel('something_new')).toBe('something new');
  });
});

describe('one date format and one currency', () => {
  it('formats dates as YYYY-MM-DD (HH:MM) and amounts with their currency', () => {
    const local = new Date(2026, 10, 29, 14, 5, 9).toISOString();
    expect(formatDate(local)).toBe('2026-11-29');
    expect(formatDate('2026-12-01')).toBe('2026-12-01');
    expect(formatDateTime(local)).toBe('2026-11-29 14:05');
    expect(formatTime(local)).toBe('14:05');
    expect(formatTime(local, true)).toBe('14:05:09');
    expect(formatDate('not a date')).toBe('–');
    expect(formatMoney(1234.5)).toBe('$1,234.50');
  });
});
