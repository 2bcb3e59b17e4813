// What a client author's review of the ISC access model found (2026-12-03), driven through sailpoint-api-client and
// checked against the vendored contract: the bulk deletes, role membership criteria, patchable fields, completed
// approvals' clientMetadata and search's includeNested.
import { beforeEach, describe, expect, it } from 'vitest';
import { AccessProfilesApi, AccessRequestApprovalsApi, AccessRequestsApi, RolesApi, SearchApi, type Configuration } from 'sailpoint-api-client';
import type { Emulator } from '../src/emulator.js';
import { identityAccess } from '../src/isc/access/service.js';
import { contractValidator, loadIscContract } from './shared.js';
import { ALICE, CARL, OLIVIA, iscCredentials } from './isc-cert-helpers.js';
import { sdkConfig, sdkEmulator, sdkFailure } from './isc-sdk.js';
import { advance } from './helpers.js';

const v3 = contractValidator(loadIscContract('isc-v3-access-model-requests-search.openapi.json'));
function conforms(path: string, method: string, status: number, body: unknown): void {
  const res = v3(path, method, status, body);
  expect(res.errors ?? [], `${method} ${path} ${status}`).toEqual([]);
}

let emu: Emulator;
let admin: Configuration;
beforeEach(async () => {
  const sdk = await sdkEmulator();
  emu = sdk.emu;
  admin = sdk.as(OLIVIA);
});

const owner = { type: 'IDENTITY' as const, id: OLIVIA };

/** A fresh access profile on the source of `like`, with one of its entitlements. */
async function newProfile(api: AccessProfilesApi, name: string, like = 'Engineering Base') {
  const base = (await api.listAccessProfiles({ filters: `name eq "${like}"` })).data[0]!;
  const ents = await api.getAccessProfileEntitlements({ id: base.id! });
  return (await api.createAccessProfile({ accessProfile: { name, owner, source: { type: 'SOURCE', id: base.source.id! }, entitlements: [{ type: 'ENTITLEMENT', id: ents.data[0]!.id! }], enabled: true } })).data;
}

describe('POST /v3/access-profiles/bulk-delete (contract deleteAccessProfilesInBulk)', () => {
  it('keeps every profile while one is in use, unless bestEffortOnly; reports the usages', async () => {
    const api = new AccessProfilesApi(admin);
    const free = await newProfile(api, 'Bulk Free');
    const inUse = (await api.listAccessProfiles({ filters: 'name eq "Engineering Base"' })).data[0]!;
    const role = (await new RolesApi(admin).listRoles()).data.find((r) => r.accessProfiles?.some((a) => a.id === inUse.id))!;
    expect(role).toBeDefined();

    const strict = await api.deleteAccessProfilesInBulk({ accessProfileBulkDeleteRequest: { accessProfileIds: [free.id!, inUse.id!], bestEffortOnly: false } });
    expect(strict.status).toBe(200);
    conforms('/access-profiles/bulk-delete', 'post', 200, strict.data);
    expect(strict.data.pending).toEqual([]);
    expect(strict.data.inUse).toEqual([{ accessProfileId: inUse.id, usedBy: expect.arrayContaining([{ type: 'ROLE', id: role.id, name: role.name }]) }]);
    expect((await api.getAccessProfile({ id: free.id! })).status).toBe(200);

    const best = await api.deleteAccessProfilesInBulk({ accessProfileBulkDeleteRequest: { accessProfileIds: [free.id!, inUse.id!, 'no-such-profile'], bestEffortOnly: true } });
    expect(best.status).toBe(202);
    conforms('/access-profiles/bulk-delete', 'post', 202, best.data);
    expect(best.data).toMatchObject({ taskId: expect.stringMatching(/^[0-9a-f]{32}$/), pending: [free.id] });
    expect(best.data.inUse!.map((u) => u.accessProfileId)).toEqual([inUse.id]);
    expect((await sdkFailure(api.getAccessProfile({ id: free.id! }))).status).toBe(404);
    expect((await api.getAccessProfile({ id: inUse.id! })).status).toBe(200);
  });

  it('refuses more than 50 ids, none, or a body of the wrong shape, and deletes nothing', async () => {
    const api = new AccessProfilesApi(admin);
    const free = await newProfile(api, 'Bulk Kept');
    const before = (await api.listAccessProfiles({ count: true })).headers['x-total-count'];
    for (const body of [{ accessProfileIds: [free.id!, ...Array.from({ length: 50 }, (_, i) => `x${i}`)] }, { accessProfileIds: [] }, { accessProfileIds: free.id }, {}]) {
      const res = await sdkFailure(api.deleteAccessProfilesInBulk({ accessProfileBulkDeleteRequest: body as never }));
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body).toMatchObject({ detailCode: '400.1 Bad Request Content', trackingId: expect.any(String) });
    }
    expect((await api.listAccessProfiles({ count: true })).headers['x-total-count']).toBe(before);
    // a plain user may not
    expect((await sdkFailure(new AccessProfilesApi((await sdkEmulatorAs(ALICE))).deleteAccessProfilesInBulk({ accessProfileBulkDeleteRequest: { accessProfileIds: [free.id!] } }))).status).toBe(403);
  });
});

