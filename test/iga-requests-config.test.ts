// IGA request types, forms, assignments and workflows beyond the recording: built-ins cannot be deleted, custom
// types with required schema fields, a custom published workflow with a fixed approver, escalation and expiry
// reassignment on the clock, modify/PUT/PATCH of a pending request with notModifiableProperties, scopes.
import { beforeEach, describe, expect, it } from 'vitest';
import { advance, aicToken, call, testEmulator } from './helpers.js';
import type { Emulator } from '../src/emulator.js';
import type { GovernanceState, User } from '../src/aic/governance/model.js';
import { igaSetup, userNamed, userToken } from './iga-helpers.js';

const ENV = 'dev';
let emu: Emulator;
let admin: string;
let gov: GovernanceState;
const byName = (n: string) => userNamed(gov, n);
const tokenOf = (u: User) => userToken(emu, ENV, u);
const DAY = 86_400_000;

beforeEach(async () => {
  ({ emu, admin, gov } = await igaSetup(ENV));
});

describe('request types', () => {
  it('lists the built-ins, refuses to delete them, and deletes custom ones', async () => {
    const list = await call(emu, ENV, 'GET', '/iga/governance/requestTypes?_queryFilter=true&_fields=id', { token: admin });
    expect(list.status).toBe(200);
    const ids = list.body.result.map((r: any) => r.id);
    for (const id of ['applicationGrant', 'applicationRemove', 'entitlementGrant', 'entitlementRemove', 'roleGrant', 'roleRemove', 'createEntitlement']) expect(ids).toContain(id);
    expect(list.body.result[0]).toEqual({ id: 'applicationGrant' });
    const del = await call(emu, ENV, 'DELETE', '/iga/governance/requestTypes/entitlementGrant', { token: admin });
    expect(del.status).toBe(400);
    expect(del.body).toEqual({ message: 'Request type entitlementGrant is not a custom request type and cannot be deleted' });
    expect((await call(emu, ENV, 'GET', '/iga/governance/requestTypes/entitlementGrant', { token: admin })).status).toBe(200);

    const created = await call(emu, ENV, 'POST', '/iga/governance/requestTypes', { token: admin, body: { id: 'laptop', displayName: 'Laptop', workflow: {} } });
    expect(created.body).toMatchObject({ id: 'laptop', _rev: 1, custom: true, metadata: { createdDate: '2026-11-23T12:00:00.000Z' } });
    expect(created.body.schemas.common[0]._meta.displayName).toBe('commonRequest');
    const low = await call(emu, ENV, 'PATCH', '/iga/governance/requestTypes/laptop?_useLowLevelApi=true', { token: admin, body: [{ operation: 'replace', field: '/custom', value: false }] });
    expect(low.body).toEqual({ id: 'laptop', displayName: 'Laptop', workflow: {}, _rev: 2, schemas: { common: ['/requestSchema/iga/commonRequest'] }, custom: false });
    expect((await call(emu, ENV, 'DELETE', '/iga/governance/requestTypes/laptop', { token: admin })).status).toBe(200);
    expect((await call(emu, ENV, 'GET', '/iga/governance/requestTypes/laptop', { token: admin })).body).toEqual({ message: "Request Type Id doesn't exist" });
  });

  it('needs the IGA admin scope', async () => {
    const u = byName('oscar.owner');
    expect((await call(emu, ENV, 'GET', '/iga/governance/requestTypes', { token: await tokenOf(u) })).status).toBe(403);
    expect((await call(emu, ENV, 'GET', '/iga/governance/requestTypes')).status).toBe(401);
  });
});

