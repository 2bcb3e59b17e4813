// ISC certifications: collection parameters, governance groups, decision rules, reassignment (sync and task on the
// clock), remediation after sign-off, events search, the per-token 429 on the clock, /beta, snapshot round trip.
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../src/emulator.js';
import { advance, call, iscToken, testEmulator } from './helpers.js';
import { ALICE, BOB, CARL, CERT_AUTOMATION, OLIVIA } from './isc-cert-helpers.js';

const enc = encodeURIComponent;

async function aliceCert(emu: Emulator, token: string) {
  const res = await call(emu, 'isc', 'GET', `/v3/certifications?reviewer-identity=me&filters=${enc('phase eq "ACTIVE"')}`, { token });
  return res.body[0] as { id: string; campaign: { id: string }; decisionsTotal: number; identitiesTotal: number };
}

async function items(emu: Emulator, token: string, certId: string, qs = '') {
  const res = await call(emu, 'isc', 'GET', `/v3/certifications/${certId}/access-review-items${qs}`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body as Array<{ id: string; identitySummary: { id: string; identityId: string; name: string }; accessSummary: { access: { type: string; id: string; name: string } }; decision?: string; completed: boolean; remediation: null | { status: string } }>;
}

describe('GET /v3/certifications collection parameters', () => {
  it('filters, sorters, paging and X-Total-Count', async () => {
    const emu = testEmulator();
    const olivia = await iscToken(emu, OLIVIA);
    const all = await call(emu, 'isc', 'GET', '/v3/certifications?count=true', { token: olivia });
    expect(all.status).toBe(200);
    expect(all.headers.get('x-total-count')).toBe('5');
    expect(all.body).toHaveLength(5);

    const page = await call(emu, 'isc', 'GET', '/v3/certifications?limit=2&offset=1&count=true&sorters=name', { token: olivia });
    expect(page.headers.get('x-total-count')).toBe('5');
    const names = [...all.body.map((c: { name: string }) => c.name)].sort((a: string, b: string) => a.localeCompare(b));
    expect(page.body.map((c: { name: string }) => c.name)).toEqual(names.slice(1, 3));
    const desc = await call(emu, 'isc', 'GET', '/v3/certifications?sorters=-name', { token: olivia });
    expect(desc.body.map((c: { name: string }) => c.name)).toEqual([...names].reverse());
    expect((await call(emu, 'isc', 'GET', '/v3/certifications?count=false', { token: olivia })).headers.get('x-total-count')).toBeNull();

    const campaignId = all.body.find((c: { phase: string }) => c.phase === 'SIGNED').campaign.id;
    const byCampaign = await call(emu, 'isc', 'GET', `/v3/certifications?filters=${enc(`campaign.id in ("${campaignId}","nope")`)}`, { token: olivia });
    expect(byCampaign.body).toHaveLength(1);
    const open = await call(emu, 'isc', 'GET', `/v3/certifications?filters=${enc('completed eq false and phase eq "ACTIVE"')}`, { token: olivia });
    expect(open.body).toHaveLength(4);
    const one = await call(emu, 'isc', 'GET', `/v3/certifications?filters=${enc(`id eq "${all.body[2].id}"`)}`, { token: olivia });
    expect(one.body.map((c: { id: string }) => c.id)).toEqual([all.body[2].id]);

    for (const bad of ['limit=251', 'limit=abc', 'offset=-1', 'count=yes', `filters=${enc('name eq "x"')}`, `filters=${enc('phase co "A"')}`, `filters=${enc('phase eq')}`, 'sorters=created']) {
      const res = await call(emu, 'isc', 'GET', `/v3/certifications?${bad}`, { token: olivia });
      expect(res.status, bad).toBe(400);
      expect(res.body.detailCode).toBe('400.1 Bad Request Content');
      expect(res.body.causes).toHaveLength(1);
    }
  });

  it('non-admins only see what they review; reviewer-identity narrows', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const bob = await iscToken(emu, BOB);
    const carl = await iscToken(emu, CARL);
    expect((await call(emu, 'isc', 'GET', '/v3/certifications', { token: carl })).body).toEqual([]);
    const aliceAll = await call(emu, 'isc', 'GET', '/v3/certifications', { token: alice });
    expect(aliceAll.body.map((c: { reviewer: { id: string } }) => c.reviewer.id)).toEqual([ALICE]);
    expect((await call(emu, 'isc', 'GET', `/v3/certifications?reviewer-identity=${BOB}`, { token: alice })).body).toEqual([]);
    // bob reviews his own certifications and, as a member, the governance group's
    const bobs = await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me', { token: bob });
    expect(bobs.body.map((c: { reviewer: { type: string } }) => c.reviewer.type).sort()).toEqual(['GOVERNANCE_GROUP', 'IDENTITY', 'IDENTITY']);
  });
});

