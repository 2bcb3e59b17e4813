// What a second fuzzing pass found (2026-12-03), over the IGA request, workflow and certification flows, ISC campaigns
// and the console: each request below answered 500, broke the process, or was accepted where the product refuses.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/emulator.js';
import type { GovernanceState } from '../src/aic/governance/model.js';
import { advance, aicToken, call, iscToken, testEmulator } from './helpers.js';
import { OLIVIA } from './isc-cert-helpers.js';

let emu: Emulator;
let admin: string;
beforeEach(async () => {
  emu = testEmulator();
  admin = await aicToken(emu, 'dev', ['fr:iga:*']);
});
afterEach(() => {
  // the global Object keeps its own members
  expect(typeof Object.keys).toBe('function');
  expect(Object.getOwnPropertyNames(Object).filter((k) => ['foo', 'gone'].includes(k))).toEqual([]);
});
const A = (method: string, path: string, body?: unknown) => call(emu, 'dev', method, path, { token: admin, body });
const gov = () => emu.env('dev')!.slice<GovernanceState>('governance');

/** An in-progress request of the seed. */
async function openRequest() {
  const list = await A('GET', `/iga/governance/requests?_queryFilter=${encodeURIComponent('decision.status eq "in-progress"')}`);
  expect(list.body.totalCount).toBeGreaterThan(0);
  return list.body.result[0] as { id: string; request: Record<string, unknown> };
}

