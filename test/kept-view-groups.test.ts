// core/viewCache.ts keptView with groups (issue #17): answers are kept by area, group and key, dropped by any write
// (the store's version), by reset, and all together past the bound; a build that wrote is not kept.
import { describe, expect, it } from 'vitest';
import { keptView } from '../src/core/viewCache.js';
import { testEmulator } from './helpers.js';

describe('keptView', () => {
  it('keeps an answer per area, group and key until the state changes', () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    let builds = 0;
    const view = (area: string, key: string | undefined, group?: string) => keptView(env, area, key, () => `${area}|${group ?? ''}|${key}|${++builds}`, group);
    expect(view('a', 'k')).toBe('a||k|1');
    expect(view('a', 'k')).toBe('a||k|1');
    expect(view('a', 'k', '')).toBe('a||k|1');
    // another group, another area, another key: their own answers
    expect(view('a', 'k', 'g1')).toBe('a|g1|k|2');
    expect(view('a', 'k', 'g2')).toBe('a|g2|k|3');
    expect(view('b', 'k', 'g1')).toBe('b|g1|k|4');
    expect(view('a', 'k2', 'g1')).toBe('a|g1|k2|5');
    expect([view('a', 'k'), view('a', 'k', 'g1'), view('a', 'k', 'g2'), view('b', 'k', 'g1'), view('a', 'k2', 'g1')]).toEqual(['a||k|1', 'a|g1|k|2', 'a|g2|k|3', 'b|g1|k|4', 'a|g1|k2|5']);
    // no key: built every time
    expect(view('a', undefined)).toBe('a||undefined|6');
    expect(view('a', undefined)).toBe('a||undefined|7');
    // a write: everything is built again
    env.changed();
    expect(view('a', 'k', 'g1')).toBe('a|g1|k|8');
    expect(view('a', 'k')).toBe('a||k|9');
    expect(view('a', 'k', 'g1')).toBe('a|g1|k|8');
  });

  it('past 64 answers of an area it starts over, and keeps answering each key with its own answer', () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    let builds = 0;
    const view = (key: string, group: string) => keptView(env, 'bound', key, () => `${group}/${key}#${++builds}`, group);
    const first = view('k0', 'g0');
    for (let i = 1; i < 64; i++) view(`k${i}`, `g${i % 3}`);
    expect(view('k0', 'g0')).toBe(first); // 64 kept
    view('k64', 'g1'); // the 65th: starts over
    expect(view('k0', 'g0')).not.toBe(first);
    expect(view('k0', 'g0')).toMatch(/^g0\/k0#\d+$/);
    for (let i = 0; i < 200; i++) expect(view(`k${i % 90}`, `g${i % 4}`)).toMatch(new RegExp(`^g${i % 4}/k${i % 90}#\\d+$`));
  });

  it('an answer whose build wrote is not kept; reset forgets', () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    let builds = 0;
    const writing = () =>
      keptView(env, 'w', 'k', () => {
        env.changed();
        return ++builds;
      }, 'g');
    expect(writing()).toBe(1);
    expect(writing()).toBe(2);
    const plain = () => keptView(env, 'w', 'k', () => ++builds, 'g');
    expect(plain()).toBe(3);
    expect(plain()).toBe(3);
    env.forget();
    expect(plain()).toBe(4);
  });

  it('passes its argument to the build, kept or not', () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    const seen: unknown[] = [];
    const build = (arg: { n: number }) => {
      seen.push(arg);
      return `built with ${arg.n}`;
    };
    const a = { n: 1 };
    expect(keptView(env, 'arg', 'k', build, 'g', a)).toBe('built with 1');
    expect(keptView(env, 'arg', 'k', build, 'g', { n: 2 })).toBe('built with 1');
    expect(keptView(env, 'arg', undefined, build, 'g', { n: 3 })).toBe('built with 3');
    expect(seen.map((x) => (x as { n: number }).n)).toEqual([1, 3]);
    expect(seen[0]).toBe(a);
  });
});