describe('governance-group certifications (S2: not supported by these APIs)', () => {
  it('get, items, decide and sign-off answer 400; non-members 403', async () => {
    const emu = testEmulator();
    const olivia = await iscToken(emu, OLIVIA);
    const bob = await iscToken(emu, BOB);
    const alice = await iscToken(emu, ALICE);
    const gg = (await call(emu, 'isc', 'GET', '/v3/certifications', { token: olivia })).body.find((c: { reviewer: { type: string } }) => c.reviewer.type === 'GOVERNANCE_GROUP');
    expect(gg.reviewer).toMatchObject({ type: 'GOVERNANCE_GROUP', name: 'Finance Reviewers', email: null });
    for (const [method, path, body] of [
      ['GET', `/v3/certifications/${gg.id}`, undefined],
      ['GET', `/v3/certifications/${gg.id}/access-review-items`, undefined],
      ['POST', `/v3/certifications/${gg.id}/decide`, [{ id: 'x', decision: 'APPROVE', bulk: false }]],
      ['POST', `/v3/certifications/${gg.id}/sign-off`, undefined],
    ] as const) {
      for (const token of [olivia, bob]) {
        const res = await call(emu, 'isc', method, path, { token, body });
        expect(res.status, path).toBe(400);
        expect(res.body.causes[0].text).toMatch(/Governance Groups/);
      }
      expect((await call(emu, 'isc', method, path, { token: alice, body })).status).toBe(403);
    }
  });
});

