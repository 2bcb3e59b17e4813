// What a fuzzing pass over both products and the control plane found (2026-12-03): each request below answered 500,
// hung the process, or changed process-wide state. Each now answers the product's own 4xx and leaves state unchanged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/emulator.js';
import type { GovernanceState } from '../src/aic/governance/model.js';
import { aicToken, call, iscToken, testEmulator } from './helpers.js';
import { OLIVIA } from './isc-cert-helpers.js';

let emu: Emulator;
let isc: string;
let aic: string;
beforeEach(async () => {
  emu = testEmulator();
  isc = await iscToken(emu, OLIVIA);
  aic = await aicToken(emu, 'dev', ['fr:iga:*', 'fr:idm:*']);
});
afterEach(() => {
  // nothing may reach the prototype every object shares
  expect(Object.getOwnPropertyNames(Object.prototype).filter((k) => ['limit', 'x', 'polluted'].includes(k))).toEqual([]);
});

const I = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(emu, emu.isc.name, method, path, { token: isc, body, headers });
const A = (method: string, path: string, body?: unknown) => call(emu, 'dev', method, path, { token: aic, body });
const PATCH_TYPE = { 'content-type': 'application/json-patch+json' };

describe('JSON Patch never reaches a prototype', () => {
  it('ISC access profiles, roles and campaign templates: 400, the object unchanged', async () => {
    const ap = (await I('GET', '/v3/access-profiles?limit=1')).body[0];
    const role = (await I('GET', '/v3/roles?limit=1')).body[0];
    for (const [path, target] of [['/v3/access-profiles/', ap], ['/v3/roles/', role]] as const) {
      for (const p of ['/__proto__/limit', '/constructor/prototype/polluted', '/description/__proto__']) {
        const res = await I('PATCH', path + target.id, [{ op: 'add', path: p, value: 'abc' }], PATCH_TYPE);
        expect(res.status, `${path} ${p}`).toBe(400);
        expect(res.body.detailCode, p).toBe('400.1 Bad Request Content');
      }
      expect((await I('GET', path + target.id)).body).toEqual(target);
    }
    const tpl = await I('POST', '/v3/campaign-templates', { name: 'Fuzz', description: 'd', campaign: { name: 'Fuzz', description: 'd', type: 'MANAGER' } });
    expect(tpl.body.id, tpl.text).toEqual(expect.any(String));
    const bad = await I('PATCH', `/v3/campaign-templates/${tpl.body.id}`, [{ op: 'add', path: '/campaign/__proto__/x', value: 'x' }], PATCH_TYPE);
    expect(bad.status).toBe(400);
    // the control plane still mints tokens and resets afterwards
    expect((await call(emu, emu.isc.name, 'POST', '/__emulator/token', { body: { env: emu.isc.name, identityId: OLIVIA } })).status).toBe(200);
    expect((await call(emu, 'dev', 'POST', '/__emulator/reset', { body: {} })).status).toBe(200);
  });

  it('AIC IGA patches (request types, forms, requests): the patch field is refused', async () => {
    for (const field of ['/__proto__/x', '/constructor/prototype/polluted']) {
      const res = await A('PATCH', '/iga/governance/requestTypes/applicationGrant', [{ operation: 'add', field, value: 'x' }]);
      expect(res.status, field).toBe(400);
      expect(res.body).toEqual({ message: `Invalid patch field: ${field}` });
    }
  });
});

