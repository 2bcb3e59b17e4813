// ESV read stamps (aic/esv/state.ts microStamp): microseconds, trailing zeros dropped; memoized by text, so a repeat
// and a call after the memo starts over give the same answer as the first.
import { describe, expect, it } from 'vitest';
import { microStamp, nanoStamp } from '../src/aic/esv/state.js';
import { testEmulator } from './helpers.js';

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

  it('a stamp nanoStamp just made reads the same as one parsed back (whole, zero and partial fractions)', () => {
    const env = testEmulator({ dataDir: undefined }).env('dev')!;
    // milliseconds with and without trailing zeros (the sub-millisecond digits vary with the salt and a counter)
    let zeroSub = false;
    for (const step of [0, 100, 20, 3]) {
      env.clock.advance(step);
      for (let i = 0; i < 5000; i++) {
        const stamp = nanoStamp(env, `esv-${i}`);
        const fresh = microStamp(stamp);
        // another stamp made since: the first one is read through the memo or parsed
        nanoStamp(env, 'other');
        const parsed = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(stamp)!;
        const frac = (parsed[2] ?? '').slice(0, 6).replace(/0+$/, '');
        expect(fresh, stamp).toBe(frac ? `${parsed[1]}.${frac}Z` : `${parsed[1]}Z`);
        expect(microStamp(stamp), stamp).toBe(fresh);
        // the nanosecond digits all zero: trimmed into the microseconds
        if (stamp.length - stamp.indexOf('.') <= 7) zeroSub = true;
      }
    }
    expect(zeroSub).toBe(true);
  });
});

describe('nanoStamp', () => {
  it('hashes its pieces as fnv1a of the joined text did (issue #17: the text is no longer built)', async () => {
    const { fnv1a } = await import('../src/core/ids.js');
    const env = testEmulator({ dataDir: undefined }).env('dev')!;
    const trim = (s: string) => {
      const t = s.replace(/0+$/, '');
      return t.endsWith('.') ? `${t.slice(0, -1)}Z` : `${t}Z`;
    };
    const salts = ['esv-a', '', 'esv-ünïcødé-😀', 'x|y', 'esv-' + 'long'.repeat(40)];
    let seq = 0;
    for (const step of [0, 1, 999, 123_456_789]) {
      env.clock.advance(step);
      for (let i = 0; i < 600; i++) {
        const salt = salts[i % salts.length]! + (i % 7 ? String(i) : '');
        const ms = env.clock.now();
        const stamp = nanoStamp(env, salt);
        seq++;
        const iso = new Date(ms).toISOString();
        const sub = String(fnv1a(`${env.name}|${salt}|${ms}|${seq}`) % 1_000_000).padStart(6, '0');
        expect(stamp).toBe(trim(`${iso.slice(0, 19)}.${iso.slice(20, 23)}${sub}`));
      }
    }
  });
});
