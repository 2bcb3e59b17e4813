// Issue #18 "declarations left half-done": the IGA certification routes declare templateId, status, _sortDir and the
// item action in their zod schemas (aic/iga/certifications/model.ts); each answers IGA's `{"message"}` with the
// product's sentence as written (core/http productMessageHook with fields), every other field keeps the generic
// `Invalid request: <path>: …` 400, and nothing changes state.
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';

const A = '/iga/governance/certification/admin/certification';
const R = '/iga/governance/certification/certification';
const START = '/iga/governance/certification';

async function setup() {
  const emu = testEmulator();
  const g = emu.env('dev')!.slice<any>('governance');
  const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
  const maria = g.users.find((u: any) => u.userName === 'maria.manager')!;
  const tMaria = await aicToken(emu, 'dev', ['fr:iga:*'], maria._id, 'user');
  const certId = (await call(emu, 'dev', 'GET', A, { token: admin })).body.result[0].id as string;
  const itemId = (await call(emu, 'dev', 'GET', `${R}/${certId}/items`, { token: tMaria })).body.result[0].id as string;
  const certs = async () => JSON.stringify((await call(emu, 'dev', 'GET', '/__emulator/snapshot')).body.aic.environments.map((e: any) => e.igaCertifications));
  return { emu, admin, tMaria, certId, itemId, certs };
}

describe('IGA certification request declarations', () => {
  it('POST /iga/governance/certification: templateId is required (absent, empty, not a string, no body)', async () => {
    const { emu, admin, certs } = await setup();
    const before = await certs();
    for (const raw of ['{}', '{"templateId":""}', '{"templateId":5}', '{"templateId":null}', undefined]) {
      const r = await call(emu, 'dev', 'POST', START, { token: admin, raw });
      expect(r.status, String(raw)).toBe(400);
      expect(r.body, String(raw)).toEqual({ message: 'templateId is required.' });
      expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
    // the body's other failures are unchanged: not JSON, not an object
    expect((await call(emu, 'dev', 'POST', START, { token: admin, raw: 'nope' })).body).toEqual({ message: 'The request body is not valid JSON' });
    expect((await call(emu, 'dev', 'POST', START, { token: admin, raw: '[1]' })).body).toEqual({ message: 'Invalid request: Invalid input: expected object, received array' });
    // a state check stays in the service
    expect((await call(emu, 'dev', 'POST', START, { token: admin, body: { templateId: 'nope' } }))).toMatchObject({ status: 404, body: { message: 'Cannot find template with id nope.' } });
    expect(await certs()).toBe(before);
  });

  it('GET …/admin/certification: status and _sortDir are checked in that order, empty reads as absent', async () => {
    const { emu, admin } = await setup();
    const get = (q: string) => call(emu, 'dev', 'GET', `${A}${q}`, { token: admin });
    expect((await get('?status=bogus')).body).toEqual({ message: 'Invalid status: bogus' });
    expect((await get('?status=ACTIVE')).body).toEqual({ message: 'Invalid status: ACTIVE' });
    expect((await get('?_sortDir=DESC')).body).toEqual({ message: 'Invalid _sortDir: DESC' });
    expect((await get('?status=bogus&_sortDir=up')).body).toEqual({ message: 'Invalid status: bogus' });
    expect((await get('?_sortDir=up&_pageSize=x')).body).toEqual({ message: 'Invalid _sortDir: up' });
    expect((await get('?_pageSize=x')).body).toEqual({ message: 'Invalid _pageSize: x' });
    expect((await get('?status=active&status=closed')).body).toEqual({ message: 'Invalid status: active,closed' });
    for (const q of ['?status=', '?_sortDir=', '?status=in-progress&_sortDir=desc', '?status=closed']) expect((await get(q)).status, q).toBe(200);
    expect((await get('?status=active')).body.totalHits).toBe((await get('')).body.totalHits);
    // an undeclared field keeps the generic answer
    expect((await get('?queryString=a&queryString=b')).body).toEqual({ message: 'Invalid request: queryString: Invalid input: expected string, received array' });
  });

  it("GET …/certification/items: the caller's tasks need status active, expired or complete", async () => {
    const { emu, tMaria } = await setup();
    for (const q of ['', '?status=', '?status=bogus', '?status=Active', '?status=active&status=active']) {
      const r = await call(emu, 'dev', 'GET', `${R}/items${q}`, { token: tMaria });
      expect(r.status, q).toBe(400);
      expect(r.body, q).toEqual({ message: 'status must be one of active, expired, complete.' });
    }
    for (const s of ['active', 'expired', 'complete']) expect((await call(emu, 'dev', 'GET', `${R}/items?status=${s}`, { token: tMaria })).status, s).toBe(200);
  });

  it('items/{action} and items/{lineItemId}/{action}: the action is checked before the body, and changes nothing', async () => {
    const { emu, tMaria, certId, itemId, certs } = await setup();
    const before = await certs();
    const post = (path: string, raw: string) => call(emu, 'dev', 'POST', `${R}/${path}`, { token: tMaria, raw });
    // bulk: reassign is single-item only; single: signoff is bulk only
    for (const [path, action] of [[`${certId}/items/frobnicate`, 'frobnicate'], [`${certId}/items/reassign`, 'reassign'], [`nocert/items/frobnicate`, 'frobnicate'],
      [`${certId}/items/${itemId}/frobnicate`, 'frobnicate'], [`${certId}/items/${itemId}/signoff`, 'signoff'], [`${certId}/items/nope/frobnicate`, 'frobnicate']]) {
      for (const raw of ['{"ids":[]}', '{"ids":"x","comment":5}', 'nope']) {
        const r = await post(path!, raw);
        expect(r.status, `${path} ${raw}`).toBe(400);
        expect(r.body, `${path} ${raw}`).toEqual({ message: `Invalid action: ${action}` });
      }
    }
    // a known action: the body's own failures and the service's state checks are unchanged
    expect((await post(`${certId}/items/certify`, '{"ids":"x"}')).body).toEqual({ message: 'Invalid request: ids: Invalid input: expected array, received string' });
    expect((await post(`${certId}/items/${itemId}/comment`, '{"comment":5}')).body).toEqual({ message: 'Invalid request: comment: Invalid input: expected string, received number' });
    expect((await post(`${certId}/items/nope/certify`, '{}'))).toMatchObject({ status: 404, body: { message: 'Cannot find line item with id nope.' } });
    expect(await certs()).toBe(before);
  });
});