async function sdkEmulatorAs(id: string): Promise<Configuration> {
  const pat = (await iscCredentials(emu)).personalAccessTokens.find((p) => p.ownerId === id)!;
  return sdkConfig(pat.clientId, pat.clientSecret);
}

describe('POST /v3/roles/bulk-delete (contract deleteBulkRoles)', () => {
  it('answers the task and takes the roles, and the access only they gave, from their members', async () => {
    const api = new RolesApi(admin);
    const ap = (await new AccessProfilesApi(admin).listAccessProfiles({ filters: 'name eq "Release Management"' })).data[0]!;
    const made = await api.createRole({ role: { name: 'Bulk Role', owner, accessProfiles: [{ type: 'ACCESS_PROFILE', id: ap.id! }], membership: { type: 'IDENTITY_LIST', identities: [{ type: 'IDENTITY', id: CARL }] }, enabled: true } });
    expect(identityAccess(emu.isc, CARL).roles.map((r) => r.role.id)).toContain(made.data.id);
    const res = await api.deleteBulkRoles({ roleBulkDeleteRequest: { roleIds: [made.data.id!, 'no-such-role'] } });
    expect(res.status).toBe(202);
    conforms('/roles/bulk-delete', 'post', 202, res.data);
    expect(res.data).toEqual({ type: 'TASK_RESULT', id: expect.stringMatching(/^[0-9a-f]{32}$/), name: null });
    expect((await sdkFailure(api.getRole({ id: made.data.id! }))).status).toBe(404);
    expect(identityAccess(emu.isc, CARL).roles.map((r) => r.role.id)).not.toContain(made.data.id);
    expect((await sdkFailure(api.deleteBulkRoles({ roleBulkDeleteRequest: { roleIds: [] } }))).status).toBe(400);
  });
});

describe('role membership criteria (contract RoleCriteriaLevel1–3)', () => {
  const dept = (value: string, operation = 'EQUALS') => ({ operation, key: { type: 'IDENTITY', property: 'attribute.department' }, stringValue: value });
  const bad: Array<[string, unknown]> = [
    ['an operation outside the enum', { operation: 'BOGUS', key: { type: 'IDENTITY', property: 'attribute.department' }, stringValue: 'x' }],
    ['a leaf without key', { operation: 'EQUALS', stringValue: 'x' }],
    ['a leaf without stringValue', { operation: 'EQUALS', key: { type: 'IDENTITY', property: 'attribute.department' } }],
    ['an AND without children', { operation: 'AND', children: [] }],
    ['an AND under an AND', { operation: 'AND', children: [{ operation: 'AND', children: [dept('Finance')] }] }],
    ['four levels', { operation: 'OR', children: [{ operation: 'AND', children: [{ operation: 'OR', children: [dept('Finance')] }] }] }],
    ['an ACCOUNT key without a source', { operation: 'EQUALS', key: { type: 'ACCOUNT', property: 'attribute.x' }, stringValue: 'y' }],
    ['a key type outside the enum', { operation: 'EQUALS', key: { type: 'GROUP', property: 'x' }, stringValue: 'y' }],
  ];
  it('refuses malformed criteria with a 400 on create and patch, and stores nothing', async () => {
    const api = new RolesApi(admin);
    const total = async () => (await api.listRoles({ count: true })).headers['x-total-count'];
    const before = await total();
    for (const [what, criteria] of bad) {
      const res = await sdkFailure(api.createRole({ role: { name: `Bad ${what}`, owner, membership: { type: 'STANDARD', criteria: criteria as never } } }));
      expect(res.status, what).toBe(400);
    }
    expect(await total()).toBe(before);
    const finance = (await api.listRoles({ filters: 'name eq "Finance Department"' })).data[0]!;
    const patch = await sdkFailure(api.patchRole({ id: finance.id!, jsonPatchOperation: [{ op: 'replace', path: '/membership/criteria/operation', value: 'BOGUS' }] }));
    expect(patch.status).toBe(400);
    const roles = await api.listRoles();
    conforms('/roles', 'get', 200, roles.data);
    expect(roles.data.find((r) => r.id === finance.id)!.membership!.criteria!.operation).toBe('EQUALS');
  });

  it('accepts nested OR/AND criteria and provisions by every leaf operation', async () => {
    const api = new RolesApi(admin);
    const criteria = { operation: 'OR', children: [dept('Finance'), { operation: 'AND', children: [dept('Eng', 'STARTS_WITH'), dept('Sales', 'DOES_NOT_CONTAIN')] }] };
    const made = await api.createRole({ role: { name: 'Finance or Engineering', owner, membership: { type: 'STANDARD', criteria: criteria as never }, enabled: true } });
    expect(made.status).toBe(201);
    conforms('/roles', 'post', 201, made.data);
    await advance(emu, 1000);
    const members = await api.getRoleAssignedIdentities({ id: made.data.id!, limit: 250 });
    const finance = await api.getRoleAssignedIdentities({ id: (await api.listRoles({ filters: 'name eq "Finance Department"' })).data[0]!.id!, limit: 250 });
    const eng = await api.getRoleAssignedIdentities({ id: (await api.listRoles({ filters: 'name eq "Software Engineer"' })).data[0]!.id!, limit: 250 });
    expect(finance.data.length).toBeGreaterThan(0);
    expect(eng.data.length).toBeGreaterThan(0);
    expect(new Set(members.data.map((i) => i.id))).toEqual(new Set([...finance.data, ...eng.data].map((i) => i.id)));
  });
});

