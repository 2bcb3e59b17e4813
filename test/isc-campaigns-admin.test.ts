// Issue 14: the rest of the campaign surface, in-process — patch/delete, admin reassign, the deadline rule, remediation
// failures and run-remediation-scan, reports (async, CSV from real state at GET /v3/reports/{id}), reports
// configuration, SOURCE_OWNER and ROLE_COMPOSITION generation, templates (CRUD, JSON Patch, generate with
// placeholders, schedule on the clock), audit events attributed to the caller; every response checked against the contract.
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../src/emulator.js';
import { advance, call, iscToken, testEmulator } from './helpers.js';
import { ALICE, CARL, OLIVIA } from './isc-cert-helpers.js';
import { accessContract } from './isc-campaigns-helpers.js';
import { accessIndex, identityAccess } from '../src/isc/access/service.js';
import { identities } from '../src/isc/identities/service.js';

const DAY = 86_400_000;
const { expectValid } = accessContract();

async function setup() {
  const emu = testEmulator();
  // a fresh admin token per call: the tests move the clock by days, past any token's lifetime
  const api = async (method: string, path: string, body?: unknown, token?: string, headers?: Record<string, string>) => call(emu, 'isc', method, path, { token: token ?? (await iscToken(emu, OLIVIA)), body, headers });
  return { emu, api };
}

type Api = Awaited<ReturnType<typeof setup>>['api'];

async function stagedManagerCampaign(emu: Emulator, api: Api, extra: Record<string, unknown> = {}) {
  const res = await api('POST', '/v3/campaigns', { name: 'Manager review', description: 'd', type: 'MANAGER', deadline: new Date(emu.clock.now() + 7 * DAY).toISOString(), ...extra });
  expect(res.status, res.text).toBe(202);
  await advance(emu, 5_000);
  return res.body.id as string;
}

async function activate(emu: Emulator, api: Api, id: string) {
  expect((await api('POST', `/v3/campaigns/${id}/activate`, {})).status).toBe(202);
  await advance(emu, 5_000);
}