describe('decide', () => {
  it('validates all decisions before applying any, and enforces the campaign comment rule', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const cert = await aliceCert(emu, alice);
    const list = await items(emu, alice, cert.id);
    const cases: Array<[unknown, RegExp]> = [
      [[{ id: list[0]!.id, decision: 'APPROVE', bulk: false }, { id: 'missing', decision: 'APPROVE', bulk: false }], /does not exist/],
      [[{ id: list[0]!.id, decision: 'REVOKE', bulk: false }], /Comments are required/],
      [[{ id: list[0]!.id, decision: 'REVOKE', bulk: false, comments: '  ' }], /Comments are required/],
      [[{ id: list[0]!.id, decision: 'MAYBE', bulk: false }], /decision/],
      [[{ id: list[0]!.id, decision: 'APPROVE' }], /bulk/],
      [[], /./],
      [{ id: list[0]!.id }, /./],
      [[{ id: list[0]!.id, decision: 'APPROVE', bulk: false }, { id: list[0]!.id, decision: 'REVOKE', bulk: false, comments: 'x' }], /Duplicate/],
    ];
    for (const [body, why] of cases) {
      const res = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.causes[0].text).toMatch(why);
    }
    const malformed = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, raw: '[{' });
    expect(malformed.status).toBe(400);
    // nothing was applied
    const now = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}`, { token: alice });
    expect(now.body.decisionsMade).toBe(0);

    // a decision can be changed until sign-off; counts follow
    const first = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: [{ id: list[0]!.id, decision: 'APPROVE', bulk: false }] });
    expect(first.body).toMatchObject({ decisionsMade: 1, completed: false, identitiesCompleted: 0 });
    const changed = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: [{ id: list[0]!.id, decision: 'REVOKE', bulk: false, comments: 'left the team' }] });
    expect(changed.body.decisionsMade).toBe(1);
    // decide one identity's items entirely → identitiesCompleted 1
    const firstIdentity = list.filter((i) => i.identitySummary.identityId === list[0]!.identitySummary.identityId);
    const done = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: firstIdentity.slice(1).map((i) => ({ id: i.id, decision: 'APPROVE', bulk: true })) });
    expect(done.body.identitiesCompleted).toBe(1);
    expect(done.body.modified).toBe('2026-11-23T12:00:00.000Z');
    const item = (await items(emu, alice, cert.id, `?filters=${enc(`id eq "${list[0]!.id}"`)}`))[0]!;
    expect(item).toMatchObject({ decision: 'REVOKE', comments: 'left the team', completed: true });
  });
});

describe('access-review-items parameters', () => {
  it('filters by type, completion, identity and access; one of entitlements/access-profiles/roles; sorters', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const cert = await aliceCert(emu, alice);
    const all = await items(emu, alice, cert.id, '?count=true');
    expect(all).toHaveLength(cert.decisionsTotal);
    const roles = await items(emu, alice, cert.id, `?filters=${enc('access.type eq "ROLE"')}`);
    expect(roles).toHaveLength(cert.identitiesTotal);
    expect(roles.every((r) => r.accessSummary.access.type === 'ROLE')).toBe(true);
    const ents = await items(emu, alice, cert.id, `?filters=${enc('type eq "ENTITLEMENT"')}`);
    expect(ents).toHaveLength(cert.identitiesTotal * 2);
    const entId = ents[0]!.accessSummary.access.id;
    const byEnt = await items(emu, alice, cert.id, `?entitlements=${entId}`);
    expect(byEnt.length).toBeGreaterThan(0);
    expect(byEnt.every((i) => i.accessSummary.access.id === entId)).toBe(true);
    const roleId = roles[0]!.accessSummary.access.id;
    expect((await items(emu, alice, cert.id, `?roles=${roleId}`)).every((i) => i.accessSummary.access.id === roleId)).toBe(true);
    const both = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items?entitlements=${entId}&roles=${roleId}`, { token: alice });
    expect(both.status).toBe(400);
    const summary = all[0]!.identitySummary;
    expect(await items(emu, alice, cert.id, `?filters=${enc(`identitySummary.id eq "${summary.id}"`)}`)).toHaveLength(4);
    expect((await items(emu, alice, cert.id, `?filters=${enc(`identitySummary.name sw "${summary.name.slice(0, 3)}"`)}`)).length).toBeGreaterThanOrEqual(4);
    const sorted = await items(emu, alice, cert.id, '?sorters=access.name');
    const sortedNames = sorted.map((i) => i.accessSummary.access.name);
    expect(sortedNames).toEqual([...sortedNames].sort((a, b) => a.localeCompare(b)));
    await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: [{ id: all[0]!.id, decision: 'APPROVE', bulk: false }] });
    expect(await items(emu, alice, cert.id, `?filters=${enc('completed eq true')}`)).toHaveLength(1);
    expect(await items(emu, alice, cert.id, `?filters=${enc('completed ne true')}`)).toHaveLength(all.length - 1);
    expect(await items(emu, alice, cert.id, '?limit=3&offset=2')).toHaveLength(3);
  });
});

describe('summaries', () => {
  it('decision summary, identity summaries and access summaries follow the decisions', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const cert = await aliceCert(emu, alice);
    const list = await items(emu, alice, cert.id);
    const ids = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/identity-summaries?count=true&sorters=name`, { token: alice });
    expect(ids.headers.get('x-total-count')).toBe(String(cert.identitiesTotal));
    const names = ids.body.map((s: { name: string }) => s.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
    const first = list.filter((i) => i.identitySummary.id === list[0]!.identitySummary.id);
    await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: first.map((i, n) => (n === 0 ? { id: i.id, decision: 'REVOKE', bulk: false, comments: 'x' } : { id: i.id, decision: 'APPROVE', bulk: false })) });
    const sum = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/decision-summary`, { token: alice });
    expect(sum.body).toMatchObject({ roleDecisionsMade: 1, rolesRevoked: 1, accessProfileDecisionsMade: 1, accessProfilesApproved: 1, entitlementDecisionsMade: 2, entitlementsApproved: 2, roleDecisionsTotal: cert.identitiesTotal, entitlementDecisionsTotal: cert.identitiesTotal * 2, accountDecisionsTotal: 0 });
    const scoped = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/decision-summary?filters=${enc(`identitySummary.id eq "${list[0]!.identitySummary.id}"`)}`, { token: alice });
    expect(scoped.body).toMatchObject({ roleDecisionsTotal: 1, entitlementDecisionsTotal: 2 });
    const done = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/identity-summaries?filters=${enc('completed eq true')}`, { token: alice });
    expect(done.body.map((s: { id: string }) => s.id)).toEqual([list[0]!.identitySummary.id]);
    expect((await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/identity-summaries/${list[0]!.identitySummary.id}`, { token: alice })).body.completed).toBe(true);
    const roles = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-summaries/ROLE?sorters=access.name`, { token: alice });
    const distinct = new Set(list.filter((i) => i.accessSummary.access.type === 'ROLE').map((i) => i.accessSummary.access.id));
    expect(roles.body).toHaveLength(distinct.size);
    expect(roles.body.every((r: { access: { type: string }; role: unknown }) => r.access.type === 'ROLE' && r.role)).toBe(true);
    expect((await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-summaries/ACCOUNT`, { token: alice })).status).toBe(400);
    expect((await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/identity-summaries`, { token: await iscToken(emu, CARL) })).status).toBe(403);
  });
});

