// Issue #17 (start-up): loading the AIC and ISC products' modules builds no zod schema. Fixture, state and route schemas
// are built on first use (core/lazy.ts): when a state is seeded, a fixture validated or a product's routes register.
import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';

type Product = 'aic' | 'isc';

// every zod call made from a source file under src/aic/ or src/isc/, by product (a wrapped `z` for the modules
// importing zod or @hono/zod-openapi; classes such as z.ZodObject are passed through untouched so instanceof checks
// still hold)
const counted = vi.hoisted(() => {
  const calls: Record<Product, string[]> = { aic: [], isc: [] };
  const record = (what: string) => {
    const caller = (new Error().stack ?? '').split('\n')[3] ?? '';
    const m = /[/\\]src[/\\](aic|isc)[/\\]/.exec(caller);
    if (m) calls[m[1] as Product].push(`${what} ${caller.trim()}`);
  };
  const wrap = <T extends object>(z: T): T =>
    new Proxy(z, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function' || typeof key !== 'string' || !/^[a-z]/.test(key)) return value;
        return function (this: unknown, ...args: unknown[]) {
          record(key);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return { calls, record, wrap };
});

vi.mock('zod', async (importOriginal) => {
  const mod = await importOriginal<typeof import('zod')>();
  return { ...mod, z: counted.wrap(mod.z) };
});
vi.mock('@hono/zod-openapi', async (importOriginal) => {
  const mod = await importOriginal<typeof import('@hono/zod-openapi')>();
  return {
    ...mod,
    z: counted.wrap(mod.z),
    createRoute: (...a: Parameters<typeof mod.createRoute>) => {
      counted.record('createRoute');
      return mod.createRoute(...a);
    },
  };
});

afterEach(() => {
  counted.calls.aic.length = 0;
  counted.calls.isc.length = 0;
});

const get = (port: number, path: string) =>
  new Promise<number>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => (res.resume(), resolve(res.statusCode!))).on('error', reject);
  });

describe('AIC and ISC zod schemas are built on first use', () => {
  for (const product of ['aic', 'isc'] as const) {
    it(`importing the ${product.toUpperCase()} areas builds nothing; their fixture accessors build on first call, once`, async () => {
      vi.resetModules();
      const areas = product === 'aic' ? (await import('../src/aic/index.js')).aicAreas : (await import('../src/isc/index.js')).iscAreas;
      expect(counted.calls[product]).toEqual([]);
      for (const area of areas) if (area.fixture) expect(area.fixture()).toBe(area.fixture());
      expect(counted.calls[product].length).toBeGreaterThan(0);
    });
  }

  it("start-up and health checks on every listener build none; a product's first API request builds its route schemas", async () => {
    vi.resetModules();
    const { createEmulator } = await import('../src/emulator.js');
    const { listen } = await import('../src/server.js');
    const emu = createEmulator({ port: 0 });
    const l = await listen(emu);
    try {
      for (const env of emu.environments) expect(await get(env.port!, '/monitoring/health')).toBe(200);
      expect(counted.calls).toEqual({ aic: [], isc: [] });
      expect(await get(emu.env('dev')!.port!, '/environment/variables')).toBe(401);
      expect(counted.calls.aic.length).toBeGreaterThan(0);
      expect(await get(emu.isc.port!, '/v3/certifications')).toBe(401);
      expect(counted.calls.isc.length).toBeGreaterThan(0);
    } finally {
      await l.close();
    }
  });
});
