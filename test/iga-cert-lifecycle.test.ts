// Certification lifecycle rules, one test each (issue 7 "Lifecycle rules"), plus template and campaign admin APIs.
import { describe, expect, it } from 'vitest';
import { advance, aicToken, call, testEmulator } from './helpers.js';
import type { GovernanceState } from '../src/aic/governance/model.js';
import type { Emulator } from '../src/emulator.js';

const T = '/iga/governance/certification/template';
const A = '/iga/governance/certification/admin/certification';
const R = '/iga/governance/certification/certification';
const DAY = 86_400_000;

function gov(emu: Emulator) {
  return emu.env('dev')!.slice<GovernanceState>('governance');
}

/** A template reviewed by one named user over the given users' access. */
function body(name: string, reviewerId: string, userIds: string[], extra: Record<string, unknown> = {}) {
  return {
    name,
    stagingEnabled: false,
    allowSelfCertification: false,
    enableForward: true,
    enableReassign: true,
    allowBulkCertify: true,
    allowPartialSignoff: false,
    remediationRule: 'BasicRevocation',
    remediationDelay: 0,
    certificationType: 'identity',
    ownerId: `managed/user/${reviewerId}`,
    stageDuration: 7,
    stages: [{ certifierType: 'user', certifierId: `managed/user/${reviewerId}` }],
    targetFilter: {
      type: ['accountGrant', 'entitlementGrant', 'roleMembership'],
      user: { operator: 'OR', operand: userIds.map((id) => ({ operator: 'EQUALS', operand: { targetName: 'id', targetValue: id } })) },
    },
    excludeRoleBasedAccess: true,
    requireJustification: { revoke: true, exceptionAllowed: false },
    ...extra,
  };
}

async function campaign(emu: Emulator, admin: string, b: Record<string, unknown>) {
  const t = await call(emu, 'dev', 'POST', T, { token: admin, body: b });
  expect(t.status).toBe(200);
  const s = await call(emu, 'dev', 'POST', '/iga/governance/certification', { token: admin, body: { templateId: t.body.id } });
  expect(s.status).toBe(200);
  await advance(emu, 5_000);
  return { templateId: t.body.id as string, certId: s.body.id as string };
}

async function setup() {
  const emu = testEmulator();
  const g = gov(emu);
  const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
  const maria = g.users.find((u) => u.userName === 'maria.manager')!;
  const tMaria = await aicToken(emu, 'dev', ['fr:iga:*'], maria._id, 'user');
  const subjects = g.users.filter((u) => g.grants.some((x) => x.userId === u._id && x.type === 'account')).slice(3, 6).map((u) => u._id);
  return { emu, g, admin, maria, tMaria, subjects };
}