describe('item permissions', () => {
  it('lists an entitlement item\'s permissions with target/rights filters; other items have none', async () => {
    const emu = testEmulator();
    const olivia = await iscToken(emu, OLIVIA);
    const certs = (await call(emu, 'isc', 'GET', `/v3/certifications?filters=${enc('phase eq "ACTIVE"')}`, { token: olivia })).body.filter((c: { reviewer: { type: string } }) => c.reviewer.type === 'IDENTITY');
    let found: { certId: string; itemId: string } | undefined;
    let plain: { certId: string; itemId: string } | undefined;
    for (const c of certs) {
      for (const it of await items(emu, olivia, c.id)) {
        const ent = (it.accessSummary as { entitlement?: { hasPermissions: boolean; permissions?: unknown } }).entitlement;
        expect(ent?.permissions).toBeUndefined();
        if (ent?.hasPermissions) found ??= { certId: c.id, itemId: it.id };
        else plain ??= { certId: c.id, itemId: it.id };
      }
    }
    expect(found).toBeDefined();
    const perms = await call(emu, 'isc', 'GET', `/v3/certifications/${found!.certId}/access-review-items/${found!.itemId}/permissions?count=true`, { token: olivia });
    expect(perms.status).toBe(200);
    expect(perms.body.length).toBe(2);
    expect(perms.headers.get('x-total-count')).toBe('2');
    const target = perms.body[0].target as string;
    const byTarget = await call(emu, 'isc', 'GET', `/v3/certifications/${found!.certId}/access-review-items/${found!.itemId}/permissions?filters=${enc(`target eq "${target}"`)}`, { token: olivia });
    expect(byTarget.body).toEqual([perms.body[0]]);
    const rights = perms.body[1].rights as string[];
    const byRights = await call(emu, 'isc', 'GET', `/v3/certifications/${found!.certId}/access-review-items/${found!.itemId}/permissions?filters=${enc(`rights ca (${rights.map((r) => `"${r}"`).join(',')})`)}`, { token: olivia });
    expect(byRights.body).toEqual([perms.body[1]]);
    expect((await call(emu, 'isc', 'GET', `/v3/certifications/${plain!.certId}/access-review-items/${plain!.itemId}/permissions`, { token: olivia })).body).toEqual([]);
    expect((await call(emu, 'isc', 'GET', `/v3/certifications/${found!.certId}/access-review-items/nope/permissions`, { token: olivia })).status).toBe(404);
    expect((await call(emu, 'isc', 'GET', `/v3/certifications/${found!.certId}/access-review-items/${found!.itemId}/permissions`, { token: await iscToken(emu, CARL) })).status).toBe(403);
  });
});

