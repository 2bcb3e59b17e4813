// Issue #17 (start-up): loading the ISC product's modules builds no zod schema. Fixture, state and route schemas are
// built on first use (core/lazy.ts): when a state is seeded, a fixture validated or the ISC routes register.
import { afterEach, describe, expect, it, vi } from 'vitest';

// every zod call made from a source file under src/isc/ (a wrapped `z` for the modules importing zod or
// @hono/zod-openapi; classes such as z.ZodObject are passed through untouched so instanceof checks still hold)
const counted = vi.hoisted(() => {
  const calls: string[] = [];
  const wrap = <T extends object>(z: T): T =>
    new Proxy(z, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function' || typeof key !== 'string' || !/^[a-z]/.test(key)) return value;
        return function (this: unknown, ...args: unknown[]) {
          const caller = (new Error().stack ?? '').split('\n')[2] ?? '';
          if (/[/\\]src[/\\]isc[/\\]/.test(caller)) calls.push(`${key} ${caller.trim()}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return { calls, wrap };
});

vi.mock('zod', async (importOriginal) => {
  const mod = await importOriginal<typeof import('zod')>();
  return { ...mod, z: counted.wrap(mod.z) };
});
vi.mock('@hono/zod-openapi', async (importOriginal) => {
  const mod = await importOriginal<typeof import('@hono/zod-openapi')>();
  return { ...mod, z: counted.wrap(mod.z), createRoute: (...a: Parameters<typeof mod.createRoute>) => {
    const caller = (new Error().stack ?? '').split('\n')[2] ?? '';
    if (/[/\\]src[/\\]isc[/\\]/.test(caller)) counted.calls.push(`createRoute ${caller.trim()}`);
    return mod.createRoute(...a);
  } };
});

afterEach(() => {
  counted.calls.length = 0;
});

describe('ISC modules build no zod schema when loaded', () => {
  it('importing the ISC areas builds nothing; their fixture accessors build on first call, once', async () => {
    vi.resetModules();
    const { iscAreas } = await import('../src/isc/index.js');
    expect(counted.calls).toEqual([]);
    for (const area of iscAreas) if (area.fixture) expect(area.fixture()).toBe(area.fixture());
    expect(counted.calls.length).toBeGreaterThan(0);
  });
});
