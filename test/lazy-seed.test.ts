// Start-up does lazily what a health check does not need (issue #17): the shipped seed's environments are parsed member
// by member on first read (fixtures/lazy.ts), an environment's state is built when something first reads it
// (EnvStore.defer), and a product's routes are registered on its first request that is not a listener's health check
// (Emulator.appOf). Each must give exactly what the eager path gave: the same fixture, state, route table and answers.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { createEmulator, DEFAULT_SEED, DEFAULT_SEED_HASH, type Emulator } from '../src/emulator.js';
import { listen } from '../src/server.js';
import { openApiDocument } from '../src/openapi.js';
import { lazyFixture, lazyFixtureFromBytes, seedLayout } from '../src/fixtures/lazy.js';
import { readFixtureSource } from '../src/fixtures/load.js';
import { buildState } from '../src/fixtures/seed.js';
import { logsState, maxEntries, retentionStart } from '../src/aic/logs/state.js';

const text = readFileSync(DEFAULT_SEED, 'latin1');

describe('lazy fixture of the shipped seed', () => {
  it('equals JSON.parse of the text: same keys, same order, same values', () => {
    const lazy = lazyFixture(text);
    expect(lazy).toBeDefined();
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(JSON.parse(text)));
    expect(lazy).toEqual(JSON.parse(text));
  });

  it('parses a large member once, on first read, and then holds it as a plain property', () => {
    const lazy = lazyFixture(text)!;
    const dev = lazy.aic.environments[0] as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(dev, 'name')).toMatchObject({ value: 'dev', writable: true });
    expect(Object.getOwnPropertyDescriptor(dev, 'governance')!.get).toBeTypeOf('function');
    const gov = dev.governance;
    expect(dev.governance).toBe(gov);
    expect(Object.getOwnPropertyDescriptor(dev, 'governance')).toMatchObject({ value: gov, writable: true, enumerable: true });
    expect(gov).toEqual((JSON.parse(text) as any).aic.environments[0].governance);
    // a write before any read replaces the member in place (key order kept)
    const isc = lazy.isc as Record<string, unknown>;
    isc.iscAccounts = [];
    expect(isc.iscAccounts).toEqual([]);
    expect(Object.keys(isc)).toEqual(Object.keys((JSON.parse(text) as any).isc));
  });

  it('from the bytes and the layout the build records: the same fixture; the text decoded only when asked for', () => {
    const bytes = readFileSync(DEFAULT_SEED);
    expect(isAscii(bytes)).toBe(true); // latin1 decoding of the bytes is exact
    const layout = seedLayout(text)!;
    expect(JSON.stringify(lazyFixtureFromBytes(bytes, layout))).toBe(JSON.stringify(JSON.parse(text)));
    const dir = mkdtempSync(join(tmpdir(), 'seed-layout-'));
    try {
      const file = join(dir, 'layout.json');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      writeFileSync(file, JSON.stringify({ sha256, envs: layout }));
      const source = readFixtureSource(DEFAULT_SEED, DEFAULT_SEED_HASH, file);
      expect(Object.getOwnPropertyDescriptor(source, 'text')!.get).toBeTypeOf('function');
      expect(JSON.stringify(source.fixture)).toBe(JSON.stringify(JSON.parse(text)));
      expect(source.text).toBe(text);
      // a layout of other bytes, an unreadable one or one that does not fit: the text is scanned instead
      for (const bad of [JSON.stringify({ sha256: '0'.repeat(64), envs: layout }), '{', JSON.stringify({ sha256, envs: layout.map((e) => ({ ...e, range: [e.range[0] + 1, e.range[1]] })) })]) {
        writeFileSync(file, bad);
        const other = readFixtureSource(DEFAULT_SEED, DEFAULT_SEED_HASH, file);
        expect(Object.getOwnPropertyDescriptor(other, 'text')!.value).toBe(text);
        expect(JSON.stringify(other.fixture)).toBe(JSON.stringify(JSON.parse(text)));
      }
      expect(readFixtureSource(DEFAULT_SEED, DEFAULT_SEED_HASH, join(dir, 'missing.json')).text).toBe(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('declines any other layout (the caller then parses the whole text)', () => {
    const doc = JSON.parse(text);
    expect(lazyFixture(JSON.stringify(doc))).toBeUndefined();
    expect(lazyFixture(JSON.stringify(doc, null, 4))).toBeUndefined();
    expect(lazyFixture(JSON.stringify({ ...doc, isc: undefined, extra: doc.isc }, null, 2))).toBeUndefined();
    expect(lazyFixture(JSON.stringify({ isc: doc.isc, aic: doc.aic }, null, 2))).toBeUndefined();
    expect(lazyFixture('{}')).toBeUndefined();
    // another pretty-printed fixture is split the same way, and equals its parse
    const small = { fakerSeed: 1, aic: { tenant: 't', environments: [{ name: 'a', x: 'y'.repeat(600) }, { name: 'b' }] }, isc: { name: 'isc', tenant: 'i', list: Array.from({ length: 100 }, (_, i) => ({ i })) } };
    const smallText = JSON.stringify(small, null, 2);
    expect(JSON.stringify(lazyFixture(smallText))).toBe(JSON.stringify(small));
    expect(Object.getOwnPropertyDescriptor(lazyFixture(smallText)!.aic.environments[0], 'x')!.get).toBeTypeOf('function');
  });
});

describe('lazy seeding', () => {
  it('start-up builds no state; health checks build none; the first read builds the seeded state', async () => {
    const emu = createEmulator({});
    expect(emu.environments.map((e) => e.store.deferred)).toEqual([true, true, true, true]);
    for (const env of emu.environments) expect((await emu.request(env.name, '/monitoring/health')).status).toBe(200);
    emu.tick();
    expect(emu.environments.map((e) => e.store.deferred)).toEqual([true, true, true, true]);
    // the state each environment builds on first read is what the eager path built from a full parse
    const ref = createEmulator({ fixture: JSON.parse(text) });
    for (const env of emu.environments) {
      const refEnv = ref.env(env.name)!;
      const refFixture = JSON.parse(text);
      const ef = [...refFixture.aic.environments, refFixture.isc].find((e: { name: string }) => e.name === env.name);
      expect(JSON.stringify(env.state)).toBe(JSON.stringify(buildState(refEnv, ef, refFixture)));
      expect(env.store.deferred).toBe(false);
    }
  });

  it('an unauthenticated first API call builds no state; its access entry and the logs settings are the seeded ones', async () => {
    const fixture = { aic: { environments: [{ name: 'dev', logs: { retentionDays: 7, maxEntries: 5, rateLimit: 9 } }, { name: 'staging' }, { name: 'prod' }] } };
    // frozen clocks: `settings` reads the clock twice (now and the retention start), a millisecond apart on a busy machine
    const lazy = createEmulator({ fixture, clock: { frozen: true } });
    expect(lazy.env('dev')!.store.deferred).toBe(true);
    const settings = (emu: Emulator) => emu.aicEnvironments.map((env) => [logsState(env), maxEntries(env), env.clock.now() - retentionStart(env)]);
    const before = settings(lazy);
    const calls = async (emu: Emulator) => {
      const out: unknown[] = [];
      for (const env of ['dev', 'staging', 'prod']) {
        const res = await emu.request(env, '/environment/variables');
        out.push(res.status, await res.text());
      }
      const res = await emu.request('isc', '/v3/certifications');
      out.push(res.status, await res.text());
      return out;
    };
    const answers = await calls(lazy);
    expect(lazy.environments.map((e) => e.store.deferred)).toEqual([true, true, true, true]);
    const eager = createEmulator({ fixture, clock: { frozen: true } });
    for (const env of eager.environments) void env.state;
    expect(eager.environments.some((e) => e.store.deferred)).toBe(false);
    expect(answers).toEqual(await calls(eager));
    expect(settings(eager)).toEqual(before);
    const book = (emu: Emulator) => emu.aicEnvironments.map((env) => [env.logbook.maxEntries(), env.logbook.sources(), env.logbook.count(), env.logbook.sources().map((s) => env.logbook.view(s).map((e) => Object.keys(e.payload as object)))]);
    expect(book(lazy)).toEqual(book(eager));
    expect(lazy.env('dev')!.logbook.maxEntries()).toBe(5);
    // built on a real read: the same settings as the seeded slice
    expect(settings(lazy)).toEqual(before);
    for (const env of lazy.aicEnvironments) expect(env.slice('logs')).toEqual(logsState(env));
  });

  it('the lazily seeded emulator answers and snapshots like the eagerly seeded one (data dir)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lazy-seed-'));
    try {
      const eager = createEmulator({ dataDir: dir });
      expect(eager.environments.some((e) => e.store.deferred)).toBe(false);
      const lazy = createEmulator({});
      expect(JSON.stringify(lazy.snapshot())).toBe(JSON.stringify(eager.snapshot()));
      const again = createEmulator({});
      const answers = async (emu: ReturnType<typeof createEmulator>) => {
        const out: unknown[] = [];
        for (const env of ['dev', 'isc']) {
          const res = await emu.request(env, '/__emulator/credentials');
          out.push(res.status, await res.json());
        }
        return out;
      };
      expect(await answers(again)).toEqual(await answers(eager));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an environment with seeded jobs or a promotion lock or run is seeded at start', () => {
    const emu = createEmulator({
      fixture: {
        aic: {
          environments: [
            { name: 'dev', jobs: [{ id: 'j1', kind: 'nothing', dueAt: 0, payload: {} }] },
            { name: 'staging', promotion: { lock: { state: 'locked', promotionId: 'p1', lower: 'dev', upper: 'staging', requestedAt: 0, lockedAt: 0, by: { id: 'a', type: 'user' } } } },
            { name: 'prod' },
          ],
        },
      },
    });
    expect(emu.environments.map((e) => [e.name, e.store.deferred])).toEqual([
      ['dev', false],
      ['staging', false],
      ['prod', true],
      ['isc', true],
    ]);
  });

  it('reset and seed replace a state never read; a reset environment and an untouched one both read as seeded', async () => {
    const emu = createEmulator({});
    await emu.reset('dev');
    expect(emu.env('dev')!.store.deferred).toBe(false);
    expect(emu.env('staging')!.store.deferred).toBe(true);
    const ref = createEmulator({ fixture: JSON.parse(text) });
    expect(JSON.stringify(emu.snapshot())).toBe(JSON.stringify(ref.snapshot()));
    await emu.seed(JSON.parse(text));
    expect(emu.environments.some((e) => e.store.deferred)).toBe(false);
    expect(JSON.stringify(emu.snapshot())).toBe(JSON.stringify(ref.snapshot()));
  });
});

