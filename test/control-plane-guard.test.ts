// Issue #19 item 4: the control plane is closed to web pages the developer visits (cross-origin and simple-request
// CSRF, DNS rebinding) and open to curl, SDKs, tests and its own console.
import { describe, it, expect, afterEach } from 'vitest';
import { request as httpRequest } from 'node:http';
import { testEmulator, call } from './helpers.js';
import { listen, type Listening } from '../src/server.js';
import { createEmulator } from '../src/emulator.js';

const T0 = Date.parse('2026-11-23T12:00:00.000Z');

describe('control plane: Origin', () => {
  it('refuses any Origin other than its own on every call, reads included, and leaves state alone', async () => {
    const emu = testEmulator();
    const before = JSON.stringify(emu.snapshot());
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1.evil.example', 'http://localhost:9']) {
      for (const [method, path, body] of [
        ['POST', '/__emulator/reset', undefined],
        ['POST', '/__emulator/clock', { advanceMs: 60_000 }],
        ['POST', '/__emulator/faults', { path: '/monitoring/health', status: 503 }],
        ['POST', '/__emulator/token', { env: 'dev', subject: 'x', scopes: ['fr:idc:esv:*'] }],
        ['GET', '/__emulator/credentials', undefined],
        ['GET', '/__emulator/snapshot', undefined],
      ] as const) {
        const res = await call(emu, 'dev', method, path, { body, headers: { origin } });
        expect(res.status, `${method} ${path} from ${origin}`).toBe(403);
        expect(res.body.error).toMatch(/cross-origin/);
        expect(res.text).not.toMatch(/PRIVATE|"d":/);
      }
    }
    expect(emu.clock.now()).toBe(T0);
    expect(emu.faults.list()).toEqual([]);
    expect(JSON.stringify(emu.snapshot())).toBe(before);
  });

  it('answers its own origin (the console at /__emulator/ui calls it same-origin) and callers with no Origin', async () => {
    const emu = testEmulator();
    const ui = await emu.request('dev', '/__emulator/ui');
    expect(ui.status).toBe(200);
    const own = await call(emu, 'dev', 'POST', '/__emulator/clock', { body: { advanceMs: 1000 }, headers: { origin: 'http://dev.localhost' } });
    expect(own.status).toBe(200);
    // another environment's listener of the same emulator is the same console
    const sibling = await call(emu, 'dev', 'GET', '/__emulator/environments', { headers: { origin: 'http://staging.localhost' } });
    expect(sibling.status).toBe(200);
    const none = await call(emu, 'dev', 'POST', '/__emulator/clock', { body: { advanceMs: 1000 } });
    expect(none.status).toBe(200);
    expect(emu.clock.now()).toBe(T0 + 2000);
    // bodiless POST, as `curl -X POST …/reset` sends it
    const reset = await emu.request('dev', '/__emulator/reset', { method: 'POST' });
    expect(reset.status).toBe(200);
  });
});

describe('control plane: content type', () => {
  it('refuses text/plain, form and multipart bodies where it reads JSON (415), changing nothing', async () => {
    const emu = testEmulator();
    const json = JSON.stringify({ advanceMs: 60_000 });
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      for (const path of ['/__emulator/clock', '/__emulator/reset', '/__emulator/faults', '/__emulator/token', '/__emulator/seed']) {
        const res = await call(emu, 'dev', 'POST', path, { raw: json, headers: { 'content-type': type } });
        expect(res.status, `${path} ${type}`).toBe(415);
        expect(res.body.error).toMatch(/application\/json/);
      }
    }
    // a body with no content type at all (what a browser's fetch with a string body turns into text/plain) is refused too
    const bare = await emu.request('dev', '/__emulator/clock', { method: 'POST', body: new Blob([json]).stream(), duplex: 'half' } as RequestInit);
    expect(bare.status).toBe(415);
    expect(emu.clock.now()).toBe(T0);
    const ok = await call(emu, 'dev', 'POST', '/__emulator/clock', { raw: json, headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(ok.status).toBe(200);
  });
});

describe('control plane: Host', () => {
  it('answers loopback names and addresses and the environment labels; refuses any other name (DNS rebinding)', async () => {
    const emu = testEmulator();
    for (const host of ['127.0.0.1:8080', 'localhost:8080', 'staging.localhost:8080', 'dev.localhost', '127.0.0.2', '[::1]:8080']) {
      const res = await emu.request('dev', `http://${host}/__emulator/environments`);
      expect(res.status, host).toBe(200);
    }
    for (const host of ['evil.example', 'evil.example:8080', 'localhost.evil.example', '10.0.0.5:8080', '[fe80::1]']) {
      const res = await emu.request('dev', `http://${host}/__emulator/credentials`);
      expect(res.status, host).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(/--allowed-host/);
    }
    // product routes are not the control plane: a real tenant answers whatever name points at it
    expect((await emu.request('dev', 'http://evil.example/monitoring/health')).status).toBe(200);
  });

  it('answers names given with --allowed-host / ALLOWED_HOSTS (exact, .suffix, *)', async () => {
    const emu = createEmulator({ clock: { frozen: true, startAt: T0 }, allowedHosts: ['emulator', '.corp.example', 'Trainer-Box'] });
    for (const host of ['emulator:8080', 'a.corp.example', 'corp.example', 'trainer-box']) expect((await emu.request('dev', `http://${host}/__emulator/environments`)).status, host).toBe(200);
    expect((await emu.request('dev', 'http://emulator2/__emulator/environments')).status).toBe(403);
    const any = createEmulator({ clock: { frozen: true, startAt: T0 }, allowedHosts: ['*'] });
    expect((await any.request('dev', 'http://anything.example/__emulator/environments')).status).toBe(200);
  });
});

describe('control plane over a real listener', () => {
  let listening: Listening | undefined;
  afterEach(async () => {
    await listening?.close();
    listening = undefined;
  });

  const send = (port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string }) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end(opts.body);
    });

  it('a rebinding page (foreign Host) cannot read credentials; curl-style calls work, bodiless POST included', async () => {
    const emu = createEmulator({ clock: { frozen: true, startAt: T0 }, port: 0 });
    listening = await listen(emu);
    const port = emu.environments[0]!.port!;
    const rebound = await send(port, '/__emulator/credentials', { headers: { host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toMatch(/clientSecret|"d":/);
    const curl = await send(port, '/__emulator/credentials', { headers: { host: `127.0.0.1:${port}` } });
    expect(curl.status).toBe(200);
    const reset = await send(port, '/__emulator/reset', { method: 'POST' });
    expect(reset.status).toBe(200);
    const clock = await send(port, '/__emulator/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advanceMs":5}' });
    expect(clock.status).toBe(200);
    const simple = await send(port, '/__emulator/clock', { method: 'POST', headers: { 'content-type': 'text/plain', origin: 'http://evil.example' }, body: '{"advanceMs":5}' });
    expect(simple.status).toBe(403);
    expect(emu.clock.now()).toBe(T0 + 5);
  });
});