describe('campaign administration (issue 14)', () => {
  it('list/get SLIM and FULL, filters, sorters, count; patch by status; delete removes its certifications', async () => {
    const { emu, api } = await setup();
    const id = await stagedManagerCampaign(emu, api);
    const list = await api('GET', `/v3/campaigns?count=true&filters=${encodeURIComponent('status eq "STAGED"')}&sorters=-created`);
    expectValid('/campaigns', 'get', list);
    expect(list.body.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(list.headers.get('x-total-count')).toBe('1');
    expect(list.body[0]).not.toHaveProperty('filter');
    const full = await api('GET', `/v3/campaigns/${id}?detail=FULL`);
    expectValid('/campaigns/{id}', 'get', full);
    expect(full.body).toMatchObject({ sunsetCommentsRequired: true, mandatoryCommentRequirement: 'NO_DECISIONS' });
    expectValid('/campaigns', 'get', await api('GET', '/v3/campaigns?filters=bogus eq 1'));
    expect((await api('GET', '/v3/campaigns?filters=bogus eq 1')).status).toBe(400);
    expect((await api('GET', `/v3/campaigns?filters=${encodeURIComponent('name sw "Manager"')}&detail=FULL`)).body.length).toBeGreaterThanOrEqual(1);

    // STAGED: name, description, deadline … are patchable; ACTIVE: only the deadline
    const patched = await api('PATCH', `/v3/campaigns/${id}`, [{ op: 'replace', path: '/name', value: 'Renamed' }, { op: 'replace', path: '/emailNotificationEnabled', value: true }], undefined, { 'content-type': 'application/json-patch+json' });
    expectValid('/campaigns/{id}', 'patch', patched);
    expect(patched.body).toMatchObject({ name: 'Renamed', emailNotificationEnabled: true, status: 'STAGED' });
    const badField = await api('PATCH', `/v3/campaigns/${id}`, [{ op: 'replace', path: '/type', value: 'SEARCH' }]);
    expect(badField.status).toBe(400);
    expectValid('/campaigns/{id}', 'patch', badField);
    await activate(emu, api, id);
    expect((await api('PATCH', `/v3/campaigns/${id}`, [{ op: 'replace', path: '/name', value: 'Again' }])).status).toBe(400);
    const later = new Date(emu.clock.now() + 30 * DAY).toISOString();
    expect((await api('PATCH', `/v3/campaigns/${id}`, [{ op: 'replace', path: '/deadline', value: later }])).body).toMatchObject({ deadline: later, name: 'Renamed' });
    expect((await api('PATCH', `/v3/campaigns/${id}`, [{ op: 'replace', path: '/deadline', value: '2001-01-01T00:00:00Z' }])).status).toBe(400);

    const certs = await api('GET', `/v3/certifications?filters=${encodeURIComponent(`campaign.id eq "${id}"`)}&count=true`);
    expect(Number(certs.headers.get('x-total-count'))).toBeGreaterThan(0);
    expect((await api('POST', '/v3/campaigns/delete', { ids: [id, 'nope'] })).status).toBe(404);
    expect((await api('GET', `/v3/campaigns/${id}`)).status).toBe(200);
    const del = await api('POST', '/v3/campaigns/delete', { ids: [id] });
    expect(del.status).toBe(202);
    expectValid('/campaigns/delete', 'post', del);
    expect((await api('GET', `/v3/campaigns/${id}`)).status).toBe(404);
    expect((await api('GET', `/v3/certifications?filters=${encodeURIComponent(`campaign.id eq "${id}"`)}`)).body).toEqual([]);
  });

  it('create validates the type-specific rules (400 with the reason, nothing stored)', async () => {
    const { api } = await setup();
    const before = (await api('GET', '/v3/campaigns?count=true')).headers.get('x-total-count');
    for (const body of [
      { description: 'no name', type: 'MANAGER' },
      { name: 'x', description: 'x', type: 'NOPE' },
      { name: 'x', description: 'x', type: 'SOURCE_OWNER' },
      { name: 'x', description: 'x', type: 'SEARCH', searchCampaignInfo: { type: 'IDENTITY' } },
      { name: 'x', description: 'x', type: 'SEARCH', searchCampaignInfo: { type: 'IDENTITY', query: 'attributes.department:((' } },
      { name: 'x', description: 'x', type: 'MANAGER', searchCampaignInfo: { type: 'IDENTITY', query: '*' } },
      { name: 'x', description: 'x', type: 'MANAGER', correlatedStatus: 'UNCORRELATED' },
      { name: 'x', description: 'x', type: 'MANAGER', deadline: 'tomorrow' },
    ]) {
      const res = await api('POST', '/v3/campaigns', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expectValid('/campaigns', 'post', res);
      expect(res.body.causes[0].text.length).toBeGreaterThan(0);
    }
    expect((await api('POST', '/v3/campaigns', undefined, undefined, { 'content-type': 'application/json' })).status).toBe(400);
    expect((await api('GET', '/v3/campaigns?count=true')).headers.get('x-total-count')).toBe(before);
  });

  it('admin reassign moves whole certifications to another reviewer as a CertificationTask', async () => {
    const { emu, api } = await setup();
    const id = await stagedManagerCampaign(emu, api);
    await activate(emu, api, id);
    const certs = (await api('GET', `/v3/certifications?filters=${encodeURIComponent(`campaign.id eq "${id}"`)}`)).body as Array<{ id: string; reviewer: { id: string } }>;
    const target = certs.find((c) => c.reviewer.id !== ALICE)!;
    const task = await api('POST', `/v3/campaigns/${id}/reassign`, { certificationIds: [target.id], reassignTo: { id: ALICE, type: 'IDENTITY' }, reason: 'holiday' });
    expect(task.status).toBe(202);
    expectValid('/campaigns/{id}/reassign', 'post', task);
    expect(task.body).toMatchObject({ type: 'ADMIN_REASSIGN', targetType: 'CAMPAIGN', targetId: id, status: 'QUEUED' });
    await advance(emu, 5_000);
    const moved = await api('GET', `/v3/certifications/${target.id}`);
    expect(moved.body.reviewer.id).toBe(ALICE);
    expect(moved.body.reassignment).toMatchObject({ from: { id: target.id }, comment: 'holiday' });
    expect((await api('GET', `/v3/certification-tasks/${task.body.id}`)).body.status).toBe('SUCCESS');
    expect((await api('POST', `/v3/campaigns/${id}/reassign`, { certificationIds: ['nope'], reassignTo: { id: ALICE, type: 'IDENTITY' }, reason: 'x' })).status).toBe(400);
  });

  it('at the deadline an autoRevokeAllowed campaign completes itself, revoking undecided access', async () => {
    const { emu, api } = await setup();
    const id = await stagedManagerCampaign(emu, api, { autoRevokeAllowed: true });
    await activate(emu, api, id);
    const c = (await api('GET', `/v3/campaigns/${id}`)).body;
    await advance(emu, Date.parse(c.deadline) - emu.clock.now() + 1);
    expect((await api('GET', `/v3/campaigns/${id}`)).body.status).toBe('COMPLETING');
    await advance(emu, 10_000);
    const done = (await api('GET', `/v3/campaigns/${id}`)).body;
    expect(done).toMatchObject({ status: 'COMPLETED', completedCertifications: c.totalCertifications });
    const certs = (await api('GET', `/v3/certifications?filters=${encodeURIComponent(`campaign.id eq "${id}"`)}`)).body as Array<{ id: string }>;
    const items = (await api('GET', `/v3/certifications/${certs[0]!.id}/access-review-items`)).body as Array<{ decision: string; decisionMaker: { id: string } }>;
    expect(items.every((i) => i.decision === 'REVOKE' && i.decisionMaker.id === OLIVIA)).toBe(true);
    // a campaign without autoRevokeAllowed stays ACTIVE past due until an admin completes it (default APPROVE)
    const other = await stagedManagerCampaign(emu, api);
    await activate(emu, api, other);
    await advance(emu, 8 * DAY);
    expect((await api('GET', `/v3/campaigns/${other}`)).body.status).toBe('ACTIVE');
    expect((await api('POST', `/v3/campaigns/${other}/complete`, { autoCompleteAction: 'MAYBE' })).status).toBe(400);
    expect((await api('POST', `/v3/campaigns/${other}/complete`)).status).toBe(202);
    await advance(emu, 10_000);
    const certs2 = (await api('GET', `/v3/certifications?filters=${encodeURIComponent(`campaign.id eq "${other}"`)}`)).body as Array<{ id: string }>;
    const items2 = (await api('GET', `/v3/certifications/${certs2[0]!.id}/access-review-items`)).body as Array<{ decision: string }>;
    expect(items2.every((i) => i.decision === 'APPROVE')).toBe(true);
    expect((await api('POST', `/v3/campaigns/${other}/complete`)).status).toBe(400);
  });

  it('a failed remediation is FAILED until run-remediation-scan re-queues it, then the access is removed', async () => {
    const { emu, api } = await setup();
    const id = await stagedManagerCampaign(emu, api);
    await activate(emu, api, id);
    await advance(emu, 8 * DAY);
    const fail = await call(emu, 'isc', 'PUT', '/__emulator/isc/remediation', { body: { failNext: 1000 } });
    expect(fail.body.failNext).toBe(1000);
    expect((await api('POST', `/v3/campaigns/${id}/complete`, { autoCompleteAction: 'REVOKE' })).status).toBe(202);
    await advance(emu, 10_000 + 60_000);
    const certs = (await api('GET', `/v3/certifications?filters=${encodeURIComponent(`campaign.id eq "${id}"`)}`)).body as Array<{ id: string }>;
    const items = (await api('GET', `/v3/certifications/${certs[0]!.id}/access-review-items`)).body as Array<{ identitySummary: { identityId: string }; accessSummary: { access: { id: string; type: string } }; remediation: { status: string; error: string } }>;
    expect(items.every((i) => i.remediation.status === 'FAILED' && i.remediation.error === 'The connector failed to remove the access.')).toBe(true);
    const it0 = items[0]!;
    const holds = () => {
      const a = identityAccess(emu.isc, it0.identitySummary.identityId);
      return [...a.roles.map((r) => r.role.id), ...a.accessProfiles.map((x) => x.accessProfile.id), ...a.entitlements.map((e) => e.entitlement.id)].includes(it0.accessSummary.access.id);
    };
    expect(holds()).toBe(true);
    await call(emu, 'isc', 'PUT', '/__emulator/isc/remediation', { body: { failNext: 0 } });
    const scan = await api('POST', `/v3/campaigns/${id}/run-remediation-scan`);
    expect(scan.status).toBe(202);
    expectValid('/campaigns/{id}/run-remediation-scan', 'post', scan);
    await advance(emu, 5_000 + 60_000);
    const after = (await api('GET', `/v3/certifications/${certs[0]!.id}/access-review-items`)).body as Array<{ remediation: { status: string } }>;
    expect(after.every((i) => i.remediation.status === 'COMPLETED')).toBe(true);
    expect(holds()).toBe(false);
  });

  it('reports run asynchronously and their CSV reflects the campaign; the reports configuration adds identity columns', async () => {
    const { emu, api } = await setup();
    const id = await stagedManagerCampaign(emu, api);
    const cfg = await api('PUT', '/v3/campaigns/reports-configuration', { identityAttributeColumns: ['department', 'location'] });
    expectValid('/campaigns/reports-configuration', 'put', cfg);
    expectValid('/campaigns/reports-configuration', 'get', await api('GET', '/v3/campaigns/reports-configuration'));
    expect((await api('PUT', '/v3/campaigns/reports-configuration', { identityAttributeColumns: [1] })).status).toBe(400);
    expect((await api('GET', `/v3/campaigns/${id}/reports`)).body).toEqual([]);
    const run = await api('POST', `/v3/campaigns/${id}/run-report/CAMPAIGN_COMPOSITION_REPORT`);
    expect(run.status).toBe(202);
    expectValid('/campaigns/{id}/run-report/{type}', 'post', run);
    const pending = await api('GET', `/v3/campaigns/${id}/reports`);
    expectValid('/campaigns/{id}/reports', 'get', pending);
    expect(pending.body).toEqual([{ type: 'REPORT_RESULT', id: expect.any(String), name: 'Campaign Composition Report', status: 'PENDING', reportType: 'CAMPAIGN_COMPOSITION_REPORT' }]);
    expect((await api('GET', `/v3/reports/${pending.body[0].id}?fileFormat=csv`)).status).toBe(404);
    await advance(emu, 3_000);
    const ready = (await api('GET', `/v3/campaigns/${id}/reports`)).body[0];
    expect(ready).toMatchObject({ status: 'SUCCESS', lastRunAt: new Date(emu.clock.now()).toISOString() });
    const csv = await api('GET', `/v3/reports/${ready.id}?fileFormat=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (csv.text as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Campaign Name,Certification Name,Reviewer,Identity Name,Identity ID,Access Type,Access Name,Source,department,location');
    const certs = (await api('GET', `/v3/certifications?filters=${encodeURIComponent(`campaign.id eq "${id}"`)}`)).body as Array<{ decisionsTotal: number }>;
    expect(lines.length - 1).toBe(certs.reduce((n, c) => n + c.decisionsTotal, 0));
    expect((await api('POST', `/v3/campaigns/${id}/run-report/NOPE`)).status).toBe(400);
    expect((await api('GET', `/v3/reports/${ready.id}?fileFormat=xls`)).status).toBe(400);
    // the status report after a sign-off, and the sign-off report naming the signer
    await activate(emu, api, id);
    for (const type of ['CAMPAIGN_STATUS_REPORT', 'CERTIFICATION_SIGNOFF_REPORT', 'CAMPAIGN_REMEDIATION_STATUS_REPORT']) expect((await api('POST', `/v3/campaigns/${id}/run-report/${type}`)).status).toBe(202);
    await advance(emu, 3_000);
    const reports = (await api('GET', `/v3/campaigns/${id}/reports`)).body as Array<{ id: string; reportType: string; status: string }>;
    expect(reports.map((r) => r.reportType).sort()).toEqual(['CAMPAIGN_COMPOSITION_REPORT', 'CAMPAIGN_REMEDIATION_STATUS_REPORT', 'CAMPAIGN_STATUS_REPORT', 'CERTIFICATION_SIGNOFF_REPORT']);
    const status = await api('GET', `/v3/reports/${reports.find((r) => r.reportType === 'CAMPAIGN_STATUS_REPORT')!.id}?fileFormat=csv`);
    expect((status.text as string).split('\r\n')[1]).toMatch(/,ACTIVE,0,\d+,0,\d+,/);
    // reviewers and plain users cannot run reports
    const carl = await iscToken(emu, CARL);
    expect((await api('POST', `/v3/campaigns/${id}/run-report/CAMPAIGN_STATUS_REPORT`, undefined, carl)).status).toBe(403);
    // audit: report runs are attributed to the caller
    const events = await api('POST', '/v3/search', { indices: ['events'], query: { query: `attributes.campaignId:${id} AND operation:REPORT` } });
    expect(events.body.length).toBe(8);
    expect(new Set(events.body.map((e: { actor: { name: string } }) => e.actor.name))).toEqual(new Set(['olivia.admin']));
  });

  it('SOURCE_OWNER certifies a source’s access for its owner; ROLE_COMPOSITION reviews roles with their owners', async () => {
    const { emu, api } = await setup();
    const ix = accessIndex(emu.isc);
    const source = [...ix.sources.values()].find((s) => !s.authoritative && ix.accountsOn(s.id).length > 0)!;
    const so = await api('POST', '/v3/campaigns', { name: 'Source review', description: 's', type: 'SOURCE_OWNER', sourceOwnerCampaignInfo: { sourceIds: [source.id] } });
    expect(so.status).toBe(202);
    await advance(emu, 5_000);
    const soCerts = (await api('GET', `/v3/certifications?filters=${encodeURIComponent(`campaign.id eq "${so.body.id}"`)}`)).body as Array<{ id: string; reviewer: { id: string } }>;
    expect(soCerts.map((c) => c.reviewer.id)).toEqual([source.ownerId]);
    const soItems = (await api('GET', `/v3/certifications/${soCerts[0]!.id}/access-review-items`)).body as Array<{ accessSummary: { entitlement?: { sourceId: string }; accessProfile?: { entitlements: Array<{ sourceId: string }> } } }>;
    expect(soItems.length).toBeGreaterThan(0);
    for (const it of soItems) expect(it.accessSummary.entitlement?.sourceId ?? it.accessSummary.accessProfile?.entitlements[0]?.sourceId).toBe(source.id);

    const role = [...ix.roles.values()].find((r) => r.accessProfileIds.length)!;
    const rc = await api('POST', '/v3/campaigns', { name: 'Role composition', description: 'r', type: 'ROLE_COMPOSITION', roleCompositionCampaignInfo: { roleIds: [role.id], remediatorRef: { type: 'IDENTITY', id: OLIVIA } } });
    expect(rc.status).toBe(202);
    expectValid('/campaigns', 'post', rc);
    expect(rc.body.roleCompositionCampaignInfo.remediatorRef.name).toBe('olivia.admin');
    await advance(emu, 5_000);
    const rcCerts = (await api('GET', `/v3/certifications?filters=${encodeURIComponent(`campaign.id eq "${rc.body.id}"`)}`)).body as Array<{ id: string; reviewer: { id: string } }>;
    expect(rcCerts.map((c) => c.reviewer.id)).toEqual([role.ownerId]);
    const rcItems = (await api('GET', `/v3/certifications/${rcCerts[0]!.id}/access-review-items`)).body as Array<{ identitySummary: { name: string; identityId: string } }>;
    expect(rcItems.length).toBe(role.accessProfileIds.length + role.entitlementIds.length);
    expect(rcItems.every((i) => i.identitySummary.identityId === role.id && i.identitySummary.name === role.name)).toBe(true);
  });

  it('templates: CRUD, JSON Patch, generate with date placeholders and deadlineDuration, schedule on the clock', async () => {
    const { emu, api } = await setup();
    const created = await api('POST', '/v3/campaign-templates', { name: 'Monthly managers', description: 'Template', deadlineDuration: 'P2W', campaign: { name: 'Manager Review %Y-%m', description: 'Generated on %F', type: 'MANAGER', mandatoryCommentRequirement: 'ALL_DECISIONS' } });
    expect(created.status).toBe(200);
    expectValid('/campaign-templates', 'post', created);
    expect(created.body).toMatchObject({ name: 'Monthly managers', scheduled: false, modified: null, ownerRef: { id: OLIVIA, type: 'IDENTITY', name: 'Olivia Admin' } });
    const tid = created.body.id;
    expect((await api('POST', '/v3/campaign-templates', { name: 'bad', description: 'x', deadlineDuration: 'two weeks', campaign: { name: 'x', description: 'x', type: 'MANAGER' } })).status).toBe(400);
    expectValid('/campaign-templates', 'get', await api('GET', `/v3/campaign-templates?filters=${encodeURIComponent('name sw "Monthly"')}&sorters=-created&count=true`));
    const patched = await api('PATCH', `/v3/campaign-templates/${tid}`, [{ op: 'replace', path: '/description', value: 'Updated' }, { op: 'replace', path: '/campaign/description', value: 'Run of %B %Y' }]);
    expectValid('/campaign-templates/{id}', 'patch', patched);
    expect(patched.body).toMatchObject({ description: 'Updated', campaign: { description: 'Run of %B %Y' } });
    expect(patched.body.modified).toBe(new Date(emu.clock.now()).toISOString());
    expect((await api('PATCH', `/v3/campaign-templates/${tid}`, [{ op: 'replace', path: '/id', value: 'x' }])).status).toBe(400);

    const gen = await api('POST', `/v3/campaign-templates/${tid}/generate`);
    expect(gen.status).toBe(200);
    expectValid('/campaign-templates/{id}/generate', 'post', gen);
    expect(gen.body).toMatchObject({ name: 'Manager Review 2026-11', description: 'Run of November 2026', type: 'CAMPAIGN', campaignType: 'MANAGER', mandatoryCommentRequirement: 'ALL_DECISIONS' });
    const generated = (await api('GET', `/v3/campaigns/${gen.body.id}`)).body;
    expect(generated.deadline).toBe(new Date(emu.clock.now() + 14 * DAY).toISOString());

    // schedule: 404 until set; monthly on the 1st at 02:00 UTC → the next run generates a campaign
    expect((await api('GET', `/v3/campaign-templates/${tid}/schedule`)).status).toBe(404);
    const badSchedule = await api('PUT', `/v3/campaign-templates/${tid}/schedule`, { type: 'MONTHLY', hours: { type: 'LIST', values: ['2'] } });
    expect(badSchedule.status).toBe(400);
    const schedule = { type: 'MONTHLY', hours: { type: 'LIST', values: ['2'] }, days: { type: 'LIST', values: ['1'] } };
    expect((await api('PUT', `/v3/campaign-templates/${tid}/schedule`, schedule)).status).toBe(204);
    const got = await api('GET', `/v3/campaign-templates/${tid}/schedule`);
    expectValid('/campaign-templates/{id}/schedule', 'get', got);
    expect(got.body).toMatchObject(schedule);
    expect((await api('GET', `/v3/campaign-templates/${tid}`)).body.scheduled).toBe(true);
    const count = async () => Number((await api('GET', `/v3/campaigns?count=true&filters=${encodeURIComponent('name sw "Manager Review 2026"')}`)).headers.get('x-total-count'));
    expect(await count()).toBe(1);
    await advance(emu, Date.parse('2026-12-01T02:00:00Z') - emu.clock.now());
    expect(await count()).toBe(2);
    await advance(emu, 2 * DAY);
    expect(await count()).toBe(2);
    expect((await api('DELETE', `/v3/campaign-templates/${tid}/schedule`)).status).toBe(204);
    expect((await api('DELETE', `/v3/campaign-templates/${tid}/schedule`)).status).toBe(404);
    expect((await api('DELETE', `/v3/campaign-templates/${tid}`)).status).toBe(204);
    expect((await api('GET', `/v3/campaign-templates/${tid}`)).status).toBe(404);
    const carl = await iscToken(emu, CARL);
    expect((await api('GET', '/v3/campaign-templates', undefined, carl)).status).toBe(403);
  });

  it('campaign lifecycle events are attributed to the caller, and the timings are control-plane knobs', async () => {
    const { emu, api } = await setup();
    const t = await call(emu, 'isc', 'PUT', '/__emulator/isc/campaigns/timings', { body: { stageMs: 1_000, activateMs: 2_000 } });
    expect(t.body).toMatchObject({ stageMs: 1_000, activateMs: 2_000, completeMs: 10_000 });
    expect((await call(emu, 'isc', 'PUT', '/__emulator/isc/campaigns/timings', { body: { stageMs: -1 } })).status).toBe(400);
    const res = await api('POST', '/v3/campaigns', { name: 'Timed', description: 'd', type: 'MANAGER', deadline: new Date(emu.clock.now() + 7 * DAY).toISOString() });
    await advance(emu, 1_000);
    expect((await api('GET', `/v3/campaigns/${res.body.id}`)).body.status).toBe('STAGED');
    await api('POST', `/v3/campaigns/${res.body.id}/activate`);
    await advance(emu, 2_000);
    expect((await api('GET', `/v3/campaigns/${res.body.id}`)).body.status).toBe('ACTIVE');
    const events = await api('POST', '/v3/search', { indices: ['events'], query: { query: `attributes.campaignId:${res.body.id} AND technicalName:CERTIFICATION_CAMPAIGN_*` }, sort: ['created'] });
    expect(events.body.map((e: { technicalName: string; actor: { name: string } }) => [e.technicalName, e.actor.name])).toEqual([
      ['CERTIFICATION_CAMPAIGN_CREATE_PASSED', 'olivia.admin'],
      ['CERTIFICATION_CAMPAIGN_GENERATE_PASSED', 'olivia.admin'],
      ['CERTIFICATION_CAMPAIGN_ACTIVATE_STARTED', 'olivia.admin'],
      ['CERTIFICATION_CAMPAIGN_ACTIVATE_PASSED', 'olivia.admin'],
    ]);
    // the population the MANAGER campaign drew from
    expect(identities(emu.isc).length).toBeGreaterThanOrEqual(50);
  });
});
