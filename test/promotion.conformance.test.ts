// Conformance with every response body documented in S4 L3180–3900: each JSON block of the seed is matched against the
// emulator's answer to the same step (same keys in the same order; same fixed values; ids/dates only by form).
import { describe, expect, it } from 'vitest';
import { advance, aicToken, call, testEmulator, type JsonResponse } from './helpers.js';
import { giveEsv, pollUntil, promoToken } from './promotion.helpers.js';
import type { Emulator } from '../src/emulator.js';
import { loadReference } from './shared.js';

/** The JSON blocks of S4 L3180–3900, extracted by scripts/vendor-reference.mjs, keyed by the line they start on. */
const S4_BODIES = loadReference<{ bodies: Record<string, any> }>('seeds/s4-promotion-api-bodies.json').bodies;

function documentedBodies(from: number, to: number): Map<number, any> {
  return new Map(Object.entries(S4_BODIES).map(([line, body]) => [Number(line), body] as [number, any]).filter(([line]) => line >= from && line <= to));
}

const BY_FORM = new Set(['promotionId', 'reportId', 'timeStamp', 'createdDate', 'reportName']);

/** Same keys in the same order; fixed values equal; ids and dates of the same form; reports entry by entry in shape. */
function expectLike(actual: any, documented: any, where: string, shapeOnly = false): void {
  if (Array.isArray(documented)) {
    expect(Array.isArray(actual), where).toBe(true);
    expect(actual.length, where).toBeGreaterThan(0);
    // list items: the same keys and value types (their values depend on the history)
    for (const a of actual) expectLike(a, documented[0], `${where}[]`, true);
    return;
  }
  expect(Object.keys(actual), where).toEqual(Object.keys(documented));
  for (const [k, v] of Object.entries(documented)) {
    const a = actual[k];
    if (shapeOnly || BY_FORM.has(k)) expect(typeof a, `${where}.${k}`).toBe(typeof v);
    else if (k === 'report') {
      for (const area of Object.keys(v as object)) {
        expect(a[area], `${where}.report.${area}`).toBeDefined();
        for (const entry of a[area]) expect(Object.keys(entry).sort(), `${where}.report.${area}[]`).toEqual(Object.keys((v as any)[area][0]).sort());
      }
    } else if (k === 'missingESVs' || k === 'encryptedSecrets') {
      expect(Array.isArray(a) && a.every((x: unknown) => typeof x === 'string') && a.length > 0, `${where}.${k}`).toBe(true);
    } else if (v && typeof v === 'object') expectLike(a, v, `${where}.${k}`);
    else if (k === 'message' && typeof v === 'string') expect(a, `${where}.${k}`).toBe(v.replace('{forgerock_name}', 'Ping Identity').replace(/promotion [0-9a-f-]{36}$/, `promotion ${String(a).slice(-36)}`));
    else expect(a, `${where}.${k}`).toEqual(v);
  }
}

