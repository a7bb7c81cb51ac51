/** `berth top`'s STIME column, as procps' ps -ef prints it. */
import { describe, expect, it } from 'vitest';
import { startTime } from '../../src/cli/top.js';

describe('startTime', () => {
  const now = new Date(2026, 10, 29, 8, 30);
  it('is HH:MM today, MonDD earlier this year, the year before that', () => {
    expect(startTime(new Date(2026, 10, 29, 7, 5).getTime(), now)).toBe('07:05');
    expect(startTime(new Date(2026, 10, 28, 23, 59).getTime(), now)).toBe('Nov28');
    expect(startTime(new Date(2026, 0, 3).getTime(), now)).toBe('Jan03');
    expect(startTime(new Date(2025, 11, 31).getTime(), now)).toBe('2025');
  });
});