describe('IGA requests', () => {
  it('modify never writes through constructor or __proto__, and a refused modify changes nothing', async () => {
    const r = await openRequest();
    for (const body of [{ constructor: { keys: 'gone' } }, { constructor: { foo: 1 } }, { common: { ['__proto__']: { x: 1 } } }]) {
      const res = await A('POST', `/iga/governance/requests/${r.id}?_action=modify`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    // a body whose own key is __proto__ (as JSON.parse makes it) reaches no prototype either
    expect((await A('POST', `/iga/governance/requests/${r.id}?_action=modify`, JSON.parse('{"__proto__":{"foo":1}}'))).status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).foo).toBeUndefined();
    const before = (await A('GET', `/iga/governance/requests/${r.id}`)).body;
    const refused = await A('POST', `/iga/governance/requests/${r.id}?_action=modify`, { custom: { costCentre: 'CC-1' }, common: { priority: 'high', userId: 'x' } });
    expect(refused.status).toBe(400);
    expect((await A('GET', `/iga/governance/requests/${r.id}`)).body).toEqual(before);
    // the control plane and other products still work
    expect((await call(emu, 'dev', 'POST', '/__emulator/token', { body: { env: 'dev', subject: 's', scopes: ['fr:iga:*'] } })).status).toBe(200);
    expect((await call(emu, emu.isc.name, 'GET', '/v3/campaigns', { token: await iscToken(emu, OLIVIA) })).status).toBe(200);
  });

  it('a published workflow of any shape never makes request creation fail', async () => {
    const user = gov().users.find((u) => u.userName === 'oscar.owner')!;
    const held = new Set(gov().grants.filter((g) => g.userId === user._id).map((g) => g.assignmentId));
    const apps = gov().applications.filter((a) => !held.has(a.id));
    const drafts = [{ steps: { a: 1 } }, { steps: [null] }, { steps: [{ name: 's', type: 'approvalTask', approvalTask: { actors: [null], nextStep: [null, 5] } }] }, { steps: [{ name: 's', type: 'approvalTask', approvalTask: { actors: [{ id: 'managed/user/x' }], events: { escalation: { date: 1e20 }, expiration: { date: -3 } } } }] }];
    for (const [i, draft] of drafts.entries()) {
      expect((await A('PUT', '/iga/governance/workflow/BasicApplicationGrant/draft', draft)).status).toBe(200);
      expect((await A('POST', '/iga/governance/workflow/BasicApplicationGrant/draft?_action=publish')).status).toBe(200);
      const res = await A('POST', '/iga/governance/requests/applicationGrant', { common: { userId: user._id, applicationId: apps[i]!.id } });
      expect(res.status, `${JSON.stringify(draft)}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
    }
  });

  it('request types: notModifiableProperties is a list, schemas an object of lists, the id a plain key', async () => {
    for (const body of [{ id: 'rt1', notModifiableProperties: 5 }, { id: 'rt2', schemas: 'abc' }, { id: 'rt3', schemas: { custom: 'x' } }, { id: '__proto__' }, { id: 'constructor' }]) {
      const res = await A('POST', '/iga/governance/requestTypes', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await A('GET', '/iga/governance/requestTypes/rt1')).status).toBe(404);
    // a request type called toString is not one of the six access types
    expect((await A('POST', '/iga/governance/requestTypes', { id: 'toString' })).status).toBe(200);
    const res = await A('POST', '/iga/governance/requests/toString', { common: { userId: gov().users[0]!._id, undefined: 'x' } });
    expect(res.status).toBeLessThan(500);
  });

  it('reassign names an existing user or role', async () => {
    const r = await openRequest();
    for (const id of ['managed/role/nonexistent-role', 'managed/role/__proto__']) {
      const res = await A('POST', `/iga/governance/requests/${r.id}?_action=reassign`, { updatedActors: [{ id }] });
      expect(res.status, id).toBe(400);
      expect(res.body).toEqual({ message: `Unknown actor ${id}` });
    }
  });
});

describe('IGA certifications', () => {
  it('a template stageDuration is whole days up to a century', async () => {
    const base = { name: 'Bad duration', certificationType: 'identity', stages: [], targetFilter: {} };
    for (const stageDuration of [1e300, 'abc', -5, 0, 2.5]) {
      const res = await A('POST', '/iga/governance/certification/template', { ...base, stageDuration });
      expect(res.status, String(stageDuration)).toBe(400);
    }
  });

  it('an item is not forwarded or reassigned to the user whose access it reviews, unless self-certification is allowed', async () => {
    const g = gov();
    const reviewer = g.users.find((u) => u.userName === 'maria.manager')!;
    const subject = g.users.find((u) => u._id !== reviewer._id && g.grants.some((x) => x.userId === u._id && x.type === 'account'))!;
    const t = await A('POST', '/iga/governance/certification/template', {
      name: 'Self check', certificationType: 'identity', allowSelfCertification: false, enableForward: true, enableReassign: true, stageDuration: 7, stagingEnabled: false,
      ownerId: `managed/user/${reviewer._id}`, stages: [{ certifierType: 'user', certifierId: `managed/user/${reviewer._id}` }],
      targetFilter: { type: ['accountGrant'], user: { operator: 'EQUALS', operand: { targetName: 'id', targetValue: subject._id } } },
    });
    expect(t.status).toBe(200);
    const s = await A('POST', '/iga/governance/certification', { templateId: t.body.id });
    await advance(emu, 5_000);
    const R = '/iga/governance/certification/certification';
    const items = (await A('GET', `${R}/${s.body.id}/items?isAdmin=true&_pageSize=100`)).body.result as Array<{ id: string }>;
    expect(items.length).toBeGreaterThan(0);
    for (const action of ['forward', 'reassign']) {
      const res = await A('POST', `${R}/${s.body.id}/items/${items[0]!.id}/${action}`, { newActorId: `managed/user/${subject._id}`, comment: 'x' });
      expect(res.status, action).toBe(400);
    }
    // sorting on an inherited member sorts on nothing (no native code in the key)
    const sorted = await A('GET', `/iga/governance/certification/admin/certification?status=active&_sortKeys=constructor`);
    expect(JSON.stringify(sorted.body)).not.toContain('native code');
  });
});

describe('ISC campaigns', () => {
  it('deadlines are real dates in four-digit years; deadline durations are at most a century', async () => {
    const isc = await iscToken(emu, OLIVIA);
    const I = (method: string, path: string, body?: unknown) => call(emu, emu.isc.name, method, path, { token: isc, body });
    for (const deadline of ['+275760-09-13T00:00:00Z', '2027-02-30T00:00:00Z', '2027-13-01T00:00:00Z']) {
      const res = await I('POST', '/v3/campaigns', { name: 'C1', description: 'd', type: 'MANAGER', deadline });
      expect(res.status, deadline).toBe(400);
    }
    for (const deadlineDuration of ['P99999999999Y', 'PT99999999999999999999H', 'P101Y']) {
      const res = await I('POST', '/v3/campaign-templates', { name: 'T3', description: 'd', deadlineDuration, campaign: { name: 'x', description: 'y', type: 'MANAGER' } });
      expect(res.status, deadlineDuration).toBe(400);
    }
    expect((await I('POST', '/v3/campaign-templates', { name: 'T4', description: 'd', deadlineDuration: 'P2W', campaign: { name: 'x', description: 'y', type: 'MANAGER' } })).body.id).toEqual(expect.any(String));
  });
});

describe('console and control plane', () => {
  it('console actions are the table own; the redirect stays in the console', async () => {
    const post = (action: string, back: string) =>
      emu.request('dev', `/__emulator/ui/do/${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ back }).toString() });
    for (const action of ['__proto__', 'constructor', 'toString']) {
      const res = await post(action, '/__emulator/ui/');
      expect(res.status).toBe(303);
      const loc = new URL(res.headers.get('location')!, 'http://x');
      expect(loc.searchParams.get('flash'), action).toBe(`unknown console action ${action}`);
      expect(loc.searchParams.get('flashError')).toBe('1');
    }
    for (const back of ['/__emulator/ui/../../evil', '/__emulator/uix', '//evil.example/__emulator/ui']) {
      const loc = (await post('nothing', back)).headers.get('location')!;
      expect(loc.startsWith('/__emulator/ui?') || loc.startsWith('/__emulator/ui/'), `${back} → ${loc}`).toBe(true);
    }
  });

  it('reset takes its environment from a JSON body too', async () => {
    const res = await call(emu, 'dev', 'POST', '/__emulator/reset', { body: { env: 'dev' } });
    expect(res.body).toEqual({ reset: ['dev'] });
    expect((await call(emu, 'dev', 'POST', '/__emulator/reset?env=dev', { body: { env: 'staging' } })).status).toBe(400);
  });
});
