// Per-request lookups made once (issue #17): the AIC environment list every request's promotion settle reads, the
// environment's runtime memory, and raw() before any change tracker exists.
import { describe, expect, it } from 'vitest';
import { testEmulator } from './helpers.js';
import { raw, tracking } from '../src/core/tracking.js';
import { keptView } from '../src/core/viewCache.js';

describe('request path lookups', () => {
  it('aicEnvironments: the AIC environments in fixture order, one array for every reader', () => {
    const emu = testEmulator();
    const list = emu.aicEnvironments;
    expect(list.map((e) => e.name)).toEqual(emu.environments.filter((e) => e.product === 'aic').map((e) => e.name));
    expect(list.every((e) => e.product === 'aic')).toBe(true);
    expect(emu.aicEnvironments).toBe(list);
    // another emulator has its own
    expect(testEmulator().aicEnvironments).not.toBe(list);
  });

  it('env.memory: init runs once per key until forget(), also when it answers undefined', () => {
    const env = testEmulator().env('dev')!;
    let made = 0;
    const make = () => ({ n: ++made });
    const a = env.memory('test.a', make);
    expect(env.memory('test.a', make)).toBe(a);
    expect(made).toBe(1);
    let undefinedInits = 0;
    expect(env.memory('test.u', () => (undefinedInits++, undefined))).toBeUndefined();
    expect(env.memory('test.u', () => (undefinedInits++, undefined))).toBeUndefined();
    expect(undefinedInits).toBe(1);
    env.forget();
    expect(env.memory('test.a', make)).not.toBe(a);
    expect(made).toBe(2);
  });

  it('keptView: one kept answer per area and key while the state is unchanged, areas apart', () => {
    const env = testEmulator().env('dev')!;
    let built = 0;
    const a1 = keptView(env, 'test-area', 'k', () => ({ built: ++built }));
    expect(keptView(env, 'test-area', 'k', () => ({ built: ++built }))).toBe(a1);
    const b1 = keptView(env, 'other-area', 'k', () => ({ built: ++built }));
    expect(b1).not.toBe(a1);
    expect(built).toBe(2);
    env.changed();
    expect(keptView(env, 'test-area', 'k', () => ({ built: ++built }))).not.toBe(a1);
    expect(built).toBe(3);
  });

  it('raw() answers the value itself for anything that is not a tracking proxy', () => {
    const o = { a: 1 };
    expect(raw(o)).toBe(o);
    expect(raw(null)).toBe(null);
    expect(raw(3)).toBe(3);
    if (!tracking.active) expect(raw(o)).toBe(o);
  });

  it('raw() unwraps a persistent store’s tracking proxy', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const emu = testEmulator({ dataDir: mkdtempSync(join(tmpdir(), 'emu-raw-')) });
    const env = emu.env('dev')!;
    const proxied = env.state.promotion as object;
    expect(tracking.active).toBe(true);
    const target = raw(proxied);
    expect(target).not.toBe(proxied);
    expect(raw(target)).toBe(target);
    expect(JSON.stringify(target)).toBe(JSON.stringify(proxied));
  });
});

describe('clock reads of a logged request (issue 17)', () => {
  it('an authenticated ESV read reads real time three times: the access log’s start and end, the token’s expiry', async () => {
    const { Clock } = await import('../src/core/clock.js');
    const { aicToken, call } = await import('./helpers.js');
    let reads = 0;
    let real = Date.parse('2026-11-23T12:00:00.000Z');
    // every read of real time moves it on by a millisecond: each read shows in the times the log records
    const clock = new Clock({ realNow: () => (reads++, (real += 1)) });
    const emu = testEmulator({ clock });
    const token = await aicToken(emu, 'dev', ['fr:idc:esv:read']);
    const headers = { authorization: `Bearer ${token}` };
    expect((await call(emu, 'dev', 'GET', '/environment/variables/esv-smtp-host', { headers })).status).toBe(200);
    const before = reads;
    expect((await call(emu, 'dev', 'GET', '/environment/variables/esv-smtp-host', { headers })).status).toBe(200);
    expect(reads - before).toBe(3);
    // the outcome entry is written at the end reading, its elapsed time measured to that same reading
    const entries = emu.env('dev')!.logbook.view('idm-access');
    const last = entries[entries.length - 1]!;
    const payload = last.payload as { timestamp: string; response: { elapsedTime: number } };
    expect(Date.parse(last.timestamp)).toBe(real);
    expect(payload.response.elapsedTime).toBe(2);
  });
});