describe('custom request type with a custom workflow', () => {
  async function setup(events: Record<string, unknown>) {
    const approver = byName('oscar.owner');
    const wf = {
      name: 'laptopApproval',
      displayName: 'Laptop approval',
      type: 'provisioning',
      steps: [
        {
          name: 'approvalTask-it',
          displayName: 'IT approval',
          type: 'approvalTask',
          approvalTask: { nextStep: [{ condition: null, outcome: 'APPROVE', step: null }, { condition: null, outcome: 'REJECT', step: null }], approvalMode: 'any', actors: [{ id: `managed/user/${approver._id}`, permissions: { approve: true, reject: true, reassign: false, modify: true, comment: true } }], events },
        },
      ],
      staticNodes: { startNode: { id: 'startNode', connections: { start: 'approvalTask-it' } } },
    };
    expect((await call(emu, ENV, 'PUT', '/iga/governance/workflow/laptopApproval/draft', { token: admin, body: wf })).status).toBe(200);
    expect((await call(emu, ENV, 'POST', '/iga/governance/workflow/laptopApproval/draft?_action=publish', { token: admin })).status).toBe(200);
    expect((await call(emu, ENV, 'GET', '/iga/governance/workflow/laptopApproval/published', { token: admin })).body.status).toBe('published');
    const type = {
      id: 'laptop',
      displayName: 'Laptop',
      workflow: { id: 'laptopApproval' },
      notModifiableProperties: ['custom.model'],
      schemas: { common: ['/requestSchema/iga/commonRequest'], custom: [{ _meta: { type: 'system', properties: { model: { isRequired: true, isInternal: false, display: { name: 'Model' } }, colour: { isRequired: false } } }, properties: { model: { type: 'text' }, colour: { type: 'text' } } }] },
    };
    expect((await call(emu, ENV, 'POST', '/iga/governance/requestTypes', { token: admin, body: type })).status).toBe(200);
    return approver;
  }

  it('requires the schema fields, routes to the fixed approver, escalates and reassigns on expiry', async () => {
    const approver = await setup({
      escalation: { notification: 'requestEscalated', frequency: 1, date: { isExpression: true, value: '(new Date(new Date().getTime()+(2*24*60*60*1000))).toISOString()' }, actors: [{ id: `managed/user/${byName('gov.admin')._id}` }] },
      expiration: { action: 'reassign', notification: 'requestExpired', actors: [{ id: `managed/user/${byName('maria.manager')._id}` }], date: { isExpression: true, value: '(new Date(new Date().getTime()+(3*24*60*60*1000))).toISOString()' } },
    });
    const requester = gov.users.find((u) => u.manager && !u.roles.length && u._id !== approver._id)!;
    const tok = await tokenOf(requester);
    const bad = await call(emu, ENV, 'POST', '/iga/governance/requests/laptop', { token: tok, body: { common: { justification: 'new starter' } } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ message: 'Request validation failed: custom.model is required', errors: ['custom.model is required'] });

    const r = await call(emu, ENV, 'POST', '/iga/governance/requests/laptop', { token: tok, body: { common: { justification: 'new starter' }, custom: { model: 'X1', colour: 'black' } } });
    expect(r.status).toBe(200);
    expect(r.body.decision.actors.active.map((a: any) => a.id)).toEqual([`managed/user/${approver._id}`]);
    expect(r.body.decision.phases[0].events.escalation.date).toBe('2026-11-25T12:00:00.000Z');

    // the requester may not touch locked properties; the approver may modify others
    const apTok = await tokenOf(approver);
    const locked = await call(emu, ENV, 'POST', `/iga/governance/requests/${r.body.id}?_action=modify`, { token: apTok, body: { custom: { model: 'X2' } } });
    expect(locked.status).toBe(400);
    const mod = await call(emu, ENV, 'POST', `/iga/governance/requests/${r.body.id}?_action=modify`, { token: apTok, body: { custom: { colour: 'silver' } } });
    expect(mod.status).toBe(200);
    expect(mod.body.request.custom).toEqual({ model: 'X1', colour: 'silver' });
    const noReassign = await call(emu, ENV, 'POST', `/iga/governance/requests/${r.body.id}?_action=reassign`, { token: apTok, body: { updatedActors: [{ id: byName('gov.admin')._id }] } });
    expect(noReassign.status).toBe(403);

    await advance(emu, 2 * DAY);
    admin = await aicToken(emu, ENV, ['fr:iga:*']);
    const esc = (await call(emu, ENV, 'GET', `/iga/governance/requests/${r.body.id}`, { token: admin })).body;
    expect(esc.decision.actors.active.map((a: any) => a.userName)).toEqual([approver.userName, 'gov.admin']);
    expect(esc.decision.comments.at(-1)).toMatchObject({ action: 'escalate', user: { id: 'system' } });

    await advance(emu, DAY);
    admin = await aicToken(emu, ENV, ['fr:iga:*']);
    const exp = (await call(emu, ENV, 'GET', `/iga/governance/requests/${r.body.id}`, { token: admin })).body;
    expect(exp.decision.status).toBe('in-progress');
    expect(exp.decision.actors.active.map((a: any) => a.userName)).toEqual(['maria.manager']);
    const mariaTok = await tokenOf(byName('maria.manager'));
    const ok = await call(emu, ENV, 'POST', `/iga/governance/requests/${r.body.id}?_action=approve`, { token: mariaTok, body: {} });
    expect(ok.status).toBe(200);
    await advance(emu, 5000);
    admin = await aicToken(emu, ENV, ['fr:iga:*']);
    expect((await call(emu, ENV, 'GET', `/iga/governance/requests/${r.body.id}`, { token: admin })).body.decision).toMatchObject({ status: 'complete', outcome: 'provisioned', decision: 'approved' });
  });

  it('replaces and patches a pending request, keeping locked properties', async () => {
    await setup({});
    const r = await call(emu, ENV, 'POST', '/iga/governance/requests/laptop', { token: admin, body: { common: { justification: 'a' }, custom: { model: 'X1' } } });
    const put = await call(emu, ENV, 'PUT', `/iga/governance/requests/${r.body.id}`, { token: admin, body: { common: { justification: 'b', priority: 'high' }, custom: { model: 'X1', colour: 'red' } } });
    expect(put.status).toBe(200);
    expect(put.body.request).toEqual({ common: { justification: 'b', priority: 'high' }, custom: { model: 'X1', colour: 'red' } });
    const badPut = await call(emu, ENV, 'PUT', `/iga/governance/requests/${r.body.id}`, { token: admin, body: { common: {}, custom: { model: 'Z' } } });
    expect(badPut.status).toBe(400);
    const patch = await call(emu, ENV, 'PATCH', `/iga/governance/requests/${r.body.id}`, { token: admin, body: [{ operation: 'replace', field: '/request/common/priority', value: 'low' }] });
    expect(patch.status).toBe(200);
    expect(patch.body.request.common.priority).toBe('low');
    const missing = await call(emu, ENV, 'GET', '/iga/governance/requests/nope', { token: admin });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: 'Request nope not found' });
    const badAction = await call(emu, ENV, 'POST', `/iga/governance/requests/${r.body.id}?_action=explode`, { token: admin, body: {} });
    expect(badAction.status).toBe(400);
  });
});

