// Foundation: fixtures, environments and routing, control plane, clock, error envelopes.
import { describe, it, expect } from 'vitest';
import { createRoute, z } from '@hono/zod-openapi';
import { testEmulator, call, aicToken, iscToken } from './helpers.js';
import { createEmulator, DEFAULT_SOURCE_SEED } from '../src/emulator.js';
import { parseFixture, FixtureError, readFixtureFile } from '../src/fixtures/load.js';
import { Clock } from '../src/core/clock.js';
import { listen, routeByHost } from '../src/server.js';
import { openApiDocument } from '../src/openapi.js';
import { readFileSync } from 'node:fs';
import http from 'node:http';

describe('fixtures', () => {
  it('defaults to dev → staging → prod and an isc tenant', () => {
    const emu = testEmulator({ fixture: { aic: { environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod' }] } } });
    expect(emu.environments.map((e) => [e.name, e.product, e.lower, e.upper])).toEqual([
      ['dev', 'aic', null, 'staging'],
      ['staging', 'aic', 'dev', 'prod'],
      ['prod', 'aic', 'staging', null],
      ['isc', 'isc', null, null],
    ]);
  });

  it('reports every invalid path and loads nothing', () => {
    let err: FixtureError | undefined;
    try {
      parseFixture({ fakerSeed: 'x', aic: { environments: [{ name: 'Dev!' }, { name: 'b', bogus: 1 }] }, extra: true });
    } catch (e) {
      err = e as FixtureError;
    }
    expect(err).toBeInstanceOf(FixtureError);
    const paths = err!.issues.map((i) => i.path);
    expect(paths).toContain('$.fakerSeed');
    expect(paths).toContain('$.aic.environments[0].name');
    expect(paths.some((p) => p.startsWith('$.aic.environments[1]'))).toBe(true);
    expect(paths).toContain('$');
  });

  it('rejects duplicate environment names', () => {
    expect(() => parseFixture({ aic: { environments: [{ name: 'dev' }, { name: 'dev' }] } })).toThrow(/duplicate environment name/);
  });

  it('the shipped default seed is the generated form of default.source.json (no drift)', () => {
    const emu = createEmulator({ seedFile: DEFAULT_SOURCE_SEED });
    const committed = JSON.parse(readFileSync(new URL('../seeds/default.json', import.meta.url), 'utf8'));
    delete committed.$schema;
    expect(JSON.parse(JSON.stringify(emu.snapshot()))).toEqual(committed);
  });

  it('the shipped default seed validates, parses to itself, and its recorded hash is current', async () => {
    const text = readFileSync(new URL('../seeds/default.json', import.meta.url), 'utf8');
    const doc = JSON.parse(text);
    expect(JSON.stringify(parseFixture(doc))).toBe(JSON.stringify(doc));
    const { createHash } = await import('node:crypto');
    const hash = readFileSync(new URL('../seeds/default.json.sha256', import.meta.url), 'utf8').trim();
    expect(createHash('sha256').update(text).digest('hex')).toBe(hash);
  });

  it('the default seed is a realistic organisation', () => {
    const emu = testEmulator();
    const gov = emu.env('dev')!.slice<any>('governance');
    expect(gov.users.length).toBeGreaterThanOrEqual(50);
    expect(gov.users.filter((u: any) => u.manager).length).toBeGreaterThanOrEqual(45);
    expect(gov.applications.length).toBeGreaterThanOrEqual(5);
    expect(gov.entitlements.length).toBeGreaterThanOrEqual(10);
    expect(gov.roles.length).toBeGreaterThan(0);
    expect(readFixtureFile(new URL('../seeds/default.json', import.meta.url).pathname).aic.environments).toHaveLength(3);
  });

  it('same faker seed → identical snapshots; different seed → different data', () => {
    const a = createEmulator({ seedFile: DEFAULT_SOURCE_SEED, fakerSeed: 7 }).snapshot();
    const b = createEmulator({ seedFile: DEFAULT_SOURCE_SEED, fakerSeed: 7 }).snapshot();
    const c = createEmulator({ seedFile: DEFAULT_SOURCE_SEED, fakerSeed: 8 }).snapshot();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('snapshot → seed round-trips with no difference', () => {
    const emu = testEmulator();
    const snap = emu.snapshot();
    const again = testEmulator({ fixture: JSON.parse(JSON.stringify(snap)) }).snapshot();
    expect(JSON.stringify(again)).toBe(JSON.stringify(snap));
  });
});

describe('control plane', () => {
  it('lists environments with urls and neighbours', async () => {
    const emu = testEmulator({ port: 8080 });
    const res = await call(emu, 'dev', 'GET', '/__emulator/environments');
    expect(res.status).toBe(200);
    expect(res.body.environments[0]).toEqual({ name: 'dev', product: 'aic', url: 'http://127.0.0.1:8080', lower: null, upper: 'staging' });
    expect(res.body.environments[3]).toEqual({ name: 'isc', product: 'isc', url: 'http://127.0.0.1:8083', lower: null, upper: null });
  });

  it('serves credentials for every environment', async () => {
    const emu = testEmulator();
    const res = await call(emu, 'staging', 'GET', '/__emulator/credentials');
    const dev = res.body.environments.dev;
    expect(dev.oauthClients[0]).toMatchObject({ clientId: expect.any(String), clientSecret: expect.any(String), scopes: expect.any(Array) });
    expect(dev.serviceAccounts[0].privateJwk).toMatchObject({ kty: 'RSA', d: expect.any(String) });
    expect(dev.logApiKeys[0]).toEqual({ id: expect.any(String), secret: expect.any(String) });
    const isc = res.body.environments.isc;
    expect(isc.apiClients[0]).toMatchObject({ clientId: expect.any(String), clientSecret: expect.any(String), name: expect.any(String) });
    expect(isc.personalAccessTokens.length).toBeGreaterThanOrEqual(3);
    expect(isc.personalAccessTokens[0]).toMatchObject({ ownerId: expect.any(String), ownerName: expect.any(String) });
  });

  it('seed replaces state, reset returns to the loaded fixture, for all or one environment', async () => {
    const emu = testEmulator();
    const snap = emu.snapshot() as any;
    const changed = JSON.parse(JSON.stringify(snap));
    changed.aic.environments[0].governance.users[0].givenName = 'Changed';
    changed.aic.environments[1].governance.users[0].givenName = 'Changed';
    let res = await call(emu, 'dev', 'POST', '/__emulator/seed', { body: changed });
    expect(res.status).toBe(200);
    expect(emu.env('dev')!.slice<any>('governance').users[0].givenName).toBe('Changed');
    // the seeded document is now the fixture reset returns to
    emu.env('dev')!.slice<any>('governance').users[0].givenName = 'Mutated';
    emu.env('staging')!.slice<any>('governance').users[0].givenName = 'Mutated';
    res = await call(emu, 'dev', 'POST', '/__emulator/reset?env=dev');
    expect(res.body).toEqual({ reset: ['dev'] });
    expect(emu.env('dev')!.slice<any>('governance').users[0].givenName).toBe('Changed');
    expect(emu.env('staging')!.slice<any>('governance').users[0].givenName).toBe('Mutated');
    await call(emu, 'dev', 'POST', '/__emulator/reset');
    expect(emu.env('staging')!.slice<any>('governance').users[0].givenName).toBe('Changed');
  });

  it('refuses an invalid seed document with its paths and keeps state', async () => {
    const emu = testEmulator();
    const before = JSON.stringify(emu.snapshot());
    const res = await call(emu, 'dev', 'POST', '/__emulator/seed', { body: { aic: { environments: [{ name: 'dev', governance: { users: [{}] } }] } } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid fixture');
    expect(res.body.details.some((d: any) => d.path.startsWith('$.aic.environments[0].governance.users[0]'))).toBe(true);
    const bad = await call(emu, 'dev', 'POST', '/__emulator/seed', { raw: '{nope' });
    expect(bad.status).toBe(400);
    const topo = await call(emu, 'dev', 'POST', '/__emulator/seed', { body: { aic: { environments: [{ name: 'dev' }] } } });
    expect(topo.status).toBe(409);
    expect(JSON.stringify(emu.snapshot())).toBe(before);
  });

  it('reports and moves the clock', async () => {
    const emu = testEmulator();
    let res = await call(emu, 'dev', 'GET', '/__emulator/clock');
    expect(res.body).toEqual({ now: '2026-11-23T12:00:00.000Z', frozen: true, offsetMs: 0, scale: 1 });
    res = await call(emu, 'dev', 'POST', '/__emulator/clock', { body: { advanceMs: 90_000 } });
    expect(res.body).toMatchObject({ now: '2026-11-23T12:01:30.000Z', offsetMs: 90_000 });
    res = await call(emu, 'dev', 'POST', '/__emulator/clock', { body: { advanceMs: 'soon' } });
    expect(res.status).toBe(400);
  });

  it('runs jobs that come due when the clock moves', async () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    const ran: string[] = [];
    env.jobs.on('test-job', (job) => ran.push(String(job.payload.n)));
    env.jobs.schedule('test-job', emu.clock.now() + 5000, { n: 2 });
    env.jobs.schedule('test-job', emu.clock.now() + 1000, { n: 1 });
    await call(emu, 'dev', 'POST', '/__emulator/clock', { body: { advanceMs: 999 } });
    expect(ran).toEqual([]);
    await call(emu, 'dev', 'POST', '/__emulator/clock', { body: { advanceMs: 10_000 } });
    expect(ran).toEqual(['1', '2']);
  });

  it('a job that runs late sees the clock at its due time, and so do the follow-ups it schedules', async () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    const start = emu.clock.now();
    const seen: Array<[string, number]> = [];
    env.jobs.on('first', () => {
      seen.push(['first', env.clock.now() - start]);
      env.jobs.schedule('second', env.clock.now() + 1000);
    });
    env.jobs.on('second', () => seen.push(['second', env.clock.now() - start]));
    env.jobs.schedule('first', start + 5000);
    await call(emu, 'dev', 'POST', '/__emulator/clock', { body: { advanceMs: 60_000 } });
    expect(seen).toEqual([
      ['first', 5000],
      ['second', 6000],
    ]);
    expect(emu.clock.now() - start).toBe(60_000);
  });

  it('is absent with admin: false', async () => {
    const emu = testEmulator({ admin: false });
    const res = await call(emu, 'dev', 'GET', '/__emulator/environments');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 404, reason: 'Not Found' });
  });

  it('the committed openapi/ documents are current (npm run openapi)', () => {
    const emu = testEmulator();
    for (const [file, env] of [['aic', emu.aicEnvironments[0]!], ['isc', emu.isc]] as const) {
      const committed = JSON.parse(readFileSync(new URL(`../openapi/${file}.json`, import.meta.url), 'utf8'));
      expect(JSON.parse(JSON.stringify(openApiDocument(env)))).toEqual(committed);
    }
  });

  it('serves the OpenAPI document of each product', async () => {
    const emu = testEmulator();
    const res = await call(emu, 'dev', 'GET', '/__emulator/openapi.json?product=isc');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.info.title).toMatch(/SailPoint/);
  });
});

describe('clock', () => {
  it('scales, freezes and advances', () => {
    let real = 1_000_000;
    const clock = new Clock({ scale: 10, startAt: 0, realNow: () => real });
    real += 1000;
    expect(clock.now()).toBe(10_000);
    clock.setFrozen(true);
    real += 1000;
    expect(clock.now()).toBe(10_000);
    clock.advance(500);
    expect(clock.now()).toBe(10_500);
    clock.setFrozen(false);
    real += 100;
    expect(clock.now()).toBe(11_500);
    expect(() => new Clock({ scale: 0 })).toThrow();
  });
});

describe('HTTP envelopes', () => {
  it('AIC: health, transaction id echo, CREST 404', async () => {
    const emu = testEmulator();
    let res = await call(emu, 'dev', 'GET', '/monitoring/health');
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
    expect(res.headers.get('x-forgerock-transactionid')).toMatch(/.+/);
    res = await call(emu, 'dev', 'GET', '/monitoring/health', { headers: { 'x-forgerock-transactionid': 'frodo-abc' } });
    expect(res.headers.get('x-forgerock-transactionid')).toBe('frodo-abc');
    res = await call(emu, 'dev', 'GET', '/no/such/thing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, reason: 'Not Found', message: "Resource 'no/such/thing' not found" });
  });

  it('ISC: 404 in the detailCode/trackingId/messages format', async () => {
    const emu = testEmulator();
    const res = await call(emu, 'isc', 'GET', '/v3/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ detailCode: '404 Not found', trackingId: expect.stringMatching(/^[0-9a-f]{32}$/), messages: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: expect.any(String) }], causes: [] });
    expect(res.headers.get('x-forgerock-transactionid')).toBeNull();
  });

  it('malformed JSON and schema violations get each product’s 400 body, and an internal error its 500', async () => {
    const emu = testEmulator();
    for (const env of emu.environments) {
      const route = createRoute({
        method: 'post',
        path: '/__test/echo',
        request: { body: { content: { 'application/json': { schema: z.object({ n: z.number() }) } } } },
        responses: { 200: { description: 'ok' } },
      });
      env.app.openapi(route, (c) => c.json(c.req.valid('json')) as never);
      env.app.get('/__test/boom', () => {
        throw new Error('kaboom');
      });
    }
    const aicBad = await call(emu, 'dev', 'POST', '/__test/echo', { raw: '{"n":' });
    expect(aicBad.status).toBe(400);
    expect(aicBad.body).toMatchObject({ code: 400, reason: 'Bad Request', message: expect.any(String) });
    const aicSchema = await call(emu, 'dev', 'POST', '/__test/echo', { body: { n: 'x' } });
    expect(aicSchema.status).toBe(400);
    expect(aicSchema.body.code).toBe(400);
    const iscBad = await call(emu, 'isc', 'POST', '/__test/echo', { raw: '{"n":' });
    expect(iscBad.status).toBe(400);
    expect(iscBad.body).toMatchObject({ detailCode: '400.1 Bad Request Content', messages: [{ locale: 'en-US' }] });
    const err = console.error;
    console.error = () => {};
    try {
      const boom = await call(emu, 'isc', 'GET', '/__test/boom');
      expect(boom.status).toBe(500);
      expect(boom.body.detailCode).toBe('500.0 Internal Fault');
      expect(boom.text).not.toMatch(/kaboom|at /);
      const aicBoom = await call(emu, 'prod', 'GET', '/__test/boom');
      expect(aicBoom.body).toEqual({ code: 500, reason: 'Internal Server Error', message: 'An internal error occurred' });
    } finally {
      console.error = err;
    }
  });

  it('tokens verify only in the environment that minted them', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:idc:esv:read']);
    expect((await emu.env('dev')!.tokens.verify(token)).ok).toBe(true);
    expect((await emu.env('staging')!.tokens.verify(token)).ok).toBe(false);
    const isc = await iscToken(emu, emu.isc.slice<any>('identities').identities[0].id);
    expect((await emu.isc.tokens.verify(isc)).ok).toBe(true);
  });
});

describe('routing', () => {
  it('routes by Host label whatever the port', () => {
    const emu = testEmulator({ port: 8080 });
    const dev = emu.env('dev')!;
    expect(routeByHost(emu, dev, 'staging.localhost:8080').name).toBe('staging');
    expect(routeByHost(emu, dev, 'isc.localhost').name).toBe('isc');
    expect(routeByHost(emu, dev, '127.0.0.1:8080').name).toBe('dev');
    expect(routeByHost(emu, dev, 'localhost:8080').name).toBe('dev');
    expect(routeByHost(emu, dev, undefined).name).toBe('dev');
  });

  it('one app per product, shared by its environments, each request answering as its own environment', async () => {
    const emu = testEmulator({ port: 0 });
    const dev = emu.env('dev')!;
    const staging = emu.env('staging')!;
    const prod = emu.env('prod')!;
    expect(dev.app.routes).toBe(prod.app.routes);
    expect(emu.isc.app.routes).not.toBe(dev.app.routes);
    expect(emu.appOf('aic')).toBe(emu.appOf('aic'));
    const token = await aicToken(emu, 'dev', ['fr:idc:esv:read']);
    const get = (app: typeof dev.app) => app.request('/environment/variables', { headers: { authorization: `Bearer ${token}` } });
    expect((await get(dev.app)).status).toBe(200);
    const other = await get(staging.app);
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toContain('realm="staging"');
    const l = await listen(emu);
    try {
      const over = (env: typeof dev) => fetch(`http://127.0.0.1:${env.port}/environment/variables`, { headers: { authorization: `Bearer ${token}` } });
      expect((await over(dev)).status).toBe(200);
      const res = await over(prod);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('realm="prod"');
    } finally {
      await l.close();
    }
  });

  it('real listeners: one port per environment, and Host routing on any of them', async () => {
    const emu = testEmulator({ port: 0 });
    const l = await listen(emu);
    try {
      const ports = emu.environments.map((e) => e.port);
      expect(new Set(ports).size).toBe(4);
      const isc = await fetch(`http://127.0.0.1:${emu.isc.port}/nothing`);
      expect(((await isc.json()) as any).detailCode).toBe('404 Not found');
      // fetch forbids setting Host, so use node:http
      const viaHost = await new Promise<string>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: emu.env('dev')!.port, path: '/nothing', headers: { host: `isc.localhost:${emu.env('dev')!.port}` } }, (res) => {
          let data = '';
          res.on('data', (d) => (data += d));
          res.on('end', () => resolve(data));
        }).on('error', reject);
      });
      expect(JSON.parse(viaHost).detailCode).toBe('404 Not found');
      const dev = await fetch(`http://127.0.0.1:${emu.env('dev')!.port}/nothing`);
      expect(((await dev.json()) as any).code).toBe(404);
    } finally {
      await l.close();
    }
  });
});