describe('reassignment', () => {
  it('sync: items move to a new certification for the new reviewer with the reassignment block', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const bob = await iscToken(emu, BOB);
    const cert = await aliceCert(emu, alice);
    const list = await items(emu, alice, cert.id);
    const summary = list[0]!.identitySummary;
    const res = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/reassign`, { token: alice, body: { reassign: [{ id: summary.id, type: 'IDENTITY_SUMMARY' }], reassignTo: BOB, reason: 'Bob manages this person now' } });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(cert.id);
    expect(res.body.decisionsTotal).toBe(cert.decisionsTotal - 4);
    expect(res.body.identitiesTotal).toBe(cert.identitiesTotal - 1);
    const bobs = await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me', { token: bob });
    const moved = bobs.body.find((c: { reassignment: unknown }) => c.reassignment);
    expect(moved).toMatchObject({ decisionsTotal: 4, identitiesTotal: 1, campaign: { id: cert.campaign.id }, reviewer: { id: BOB }, reassignment: { comment: 'Bob manages this person now', from: { id: cert.id, type: 'CERTIFICATION', reviewer: { id: ALICE, type: 'IDENTITY' } } } });
    const reviewers = await call(emu, 'isc', 'GET', `/v3/certifications/${moved.id}/reviewers?sorters=name`, { token: bob });
    expect(reviewers.body.map((r: { id: string }) => r.id).sort()).toEqual([ALICE, BOB].sort());
    // alice no longer sees the moved items
    expect((await call(emu, 'isc', 'GET', `/v3/certifications/${moved.id}`, { token: alice })).status).toBe(403);
    // bad requests
    for (const body of [
      { reassign: [{ id: list[1]!.id, type: 'ITEM' }], reassignTo: ALICE, reason: 'self' },
      { reassign: [{ id: 'nope', type: 'ITEM' }], reassignTo: BOB, reason: 'x' },
      { reassign: [{ id: list[1]!.id, type: 'ITEM' }], reassignTo: 'nobody', reason: 'x' },
      { reassign: Array.from({ length: 51 }, () => ({ id: list[1]!.id, type: 'ITEM' })), reassignTo: BOB, reason: 'x' },
      { reassign: [{ id: list[1]!.id, type: 'ITEM' }], reassignTo: BOB },
    ]) {
      const bad = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/reassign`, { token: alice, body });
      expect(bad.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const events = await call(emu, 'isc', 'POST', '/v3/search', { token: await iscToken(emu, OLIVIA), body: { indices: ['events'], query: { query: 'operation:REASSIGN' } } });
    expect(events.body).toHaveLength(1);
    expect(events.body[0]).toMatchObject({ actor: { name: 'alice.reviewer' }, technicalName: 'CERTIFICATION_REASSIGN_PASSED', attributes: { reassignedTo: BOB, newCertificationId: moved.id } });
  });

  it('async: a QUEUED task that completes on the clock, listed as pending until then', async () => {
    const emu = testEmulator();
    const automation = await iscToken(emu, CERT_AUTOMATION);
    const alice = await iscToken(emu, ALICE);
    const cert = await aliceCert(emu, alice);
    const list = await items(emu, alice, cert.id);
    const task = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/reassign-async`, { token: automation, body: { reassign: [{ id: list[0]!.id, type: 'ITEM' }, { id: list[1]!.id, type: 'ITEM' }], reassignTo: OLIVIA, reason: 'escalation' } });
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({ type: 'REASSIGN', targetType: 'CERTIFICATION', targetId: cert.id, status: 'QUEUED', created: '2026-11-23T12:00:00.000Z' });
    // the reviewer of the target certification sees it among pending tasks
    const pending = await call(emu, 'isc', 'GET', '/v3/certification-tasks?reviewer-identity=me', { token: alice });
    expect(pending.body.map((t: { id: string }) => t.id)).toEqual([task.body.id]);
    expect((await call(emu, 'isc', 'GET', `/v3/certification-tasks?filters=${enc(`targetId eq "${cert.id}" and type in ("REASSIGN")`)}`, { token: automation })).body).toHaveLength(1);
    expect((await call(emu, 'isc', 'GET', '/v3/certification-tasks', { token: await iscToken(emu, CARL) })).body).toEqual([]);
    expect((await call(emu, 'isc', 'GET', `/v3/certification-tasks/${task.body.id}`, { token: await iscToken(emu, CARL) })).status).toBe(403);
    expect((await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}`, { token: alice })).body.decisionsTotal).toBe(cert.decisionsTotal);

    await advance(emu, 4_999);
    expect((await call(emu, 'isc', 'GET', `/v3/certification-tasks/${task.body.id}`, { token: alice })).body.status).toBe('QUEUED');
    await advance(emu, 1);
    const done = await call(emu, 'isc', 'GET', `/v3/certification-tasks/${task.body.id}`, { token: alice });
    expect(done.body).toMatchObject({ status: 'SUCCESS', reassignmentTrailDTOs: [{ previousOwner: ALICE, newOwner: OLIVIA, reassignmentType: 'MANUAL_REASSIGNMENT' }] });
    expect((await call(emu, 'isc', 'GET', '/v3/certification-tasks', { token: alice })).body).toEqual([]);
    expect((await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}`, { token: alice })).body.decisionsTotal).toBe(cert.decisionsTotal - 2);
    // the reassignment is attributed to the identity that submitted it (the API client's service identity)
    const ev = await call(emu, 'isc', 'POST', '/v3/search', { token: automation, body: { indices: ['events'], query: { query: 'technicalName:CERTIFICATION_REASSIGN_PASSED' } } });
    expect(ev.body[0].actor.name).toBe('cert-automation');
    expect((await call(emu, 'isc', 'GET', '/v3/certification-tasks/unknown', { token: alice })).status).toBe(404);
  });
});

describe('sign-off remediation and the events index', () => {
  it('revoked items are remediated after sign-off, on the clock', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const olivia = await iscToken(emu, OLIVIA);
    const cert = await aliceCert(emu, alice);
    const list = await items(emu, alice, cert.id);
    await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: list.map((i, n) => (n < 2 ? { id: i.id, decision: 'REVOKE', bulk: false, comments: 'not needed' } : { id: i.id, decision: 'APPROVE', bulk: true })) });
    expect((await items(emu, alice, cert.id)).every((i) => i.remediation === null)).toBe(true);
    const signed = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/sign-off`, { token: alice });
    expect(signed.status).toBe(200);
    const afterSign = await items(emu, alice, cert.id);
    expect(afterSign.filter((i) => i.remediation?.status === 'PENDING').map((i) => i.id)).toEqual([list[0]!.id, list[1]!.id]);
    // decisions are final once signed
    const late = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: [{ id: list[3]!.id, decision: 'APPROVE', bulk: false }] });
    expect(late.status).toBe(400);
    await advance(emu, 60_000);
    expect((await items(emu, alice, cert.id)).filter((i) => i.remediation?.status === 'COMPLETED')).toHaveLength(2);
    const q = async (query: string, extra: Record<string, unknown> = {}) => (await call(emu, 'isc', 'POST', '/v3/search?count=true', { token: olivia, body: { indices: ['events'], query: { query }, ...extra } }));
    const rem = await q('technicalName:CERTIFICATION_REMEDIATION_*');
    expect(rem.body.map((e: { status: string; actor: { name: string } }) => [e.status, e.actor.name])).toEqual([['STARTED', 'alice.reviewer'], ['PASSED', 'alice.reviewer']]);
    // query syntax: phrases, wildcards, NOT, grouping, sort, paging
    expect((await q(`attributes.certificationId:${cert.id} AND operation:DECIDE`)).body).toHaveLength(list.length);
    expect((await q(`attributes.certificationId:${cert.id} AND attributes.decision:REVOKE`)).body).toHaveLength(2);
    expect((await q(`actor.name:alice* AND NOT operation:DECIDE`)).body.map((e: { operation: string }) => e.operation)).toEqual(['SIGNOFF', 'REMEDIATION', 'REMEDIATION']);
    expect((await q('operation:(SIGNOFF OR REASSIGN)')).headers.get('x-total-count')).toBe('2'); // the seeded sign-off and alice's
    expect((await q('target.name:"Manager Access Review for Alice Reviewer" AND operation:SIGNOFF')).body).toHaveLength(1);
    const sorted = await q('operation:SIGNOFF', { sort: ['-created'] });
    expect(sorted.body[0].actor.name).toBe('alice.reviewer');
    const paged = await call(emu, 'isc', 'POST', '/v3/search?limit=1&offset=1&count=true', { token: olivia, body: { indices: ['events'], query: { query: 'operation:SIGNOFF' }, sort: ['created'] } });
    expect(paged.body).toHaveLength(1);
    expect(paged.body[0].actor.name).toBe('alice.reviewer');
    expect(paged.headers.get('x-total-count')).toBe('2');
    // a bare term matches any field, as Elasticsearch's query_string does: the certification id in attributes
    expect((await q(cert.id)).body.length).toBe((await q(`attributes.certificationId:${cert.id}`)).body.length);
    for (const body of [{ indices: ['nope'], query: { query: '*' } }, { indices: ['events'], query: { query: '(unbalanced' } }, { indices: ['events'], queryType: 'DSL', queryDsl: {} }]) {
      expect((await call(emu, 'isc', 'POST', '/v3/search', { token: olivia, body })).status).toBe(400);
    }
    expect((await call(emu, 'isc', 'POST', '/v3/search', { token: alice, body: { indices: ['events'], query: { query: '*' } } })).status).toBe(403);
  });
});