describe('request forms and assignments', () => {
  it('creates, reads, updates (rev), assigns, unassigns and deletes', async () => {
    const f = await call(emu, ENV, 'POST', '/iga/governance/requestForms', { token: admin, body: { name: 'f1', type: 'request', description: '', categories: { applicationType: null, objectType: null, operation: 'create' }, form: {} } });
    expect(f.status).toBe(200);
    expect(f.body._rev).toBeUndefined();
    const put = await call(emu, ENV, 'PUT', `/iga/governance/requestForms/${f.body.id}`, { token: admin, body: { ...f.body, description: 'changed' } });
    expect(put.body).toMatchObject({ _rev: 1, description: 'changed' });
    const a = await call(emu, ENV, 'POST', '/iga/governance/requestFormAssignments?_action=assign', { token: admin, body: { formId: f.body.id, objectId: 'requestType/applicationGrant' } });
    expect(a.body).toEqual({ formId: f.body.id, objectId: 'requestType/applicationGrant' });
    const q = await call(emu, ENV, 'GET', `/iga/governance/requestFormAssignments?_queryFilter=${encodeURIComponent('objectId sw "requestType"')}`, { token: admin });
    expect(q.body).toMatchObject({ totalCount: 1, result: [{ formId: f.body.id, objectId: 'requestType/applicationGrant', metadata: { createdDate: '2026-11-23T12:00:00.000Z' } }] });
    const badFilter = await call(emu, ENV, 'GET', '/iga/governance/requestFormAssignments?_queryFilter=objectId%20zz%20x', { token: admin });
    expect(badFilter.status).toBe(400);
    expect((await call(emu, ENV, 'POST', '/iga/governance/requestFormAssignments?_action=assign', { token: admin, body: { formId: 'nope', objectId: 'x' } })).status).toBe(404);
    expect((await call(emu, ENV, 'POST', '/iga/governance/requestFormAssignments?_action=unassign', { token: admin, body: { formId: f.body.id, objectId: 'requestType/applicationGrant' } })).status).toBe(200);
    expect((await call(emu, ENV, 'DELETE', `/iga/governance/requestForms/${f.body.id}`, { token: admin })).status).toBe(200);
    const gone = await call(emu, ENV, 'GET', `/iga/governance/requestForms/${f.body.id}`, { token: admin });
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toMatch(/^text\/html/);
    expect(gone.text).toBe(`Object not found with ID: ${f.body.id}`);
  });
});