describe('ISC inputs that answered 500', () => {
  it('a filter field named like a built-in property is an unknown field', async () => {
    for (const f of ['constructor eq "x"', '__proto__ eq "x"', 'toString pr', 'hasOwnProperty eq "y"']) {
      for (const path of ['/v3/certifications', '/v3/access-profiles', '/v3/campaigns', '/beta/identities']) {
        const res = await I('GET', `${path}?filters=${encodeURIComponent(f)}`);
        expect(res.status, `${path} ${f}`).toBe(400);
      }
    }
  });

  it('search: a bad regex is a 400, a backtracking one answers, more than 1024 clauses is a 400', async () => {
    for (const query of ['name:/[/', 'name:/(/']) expect((await I('POST', '/v3/search', { indices: ['events'], query: { query } })).status, query).toBe(400);
    const slow = await I('POST', '/v3/search', { indices: ['identities', 'events'], query: { query: '/(.*.*)*Q/' } });
    expect(slow.status).toBe(200);
    const regex = await I('POST', '/v3/search', { indices: ['identities'], query: { query: 'name:/alice.*/' } });
    expect(regex.body.map((d: { name: string }) => d.name)).toContain('alice.reviewer');
    expect((await I('POST', '/v3/search', { indices: ['identities'], query: { query: 'a '.repeat(1025).trim() } })).status).toBe(400);
    expect((await I('POST', '/v3/search', { indices: ['identities'], query: { query: 'alice '.repeat(1000).trim() } })).status).toBe(200);
  });

  it('search aggregations must name what the contract requires', async () => {
    const base = { indices: ['identities'], aggregationType: 'SAILPOINT' };
    for (const aggregations of [{ metric: { name: 'm' } }, { bucket: { name: 'b', field: 5 } }, { filter: { name: 'f' }, metric: { name: 'm', field: 'name' } }, { bucket: { name: 'b', field: 'attributes.department', size: -1 } }, { bucket: { name: 'b', field: 'attributes.department', size: 'x' } }]) {
      const res = await I('POST', '/v3/search/aggregate', { ...base, aggregations });
      expect(res.status, JSON.stringify(aggregations)).toBe(400);
      expect(res.body.detailCode).toBe('400.1 Bad Request Content');
    }
    const ok = await I('POST', '/v3/search/aggregate', { ...base, aggregations: { bucket: { name: 'b', type: 'TERMS', field: 'attributes.department', size: 2 } } });
    expect(ok.status).toBe(200);
    expect(ok.body.aggregations.b.buckets).toHaveLength(2);
  });

  it('an OAuth client patch without a path says so', async () => {
    const client = await I('POST', '/v3/oauth-clients', { name: 'fuzz', description: 'd', accessTokenValiditySeconds: 750, grantTypes: ['CLIENT_CREDENTIALS'], accessType: 'OFFLINE', enabled: true });
    expect(client.status).toBe(200);
    const res = await I('PATCH', `/v3/oauth-clients/${client.body.id}`, [{ op: 'replace' }], PATCH_TYPE);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('undefined');
  });
});

describe('control plane', () => {
  it('a clock advance past what a timestamp can say is a 400 and the clock is unchanged', async () => {
    const before = (await call(emu, 'dev', 'GET', '/__emulator/clock')).body;
    for (const advanceMs of [8.64e15, 1e300, -1e16]) {
      const res = await call(emu, 'dev', 'POST', '/__emulator/clock', { body: { advanceMs, frozen: false } });
      expect(res.status, String(advanceMs)).toBe(400);
      expect(res.body.error).toMatch(/advanceMs/);
    }
    expect((await call(emu, 'dev', 'GET', '/__emulator/clock')).body).toEqual(before);
    expect((await call(emu, 'dev', 'POST', '/__emulator/clock', { body: { advanceMs: 86_400_000 } })).status).toBe(200);
  });

  it('a fault rule with headers HTTP cannot carry, or framing headers, is refused', async () => {
    for (const headers of [{ 'bad header': 'x' }, { 'x-ok': 'a\nb' }, { 'content-length': '5' }, { 'Transfer-Encoding': 'chunked' }]) {
      const res = await call(emu, 'dev', 'POST', '/__emulator/faults', { body: { path: '/y', status: 503, headers } });
      expect(res.status, JSON.stringify(headers)).toBe(400);
    }
    expect((await call(emu, 'dev', 'GET', '/__emulator/faults')).body.faults).toEqual([]);
    const ok = await call(emu, 'dev', 'POST', '/__emulator/faults', { body: { path: '^/monitoring/he[a-z]+$', status: 503, headers: { 'retry-after': '5' } } });
    expect(ok.status).toBe(201);
    const hit = await call(emu, 'dev', 'GET', '/monitoring/health');
    expect(hit.status).toBe(503);
    expect(hit.headers.get('retry-after')).toBe('5');
    expect((await call(emu, 'dev', 'POST', '/__emulator/faults', { body: { path: '^/(', status: 503 } })).status).toBe(400);
  });
});

describe('AIC bulk access requests', () => {
  it('the same user and item twice in one call is a DUPLICATE, and nothing is filed', async () => {
    const gov = emu.env('dev')!.slice<GovernanceState>('governance');
    const user = gov.users.find((u) => u.userName === 'oscar.owner')!;
    const held = new Set(gov.grants.filter((g) => g.userId === user._id).map((g) => g.assignmentId));
    const ent = [...gov.entitlements].reverse().find((e) => e.requestable && !held.has(e.id))!;
    const count = async () => (await A('GET', '/iga/governance/requests')).body.totalCount as number;
    const before = await count();
    const res = await A('POST', '/iga/governance/requests', { users: [user._id], catalogs: [{ type: 'entitlement', id: ent.id }, { type: 'entitlement', id: ent.id }] });
    expect(res.body.result).toEqual([]);
    expect(res.body.errors).toEqual([expect.objectContaining({ error: 'DUPLICATE', user: user._id, catalogId: ent.id })]);
    expect(await count()).toBe(before);
    const builtin = await A('POST', '/iga/governance/requests?action=validate', { users: [user._id], catalogs: [{ type: 'constructor', id: 'x' }] });
    expect(builtin.body.errors).toEqual([expect.objectContaining({ error: 'INVALID_CATALOG_TYPE', message: 'Catalog item type constructor is not requestable' })]);
  });
});
