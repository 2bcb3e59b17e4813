// Kept views (core/viewCache.ts, issue #17): the ESV reads, the IGA admin request search and the ISC certification
// list are serialized once per state change. After every kind of write (PUT, DELETE, a description, a restart settled
// by the clock, a created or decided request, a decision, a sign-off, a reset) the next read answers the new state,
// byte for byte what a read never made before answers (the same query with a parameter nobody sent yet).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../src/emulator.js';
import { advance, aicToken, call, iscToken, testEmulator } from './helpers.js';
import { ALICE, OLIVIA } from './isc-cert-helpers.js';
import { userNamed, userToken } from './iga-helpers.js';
import type { GovernanceState } from '../src/aic/governance/model.js';

let nonce = 0;
/** The answer at `path`, and the one for the same query plus a parameter never sent before (so never kept). */
async function keptAndFresh(emu: Emulator, env: string, path: string, token: string) {
  const kept = await call(emu, env, 'GET', path, { token });
  const fresh = await call(emu, env, 'GET', `${path}${path.includes('?') ? '&' : '?'}zzNonce${++nonce}=1`, { token });
  expect(kept.status).toBe(fresh.status);
  expect(kept.text).toBe(fresh.text);
  expect([...kept.headers].filter(([k]) => k !== 'x-forgerock-transactionid')).toEqual([...fresh.headers].filter(([k]) => k !== 'x-forgerock-transactionid'));
  return kept;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

for (const persistent of [false, true]) {
  describe(`kept ESV views ${persistent ? 'with a data dir' : 'in memory'}`, () => {
    it('a PUT, a description, a DELETE and a settled restart show in the next GET and list', async () => {
      const emu = testEmulator(persistent ? { dataDir: mkdtempSync(join(tmpdir(), 'emu-kept-')) } : {});
      const token = await aicToken(emu, 'dev', ['fr:idc:esv:*']);
      const one = '/environment/variables/esv-kept-test';
      const lists = ['/environment/variables', '/environment/variables?_pageSize=2', '/environment/variables?_onlyPending=true', '/environment/variables?_queryFilter=_id%20sw%20%22esv-kept%22'];
      const readAll = async () => {
        const got = [await call(emu, 'dev', 'GET', one, { token })];
        for (const l of lists) got.push(await keptAndFresh(emu, 'dev', l, token));
        return got;
      };
      const [missing] = await readAll();
      expect(missing!.status).toBe(404);

      expect((await call(emu, 'dev', 'PUT', one, { token, body: { valueBase64: b64('first'), description: 'one', expressionType: 'string' } })).status).toBe(200);
      let [single, all, , pending, filtered] = await readAll();
      expect(single!.body).toMatchObject({ _id: 'esv-kept-test', valueBase64: b64('first'), description: 'one', loaded: false });
      expect(all!.body.result.map((v: { _id: string }) => v._id)).toContain('esv-kept-test');
      expect(pending!.body.result.map((v: { _id: string }) => v._id)).toEqual(['esv-kept-test']);
      expect(filtered!.body.result).toEqual([single!.body]);

      expect((await call(emu, 'dev', 'PUT', one, { token, body: { valueBase64: b64('second') } })).status).toBe(200);
      [single, all, , , filtered] = await readAll();
      expect(single!.body.valueBase64).toBe(b64('second'));
      expect(filtered!.body.result).toEqual([single!.body]);

      expect((await call(emu, 'dev', 'POST', `${one}?_action=setDescription`, { token, body: { description: 'described' } })).status).toBe(200);
      [single, , , , filtered] = await readAll();
      expect(single!.body.description).toBe('described');
      expect(filtered!.body.result[0].description).toBe('described');

      // a restart is settled by the clock inside the next ESV request (no write of the caller's)
      expect((await call(emu, 'dev', 'POST', '/environment/startup?_action=restart', { token })).status).toBe(200);
      await advance(emu, 20_000);
      [single, , , pending] = await readAll();
      expect(single!.body.loaded).toBe(true);
      expect(pending!.body.result).toEqual([]);

      expect((await call(emu, 'dev', 'DELETE', one, { token })).status).toBe(200);
      [single, all, , , filtered] = await readAll();
      expect(single!.status).toBe(404);
      expect(all!.body.result.map((v: { _id: string }) => v._id)).not.toContain('esv-kept-test');
      expect(filtered!.body.result).toEqual([]);
    });
  });
}

describe('kept ESV views across environments and resets', () => {
  it('each environment answers its own state; a reset or a seed drops what was kept', async () => {
    const emu = testEmulator();
    const dev = await aicToken(emu, 'dev', ['fr:idc:esv:*']);
    const staging = await aicToken(emu, 'staging', ['fr:idc:esv:*']);
    await call(emu, 'dev', 'PUT', '/environment/variables/esv-only-dev', { token: dev, body: { valueBase64: b64('d'), expressionType: 'string' } });
    const devList = await keptAndFresh(emu, 'dev', '/environment/variables', dev);
    const stagingList = await keptAndFresh(emu, 'staging', '/environment/variables', staging);
    expect(devList.body.result.map((v: { _id: string }) => v._id)).toContain('esv-only-dev');
    expect(stagingList.body.result.map((v: { _id: string }) => v._id)).not.toContain('esv-only-dev');
    expect((await call(emu, 'dev', 'GET', '/environment/variables/esv-only-dev', { token: dev })).status).toBe(200);

    expect((await call(emu, 'dev', 'POST', '/__emulator/reset', { body: {} })).status).toBeLessThan(300);
    const token = await aicToken(emu, 'dev', ['fr:idc:esv:*']);
    expect((await call(emu, 'dev', 'GET', '/environment/variables/esv-only-dev', { token })).status).toBe(404);
    const after = await keptAndFresh(emu, 'dev', '/environment/variables', token);
    expect(after.body.result.map((v: { _id: string }) => v._id)).not.toContain('esv-only-dev');
  });
});

describe('kept IGA request search', () => {
  it('a created, approved and cancelled request shows in the next admin search', async () => {
    const emu = testEmulator();
    const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
    const gov = emu.env('dev')!.slice<GovernanceState>('governance');
    const paths = ['/iga/governance/requests', '/iga/governance/requests?_pageSize=10', '/iga/governance/requests?_pageSize=1&_sortKeys=-metadata.createdDate', '/iga/governance/requests?_queryFilter=decision%2Fstatus%20eq%20%22in-progress%22'];
    const readAll = async () => Promise.all(paths.map((p) => keptAndFresh(emu, 'dev', p, admin)));
    const [before] = await readAll();

    const seeded = new Set((emu.env('dev')!.slice<{ requests: { user?: { id: string } }[] }>('requests').requests).map((r) => r.user?.id));
    const alice = gov.users.find((u) => u.manager && !u.roles.length && !seeded.has(u._id))!;
    const ent = gov.entitlements.find((e) => !gov.grants.some((g) => g.userId === alice._id && g.assignmentId === e.id) && !e.ownerIds.includes(alice._id) && !e.ownerIds.includes(alice.manager ?? ''))!;
    const aliceTok = await userToken(emu, 'dev', alice);
    const created = await call(emu, 'dev', 'POST', '/iga/governance/requests?_action=create', { token: aliceTok, body: { users: [alice._id], catalogs: [{ type: 'entitlement', id: ent.id }], justification: 'kept views' } });
    expect(created.status).toBe(200);
    const id = created.body.result[0] as string;
    let [all, , newest, open] = await readAll();
    expect(all!.body.totalCount).toBe(before!.body.totalCount + 1);
    expect(all!.body.result.map((r: { id: string }) => r.id)).toContain(id);
    expect(newest!.body.result[0].id).toBe(id);
    expect(open!.body.result.map((r: { id: string }) => r.id)).toContain(id);

    const manager = userToken(emu, 'dev', gov.users.find((u) => u._id === alice.manager)!);
    const approved = await call(emu, 'dev', 'POST', `/iga/governance/requests/${id}?_action=approve`, { token: await manager, body: { comment: 'ok' } });
    expect(approved.status).toBe(200);
    [all] = await readAll();
    expect(all!.body.result.find((r: { id: string }) => r.id === id).decision.comments.map((c: { comment: string }) => c.comment)).toContain('ok');

    const cancelled = await call(emu, 'dev', 'POST', `/iga/governance/requests/${id}?_action=cancel`, { token: admin, body: {} });
    expect(cancelled.status).toBe(200);
    [all, , , open] = await readAll();
    expect(all!.body.result.find((r: { id: string }) => r.id === id).decision.status).not.toBe('in-progress');
    expect(open!.body.result.map((r: { id: string }) => r.id)).not.toContain(id);
    void userNamed;
  });
});

describe('kept ISC certification lists', () => {
  it('a decision and a sign-off show in the next list, and each caller sees their own certifications', async () => {
    const emu = testEmulator();
    const alice = await iscToken(emu, ALICE);
    const olivia = await iscToken(emu, OLIVIA);
    const paths = ['/v3/certifications', '/v3/certifications?limit=10', '/v3/certifications?reviewer-identity=me&count=true', '/beta/certifications?count=true'];
    const readAll = async (token: string) => Promise.all(paths.map((p) => keptAndFresh(emu, 'isc', p, token)));
    const [mine0, , me0] = await readAll(alice);
    const [all0, , adminMe0] = await readAll(olivia);
    // the same query, another caller: another answer (an admin sees every certification; `me` is the caller)
    expect(all0!.body.length).toBeGreaterThan(mine0!.body.length);
    expect(me0!.body.every((c: { reviewer: { id: string } }) => c.reviewer.id === ALICE)).toBe(true);
    expect(adminMe0!.body.some((c: { reviewer: { id: string } }) => c.reviewer.id === OLIVIA)).toBe(true);
    expect(adminMe0!.body.length).toBeLessThan(all0!.body.length);
    expect(adminMe0!.text).not.toBe(me0!.text);
    expect(me0!.headers.get('x-total-count')).toBe(String(me0!.body.length));

    const cert = mine0!.body.find((c: { phase: string; reviewer: { type: string } }) => c.phase === 'ACTIVE' && c.reviewer.type === 'IDENTITY');
    const items = await call(emu, 'isc', 'GET', `/v3/certifications/${cert.id}/access-review-items`, { token: alice });
    const first = await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: [{ id: items.body[0].id, decision: 'APPROVE', bulk: false }] });
    expect(first.status).toBe(200);
    const [mine1] = await readAll(alice);
    const [all1] = await readAll(olivia);
    expect(mine1!.body.find((c: { id: string }) => c.id === cert.id).decisionsMade).toBe(1);
    expect(all1!.body.find((c: { id: string }) => c.id === cert.id).decisionsMade).toBe(1);

    const rest = items.body.slice(1).map((it: { id: string }) => ({ id: it.id, decision: 'APPROVE', bulk: true }));
    expect((await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/decide`, { token: alice, body: rest })).status).toBe(200);
    expect((await call(emu, 'isc', 'POST', `/v3/certifications/${cert.id}/sign-off`, { token: alice })).status).toBe(200);
    const [mine2] = await readAll(alice);
    expect(mine2!.body.find((c: { id: string }) => c.id === cert.id)).toMatchObject({ phase: 'SIGNED', completed: true, decisionsMade: items.body.length });
  });
});
