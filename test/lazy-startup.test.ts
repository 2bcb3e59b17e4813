// Start-up with the shipped seed, and health checks on every listener, build no lazily built value (core/lazy.ts: the
// zod schemas of fixtures, states and routes): they are built when a product's routes register or a state is seeded
// (issue #17: cold start). A fresh module graph per test, so nothing built by another test hides a regression.
import { describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';

async function fresh() {
  vi.resetModules();
  const { lazyBuilds } = await import('../src/core/lazy.js');
  const { createEmulator } = await import('../src/emulator.js');
  const { listen } = await import('../src/server.js');
  return { lazyBuilds, createEmulator, listen };
}

const get = (port: number, path: string, headers: Record<string, string> = {}) =>
  new Promise<number>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
  });

/** Whether re2js (src/core/re2.ts) has been loaded in this worker. */
const re2Loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes(`${'/'}re2js${'/'}`));

describe('what start-up builds', () => {
  it('start-up, health checks and API calls leave re2js unloaded until a pattern needs it', async () => {
    const { createEmulator, listen } = await fresh();
    const emu = createEmulator({ port: 0 });
    const l = await listen(emu);
    try {
      for (const env of emu.environments) expect(await get(env.port!, '/monitoring/health')).toBe(200);
      expect(await get(emu.env('dev')!.port!, '/environment/variables')).toBe(401);
      expect(re2Loaded()).toBe(false);
      // and no module imports it for its value (an ESM import would load it with the bundle): src/core/re2.ts requires it
      const eager = readdirSync(new URL('../src', import.meta.url), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .filter((f) => /^\s*import\s+(?!type\b)[^;]*from\s+'re2js'/m.test(readFileSync(new URL(`../src/${f}`, import.meta.url), 'utf8')));
      expect(eager).toEqual([]);
      const res = await emu.request('dev', '/__emulator/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '^/nothing-[0-9]+$', status: 503 }) });
      expect(res.status).toBe(201);
      expect(re2Loaded()).toBe(true);
    } finally {
      await l.close();
    }
  });


  it('loading the modules, creating the emulator, listening and answering health checks build no lazy value', async () => {
    const { lazyBuilds, createEmulator, listen } = await fresh();
    expect(lazyBuilds()).toBe(0);
    const emu = createEmulator({ port: 0 });
    const l = await listen(emu);
    try {
      for (const env of emu.environments) expect(await get(env.port!, '/monitoring/health')).toBe(200);
      expect(lazyBuilds()).toBe(0);
      // the first API call registers the product's routes, which build their schemas
      expect(await get(emu.env('dev')!.port!, '/environment/variables')).toBe(401);
      expect(lazyBuilds()).toBeGreaterThan(0);
    } finally {
      await l.close();
    }
  });

  it('in-process: creating builds nothing; the first call (which sees every route) builds what it needs', async () => {
    const { lazyBuilds, createEmulator } = await fresh();
    const emu = createEmulator({});
    expect(lazyBuilds()).toBe(0);
    const token = (await (await emu.request('dev', '/__emulator/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env: 'dev', subject: 'test-service-account', scopes: ['fr:idc:esv:read'] }) })).json()) as { access_token: string };
    const res = await emu.request('dev', '/environment/variables', { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: unknown[] }).result.length).toBeGreaterThan(0);
    expect(lazyBuilds()).toBeGreaterThan(0);
  });
});
