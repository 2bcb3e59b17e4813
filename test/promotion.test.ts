// S4 L3222–3840 replayed in-process: lock, poll, status, dry run, promote, poll, report, unlock, poll; then lock,
// provisional-rollback report, rollback, poll, unlock. Only host and token differ from the documented calls.
import { describe, expect, it } from 'vitest';
import { advance, call, testEmulator } from './helpers.js';
import { giveEsv, pollUntil, promoToken } from './promotion.helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const H = { 'Content-Type': 'application/json', 'Accept-API-Version': 'resource=1.0' };

describe('promotion: the documented curl sequence (S4 L3222–3840)', () => {
  it('locks, dry-runs, promotes, reports, unlocks, then rolls back', async () => {
    const emu = testEmulator();
    // dev's new email template references &{esv.email.from}; staging needs that ESV first (S4 L3450)
    await giveEsv(emu, 'staging', 'esv-email-from');
    const token = await promoToken(emu);
    const get = (path: string) => call(emu, 'staging', 'GET', path, { token, headers: H });

    // Lock environments, task 1 (S4 L3262)
    let res = await get('/environment/promotion/lock/state');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ description: 'Environment unlocked', lowerEnv: { state: 'unlocked' }, result: 'unlocked', upperEnv: { state: 'unlocked' } });

    // task 2 (S4 L3284)
    res = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token, headers: H });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['description', 'promotionId', 'result']);
    expect(res.body).toMatchObject({ description: 'Environment lock in progress', result: 'locking' });
    const promotionId: string = res.body.promotionId;
    expect(promotionId).toMatch(UUID);

    res = await get('/environment/promotion/lock/state');
    expect(res.body).toEqual({
      description: 'Environment lock in progress',
      lowerEnv: { promotionId, state: 'locking' },
      promotionId,
      result: 'locking',
      upperEnv: { promotionId, state: 'locking' },
    });
    res = await pollUntil(emu, 'staging', token, '/environment/promotion/lock/state', (b) => b.result === 'locked');
    expect(res.body).toEqual({ description: 'Environment locked', lowerEnv: { promotionId, state: 'locked' }, promotionId, result: 'locked', upperEnv: { promotionId, state: 'locked' } });

    // Run a promotion, task 2 (S4 L3370)
    res = await get('/environment/promotion/promote');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['status', 'message', 'blockingError', 'globalLock', 'promotionId', 'timeStamp', 'type']);
    expect(res.body).toMatchObject({ status: 'READY', message: 'Environment ready for promotion', blockingError: false, globalLock: 'LOCKED', promotionId, type: 'promotion' });
    expect(res.body.timeStamp).toMatch(TS);

    // task 3: dry run
    res = await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, headers: H, body: { dryRun: true } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'Promotion process initiated successfully' });
    res = await get('/environment/promotion/promote');
    expect(res.body).toMatchObject({ status: 'RUNNING', message: 'Prepare config', blockingError: false, globalLock: 'LOCKED', promotionId, type: 'promotion' });
    const seen = new Set<string>();
    res = await pollUntil(emu, 'staging', token, '/environment/promotion/promote', (b) => (seen.add(b.message), b.status !== 'RUNNING'));
    expect([...seen]).toEqual(['Prepare config', 'Promote configuration', 'Promotion completed']); // no restart for a dry run
    expect(res.body).toMatchObject({ status: 'READY', message: 'Promotion completed', blockingError: false, promotionId });
    // the dry run changed nothing in staging
    const idm = await aicTokenIdm(emu);
    expect((await call(emu, 'staging', 'GET', '/openidm/config/emailTemplate/forgottenUsername', { token: idm })).status).toBe(404);
    res = await get('/environment/promotion/report');
    const dryReport = res.body;
    expect(dryReport.reportName).toBe(`Report_${dryReport.createdDate.slice(0, 10)}T${dryReport.createdDate.slice(11, 13)}-${dryReport.createdDate.slice(14, 16)}+00Z_dryrun=true_${promotionId}`);

    // task 4: the promotion
    res = await call(emu, 'staging', 'POST', '/environment/promotion/promote', { token, headers: H, body: { dryRun: false } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'Promotion process initiated successfully' });
    seen.clear();
    res = await pollUntil(emu, 'staging', token, '/environment/promotion/promote', (b) => (seen.add(b.message), b.status !== 'RUNNING'));
    expect([...seen]).toEqual(['Prepare config', 'Promote configuration', 'Waiting for workloads to restart', 'Promotion completed']);
    expect(Object.keys(res.body)).toEqual(['status', 'message', 'blockingError', 'globalLock', 'promotionId', 'timeStamp', 'type']);
    expect(res.body).toMatchObject({ status: 'READY', message: 'Promotion completed', blockingError: false, globalLock: 'LOCKED', promotionId, type: 'promotion' });
    const promoted = await call(emu, 'staging', 'GET', '/openidm/config/emailTemplate/forgottenUsername', { token: idm });
    expect(promoted.status).toBe(200);
    expect(promoted.body.displayName).toBe('Forgotten Username');

    // task 5: the report (S4 L3650)
    res = await get('/environment/promotion/report');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['createdDate', 'promotionId', 'report', 'reportId', 'reportName', 'type']);
    expect(res.body.type).toBe('promotion');
    expect(res.body.createdDate).toMatch(TS);
    expect(res.body.reportName).toMatch(new RegExp(`^Report_\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}\\+00Z_dryrun=false_${promotionId}$`));
    expect(res.body.report.IDMConfig).toContainEqual({
      configChange: { added: ['Forgotten Username'], modified: ['Welcome'] },
      configItem: 'Email > Templates',
      fileDestinationPattern: 'idm/conf/emailTemplate-*.json',
      fileName: 'displayName',
      type: 'single',
    });
    expect(res.body.report.AMConfig).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ configItem: 'Scripts', configChange: { added: ['Log Login Attempt'] } }),
        expect.objectContaining({ configItem: 'Journeys', configChange: { modified: ['Login'] } }),
        expect.objectContaining({ configItem: 'Applications > OAuth2 Clients', configChange: { deleted: ['legacy-portal'] } }),
      ]),
    );
    const promotionReport = res.body;
    res = await get(`/environment/promotion/report/${promotionReport.reportId}`);
    expect(res.body).toEqual(promotionReport);
    res = await get('/environment/promotion/reports');
    expect(res.body).toEqual([
      { createdDate: dryReport.createdDate, dryRun: true, promotionId, reportId: dryReport.reportId, type: 'promotion' },
      { createdDate: promotionReport.createdDate, dryRun: false, promotionId, reportId: promotionReport.reportId, type: 'promotion' },
    ]);

    // Unlock environments (S4 L3820)
    res = await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${promotionId}`, { token, headers: H });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ description: 'Environment unlock in progress', promotionId, result: 'unlocking' });
    res = await get('/environment/promotion/lock/state');
    expect(res.body).toEqual({ description: 'Environment unlock in progress', lowerEnv: { promotionId, state: 'unlocking' }, promotionId, result: 'unlocking', upperEnv: { promotionId, state: 'unlocking' } });
    res = await pollUntil(emu, 'staging', token, '/environment/promotion/lock/state', (b) => b.result === 'unlocked');
    expect(res.body).toEqual({ description: 'Environment unlocked', lowerEnv: { state: 'unlocked' }, result: 'unlocked', upperEnv: { state: 'unlocked' } });
    // the real run restarted staging's workloads: the ESV created before it is now loaded (ESV API usable again)
    const esvToken = await (await import('./helpers.js')).aicToken(emu, 'staging', ['fr:idc:esv:*']);
    const esv = await call(emu, 'staging', 'GET', '/environment/variables/esv-email-from', { token: esvToken });
    expect(esv.status).toBe(200);
    expect(esv.body.loaded).toBe(true);

    // Run a rollback: lock (S4 L3690)
    res = await call(emu, 'staging', 'POST', '/environment/promotion/lock', { token, headers: H });
    expect(res.status).toBe(200);
    const rollbackId: string = res.body.promotionId;
    expect(rollbackId).not.toBe(promotionId);
    await pollUntil(emu, 'staging', token, '/environment/promotion/lock/state', (b) => b.result === 'locked');
    res = await get('/environment/promotion/promote');
    expect(res.body).toMatchObject({ status: 'READY', message: 'Environment ready for promotion', globalLock: 'LOCKED', promotionId: rollbackId, type: 'promotion' });

    // task 3: provisional rollback report
    res = await get('/environment/promotion/report/provisional-rollback');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...promotionReport, type: 'provisional-rollback' });

    // task 4: rollback
    res = await call(emu, 'staging', 'POST', '/environment/promotion/rollback', { token, headers: H, body: {} });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'Rollback process initiated successfully' });
    res = await get('/environment/promotion/promote');
    expect(res.body).toMatchObject({ status: 'RUNNING', message: 'Prepare config', blockingError: false, globalLock: 'LOCKED', promotionId: rollbackId, type: 'rollback' });
    seen.clear();
    res = await pollUntil(emu, 'staging', token, '/environment/promotion/promote', (b) => (seen.add(b.message), b.status !== 'RUNNING'));
    expect([...seen]).toEqual(['Prepare config', 'Rollback configuration', 'Waiting for workloads to restart', 'Rollback completed']);
    expect(res.body).toMatchObject({ status: 'READY', message: 'Rollback completed', blockingError: false, globalLock: 'LOCKED', promotionId: rollbackId, type: 'rollback' });
    expect((await call(emu, 'staging', 'GET', '/openidm/config/emailTemplate/forgottenUsername', { token: idm })).status).toBe(404);
    res = await get('/environment/promotion/report');
    expect(res.body).toMatchObject({ promotionId: rollbackId, type: 'rollback', report: promotionReport.report });
    expect(res.body.reportName).toContain(`_dryrun=false_${rollbackId}`);
    // nothing left to roll back
    expect((await get('/environment/promotion/report/provisional-rollback')).status).toBe(404);

    // task 5: unlock
    res = await call(emu, 'staging', 'DELETE', `/environment/promotion/lock/${rollbackId}`, { token, headers: H });
    expect(res.body).toEqual({ description: 'Environment unlock in progress', promotionId: rollbackId, result: 'unlocking' });
    await advance(emu, 60_000);
    res = await get('/environment/promotion/lock/state');
    expect(res.body.result).toBe('unlocked');
  });
});

async function aicTokenIdm(emu: ReturnType<typeof testEmulator>): Promise<string> {
  const { aicToken } = await import('./helpers.js');
  return aicToken(emu, 'staging', ['fr:idm:*']);
}
