// Issue #17 (start-up): loading the AIC product's modules builds no zod schema. Fixture, state and route schemas are
// built on first use (core/lazy.ts): when a state is seeded, a fixture validated or the AIC routes register.
import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';

// every zod call made from a source file under src/aic/ (a wrapped `z` for the modules importing zod or
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
          if (/[/\\]src[/\\]aic[/\\]/.test(caller)) calls.push(`${key} ${caller.trim()}`);
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
    if (/[/\\]src[/\\]aic[/\\]/.test(caller)) counted.calls.push(`createRoute ${caller.trim()}`);
    return mod.createRoute(...a);
  } };
});

afterEach(() => {
  counted.calls.length = 0;
});

describe('AIC zod schemas are built on first use', () => {
  it('importing the AIC areas builds nothing; their fixture accessors build on first call, once', async () => {
    vi.resetModules();
    const { aicAreas } = await import('../src/aic/index.js');
    expect(counted.calls).toEqual([]);
    for (const area of aicAreas) if (area.fixture) expect(area.fixture()).toBe(area.fixture());
    expect(counted.calls.length).toBeGreaterThan(0);
  });

  it('start-up and health checks on the AIC listeners build none; the first API request builds the route schemas', async () => {
    vi.resetModules();
    const { createEmulator } = await import('../src/emulator.js');
    const { listen } = await import('../src/server.js');
    const get = (port: number, path: string) =>
      new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => (res.resume(), resolve(res.statusCode!))).on('error', reject);
      });
    const emu = createEmulator({ port: 0 });
    const l = await listen(emu);
    try {
      for (const env of emu.environments) if (env.product === 'aic') expect(await get(env.port!, '/monitoring/health')).toBe(200);
      expect(counted.calls).toEqual([]);
      expect(await get(emu.env('dev')!.port!, '/environment/variables')).toBe(401);
      expect(counted.calls.length).toBeGreaterThan(0);
    } finally {
      await l.close();
    }
  });
});
