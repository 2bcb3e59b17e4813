// uuid() (core/ids.ts, issue #17): a random version-4 UUID written straight into one string — the form and spread
// crypto.randomUUID() gives: lower-case hex, dashes at 8/13/18/23, version 4, variant 10, no repeats, every digit
// position evenly spread.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { uuid } from '../src/core/ids.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid', () => {
  it('answers random v4 UUIDs in randomUUID’s form', () => {
    const n = 60_000;
    const seen = new Set<string>();
    // per text position: how often each hex digit appears
    const counts = Array.from({ length: 36 }, () => new Map<string, number>());
    for (let i = 0; i < n; i++) {
      const id = uuid();
      expect(id.length).toBe(36);
      if (!V4.test(id)) expect(id).toMatch(V4);
      seen.add(id);
      for (let k = 0; k < 36; k++) counts[k]!.set(id[k]!, (counts[k]!.get(id[k]!) ?? 0) + 1);
    }
    expect(seen.size).toBe(n);
    expect(randomUUID()).toMatch(V4);
    for (let k = 0; k < 36; k++) {
      const m = counts[k]!;
      if ([8, 13, 18, 23].includes(k)) expect([...m.keys()]).toEqual(['-']);
      else if (k === 14) expect([...m.keys()]).toEqual(['4']);
      else {
        // 16 digits (4 for the variant's), each within ±10% of its share
        const digits = k === 19 ? 4 : 16;
        expect(m.size, `position ${k}`).toBe(digits);
        for (const c of m.values()) expect(Math.abs(c - n / digits), `position ${k}`).toBeLessThan((n / digits) * 0.1);
      }
    }
  });

  it('two calls never share a string being rewritten (each answer is its own)', () => {
    const a = uuid();
    const copy = `${a}`;
    for (let i = 0; i < 1000; i++) uuid();
    expect(a).toBe(copy);
  });
});
