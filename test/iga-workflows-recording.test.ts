// The workflow list and the request search as frodo-lib reads them, against its recordings
// (test/reference/recordings/iga-workflows.frodo.json, reduced from frodo-lib's IgaWorkflowOps mocks).
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { call } from './helpers.js';
import { igaSetup } from './iga-helpers.js';
import type { Emulator } from '../src/emulator.js';

type Exchange = { method: string; path: string; query: Record<string, string>; status: number; responseBody: any };
const recording = JSON.parse(readFileSync(new URL('./reference/recordings/iga-workflows.frodo.json', import.meta.url), 'utf8')) as Record<string, Exchange[]>;
const exchanges = Object.entries(recording).flatMap(([name, xs]) => xs.map((x) => ({ name, ...x })));
const url = (x: Exchange) => `${x.path}?${new URLSearchParams(x.query)}`;

const ENV = 'dev';
let emu: Emulator;
let admin: string;
beforeEach(async () => ({ emu, admin } = await igaSetup(ENV)));
const get = (path: string) => call(emu, ENV, 'GET', path, { token: admin });

describe('GET /iga/governance/workflow as frodo reads it', () => {
  const listing = exchanges.find((x) => x.path === '/iga/governance/workflow')!;

  it('the recorded query (_pagedResultsOffset=1) answers every workflow, as the tenant did', async () => {
    // recording: 29 of 29 workflows with offset 1
    expect(listing.query._pagedResultsOffset).toBe('1');
    expect(listing.responseBody.resultCount).toBe(listing.responseBody.totalCount);
    // the recorded workflows' identities, stored as drafts here
    for (const w of listing.responseBody.result.slice(0, 5)) {
      const body = { id: w.id, name: w.name, displayName: w.displayName, description: w.description, type: 'provisioning', steps: [], staticNodes: {} };
      expect((await call(emu, ENV, 'PUT', `/iga/governance/workflow/${w.id}/draft`, { token: admin, body })).status).toBe(200);
    }
    const all = await get(url(listing));
    expect(all.status).toBe(listing.status);
    expect(all.body.resultCount).toBe(all.body.totalCount);
    expect(all.body.totalCount).toBeGreaterThanOrEqual(5);
    const ids = all.body.result.map((w: { id: string }) => w.id);
    for (const w of listing.responseBody.result.slice(0, 5)) expect(ids).toContain(w.id);
    // 0 reads as the first record too; 2 starts at the second
    const zero = await get(url({ ...listing, query: { ...listing.query, _pagedResultsOffset: '0' } }));
    expect(zero.body.result.map((w: { id: string }) => w.id)).toEqual(ids);
    const two = await get(url({ ...listing, query: { ...listing.query, _pagedResultsOffset: '2' } }));
    expect(two.body.result.map((w: { id: string }) => w.id)).toEqual(ids.slice(1));
    expect(two.body.totalCount).toBe(all.body.totalCount);
  });

  it('_queryString matches displayName, description and name (S4 L40590–40592)', async () => {
    const body = { id: 'wfQs', name: 'plain-name', displayName: 'Shown Title', description: 'grants the VPN', type: 'provisioning', steps: [], staticNodes: {} };
    await call(emu, ENV, 'PUT', '/iga/governance/workflow/wfQs/draft', { token: admin, body });
    for (const qs of ['plain-name', 'shown title', 'VPN']) {
      const res = await get(`/iga/governance/workflow?_queryString=${encodeURIComponent(qs)}&_pagedResultsOffset=1`);
      expect(res.body.result.map((w: { id: string }) => w.id), qs).toContain('wfQs');
    }
    const none = await get('/iga/governance/workflow?_queryString=wfQs&_pagedResultsOffset=1');
    expect(none.body.result.map((w: { id: string }) => w.id)).not.toContain('wfQs');
  });
});

describe('GET /iga/governance/requests with a dotted _queryFilter', () => {
  it("frodo's in-progress check before a forced workflow delete answers the recorded body", async () => {
    const checks = exchanges.filter((x) => x.path === '/iga/governance/requests');
    expect(checks).toHaveLength(2);
    for (const x of checks) {
      const res = await get(url(x));
      expect(res.status, x.name).toBe(x.status);
      expect(res.body, x.name).toEqual(x.responseBody);
    }
  });

  it('dotted fields name the same fields as JSON pointers', async () => {
    const dotted = await get(`/iga/governance/requests?_queryFilter=${encodeURIComponent('decision.status eq "in-progress"')}&_fields=id`);
    const pointer = await get(`/iga/governance/requests?_queryFilter=${encodeURIComponent('/decision/status eq "in-progress"')}&_fields=id`);
    expect(pointer.body.totalCount).toBeGreaterThan(0);
    expect(dotted.body).toEqual(pointer.body);
  });
});