describe('rate limit per access token (SPEC §7)', () => {
  it('100 requests per 10 s window per token, then 429 with Retry-After from the clock', async () => {
    const emu = testEmulator();
    // the frozen test clock starts at 12:00:00.000, a window boundary; move 3.5 s into the window
    await advance(emu, 3_500);
    const alice = await iscToken(emu, ALICE);
    const bob = await iscToken(emu, BOB);
    for (let i = 0; i < 100; i++) {
      const ok = await call(emu, 'isc', 'GET', '/v3/certification-tasks', { token: alice });
      expect(ok.status).toBe(200);
    }
    const limited = await call(emu, 'isc', 'GET', '/v3/certifications', { token: alice });
    expect(limited.status).toBe(429);
    expect(limited.text).toBe('{"message":" Rate Limit Exceeded "}');
    expect(limited.headers.get('retry-after')).toBe('7');
    // /beta shares the token's window; another token has its own
    expect((await call(emu, 'isc', 'GET', '/beta/certifications', { token: alice })).status).toBe(429);
    expect((await call(emu, 'isc', 'GET', '/v3/certifications', { token: bob })).status).toBe(200);
    await advance(emu, 5_000);
    expect((await call(emu, 'isc', 'GET', '/v3/certifications', { token: alice })).headers.get('retry-after')).toBe('2');
    await advance(emu, 1_500);
    expect((await call(emu, 'isc', 'GET', '/v3/certifications', { token: alice })).status).toBe(200);
  });

  it('is configurable with the fixture key iscRateLimit', async () => {
    const base = testEmulator();
    const fixture = base.snapshot() as { isc: Record<string, unknown> };
    fixture.isc.iscRateLimit = { requests: 2, windowSeconds: 60 };
    const emu = testEmulator({ fixture } as never);
    const alice = await iscToken(emu, ALICE);
    expect((await call(emu, 'isc', 'GET', '/v3/certifications', { token: alice })).status).toBe(200);
    expect((await call(emu, 'isc', 'GET', '/v3/certifications', { token: alice })).status).toBe(200);
    const limited = await call(emu, 'isc', 'GET', '/v3/certifications', { token: alice });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
  });
});