describe('PATCH of fields the contract does not list as patchable', () => {
  it('is a 400 for access profiles and roles, and changes nothing', async () => {
    const aps = new AccessProfilesApi(admin);
    const ap = await newProfile(aps, 'Patch Target');
    for (const path of ['/id', '/created', '/source/name/extra']) {
      const op = path === '/source/name/extra' ? { op: 'add' as const, path: '/modified', value: 'x' } : { op: 'replace' as const, path, value: 'x' };
      expect((await sdkFailure(aps.patchAccessProfile({ id: ap.id!, jsonPatchOperation: [{ op: 'replace', path: '/description', value: 'changed' }, op] }))).status, path).toBe(400);
    }
    expect((await aps.getAccessProfile({ id: ap.id! })).data).toMatchObject({ id: ap.id, description: null });
    const roles = new RolesApi(admin);
    const finance = (await roles.listRoles({ filters: 'name eq "Finance Department"' })).data[0]!;
    expect((await sdkFailure(roles.patchRole({ id: finance.id!, jsonPatchOperation: [{ op: 'replace', path: '/id', value: 'x' }] }))).status).toBe(400);
    expect((await roles.patchRole({ id: finance.id!, jsonPatchOperation: [{ op: 'replace', path: '/description', value: 'Everyone in Finance' }] })).data.description).toBe('Everyone in Finance');
  });
});

describe('completed approvals and search documents', () => {
  it('a completed approval of a request without clientMetadata carries {} (CompletedApproval.clientMetadata is not nullable)', async () => {
    const ap = emu.isc.slice<{ accessProfiles: Array<{ id: string; name: string }> }>('iscAccess').accessProfiles.find((a) => a.name === 'Payroll Operations')!;
    const alice = await sdkEmulatorAs(ALICE);
    await new AccessRequestsApi(alice).createAccessRequest({ accessRequest: { requestedFor: [ALICE], requestType: 'GRANT_ACCESS', requestedItems: [{ type: 'ACCESS_PROFILE', id: ap.id, comment: 'quarter close' }] } });
    // Alice's manager decides first (then the profile's owner, Bob)
    const managerApi = new AccessRequestApprovalsApi(admin);
    const pending = await managerApi.listPendingApprovals({ ownerId: 'me' });
    conforms('/access-request-approvals/pending', 'get', 200, pending.data);
    expect(pending.data[0]!.clientMetadata).toBeNull();
    await managerApi.approveAccessRequest({ approvalId: pending.data[0]!.id!, commentDto: { comment: 'ok' } });
    const completed = await managerApi.listCompletedApprovals({ ownerId: 'me' });
    conforms('/access-request-approvals/completed', 'get', 200, completed.data);
    expect(completed.data[0]!.clientMetadata).toEqual({});
  });

  it('includeNested: false leaves the nested objects out of each document', async () => {
    const api = new SearchApi(admin);
    const withNested = (await api.searchPost({ search: { indices: ['identities'], query: { query: `id:${ALICE}` } } })).data[0] as Record<string, unknown>;
    expect(Array.isArray(withNested.accounts) && (withNested.accounts as unknown[]).length).toBeTruthy();
    const flat = (await api.searchPost({ search: { indices: ['identities'], query: { query: `id:${ALICE}` }, includeNested: false } })).data[0] as Record<string, unknown>;
    expect(flat.id).toBe(ALICE);
    expect(flat.accounts).toBeUndefined();
    expect(flat.access).toBeUndefined();
    expect(flat.name).toBe(withNested.name);
  });
});
