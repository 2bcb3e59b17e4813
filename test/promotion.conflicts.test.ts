// Every lock state and every 409 of the promotion API (S4 L3262–3560), integrity checks, fault injection,
// unlockEnvironmentsAfterPromotion, and 20 concurrent lock requests.
import { describe, expect, it } from 'vitest';
import { advance, aicToken, call, testEmulator } from './helpers.js';
import { giveEsv, pollUntil, PROMO, promoToken } from './promotion.helpers.js';
import type { Emulator } from '../src/emulator.js';

async function lockPair(emu: Emulator, upper: string, token: string): Promise<string> {
  const res = await call(emu, upper, 'POST', '/environment/promotion/lock', { token });
  expect(res.status).toBe(200);
  await pollUntil(emu, upper, token, '/environment/promotion/lock/state', (b) => b.result === 'locked');
  return res.body.promotionId;
}

async function runToEnd(emu: Emulator, upper: string, token: string) {
  return pollUntil(emu, upper, token, '/environment/promotion/promote', (b) => b.status !== 'RUNNING');
}

const conflict = (message: string) => ({ code: 409, message });

describe('promotion lock', () => {
  it('moves unlocked → locking → locked → unlocking → unlocked on the clock, in both environments', async () => {
    const emu = testEmulator();
    const token = await promoToken(emu);
    const lock = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token });
    const id = lock.body.promotionId;
    const state = async () => (await call(emu, 'staging', 'GET', '/environment/promotion/lock/state', { token })).body;
    expect((await state()).result).toBe('locking');
    await advance(emu, 4_999);
    expect((await state()).result).toBe('locking');
    await advance(emu, 1);
    expect(await state()).toMatchObject({ result: 'locked', lowerEnv: { state: 'locked', promotionId: id }, upperEnv: { state: 'locked', promotionId: id } });
    // the lower environment reports its own state: dev is the lower of staging
    const devToken = await aicToken(emu, 'dev', ['fr:idc:promotion:*']);
    const devState = await call(emu, 'dev', 'GET', '/environment/promotion/lock/state', { token: devToken });
    expect(devState.status).toBe(400); // dev has no lower environment: promotion calls go to the upper one
    expect(devState.body).toEqual({ code: 400, message: expect.stringContaining('no lower environment') });
    // prod's view of the staging → prod pair: staging (its lower) carries the dev → staging lock
    const prodToken = await promoToken(emu, 'prod');
    const prodState = await call(emu, 'prod', 'GET', '/environment/promotion/lock/state', { token: prodToken });
    expect(prodState.body).toEqual({ description: 'Environment unlocked', lowerEnv: { promotionId: id, state: 'locked' }, result: 'unlocked', upperEnv: { state: 'unlocked' } });

    const unlock = await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token });
    expect(unlock.body).toEqual({ description: 'Environment unlock in progress', promotionId: id, result: 'unlocking' });
    // a repeated unlock is answered the same way
    expect((await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token })).body.result).toBe('unlocking');
    expect((await state()).result).toBe('unlocking');
    await advance(emu, 5_000);
    expect(await state()).toEqual({ description: 'Environment unlocked', lowerEnv: { state: 'unlocked' }, result: 'unlocked', upperEnv: { state: 'unlocked' } });
  });

  it('409 already locked: same pair, and a pair sharing an environment (one promotion per group)', async () => {
    const emu = testEmulator();
    const token = await promoToken(emu);
    const prodToken = await promoToken(emu, 'prod');
    const first = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token });
    const id = first.body.promotionId;
    // while locking
    let res = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(conflict(`Environment is already locked for promotion ${id}`));
    await advance(emu, 10_000);
    res = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token });
    expect(res.body).toEqual(conflict(`Environment is already locked for promotion ${id}`));
    // dev → staging blocks staging → prod
    res = await call(emu, 'prod', 'POST', '/environment/promotion/lock', { token: prodToken });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(conflict(`Environment is already locked for promotion ${id}`));
    // and the other way round
    await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token });
    // still held while unlocking
    expect((await call(emu, 'prod', 'POST', '/environment/promotion/lock', { token: prodToken })).status).toBe(409);
    await advance(emu, 10_000);
    res = await call(emu, 'prod', 'POST', '/environment/promotion/lock', { token: prodToken });
    expect(res.status).toBe(200);
    const prodId = res.body.promotionId;
    res = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token });
    expect(res.body).toEqual(conflict(`Environment is already locked for promotion ${prodId}`));
  });

  it('409 maintenance lock held by the operator (control plane)', async () => {
    const emu = testEmulator();
    const token = await promoToken(emu);
    let res = await call(emu, 'staging', 'POST', '/__emulator/promotion/maintenance', { body: { env: 'dev', locked: true } });
    expect(res.status).toBe(200);
    res = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(conflict('Environment is locked by Ping Identity for maintenance. Retry later.'));
    res = await call(emu, 'staging', 'GET', '/environment/promotion/lock/state', { token });
    expect(res.body.lowerEnv).toEqual({ state: 'locked' });
    await call(emu, 'staging', 'POST', '/__emulator/promotion/maintenance', { body: { env: 'dev', locked: false } });
    expect((await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token })).status).toBe(200);
    expect((await call(emu, 'staging', 'POST', '/__emulator/promotion/maintenance', { body: { env: 'nope', locked: true } })).status).toBe(404);
  });

  it('409 on unlock with a wrong promotion id, or when not locked; unlock refused while a run is in progress', async () => {
    const emu = testEmulator();
    await giveEsv(emu, 'staging', 'esv-email-from');
    const token = await promoToken(emu);
    let res = await call(emu, 'staging', 'DELETE', '/environment/promotion/lock/8acd3a87-2272-450f-a3b3-1eb222108740', { token });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(conflict('Environment is not locked'));
    const id = await lockPair(emu, 'staging', token);
    res = await call(emu, 'staging', 'DELETE', '/environment/promotion/lock/8acd3a87-2272-450f-a3b3-1eb222108740', { token });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(conflict(`Environment is locked for promotion ${id}`));
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: true } });
    res = await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(conflict(`Promotion ${id} is already in progress`));
    // and a second promote while one runs
    res = await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } });
    expect(res.body).toEqual(conflict(`Promotion ${id} is already in progress`));
    await runToEnd(emu, 'staging', token);
    expect((await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token })).status).toBe(200);
  });

  it('20 simultaneous lock requests: exactly one succeeds, 19 get 409', async () => {
    const emu = testEmulator();
    const token = await promoToken(emu);
    const all = await Promise.all(Array.from({ length: 20 }, () => call(emu, 'staging', 'POST', '/environment/promotion/lock', { token })));
    const ok = all.filter((r) => r.status === 200);
    const conflicts = all.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    for (const r of conflicts) expect(r.body).toEqual(conflict(`Environment is already locked for promotion ${ok[0]!.body.promotionId}`));
  });

  it('20 simultaneous promote requests under one lock: one run starts, 19 get 409', async () => {
    const emu = testEmulator();
    await giveEsv(emu, 'staging', 'esv-email-from');
    const token = await promoToken(emu);
    const id = await lockPair(emu, 'staging', token);
    const all = await Promise.all(Array.from({ length: 20 }, () => call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } })));
    expect(all.filter((r) => r.status === 200)).toHaveLength(1);
    const conflicts = all.filter((r) => r.status === 409);
    expect(conflicts).toHaveLength(19);
    for (const r of conflicts) expect(r.body).toEqual(conflict(`Promotion ${id} is already in progress`));
    expect((await runToEnd(emu, 'staging', token)).body.message).toBe('Promotion completed');
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/reports', { token })).body).toHaveLength(1);
  });

  it('20 simultaneous lock requests split over both pairs (staging and prod): still exactly one lock in the group', async () => {
    const emu = testEmulator();
    const tokens = { staging: await promoToken(emu, 'staging'), prod: await promoToken(emu, 'prod') };
    const envs = Array.from({ length: 20 }, (_, i) => (i % 2 ? 'prod' : 'staging') as 'staging' | 'prod');
    const all = await Promise.all(envs.map((e) => call(emu, e, 'POST', '/environment/promotion/lock', { token: tokens[e] })));
    expect(all.filter((r) => r.status === 200)).toHaveLength(1);
    expect(all.filter((r) => r.status === 409)).toHaveLength(19);
  });
});

