// The ISC access model (issue 13a): seeded from the fixture, deterministic, and changed only through the provisioning
// service other areas call (grantAccess / revokeAccess / identityAccess).
import { describe, it, expect } from 'vitest';
import { testEmulator } from './helpers.js';
import { accessIndex, accessState, grantAccess, hasAccess, identityAccess, revokeAccess } from '../src/isc/access/service.js';
import { identities } from '../src/isc/identities/service.js';
import { CARL, OLIVIA, ALICE } from './isc-cert-helpers.js';

describe('ISC access model seed', () => {
  it('generates a realistic model from the default seed: identities with managers, sources, entitlements, profiles, roles', () => {
    const emu = testEmulator();
    const env = emu.isc;
    const people = identities(env).filter((i) => !i.service);
    expect(people.length).toBeGreaterThanOrEqual(50);
    expect(people.filter((p) => p.managerId).length).toBeGreaterThanOrEqual(50);
    const st = accessState(env);
    expect(st.sources.length).toBeGreaterThanOrEqual(4);
    expect(st.sources.filter((s) => s.authoritative).map((s) => s.name)).toEqual(['Workday']);
    expect(st.entitlements.length).toBeGreaterThanOrEqual(30);
    expect(st.accessProfiles.length).toBeGreaterThanOrEqual(8);
    expect(st.roles.length).toBeGreaterThanOrEqual(5);
    expect(st.governanceGroups.length).toBeGreaterThanOrEqual(1);
    // every person has an authoritative account; role membership by department gave finance staff the finance role
    const hr = st.sources.find((s) => s.authoritative)!;
    for (const p of people) expect(accessIndex(env).accountOn(p.id, hr.id), p.name).toBeDefined();
    const finance = st.roles.find((r) => r.name === 'Finance Department')!;
    const financePeople = people.filter((p) => p.attributes.department === 'Finance');
    expect(accessIndex(env).holdersOf(finance.id).map((a) => a.identityId).sort()).toEqual(financePeople.map((p) => p.id).sort());
  });

  it('is deterministic per fixture seed and differs across seeds', () => {
    const a = testEmulator();
    const b = testEmulator();
    expect(JSON.stringify(accessState(a.isc))).toBe(JSON.stringify(accessState(b.isc)));
  });

  it('round-trips through a snapshot', async () => {
    const emu = testEmulator();
    const before = JSON.stringify(accessState(emu.isc));
    const snap = await emu.request('isc', '/__emulator/snapshot');
    const doc = (await snap.json()) as { isc: { iscRoles: unknown[] } };
    expect(doc.isc.iscRoles.length).toBeGreaterThanOrEqual(5);
    const again = testEmulator({ fixture: doc });
    expect(JSON.stringify(accessState(again.isc))).toBe(before);
  });
});