describe('templates', () => {
  it('CRUD with the recorded errors, duplicate, and pending → active when a campaign runs', async () => {
    const { emu, admin, maria, subjects } = await setup();
    const created = await call(emu, 'dev', 'POST', T, { token: admin, body: body('Tpl A', maria._id, subjects) });
    expect(created.status).toBe(200);
    const id = created.body.id;
    expect(created.body).toMatchObject({ status: 'pending', name: 'Tpl A', scheduleId: `templateSchedule${id.replace(/-/g, '')}` });
    const other = await call(emu, 'dev', 'POST', T, { token: admin, body: body('Tpl B', maria._id, subjects) });
    // renaming onto another template's name is the same 400
    const clash = await call(emu, 'dev', 'PUT', `${T}/${other.body.id}`, { token: admin, body: body('Tpl A', maria._id, subjects) });
    expect(clash.status).toBe(400);
    expect(clash.body).toEqual({ message: 'Template already exists with the same name.' });
    expect((await call(emu, 'dev', 'POST', T, { token: admin, body: { description: 'no name' } })).status).toBe(400);
    const badFilter = await call(emu, 'dev', 'POST', T, { token: admin, body: { ...body('Tpl C', maria._id, subjects), targetFilter: { user: { operator: 'FROB' } } } });
    expect(badFilter.status).toBe(400);
    expect((await call(emu, 'dev', 'GET', `${T}?pageSize=10`, { token: admin })).body.result.map((t: any) => t.name)).toEqual(['Quarterly access review', 'Tpl A', 'Tpl B']);
    const dup = await call(emu, 'dev', 'POST', `${T}/${id}/duplicate`, { token: admin });
    expect(dup.body).toEqual({ message: 'Cert Template duplicated successfully' });
    const copy = await call(emu, 'dev', 'POST', `${T}/search`, { token: admin, body: { targetFilter: { operator: 'EQUALS', operand: { targetName: 'name', targetValue: 'Copy of Tpl A' } } } });
    expect(copy.body.result).toHaveLength(1);
    expect(copy.body.result[0].status).toBe('pending');
    expect((await call(emu, 'dev', 'DELETE', `${T}/nope`, { token: admin })).body).toEqual({ message: 'Cannot find template with id nope.' });
    expect((await call(emu, 'dev', 'POST', `${T}/nope/duplicate`, { token: admin })).status).toBe(404);
    const upd = await call(emu, 'dev', 'PUT', `${T}/${id}`, { token: admin, body: { ...body('Tpl A', maria._id, subjects), description: 'changed' } });
    expect(upd.body.description).toBe('changed');
    await call(emu, 'dev', 'POST', '/iga/governance/certification', { token: admin, body: { templateId: id } });
    expect((await call(emu, 'dev', 'GET', `${T}/${id}`, { token: admin })).body.status).toBe('active');
    expect((await call(emu, 'dev', 'POST', '/iga/governance/certification', { token: admin, body: { templateId: 'nope' } })).status).toBe(404);
    // template writes are audited as the caller
    const audit = emu.env('dev')!.logbook.view('idm-activity').map((e) => e.payload as any).filter((p) => p.objectId === `governance/certification/template/${id}`);
    expect(audit.map((p) => p.operation)).toEqual(['CREATE', 'UPDATE']);
  });

  it('admin endpoints refuse plain end users and tokens without fr:iga:*', async () => {
    const { emu, tMaria } = await setup();
    const r = await call(emu, 'dev', 'GET', T, { token: tMaria });
    expect(r.status).toBe(403);
    expect(Object.keys(r.body)).toEqual(['message']);
    const esv = await aicToken(emu, 'dev', ['fr:idc:esv:read']);
    expect((await call(emu, 'dev', 'GET', A, { token: esv })).status).toBe(403);
    const g = gov(emu);
    const govAdmin = await aicToken(emu, 'dev', ['fr:iga:*'], g.users.find((u) => u.userName === 'gov.admin')!._id, 'user');
    expect((await call(emu, 'dev', 'GET', A, { token: govAdmin })).status).toBe(200);
  });
});

