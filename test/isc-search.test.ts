// POST /v3/search, /count, /aggregate and GET /v3/search/{index}/{id} through sailpoint-api-client's SearchApi, over
// documents derived from the access model (identities carry their current access) and the events log.
import { beforeEach, describe, expect, it } from 'vitest';
import { SearchApi, type Search } from 'sailpoint-api-client';
import type { Emulator } from '../src/emulator.js';
import { contractAjv, loadIscContract } from './shared.js';
import { OLIVIA, ALICE, CARL } from './isc-cert-helpers.js';
import { sdkFailure, sdkEmulator } from './isc-sdk.js';
import { accessState, grantAccess, revokeAccess } from '../src/isc/access/service.js';
import { recordEvent } from '../src/isc/search/events.js';

const ajv = contractAjv(loadIscContract('isc-v3-access-model-requests-search.openapi.json'));
// the response is a oneOf over all document types (they overlap): each document is checked against its own type
const DOC_SCHEMA: Record<string, string> = { identities: 'IdentityDocuments', accessprofiles: 'AccessProfileDocuments', roles: 'RoleDocuments', entitlements: 'EntitlementDocuments', events: 'EventDocuments' };
// IdentityDocument.access is a oneOf over loose, overlapping item schemas: each item is checked against the schema its
// `type` discriminator maps to (contract IdentityAccess.discriminator.mapping)
const ACCESS_SCHEMA: Record<string, string> = { ACCESS_PROFILE: 'AccessProfileSummary', ENTITLEMENT: 'AccessProfileEntitlement', ROLE: 'AccessProfileRole' };
function conforms(index: string, docs: unknown[]): void {
  const validate = ajv.compile({ $ref: `contract#/components/schemas/${DOC_SCHEMA[index]}` });
  for (const d of docs) {
    const { access, ...rest } = d as { access?: Array<{ type: string }> };
    expect(validate(index === 'identities' ? { ...rest, access: [] } : d) ? [] : validate.errors, `${index} document`).toEqual([]);
    for (const item of access ?? []) {
      const v = ajv.compile({ $ref: `contract#/components/schemas/${ACCESS_SCHEMA[item.type]}` });
      expect(v(item) ? [] : v.errors, `access item ${item.type}`).toEqual([]);
    }
  }
}

let emu: Emulator;
let admin: SearchApi;
let alice: SearchApi;

beforeEach(async () => {
  const sdk = await sdkEmulator();
  emu = sdk.emu;
  admin = new SearchApi(sdk.as(OLIVIA));
  alice = new SearchApi(sdk.as(ALICE));
});

const q = (indices: Search['indices'], query: string, extra: Partial<Search> = {}): Search => ({ indices, query: { query }, ...extra });

