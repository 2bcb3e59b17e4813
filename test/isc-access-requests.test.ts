// ISC access requests driven through sailpoint-api-client (AccessRequestsApi, AccessRequestApprovalsApi) the way its
// users drive it: each person with their own PAT, tokens obtained by the SDK's multipart client_credentials request.
// Every response is validated against the vendored contract (test/reference/isc/).
import { beforeEach, describe, expect, it } from 'vitest';
import { AccessRequestApprovalsApi, AccessRequestsApi, AccountsApi, IdentitiesBetaApi, RequestableObjectsApi, SearchApi, type AccessRequest, type Configuration } from 'sailpoint-api-client';
import type { Emulator } from '../src/emulator.js';
import { identityAccess } from '../src/isc/access/service.js';
import { advance, call, testEmulator } from './helpers.js';
import { contractAjv, contractValidator, loadIscContract } from './shared.js';
import { ALICE, BOB, OLIVIA, iscCredentials } from './isc-cert-helpers.js';
import { sdkConfig, sdkFailure, useInProcessAxios } from './isc-sdk.js';

const contract = loadIscContract('isc-v3-access-model-requests-search.openapi.json');
const validate = contractValidator(contract);
const beta = loadIscContract('isc-beta-identities-entitlements.openapi.json');
const validateBeta = contractValidator(beta);
function conforms(path: string, method: string, status: number, body: unknown): void {
  const res = validate(path, method, status, body);
  expect(res.errors ?? [], `${method} ${path} ${status}: ${JSON.stringify(res.errors)}`).toEqual([]);
}

interface Person {
  config: Configuration;
  requests: AccessRequestsApi;
  approvals: AccessRequestApprovalsApi;
}

let emu: Emulator;
let alice: Person;
let bob: Person;
let olivia: Person;

/** An access profile of the seeded model, by name. */
function accessProfile(name: string): { id: string; ownerId: string } {
  const ap = emu.isc.slice<{ accessProfiles: Array<{ id: string; name: string; ownerId: string }> }>('iscAccess').accessProfiles.find((a) => a.name === name);
  if (!ap) throw new Error(`no access profile ${name}`);
  return ap;
}

const grant = (forId: string, apId: string, comment = 'I need this for the quarter close'): AccessRequest => ({ requestedFor: [forId], requestType: 'GRANT_ACCESS', requestedItems: [{ type: 'ACCESS_PROFILE', id: apId, comment }] });

/** Each person's SDK client with a fresh configuration (the SDK fetches one token per Configuration and keeps it). */
async function signIn(): Promise<void> {
  const creds = await iscCredentials(emu);
  const person = (owner: string): Person => {
    const pat = creds.personalAccessTokens.find((p) => p.ownerId === owner)!;
    const config = sdkConfig(pat.clientId, pat.clientSecret);
    return { config, requests: new AccessRequestsApi(config), approvals: new AccessRequestApprovalsApi(config) };
  };
  alice = person(ALICE);
  bob = person(BOB);
  olivia = person(OLIVIA);
}

beforeEach(async () => {
  emu = testEmulator();
  useInProcessAxios(emu);
  await signIn();
});

async function statusOf(p: Person, accessRequestId: string) {
  const res = await p.requests.listAccessRequestStatus({ requestedFor: 'me', filters: `accessRequestId eq "${accessRequestId}"` });
  conforms('/access-request-status', 'get', 200, res.data);
  expect(res.data).toHaveLength(1);
  return res.data[0]!;
}