describe('campaign lifecycle', () => {
  it('the default seed has an active campaign with pending items for maria.manager', async () => {
    const { emu, tMaria, admin } = await setup();
    const tasks = await call(emu, 'dev', 'GET', `${R}/items?status=active`, { token: tMaria });
    expect(tasks.status).toBe(200);
    expect(tasks.body.results).toHaveLength(1);
    expect(tasks.body.results[0]).toMatchObject({ campaignName: 'Quarterly access review', status: 'in-progress', progress: 0 });
    expect(tasks.body.results[0].totals['in-progress']).toBeGreaterThan(3);
    const list = await call(emu, 'dev', 'GET', `${A}?status=active`, { token: admin });
    expect(list.body.totalHits).toBe(1);
  });

  it('staging: items are generated pending and invisible to reviewers until the campaign is activated', async () => {
    const { emu, admin, maria, tMaria, subjects } = await setup();
    const { certId } = await campaign(emu, admin, body('Staged', maria._id, subjects, { stagingEnabled: true }));
    const c = await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin });
    expect(c.body.status).toBe('staging');
    expect(c.body.deadline).toBeNull();
    expect(c.body.totalItems).toBeGreaterThan(0);
    expect((await call(emu, 'dev', 'GET', `${R}/${certId}/items`, { token: tMaria })).body.totalHits).toBe(0);
    const tasks = await call(emu, 'dev', 'GET', `${A}/${certId}/tasks`, { token: admin });
    expect(tasks.body.result[0].status).toBe('staging');
    const act = await call(emu, 'dev', 'POST', `/iga/governance/certification/${certId}/activate`, { token: admin });
    expect(act.body.status).toBe('in-progress');
    expect(act.body.deadline).toBe(new Date(Date.parse(act.body.startDate) + 7 * DAY).toISOString());
    const items = await call(emu, 'dev', 'GET', `${R}/${certId}/items?_pageSize=100`, { token: tMaria });
    expect(items.body.totalHits).toBe(c.body.totalItems);
    expect(items.body.result.every((i: any) => i.decision.certification.status === 'in-progress')).toBe(true);
    expect((await call(emu, 'dev', 'POST', `/iga/governance/certification/${certId}/activate`, { token: admin })).status).toBe(400);
  });

  it('role-based access cannot be certified or revoked directly', async () => {
    const { emu, g, admin, maria, tMaria } = await setup();
    const subject = g.grants.find((x) => x.grantType === 'role')!.userId;
    const { certId } = await campaign(emu, admin, body('Roles', maria._id, [subject], { excludeRoleBasedAccess: false }));
    const items = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?_pageSize=100`, { token: tMaria })).body.result as any[];
    const rb = items.find((i) => i.relationship.properties.grantTypes[0].grantType === 'role')!;
    expect(rb).toBeDefined();
    for (const action of ['certify', 'revoke', 'exception']) {
      const r = await call(emu, 'dev', 'POST', `${R}/${certId}/items/${rb.id}/${action}`, { token: tMaria, body: { comment: 'x' } });
      expect(r.status).toBe(400);
      expect(r.body.message).toContain('role-based');
    }
    const bulk = await call(emu, 'dev', 'POST', `${R}/${certId}/items/certify`, { token: tMaria, body: { ids: items.map((i) => i.id) } });
    expect(bulk.body.idsNotActedOn).toEqual(items.filter((i) => i.relationship.properties.grantTypes[0].grantType === 'role').map((i) => i.id));
    expect(bulk.body.message).toContain('role-based access cannot be certified or revoked directly');
    // role-based items do not block sign-off
    const s = await call(emu, 'dev', 'POST', `${R}/${certId}/items/signoff?selectAllActorId=${maria._id}`, { token: tMaria, body: {} });
    expect(s.status).toBe(200);
    expect((await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin })).body.status).toBe('complete');
  });

  it('comments are required per template: revoke-only, or exceptions too', async () => {
    const { emu, admin, maria, tMaria, subjects } = await setup();
    const { certId } = await campaign(emu, admin, body('Comments', maria._id, subjects, { requireJustification: { revoke: true, exceptionAllowed: true } }));
    const [a, b, c] = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?_pageSize=100`, { token: tMaria })).body.result as any[];
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/${a.id}/revoke`, { token: tMaria, body: { comment: '  ' } })).status).toBe(400);
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/${b.id}/exception`, { token: tMaria, body: {} })).status).toBe(400);
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/${c.id}/certify`, { token: tMaria, body: {} })).status).toBe(200);
    const bulk = await call(emu, 'dev', 'POST', `${R}/${certId}/items/revoke`, { token: tMaria, body: { ids: [a.id, b.id] } });
    expect(bulk.body.idsNotActedOn).toEqual([a.id, b.id]);
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/revoke`, { token: tMaria, body: { ids: [a.id, b.id], comment: 'why' } })).body.idsNotActedOn).toEqual([]);
    // a template without justification lets exceptions through
    const { certId: c2 } = await campaign(emu, admin, body('No comments', maria._id, subjects, { requireJustification: { revoke: false, exceptionAllowed: false } }));
    const x = (await call(emu, 'dev', 'GET', `${R}/${c2}/items`, { token: tMaria })).body.result[0];
    expect((await call(emu, 'dev', 'POST', `${R}/${c2}/items/${x.id}/revoke`, { token: tMaria, body: {} })).status).toBe(200);
    // comment action itself needs text, and is recorded with its author
    expect((await call(emu, 'dev', 'POST', `${R}/${c2}/items/${x.id}/comment`, { token: tMaria, body: {} })).status).toBe(400);
    expect((await call(emu, 'dev', 'POST', `${R}/${c2}/items/${x.id}/comment`, { token: tMaria, body: { comment: 'checked with HR' } })).status).toBe(200);
    const item = (await call(emu, 'dev', 'GET', `${R}/${c2}/items?targetId=${x.id}`, { token: tMaria })).body.result[0];
    expect(item.decision.certification.comments).toEqual([{ user: expect.objectContaining({ id: maria._id, userName: 'maria.manager' }), comment: 'checked with HR', action: 'comment', timeStamp: expect.any(String) }]);
  });

  it('sign-off needs every item decided unless partial sign-off is allowed', async () => {
    const { emu, admin, maria, tMaria, subjects } = await setup();
    const { certId } = await campaign(emu, admin, body('Partial', maria._id, subjects, { allowPartialSignoff: true }));
    const items = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?_pageSize=100`, { token: tMaria })).body.result as any[];
    await call(emu, 'dev', 'POST', `${R}/${certId}/items/${items[0].id}/certify`, { token: tMaria, body: {} });
    const s = await call(emu, 'dev', 'POST', `${R}/${certId}/items/signoff`, { token: tMaria, body: { ids: items.map((i) => i.id) } });
    expect(s.status).toBe(200);
    expect(s.body.idsNotActedOn).toEqual(items.slice(1).map((i) => i.id));
    const c = await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin });
    expect(c.body.status).toBe('in-progress');
    const done = await call(emu, 'dev', 'GET', `${R}/${certId}/items?status=signed-off`, { token: tMaria });
    expect(done.body.result.map((i: any) => i.id)).toEqual([items[0].id]);
    // the signed item is read-only
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/${items[0].id}/revoke`, { token: tMaria, body: { comment: 'x' } })).status).toBe(400);
  });

  it('the deadline expires the campaign; update-deadline moves it; expired tasks are listed', async () => {
    const { emu, admin: admin0, maria, subjects } = await setup();
    const { certId } = await campaign(emu, admin0, body('Deadline', maria._id, subjects));
    // tokens expire with emulator time: long-lived ones for this test
    const admin = await aicToken(emu, 'dev', ['fr:iga:*'], 'test-service-account', 'serviceAccount', 30 * 86_400);
    const tMaria = await aicToken(emu, 'dev', ['fr:iga:*'], maria._id, 'user', 30 * 86_400);
    const c = (await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin })).body;
    const later = new Date(Date.parse(c.deadline) + 3 * DAY).toISOString();
    expect((await call(emu, 'dev', 'POST', `${A}/${certId}/update-deadline`, { token: admin, body: { newDeadline: 'soon' } })).status).toBe(400);
    expect((await call(emu, 'dev', 'POST', `${A}/${certId}/update-deadline`, { token: admin, body: { newDeadline: '2020-01-01T00:00:00Z' } })).status).toBe(400);
    const moved = await call(emu, 'dev', 'POST', `${A}/${certId}/update-deadline`, { token: admin, body: { newDeadline: later } });
    expect(moved.body.deadline).toBe(later);
    await advance(emu, 8 * DAY); // past the old deadline
    expect((await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin })).body.status).toBe('in-progress');
    await advance(emu, 3 * DAY);
    const exp = await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin });
    expect(exp.body.status).toBe('expired');
    const item = (await call(emu, 'dev', 'GET', `${R}/${certId}/items`, { token: tMaria })).body.result[0];
    expect(item.decision.certification).toMatchObject({ status: 'expired', isExpired: true });
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/${item.id}/certify`, { token: tMaria, body: {} })).status).toBe(400);
    expect((await call(emu, 'dev', 'GET', `${R}/items?status=expired`, { token: tMaria })).body.results.map((r: any) => r.campaignId)).toContain(certId);
    expect((await call(emu, 'dev', 'GET', `${A}?status=closed`, { token: admin })).body.result.map((r: any) => r.id)).toEqual([certId]);
  });

  it('cancel ends open work; cancelling twice is a 400', async () => {
    const { emu, admin, maria, tMaria, subjects } = await setup();
    const { certId } = await campaign(emu, admin, body('Cancel', maria._id, subjects));
    const r = await call(emu, 'dev', 'POST', `${A}/${certId}/cancel`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('cancelled');
    expect(r.body.completedBy).toMatchObject({ id: 'test-service-account', type: 'serviceAccount' });
    const items = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?_pageSize=100`, { token: tMaria })).body.result as any[];
    expect(items.every((i) => i.decision.certification.status === 'cancelled')).toBe(true);
    expect((await call(emu, 'dev', 'POST', `${A}/${certId}/cancel`, { token: admin })).status).toBe(400);
    expect((await call(emu, 'dev', 'POST', `${A}/nope/cancel`, { token: admin })).status).toBe(404);
  });

  it('self-certification is avoided: the subject falls back to the default certifier', async () => {
    const { emu, g, admin, tMaria, maria } = await setup();
    const subject = g.users.find((u) => g.grants.some((x) => x.userId === u._id && x.type === 'account'))!;
    const tpl = body('Self', subject._id, [subject._id], { defaultCertifierId: `managed/user/${maria._id}` });
    const { certId } = await campaign(emu, admin, tpl);
    const items = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?isAdmin=true&_pageSize=100`, { token: admin })).body.result as any[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.decision.certification.primaryReviewer.id === `managed/user/${maria._id}`)).toBe(true);
    expect((await call(emu, 'dev', 'GET', `${R}/${certId}/items`, { token: tMaria })).body.totalHits).toBe(items.length);
  });
});

describe('campaign queries', () => {
  it('lists campaigns with queryString, status, paging, sort and searchAfter', async () => {
    const { emu, admin, maria, subjects } = await setup();
    for (const n of ['Beta review', 'Alpha review', 'Gamma review']) await campaign(emu, admin, body(n, maria._id, subjects));
    const all = await call(emu, 'dev', 'GET', `${A}?_sortKeys=name&_sortDir=asc&_pageSize=2`, { token: admin });
    expect(all.body.result.map((c: any) => c.name)).toEqual(['Alpha review', 'Beta review']);
    expect(all.body.totalHits).toBe(4);
    const next = await call(emu, 'dev', 'GET', `${A}?_sortKeys=name&_sortDir=asc&_pageSize=2&_searchAfter=${encodeURIComponent(all.body.searchAfterKey.join(','))}`, { token: admin });
    expect(next.body.result.map((c: any) => c.name)).toEqual(['Gamma review', 'Quarterly access review']);
    const off = await call(emu, 'dev', 'GET', `${A}?_sortKeys=name&_sortDir=desc&_pageSize=1&_pagedResultsOffset=1`, { token: admin });
    expect(off.body.result.map((c: any) => c.name)).toEqual(['Gamma review']);
    const q = await call(emu, 'dev', 'GET', `${A}?queryString=gam`, { token: admin });
    expect(q.body.result.map((c: any) => c.name)).toEqual(['Gamma review']);
    expect((await call(emu, 'dev', 'GET', `${A}?status=closed`, { token: admin })).body.totalHits).toBe(0);
    expect((await call(emu, 'dev', 'GET', `${A}?status=bogus`, { token: admin })).status).toBe(400);
    expect((await call(emu, 'dev', 'GET', `${A}?_pageSize=x`, { token: admin })).status).toBe(400);
    expect((await call(emu, 'dev', 'GET', `${A}/nope`, { token: admin })).status).toBe(404);
  });

  it('searches items with a targetFilter and acts on all of an actor\'s items', async () => {
    const { emu, admin, maria, tMaria, subjects } = await setup();
    const { certId } = await campaign(emu, admin, body('Search', maria._id, subjects));
    const f = { operator: 'AND', operand: [
      { operator: 'EQUALS', operand: { targetName: 'decision.certification.primaryReviewer.id', targetValue: `managed/user/${maria._id}` } },
      { operator: 'EQUALS', operand: { targetName: 'item.type', targetValue: 'accountGrant' } },
    ] };
    const s = await call(emu, 'dev', 'POST', `${R}/${certId}/items/search?_pageSize=100`, { token: tMaria, body: { targetFilter: f } });
    expect(s.status).toBe(200);
    expect(s.body.totalCount).toBeGreaterThan(0);
    expect(s.body.result.every((i: any) => i.item.type === 'accountGrant')).toBe(true);
    const all = await call(emu, 'dev', 'GET', `${R}/${certId}/items?_pageSize=100&itemType=accountGrant`, { token: tMaria });
    expect(all.body.totalHits).toBe(s.body.totalCount);
    const cert = await call(emu, 'dev', 'POST', `${R}/${certId}/items/certify?selectAllActorId=managed/user/${maria._id}`, { token: tMaria, body: { ids: [] } });
    expect(cert.body).toEqual({ message: 'Action complete.', idsNotActedOn: [] });
    const counts = await call(emu, 'dev', 'GET', `${R}/${certId}/items?decision=certify&getCount=true`, { token: tMaria });
    expect(counts.body.count).toBe((await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin })).body.totalItems);
    const perms = await call(emu, 'dev', 'GET', `${R}/${certId}/items?appendUserPermissions=true&_pageSize=1`, { token: tMaria });
    expect(perms.body.result[0].permissions).toMatchObject({ certify: true, signoff: true });
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/frobnicate`, { token: tMaria, body: { ids: [] } })).status).toBe(400);
    expect((await call(emu, 'dev', 'GET', `${R}/items`, { token: tMaria })).status).toBe(400);
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/certify`, { token: tMaria, body: { ids: 'x' } })).status).toBe(400);
  });

  it('state survives snapshot → seed unchanged', async () => {
    const { emu, admin, maria, subjects } = await setup();
    await campaign(emu, admin, body('Snap', maria._id, subjects));
    const s1 = await call(emu, 'dev', 'GET', '/__emulator/snapshot');
    expect((await call(emu, 'dev', 'POST', '/__emulator/seed', { body: s1.body })).status).toBe(200);
    const s2 = await call(emu, 'dev', 'GET', '/__emulator/snapshot');
    const dev = (s: any) => s.aic.environments.find((e: any) => e.name === 'dev').igaCertifications;
    expect(dev(s2.body)).toEqual(dev(s1.body));
    expect(dev(s1.body).campaigns).toHaveLength(2);
  });
});

describe('scheduled templates', () => {
  it('a template schedule starts the campaign on the clock', async () => {
    const { emu, admin, maria, subjects } = await setup();
    const now = Date.parse('2026-11-23T12:00:00.000Z');
    const startTime = new Date(now + 3_600_000).toISOString();
    const t = await call(emu, 'dev', 'POST', T, { token: admin, body: { ...body('Scheduled', maria._id, subjects), schedule: { enabled: true, type: 'simple', startTime, endTime: null, repeatInterval: 7 * DAY, repeatCount: -1 } } });
    expect(t.status).toBe(200);
    const read = await call(emu, 'dev', 'GET', `${T}/${t.body.id}`, { token: admin });
    expect(read.body.schedule).toMatchObject({ _id: t.body.scheduleId, startTime, nextRunDate: startTime });
    expect((await call(emu, 'dev', 'GET', `${A}?queryString=Scheduled`, { token: admin })).body.totalHits).toBe(0);
    await advance(emu, 3_600_000);
    await advance(emu, 5_000); // generation follows the start
    const tok = await aicToken(emu, 'dev', ['fr:iga:*']);
    const list = await call(emu, 'dev', 'GET', `${A}?queryString=Scheduled`, { token: tok });
    expect(list.body.result.map((c: any) => [c.templateId, c.status])).toEqual([[t.body.id, 'in-progress']]);
    expect((await call(emu, 'dev', 'GET', `${T}/${t.body.id}`, { token: tok })).body.status).toBe('active');
  });
});

describe('expiration actions', () => {
  it('expirationAction revoke closes open items with a revoke by the expiration process, then remediates', async () => {
    const { emu, admin: a0, maria, subjects } = await setup();
    const { certId } = await campaign(emu, a0, body('Expire revoke', maria._id, subjects, { expirationAction: 'revoke', expirationActionDelay: 0 }));
    const admin = await aicToken(emu, 'dev', ['fr:iga:*'], 'test-service-account', 'serviceAccount', 30 * 86_400);
    const tMaria = await aicToken(emu, 'dev', ['fr:iga:*'], maria._id, 'user', 30 * 86_400);
    const items = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?_pageSize=100`, { token: tMaria })).body.result as any[];
    await call(emu, 'dev', 'POST', `${R}/${certId}/items/${items[0].id}/certify`, { token: tMaria, body: {} });
    await call(emu, 'dev', 'POST', `${R}/${certId}/items/signoff`, { token: tMaria, body: { ids: [items[0].id] } }); // partial not allowed → 400, item stays decided
    await advance(emu, 7 * DAY);
    const c = await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin });
    expect(c.body.status).toBe('expired');
    const after = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?isAdmin=true&_pageSize=100`, { token: admin })).body.result as any[];
    const open = after.filter((i) => i.id !== items[0].id);
    expect(open.every((i) => i.decision.certification.decision === 'revoke' && i.decision.certification.decisionBy.id === 'iga-expiration' && i.decision.certification.status === 'expired')).toBe(true);
    expect(after.find((i) => i.id === items[0].id).decision.certification.decision).toBe('certify');
    const grantIds = new Set(gov(emu).grants.map((g) => g.id));
    await advance(emu, 5_000);
    const g2 = new Set(gov(emu).grants.map((g) => g.id));
    // each revoked item's grant is gone (a revoked role membership takes its role-based grants with it)
    expect(grantIds.size - g2.size).toBeGreaterThanOrEqual(open.length);
    const done = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?isAdmin=true&_pageSize=100`, { token: admin })).body.result as any[];
    expect(done.filter((i) => i.decision.certification.remediated).length).toBe(open.length);
    expect(gov(emu).grants.filter((g) => subjects.includes(g.userId) && g.grantType !== 'role').length).toBe(1);
  });

  it('expirationAction reassign hands open items to the reassignee and keeps the campaign active', async () => {
    const { emu, g, admin: a0, maria, subjects } = await setup();
    const oscar = g.users.find((u) => u.userName === 'oscar.owner')!;
    const { certId } = await campaign(emu, a0, body('Expire reassign', maria._id, subjects, { expirationAction: 'reassign', expirationReassignee: `managed/user/${oscar._id}` }));
    await advance(emu, 7 * DAY);
    const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
    const tOscar = await aicToken(emu, 'dev', ['fr:iga:*'], oscar._id, 'user');
    expect((await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin })).body.status).toBe('in-progress');
    const mine = await call(emu, 'dev', 'GET', `${R}/items?status=active`, { token: tOscar });
    expect(mine.body.results.map((r: any) => r.campaignId)).toEqual([certId]);
    const items = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?_pageSize=100`, { token: tOscar })).body.result as any[];
    expect(items.every((i) => i.decision.certification.isExpired && i.decision.certification.primaryReviewer.id === `managed/user/${oscar._id}`)).toBe(true);
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/certify`, { token: tOscar, body: { ids: items.map((i) => i.id) } })).body.idsNotActedOn).toEqual([]);
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/signoff?selectAllActorId=${oscar._id}`, { token: tOscar, body: {} })).status).toBe(200);
    expect((await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin })).body.status).toBe('complete');
  });
});

describe('bad input', () => {
  it('malformed bodies get IGA 400s and change nothing', async () => {
    const { emu, admin, tMaria } = await setup();
    const before = (await call(emu, 'dev', 'GET', '/__emulator/snapshot')).text;
    const certId = (await call(emu, 'dev', 'GET', A, { token: admin })).body.result[0].id;
    const itemId = (await call(emu, 'dev', 'GET', `${R}/${certId}/items`, { token: tMaria })).body.result[0].id;
    const cases: Array<[string, string, string, string]> = [
      ['POST', T, 'not json', admin],
      ['POST', T, '[1,2]', admin],
      ['POST', `${T}/search`, '{"targetFilter":{"operator":"NOPE"}}', admin],
      ['POST', '/iga/governance/certification', '{}', admin],
      ['POST', `${A}/${certId}/update-deadline`, '{}', admin],
      ['POST', `${R}/${certId}/items/certify`, '{"ids":[1]}', tMaria],
      ['POST', `${R}/${certId}/items/forward`, '{"ids":[]}', tMaria],
      ['POST', `${R}/${certId}/items/search`, '{"targetFilter":{"operator":"EQUALS"}}', tMaria],
      ['POST', `${R}/${certId}/items/${itemId}/reassign`, '{"newActorId":"managed/user/nobody"}', tMaria],
    ];
    for (const [method, path, raw, token] of cases) {
      const r = await call(emu, 'dev', method, path, { token, raw });
      expect(r.status, `${method} ${path} ${raw}`).toBe(400);
      expect(typeof r.body.message, `${method} ${path}`).toBe('string');
    }
    // state unchanged (ignoring the log of requests)
    const after = (await call(emu, 'dev', 'GET', '/__emulator/snapshot')).text;
    const certs = (t: string) => JSON.stringify(JSON.parse(t).aic.environments.map((e: any) => e.igaCertifications));
    expect(certs(after)).toBe(certs(before));
  });
});
