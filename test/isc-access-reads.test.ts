// The access model's reads and writes through sailpoint-api-client, as integrations use them: public identities,
// beta identities and entitlements, sources, accounts, access profiles, roles, requestable objects; every response is
// validated against the vendored contracts (test/reference/isc).
import { beforeEach, describe, expect, it } from 'vitest';
import { AccessProfilesApi, AccountsApi, PublicIdentitiesApi, RequestableObjectsApi, RolesApi, SourcesApi, IdentitiesBetaApi, EntitlementsBetaApi } from 'sailpoint-api-client';
import type { Emulator } from '../src/emulator.js';
import { contractValidator, loadIscContract } from './shared.js';
import { OLIVIA, ALICE, CARL } from './isc-cert-helpers.js';
import { sdkConfig, sdkFailure, sdkEmulator } from './isc-sdk.js';
import { grantAccess } from '../src/isc/access/service.js';

const v3 = contractValidator(loadIscContract('isc-v3-access-model-requests-search.openapi.json'));
const beta = contractValidator(loadIscContract('isc-beta-identities-entitlements.openapi.json'));
function conforms(validate: typeof v3, path: string, method: string, status: number, body: unknown): void {
  const res = validate(path, method, status, body);
  expect(res.errors ?? [], `${method} ${path} ${status}`).toEqual([]);
}

let emu: Emulator;
let admin: ReturnType<typeof sdkConfig>;
let alice: ReturnType<typeof sdkConfig>;

beforeEach(async () => {
  const sdk = await sdkEmulator();
  emu = sdk.emu;
  admin = sdk.as(OLIVIA);
  alice = sdk.as(ALICE);
});

describe('identities', () => {
  it('lists public identities with filters, sorters and count, and beta identities with manager and lifecycle', async () => {
    const api = new PublicIdentitiesApi(alice);
    const all = await api.getPublicIdentities({ count: true, limit: 250 });
    conforms(v3, '/public-identities', 'get', 200, all.data);
    expect(Number(all.headers['x-total-count'])).toBe(all.data.length);
    expect(all.data.length).toBeGreaterThanOrEqual(55);
    const carlRow = all.data.find((i) => i.alias === 'carl.user')!;
    expect(carlRow.manager).toMatchObject({ id: ALICE, name: 'Alice Reviewer' });
    const sw = await api.getPublicIdentities({ filters: 'alias sw "carl"', sorters: 'name' });
    expect(sw.data.map((i) => i.alias)).toEqual(['carl.user']);
    expect((await api.getPublicIdentities({ filters: 'firstname eq "Carl"' })).data.map((i) => i.id)).toEqual([CARL]);
    const bad = await sdkFailure(api.getPublicIdentities({ filters: 'department eq "Finance"' }));
    expect(bad.status).toBe(400);

    const ids = new IdentitiesBetaApi(admin);
    const list = await ids.listIdentities({ filters: `id in ("${ALICE}","${CARL}")`, sorters: 'name', count: true });
    conforms(beta, '/identities', 'get', 200, list.data);
    expect(list.data.map((i) => i.alias)).toEqual(['alice.reviewer', 'carl.user']);
    const one = await ids.getIdentity({ id: ALICE });
    conforms(beta, '/identities/{id}', 'get', 200, one.data);
    expect(one.data).toMatchObject({ isManager: true, lifecycleState: { stateName: 'active' }, attributes: { department: 'Finance' } });
    expect((await sdkFailure(ids.getIdentity({ id: 'nope' }))).status).toBe(404);
  });
});