describe('access requests through sailpoint-api-client', () => {
  it('a self-request is approved by the manager, then the owner, and provisioned when the clock advances', async () => {
    const payroll = accessProfile('Payroll Operations');
    expect(payroll.ownerId).toBe(BOB);
    expect(identityAccess(emu.isc, ALICE).accessProfiles.some((a) => a.accessProfile.id === payroll.id)).toBe(false);

    const submitted = await alice.requests.createAccessRequest({ accessRequest: { ...grant(ALICE, payroll.id), clientMetadata: { ticket: 'CHG-1' } } });
    expect(submitted.status).toBe(202);
    conforms('/access-requests', 'post', 202, submitted.data);
    const accessRequestId = (submitted.data as { newRequests: Array<{ accessRequestIds: string[] }> }).newRequests[0]!.accessRequestIds[0]!;

    let status = await statusOf(alice, accessRequestId);
    expect(status).toMatchObject({ state: 'EXECUTING', cancelable: true, requestType: 'GRANT_ACCESS', id: payroll.id, type: 'ACCESS_PROFILE', requester: { id: ALICE }, requestedFor: { id: ALICE }, clientMetadata: { ticket: 'CHG-1' } });
    expect(status.approvalDetails).toEqual([expect.objectContaining({ scheme: 'MANAGER', status: 'PENDING', currentOwner: expect.objectContaining({ id: OLIVIA }) })]);
    // requestable objects show it PENDING for alice while the request is open
    const requestable = new RequestableObjectsApi(olivia.config);
    const pendingObjects = await requestable.listRequestableObjects({ identityId: ALICE, types: ['ACCESS_PROFILE'], term: 'Payroll' });
    conforms('/requestable-objects', 'get', 200, pendingObjects.data);
    expect(pendingObjects.data.find((o) => o.id === payroll.id)).toMatchObject({ requestStatus: 'PENDING', identityRequestId: accessRequestId });

    // the manager (olivia) sees it pending and approves with her own PAT
    const pending = await olivia.approvals.listPendingApprovals({ ownerId: 'me', count: true });
    conforms('/access-request-approvals/pending', 'get', 200, pending.data);
    expect(pending.headers['x-total-count']).toBe('1');
    const first = pending.data[0]!;
    expect(first).toMatchObject({ accessRequestId, requestedFor: { id: ALICE }, requester: { id: ALICE }, owner: { id: OLIVIA }, requestedObject: { id: payroll.id, type: 'ACCESS_PROFILE' } });
    // bob is no approver of this step: 403, and nothing changes
    const denied = await sdkFailure(bob.approvals.approveAccessRequest({ approvalId: first.id! }));
    expect(denied.status).toBe(403);
    conforms('/access-request-approvals/{approvalId}/approve', 'post', 403, denied.body);
    const approved = await olivia.approvals.approveAccessRequest({ approvalId: first.id!, commentDto: { comment: 'ok from manager' } });
    expect(approved.status).toBe(202);
    conforms('/access-request-approvals/{approvalId}/approve', 'post', 202, approved.data);

    // the owner (bob) approves next; the source owner (olivia again) is not asked twice
    const bobs = await bob.approvals.listPendingApprovals({ ownerId: 'me' });
    expect(bobs.data).toHaveLength(1);
    expect(bobs.data[0]!.previousReviewersComments).toEqual([expect.objectContaining({ comment: 'ok from manager', author: expect.objectContaining({ id: OLIVIA }) })]);
    await bob.approvals.approveAccessRequest({ approvalId: bobs.data[0]!.id! });
    status = await statusOf(alice, accessRequestId);
    expect(status).toMatchObject({ state: 'EXECUTING', cancelable: false });
    expect(status.approvalDetails!.map((d) => [d.scheme, d.status, d.currentOwner?.id])).toEqual([
      ['MANAGER', 'APPROVED', OLIVIA],
      ['ACCESS_PROFILE_OWNER', 'APPROVED', BOB],
    ]);
    expect(identityAccess(emu.isc, ALICE).accessProfiles.some((a) => a.accessProfile.id === payroll.id)).toBe(false);

    await advance(emu, 60_000);
    status = await statusOf(alice, accessRequestId);
    expect(status.state).toBe('REQUEST_COMPLETED');
    expect(status.accessRequestPhases!.map((p) => [p.name, p.state, p.result])).toEqual([
      ['APPROVAL_PHASE', 'COMPLETED', 'SUCCESSFUL'],
      ['PROVISIONING_PHASE', 'COMPLETED', 'SUCCESSFUL'],
    ]);
    expect((status as { requestedAccounts?: unknown[] }).requestedAccounts?.length).toBeGreaterThan(0);
    const access = identityAccess(emu.isc, ALICE);
    expect(access.accessProfiles.find((a) => a.accessProfile.id === payroll.id)?.assignment?.source).toBe('REQUEST');
    const payrollEntitlements = access.accessProfiles.find((a) => a.accessProfile.id === payroll.id)!.accessProfile.entitlementIds;

    // the account and its entitlements, as the product's reads show them
    const accountsApi = new AccountsApi(olivia.config);
    const accounts = await accountsApi.listAccounts({ filters: `identityId eq "${ALICE}"` });
    conforms('/accounts', 'get', 200, accounts.data);
    const account = accounts.data.find((a) => a.id === (status as { requestedAccounts?: Array<{ accountUuid: string }> }).requestedAccounts![0]!.accountUuid)!;
    expect(account).toBeDefined();
    const entitlements = await accountsApi.getAccountEntitlements({ id: account.id! });
    conforms('/accounts/{id}/entitlements', 'get', 200, entitlements.data);
    expect(entitlements.data.map((e) => e.id)).toEqual(expect.arrayContaining(payrollEntitlements));
    expect((await requestable.listRequestableObjects({ identityId: ALICE, types: ['ACCESS_PROFILE'], term: 'Payroll' })).data.find((o) => o.id === payroll.id)?.requestStatus).toBe('ASSIGNED');
    const identity = await new IdentitiesBetaApi(olivia.config).getIdentity({ id: ALICE });
    const check = validateBeta('/identities/{id}', 'get', 200, identity.data);
    expect(check.errors ?? []).toEqual([]);
    const found = await new SearchApi(olivia.config).searchPost({ search: { indices: ['identities'], query: { query: `id:${ALICE}` } } });
    const doc = found.data[0] as { access: Array<{ id: string; type: string }>; accounts: Array<{ id: string }> };
    // the search response is a oneOf over overlapping document types: check the identity document's own schema
    const identityDoc = contractAjv(contract).compile({ $ref: 'contract#/components/schemas/IdentityDocument' });
    expect(identityDoc({ ...doc, access: [] }) ? [] : identityDoc.errors).toEqual([]);
    expect(doc.access).toEqual(expect.arrayContaining([expect.objectContaining({ id: payroll.id, type: 'ACCESS_PROFILE' }), ...payrollEntitlements.map((id) => expect.objectContaining({ id, type: 'ENTITLEMENT' }))]));
    expect(doc.accounts.map((a) => a.id)).toContain(account.id);

    // the approvers' summaries count what they did
    const summary = await olivia.approvals.getAccessRequestApprovalSummary({ ownerId: 'me' });
    conforms('/access-request-approvals/approval-summary', 'get', 200, summary.data);
    expect(summary.data).toEqual({ pending: 0, approved: 1, rejected: 0 });
    const completed = await bob.approvals.listCompletedApprovals({ ownerId: 'me' });
    conforms('/access-request-approvals/completed', 'get', 200, completed.data);
    expect(completed.data).toEqual([expect.objectContaining({ state: 'APPROVED', reviewedBy: expect.objectContaining({ id: BOB }) })]);

    // every step is in the audit trail, attributed to the token's identity
    const events = emu.isc.slice<{ events: Array<{ action: string; actor: { name: string }; attributes: Record<string, unknown> }> }>('iscCertifications').events.filter((e) => e.attributes.accessRequestId === accessRequestId);
    expect(events.map((e) => [e.action, e.actor.name])).toEqual([
      ['ACCESS_REQUEST_STARTED', 'alice.reviewer'],
      ['ACCESS_APPROVAL_STARTED', 'alice.reviewer'],
      ['ACCESS_APPROVAL_APPROVED', 'olivia.admin'],
      ['ACCESS_APPROVAL_STARTED', 'olivia.admin'],
      ['ACCESS_APPROVAL_APPROVED', 'bob.reviewer'],
      ['ACCESS_PROVISIONING_PASSED', 'System'],
      ['ACCESS_REQUEST_PASSED', 'System'],
    ]);
  });

  it('a rejected request ends REJECTED, a cancelled one CANCELLED; summaries count them', async () => {
    const payroll = accessProfile('Payroll Operations');
    const sales = accessProfile('Sales Cloud User');
    await bob.requests.createAccessRequest({ accessRequest: grant(BOB, payroll.id) });
    const toCancel = await alice.requests.createAccessRequest({ accessRequest: grant(ALICE, sales.id) });
    const cancelId = (toCancel.data as { newRequests: Array<{ accessRequestIds: string[] }> }).newRequests[0]!.accessRequestIds[0]!;

    const pending = await olivia.approvals.listPendingApprovals({ ownerId: 'me' });
    expect(pending.data.map((a) => a.requestedFor!.id).sort()).toEqual([ALICE, BOB].sort());
    expect((await olivia.approvals.getAccessRequestApprovalSummary({})).data).toEqual({ pending: 2, approved: 0, rejected: 0 });
    const bobsApproval = pending.data.find((a) => a.requestedFor!.id === BOB)!;
    // reject needs a comment (its body is required)
    expect((await sdkFailure(olivia.approvals.rejectAccessRequest({ approvalId: bobsApproval.id!, commentDto: {} }))).status).toBe(400);
    const rejected = await olivia.approvals.rejectAccessRequest({ approvalId: bobsApproval.id!, commentDto: { comment: 'not in your job' } });
    conforms('/access-request-approvals/{approvalId}/reject', 'post', 202, rejected.data);
    const bobStatus = (await bob.requests.listAccessRequestStatus({ requestedFor: 'me' })).data;
    expect(bobStatus).toEqual([expect.objectContaining({ state: 'REJECTED', cancelable: false })]);
    // a decided approval cannot be decided again
    expect((await sdkFailure(olivia.approvals.approveAccessRequest({ approvalId: bobsApproval.id! }))).status).toBe(400);

    // only the requester (or an ORG_ADMIN) cancels
    expect((await sdkFailure(bob.requests.cancelAccessRequest({ cancelAccessRequest: { accountActivityId: cancelId, comment: 'mine?' } }))).status).toBe(403);
    const cancelled = await alice.requests.cancelAccessRequest({ cancelAccessRequest: { accountActivityId: cancelId, comment: 'requested by mistake' } });
    expect(cancelled.status).toBe(202);
    conforms('/access-requests/cancel', 'post', 202, cancelled.data);
    const aliceStatus = await statusOf(alice, cancelId);
    expect(aliceStatus).toMatchObject({ state: 'CANCELLED', cancelable: false, cancelledRequestDetails: { comment: 'requested by mistake', owner: { id: ALICE } } });
    expect((await sdkFailure(alice.requests.cancelAccessRequest({ cancelAccessRequest: { accountActivityId: cancelId, comment: 'again' } }))).status).toBe(400);

    expect((await olivia.approvals.getAccessRequestApprovalSummary({ ownerId: 'me' })).data).toEqual({ pending: 0, approved: 0, rejected: 1 });
    expect((await olivia.approvals.listPendingApprovals({ ownerId: 'me' })).data).toEqual([]);
    await advance(emu, 3_600_000);
    expect(identityAccess(emu.isc, BOB).accessProfiles.some((a) => a.accessProfile.id === payroll.id)).toBe(false);
    expect(identityAccess(emu.isc, ALICE).accessProfiles.some((a) => a.accessProfile.id === sales.id)).toBe(false);
  });

  it('who may ask for whom, and what the lists show to whom', async () => {
    const sales = accessProfile('Sales Cloud User');
    // alice may not request for bob (not her report, on-behalf-of disabled)
    const forBob = await sdkFailure(alice.requests.createAccessRequest({ accessRequest: grant(BOB, sales.id) }));
    expect(forBob.status).toBe(403);
    conforms('/access-requests', 'post', 403, forBob.body);
    // an unknown item is a 400 with the ISC error body
    const unknown = await sdkFailure(alice.requests.createAccessRequest({ accessRequest: grant(ALICE, 'f'.repeat(32)) }));
    expect(unknown.status).toBe(400);
    conforms('/access-requests', 'post', 400, unknown.body);
    // a non-admin may only list their own approvals and statuses
    expect((await sdkFailure(alice.approvals.listPendingApprovals({ ownerId: OLIVIA }))).status).toBe(403);
    expect((await sdkFailure(alice.requests.listAccessRequestStatus({ requestedFor: BOB }))).status).toBe(403);
    // the config turns on requests for others by anyone
    const config = (await olivia.requests.getAccessRequestConfig()).data;
    conforms('/access-request-config', 'get', 200, config);
    const put = await olivia.requests.setAccessRequestConfig({ accessRequestConfig: { ...config, requestOnBehalfOfConfig: { allowRequestOnBehalfOfAnyoneByAnyone: true, allowRequestOnBehalfOfEmployeeByManager: true } } });
    conforms('/access-request-config', 'put', 200, put.data);
    expect((await sdkFailure(alice.requests.setAccessRequestConfig({ accessRequestConfig: config }))).status).toBe(403);
    const onBehalf = await alice.requests.createAccessRequest({ accessRequest: grant(BOB, sales.id) });
    expect(onBehalf.status).toBe(202);
    // a duplicate is not refused: it comes back as an existing request
    const dup = await alice.requests.createAccessRequest({ accessRequest: grant(BOB, sales.id) });
    expect(dup.status).toBe(202);
    conforms('/access-requests', 'post', 202, dup.data);
    const ids = (onBehalf.data as { newRequests: Array<{ accessRequestIds: string[] }> }).newRequests[0]!.accessRequestIds;
    expect(dup.data).toEqual({ newRequests: [], existingRequests: [expect.objectContaining({ requestedFor: BOB, accessRequestIds: ids })] });
    // the admin sees every request; count=true sets X-Total-Count
    const all = await olivia.requests.listAccessRequestStatus({ count: true, sorters: '-created' });
    expect(all.headers['x-total-count']).toBe('1');
    expect(all.data[0]).toMatchObject({ requester: { id: ALICE }, requestedFor: { id: BOB } });
    const badSorter = await sdkFailure(olivia.requests.listAccessRequestStatus({ sorters: 'nope' }));
    expect(badSorter.status).toBe(400);
    conforms('/access-request-status', 'get', 400, badSorter.body);
  });

  it('fulfilment failures injected from the control plane end in ERROR; removeDate revokes on the clock', async () => {
    const sales = accessProfile('Sales Cloud User');
    await call(emu, 'isc', 'POST', '/__emulator/isc/access-requests/fulfilment', { body: { failNext: 1, delayMs: 1000 } });
    await alice.requests.createAccessRequest({ accessRequest: grant(ALICE, sales.id) });
    const [approval] = (await olivia.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    await olivia.approvals.approveAccessRequest({ approvalId: approval!.id! });
    const open = await call(emu, 'isc', 'GET', '/__emulator/isc/access-requests');
    expect(open.body.requests).toEqual([expect.objectContaining({ phase: 'PROVISIONING', state: 'EXECUTING' })]);
    await advance(emu, 1000);
    const [failed] = (await alice.requests.listAccessRequestStatus({ requestedFor: 'me' })).data;
    expect(failed).toMatchObject({ state: 'ERROR', errorMessages: [[expect.objectContaining({ text: 'Provisioning failed: the connector returned an error.' })]] });
    expect(identityAccess(emu.isc, ALICE).accessProfiles.some((a) => a.accessProfile.id === sales.id)).toBe(false);

    // again, with a removeDate a day out
    const removeDate = new Date(Date.parse('2026-11-23T12:00:00.000Z') + 86_400_000).toISOString();
    await alice.requests.createAccessRequest({ accessRequest: { requestedFor: [ALICE], requestedItems: [{ type: 'ACCESS_PROFILE', id: sales.id, removeDate }] } });
    const [again] = (await olivia.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    await olivia.approvals.approveAccessRequest({ approvalId: again!.id! });
    await advance(emu, 1000);
    expect(identityAccess(emu.isc, ALICE).accessProfiles.some((a) => a.accessProfile.id === sales.id)).toBe(true);
    await advance(emu, 86_400_000);
    expect(identityAccess(emu.isc, ALICE).accessProfiles.some((a) => a.accessProfile.id === sales.id)).toBe(false);
  });

  it('reminders, escalation to the approver\'s manager, and forwarding follow the configuration on the clock', async () => {
    const payroll = accessProfile('Payroll Operations');
    const config = (await olivia.requests.getAccessRequestConfig()).data;
    await olivia.requests.setAccessRequestConfig({ accessRequestConfig: { ...config, approvalReminderAndEscalationConfig: { daysBetweenReminders: 1, maxReminders: 2, daysUntilEscalation: 3, fallbackApproverRef: null } } });
    await alice.requests.createAccessRequest({ accessRequest: grant(ALICE, payroll.id) });
    const [managerStep] = (await olivia.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    await olivia.approvals.approveAccessRequest({ approvalId: managerStep!.id! });
    const [ownerStep] = (await bob.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    // bob forwards it to alice? no: she is who the access is for
    expect((await sdkFailure(bob.approvals.forwardAccessRequest({ approvalId: ownerStep!.id!, forwardApprovalDto: { newOwnerId: ALICE, comment: 'you?' } }))).status).toBe(400);
    await advance(emu, 3 * 86_400_000);
    await signIn(); // PAT access tokens last 12 hours
    // escalated to bob's manager (olivia)
    const escalated = (await olivia.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    expect(escalated).toEqual([expect.objectContaining({ id: ownerStep!.id, forwardHistory: [expect.objectContaining({ reassignmentType: 'AUTO_ESCALATION', oldApproverName: 'Bob Reviewer' })] })]);
    conforms('/access-request-approvals/pending', 'get', 200, escalated);
    expect((await bob.approvals.listPendingApprovals({ ownerId: 'me' })).data).toEqual([]);
    const actions = emu.isc.slice<{ events: Array<{ action: string }> }>('iscCertifications').events.map((e) => e.action);
    expect(actions.filter((a) => a === 'ACCESS_APPROVAL_REMINDED')).toHaveLength(2);
    expect(actions).toContain('ACCESS_APPROVAL_ESCALATED');
    // olivia forwards it to bob by hand
    const fwd = await olivia.approvals.forwardAccessRequest({ approvalId: ownerStep!.id!, forwardApprovalDto: { newOwnerId: BOB, comment: 'please look' } });
    conforms('/access-request-approvals/{approvalId}/forward', 'post', 202, fwd.data);
    const back = (await bob.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    expect(back[0]!.forwardHistory!.map((h) => h.reassignmentType)).toEqual(['AUTO_ESCALATION', 'MANUAL_REASSIGNMENT']);
  });

  it('a snapshot taken mid-flow seeds an emulator that carries on (approvals, jobs, configuration)', async () => {
    const payroll = accessProfile('Payroll Operations');
    const config = (await olivia.requests.getAccessRequestConfig()).data;
    await olivia.requests.setAccessRequestConfig({ accessRequestConfig: { ...config, autoApprovalEnabled: true } });
    await alice.requests.createAccessRequest({ accessRequest: grant(ALICE, payroll.id) });
    const [managerStep] = (await olivia.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    await olivia.approvals.approveAccessRequest({ approvalId: managerStep!.id! });
    const snapshot = await call(emu, 'isc', 'GET', '/__emulator/snapshot');
    expect(snapshot.status).toBe(200);
    expect((await call(emu, 'isc', 'POST', '/__emulator/seed', { body: snapshot.body })).status).toBe(200);
    await signIn();
    expect((await olivia.requests.getAccessRequestConfig()).data.autoApprovalEnabled).toBe(true);
    const [ownerStep] = (await bob.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    expect(ownerStep!.requestedFor!.id).toBe(ALICE);
    await bob.approvals.approveAccessRequest({ approvalId: ownerStep!.id! });
    await advance(emu, 60_000);
    expect((await alice.requests.listAccessRequestStatus({ requestedFor: 'me' })).data[0]!.state).toBe('REQUEST_COMPLETED');
    expect(identityAccess(emu.isc, ALICE).accessProfiles.some((a) => a.accessProfile.id === payroll.id)).toBe(true);
  });

  it('a governance-group step is every member\'s; auto-approval passes the requester\'s own step', async () => {
    const tools = accessProfile('Platform Admin Tools');
    // its schemes are OWNER (bob) then GOVERNANCE_GROUP (Platform Approvers: olivia, bob); comments are required
    expect((await sdkFailure(alice.requests.createAccessRequest({ accessRequest: grant(ALICE, tools.id, '') }))).status).toBe(400);
    await alice.requests.createAccessRequest({ accessRequest: grant(ALICE, tools.id) });
    const [ownerStep] = (await bob.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    await bob.approvals.approveAccessRequest({ approvalId: ownerStep!.id! });
    const forBob = (await bob.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    const forOlivia = (await olivia.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    expect(forBob.map((a) => a.id)).toEqual(forOlivia.map((a) => a.id));
    expect(forBob).toHaveLength(1);
    // alice is no member: 403
    expect((await sdkFailure(alice.approvals.approveAccessRequest({ approvalId: forBob[0]!.id! }))).status).toBe(403);
    await olivia.approvals.approveAccessRequest({ approvalId: forBob[0]!.id! });
    const [status] = (await alice.requests.listAccessRequestStatus({ requestedFor: 'me' })).data;
    expect(status!.approvalDetails!.map((d) => [d.scheme, d.originalOwner?.type, d.status])).toEqual([
      ['ACCESS_PROFILE_OWNER', 'IDENTITY', 'APPROVED'],
      ['GOVERNANCE_GROUP', 'GOVERNANCE_GROUP', 'APPROVED'],
    ]);

    // bob requests Finance Analyst, which he owns: with autoApprovalEnabled only his manager is asked
    const analyst = accessProfile('Finance Analyst');
    expect(analyst.ownerId).toBe(BOB);
    const config = (await olivia.requests.getAccessRequestConfig()).data;
    await olivia.requests.setAccessRequestConfig({ accessRequestConfig: { ...config, autoApprovalEnabled: true } });
    await bob.requests.createAccessRequest({ accessRequest: grant(BOB, analyst.id) });
    const [managerStep] = (await olivia.approvals.listPendingApprovals({ ownerId: 'me' })).data;
    await olivia.approvals.approveAccessRequest({ approvalId: managerStep!.id! });
    expect((await bob.approvals.listPendingApprovals({ ownerId: 'me' })).data).toEqual([]);
    const [bobStatus] = (await bob.requests.listAccessRequestStatus({ requestedFor: 'me' })).data;
    expect(bobStatus!.approvalDetails!.map((d) => [d.scheme, d.status])).toEqual([
      ['MANAGER', 'APPROVED'],
      ['ACCESS_PROFILE_OWNER', 'APPROVED'],
    ]);
    expect(bobStatus!.cancelable).toBe(false);
  });
});
