// Issue 14 "Done when": certification campaigns driven through SailPoint's TypeScript SDK (sailpoint-api-client) against
// a real listener: a MANAGER campaign from creation to COMPLETED (one certification per manager whose reports hold
// access, a manager's PAT decides and signs off, completion auto-decides the rest, the revoked access is gone from the
// identity and its search document) and a SEARCH campaign over attributes.department:Finance. Every response is
// validated with ajv against the vendored v3 contract (test/reference/isc/isc-v3-access-model-requests-search.openapi.json).
import { describe, expect, it } from 'vitest';
import { CertificationCampaignsApi, CertificationsApi, type Campaign } from 'sailpoint-api-client';
import type { Emulator } from '../src/emulator.js';
import { call, iscToken, testEmulator } from './helpers.js';
import { CARL, CERT_AUTOMATION, OLIVIA, iscCredentials } from './isc-cert-helpers.js';
import { sdkConfig, sdkFailure as sdkError, useInProcessAxios } from './isc-sdk.js';
import { accessContract } from './isc-campaigns-helpers.js';
import { identities } from '../src/isc/identities/service.js';
import { identityAccess } from '../src/isc/access/service.js';

const DAY = 86_400_000;
const { expectValid } = accessContract();

interface Tenant {
  emu: Emulator;
  /** An SDK configuration for an identity: it creates a PAT of its own (POST /v3/personal-access-tokens) and uses it. */
  asIdentity(identityId: string): Promise<ReturnType<typeof sdkConfig>>;
}

function sdkTenant(): Tenant {
  const emu = testEmulator();
  useInProcessAxios(emu);
  return {
    emu,
    async asIdentity(identityId) {
      const token = await iscToken(emu, identityId);
      const pat = await call(emu, emu.isc.name, 'POST', '/v3/personal-access-tokens', { token, body: { name: `sdk-${Math.random().toString(36).slice(2, 10)}` } });
      if (pat.status !== 200) throw new Error(`PAT for ${identityId}: ${pat.status} ${pat.text}`);
      return sdkConfig(pat.body.id, pat.body.secret);
    },
  };
}

/** The CERT_ADMIN API client of the default credentials ("Certification automation"), as automation uses it. */
async function admin(t: Tenant) {
  const creds = await iscCredentials(t.emu);
  const client = (creds.apiClients as Array<{ clientId: string; clientSecret: string; identityId?: string }>).find((c) => c.identityId === CERT_AUTOMATION)!;
  const config = sdkConfig(client.clientId, client.clientSecret);
  return { campaigns: new CertificationCampaignsApi(config), certifications: new CertificationsApi(config) };
}

const advance = (t: Tenant, ms: number) => call(t.emu, t.emu.isc.name, 'POST', '/__emulator/clock', { body: { advanceMs: ms } });

/** Identities whose own access a review covers: active, not service identities, holding something. */
function holdsAccess(t: Tenant, id: string): boolean {
  const a = identityAccess(t.emu.isc, id);
  return a.roles.length + a.accessProfiles.filter((x) => x.assignment).length + a.entitlements.filter((e) => !e.viaAccessProfiles.length && !e.viaRoles.length).length > 0;
}

