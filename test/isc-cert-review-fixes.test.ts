// ISC certifications review fixes: defects a real SDK user would hit (PowerShell SDK booleans, search paging with
// searchAfter over tied sort values as the SDKs' paginateSearchApi does it).
import { describe, expect, it } from 'vitest';
import { advance, call, iscToken, testEmulator } from './helpers.js';
import { ALICE, BOB, CERT_AUTOMATION, OLIVIA, clientToken, iscCredentials } from './isc-cert-helpers.js';

describe('ISC certifications review fixes', () => {
  it('count=True (PowerShell SDK renders booleans as True/False) populates X-Total-Count', async () => {
    const emu = testEmulator();
    const olivia = await iscToken(emu, OLIVIA);
    for (const v of ['True', 'TRUE', 'true']) {
      const res = await call(emu, 'isc', 'GET', `/v3/certifications?count=${v}&limit=1`, { token: olivia });
      expect(res.status, `count=${v}: ${res.text}`).toBe(200);
      expect(res.headers.get('x-total-count')).toBe('5');
    }
    const off = await call(emu, 'isc', 'GET', '/v3/certifications?count=False', { token: olivia });
    expect(off.status).toBe(200);
    expect(off.headers.get('x-total-count')).toBeNull();
  });

  it('searchAfter returns only documents strictly after the given sort values (ties, values not present)', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const olivia = await iscToken(emu, OLIVIA);
    const cert = (await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me', { token: alice })).body[0];
    const items = (await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items?limit=6`, { token: alice })).body as Array<{ id: string }>;
    // six decisions in one call: six events with the same `created`
    const d = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: items.map((i) => ({ id: i.id, decision: 'APPROVE', bulk: true })) });
    expect(d.status, d.text).toBe(200);
    const search = (extra: Record<string, unknown>, limit: number) => call(emu, 'isc', 'POST', `/v3/search?limit=${limit}`, { token: olivia, body: { indices: ['events'], query: { query: '*' }, sort: ['created'], ...extra } });
    const all = (await search({}, 100)).body as Array<{ id: string; created: string }>;
    expect(all.length).toBeGreaterThan(6);
    // the SDKs' paginateSearchApi: searchAfter = [last document's value of the sort field]
    const seen: string[] = [];
    let after: string[] | undefined;
    for (let i = 0; i < 20; i++) {
      const page = (await search(after ? { searchAfter: after } : {}, 2)).body as Array<{ id: string; created: string }>;
      seen.push(...page.map((e) => e.id));
      if (page.length < 2) break;
      after = [page[page.length - 1]!.created];
    }
    expect(new Set(seen).size, 'no document twice').toBe(seen.length);
    // a value that no document has: everything later, nothing earlier
    const mid = (await search({ searchAfter: ['2026-01-01T00:00:00.000Z'] }, 100)).body as Array<{ created: string }>;
    expect(mid.length).toBeGreaterThan(0);
    expect(mid.every((e) => e.created > '2026-01-01T00:00:00.000Z')).toBe(true);
    const desc = (await call(emu, 'isc', 'POST', '/v3/search', { token: olivia, body: { indices: ['events'], query: { query: '*' }, sort: ['-created'], searchAfter: ['2026-01-01T00:00:00.000Z'] } })).body as Array<{ created: string }>;
    expect(desc.length).toBe(all.length - mid.length);
    expect(desc.every((e) => e.created < '2026-01-01T00:00:00.000Z')).toBe(true);
  });

  it('a reassign-async task run by an API client records that client, like the synchronous reassign', async () => {
    const emu = testEmulator();
    const creds = await iscCredentials(emu);
    const client = creds.apiClients[0]!;
    const token = await clientToken(emu, client.clientId, client.clientSecret);
    const olivia = await iscToken(emu, OLIVIA);
    const cert = (await call(emu, 'isc', 'GET', `/v3/certifications?reviewer-identity=${ALICE}`, { token })).body[0];
    const items = (await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items?limit=2`, { token })).body as Array<{ id: string }>;
    const sync = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/reassign`, { token, body: { reassign: [{ id: items[0]!.id, type: 'ITEM' }], reassignTo: BOB, reason: 'sync' } });
    expect(sync.status, sync.text).toBe(200);
    const task = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/reassign-async`, { token, body: { reassign: [{ id: items[1]!.id, type: 'ITEM' }], reassignTo: BOB, reason: 'async' } });
    expect(task.status, task.text).toBe(200);
    await advance(emu, 6_000);
    expect((await call(emu, 'isc', 'GET', `/v3/certification-tasks/${task.body.id}`, { token })).body.status).toBe('SUCCESS');
    const ev = await call(emu, 'isc', 'POST', '/v3/search', { token: olivia, body: { indices: ['events'], query: { query: `technicalName:CERTIFICATION_REASSIGN_PASSED AND attributes.certificationId:${cert.id}` } } });
    expect(ev.body).toHaveLength(2);
    for (const e of ev.body as Array<{ actor: { name: string }; attributes: Record<string, unknown> }>) {
      expect(e.actor.name).toBe('cert-automation');
      expect(e.attributes).toMatchObject({ actorId: CERT_AUTOMATION, actorType: 'apiClient', clientId: client.clientId });
    }
  });

  it('events search: range queries on dates (created:[now-90d TO now]) match instead of silently returning nothing', async () => {
    const emu = testEmulator();
    const olivia = await iscToken(emu, OLIVIA);
    const q = (query: string) => call(emu, 'isc', 'POST', '/v3/search?count=true', { token: olivia, body: { indices: ['events'], query: { query } } });
    // the default seed holds one sign-off event, 2025-11-02 (bob); the clock is at 2026-11-23
    const all = await q('technicalName:CERTIFICATION_SIGNOFF_PASSED');
    expect(all.body).toHaveLength(1);
    expect((await q('technicalName:CERTIFICATION_SIGNOFF_PASSED AND created:[2025-01-01 TO now]')).body).toHaveLength(1);
    expect((await q('created:[2025-11-02T00:00:00.000Z TO *] AND technicalName:CERTIFICATION_SIGNOFF_PASSED')).body).toHaveLength(1);
    expect((await q('created:{2025-11-02T00:00:00.000Z TO *] AND technicalName:CERTIFICATION_SIGNOFF_PASSED')).body).toHaveLength(0);
    expect((await q('technicalName:CERTIFICATION_SIGNOFF_PASSED AND created:[now-90d TO now]')).body).toHaveLength(0);
    expect((await q('technicalName:CERTIFICATION_SIGNOFF_PASSED AND created:[now-400d TO now]')).body).toHaveLength(1);
    expect((await q('created:[2025-01-01 TO')).status).toBe(400);
  });

  it('decide accepts null optional fields, as the PowerShell SDK sends them (ConvertTo-Json -AsArray keeps nulls)', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const cert = (await call(emu, 'isc', 'GET', '/v3/certifications?reviewer-identity=me', { token: alice })).body[0];
    const items = (await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items?limit=2`, { token: alice })).body as Array<{ id: string }>;
    const body = [
      { id: items[0]!.id, decision: 'APPROVE', proposedEndDate: null, bulk: true, recommendation: null, comments: null },
      { id: items[1]!.id, decision: 'REVOKE', proposedEndDate: null, bulk: true, recommendation: null, comments: 'left the team' },
    ];
    const res = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body });
    expect(res.status, res.text).toBe(200);
    expect(res.body.decisionsMade).toBe(2);
    const after = (await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items?filters=${encodeURIComponent(`id eq "${items[0]!.id}"`)}`, { token: alice })).body[0];
    expect(after).toMatchObject({ decision: 'APPROVE', comments: null });
    // REVOKE_ONLY_DECISIONS: a null comment on a revoke is still a missing comment
    const missing = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: [{ id: items[0]!.id, decision: 'REVOKE', bulk: true, comments: null }] });
    expect(missing.status).toBe(400);
  });
});
