// End-to-end certification lifecycle (issue 7 "Done when"): template → campaign → clock → items → two reviewers
// (certify, revoke with comment, forward, reassign) → sign-off → remediation → campaign closes; actors recorded.
import { describe, expect, it } from 'vitest';
import { advance, aicToken, call, testEmulator } from './helpers.js';
import type { GovernanceState } from '../src/aic/governance/model.js';

const T = '/iga/governance/certification/template';
const A = '/iga/governance/certification/admin/certification';
const R = '/iga/governance/certification/certification';

function setup() {
  const emu = testEmulator();
  const gov = emu.env('dev')!.slice<GovernanceState>('governance');
  const byName = (n: string) => gov.users.find((u) => u.userName === n)!;
  // two generated managers with reports that hold access
  const managers = [...new Set(gov.users.map((u) => u.manager).filter((m): m is string => !!m))].filter((m) => {
    const u = gov.users.find((x) => x._id === m)!;
    return !['gov.admin', 'maria.manager'].includes(u.userName) && gov.users.some((r) => r.manager === m && gov.grants.some((g) => g.userId === r._id && g.type === 'account'));
  });
  return { emu, gov, byName, m1: managers[0]!, m2: managers[1]! };
}

function templateBody(name: string, m1: string, m2: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    description: 'e2e',
    stagingEnabled: false,
    allowSelfCertification: false,
    enableForward: true,
    enableReassign: true,
    reassignPermissions: { certify: true, comment: true, exception: true, forward: true, reassign: true, reset: true, revoke: true, signoff: true },
    allowBulkCertify: true,
    allowPartialSignoff: false,
    remediationRule: 'BasicRevocation',
    remediationDelay: 0,
    certificationType: 'identity',
    ownerId: 'managed/user/825d6063-67c7-4acb-af2a-e43ee6430653',
    stageDuration: 14,
    stages: [{ certifierType: 'manager' }],
    targetFilter: {
      type: ['accountGrant', 'entitlementGrant'],
      user: { operator: 'OR', operand: [m1, m2].map((m) => ({ operator: 'EQUALS', operand: { targetName: 'manager', targetValue: `managed/user/${m}` } })) },
      application: { operator: 'ALL', operand: [] },
    },
    excludeRoleBasedAccess: true,
    requireJustification: { revoke: true, exceptionAllowed: true },
    ...extra,
  };
}

