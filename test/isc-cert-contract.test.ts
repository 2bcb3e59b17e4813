// Issue 9: every certification endpoint's responses (success and error) validate against the vendor contract
// (reference/isc/isc-v3-certifications-access-requests.openapi.json) with ajv + ajv-formats.
import { describe, expect, it } from 'vitest';
import { advance, call, iscToken, testEmulator } from './helpers.js';
import { ALICE, BOB, CARL, OLIVIA } from './isc-cert-helpers.js';
import { contractValidator, loadIscContract, type ContractDoc } from './shared.js';

const FORMATS = ['comma-separated', 'minimum', 'maximum'];

describe('ISC certification responses validate against the vendor contract', () => {
  const doc: ContractDoc = loadIscContract();
  const check = contractValidator(doc, FORMATS);
  const expectValid = (path: string, method: string, res: { status: number; body: unknown }) => {
    const r = check(path, method, res.status, res.body);
    expect(r.errors ?? [], `${method.toUpperCase()} ${path} ${res.status}`).toEqual([]);
    expect(r.ok).toBe(true);
  };

  it('the validator rejects bodies that break the contract', () => {
    expect(check('/certifications/{id}', 'get', 200, { id: 'x', phase: 'DONE' }).ok).toBe(false);
    expect(check('/certifications/{id}', 'get', 200, { campaign: { id: 'x' } }).ok).toBe(false);
    expect(check('/certifications/{id}/access-review-items', 'get', 200, [{ decision: 'MAYBE' }]).ok).toBe(false);
    expect(check('/certifications/{id}', 'get', 404, { messages: [{ localeOrigin: 'SOMEWHERE' }] }).ok).toBe(false);
    expect(check('/certifications/{id}', 'get', 200, { id: 'x', phase: 'SIGNED', signed: 'yesterday' }).ok).toBe(false);
  });

  it('every endpoint, success and error bodies', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const olivia = await iscToken(emu, OLIVIA);
    const carl = await iscToken(emu, CARL);

    const list = await call(emu, 'isc', 'GET', '/v3/certifications?count=true&sorters=-due,name', { token: olivia });
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThanOrEqual(5);
    expectValid('/certifications', 'get', list);
    expectValid('/certifications', 'get', await call(emu, 'isc', 'GET', '/v3/certifications?filters=bogus eq 1', { token: olivia }));
    expectValid('/certifications', 'get', await call(emu, 'isc', 'GET', '/v3/certifications', {}));

    const mine = await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me', { token: alice });
    const cert = mine.body[0];
    expectValid('/certifications/{id}', 'get', await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}`, { token: alice }));
    expectValid('/certifications/{id}', 'get', await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}`, { token: carl }));
    expectValid('/certifications/{id}', 'get', await call(emu, 'isc', 'GET', '/v3/certifications/00000000000000000000000000000000', { token: alice }));

    const items = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items`, { token: alice });
    const kinds = new Set(items.body.map((i: { accessSummary: { access: { type: string } } }) => i.accessSummary.access.type));
    expect([...kinds].sort()).toEqual(['ACCESS_PROFILE', 'ENTITLEMENT', 'ROLE']);
    expectValid('/certifications/{id}/access-review-items', 'get', items);
    const entItem = items.body.find((i: { accessSummary: { access: { type: string } } }) => i.accessSummary.access.type === 'ENTITLEMENT');
    expectValid('/certifications/{certificationId}/access-review-items/{itemId}/permissions', 'get', await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items/${entItem.id}/permissions`, { token: alice }));
    expectValid('/certifications/{certificationId}/access-review-items/{itemId}/permissions', 'get', { status: 200, body: [{ rights: ['ModifyAllData', 'ViewAllData'], target: 'Organization' }] });
    expectValid('/certifications/{certificationId}/access-review-items/{itemId}/permissions', 'get', await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items/nope/permissions`, { token: alice }));
    expectValid('/certifications/{id}/reviewers', 'get', await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/reviewers`, { token: alice }));

    const summaries = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/identity-summaries?count=true`, { token: alice });
    expect(summaries.status).toBe(200);
    expectValid('/certifications/{id}/identity-summaries', 'get', summaries);
    expectValid('/certifications/{id}/identity-summaries/{identitySummaryId}', 'get', await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/identity-summaries/${summaries.body[0].id}`, { token: alice }));
    expectValid('/certifications/{id}/identity-summaries/{identitySummaryId}', 'get', await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/identity-summaries/nope`, { token: alice }));
    for (const type of ['ROLE', 'ACCESS_PROFILE', 'ENTITLEMENT']) {
      const acc = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-summaries/${type}`, { token: alice });
      expect(acc.status).toBe(200);
      expect(acc.body.length).toBeGreaterThan(0);
      expectValid('/certifications/{id}/access-summaries/{type}', 'get', acc);
    }
    expectValid('/certifications/{id}/access-summaries/{type}', 'get', await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-summaries/ACCOUNT`, { token: alice }));

    const decided = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, {
      token: alice,
      body: items.body.map((i: { id: string }, n: number) => ({ id: i.id, decision: n === 0 ? 'REVOKE' : 'APPROVE', bulk: false, comments: 'reviewed' })),
    });
    expect(decided.status).toBe(200);
    expectValid('/certifications/{id}/decide', 'post', decided);
    expectValid('/certifications/{id}/decide', 'post', await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: [] }));
    expectValid('/certifications/{id}/access-review-items', 'get', await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items`, { token: alice }));
    expectValid('/certifications/{id}/decision-summary', 'get', await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/decision-summary`, { token: alice }));

    const signed = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/sign-off`, { token: alice });
    expect(signed.status).toBe(200);
    expectValid('/certifications/{id}/sign-off', 'post', signed);
    expectValid('/certifications/{id}/sign-off', 'post', await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/sign-off`, { token: alice }));

    // reassign (sync) and reassign-async on bob's certification, as olivia (ORG_ADMIN)
    const bobCert = (await call(emu, 'isc', 'GET', `/v3/certifications?reviewer-identity=${BOB}&filters=phase eq "ACTIVE"`, { token: olivia })).body.find((c: { reviewer: { type: string } }) => c.reviewer.type === 'IDENTITY');
    const bobItems = (await call(emu, 'isc', 'GET', `/v3/certifications/${bobCert.id}/access-review-items`, { token: olivia })).body;
    const re = await call(emu, 'isc', 'POST', `/v3/certifications/${bobCert.id}/reassign`, { token: olivia, body: { reassign: [{ id: bobItems[0].id, type: 'ITEM' }], reassignTo: ALICE, reason: 'Alice knows this team' } });
    expect(re.status).toBe(200);
    expectValid('/certifications/{id}/reassign', 'post', re);
    const newCert = (await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me&filters=phase eq "ACTIVE"', { token: alice })).body.find((c: { reassignment: unknown }) => c.reassignment);
    expect(newCert.reassignment.from.reviewer.id).toBe(BOB);
    expectValid('/certifications/{id}', 'get', { status: 200, body: newCert });
    expectValid('/certifications/{id}/reviewers', 'get', await call(emu, 'isc', 'GET', `/v3/certifications/${newCert.id}/reviewers`, { token: alice }));

    const task = await call(emu, 'isc', 'POST', `/v3/certifications/${bobCert.id}/reassign-async`, { token: olivia, body: { reassign: [{ id: bobItems[1].identitySummary.id, type: 'IDENTITY_SUMMARY' }], reassignTo: OLIVIA, reason: 'mine now' } });
    expect(task.status).toBe(200);
    expectValid('/certifications/{id}/reassign-async', 'post', task);
    expectValid('/certification-tasks', 'get', await call(emu, 'isc', 'GET', '/v3/certification-tasks', { token: olivia }));
    expectValid('/certification-tasks/{id}', 'get', await call(emu, 'isc', 'GET', `/v3/certification-tasks/${task.body.id}`, { token: olivia }));
    await advance(emu, 6_000);
    const done = await call(emu, 'isc', 'GET', `/v3/certification-tasks/${task.body.id}`, { token: olivia });
    expect(done.body.status).toBe('SUCCESS');
    expectValid('/certification-tasks/{id}', 'get', done);
    expectValid('/certification-tasks/{id}', 'get', await call(emu, 'isc', 'GET', '/v3/certification-tasks/nope', { token: olivia }));

    // search events
    const events = await call(emu, 'isc', 'POST', '/v3/search', { token: olivia, body: { indices: ['events'], query: { query: 'type:CERTIFICATION' } } });
    expect(events.status).toBe(200);
    expect(events.body.length).toBeGreaterThan(5);
    // SearchDocuments is a oneOf whose branches all accept an event; check the event branch itself
    const eventSchema = { type: 'array', items: { $ref: '#/components/schemas/EventDocuments' } };
    const ajvCheck = contractValidator({ ...doc, paths: { '/x': { post: { responses: { '200': { content: { 'application/json': { schema: eventSchema } } } } } } } }, FORMATS);
    const r = ajvCheck('/x', 'post', 200, events.body);
    expect(r.errors ?? []).toEqual([]);
    expectValid('/search', 'post', await call(emu, 'isc', 'POST', '/v3/search', { token: carl, body: { indices: ['events'], query: { query: '*' } } }));
    expectValid('/search', 'post', await call(emu, 'isc', 'POST', '/v3/search', { token: olivia, body: { indices: ['nope'], query: { query: '*' } } }));

    // 429 body
    emu.isc.slice<{ rateLimit: { requests: number } }>('iscCertifications').rateLimit.requests = 1;
    await call(emu, 'isc', 'GET', '/v3/certifications', { token: carl });
    await call(emu, 'isc', 'GET', '/v3/certifications', { token: carl });
    const limited = await call(emu, 'isc', 'GET', '/v3/certifications', { token: carl });
    expect(limited.status).toBe(429);
    expectValid('/certifications', 'get', limited);
  });
});
