// Issue 17 ("Nothing on the request path is proportional to the whole store"): GET /v3/certifications and
// /v3/certification-tasks read a reviewer's certifications from an index (certifications/authorization.ts reviewedBy).
// After campaign activation, reassignment (per item, async, admin) and campaign delete, every reviewer's list — order,
// paging, X-Total-Count — equals a brute-force filter over the whole store (the code before the index).
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../src/emulator.js';
import { advance, call, iscToken, testEmulator } from './helpers.js';
import { ALICE, BOB, CARL, OLIVIA } from './isc-cert-helpers.js';
import { certState, findCertification, reviews } from '../src/isc/certifications/service.js';

const DAY = 86_400_000;
const REVIEWERS = [ALICE, BOB, CARL, OLIVIA];

/** The certifications `id` reviews, by scanning the store in its order (what listCertifications did before the index). */
function bruteCerts(emu: Emulator, id: string, campaignId?: string): string[] {
  return certState(emu.isc).certifications.filter((c) => reviews(c, id) && (!campaignId || c.campaignId === campaignId)).map((c) => c.id);
}

/** The pending tasks `id` may see (canSeeTask before the index), in store order. */
function bruteTasks(emu: Emulator, id: string): string[] {
  return certState(emu.isc)
    .tasks.filter((t) => (t.status === 'QUEUED' || t.status === 'IN_PROGRESS') && (t.reviewerId === id || t.actor?.id === id || (!!findCertification(emu.isc, t.targetId) && reviews(findCertification(emu.isc, t.targetId)!, id))))
    .map((t) => t.id);
}

const ids = (body: Array<{ id: string }>) => body.map((c) => c.id);

async function expectExact(emu: Emulator, campaignId: string) {
  let checked = 0;
  for (const who of REVIEWERS) {
    const token = await iscToken(emu, who);
    const get = (path: string) => call(emu, 'isc', 'GET', path, { token });
    const expected = bruteCerts(emu, who);
    const all = await get('/v3/certifications?count=true&limit=250');
    expect(all.status, all.text).toBe(200);
    if (who !== OLIVIA) {
      expect(ids(all.body), who).toEqual(expected);
      expect(all.headers.get('x-total-count')).toBe(String(expected.length));
      checked += expected.length;
      const paged = await get('/v3/certifications?count=true&offset=1&limit=1');
      expect(ids(paged.body)).toEqual(expected.slice(1, 2));
      expect(paged.headers.get('x-total-count')).toBe(String(expected.length));
      const inCampaign = await get(`/v3/certifications?reviewer-identity=me&filters=${encodeURIComponent(`campaign.id eq "${campaignId}"`)}`);
      expect(ids(inCampaign.body)).toEqual(bruteCerts(emu, who, campaignId));
      const sorted = await get('/v3/certifications?sorters=-name&limit=250');
      expect(ids(sorted.body).sort()).toEqual([...expected].sort());
      expect(sorted.body.map((c: { name: string }) => c.name)).toEqual([...sorted.body.map((c: { name: string }) => c.name)].sort().reverse());
    }
    // an admin filtering by reviewer, and a reviewer asking about someone else (only the certifications of both)
    const admin = await call(emu, 'isc', 'GET', `/v3/certifications?reviewer-identity=${who}&limit=250&count=true`, { token: await iscToken(emu, OLIVIA) });
    expect(ids(admin.body)).toEqual(expected);
    expect(admin.headers.get('x-total-count')).toBe(String(expected.length));
    const both = await call(emu, 'isc', 'GET', `/v3/certifications?reviewer-identity=${who}&limit=250`, { token: await iscToken(emu, BOB) });
    expect(ids(both.body)).toEqual(expected.filter((id) => bruteCerts(emu, BOB).includes(id)));
    const tasks = await get('/v3/certification-tasks?limit=250');
    expect(tasks.status, tasks.text).toBe(200);
    if (who !== OLIVIA) expect(ids(tasks.body), `tasks of ${who}`).toEqual(bruteTasks(emu, who));
    const mine = await get('/v3/certification-tasks?reviewer-identity=me&limit=250');
    expect(ids(mine.body)).toEqual(bruteTasks(emu, who).filter((id) => certState(emu.isc).tasks.find((t) => t.id === id)!.reviewerId === who));
  }
  return checked;
}