describe('bad input never breaks the emulator', () => {
  it('answers 4xx in the IGA body for malformed requests, leaving state unchanged', async () => {
    const before = JSON.stringify(emu.env(ENV)!.slice('requests'));
    const cases: Array<[string, string, unknown]> = [
      ['POST', '/iga/governance/requests', []],
      ['POST', '/iga/governance/requests', { users: 'x', catalogs: [] }],
      ['POST', '/iga/governance/requests', { users: ['x'], catalogs: ['y', 1, null] }],
      ['POST', '/iga/governance/requests?_action=explode', {}],
      ['POST', '/iga/governance/requests/entitlementGrant', { common: 'x' }],
      ['POST', '/iga/governance/requests/entitlementGrant', { common: { userId: 42, entitlementId: ['a'] } }],
      ['POST', '/iga/governance/requests/noSuchType', { common: {} }],
      ['POST', '/iga/governance/requests/noSuchRequest?_action=approve', {}],
      ['POST', `/iga/governance/user/${byName('gov.admin')._id}/requests?_action=search`, { targetFilter: { operator: 'WAT', operand: {} } }],
      ['POST', `/iga/governance/user/${byName('gov.admin')._id}/approvals?_action=search`, { targetFilter: { operator: 'AND', operand: ['x'] } }],
      ['POST', '/iga/governance/catalog/search', { targetFilter: { operator: 'EQUALS', operand: { targetValue: 1 } } }],
      ['PATCH', '/iga/governance/requestTypes/applicationGrant', { not: 'an array' }],
      ['PATCH', '/iga/governance/requestTypes/applicationGrant', [{ operation: 'explode', field: '/x' }]],
      ['PATCH', '/iga/governance/requestTypes/applicationGrant', [{ operation: 'replace', field: '/' }]],
      ['PUT', '/iga/governance/requestForms/x', { name: '' }],
      ['POST', '/iga/governance/requestFormAssignments?_action=assign', { formId: 1 }],
      ['POST', '/iga/governance/requestFormAssignments', { formId: 'a', objectId: 'b' }],
      ['GET', '/iga/governance/requests?_pageSize=-1', undefined],
      ['GET', '/iga/governance/requests?_queryFilter=((', undefined],
      ['POST', '/iga/governance/workflow/nope/draft?_action=publish', undefined],
    ];
    for (const [method, path, body] of cases) {
      const res = await call(emu, ENV, method, path, { token: admin, ...(body !== undefined ? { body } : {}) });
      expect(res.status, `${method} ${path} ${res.text}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path} ${res.text}`).toBeLessThan(500);
      expect(typeof res.body.message === 'string' || Array.isArray(res.body.errors), `${method} ${path}`).toBe(true);
    }
    const raw = await call(emu, ENV, 'POST', '/iga/governance/requests/entitlementGrant', { token: admin, raw: '{not json' });
    expect(raw.status).toBe(400);
    // PATCH of a built-in is fine, and the failed calls above changed nothing else
    expect(JSON.stringify(emu.env(ENV)!.slice('requests'))).toBe(before);
  });

  it('accepts a hand-written pending request in a fixture and lets its approver decide it', async () => {
    const maria = byName('maria.manager');
    const oscar = byName('oscar.owner');
    emu = testEmulator({ fixture: { aic: { environments: [{ name: 'dev' }] } } });
    const seeded = await call(emu, ENV, 'POST', '/__emulator/seed', {
      body: {
        aic: {
          environments: [
            {
              name: 'dev',
              governance: { users: gov.users.slice(0, 3), applications: gov.applications.slice(0, 1), entitlements: [], roles: [], grants: [] },
              accessRequests: [
                {
                  id: 'req-1',
                  requester: { id: oscar._id, userName: 'oscar.owner' },
                  requestType: 'applicationGrant',
                  request: { common: { userId: oscar._id, applicationId: gov.applications[0]!.id } },
                  user: { id: oscar._id, userName: 'oscar.owner' },
                  decision: { phases: [{ name: 'p1', type: 'request', status: 'in-progress', decision: null, startDate: '2026-11-01T00:00:00Z', events: {}, workflowTaskId: '1' }], actors: { active: [{ id: `managed/user/${maria._id}`, userName: 'maria.manager', permissions: { approve: true, reject: true, reassign: true, modify: true, comment: true }, phase: 'p1' }] } },
                },
              ],
            },
          ],
        },
      },
    });
    expect(seeded.status, seeded.text).toBe(200);
    const tok = await tokenOf(byName('maria.manager'));
    const list = await call(emu, ENV, 'POST', `/iga/governance/user/${maria._id}/approvals?_action=search`, { token: tok, body: {} });
    expect(list.body.result.map((r: any) => r.id)).toEqual(['req-1']);
    const ok = await call(emu, ENV, 'POST', '/iga/governance/requests/req-1?_action=approve', { token: tok, body: {} });
    expect(ok.status).toBe(200);
    expect(ok.body.decision.decision).toBe('approved');
    await advance(emu, 5000);
    const admin2 = await aicToken(emu, ENV, ['fr:iga:*']);
    expect((await call(emu, ENV, 'GET', '/iga/governance/requests/req-1', { token: admin2 })).body.decision.outcome).toBe('provisioned');
  });
});

