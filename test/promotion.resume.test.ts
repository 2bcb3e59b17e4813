// Restarting mid-promotion resumes from the clock (issue 5 "Done when"): from a snapshot seeded into a new emulator
// at a later time, and from a data directory reloaded by a new process-equivalent emulator.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aicToken, call, testEmulator } from './helpers.js';
import { giveEsv, pollUntil, promoToken } from './promotion.helpers.js';
import type { Emulator } from '../src/emulator.js';

const T0 = Date.parse('2026-11-23T12:00:00.000Z');

async function startPromotion(emu: Emulator): Promise<{ token: string; promotionId: string }> {
  await giveEsv(emu, 'staging', 'esv-email-from');
  const token = await promoToken(emu);
  const lock = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token });
  await pollUntil(emu, 'staging', token, '/environment/promotion/lock/state', (b) => b.result === 'locked');
  const res = await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, body: { dryRun: false } });
  expect(res.status).toBe(200);
  await pollUntil(emu, 'staging', token, '/environment/promotion/promote', (b) => b.message === 'Promote configuration');
  return { token, promotionId: lock.body.promotionId };
}

describe('promotion survives a restart', () => {
  it('a snapshot taken mid-promotion, seeded into a new emulator later, resumes and completes', async () => {
    const emu = testEmulator();
    const { promotionId } = await startPromotion(emu);
    const snap = JSON.parse(JSON.stringify(emu.snapshot()));
    // the snapshot is lossless mid-flight
    const again = testEmulator({ fixture: snap });
    expect(JSON.parse(JSON.stringify(again.snapshot()))).toEqual(snap);

    // ten minutes later: every phase (promote, restart) is over
    const later = testEmulator({ fixture: snap, clock: { frozen: true, startAt: emu.clock.now() + 10 * 60_000 } });
    const token = await promoToken(later);
    const status = await call(later, 'staging', 'GET', '/environment/promotion/promote', { token });
    expect(status.body).toMatchObject({ status: 'READY', message: 'Promotion completed', promotionId, globalLock: 'LOCKED', type: 'promotion' });
    const idm = await aicToken(later, 'staging', ['fr:idm:*']);
    expect((await call(later, 'staging', 'GET', '/openidm/config/emailTemplate/forgottenUsername', { token: idm })).status).toBe(200);
    expect((await call(later, 'staging', 'GET', '/environment/promotion/report', { token })).body.reportName).toContain(`dryrun=false_${promotionId}`);

    // a few seconds later instead: still in the middle, and it carries on from there
    const soon = testEmulator({ fixture: snap, clock: { frozen: true, startAt: emu.clock.now() + 1_000 } });
    const t2 = await promoToken(soon);
    expect((await call(soon, 'staging', 'GET', '/environment/promotion/promote', { token: t2 })).body.message).toBe('Promote configuration');
    const seen = new Set<string>();
    const done = await pollUntil(soon, 'staging', t2, '/environment/promotion/promote', (b) => (seen.add(b.message), b.status !== 'RUNNING'));
    expect([...seen]).toEqual(['Promote configuration', 'Waiting for workloads to restart', 'Promotion completed']);
    expect(done.body.status).toBe('READY');
  });

  it('with a data dir: a new emulator on the same directory resumes the promotion at the later clock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promo-'));
    try {
      const emu = testEmulator({ dataDir: dir });
      const { promotionId } = await startPromotion(emu);
      await emu.flush();
      const restarted = testEmulator({ dataDir: dir, clock: { frozen: true, startAt: emu.clock.now() + 30 * 60_000 } });
      const token = await promoToken(restarted);
      const status = await call(restarted, 'staging', 'GET', '/environment/promotion/promote', { token });
      expect(status.body).toMatchObject({ status: 'READY', message: 'Promotion completed', promotionId });
      const state = await call(restarted, 'staging', 'GET', '/environment/promotion/lock/state', { token });
      expect(state.body).toMatchObject({ result: 'locked', promotionId, lowerEnv: { state: 'locked', promotionId } });
      const unlock = await call(restarted, 'staging', 'DELETE', `/environment/promotion/lock/${promotionId}`, { token });
      expect(unlock.status).toBe(200);
      await restarted.flush();
      // the timestamps of the run reflect when the phases ended on the clock, not when the restart noticed
      expect(Date.parse(status.body.timeStamp)).toBeLessThan(T0 + 30 * 60_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