describe('sources, accounts and entitlements', () => {
  it('lists sources (one authoritative), an identity\'s accounts and their entitlements', async () => {
    const sources = await new SourcesApi(admin).listSources({ count: true });
    conforms(v3, '/sources', 'get', 200, sources.data);
    expect(sources.data.length).toBeGreaterThanOrEqual(4);
    const hr = (await new SourcesApi(admin).listSources({ filters: 'authoritative eq true' })).data;
    expect(hr.map((s) => s.name)).toEqual(['Workday']);
    conforms(v3, '/sources/{id}', 'get', 200, (await new SourcesApi(admin).getSource({ id: hr[0]!.id! })).data);

    const accounts = new AccountsApi(admin);
    const carlAccounts = await accounts.listAccounts({ filters: `identityId eq "${CARL}"`, sorters: 'name', count: true });
    conforms(v3, '/accounts', 'get', 200, carlAccounts.data);
    expect(carlAccounts.data.map((a) => a.sourceName).sort()).toEqual(['Active Directory', 'Salesforce', 'Workday'].sort());
    const sf = carlAccounts.data.find((a) => a.sourceName === 'Salesforce')!;
    conforms(v3, '/accounts/{id}', 'get', 200, (await accounts.getAccount({ id: sf.id! })).data);
    const ents = await accounts.getAccountEntitlements({ id: sf.id!, count: true });
    conforms(v3, '/accounts/{id}/entitlements', 'get', 200, ents.data);
    expect(ents.data.map((e) => e.name).sort()).toEqual(['Report_Viewer', 'Sales_User']);

    const betaEnts = new EntitlementsBetaApi(admin);
    const page = await betaEnts.listEntitlements({ count: true, limit: 10, sorters: 'name' });
    conforms(beta, '/entitlements', 'get', 200, page.data);
    expect(Number(page.headers['x-total-count'])).toBeGreaterThanOrEqual(30);
    expect(page.data).toHaveLength(10);
    // privileged is not among the documented filter fields: 400
    expect((await sdkFailure(betaEnts.listEntitlements({ filters: `source.id eq "${sf.sourceId}" and privileged eq true` }))).status).toBe(400);
    const onAccount = await betaEnts.listEntitlements({ accountId: sf.id! });
    expect(onAccount.data.map((e) => e.name).sort()).toEqual(['Report_Viewer', 'Sales_User']);
    conforms(beta, '/entitlements/{id}', 'get', 200, (await betaEnts.getEntitlement({ id: onAccount.data[0]!.id! })).data);

    // a plain user may not list accounts (contract x-sailpoint-userLevels)
    expect((await sdkFailure(new AccountsApi(alice).listAccounts())).status).toBe(403);
  });

  it('disables and enables an account (202 with a task id)', async () => {
    const accounts = new AccountsApi(admin);
    const [acct] = (await accounts.listAccounts({ filters: `identityId eq "${CARL}"` })).data;
    const res = await accounts.disableAccount({ id: acct!.id!, accountToggleRequest: {} });
    expect(res.status).toBe(202);
    conforms(v3, '/accounts/{id}/disable', 'post', 202, res.data);
    expect((await accounts.getAccount({ id: acct!.id! })).data.disabled).toBe(true);
    await accounts.enableAccount({ id: acct!.id!, accountToggleRequest: {} });
    expect((await accounts.getAccount({ id: acct!.id! })).data.disabled).toBe(false);
    expect((await sdkFailure(accounts.enableAccount({ id: 'nope', accountToggleRequest: {} }))).status).toBe(404);
  });
});