describe('provisioning service', () => {
  it('grantAccess creates the account on the source and adds the entitlements; revokeAccess removes them', () => {
    const emu = testEmulator();
    const env = emu.isc;
    const st = accessState(env);
    const ap = st.accessProfiles.find((a) => a.name === 'Engineering Base')!;
    const github = st.sources.find((s) => s.id === ap.sourceId)!;
    expect(accessIndex(env).accountOn(CARL, github.id)).toBeUndefined();
    expect(hasAccess(env, CARL, { type: 'ACCESS_PROFILE', id: ap.id })).toBe(false);

    const res = grantAccess(env, CARL, { type: 'ACCESS_PROFILE', id: ap.id }, { id: OLIVIA }, { source: 'REQUEST' });
    expect(res.changed).toBe(true);
    expect(res.accountsCreated).toHaveLength(1);
    expect(res.entitlementsAdded.sort()).toEqual([...ap.entitlementIds].sort());
    const account = accessIndex(env).accountOn(CARL, github.id)!;
    expect(account.nativeIdentity).toBe('carl.user');
    expect(account.entitlementIds.sort()).toEqual([...ap.entitlementIds].sort());
    const access = identityAccess(env, CARL);
    const held = access.accessProfiles.find((a) => a.accessProfile.id === ap.id)!;
    expect(held.assignment?.source).toBe('REQUEST');
    expect(held.assignment?.grantedBy).toBe(OLIVIA);
    expect(access.entitlements.filter((e) => e.viaAccessProfiles.includes(ap.id)).map((e) => e.source.name)).toEqual(['GitHub', 'GitHub']);
    // idempotent
    expect(grantAccess(env, CARL, { type: 'ACCESS_PROFILE', id: ap.id }, { id: OLIVIA }).changed).toBe(false);

    const rev = revokeAccess(env, CARL, { type: 'ACCESS_PROFILE', id: ap.id }, { id: OLIVIA });
    expect(rev.entitlementsRemoved.sort()).toEqual([...ap.entitlementIds].sort());
    expect(hasAccess(env, CARL, { type: 'ACCESS_PROFILE', id: ap.id })).toBe(false);
    expect(accessIndex(env).accountOn(CARL, github.id)!.entitlementIds).toEqual([]);
  });

  it('revoking keeps entitlements another assignment still needs', () => {
    const emu = testEmulator();
    const env = emu.isc;
    const st = accessState(env);
    // carl is in Finance: the Finance Department role brings Finance Analyst (Finance-Readers, VPN-Users)
    const financeRole = st.roles.find((r) => r.name === 'Finance Department')!;
    expect(hasAccess(env, CARL, { type: 'ROLE', id: financeRole.id })).toBe(true);
    const approver = st.accessProfiles.find((a) => a.name === 'Finance Approver')!;
    const readers = st.entitlements.find((e) => e.name === 'Finance-Readers')!;
    grantAccess(env, CARL, { type: 'ACCESS_PROFILE', id: approver.id }, { id: ALICE });
    const rev = revokeAccess(env, CARL, { type: 'ACCESS_PROFILE', id: approver.id }, { id: ALICE });
    expect(rev.entitlementsRemoved.map((id) => st.entitlements.find((e) => e.id === id)!.name)).toEqual(['Finance-Approvers']);
    expect(hasAccess(env, CARL, { type: 'ENTITLEMENT', id: readers.id })).toBe(true);
  });

  it('unknown identities and items are 404s and change nothing', () => {
    const emu = testEmulator();
    const env = emu.isc;
    const before = JSON.stringify(accessState(env));
    expect(() => grantAccess(env, 'nope', { type: 'ROLE', id: accessState(env).roles[0]!.id }, undefined)).toThrow();
    expect(() => grantAccess(env, CARL, { type: 'ROLE', id: 'nope' }, undefined)).toThrow();
    expect(JSON.stringify(accessState(env))).toBe(before);
  });

  it('reset rebuilds the index from the fresh state', async () => {
    const emu = testEmulator();
    const env = emu.isc;
    const ap = accessState(env).accessProfiles.find((a) => a.name === 'Engineering Base')!;
    grantAccess(env, CARL, { type: 'ACCESS_PROFILE', id: ap.id }, undefined);
    await emu.request('isc', '/__emulator/reset', { method: 'POST' });
    expect(hasAccess(env, CARL, { type: 'ACCESS_PROFILE', id: ap.id })).toBe(false);
  });
});

describe('control plane', () => {
  it('shows the model and an identity\'s access, and grants/revokes through the provisioning service', async () => {
    const emu = testEmulator();
    const model = (await (await emu.request('isc', '/__emulator/isc/access')).json()) as { counts: Record<string, number>; roles: Array<{ id: string; name: string }> };
    expect(model.counts.sources).toBeGreaterThanOrEqual(4);
    const role = model.roles.find((r) => r.name === 'Platform Administrator')!;
    const post = (path: string, body: unknown) => emu.request('isc', path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const granted = await post(`/__emulator/isc/identities/${CARL}/access/grant`, { type: 'ROLE', id: role.id });
    expect(granted.status).toBe(200);
    expect(((await granted.json()) as { entitlementsAdded: string[] }).entitlementsAdded.length).toBeGreaterThan(0);
    const access = (await (await emu.request('isc', `/__emulator/isc/identities/${CARL}/access`)).json()) as { roles: Array<{ role: { id: string } }> };
    expect(access.roles.map((r) => r.role.id)).toContain(role.id);
    expect((await post(`/__emulator/isc/identities/${CARL}/access/revoke`, { type: 'ROLE', id: role.id })).status).toBe(200);
    expect(hasAccess(emu.isc, CARL, { type: 'ROLE', id: role.id })).toBe(false);
    expect((await post(`/__emulator/isc/identities/${CARL}/access/grant`, { type: 'ROLE', id: 'nope' })).status).toBe(404);
    expect((await post(`/__emulator/isc/identities/${CARL}/access/grant`, { type: 'GROUP' })).status).toBe(400);
  });
});
