// Governance data read views: IGA lists, a user's grants, /openidm/managed/alpha_user (CREST).
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';
import type { GovernanceState } from '../src/aic/governance/model.js';

describe('governance read endpoints', () => {
  it("lists a user's grants by type, consistent with the seeded graph", async () => {
    const emu = testEmulator();
    const gov = emu.env('dev')!.slice<GovernanceState>('governance');
    const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
    const u = gov.users.find((x) => gov.grants.filter((g) => g.userId === x._id).length >= 3)!;
    const all = await call(emu, 'dev', 'GET', `/iga/governance/user/${u._id}/grants?_pageSize=100`, { token: admin });
    expect(all.status).toBe(200);
    expect(all.body.totalCount).toBe(gov.grants.filter((g) => g.userId === u._id).length);
    expect(Object.keys(all.body)).toEqual(['result', 'searchAfterKey', 'totalCount', 'resultCount']);
    const apps = await call(emu, 'dev', 'GET', `/iga/governance/user/${u._id}/applications?_pageSize=100`, { token: admin });
    expect(apps.body.result.every((r: any) => r.item.type === 'accountGrant' && r.user.id === u._id && r.application.id)).toBe(true);
    expect(apps.body.totalCount).toBe(gov.grants.filter((g) => g.userId === u._id && g.type === 'account').length);
    const ents = await call(emu, 'dev', 'GET', `/iga/governance/user/${u._id}/entitlements`, { token: admin });
    expect(ents.body.result.every((r: any) => r.item.type === 'entitlementGrant')).toBe(true);
    const filtered = await call(emu, 'dev', 'GET', `/iga/governance/user/${u._id}/grants?grantType=account&_pageSize=1`, { token: admin });
    expect(filtered.body.resultCount).toBe(1);
    expect(filtered.body.totalCount).toBe(apps.body.totalCount);
    expect((await call(emu, 'dev', 'GET', `/iga/governance/user/nobody/grants`, { token: admin })).status).toBe(404);
  });

  it('end users see only their own grants', async () => {
    const emu = testEmulator();
    const gov = emu.env('dev')!.slice<GovernanceState>('governance');
    const [a, b] = gov.users.slice(5, 7);
    const t = await aicToken(emu, 'dev', ['fr:iga:*'], a!._id, 'user');
    expect((await call(emu, 'dev', 'GET', `/iga/governance/user/${a!._id}/grants`, { token: t })).status).toBe(200);
    const other = await call(emu, 'dev', 'GET', `/iga/governance/user/${b!._id}/grants`, { token: t });
    expect(other.status).toBe(403);
    expect(Object.keys(other.body)).toEqual(['message']);
  });

  it('lists applications, entitlements and accounts with paging and _queryFilter', async () => {
    const emu = testEmulator();
    const gov = emu.env('dev')!.slice<GovernanceState>('governance');
    const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
    const apps = await call(emu, 'dev', 'GET', '/iga/governance/application?_pageSize=100&_queryFilter=true', { token: admin });
    expect(apps.body.totalCount).toBe(gov.applications.length);
    const names = apps.body.result.map((r: any) => r.application.name);
    expect(names).toEqual([...names].sort((x: string, y: string) => x.localeCompare(y)));
    const one = await call(emu, 'dev', 'GET', `/iga/governance/application?_queryFilter=${encodeURIComponent(`application/name eq "${gov.applications[0]!.name}"`)}`, { token: admin });
    expect(one.body.result.map((r: any) => r.id)).toEqual([gov.applications[0]!.id]);
    const ents = await call(emu, 'dev', 'GET', '/iga/governance/entitlement?_pageSize=5', { token: admin });
    expect(ents.body.resultCount).toBe(5);
    expect(ents.body.totalCount).toBe(gov.entitlements.length);
    const next = await call(emu, 'dev', 'GET', `/iga/governance/entitlement?_pageSize=5&_pagedResultsOffset=5`, { token: admin });
    expect(next.body.result[0].id).not.toBe(ents.body.result[0].id);
    const accts = await call(emu, 'dev', 'GET', '/iga/governance/account?_pageSize=1', { token: admin });
    expect(accts.body.totalCount).toBe(gov.grants.filter((g) => g.type === 'account').length);
    const bad = await call(emu, 'dev', 'GET', '/iga/governance/application?_queryFilter=name%20eq', { token: admin });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body)).toEqual(['message']);
    expect((await call(emu, 'dev', 'GET', '/iga/governance/application')).status).toBe(401);
  });

  it('serves users at /openidm/managed/alpha_user with _queryFilter, _pageSize and _fields', async () => {
    const emu = testEmulator();
    const gov = emu.env('dev')!.slice<GovernanceState>('governance');
    const idm = await aicToken(emu, 'dev', ['fr:idm:*']);
    const maria = gov.users.find((u) => u.userName === 'maria.manager')!;
    const q = await call(emu, 'dev', 'GET', `/openidm/managed/alpha_user?_queryFilter=${encodeURIComponent('userName eq "maria.manager"')}&_fields=userName,mail`, { token: idm });
    expect(q.status).toBe(200);
    expect(q.body.result).toEqual([{ _id: maria._id, _rev: '1', userName: 'maria.manager', mail: 'maria.manager@example.com' }]);
    expect(q.body.resultCount).toBe(1);
    // nobody's password leaks
    const all = await call(emu, 'dev', 'GET', '/openidm/managed/alpha_user?_queryFilter=true&_pageSize=10', { token: idm });
    expect(all.body.result).toHaveLength(10);
    expect(all.body.result.some((u: any) => 'password' in u)).toBe(false);
    expect(all.body.remainingPagedResults).toBe(gov.users.length - 10);
    const page2 = await call(emu, 'dev', 'GET', `/openidm/managed/alpha_user?_queryFilter=true&_pageSize=10&_pagedResultsCookie=${all.body.pagedResultsCookie}`, { token: idm });
    expect(page2.body.result[0]._id > all.body.result[9]._id).toBe(true);
    // manager relationship is filterable
    const reports = await call(emu, 'dev', 'GET', `/openidm/managed/alpha_user?_queryFilter=${encodeURIComponent(`manager/_refResourceId eq "${maria._id}"`)}&_fields=userName,manager`, { token: idm });
    expect(reports.body.result.map((u: any) => u.userName)).toEqual(['oscar.owner']);
    expect(reports.body.result[0].manager._ref).toBe(`managed/alpha_user/${maria._id}`);
    const read = await call(emu, 'dev', 'GET', `/openidm/managed/alpha_user/${maria._id}`, { token: idm });
    expect(read.body.userName).toBe('maria.manager');
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/alpha_user/nope', { token: idm })).status).toBe(404);
    const bad = await call(emu, 'dev', 'GET', `/openidm/managed/alpha_user?_queryFilter=${encodeURIComponent('userName eq')}`, { token: idm });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(400);
    expect((await call(emu, 'dev', 'GET', '/openidm/managed/alpha_user', { token: idm })).status).toBe(400);
  });
});