describe('access profiles and roles', () => {
  it('lists, creates, patches and deletes an access profile by the contract\'s rules', async () => {
    const api = new AccessProfilesApi(admin);
    const list = await api.listAccessProfiles({ count: true, sorters: '-name' });
    conforms(v3, '/access-profiles', 'get', 200, list.data);
    expect(list.data.length).toBeGreaterThanOrEqual(8);
    const names = list.data.map((a) => a.name);
    expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a)));
    const eng = (await api.listAccessProfiles({ filters: 'name eq "Engineering Base"' })).data[0]!;
    conforms(v3, '/access-profiles/{id}', 'get', 200, (await api.getAccessProfile({ id: eng.id! })).data);
    const ents = await api.getAccessProfileEntitlements({ id: eng.id!, sorters: 'name' });
    conforms(v3, '/access-profiles/{id}/entitlements', 'get', 200, ents.data);
    expect(ents.data.map((e) => e.name)).toEqual(['acme/developers', 'acme/readers']);

    const created = await api.createAccessProfile({ accessProfile: { name: 'GitHub Security', owner: { type: 'IDENTITY', id: ALICE }, source: { type: 'SOURCE', id: eng.source.id! }, entitlements: [{ type: 'ENTITLEMENT', id: ents.data[0]!.id! }], enabled: true, requestable: true, accessRequestConfig: { approvalSchemes: [{ approverType: 'MANAGER' }] } } });
    expect(created.status).toBe(201);
    conforms(v3, '/access-profiles', 'post', 201, created.data);
    expect(created.data).toMatchObject({ owner: { id: ALICE, name: 'Alice Reviewer' }, source: { name: 'GitHub' } });
    // an entitlement of another source is refused, and nothing changes
    const sf = (await new EntitlementsBetaApi(admin).listEntitlements({ filters: 'name eq "Sales_User"' })).data[0]!;
    const wrong = await sdkFailure(api.patchAccessProfile({ id: created.data.id!, jsonPatchOperation: [{ op: 'add', path: '/entitlements/-', value: { type: 'ENTITLEMENT', id: sf.id! } }] }));
    expect(wrong.status).toBe(400);
    const patched = await api.patchAccessProfile({ id: created.data.id!, jsonPatchOperation: [{ op: 'replace', path: '/description', value: 'Security team repos' }, { op: 'add', path: '/entitlements/-', value: { type: 'ENTITLEMENT', id: ents.data[1]!.id! } }] });
    conforms(v3, '/access-profiles/{id}', 'patch', 200, patched.data);
    expect(patched.data.description).toBe('Security team repos');
    expect(patched.data.entitlements).toHaveLength(2);
    // in use by a role → 400; otherwise 204 and gone
    expect((await sdkFailure(api.deleteAccessProfile({ id: eng.id! }))).status).toBe(400);
    expect((await api.deleteAccessProfile({ id: created.data.id! })).status).toBe(204);
    expect((await sdkFailure(api.getAccessProfile({ id: created.data.id! }))).status).toBe(404);
    // a plain user: 403
    expect((await sdkFailure(new AccessProfilesApi(alice).listAccessProfiles())).status).toBe(403);
  });

  it('lists roles and their assigned identities; a created IDENTITY_LIST role provisions its members', async () => {
    const api = new RolesApi(admin);
    const roles = await api.listRoles({ count: true });
    conforms(v3, '/roles', 'get', 200, roles.data);
    expect(roles.data.length).toBeGreaterThanOrEqual(5);
    expect((await sdkFailure(api.listRoles({ limit: 51 }))).status).toBe(400);
    const finance = roles.data.find((r) => r.name === 'Finance Department')!;
    conforms(v3, '/roles/{id}', 'get', 200, (await api.getRole({ id: finance.id! })).data);
    const members = await api.getRoleAssignedIdentities({ id: finance.id!, filters: 'aliasName eq "carl.user"' });
    conforms(v3, '/roles/{id}/assigned-identities', 'get', 200, members.data);
    expect(members.data).toEqual([expect.objectContaining({ id: CARL, roleAssignmentSource: 'ROLE_MEMBERSHIP' })]);

    const ap = (await new AccessProfilesApi(admin).listAccessProfiles({ filters: 'name eq "Release Management"' })).data[0]!;
    const created = await api.createRole({ role: { name: 'Release Captain', owner: { type: 'IDENTITY', id: OLIVIA }, accessProfiles: [{ type: 'ACCESS_PROFILE', id: ap.id! }], membership: { type: 'IDENTITY_LIST', identities: [{ type: 'IDENTITY', id: CARL }] }, enabled: true, requestable: true } });
    expect(created.status).toBe(201);
    conforms(v3, '/roles', 'post', 201, created.data);
    const held = await api.getRoleAssignedIdentities({ id: created.data.id! });
    expect(held.data.map((i) => i.id)).toEqual([CARL]);
    const carlGithub = (await new AccountsApi(admin).listAccounts({ filters: `identityId eq "${CARL}"` })).data.find((a) => a.sourceName === 'GitHub');
    expect(carlGithub?.hasEntitlements).toBe(true);
    const patched = await api.patchRole({ id: created.data.id!, jsonPatchOperation: [{ op: 'replace', path: '/membership/identities', value: [] }] });
    conforms(v3, '/roles/{id}', 'patch', 200, patched.data);
    expect((await api.getRoleAssignedIdentities({ id: created.data.id! })).data).toEqual([]);
    expect((await api.deleteRole({ id: created.data.id! })).status).toBe(204);
  });
});

describe('requestable objects', () => {
  it('marks items ASSIGNED from the model and AVAILABLE otherwise; a user sees their own', async () => {
    const api = new RequestableObjectsApi(admin);
    const all = await api.listRequestableObjects({ count: true });
    conforms(v3, '/requestable-objects', 'get', 200, all.data);
    expect(all.data.every((o) => o.requestStatus === undefined)).toBe(true);
    const forCarl = await api.listRequestableObjects({ identityId: CARL, types: ['ACCESS_PROFILE'], sorters: 'name' });
    conforms(v3, '/requestable-objects', 'get', 200, forCarl.data);
    const sales = forCarl.data.find((o) => o.name === 'Sales Cloud User')!;
    expect(sales.requestStatus).toBe('ASSIGNED');
    const eng = forCarl.data.find((o) => o.name === 'Engineering Base')!;
    expect(eng.requestStatus).toBe('AVAILABLE');
    grantAccess(emu.isc, CARL, { type: 'ACCESS_PROFILE', id: eng.id! }, undefined);
    const assigned = await api.listRequestableObjects({ identityId: CARL, statuses: ['ASSIGNED'], term: 'engineering' });
    expect(assigned.data.map((o) => o.name)).toEqual(['Engineering Base']);
    expect((await sdkFailure(api.listRequestableObjects({ statuses: ['ASSIGNED'] }))).status).toBe(400);
    // alice may ask for herself, not for carl
    const mine = await new RequestableObjectsApi(alice).listRequestableObjects({ identityId: 'me' });
    expect(mine.data.length).toBeGreaterThan(0);
    expect((await sdkFailure(new RequestableObjectsApi(alice).listRequestableObjects({ identityId: CARL }))).status).toBe(403);
  });
});