describe('reviewer index of ISC certifications (issue 17)', () => {
  it("a reviewer's certification and task lists stay exact after activation, reassignment and delete", async () => {
    const emu = testEmulator();
    const api = async (method: string, path: string, body?: unknown, who = OLIVIA) => call(emu, 'isc', method, path, { token: await iscToken(emu, who), body });
    const before = await expectExact(emu, 'none');
    expect(before).toBeGreaterThan(0);

    // campaign activation appends certifications
    const created = await api('POST', '/v3/campaigns', { name: 'Manager review', description: 'd', type: 'MANAGER', deadline: new Date(emu.clock.now() + 7 * DAY).toISOString() });
    expect(created.status, created.text).toBe(202);
    const campaignId = created.body.id as string;
    await advance(emu, 5_000);
    expect((await api('POST', `/v3/campaigns/${campaignId}/activate`, {})).status).toBe(202);
    await advance(emu, 5_000);
    expect(certState(emu.isc).certifications.filter((c) => c.campaignId === campaignId).length).toBeGreaterThan(0);
    await expectExact(emu, campaignId);

    // a reviewer reassigns an item: a new certification for Carl, appended
    const aliceCert = findCertification(emu.isc, bruteCerts(emu, ALICE).find((id) => findCertification(emu.isc, id)!.phase === 'ACTIVE' && findCertification(emu.isc, id)!.items.length > 1)!)!;
    const carlBefore = bruteCerts(emu, CARL).length;
    const moved = await api('POST', `/v3/certifications/${aliceCert.id}/reassign`, { reassign: [{ id: aliceCert.items[0]!.id, type: 'ITEM' }], reassignTo: CARL, reason: 'r' }, ALICE);
    expect(moved.status, moved.text).toBe(200);
    expect(bruteCerts(emu, CARL).length).toBe(carlBefore + 1);
    await expectExact(emu, campaignId);

    // reassign-async: a pending task visible to its submitter until it runs, then the same certification is reused
    const task = await api('POST', `/v3/certifications/${aliceCert.id}/reassign-async`, { reassign: [{ id: aliceCert.items[0]!.id, type: 'ITEM' }], reassignTo: CARL, reason: 'r' }, ALICE);
    expect(task.status, task.text).toBe(200);
    expect(bruteTasks(emu, ALICE)).toContain(task.body.id);
    await expectExact(emu, campaignId);
    await advance(emu, 5_000);
    expect(bruteCerts(emu, CARL).length).toBe(carlBefore + 1);
    await expectExact(emu, campaignId);

    // admin reassign changes a certification's reviewer in place
    const bobCert = bruteCerts(emu, BOB, campaignId)[0] ?? bruteCerts(emu, BOB).find((id) => findCertification(emu.isc, id)!.phase !== 'SIGNED')!;
    const target = findCertification(emu.isc, bobCert)!;
    const admin = await api('POST', `/v3/campaigns/${target.campaignId}/reassign`, { certificationIds: [bobCert], reassignTo: { id: ALICE, type: 'IDENTITY' }, reason: 'holiday' });
    expect(admin.status, admin.text).toBe(202);
    await expectExact(emu, campaignId);
    await advance(emu, 5_000);
    expect(bruteCerts(emu, ALICE)).toContain(bobCert);
    expect(bruteCerts(emu, BOB)).not.toContain(bobCert);
    await expectExact(emu, campaignId);

    // campaign delete drops its certifications
    expect((await api('POST', '/v3/campaigns/delete', { ids: [campaignId] })).status).toBe(202);
    expect(bruteCerts(emu, CARL, campaignId)).toEqual([]);
    await expectExact(emu, campaignId);
  });
});