describe('product routes registered after the first health check', () => {
  const get = (port: number, path: string, method = 'GET') =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const pending = (emu: Emulator) => [...(emu as unknown as { routesToAdd: Map<string, unknown> }).routesToAdd.keys()];
  // the products whose app is built (a plain health check on a listener builds none: core/health.ts)
  const built = (emu: Emulator) => [...(emu as unknown as { apps: Map<string, unknown> }).apps.keys()].sort();
  const table = (app: { routes: Array<{ method: string; path: string }> }) => app.routes.map((r) => `${r.method} ${r.path}`);

  it('a listener answers GET /monitoring/health alone; any other request registers the routes, in the same order', async () => {
    const emu = createEmulator({ port: 0 });
    const eager = createEmulator({});
    const l = await listen(emu);
    try {
      const aic = emu.env('dev')!.port!;
      const isc = emu.isc.port!;
      for (const env of emu.environments) {
        const res = await get(env.port!, '/monitoring/health');
        expect([res.status, res.body]).toEqual([200, 'OK']);
        if (env.product === 'aic') expect(res.headers['x-forgerock-transactionid']).toBeTruthy();
      }
      // the listener answered them all (core/health.ts): no app built yet
      expect([built(emu), pending(emu)]).toEqual([[], []]);
      // a health check the app answers (here: a fault rule exists, on another path) builds the app, not its routes
      const rule = emu.faults.add({ path: '/nowhere', status: 500 });
      expect((await get(aic, '/monitoring/health')).body).toBe('OK');
      expect([built(emu), pending(emu)]).toEqual([['aic'], ['aic']]);
      emu.faults.remove(rule.id);
      // a query or another method is not the health check: the routes come first (405 and Allow from them)
      expect((await get(aic, '/monitoring/health?x=1')).status).toBe(200);
      expect([built(emu), pending(emu)]).toEqual([['aic'], []]);
      const post = await get(isc, '/monitoring/health', 'POST');
      expect([built(emu), pending(emu)]).toEqual([['aic', 'isc'], []]);
      const eagerPost = await eager.request('isc', '/monitoring/health', { method: 'POST' });
      expect([post.status, post.headers.allow]).toEqual([eagerPost.status, eagerPost.headers.get('allow')]);
      expect(table(emu.appOf('aic'))).toEqual(table(eager.appOf('aic')));
      expect(table(emu.appOf('isc'))).toEqual(table(eager.appOf('isc')));
      // the same answers as an app built with its routes at once
      const nothing = await get(aic, '/nothing');
      expect([nothing.status, JSON.parse(nothing.body)]).toEqual([404, await (await eager.request('dev', '/nothing')).json()]);
    } finally {
      await l.close();
    }
  });

  it('in-process use and the OpenAPI document always see every route', async () => {
    const emu = createEmulator({ port: 0 });
    const l = await listen(emu);
    try {
      expect((await get(emu.env('dev')!.port!, '/monitoring/health')).status).toBe(200);
      expect([built(emu), pending(emu)]).toEqual([[], []]);
      expect(JSON.stringify(openApiDocument(emu.env('dev')!))).toBe(JSON.stringify(openApiDocument(createEmulator({}).env('dev')!)));
      expect(pending(emu)).toEqual([]);
      const res = await emu.request('isc', '/monitoring/health');
      expect(res.status).toBe(200);
      expect(table(emu.appOf('isc'))).toEqual(table(createEmulator({}).appOf('isc')));
    } finally {
      await l.close();
    }
  });
});