describe('promotion bodies match every documented body (S4 L3180–3900)', () => {
  it('covers each documented response', async () => {
    const documented = documentedBodies(3180, 3900);
    const got = new Map<number, JsonResponse>();
    const staging = async (emu: Emulator, method: string, path: string, token: string, body?: unknown) => call(emu, 'staging', method, path, { token, body });
    const lockAndWait = async (emu: Emulator, token: string) => {
      const lock = await staging(emu, 'POST', '/environment/promotion/lock', token);
      await pollUntil(emu, 'staging', token, '/environment/promotion/lock/state', (b) => b.result === 'locked');
      return lock.body.promotionId as string;
    };
    const finish = (emu: Emulator, token: string) => pollUntil(emu, 'staging', token, '/environment/promotion/promote', (b) => b.status !== 'RUNNING');
    const phases = async (emu: Emulator, token: string, into: Record<string, number>) => {
      let res = await staging(emu, 'GET', '/environment/promotion/promote', token);
      for (let i = 0; i < 600 && res.body.status === 'RUNNING'; i++) {
        if (into[res.body.message] !== undefined) got.set(into[res.body.message]!, res);
        await advance(emu, 1_000);
        res = await staging(emu, 'GET', '/environment/promotion/promote', token);
      }
      return res;
    };

    // the happy path: lock, promote, report, unlock; then rollback
    {
      const emu = testEmulator();
      await giveEsv(emu, 'staging', 'esv-email-from');
      const token = await promoToken(emu);
      got.set(3262, await staging(emu, 'GET', '/environment/promotion/lock/state', token));
      got.set(3288, await staging(emu, 'POST', '/environment/promotion/lock', token));
      got.set(3297, await staging(emu, 'POST', '/environment/promotion/lock', token));
      got.set(3336, await staging(emu, 'GET', '/environment/promotion/lock/state', token));
      await advance(emu, 10_000);
      got.set(3351, await staging(emu, 'GET', '/environment/promotion/lock/state', token));
      got.set(3375, await staging(emu, 'GET', '/environment/promotion/promote', token));
      await staging(emu, 'POST', '/environment/promotion/promote', token, { dryRun: true });
      await finish(emu, token);
      got.set(3416, await staging(emu, 'POST', '/environment/promotion/promote', token, { dryRun: false }));
      got.set(3540, await phases(emu, token, { 'Prepare config': 3421, 'Promote configuration': 3434, 'Waiting for workloads to restart': 3526 }));
      got.set(3563, await staging(emu, 'GET', '/environment/promotion/report', token));
      got.set(3809, await staging(emu, 'GET', '/environment/promotion/reports', token));
      got.set(3842, await staging(emu, 'GET', `/environment/promotion/report/${got.get(3563)!.body.reportId}`, token));
      got.set(3777, await staging(emu, 'DELETE', `/environment/promotion/lock/${got.get(3288)!.body.promotionId}`, token));
      await advance(emu, 10_000);
      await lockAndWait(emu, token);
      got.set(3604, await staging(emu, 'GET', '/environment/promotion/promote', token));
      got.set(3625, await staging(emu, 'GET', '/environment/promotion/report/provisional-rollback', token));
      got.set(3660, await staging(emu, 'POST', '/environment/promotion/rollback', token, {}));
      got.set(3749, await phases(emu, token, { 'Prepare config': 3665, 'Rollback configuration': 3678, 'Waiting for workloads to restart': 3735 }));
    }
    // maintenance
    {
      const emu = testEmulator();
      const token = await promoToken(emu);
      await call(emu, 'staging', 'POST', '/__emulator/promotion/maintenance', { body: { env: 'staging', locked: true } });
      got.set(3318, await staging(emu, 'POST', '/environment/promotion/lock', token));
    }
    // integrity checks: missing ESVs (default seed), then encrypted secrets, then a blocking failure
    {
      const emu = testEmulator();
      const token = await promoToken(emu);
      await lockAndWait(emu, token);
      await staging(emu, 'POST', '/environment/promotion/promote', token, { dryRun: false });
      got.set(3447, await finish(emu, token));
    }
    {
      const emu = testEmulator();
      await giveEsv(emu, 'staging', 'esv-email-from');
      const idm = await aicToken(emu, 'dev', ['fr:am:*']);
      await call(emu, 'dev', 'PUT', '/am/json/realms/root/realms/alpha/realm-config/authentication/authenticationtrees/trees/Cookie', { token: idm, body: { entryNodeId: 'a', nodes: { a: { hmacKey: { $crypto: { value: 'x' } } } } } });
      const token = await promoToken(emu);
      await lockAndWait(emu, token);
      await staging(emu, 'POST', '/environment/promotion/promote', token, { dryRun: false });
      got.set(3470, await finish(emu, token));
      await call(emu, 'staging', 'POST', '/__emulator/promotion/faults', { body: { env: 'staging', failAt: 'Promote configuration', blocking: true } });
      await staging(emu, 'POST', '/environment/promotion/promote', token, { dryRun: false, ignoreEncryptedSecrets: true });
      got.set(3505, await finish(emu, token));
      got.set(3517, await staging(emu, 'POST', '/environment/promotion/promote', token, { dryRun: false }));
    }
    // rollback failures: missing ESV in the restored config, then a blocking failure
    {
      const emu = testEmulator();
      await giveEsv(emu, 'staging', 'esv-email-from');
      const token = await promoToken(emu);
      const id = await lockAndWait(emu, token);
      // the promoted config references a new ESV that staging lacks... only for the rollback check: put it in staging's current config first
      await staging(emu, 'POST', '/environment/promotion/promote', token, { dryRun: false });
      await finish(emu, token);
      await staging(emu, 'DELETE', `/environment/promotion/lock/${id}`, token);
      await advance(emu, 10_000);
      const st = emu.env('staging')!.state as any;
      st.promotion.rollback.config.idm['emailTemplate/welcome'].from = '&{esv.email.welcome.from}';
      await lockAndWait(emu, token);
      await staging(emu, 'POST', '/environment/promotion/rollback', token, {});
      got.set(3691, await finish(emu, token));
      await call(emu, 'staging', 'POST', '/__emulator/promotion/faults', { body: { env: 'staging', failAt: 'Rollback configuration', blocking: true } });
      delete st.promotion.rollback.config.idm['emailTemplate/welcome'].from;
      await staging(emu, 'POST', '/environment/promotion/rollback', token, {});
      got.set(3714, await finish(emu, token));
      got.set(3726, await staging(emu, 'POST', '/environment/promotion/rollback', token, {}));
    }

    const skipped = new Map([
      [3327, 'the 500 of an unexpected lock error is not reproduced'],
      [3784, 'documentation slip: shows a locked body as the final unlock state (covered by 3262)'],
    ]);
    for (const [line, body] of documented) {
      if (skipped.has(line)) continue;
      const res = got.get(line);
      expect(res, `S4 L${line} has no emulator step`).toBeDefined();
      expect(res!.status, `S4 L${line} status`).toBe(body.code ?? 200);
      expectLike(res!.body, body, `S4 L${line}`);
    }
    expect(documented.size).toBe(32);
  });
});
