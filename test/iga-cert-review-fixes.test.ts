// Reviewer-tool behaviours against the default seed campaign: _searchAfter paging of line items, and sign-off of a
// task without partial sign-off needing every item of the reviewer decided (S3 L3274, L3474; S4 L16876).
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';
import type { GovernanceState } from '../src/aic/governance/model.js';

const R = '/iga/governance/certification/certification';

async function seeded() {
  const emu = testEmulator();
  const gov = emu.env('dev')!.slice<GovernanceState>('governance');
  const maria = gov.users.find((u) => u.userName === 'maria.manager')!;
  const tM = await aicToken(emu, 'dev', ['fr:iga:*'], maria._id, 'user');
  const tasks = await call(emu, 'dev', 'GET', `${R}/items?status=active`, { token: tM });
  return { emu, tM, cid: tasks.body.results[0].campaignId as string };
}

describe('certification line items for reviewer tools', () => {
  it('pages line items with _searchAfter = the previous searchAfterKey (GET and search)', async () => {
    const { emu, tM, cid } = await seeded();
    const all = await call(emu, 'dev', 'GET', `${R}/${cid}/items?_pageSize=1000`, { token: tM });
    const ids: string[] = all.body.result.map((r: { id: string }) => r.id);
    expect(ids.length).toBeGreaterThan(6);
    const p1 = await call(emu, 'dev', 'GET', `${R}/${cid}/items?_pageSize=3`, { token: tM });
    const p2 = await call(emu, 'dev', 'GET', `${R}/${cid}/items?_pageSize=3&_searchAfter=${encodeURIComponent(p1.body.searchAfterKey.join(','))}`, { token: tM });
    expect(p2.body.result.map((r: { id: string }) => r.id)).toEqual(ids.slice(3, 6));
    const filter = { targetFilter: { operator: 'ALL', operand: [] } };
    const s1 = await call(emu, 'dev', 'POST', `${R}/${cid}/items/search?_pageSize=3`, { token: tM, body: filter });
    const s2 = await call(emu, 'dev', 'POST', `${R}/${cid}/items/search?_pageSize=3&_searchAfter=${encodeURIComponent(s1.body.searchAfterKey.join(','))}`, { token: tM, body: filter });
    expect(s2.status).toBe(200);
    expect(s2.body.result.map((r: { id: string }) => r.id)).toEqual(ids.slice(3, 6));
  });

  it('refuses to sign off a subset while other items of the reviewer are undecided (no partial sign-off)', async () => {
    const { emu, tM, cid } = await seeded();
    const p1 = await call(emu, 'dev', 'GET', `${R}/${cid}/items?_pageSize=1000`, { token: tM });
    const direct = p1.body.result.find((r: any) => !r.relationship.properties.grantTypes.some((g: any) => g.grantType === 'role'));
    expect((await call(emu, 'dev', 'POST', `${R}/${cid}/items/${direct.id}/certify`, { token: tM, body: {} })).status).toBe(200);
    const s = await call(emu, 'dev', 'POST', `${R}/${cid}/items/signoff`, { token: tM, body: { ids: [direct.id] } });
    expect(s.status).toBe(400);
    expect(s.body.message).toMatch(/must have a decision before sign-off/);
    const item = await call(emu, 'dev', 'GET', `${R}/${cid}/items?targetId=${direct.id}`, { token: tM });
    expect(item.body.result[0].decision.certification.status).toBe('in-progress');
  });
});

describe('certification line item filters', () => {
  it('itemType accepts the documented "Account Grant" and "Resource Grant"', async () => {
    const { emu, tM, cid } = await seeded();
    const all = (await call(emu, 'dev', 'GET', `${R}/${cid}/items?_pageSize=1000`, { token: tM })).body.result as any[];
    const n = (t: string) => all.filter((i) => i.item.type === t).length;
    expect(n('entitlementGrant')).toBeGreaterThan(0);
    const acc = await call(emu, 'dev', 'GET', `${R}/${cid}/items?_pageSize=1000&itemType=${encodeURIComponent('Account Grant')}`, { token: tM });
    expect(acc.body.totalHits).toBe(n('accountGrant'));
    const res = await call(emu, 'dev', 'GET', `${R}/${cid}/items?_pageSize=1000&itemType=${encodeURIComponent('Resource Grant')}`, { token: tM });
    expect(res.body.totalHits).toBe(n('entitlementGrant'));
  });
});

describe('campaign list paging', () => {
  it('_searchAfter continues after a campaign whose name holds a comma', async () => {
    const { emu, cid } = await seeded();
    const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
    const A = '/iga/governance/certification/admin/certification';
    const first = await call(emu, 'dev', 'GET', `${A}/${cid}`, { token: admin });
    const T = '/iga/governance/certification/template';
    const tpl = await call(emu, 'dev', 'GET', `${T}/${first.body.templateId}`, { token: admin });
    for (const name of ['A review, part 1', 'B review, part 2']) {
      const started = await call(emu, 'dev', 'POST', '/iga/governance/certification', { token: admin, body: { templateId: tpl.body.id, name } });
      expect(started.status).toBe(200);
    }
    const p1 = await call(emu, 'dev', 'GET', `${A}?_pageSize=1`, { token: admin });
    expect(p1.body.result[0].name).toBe('A review, part 1');
    const p2 = await call(emu, 'dev', 'GET', `${A}?_pageSize=1&_searchAfter=${encodeURIComponent(p1.body.searchAfterKey.join(','))}`, { token: admin });
    expect(p2.body.result[0].name).toBe('B review, part 2');
    const p3 = await call(emu, 'dev', 'GET', `${A}?_pageSize=1&_searchAfter=${encodeURIComponent(p2.body.searchAfterKey.join(','))}`, { token: admin });
    expect(p3.body.result[0].name).toBe('Quarterly access review');
  });
});

describe('template list paging', () => {
  it('searchAfter continues after a template whose name holds a comma', async () => {
    const { emu } = await seeded();
    const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
    const T = '/iga/governance/certification/template';
    for (const name of ['A template, one', 'B template, two']) {
      const r = await call(emu, 'dev', 'POST', T, { token: admin, body: { name, certificationType: 'identity', stagingEnabled: false, stages: [{ certifierType: 'manager' }] } });
      expect(r.status).toBe(200);
    }
    const p1 = await call(emu, 'dev', 'GET', `${T}?pageSize=1`, { token: admin });
    expect(p1.body.result[0].name).toBe('A template, one');
    const p2 = await call(emu, 'dev', 'GET', `${T}?pageSize=1&searchAfter=${encodeURIComponent(p1.body.searchAfterKey.join(','))}`, { token: admin });
    expect(p2.body.result[0].name).toBe('B template, two');
  });
});
