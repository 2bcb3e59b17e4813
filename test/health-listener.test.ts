// A listener answers a plain GET /monitoring/health itself, before the product app (core/health.ts; issue #17). It must
// not be told apart from the app's route: the same header lines and body, the caller's transaction id echoed (AIC),
// the environment chosen by Host, its due jobs run; and anything else (HEAD, a query string, a fault rule in place)
// still goes through the app.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { testEmulator, rawHttp as raw } from './helpers.js';
import { listen, type Listening } from '../src/server.js';
import type { Emulator } from '../src/emulator.js';

/** Status line, header lines (Date made stable) and body. */
const lines = (t: string) => t.replace(/^Date: .*$/m, 'Date: X').split('\r\n');
const TX = /^x-forgerock-transactionid: (.*)$/m;

let emu: Emulator;
let l: Listening | undefined;
afterEach(async () => {
  await l?.close();
  l = undefined;
});

async function start() {
  emu = testEmulator({ port: 0 });
  l = await listen(emu);
  const appOf = vi.spyOn(emu, 'appOf');
  const get = (env: string, path = '/monitoring/health', extra = '', method = 'GET') =>
    raw(emu.env(env)!.port!, `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`);
  return { appOf, get };
}

describe('GET /monitoring/health on a listener', () => {
  it('is answered before the app, with the bytes the app’s route gives', async () => {
    const { appOf, get } = await start();
    const listener = await get('dev');
    expect(appOf).not.toHaveBeenCalled();
    // any fault rule (here on another path) sends health checks through the app, whose fault layer decides
    emu.faults.add({ path: '/nowhere', status: 500 });
    const app = await get('dev');
    expect(appOf).toHaveBeenCalledTimes(1);
    const txOf = (t: string) => TX.exec(t)![1]!;
    expect(txOf(listener)).not.toBe(txOf(app));
    expect(lines(listener.replace(TX, 'x-forgerock-transactionid: TX'))).toEqual(lines(app.replace(TX, 'x-forgerock-transactionid: TX')));
    expect(lines(listener.replace(TX, 'x-forgerock-transactionid: TX'))).toEqual([
      'HTTP/1.1 200 OK',
      'x-forgerock-transactionid: TX',
      'Content-Type: text/plain; charset=UTF-8',
      'Date: X',
      'Connection: close',
      'Content-Length: 2',
      '',
      'OK',
    ]);
    // ids made by the listener are the emulator's own form, one per request
    expect(txOf(listener)).toMatch(/^[0-9a-f-]{36}-\d+$/);
    const again = await get('dev');
    expect(txOf(again)).not.toBe(txOf(app));
  });

  it('echoes the caller’s transaction id, as the app does', async () => {
    const { appOf, get } = await start();
    const res = await get('staging', '/monitoring/health', 'X-ForgeRock-TransactionId: frodo-1234\r\n');
    expect(appOf).not.toHaveBeenCalled();
    expect(TX.exec(res)![1]).toBe('frodo-1234');
  });

  it('answers ISC without a transaction id, as the app does', async () => {
    const { appOf, get } = await start();
    const listener = await get('isc');
    emu.faults.add({ env: 'dev', path: '/nowhere', status: 500 });
    const app = await get('isc');
    expect(appOf).toHaveBeenCalledTimes(1);
    expect(listener).not.toMatch(/transactionid/i);
    expect(lines(listener)).toEqual(lines(app));
  });

  it('runs the due jobs of the environment the Host header names', async () => {
    const { get } = await start();
    const dev = vi.spyOn(emu.env('dev')!, 'tick');
    const staging = vi.spyOn(emu.env('staging')!, 'tick');
    await get('dev', '/monitoring/health', '');
    expect([dev.mock.calls.length, staging.mock.calls.length]).toEqual([1, 0]);
    const res = await raw(emu.env('dev')!.port!, 'GET /monitoring/health HTTP/1.1\r\nHost: staging.localhost\r\nConnection: close\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 200 OK/);
    expect([dev.mock.calls.length, staging.mock.calls.length]).toEqual([1, 1]);
  });

  it('leaves HEAD, a query string and an unhealthy environment to the app', async () => {
    const { appOf, get } = await start();
    expect(await get('dev', '/monitoring/health', '', 'HEAD')).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(await get('dev', '/monitoring/health?probe=1')).toMatch(/\r\n\r\nOK$/);
    expect(appOf).toHaveBeenCalledTimes(2);
    emu.faults.add({ env: 'dev', path: '/monitoring/health', status: 503 });
    expect(await get('dev')).toMatch(/^HTTP\/1\.1 503 Service Unavailable[^]*\r\n\r\nService Unavailable$/);
    expect(await get('staging')).toMatch(/^HTTP\/1\.1 200 OK[^]*\r\n\r\nOK$/);
    expect(appOf).toHaveBeenCalledTimes(4);
  });
});
