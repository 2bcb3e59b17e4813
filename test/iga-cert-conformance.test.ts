// Conformance: replay recording iga-certification-templates.json (real tenant traffic) against the emulator.
// Each recorded test case runs on a fresh emulator seeded (through the control plane) with the templates that
// case shows to exist; status codes, error bodies, key order/shape, result names/order and counts must match.
// The /openidm/config/emailTemplate exchanges belong to the config area and are skipped here.
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';
import { type Exchange, loadRecording } from './shared.js';

const rec = loadRecording('iga-certification-templates.json');
const local = new URL('../reference/recordings/iga-certification-templates.json', import.meta.url);
void local;

const TEMPLATE_PATH = /^\/iga\/governance\/certification\/template\/([0-9a-f-]{36})$/;

/** Templates that must exist before a case runs: every template it reads back, minus the ones it creates. */
function preexisting(exchanges: Exchange[]): Record<string, unknown>[] {
  const found = new Map<string, Record<string, unknown>>();
  const add = (t: Record<string, unknown>) => {
    if (!t || typeof t.id !== 'string') return;
    if (!found.has(t.id)) found.set(t.id, { ...t });
  };
  const created = new Set<string>();
  for (const x of exchanges) {
    if (x.path.startsWith('/openidm/')) continue;
    const b = x.responseBody;
    if (x.method === 'POST' && x.path === '/iga/governance/certification/template' && x.status === 200) created.add(b.id);
    if (Array.isArray(b?.result)) b.result.forEach(add);
    else if (x.method === 'GET' && x.status === 200 && b?.id) add(b);
    else if (x.method === 'PUT' && x.status === 200 && b?.id) add({ ...(x.requestBody as object), id: b.id, metadata: { createdDate: '2026-02-10T19:29:00.000Z', modifiedDate: '2026-02-10T19:29:00.000Z' } });
    const m = TEMPLATE_PATH.exec(x.path);
    if (m && x.method === 'DELETE' && x.status === 200 && !found.has(m[1]!)) add({ id: m[1], name: `seeded-${m[1]}`, status: 'pending', metadata: { createdDate: '2026-02-10T19:29:00.000Z', modifiedDate: '2026-02-10T19:29:00.000Z' } });
    // a duplicate-name create needs the template it collides with
    if (x.method === 'POST' && x.status === 400 && x.responseBody?.message === 'Template already exists with the same name.') {
      const rb = x.requestBody as Record<string, unknown>;
      add({ ...rb, id: '00000000-0000-4000-8000-000000000001', metadata: { createdDate: '2026-02-10T19:29:00.000Z', modifiedDate: '2026-02-10T19:29:00.000Z' } });
    }
  }
  for (const id of created) found.delete(id);
  return [...found.values()];
}

function shape(a: unknown, b: unknown, where: string): void {
  if (b === null || typeof b !== 'object') return;
  expect(a, where).toBeTypeOf('object');
  if (Array.isArray(b)) {
    expect(Array.isArray(a), where).toBe(true);
    return;
  }
  expect(Object.keys(a as object), `${where} keys`).toEqual(Object.keys(b));
}

describe('conformance: iga-certification-templates.json', () => {
  for (const [name, exchanges] of Object.entries(rec)) {
    const short = name.split('/').slice(1).join(' / ');
    it(short, async () => {
      const emu = testEmulator();
      const snap = await call(emu, 'dev', 'GET', '/__emulator/snapshot');
      const dev = snap.body.aic.environments.find((e: any) => e.name === 'dev');
      dev.igaCertifications = { templates: preexisting(exchanges), campaigns: [], items: [] };
      const seeded = await call(emu, 'dev', 'POST', '/__emulator/seed', { body: snap.body });
      expect(seeded.status).toBe(200);
      const token = await aicToken(emu, 'dev', ['fr:iga:*']);
      let replayed = 0;
      for (const x of exchanges) {
        if (x.path.startsWith('/openidm/config/')) continue; // config area (promotion engineer)
        const qs = new URLSearchParams(x.query).toString();
        const res = await call(emu, 'dev', x.method, x.path + (qs ? `?${qs}` : ''), { token, body: x.requestBody ?? undefined });
        const where = `${x.method} ${x.path}`;
        expect(res.status, where).toBe(x.status);
        expect(res.headers.get('content-type'), where).toBe(x.responseHeaders['content-type']);
        expect(res.headers.get('cache-control'), where).toBe('no-store');
        const want = x.responseBody;
        shape(res.body, want, where);
        if (want?.message) expect(res.body.message, where).toBe(want.message);
        if (Array.isArray(want?.result)) {
          expect(res.body.result.map((t: any) => t.name), where).toEqual(want.result.map((t: any) => t.name));
          for (const k of ['totalCount', 'resultCount', 'totalHits']) if (k in want) expect(res.body[k], `${where} ${k}`).toBe(want[k]);
          if (Array.isArray(want.searchAfterKey)) expect(res.body.searchAfterKey, where).toEqual(want.searchAfterKey);
          want.result.forEach((t: any, i: number) => shape(res.body.result[i], t, `${where} result[${i}]`));
        }
        if (want?.indexName) expect(res.body.indexName).toMatch(/_repo_governance_certtemplate_latest$/);
        if (x.method === 'POST' && x.status === 200 && want?.scheduleId) {
          expect(res.body.scheduleId).toBe(`templateSchedule${res.body.id.replace(/-/g, '')}`);
          expect(res.body.name).toBe(want.name);
          expect(res.body.status).toBe(want.status);
        }
        if (x.method === 'GET' && want?.schedule) shape(res.body.schedule, { _id: 1, ...want.schedule }, `${where} schedule`);
        replayed++;
      }
      expect(replayed).toBeGreaterThan(0);
    });
  }
});