describe('tokens, /beta and persistence', () => {
  it('401 bodies for missing and expired tokens', async () => {
    const emu = testEmulator();
    const none = await call(emu, 'isc', 'GET', '/v3/certifications');
    expect(none.status).toBe(401);
    expect(Object.keys(none.body)).toEqual(['error']);
    const alice = await iscToken(emu, ALICE, 60);
    await advance(emu, 61_000);
    const expired = await call(emu, 'isc', 'POST', '/v3/certifications/x/sign-off', { token: alice });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: 'JWT validation failed: JWT is expired' });
  });

  it('the same operations answer under /beta', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const v3 = await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me', { token: alice });
    const beta = await call(emu, 'isc', 'GET', '/beta/certifications?reviewer-identity=me', { token: alice });
    expect(beta.status).toBe(200);
    expect(beta.body).toEqual(v3.body);
    const certId = v3.body[0].id;
    expect((await call(emu, 'isc', 'GET', `/beta/certifications/${certId}/access-review-items?limit=1`, { token: alice })).body).toHaveLength(1);
  });

  it('decisions, sign-off, tasks and events survive snapshot → seed losslessly', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const cert = await aliceCert(emu, alice);
    const list = await items(emu, alice, cert.id);
    await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/reassign-async`, { token: alice, body: { reassign: [{ id: list[0]!.id, type: 'ITEM' }], reassignTo: BOB, reason: 'x' } });
    await advance(emu, 5_000);
    const rest = await items(emu, alice, cert.id);
    await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: rest.map((i) => ({ id: i.id, decision: 'REVOKE', bulk: true, comments: 'gone' })) });
    await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/sign-off`, { token: alice });
    const snap = emu.snapshot();
    const again = testEmulator({ fixture: JSON.parse(JSON.stringify(snap)) } as never);
    expect(JSON.stringify(again.snapshot())).toBe(JSON.stringify(snap));
    const olivia = await iscToken(again, OLIVIA);
    const read = await call(again, 'isc', 'GET', `/v3/certifications/${cert.id}`, { token: olivia });
    expect(read.body).toMatchObject({ phase: 'SIGNED', signer: { id: ALICE } });
  });
});