describe('certification end to end', () => {
  it('runs a campaign from template to remediation with attributed decisions', async () => {
    const { emu, gov, byName, m1, m2 } = setup();
    const env = emu.env('dev')!;
    const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
    const tM1 = await aicToken(emu, 'dev', ['fr:iga:*'], m1, 'user');
    const tM2 = await aicToken(emu, 'dev', ['fr:iga:*'], m2, 'user');
    const maria = byName('maria.manager');
    const oscar = byName('oscar.owner');
    const tMaria = await aicToken(emu, 'dev', ['fr:iga:*'], maria._id, 'user');
    const tOscar = await aicToken(emu, 'dev', ['fr:iga:*'], oscar._id, 'user');

    // template: pending until a campaign runs
    const t = await call(emu, 'dev', 'POST', T, { token: admin, body: templateBody('E2E review', m1, m2) });
    expect(t.status).toBe(200);
    expect(t.body.status).toBe('pending');

    // start a campaign the way the schedule script does: POST iga/governance/certification {templateId}
    const start = await call(emu, 'dev', 'POST', '/iga/governance/certification', { token: admin, body: { templateId: t.body.id } });
    expect(start.status).toBe(200);
    expect(start.body.status).toBe('creating');
    const certId = start.body.id as string;
    expect((await call(emu, 'dev', 'GET', `${T}/${t.body.id}`, { token: admin })).body.status).toBe('active');

    // generation is asynchronous on the clock
    let camp = await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin });
    expect(camp.body.status).toBe('creating');
    expect(camp.body.totalItems).toBe(0);
    await advance(emu, 5_000);
    camp = await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin });
    expect(camp.body.status).toBe('in-progress');
    expect(camp.body.totalItems).toBeGreaterThan(2);
    expect(camp.body.deadline).toBe(new Date(Date.parse(camp.body.startDate) + 14 * 86_400_000).toISOString());

    const tasks = await call(emu, 'dev', 'GET', `${A}/${certId}/tasks?_pageSize=50`, { token: admin });
    expect(tasks.body.result.map((r: any) => r.actor.id).sort()).toEqual([m1, m2].sort());

    // reviewer 1 sees their task and items
    const my = await call(emu, 'dev', 'GET', `${R}/items?status=active`, { token: tM1 });
    expect(my.status).toBe(200);
    const task = my.body.results.find((r: any) => r.campaignId === certId);
    expect(task.certifierId).toBe(`managed/user/${m1}`);
    expect(task.totals['in-progress']).toBe(task.totals.total);
    expect(task.progress).toBe(0);
    const items1 = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?_pageSize=100`, { token: tM1 })).body.result as any[];
    const items2 = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?_pageSize=100`, { token: tM2 })).body.result as any[];
    expect(items1.length).toBe(task.totals.total);
    expect(items1.every((i) => i.decision.certification.primaryReviewer.id === `managed/user/${m1}`)).toBe(true);
    expect(items1.length + items2.length).toBe(camp.body.totalItems);

    const revokeItem = items1.find((i) => i.item.type === 'accountGrant')!;
    const forwarded = items1.find((i) => i.id !== revokeItem.id)!;
    const revokedGrant = gov.grants.find((g) => g.userId === revokeItem.user.id && g.type === 'account' && g.assignmentId === revokeItem.application.id)!;
    expect(revokedGrant).toBeDefined();

    // revoke needs a comment (requireJustification.revoke)
    const noComment = await call(emu, 'dev', 'POST', `${R}/${certId}/items/${revokeItem.id}/revoke`, { token: tM1, body: {} });
    expect(noComment.status).toBe(400);
    const revoke = await call(emu, 'dev', 'POST', `${R}/${certId}/items/${revokeItem.id}/revoke`, { token: tM1, body: { comment: 'left the team' } });
    expect(revoke.status).toBe(200);
    expect(revoke.body).toEqual({ message: 'Action complete.', idsNotActedOn: [] });

    // someone who is not a reviewer of the item gets the 403
    const stranger = await call(emu, 'dev', 'POST', `${R}/${certId}/items/${items2[0].id}/certify`, { token: tM1, body: {} });
    expect(stranger.status).toBe(403);
    expect(Object.keys(stranger.body)).toEqual(['message']);

    // forward one item to maria: reviewer 1 loses it, maria decides it
    const fwd = await call(emu, 'dev', 'POST', `${R}/${certId}/items/${forwarded.id}/forward`, { token: tM1, body: { newActorId: `managed/user/${maria._id}`, comment: 'Maria owns this' } });
    expect(fwd.status).toBe(200);
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/${forwarded.id}/certify`, { token: tM1, body: {} })).status).toBe(403);
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/${forwarded.id}/certify`, { token: tMaria, body: {} })).status).toBe(200);

    // bulk certify the rest of reviewer 1's items; a foreign id is listed as not acted on
    const rest1 = items1.filter((i) => i.id !== revokeItem.id && i.id !== forwarded.id).map((i) => i.id);
    const bulk = await call(emu, 'dev', 'POST', `${R}/${certId}/items/certify`, { token: tM1, body: { ids: [...rest1, items2[0].id] } });
    expect(bulk.status).toBe(200);
    expect(bulk.body.idsNotActedOn).toEqual([items2[0].id]);

    // reviewer 2 reassigns one item to oscar (decide only), oscar certifies it
    const reassigned = items2[0];
    const re = await call(emu, 'dev', 'POST', `${R}/${certId}/items/${reassigned.id}/reassign`, { token: tM2, body: { newActorId: `managed/user/${oscar._id}`, permissions: { certify: true, revoke: true, comment: true } } });
    expect(re.status).toBe(200);
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/${reassigned.id}/certify`, { token: tOscar, body: {} })).status).toBe(200);
    // oscar may not sign off (no signoff permission): the item is listed as not acted on
    const oscarSign = await call(emu, 'dev', 'POST', `${R}/${certId}/items/signoff`, { token: tOscar, body: { ids: [reassigned.id] } });
    expect(oscarSign.body.idsNotActedOn).toEqual([reassigned.id]);

    // reviewer 2 cannot sign off before every item has a decision
    const early = await call(emu, 'dev', 'POST', `${R}/${certId}/items/signoff?selectAllActorId=managed/user/${m2}`, { token: tM2, body: { ids: [] } });
    expect(early.status).toBe(400);
    const rest2 = items2.filter((i) => i.id !== reassigned.id).map((i) => i.id);
    if (rest2.length) expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/certify`, { token: tM2, body: { ids: rest2 } })).body.idsNotActedOn).toEqual([]);
    const s2 = await call(emu, 'dev', 'POST', `${R}/${certId}/items/signoff?selectAllActorId=managed/user/${m2}`, { token: tM2, body: { ids: [] } });
    expect(s2.status).toBe(200);
    expect(s2.body.idsNotActedOn).toEqual([]);

    // maria signs off her forwarded item; reviewer 1 signs off with a service-account token acting as admin? no: as themselves
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/signoff?selectAllActorId=managed/user/${maria._id}`, { token: tMaria, body: {} })).body.idsNotActedOn).toEqual([]);
    camp = await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin });
    expect(camp.body.status).toBe('in-progress');
    const s1 = await call(emu, 'dev', 'POST', `${R}/${certId}/items/signoff`, { token: tM1, body: { ids: items1.filter((i) => i.id !== forwarded.id).map((i) => i.id) } });
    expect(s1.body.idsNotActedOn).toEqual([]);

    // items are read-only after sign-off
    const late = await call(emu, 'dev', 'POST', `${R}/${certId}/items/${revokeItem.id}/certify`, { token: tM1, body: {} });
    expect(late.status).toBe(400);

    // the campaign closes when every reviewer signed off
    camp = await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: admin });
    expect(camp.body.status).toBe('complete');
    expect(camp.body.completedBy.id).toBe(m1);
    expect((await call(emu, 'dev', 'GET', `${A}?status=closed&_pageSize=100`, { token: admin })).body.result.map((c: any) => c.id)).toContain(certId);

    // decisions name the right actors
    const all = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?isAdmin=true&_pageSize=100`, { token: admin })).body.result as any[];
    const byId = new Map(all.map((i) => [i.id, i.decision.certification]));
    expect(byId.get(revokeItem.id)).toMatchObject({ decision: 'revoke', status: 'signed-off', decisionBy: { id: m1, type: 'user' }, completedBy: { id: m1 }, remediationStatus: 'pending' });
    expect(byId.get(revokeItem.id).comments[0]).toMatchObject({ comment: 'left the team', action: 'revoke', user: { id: m1 } });
    expect(byId.get(forwarded.id)).toMatchObject({ decision: 'certify', decisionBy: { id: maria._id }, completedBy: { id: maria._id }, primaryReviewer: { id: `managed/user/${maria._id}` } });
    expect(byId.get(reassigned.id)).toMatchObject({ decision: 'certify', decisionBy: { id: oscar._id }, completedBy: { id: m2 } });
    expect(byId.get(reassigned.id).actors.map((a: any) => a.id)).toEqual([`managed/user/${m2}`, `managed/user/${oscar._id}`]);

    // remediation removes the revoked access asynchronously
    expect(gov.grants.some((g) => g.id === revokedGrant.id)).toBe(true);
    await advance(emu, 5_000);
    const after = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?isAdmin=true&targetId=${revokeItem.id}`, { token: admin })).body.result[0];
    expect(after.decision.certification).toMatchObject({ remediated: true, remediationStatus: 'complete' });
    expect(env.slice<GovernanceState>('governance').grants.some((g) => g.id === revokedGrant.id)).toBe(false);

    // audit entries name the actor of each decision
    const audit = env.logbook.view('idm-activity').map((e) => e.payload as any).filter((p) => String(p.objectId).startsWith(`governance/certification/${certId}/items/`));
    const revokeAudit = audit.find((p) => p.details?.action === 'revoke');
    expect(revokeAudit).toMatchObject({ userId: m1, details: { lineItemId: revokeItem.id, decision: 'revoke' } });
    expect(audit.filter((p) => p.details?.action === 'signoff').map((p) => p.userId)).toEqual(expect.arrayContaining([m1, m2, maria._id]));
    const remediation = env.logbook.view('idm-activity').map((e) => e.payload as any).find((p) => p.message === 'certification remediation');
    expect(remediation).toMatchObject({ userId: m1, details: { lineItemId: revokeItem.id, removedGrantIds: [revokedGrant.id] } });
  });

  it('a service-account token signs off as the service account', async () => {
    const { emu, m1, m2 } = setup();
    const sa = await aicToken(emu, 'dev', ['fr:iga:*'], 'sa-cert-bot');
    const t = await call(emu, 'dev', 'POST', T, { token: sa, body: templateBody('SA review', m1, m2) });
    const start = await call(emu, 'dev', 'POST', '/iga/governance/certification', { token: sa, body: { templateId: t.body.id } });
    await advance(emu, 5_000);
    const certId = start.body.id;
    const items = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?isAdmin=true&_pageSize=500`, { token: sa })).body.result as any[];
    expect(items.length).toBeGreaterThan(0);
    const ids = items.map((i) => i.id);
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/certify`, { token: sa, body: { ids } })).body.idsNotActedOn).toEqual([]);
    expect((await call(emu, 'dev', 'POST', `${R}/${certId}/items/signoff`, { token: sa, body: { ids } })).body.idsNotActedOn).toEqual([]);
    const one = (await call(emu, 'dev', 'GET', `${R}/${certId}/items?isAdmin=true&targetId=${ids[0]}`, { token: sa })).body.result[0];
    expect(one.decision.certification.decisionBy).toEqual({ id: 'sa-cert-bot', type: 'serviceAccount', name: 'sa-cert-bot' });
    expect(one.decision.certification.completedBy).toEqual({ id: 'sa-cert-bot', type: 'serviceAccount', name: 'sa-cert-bot' });
    const camp = await call(emu, 'dev', 'GET', `${A}/${certId}`, { token: sa });
    expect(camp.body).toMatchObject({ status: 'complete', completedBy: { id: 'sa-cert-bot', type: 'serviceAccount' } });
    // the audit trail names the service account for every decision and sign-off, and for the completion
    const entries = emu.env('dev')!.logbook.view('idm-activity').map((e) => e.payload as any).filter((p) => String(p.objectId).startsWith(`governance/certification/${certId}`));
    const decisions = entries.filter((p) => p.details?.action === 'certify' || p.details?.action === 'signoff');
    expect(decisions).toHaveLength(ids.length * 2);
    expect(new Set(decisions.map((p) => p.userId))).toEqual(new Set(['sa-cert-bot']));
    expect(entries.find((p) => p.message === 'Certification complete')).toMatchObject({ userId: 'sa-cert-bot' });
  });
});