describe('promote and rollback', () => {
  it('409 promote or rollback without a (completed) lock', async () => {
    const emu = testEmulator();
    const token = await promoToken(emu);
    let res = await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: true } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(conflict('Environment is not locked for promotion'));
    await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token });
    res = await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: true } });
    expect(res.body).toEqual(conflict('Environment is not locked for promotion'));
    res = await call(emu, 'staging', 'POST', '/environment/promotion/rollback', { token, body: {} });
    expect(res.status).toBe(409);
    await advance(emu, 5_000);
    // locked, but nothing has been promoted: nothing to roll back
    res = await call(emu, 'staging', 'POST', '/environment/promotion/rollback', { token, body: {} });
    expect(res.body).toEqual(conflict('There is no previous promotion to roll back'));
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/report/provisional-rollback', { token })).status).toBe(404);
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/report', { token })).status).toBe(404);
  });

  it('400 for an invalid promote body, state unchanged', async () => {
    const emu = testEmulator();
    const token = await promoToken(emu);
    await lockPair(emu, 'staging', token);
    let res = await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: 'yes' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, message: expect.stringContaining('dryRun') });
    res = await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, raw: '{nope' });
    expect(res.status).toBe(400);
    res = await call(emu, 'staging', 'GET', '/environment/promotion/promote', { token });
    expect(res.body.message).toBe('Environment ready for promotion');
  });

  it('missing ESVs: non-blocking ERROR with missingESVs (default seed: dev references esv.email.from)', async () => {
    const emu = testEmulator();
    const token = await promoToken(emu);
    const id = await lockPair(emu, 'staging', token);
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: true } });
    const res = await runToEnd(emu, 'staging', token);
    expect(Object.keys(res.body)).toEqual(['status', 'message', 'blockingError', 'missingESVs', 'globalLock', 'promotionId', 'timeStamp', 'type']);
    expect(res.body).toMatchObject({ status: 'ERROR', message: 'Missing ESVs', blockingError: false, missingESVs: ['email.from'], globalLock: 'LOCKED', promotionId: id, type: 'promotion' });
    // not blocking: the caller can fix it and run again under the same lock... after unlocking to add the ESV (S4 L3455)
    await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token });
    await advance(emu, 10_000);
    await giveEsv(emu, 'staging', 'esv-email-from');
    await lockPair(emu, 'staging', token);
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: true } });
    expect((await runToEnd(emu, 'staging', token)).body.message).toBe('Promotion completed');
  });

  it('encrypted secrets: ERROR with encryptedSecrets unless ignoreEncryptedSecrets', async () => {
    const emu = testEmulator();
    await giveEsv(emu, 'staging', 'esv-email-from');
    const idm = await aicToken(emu, 'dev', ['fr:idm:*']);
    const put = await call(emu, 'dev', 'PUT', '/openidm/config/external.email', {
      token: idm,
      body: { host: 'smtp.example.com', auth: { enable: true, username: 'idm', password: { $crypto: { type: 'x-simple-encryption', value: { cipher: 'AES/CBC/PKCS5Padding', data: 'abc' } } } } },
    });
    expect(put.status).toBe(200);
    const token = await promoToken(emu);
    const id = await lockPair(emu, 'staging', token);
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } });
    let res = await runToEnd(emu, 'staging', token);
    expect(Object.keys(res.body)).toEqual(['status', 'message', 'blockingError', 'globalLock', 'encryptedSecrets', 'promotionId', 'timeStamp', 'type']);
    expect(res.body).toMatchObject({ status: 'ERROR', message: 'Found encrypted values in the AM/IDM configuration', blockingError: false, encryptedSecrets: ['* idm/conf/external.email.json:8'], promotionId: id });
    // S4 L3480: bypass deliberately
    res = await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false, ignoreEncryptedSecrets: true } });
    expect(res.status).toBe(200);
    res = await runToEnd(emu, 'staging', token);
    expect(res.body).toMatchObject({ status: 'READY', message: 'Promotion completed' });
  });

  it('a blocking fault: ERROR blockingError, then 409 blocked for promote and rollback until unblocked', async () => {
    const emu = testEmulator();
    await giveEsv(emu, 'staging', 'esv-email-from');
    const token = await promoToken(emu);
    let res = await call(emu, 'staging', 'POST', '/__emulator/promotion/faults', { body: { env: 'staging', failAt: 'Promote configuration', blocking: true } });
    expect(res.status).toBe(200);
    const id = await lockPair(emu, 'staging', token);
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } });
    res = await runToEnd(emu, 'staging', token);
    expect(res.body).toEqual({ status: 'ERROR', message: 'Failed to promote config', blockingError: true, globalLock: 'LOCKED', promotionId: id, timeStamp: expect.any(String), type: 'promotion' });
    // nothing was copied
    const idm = await aicToken(emu, 'staging', ['fr:idm:*']);
    expect((await call(emu, 'staging', 'GET', '/openidm/config/emailTemplate/forgottenUsername', { token: idm })).status).toBe(404);
    res = await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(conflict('Environment is blocked from a previous failed promotion or rollback'));
    res = await call(emu, 'staging', 'POST', '/environment/promotion/rollback', { token, body: {} });
    expect(res.body).toEqual(conflict('Environment is blocked from a previous failed promotion or rollback'));
    // still blocked after unlock and relock
    await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token });
    await advance(emu, 10_000);
    await lockPair(emu, 'staging', token);
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/promote', { token })).body.blockingError).toBe(true);
    expect((await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } })).status).toBe(409);
    res = await call(emu, 'staging', 'POST', '/__emulator/promotion/unblock', { body: { env: 'staging' } });
    expect(res.body).toEqual({ unblocked: ['staging'] });
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/promote', { token })).body.message).toBe('Environment ready for promotion');
    expect((await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } })).status).toBe(200);
    expect((await runToEnd(emu, 'staging', token)).body.message).toBe('Promotion completed');
  });

  it('a non-blocking fault and a rollback fault', async () => {
    const emu = testEmulator();
    await giveEsv(emu, 'staging', 'esv-email-from');
    const token = await promoToken(emu);
    await call(emu, 'staging', 'POST', '/__emulator/promotion/faults', { body: { env: 'staging', failAt: 'Prepare config', blocking: false } });
    await lockPair(emu, 'staging', token);
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } });
    let res = await runToEnd(emu, 'staging', token);
    expect(res.body).toMatchObject({ status: 'ERROR', message: 'Failed to prepare config', blockingError: false });
    // the fault is consumed: the next run goes through
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } });
    expect((await runToEnd(emu, 'staging', token)).body.message).toBe('Promotion completed');
    await call(emu, 'staging', 'POST', '/__emulator/promotion/faults', { body: { env: 'staging', failAt: 'Rollback configuration', blocking: true } });
    await call(emu, 'staging', 'POST', '/environment/promotion/rollback', { token, body: {} });
    res = await runToEnd(emu, 'staging', token);
    expect(res.body).toMatchObject({ status: 'ERROR', message: 'Failed to rollback config', blockingError: true, type: 'rollback' });
    expect((await call(emu, 'staging', 'POST', '/__emulator/promotion/faults', { body: { env: 'dev', failAt: 'Prepare config' } })).status).toBe(400);
    expect((await call(emu, 'staging', 'POST', '/__emulator/promotion/faults', { body: { env: 'staging', failAt: 'Somewhere' } })).status).toBe(400);
  });

  it('rollback checks missing ESVs in the configuration it restores', async () => {
    const emu = testEmulator();
    await giveEsv(emu, 'staging', 'esv-email-from');
    const token = await promoToken(emu);
    await lockPair(emu, 'staging', token);
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } });
    await runToEnd(emu, 'staging', token);
    // staging's previous config references esv.smtp.host; remove that ESV from staging (ESV API needs the lock released)
    const s = await call(emu, 'staging', 'GET', '/environment/promotion/promote', { token });
    await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${s.body.promotionId}`, { token });
    await advance(emu, 10_000);
    const esv = await aicToken(emu, 'staging', ['fr:idc:esv:*']);
    // the ESV area refuses to delete an ESV that config references, so drop the reference from staging's current config too
    const del = await call(emu, 'staging', 'DELETE', '/environment/variables/esv-smtp-host', { token: esv });
    if (del.status !== 200) {
      const st = emu.env('staging')!.state as any;
      st.esv.variables = st.esv.variables.filter((v: any) => v._id !== 'esv-smtp-host');
    }
    await lockPair(emu, 'staging', token);
    await call(emu, 'staging', 'POST', '/environment/promotion/rollback', { token, body: {} });
    const res = await runToEnd(emu, 'staging', token);
    expect(res.body).toMatchObject({ status: 'ERROR', message: 'Missing ESVs', blockingError: false, missingESVs: ['smtp.host'], type: 'rollback' });
  });

  it('unlockEnvironmentsAfterPromotion unlocks at the end; no change → "Promotion completed (no change)"', async () => {
    const emu = testEmulator();
    const token = await promoToken(emu, 'prod');
    // staging and prod start identical
    await lockPair(emu, 'prod', token);
    await call(emu, 'prod', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false, unlockEnvironmentsAfterPromotion: true, promoter: 'ci', promotionDescription: 'nightly' } });
    const seen = new Set<string>();
    const res = await pollUntil(emu, 'prod', token, '/environment/promotion/promote', (b) => (seen.add(b.message), b.status !== 'RUNNING'));
    expect([...seen]).toEqual(['Prepare config', 'Promote configuration', 'Promotion completed (no change)']);
    expect(res.body.globalLock).toBe('UNLOCKING');
    const report = await call(emu, 'prod', 'GET', '/environment/promotion/report', { token });
    expect(report.body.report).toEqual({});
    const state = await pollUntil(emu, 'prod', token, '/environment/promotion/lock/state', (b) => b.result === 'unlocked');
    expect(state.body.result).toBe('unlocked');
  });
});

describe('while locked', () => {
  it('config writes and the ESV API are refused in both environments; reads and tokens keep working; dev writes are restricted', async () => {
    const emu = testEmulator();
    const token = await promoToken(emu);
    const id = await lockPair(emu, 'staging', token);
    for (const env of ['dev', 'staging']) {
      const idm = await aicToken(emu, env, ['fr:idm:*', 'fr:am:*']);
      expect((await call(emu, env, 'GET', '/openidm/config/emailTemplate/welcome', { token: idm })).status).toBe(200);
      const put = await call(emu, env, 'PUT', '/openidm/config/emailTemplate/welcome', { token: idm, body: { displayName: 'x' } });
      expect(put.status).toBe(409);
      expect(put.body).toEqual({ code: 409, message: `Environment is locked for promotion ${id}` });
      const am = await call(emu, env, 'PUT', '/am/json/realms/root/realms/alpha/scripts/abc', { token: idm, body: { name: 'x' } });
      expect(am.status).toBe(409);
      const esv = await aicToken(emu, env, ['fr:idc:esv:*']);
      expect((await call(emu, env, 'PUT', '/environment/variables/esv-locked-test', { token: esv, body: { valueBase64: 'eA==', expressionType: 'string' } })).status).toBe(409);
    }
    // prod is not part of this pair
    const prodIdm = await aicToken(emu, 'prod', ['fr:idm:*']);
    expect((await call(emu, 'prod', 'PUT', '/openidm/config/emailTemplate/welcome', { token: prodIdm, body: { displayName: 'x' } })).status).toBe(200);
    // dev (the lower, development) restricts other write endpoints too, but not authentication
    const devIdm = await aicToken(emu, 'dev', ['fr:idm:*']);
    const w = await call(emu, 'dev', 'POST', '/openidm/managed/svcacct?_action=create', { token: devIdm, body: { name: 'x' } });
    expect(w.status).toBe(409);
    const form = await call(emu, 'dev', 'POST', '/am/oauth2/access_token', { raw: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).not.toBe(409);
    // after unlocking, writes work again
    await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token });
    await advance(emu, 10_000);
    const idm = await aicToken(emu, 'staging', ['fr:idm:*']);
    expect((await call(emu, 'staging', 'PUT', '/openidm/config/emailTemplate/welcome', { token: idm, body: { displayName: 'x' } })).status).toBe(200);
  });

  it('needs fr:idc:promotion:*: 401 without a token, 403 without the scope', async () => {
    const emu = testEmulator();
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/lock/state')).status).toBe(401);
    const other = await aicToken(emu, 'staging', ['fr:idc:esv:*']);
    const res = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token: other });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 403, reason: 'Forbidden', message: 'Access Denied' });
  });

  it('every transition is logged in both environments, attributed to the caller', async () => {
    const emu = testEmulator();
    await giveEsv(emu, 'staging', 'esv-email-from');
    const token = await promoToken(emu);
    const id = await lockPair(emu, 'staging', token);
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } });
    await runToEnd(emu, 'staging', token);
    await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token });
    await advance(emu, 10_000);
    await call(emu, 'staging', 'GET', '/environment/promotion/lock/state', { token });
    const entries = (env: string) =>
      emu.env(env)!.logbook.view('idm-activity').map((e) => e.payload as any).filter((p) => p.objectId === `environment/promotion/${id}`);
    const staging = entries('staging');
    expect(staging.map((p) => p.message)).toEqual([
      'Environment lock in progress',
      'Environment locked',
      'Promotion process initiated',
      'Promote configuration',
      'Waiting for workloads to restart',
      'Promotion completed',
      'Environment unlock in progress',
      'Environment unlocked',
    ]);
    for (const p of staging) expect(String(p.userId)).toContain('svc-promoter-staging');
    expect(entries('dev').map((p) => p.message)).toEqual(['Environment lock in progress', 'Environment locked', 'Environment unlock in progress', 'Environment unlocked']);
  });

  it('the unlock transitions are attributed to the principal that unlocked, not the one that locked', async () => {
    const emu = testEmulator();
    const locker = await promoToken(emu);
    const id = await lockPair(emu, 'staging', locker);
    const unlocker = await aicToken(emu, 'staging', PROMO, 'svc-release-bot');
    expect((await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token: unlocker })).status).toBe(200);
    await advance(emu, 10_000);
    await call(emu, 'staging', 'GET', '/environment/promotion/lock/state', { token: unlocker });
    for (const env of ['staging', 'dev']) {
      const byMessage = new Map(emu.env(env)!.logbook.view('idm-activity').map((e) => e.payload as any).filter((p) => p.objectId === `environment/promotion/${id}`).map((p) => [p.message, p.userId]));
      expect(byMessage.get('Environment locked'), env).toBe('svc-promoter-staging');
      expect(byMessage.get('Environment unlock in progress'), env).toBe('svc-release-bot');
      expect(byMessage.get('Environment unlocked'), env).toBe('svc-release-bot');
    }
  });

  it('unlockEnvironmentsAfterPromotion logs the unlocking transition too, in both environments, as the promoter', async () => {
    const emu = testEmulator();
    await giveEsv(emu, 'staging', 'esv-email-from');
    const token = await promoToken(emu);
    const id = await lockPair(emu, 'staging', token);
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: true, unlockEnvironmentsAfterPromotion: true } });
    await runToEnd(emu, 'staging', token);
    await advance(emu, 10_000);
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/lock/state', { token })).body.result).toBe('unlocked');
    for (const env of ['staging', 'dev']) {
      const entries = emu.env(env)!.logbook.view('idm-activity').map((e) => e.payload as any).filter((p) => p.objectId === `environment/promotion/${id}`);
      expect(entries.map((p) => p.message).slice(-2), env).toEqual(['Environment unlock in progress', 'Environment unlocked']);
      expect(entries.at(-2).userId, env).toBe('svc-promoter-staging');
    }
  });

  it('provisional promotion report (frodo-lib /report/provisional) and a rollback that unlocks afterwards', async () => {
    const emu = testEmulator();
    await giveEsv(emu, 'staging', 'esv-email-from');
    const token = await promoToken(emu);
    let res = await call(emu, 'staging', 'GET', '/environment/promotion/report/provisional', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'provisional-promotion', reportId: expect.any(String) });
    expect(res.body.report.IDMConfig).toContainEqual(expect.objectContaining({ configItem: 'Email > Templates', configChange: { added: ['Forgotten Username'], modified: ['Welcome'] } }));
    const id = await lockPair(emu, 'staging', token);
    await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false, zendeskTicketReference: 'ZD-1' } });
    await runToEnd(emu, 'staging', token);
    res = await call(emu, 'staging', 'GET', '/environment/promotion/report/provisional', { token });
    expect(res.body).toMatchObject({ promotionId: id, report: {} });
    res = await call(emu, 'staging', 'POST', '/environment/promotion/rollback', { token, body: { promoter: 'ci', unlockEnvironmentsAfterPromotion: true } });
    expect(res.status).toBe(200);
    expect((await runToEnd(emu, 'staging', token)).body.message).toBe('Rollback completed');
    expect((await pollUntil(emu, 'staging', token, '/environment/promotion/lock/state', (b) => b.result === 'unlocked')).body.result).toBe('unlocked');
    expect((await call(emu, 'staging', 'POST', '/environment/promotion/rollback', { token, body: { unlockEnvironmentsAfterPromotion: 'yes' } })).status).toBe(400);
  });

  it('control plane: transition timings and a state overview', async () => {
    const emu = testEmulator();
    const token = await promoToken(emu);
    let res = await call(emu, 'staging', 'POST', '/__emulator/promotion/timings', { body: { lockMs: 60_000, unlockMs: 0 } });
    expect(res.status).toBe(200);
    expect(res.body.staging).toMatchObject({ lockMs: 60_000, unlockMs: 0, prepareMs: 5_000 });
    expect((await call(emu, 'staging', 'POST', '/__emulator/promotion/timings', { body: { lockMs: -1 } })).status).toBe(400);
    const id = (await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token })).body.promotionId;
    await advance(emu, 59_000);
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/lock/state', { token })).body.result).toBe('locking');
    await advance(emu, 1_000);
    res = await call(emu, 'staging', 'GET', '/__emulator/promotion');
    expect(res.body.staging).toMatchObject({ lockState: { promotionId: id, state: 'locked' }, maintenance: false, blocked: null, reports: 0, rollbackAvailable: false });
    expect(res.body.dev.lockState).toEqual({ promotionId: id, state: 'locked' });
    expect(res.body.prod.lockState).toEqual({ state: 'unlocked' });
    // unlockMs 0: unlocked at once
    await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token });
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/lock/state', { token })).body.result).toBe('unlocked');
  });

  it('lock faults: a 500 on the lock request (S4 L3327), and a lock that ends in the error state', async () => {
    const emu = testEmulator();
    const token = await promoToken(emu);
    await call(emu, 'staging', 'POST', '/__emulator/promotion/faults', { body: { env: 'staging', failAt: 'lock' } });
    let res = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: 500, message: 'Unexpected error while locking the environments' });
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/lock/state', { token })).body.result).toBe('unlocked');

    await call(emu, 'staging', 'POST', '/__emulator/promotion/faults', { body: { env: 'staging', failAt: 'locking' } });
    res = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token });
    expect(res.status).toBe(200);
    const id = res.body.promotionId;
    await advance(emu, 5_000);
    res = await call(emu, 'staging', 'GET', '/environment/promotion/lock/state', { token });
    expect(res.body).toEqual({ description: 'Environment lock failed', lowerEnv: { promotionId: id, state: 'error' }, promotionId: id, result: 'error', upperEnv: { promotionId: id, state: 'error' } });
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/promote', { token })).body.globalLock).toBe('ERROR');
    expect((await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: true } })).body).toEqual(conflict('Environment is not locked for promotion'));
    expect((await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token })).body).toEqual(conflict(`Environment is already locked for promotion ${id}`));
    // the ESV API stays blocked until the failed lock is released
    const esv = await aicToken(emu, 'dev', ['fr:idc:esv:*']);
    expect((await call(emu, 'dev', 'GET', '/environment/variables', { token: esv })).status).toBe(409);
    expect((await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${id}`, { token })).body.result).toBe('unlocking');
    await advance(emu, 5_000);
    expect((await call(emu, 'staging', 'GET', '/environment/promotion/lock/state', { token })).body.result).toBe('unlocked');
    expect((await call(emu, 'dev', 'GET', '/environment/variables', { token: esv })).status).toBe(200);
  });
});

