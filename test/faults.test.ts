// Generic fault injection through the control plane.
import { describe, it, expect } from 'vitest';
import { testEmulator, call } from './helpers.js';

describe('fault injection', () => {
  it('makes health answer 503 Service Unavailable, then recovers when the rule is deleted', async () => {
    const emu = testEmulator();
    const add = await call(emu, 'dev', 'POST', '/__emulator/faults', { body: { env: 'staging', path: '/monitoring/health', status: 503 } });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ id: expect.any(String), path: '/monitoring/health', status: 503, hits: 0 });
    let res = await call(emu, 'staging', 'GET', '/monitoring/health');
    expect(res.status).toBe(503);
    expect(res.text).toBe('Service Unavailable');
    expect((await call(emu, 'dev', 'GET', '/monitoring/health')).status).toBe(200);
    const del = await call(emu, 'dev', 'DELETE', `/__emulator/faults/${add.body.id}`);
    expect(del.status).toBe(204);
    res = await call(emu, 'staging', 'GET', '/monitoring/health');
    expect(res.status).toBe(200);
  });

  it('answers in the product format, counts `times`, matches prefixes and regexes', async () => {
    const emu = testEmulator();
    await call(emu, 'dev', 'POST', '/__emulator/faults', { body: { path: '/v3/*', status: 500, times: 2 } });
    await call(emu, 'dev', 'POST', '/__emulator/faults', { body: { env: 'dev', method: 'get', path: '^/environment/(variables|secrets)$', status: 429, headers: { 'retry-after': '7' } } });
    let res = await call(emu, 'isc', 'GET', '/v3/certifications');
    expect(res.status).toBe(500);
    expect(res.body.detailCode).toBe('500.0 Internal Fault');
    await call(emu, 'isc', 'GET', '/v3/certifications');
    res = await call(emu, 'isc', 'GET', '/v3/nothing');
    expect(res.status).toBe(404); // rule used up after 2 hits
    res = await call(emu, 'dev', 'GET', '/environment/secrets');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toMatchObject({ code: 429, reason: 'Too Many Requests' });
    const list = await call(emu, 'dev', 'GET', '/__emulator/faults');
    expect(list.body.faults).toHaveLength(1);
    await call(emu, 'dev', 'POST', '/__emulator/reset?env=dev');
    expect((await call(emu, 'dev', 'GET', '/__emulator/faults')).body.faults).toHaveLength(0);
  });

  it('refuses bad rules without storing them', async () => {
    const emu = testEmulator();
    expect((await call(emu, 'dev', 'POST', '/__emulator/faults', { body: { path: '/x' } })).status).toBe(400);
    expect((await call(emu, 'dev', 'POST', '/__emulator/faults', { body: { path: '^([', status: 500 } })).status).toBe(400);
    expect((await call(emu, 'dev', 'POST', '/__emulator/faults', { body: { env: 'nope', path: '/x', status: 500 } })).status).toBe(404);
    expect((await call(emu, 'dev', 'GET', '/__emulator/faults')).body.faults).toEqual([]);
  });
});

describe('console entry', () => {
  it('is served at /__emulator/ui (redirected from /__emulator and /__emulator/) and lists fault rules', async () => {
    const emu = testEmulator();
    for (const path of ['/__emulator', '/__emulator/']) {
      const redirect = await call(emu, 'dev', 'GET', path);
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('location')).toBe('/__emulator/ui');
    }
    await call(emu, 'dev', 'POST', '/__emulator/faults', { body: { path: '/monitoring/health', status: 503 } });
    const res = await call(emu, 'dev', 'GET', '/__emulator/ui');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain('/monitoring/health');
  });
});