describe('fulfilment control plane', () => {
  it('changes the delay and injects a provisioning failure', async () => {
    const u = gov.users.find((x) => x.manager && !x.roles.length && !gov.grants.some((g) => g.userId === x._id && g.type === 'role'))!;
    const role = gov.roles[0]!;
    const set = await call(emu, ENV, 'POST', '/__emulator/iga/fulfilment?env=dev', { body: { delayMs: 60_000, failNext: 1, failureMessage: 'Provisioning failed: target system down' } });
    expect(set.body).toEqual({ delayMs: 60_000, failNext: 1, failureMessage: 'Provisioning failed: target system down' });
    expect((await call(emu, ENV, 'POST', '/__emulator/iga/fulfilment?env=dev', { body: { delayMs: -1 } })).status).toBe(400);
    const r = await call(emu, ENV, 'POST', '/iga/governance/requests/roleGrant', { token: admin, body: { common: { userId: u._id, roleId: role.id, context: { type: 'admin' } } } });
    expect(r.status).toBe(200);
    await advance(emu, 59_000);
    admin = await aicToken(emu, ENV, ['fr:iga:*']);
    expect((await call(emu, ENV, 'GET', `/iga/governance/requests/${r.body.id}`, { token: admin })).body.decision.status).toBe('in-progress');
    await advance(emu, 1_000);
    admin = await aicToken(emu, ENV, ['fr:iga:*']);
    const done = (await call(emu, ENV, 'GET', `/iga/governance/requests/${r.body.id}`, { token: admin })).body;
    expect(done.decision).toMatchObject({ status: 'complete', decision: 'approved', outcome: 'not provisioned', failure: true });
    expect(done.decision.comments.at(-1)).toMatchObject({ action: 'fulfilment', comment: 'Provisioning failed: target system down' });
    expect(gov.grants.some((g) => g.userId === u._id && g.assignmentId === role.id)).toBe(false);
    expect((await call(emu, ENV, 'GET', '/__emulator/iga/fulfilment?env=dev')).body.failNext).toBe(0);
  });
});
