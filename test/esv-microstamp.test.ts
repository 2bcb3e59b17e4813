// ESV read stamps (aic/esv/state.ts microStamp): microseconds, trailing zeros dropped; memoized by text, so a repeat
// and a call after the memo starts over give the same answer as the first.
import { describe, expect, it } from 'vitest';
import { microStamp } from '../src/aic/esv/state.js';

describe('microStamp', () => {
  it('shows microseconds and is the same on every call', () => {
    const cases: Array<[string, string]> = [
      ['2025-10-09T04:55:05.56571647Z', '2025-10-09T04:55:05.565716Z'],
      ['2025-07-24T15:19:29.371242Z', '2025-07-24T15:19:29.371242Z'],
      ['2025-07-24T15:19:29.100000Z', '2025-07-24T15:19:29.1Z'],
      ['2025-07-24T15:19:29.000000Z', '2025-07-24T15:19:29Z'],
      ['2025-07-24T15:19:29Z', '2025-07-24T15:19:29Z'],
      ['not a stamp', 'not a stamp'],
    ];
    for (let round = 0; round < 2; round++) for (const [input, out] of cases) expect(microStamp(input)).toBe(out);
    // past the memo's bound it starts over and still answers the same
    for (let i = 0; i < 5000; i++) {
      const frac = String(i).padStart(6, '0');
      const want = frac.replace(/0+$/, '');
      expect(microStamp(`2025-01-01T00:00:00.${frac}9Z`)).toBe(want ? `2025-01-01T00:00:00.${want}Z` : '2025-01-01T00:00:00Z');
    }
    for (const [input, out] of cases) expect(microStamp(input)).toBe(out);
  });
});