describe('ISC certification campaigns through sailpoint-api-client (issue 14)', () => {
  it('MANAGER: create → STAGED → activate → ACTIVE → a manager decides and signs off → complete (REVOKE) → COMPLETED, access removed', async () => {
    const t = sdkTenant();
    let { campaigns, certifications } = await admin(t);
    const now = t.emu.clock.now();

    const body: Campaign = { name: 'Q4 Manager Review', description: 'Everyone is reviewed by their manager', type: 'MANAGER', deadline: new Date(now + 14 * DAY).toISOString(), emailNotificationEnabled: false, recommendationsEnabled: true, mandatoryCommentRequirement: 'REVOKE_ONLY_DECISIONS' };
    const created = await campaigns.createCampaign({ campaign: body });
    expect(created.status).toBe(202);
    expectValid('/campaigns', 'post', created);
    expect(created.data).toMatchObject({ name: 'Q4 Manager Review', type: 'MANAGER', status: 'PENDING', totalCertifications: 0, completedCertifications: 0, recommendationsEnabled: true, mandatoryCommentRequirement: 'REVOKE_ONLY_DECISIONS' });
    const id = created.data.id!;

    // activation before staging finishes is refused
    const early = await sdkError(campaigns.startCampaign({ id }));
    expect(early.status).toBe(400);
    expectValid('/campaigns/{id}/activate', 'post', early);

    // staging: certifications generated from the access model, one per manager whose reports hold access
    await advance(t, 5_000);
    const staged = await campaigns.getCampaign({ id });
    expectValid('/campaigns/{id}', 'get', staged);
    expect(staged.data.status).toBe('STAGED');
    const env = t.emu.isc;
    const expectedManagers = new Set(
      identities(env)
        .filter((i) => i.active && !i.service && i.managerId && identities(env).some((m) => m.id === i.managerId && m.active) && holdsAccess(t, i.id))
        .map((i) => i.managerId!),
    );
    expect(expectedManagers.size).toBeGreaterThan(1);
    expect(staged.data.totalCertifications).toBe(expectedManagers.size);

    const activated = await campaigns.startCampaign({ id, activateCampaignOptions: { timeZone: '-05:00' } });
    expect(activated.status).toBe(202);
    expectValid('/campaigns/{id}/activate', 'post', activated);
    expect((await campaigns.getCampaign({ id })).data.status).toBe('ACTIVATING');
    await advance(t, 5_000);
    const active = await campaigns.getCampaign({ id, detail: 'FULL' });
    expectValid('/campaigns/{id}', 'get', active);
    expect(active.data.status).toBe('ACTIVE');
    // the deadline moved to the end of its calendar date in the caller's zone (-05:00)
    // 2026-12-07T12:00Z is 07:00 on 2026-12-07 at -05:00; the deadline becomes that day's end there
    expect(active.data.deadline).toBe('2026-12-08T04:59:59.999Z');

    // one certification per manager, listed through the SDK
    const listed = await certifications.listIdentityCertifications({ filters: `campaign.id eq "${id}"`, count: true });
    expect(listed.headers['x-total-count']).toBe(String(expectedManagers.size));
    expect(new Set(listed.data.map((c) => c.reviewer!.id))).toEqual(expectedManagers);
    for (const c of listed.data) expect(c).toMatchObject({ phase: 'ACTIVE', completed: false, campaign: { id, campaignType: 'MANAGER', mandatoryCommentRequirement: 'REVOKE_ONLY_DECISIONS' } });

    // a manager, with a PAT of their own, decides: one REVOKE, the rest APPROVE, then signs off
    // a plain manager (no ORG_ADMIN/CERT_ADMIN authority): a department head
    const plain = new Set(identities(env).filter((i) => !i.authorities.length).map((i) => i.id));
    const mine = listed.data.find((c) => (c.decisionsTotal ?? 0) >= 2 && plain.has(c.reviewer!.id!))!;
    const managerId = mine.reviewer!.id!;
    const managerApi = new CertificationsApi(await t.asIdentity(managerId));
    const items = (await managerApi.listIdentityAccessReviewItems({ id: mine.id! })).data;
    expect(items.length).toBe(mine.decisionsTotal);
    const revoked = items[0]!;
    const decided = await managerApi.makeIdentityDecision({
      id: mine.id!,
      reviewDecision: items.map((it, i) => (i === 0 ? { id: it.id!, decision: 'REVOKE', bulk: false, comments: 'Not needed any more' } : { id: it.id!, decision: 'APPROVE', bulk: true })),
    });
    expect(decided.data.decisionsMade).toBe(items.length);
    const signed = await managerApi.signOffIdentityCertification({ id: mine.id! });
    expect(signed.data).toMatchObject({ phase: 'SIGNED', completed: true });
    const afterSign = await campaigns.getCampaign({ id });
    expect(afterSign.data).toMatchObject({ status: 'ACTIVE', completedCertifications: 1, totalCertifications: expectedManagers.size });

    // the manager's PAT cannot create campaigns (contract user levels ORG_ADMIN, CERT_ADMIN)
    const managerCampaigns = new CertificationCampaignsApi(await t.asIdentity(managerId));
    const denied = await sdkError(managerCampaigns.createCampaign({ campaign: body }));
    expect(denied.status).toBe(403);
    expectValid('/campaigns', 'post', denied);

    // /complete is only for past-due campaigns
    const notDue = await sdkError(campaigns.completeCampaign({ id, campaignCompleteOptions: { autoCompleteAction: 'REVOKE' } }));
    expect(notDue.status).toBe(400);
    expectValid('/campaigns/{id}/complete', 'post', notDue);
    await advance(t, 15 * DAY);
    // the SDK fetches its token once per Configuration: after two weeks it takes a new one, as a new run would
    ({ campaigns, certifications } = await admin(t));
    const completing = await campaigns.completeCampaign({ id, campaignCompleteOptions: { autoCompleteAction: 'REVOKE' } });
    expect(completing.status).toBe(202);
    expect((await campaigns.getCampaign({ id })).data.status).toBe('COMPLETING');
    await advance(t, 10_000);
    const done = await campaigns.getCampaign({ id });
    expectValid('/campaigns/{id}', 'get', done);
    expect(done.data).toMatchObject({ status: 'COMPLETED', totalCertifications: expectedManagers.size, completedCertifications: expectedManagers.size });

    // the other certifications: every item auto-decided REVOKE by the completing admin, signed
    const all = (await certifications.listIdentityCertifications({ filters: `campaign.id eq "${id}"` })).data;
    for (const c of all) {
      expect(c.phase).toBe('SIGNED');
      if (c.id === mine.id) continue;
      const its = (await certifications.listIdentityAccessReviewItems({ id: c.id! })).data as Array<{ decision?: string; decisionMaker?: { id: string } }>;
      for (const it of its) expect(it).toMatchObject({ decision: 'REVOKE', decisionMaker: { id: CERT_AUTOMATION } });
    }

    // remediation runs on the clock: the revoked access is gone from the identity and from its search document
    await advance(t, 60_000);
    const subject = revoked.identitySummary!.identityId!;
    const access = revoked.accessSummary!.access!;
    const a = identityAccess(env, subject);
    const held = access.type === 'ROLE' ? a.roles.map((r) => r.role.id) : access.type === 'ACCESS_PROFILE' ? a.accessProfiles.map((x) => x.accessProfile.id) : a.entitlements.map((e) => e.entitlement.id);
    expect(held).not.toContain(access.id);
    const olivia = await iscToken(t.emu, OLIVIA);
    const doc = await call(t.emu, env.name, 'GET', `/v3/search/identities/${subject}`, { token: olivia });
    expect(doc.status).toBe(200);
    expect((doc.body.access as Array<{ id: string }>).map((x) => x.id)).not.toContain(access.id);
  });

  it('SEARCH over attributes.department:Finance certifies exactly the Finance identities', async () => {
    const t = sdkTenant();
    const { campaigns, certifications } = await admin(t);
    const created = await campaigns.createCampaign({
      campaign: { name: 'Finance access', description: 'Finance department', type: 'SEARCH', deadline: new Date(t.emu.clock.now() + 7 * DAY).toISOString(), searchCampaignInfo: { type: 'IDENTITY', query: 'attributes.department:Finance', reviewer: { type: 'IDENTITY', id: OLIVIA } } },
    });
    expectValid('/campaigns', 'post', created);
    await advance(t, 5_000);
    const id = created.data.id!;
    expect((await campaigns.getCampaign({ id })).data).toMatchObject({ status: 'STAGED', totalCertifications: 1 });
    const [cert] = (await certifications.listIdentityCertifications({ filters: `campaign.id eq "${id}"` })).data;
    expect(cert!.reviewer!.id).toBe(OLIVIA);
    const items = (await certifications.listIdentityAccessReviewItems({ id: cert!.id! })).data;
    const certified = new Set(items.map((i) => i.identitySummary!.identityId));
    const finance = identities(t.emu.isc).filter((i) => i.active && !i.service && (i as { attributes?: Record<string, string> }).attributes?.department === 'Finance' && holdsAccess(t, i.id));
    expect(finance.length).toBeGreaterThan(2);
    expect(certified).toEqual(new Set(finance.map((i) => i.id)));
  });

  it('ERROR when generation finds nothing: a SEARCH matching nobody', async () => {
    const t = sdkTenant();
    const { campaigns } = await admin(t);
    const created = await campaigns.createCampaign({ campaign: { name: 'Nobody', description: null as never, type: 'SEARCH', searchCampaignInfo: { type: 'IDENTITY', query: 'attributes.department:"No Such Department"' } } });
    await advance(t, 5_000);
    const c = await campaigns.getCampaign({ id: created.data.id!, detail: 'FULL' });
    expectValid('/campaigns/{id}', 'get', c);
    expect(c.data.status).toBe('ERROR');
    expect(c.data.totalCertifications).toBe(0);
    expect(c.data.alerts).toEqual([{ level: 'ERROR', localizations: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: 'No certifications were generated: the search selected no identity holding access.' }] }]);
  });

  it('a plain user and a reviewer are refused every campaign operation (403 ISC body)', async () => {
    const carl = new CertificationCampaignsApi(await sdkTenant().asIdentity(CARL));
    for (const op of [() => carl.getActiveCampaigns(), () => carl.createCampaign({ campaign: { name: 'x', description: 'x', type: 'MANAGER' } }), () => carl.getCampaignTemplates()]) {
      const e = await sdkError(op());
      expect(e.status).toBe(403);
      expect((e.body as { messages: Array<{ text: string }> }).messages[0]!.text).toBe('The server understood the request but refuses to authorize it.');
    }
  });
});