describe('search over the access model', () => {
  it('identities carry their current access, and follow provisioning', async () => {
    const res = await admin.searchPost({ search: q(['identities'], 'name:carl.user') });
    expect(res.status).toBe(200);
    conforms('identities', res.data);
    expect(res.data).toHaveLength(1);
    const doc = res.data[0] as { id: string; access: Array<{ type: string; name: string }>; manager: { id: string }; accountCount: number };
    expect(doc).toMatchObject({ id: CARL, manager: { id: ALICE } });
    expect(doc.access.filter((a) => a.type === 'ACCESS_PROFILE').map((a) => a.name)).toContain('Sales Cloud User');

    const eng = accessState(emu.isc).accessProfiles.find((a) => a.name === 'Engineering Base')!;
    const who = q(['identities'], `access.name:"Engineering Base" AND attributes.department:Finance`);
    expect((await admin.searchPost({ search: who })).data).toEqual([]);
    grantAccess(emu.isc, CARL, { type: 'ACCESS_PROFILE', id: eng.id }, undefined);
    expect((await admin.searchPost({ search: who })).data.map((d) => (d as { id: string }).id)).toEqual([CARL]);
    revokeAccess(emu.isc, CARL, { type: 'ACCESS_PROFILE', id: eng.id }, undefined);
    expect((await admin.searchPost({ search: who })).data).toEqual([]);
  });

  it('a bare term matches any field; fields, sort, searchAfter, paging and count', async () => {
    const bare = await admin.searchPost({ search: q(['accessprofiles', 'roles', 'entitlements'], 'GitHub') });
    expect(bare.data.length).toBeGreaterThan(3);
    const roles = await admin.searchPost({ search: q(['roles'], '*', { sort: ['name'] }), count: true });
    conforms('roles', roles.data);
    const names = roles.data.map((r) => (r as { name: string }).name);
    expect(names).toEqual([...names].sort());
    expect(Number(roles.headers['x-total-count'])).toBe(names.length);
    const after = await admin.searchPost({ search: q(['roles'], '*', { sort: ['name'], searchAfter: [names[1]!] }) });
    expect(after.data.map((r) => (r as { name: string }).name)).toEqual(names.slice(2));
    const page = await admin.searchPost({ search: q(['entitlements'], 'privileged:true', { sort: ['-name'] }), limit: 2, offset: 1, count: true });
    conforms('entitlements', page.data);
    expect(page.data).toHaveLength(2);
    // Query.fields limits where bare terms look
    const inDesc = await admin.searchPost({ search: { indices: ['accessprofiles'], query: { query: 'payroll', fields: 'description' } } });
    conforms('accessprofiles', inDesc.data);
    expect(inDesc.data.map((d) => (d as { name: string }).name)).toEqual(['Payroll Operations']);
    const text = await admin.searchPost({ search: { indices: ['identities'], queryType: 'TEXT', textQuery: { terms: ['carl.user'], fields: ['name'] } } });
    expect(text.data).toHaveLength(1);
  });

  it('count, get by id, and a terms aggregation', async () => {
    const counted = await admin.searchCount({ search: q(['identities'], 'attributes.department:Finance') });
    expect(counted.status).toBe(204);
    const finance = Number(counted.headers['x-total-count']);
    expect(finance).toBeGreaterThan(5);
    const got = await admin.searchGet({ index: 'identities', id: CARL });
    conforms('identities', [got.data]);
    expect((await sdkFailure(admin.searchGet({ index: 'roles', id: 'nope' }))).status).toBe(404);
    const agg = await admin.searchAggregate({ search: { indices: ['identities'], aggregationType: 'SAILPOINT', query: { query: '*' }, aggregations: { bucket: { name: 'Departments', type: 'TERMS', field: 'attributes.department', size: 10 } } } });
    const buckets = (agg.data as { aggregations: { Departments: { buckets: Array<{ key: string; doc_count: number }> } } }).aggregations.Departments.buckets;
    expect(buckets.find((b) => b.key === 'Finance')?.doc_count).toBe(finance);
  });

  it('events: recordEvent writes documents every area shares; bad queries are 400; plain users 403', async () => {
    const ev = recordEvent(emu.isc, undefined, { type: 'ACCESS_ITEM', objects: ['ACCESS', 'REQUEST'], operation: 'PROCESSED', name: 'Access Request Processed', target: 'carl.user', attributes: { accessRequestId: 'req-123' } });
    expect(ev.technicalName).toBe('ACCESS_REQUEST_PROCESSED_PASSED');
    const found = await admin.searchPost({ search: q(['events'], 'req-123') });
    conforms('events', found.data);
    expect(found.data.map((d) => (d as { id: string }).id)).toEqual([ev.id]);
    const byId = await admin.searchGet({ index: 'events', id: ev.id });
    conforms('events', [byId.data]);
    expect(byId.data).toMatchObject({ id: ev.id, technicalName: 'ACCESS_REQUEST_PROCESSED_PASSED', actor: { name: 'System' } });
    expect((await sdkFailure(admin.searchPost({ search: q(['events'], '(unbalanced') }))).status).toBe(400);
    expect((await sdkFailure(admin.searchPost({ search: { indices: ['nope' as never], query: { query: '*' } } }))).status).toBe(400);
    expect((await sdkFailure(alice.searchPost({ search: q(['identities'], '*') }))).status).toBe(403);
  });
});
