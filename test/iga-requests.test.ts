// IGA access requests end to end through the public HTTP surface: validation, creation for users × items,
// approval phases (manager, then owner), fulfilment on the clock into governance data, rejection,
// cancellation, permissions, approvals lists, timelines, expiry and the default seed's pending requests.
import { beforeEach, describe, expect, it } from 'vitest';
import { advance, aicToken, call } from './helpers.js';
import type { Emulator } from '../src/emulator.js';
import type { GovernanceState, User } from '../src/aic/governance/model.js';
import { igaSetup, userNamed, userToken } from './iga-helpers.js';

const ENV = 'dev';
let emu: Emulator;
let admin: string;
let gov: GovernanceState;

const byName = (n: string) => userNamed(gov, n);
const tokenOf = (u: User) => userToken(emu, ENV, u);
const holds = (userId: string, type: string, id: string) => gov.grants.some((g) => g.userId === userId && g.type === type && g.assignmentId === id);

/** An entitlement the user does not hold, owned by someone other than the user and their manager. */
function freshEntitlement(u: User, except: string[] = []) {
  return gov.entitlements.find((e) => !holds(u._id, 'entitlement', e.id) && !except.includes(e.id) && !e.ownerIds.includes(u._id) && !e.ownerIds.includes(u.manager ?? ''))!;
}
/** Users with a manager and no admin role, whose manager is not an owner of `entId`. */
function reportees(n: number): User[] {
  const seeded = new Set((emu.env(ENV)!.slice<any>('requests').requests as any[]).map((r) => r.user?.id));
  return gov.users.filter((u) => u.manager && !u.roles.length && !seeded.has(u._id)).slice(0, n);
}

beforeEach(async () => {
  ({ emu, admin, gov } = await igaSetup(ENV));
});

describe('access request lifecycle (issue end-to-end)', () => {
  it('validates, creates for two users, approves as manager then owner, fulfils on the clock, rejects, cancels', async () => {
    const [alice, bob, carol] = reportees(3) as [User, User, User];
    const ent = gov.entitlements.find((e) => [alice, bob, carol].every((u) => !holds(u._id, 'entitlement', e.id) && !e.ownerIds.includes(u._id)))!;
    const held = gov.grants.find((g) => g.userId === alice._id && g.type === 'entitlement')!;

    // 1. a bad request: unknown user, unknown item, access already held → errors listed, nothing created
    const before = (await call(emu, ENV, 'GET', '/iga/governance/requests', { token: admin })).body.totalCount;
    const bad = await call(emu, ENV, 'POST', '/iga/governance/requests?_action=validate', {
      token: admin,
      body: { users: ['no-such-user', alice._id], catalogs: [{ type: 'entitlement', id: 'no-such-entitlement' }, { type: 'entitlement', id: held.assignmentId }], justification: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.result).toEqual([]);
    const codes = bad.body.errors.map((e: any) => `${e.user}:${e.catalogId}:${e.error}`);
    expect(codes).toContain(`no-such-user:no-such-entitlement:USER_NOT_FOUND`);
    expect(codes).toContain(`${alice._id}:no-such-entitlement:ITEM_NOT_FOUND`);
    expect(codes).toContain(`${alice._id}:${held.assignmentId}:ALREADY_ASSIGNED`);
    const single = await call(emu, ENV, 'POST', '/iga/governance/requests/entitlementGrant?_action=validate', { token: admin, body: { common: { userId: alice._id, entitlementId: held.assignmentId } } });
    expect(single.status).toBe(400);
    expect(single.body.errors[0]).toMatch(/already has entitlement/);
    const badCreate = await call(emu, ENV, 'POST', '/iga/governance/requests', { token: admin, body: { users: [alice._id], catalogs: [{ type: 'entitlement', id: held.assignmentId }] } });
    expect(badCreate.status).toBe(400);
    expect((await call(emu, ENV, 'GET', '/iga/governance/requests', { token: admin })).body.totalCount).toBe(before);

    // 2. a good request for two users (one request per user × item), requested by the first user herself
    const aliceTok = await tokenOf(alice);
    const created = await call(emu, ENV, 'POST', '/iga/governance/requests?_action=create', { token: aliceTok, body: { users: [alice._id, bob._id], catalogs: [{ type: 'entitlement', id: ent.id }], justification: 'Project work' } });
    expect(created.status).toBe(200);
    expect(created.body.errors).toEqual([]);
    expect(created.body.result).toHaveLength(2);
    const [reqA, reqB] = created.body.result as [string, string];

    const a0 = (await call(emu, ENV, 'GET', `/iga/governance/requests/${reqA}`, { token: admin })).body;
    expect(a0.requester.id).toBe(alice._id);
    expect(a0.requestType).toBe('entitlementGrant');
    expect(a0.user.userName).toBe(alice.userName);
    expect(a0.decision).toMatchObject({ status: 'in-progress', decision: null, outcome: null });
    expect(a0.decision.phases).toHaveLength(1);
    expect(a0.decision.phases[0]).toMatchObject({ name: 'approvalTask-manager', status: 'in-progress' });
    expect(a0.decision.actors.active.map((a: any) => a.id)).toEqual([`managed/user/${alice.manager}`]);

    // the manager sees it in the approvals list; the owner does not yet
    const manager = gov.users.find((u) => u._id === alice.manager)!;
    const managerTok = await tokenOf(manager);
    const mgrList = await call(emu, ENV, 'POST', `/iga/governance/user/${manager._id}/approvals?_action=search`, { token: managerTok, body: {} });
    expect(mgrList.status).toBe(200);
    expect(mgrList.body.result.map((r: any) => r.id)).toContain(reqA);
    const owner = gov.users.find((u) => u._id === ent.ownerIds[0])!;
    const ownerTok = await tokenOf(owner);
    const ownerBefore = await call(emu, ENV, 'POST', `/iga/governance/user/${owner._id}/approvals?_action=search`, { token: ownerTok, body: {} });
    expect(ownerBefore.body.result.map((r: any) => r.id)).not.toContain(reqA);

    // only current approvers may decide
    const bobTok = await tokenOf(bob);
    const notYours = await call(emu, ENV, 'POST', `/iga/governance/requests/${reqA}?_action=approve`, { token: bobTok, body: { comment: 'me' } });
    expect(notYours.status).toBe(403);
    expect(notYours.body).toEqual({ message: expect.stringMatching(/not authorized/) });
    const ownerTooEarly = await call(emu, ENV, 'POST', `/iga/governance/requests/${reqA}?_action=approve`, { token: ownerTok, body: {} });
    if (owner._id !== manager._id) expect(ownerTooEarly.status).toBe(403);

    // 3. manager approves → owner phase
    const m1 = await call(emu, ENV, 'POST', `/iga/governance/requests/${reqA}?_action=approve&phaseName=approvalTask-manager`, { token: managerTok, body: { comment: 'OK from manager' } });
    expect(m1.status).toBe(200);
    expect(m1.body.decision.phases.map((p: any) => [p.name, p.status, p.decision])).toEqual([
      ['approvalTask-manager', 'complete', 'approve'],
      ['approvalTask-74cf85c35437', 'in-progress', null],
    ]);
    expect(m1.body.decision.phases[0].completedBy.id).toBe(manager._id);
    expect(m1.body.decision.actors.active.map((a: any) => a.id)).toEqual([`managed/user/${owner._id}`]);
    expect(m1.body.decision.actors.inactive.map((a: any) => a.id)).toEqual([`managed/user/${manager._id}`]);
    const ownerNow = await call(emu, ENV, 'POST', `/iga/governance/user/${owner._id}/approvals?_action=search`, { token: ownerTok, body: {} });
    expect(ownerNow.body.result.map((r: any) => r.id)).toContain(reqA);
    const mgrDone = await call(emu, ENV, 'POST', `/iga/governance/user/${manager._id}/approvals?_action=search&actorStatus=inactive`, { token: managerTok, body: {} });
    expect(mgrDone.body.result.map((r: any) => r.id)).toContain(reqA);

    // 4. owner approves → approved, fulfilment pending on the clock
    const o1 = await call(emu, ENV, 'POST', `/iga/governance/requests/${reqA}?_action=approve`, { token: ownerTok, body: { comment: 'OK from owner' } });
    expect(o1.status).toBe(200);
    expect(o1.body.decision).toMatchObject({ status: 'in-progress', decision: 'approved', outcome: null });
    expect(holds(alice._id, 'entitlement', ent.id)).toBe(false);
    await advance(emu, 5_000);
    const a2 = (await call(emu, ENV, 'GET', `/iga/governance/requests/${reqA}`, { token: admin })).body;
    expect(a2.decision).toMatchObject({ status: 'complete', decision: 'approved', outcome: 'provisioned' });
    expect(a2.decision.completionDate).toBe('2026-11-23T12:00:05.000Z');
    expect(holds(alice._id, 'entitlement', ent.id)).toBe(true);
    expect(gov.grants.find((g) => g.userId === alice._id && g.assignmentId === ent.id)!.grantType).toBe('request');

    // timeline: who did what, in order
    expect(a2.decision.comments.map((c: any) => [c.action, c.user.id])).toEqual([
      ['request', alice._id],
      ['approve', manager._id],
      ['approve', owner._id],
      ['approved', 'system'],
      ['fulfilment', 'system'],
    ]);
    expect(a2.decision.comments[1].comment).toBe('OK from manager');

    // 5. reject the second
    const bobMgrTok = await tokenOf(gov.users.find((u) => u._id === bob.manager)!);
    const rj = await call(emu, ENV, 'POST', `/iga/governance/requests/${reqB}?_action=reject`, { token: bobMgrTok, body: { comment: 'Not needed' } });
    expect(rj.status).toBe(200);
    expect(rj.body.decision).toMatchObject({ status: 'complete', decision: 'rejected', outcome: 'denied' });
    expect(rj.body.decision.actors.active).toEqual([]);
    await advance(emu, 60_000);
    expect(holds(bob._id, 'entitlement', ent.id)).toBe(false);
    const again = await call(emu, ENV, 'POST', `/iga/governance/requests/${reqB}?_action=approve`, { token: bobMgrTok, body: {} });
    expect(again.status).toBe(400);

    // 6. cancel a third: not by someone else, yes by the requester while pending
    const carolTok = await tokenOf(carol);
    const c3 = await call(emu, ENV, 'POST', '/iga/governance/requests/entitlementGrant', { token: carolTok, body: { common: { userId: carol._id, entitlementId: ent.id, justification: 'please' } } });
    expect(c3.status).toBe(200);
    const reqC = c3.body.id;
    expect((await call(emu, ENV, 'POST', `/iga/governance/requests/${reqC}?_action=cancel`, { token: bobTok, body: {} })).status).toBe(403);
    const cancelled = await call(emu, ENV, 'POST', `/iga/governance/requests/${reqC}?_action=cancel`, { token: carolTok, body: { comment: 'changed my mind' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.decision).toMatchObject({ status: 'cancelled', outcome: 'cancelled' });
    expect(cancelled.body.decision.comments.at(-1)).toMatchObject({ action: 'cancel', user: { id: carol._id } });
    expect((await call(emu, ENV, 'POST', `/iga/governance/requests/${reqC}?_action=cancel`, { token: carolTok, body: {} })).status).toBe(400);

    // the user's own view and the audit trail
    const mine = await call(emu, ENV, 'GET', `/iga/governance/user/${alice._id}/requests`, { token: aliceTok });
    expect(mine.status).toBe(200);
    expect(mine.body.result.map((r: any) => r.id)).toEqual(expect.arrayContaining([reqA, reqB]));
    const searched = await call(emu, ENV, 'POST', `/iga/governance/user/${alice._id}/requests?_action=search`, { token: aliceTok, body: { targetFilter: { operator: 'AND', operand: [{ operator: 'EQUALS', operand: { targetName: 'user.userName', targetValue: bob.userName } }] } } });
    expect(searched.body.result.map((r: any) => r.id)).toEqual([reqB]);
    expect((await call(emu, ENV, 'GET', `/iga/governance/user/${alice._id}/requests`, { token: bobTok })).status).toBe(403);
    expect((await call(emu, ENV, 'GET', `/iga/governance/requests/${reqC}`, { token: aliceTok })).status).toBe(403);
    // every step is in the activity log, attributed to the identity that acted
    const audit = emu.env(ENV)!.logbook.view('idm-activity').map((e: any) => e.payload).filter((p: any) => p.objectId === `governance/requests/${reqA}`);
    expect(audit.map((p: any) => [p.operation, p.details.action ?? 'create', p.userId])).toEqual([
      ['CREATE', 'create', alice._id],
      ['ACTION', 'approve', manager._id],
      ['ACTION', 'approve', owner._id],
      ['ACTION', 'fulfil', alice._id],
    ]);
    expect(audit[3].details.outcome).toBe('provisioned');
  });

  it('grants an application and a role, removes an entitlement, and routes role approvals through role membership', async () => {
    const [u] = reportees(1) as [User];
    const app = gov.applications.find((a) => !holds(u._id, 'account', a.id))!;
    const r = await call(emu, ENV, 'POST', '/iga/governance/requests/applicationGrant', { token: admin, body: { common: { userId: u._id, applicationId: app.id, context: { type: 'admin' } } } });
    expect(r.status).toBe(200);
    // admin context skips approval (recording workflow: "Request auto-approved due to request context: admin")
    expect(r.body.decision).toMatchObject({ decision: 'approved', phases: [] });
    await advance(emu, 5_000);
    expect(holds(u._id, 'account', app.id)).toBe(true);

    const ent = gov.grants.find((g) => g.userId === u._id && g.type === 'entitlement' && g.grantType === 'recon')!;
    const rm = await call(emu, ENV, 'POST', '/iga/governance/requests/entitlementRemove', { token: admin, body: { common: { userId: u._id, entitlementId: ent.assignmentId } } });
    expect(rm.status).toBe(200);
    const approver = rm.body.decision.actors.active[0].id.replace('managed/user/', '');
    const tok = await tokenOf(gov.users.find((x) => x._id === approver)!);
    expect((await call(emu, ENV, 'POST', `/iga/governance/requests/${rm.body.id}?_action=approve`, { token: tok, body: {} })).status).toBe(200);
    await advance(emu, 5_000);
    expect(holds(u._id, 'entitlement', ent.assignmentId)).toBe(false);
    const notHeld = await call(emu, ENV, 'POST', '/iga/governance/requests/entitlementRemove?_action=validate', { token: admin, body: { common: { userId: u._id, entitlementId: ent.assignmentId } } });
    expect(notHeld.body.errors[0]).toMatch(/does not have entitlement/);

    // reassign the manager phase of a role request to a governance role: members decide through the role
    const role = gov.roles.find((x) => !holds(u._id, 'role', x.id))!;
    const rr = await call(emu, ENV, 'POST', '/iga/governance/requests/roleGrant', { token: admin, body: { common: { userId: u._id, roleId: role.id } } });
    const other = gov.roles.find((x) => x.id !== role.id)!;
    const member = gov.grants.find((g) => g.type === 'role' && g.assignmentId === other.id && g.userId !== u._id)!;
    const ra = await call(emu, ENV, 'POST', `/iga/governance/requests/${rr.body.id}?_action=reassign`, { token: admin, body: { updatedActors: [{ id: `managed/role/${other.id}` }] } });
    expect(ra.status).toBe(200);
    expect(ra.body.decision.actors.active).toEqual([expect.objectContaining({ id: `managed/role/${other.id}`, name: other.name })]);
    const memberTok = await tokenOf(gov.users.find((x) => x._id === member.userId)!);
    const viaRole = await call(emu, ENV, 'POST', `/iga/governance/user/${member.userId}/approvals?_action=search`, { token: memberTok, body: {} });
    expect(viaRole.body.result.map((x: any) => x.id)).toContain(rr.body.id);
    expect((await call(emu, ENV, 'POST', `/iga/governance/requests/${rr.body.id}?_action=approve`, { token: memberTok, body: {} })).status).toBe(200);
  });

  it('expires a phase per the workflow expiration settings (7 days, reject)', async () => {
    const [u] = reportees(1) as [User];
    const ent = freshEntitlement(u);
    const r = await call(emu, ENV, 'POST', '/iga/governance/requests/entitlementGrant', { token: admin, body: { common: { userId: u._id, entitlementId: ent.id } } });
    expect(r.body.decision.phases[0].events.expiration).toMatchObject({ action: 'reject', date: '2026-11-30T12:00:00.000Z' });
    await advance(emu, 7 * 86_400_000 - 1000);
    admin = await aicToken(emu, ENV, ['fr:iga:*']);
    expect((await call(emu, ENV, 'GET', `/iga/governance/requests/${r.body.id}`, { token: admin })).body.decision.status).toBe('in-progress');
    await advance(emu, 1000);
    admin = await aicToken(emu, ENV, ['fr:iga:*']);
    const done = (await call(emu, ENV, 'GET', `/iga/governance/requests/${r.body.id}`, { token: admin })).body;
    expect(done.decision).toMatchObject({ status: 'complete', decision: 'rejected', outcome: 'denied' });
    expect(done.decision.comments.at(-1)).toMatchObject({ action: 'expire', user: { id: 'system' } });
  });

  it('requires fields of the form assigned to the request type', async () => {
    const [u] = reportees(1) as [User];
    const ent = freshEntitlement(u);
    const form = await call(emu, ENV, 'POST', '/iga/governance/requestForms', { token: admin, body: { name: 'Cost centre', type: 'request', categories: { operation: 'create' }, form: { fields: [{ id: 'row', fields: [{ id: 'f1', model: 'costCentre', type: 'string', label: 'Cost centre', validation: { required: true } }] }] } } });
    expect(form.status).toBe(200);
    expect((await call(emu, ENV, 'POST', '/iga/governance/requestFormAssignments?_action=assign', { token: admin, body: { formId: form.body.id, objectId: 'requestType/entitlementGrant' } })).status).toBe(200);
    const missing = await call(emu, ENV, 'POST', '/iga/governance/requests/entitlementGrant', { token: admin, body: { common: { userId: u._id, entitlementId: ent.id } } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual(['Form field costCentre (Cost centre) is required']);
    const ok = await call(emu, ENV, 'POST', '/iga/governance/requests/entitlementGrant', { token: admin, body: { common: { userId: u._id, entitlementId: ent.id }, custom: { costCentre: 'CC-42' } } });
    expect(ok.status).toBe(200);
    expect(ok.body.request.custom).toEqual({ costCentre: 'CC-42' });
  });

  it('lists the catalog from the governance data', async () => {
    const res = await call(emu, ENV, 'GET', '/iga/governance/catalog?_pageSize=1000', { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.totalCount).toBe(gov.applications.length + gov.entitlements.filter((e) => e.requestable).length + gov.roles.filter((r) => r.requestable).length);
    const search = await call(emu, ENV, 'POST', '/iga/governance/catalog/search', { token: admin, body: { targetFilter: { operator: 'EQUALS', operand: { targetName: 'role.name', targetValue: gov.roles[0]!.name } } } });
    expect(search.body.result).toEqual([expect.objectContaining({ id: gov.roles[0]!.id, item: { type: 'roleMembership' } })]);
    // a catalog entry can be requested as the catalog names it
    const [u] = reportees(1) as [User];
    const item = search.body.result[0];
    const v = await call(emu, ENV, 'POST', '/iga/governance/requests?_action=validate', { token: admin, body: { users: [u._id], catalogs: [{ type: item.item.type, id: item.id }] } });
    expect(v.status).toBe(holds(u._id, 'role', item.id) ? 400 : 200);
    expect(v.body.result).toEqual([]);
  });
});

describe('approvals through a delegate', () => {
  it('shows and lets the delegate decide while the delegation lasts', async () => {
    const maria = byName('maria.manager');
    const d = gov.users.find((u) => !u.roles.length && u.manager && u._id !== maria._id && u.userName !== 'oscar.owner')!;
    const dTok = await tokenOf(d);
    const list = async () => (await call(emu, ENV, 'POST', `/iga/governance/user/${d._id}/approvals?_action=search`, { token: await tokenOf(d), body: {} })).body.result.map((r: any) => r.user.userName);
    expect(await list()).not.toContain('oscar.owner');
    const add = await call(emu, ENV, 'POST', '/__emulator/iga/delegates?env=dev', { body: { userId: maria._id, delegateId: d._id, endDate: '2026-11-24T12:00:00.000Z' } });
    expect(add.status).toBe(200);
    expect(await list()).toContain('oscar.owner');
    const pending = (await call(emu, ENV, 'POST', `/iga/governance/user/${d._id}/approvals?_action=search`, { token: dTok, body: {} })).body.result.find((r: any) => r.user.userName === 'oscar.owner');
    expect((await call(emu, ENV, 'GET', `/iga/governance/requests/${pending.id}`, { token: dTok })).status).toBe(200);
    // after the delegation ends the items go back to maria only
    await advance(emu, 86_400_000);
    expect(await list()).not.toContain('oscar.owner');
    const late = await call(emu, ENV, 'POST', `/iga/governance/requests/${pending.id}?_action=approve`, { token: await tokenOf(d), body: {} });
    expect(late.status).toBe(403);
    await call(emu, ENV, 'POST', '/__emulator/iga/delegates?env=dev', { body: { userId: maria._id, delegateId: d._id } });
    const ok = await call(emu, ENV, 'POST', `/iga/governance/requests/${pending.id}?_action=approve`, { token: await tokenOf(d), body: { comment: 'covering for Maria' } });
    expect(ok.status).toBe(200);
    expect(ok.body.decision.phases[0].completedBy.id).toBe(d._id);
    expect((await call(emu, ENV, 'DELETE', `/__emulator/iga/delegates?env=dev&userId=${maria._id}&delegateId=${d._id}`)).status).toBe(204);
    expect((await call(emu, ENV, 'GET', '/__emulator/iga/delegates?env=dev')).body).toEqual({ result: [] });
  });
});

describe('default seed', () => {
  it('has pending requests awaiting maria.manager', async () => {
    const maria = byName('maria.manager');
    const tok = await tokenOf(maria);
    const res = await call(emu, ENV, 'POST', `/iga/governance/user/${maria._id}/approvals?_action=search`, { token: tok, body: {} });
    expect(res.status).toBe(200);
    expect(res.body.totalCount).toBeGreaterThanOrEqual(2);
    for (const r of res.body.result) {
      expect(r.user.userName).toBe('oscar.owner');
      expect(r.decision.status).toBe('in-progress');
      expect(r.decision.actors.active).toEqual([expect.objectContaining({ id: `managed/user/${maria._id}`, userName: 'maria.manager' })]);
    }
    // maria can approve one: it moves to the owner phase
    const first = res.body.result[0];
    const ok = await call(emu, ENV, 'POST', `/iga/governance/requests/${first.id}?_action=approve`, { token: tok, body: {} });
    expect(ok.status).toBe(200);
    expect(ok.body.decision.phases.at(-1).status).toBe('in-progress');
    // generated requests do not expire
    await advance(emu, 30 * 86_400_000);
    admin = await aicToken(emu, ENV, ['fr:iga:*']);
    const all = await call(emu, ENV, 'GET', '/iga/governance/requests?_queryFilter=decision/status eq "in-progress"', { token: admin });
    expect(all.body.totalCount).toBeGreaterThanOrEqual(3);
  });
});
