// Promotion rules (SPEC §3; S4 L3009–3900): lock/unlock of a lower/upper pair, promotion and rollback runs moving
// through the documented phases on the emulator clock, integrity checks, reports and rollback points.
// Runs are settled lazily from stored timestamps (on every request and by a clock job), so a restarted process or a
// clock jump resumes exactly where the clock says the run should be.
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { auditActivity, type AuditContext } from '../../core/audit.js';
import { Conflict, Failed, Invalid, NotFound } from '../../core/errors.js';
import { uuid } from '../../core/ids.js';
import { configOf, diffConfig, encryptedSecretsIn, esvExists, placeholderRefs, restartStatus, restartWorkloads, type ConfigState, type ReportBody } from './deps.js';
import { activeLock, envLockState, inMaintenance, lockStateAt } from './lockState.js';
import { MAINTENANCE_MESSAGE } from './guard.js';
import { DEFAULT_TIMINGS, PHASES, type Actor, type Fault, type LockRecord, type LockState, type PromotionState, type Run, type StoredReport } from './model.js';
import { clone } from '../../core/clone.js';
import { raw } from '../../core/tracking.js';

export const SETTLE_JOB = 'promotion.settle';
const REPORT_LIMIT = 200;

export const MESSAGES = {
  alreadyLocked: (id: string) => `Environment is already locked for promotion ${id}`, // S4 L3297
  maintenance: MAINTENANCE_MESSAGE, // S4 L3318
  blocked: 'Environment is blocked from a previous failed promotion or rollback', // S4 L3517
  notLocked: 'Environment is not locked for promotion', // emulator choice (undocumented)
  running: (id: string) => `Promotion ${id} is already in progress`, // emulator choice (undocumented)
  wrongId: (id: string) => `Environment is locked for promotion ${id}`, // emulator choice (undocumented)
  notLockedUnlock: 'Environment is not locked', // emulator choice (undocumented)
  noRollback: 'There is no previous promotion to roll back', // emulator choice (undocumented)
};

const LOCK_DESCRIPTION: Record<LockState, string> = {
  unlocked: 'Environment unlocked',
  locking: 'Environment lock in progress',
  locked: 'Environment locked',
  unlocking: 'Environment unlock in progress',
  error: 'Environment lock failed', // emulator wording (state only reachable through fault injection)
};

export function emptyState(): PromotionState {
  return { lock: null, maintenance: false, blocked: null, run: null, fault: null, lockFault: null, reports: [], rollback: null, timings: { ...DEFAULT_TIMINGS } };
}

export function stateOf(env: Environment): PromotionState {
  let st = env.state.promotion as PromotionState | undefined;
  if (!st) env.state.promotion = st = emptyState();
  return st;
}

/** S4 L3184: "The API uses a pull model ... run against the upper environment": the env must have a lower one. */
export function pairOf(env: Environment): { upper: Environment; lower: Environment } {
  const lower = env.lowerEnv;
  if (!lower) throw new Invalid(`Environment ${env.name} has no lower environment: send promotion requests to the upper environment`);
  return { upper: env, lower };
}

/** S5 "one promotion at a time per group": every AIC environment of the tenant. */
function group(env: Environment): Environment[] {
  // one array for the emulator's life (Emulator.aicEnvironments; settle() asks on every request)
  return env.emulator.aicEnvironments;
}

export function actorOf(p: Principal): Actor {
  return { id: p.id, type: p.type };
}

function principalOf(a: Actor): Principal {
  return { id: a.id, type: a.type, scopes: [], authorities: [], tokenId: '', claims: {} };
}

/** `2024-06-12T17:12:32Z` (S4 examples: seconds, no fraction). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** S4 L3563: `Report_2024-06-12T17-32+00Z_dryrun=false_<promotionId>`. */
export function reportName(createdDate: number, dryRun: boolean, promotionId: string): string {
  const d = new Date(createdDate).toISOString();
  return `Report_${d.slice(0, 10)}T${d.slice(11, 13)}-${d.slice(14, 16)}+00Z_dryrun=${dryRun}_${promotionId}`;
}

function schedule(env: Environment, at: number): void {
  if (env.jobs.pending().some((j) => j.kind === SETTLE_JOB && j.dueAt === at)) return;
  env.jobs.schedule(SETTLE_JOB, at, {});
}

function log(env: Environment, by: Actor, txId: string, action: string, promotionId: string, details: Record<string, unknown> = {}, status: 'SUCCESS' | 'FAILURE' = 'SUCCESS'): void {
  auditActivity(env, { txId, principal: principalOf(by) }, { objectId: `environment/promotion/${promotionId}`, operation: 'ACTION', status, message: action, details: { action, promotionId, ...details } });
}

// ---------------------------------------------------------------- settling (clock-driven transitions)

/** Bring every environment of the group up to the clock: finish due phases, announce lock transitions. */
export function settle(env: Environment): void {
  for (const e of group(env)) {
    // a state still to be seeded has nothing to settle (Emulator defers only a seed without a lock or a run)
    if (e.store.deferred) continue;
    const st = e.state.promotion as PromotionState | undefined;
    if (!st) continue;
    // nothing to settle without a lock or a running run (every request asks: read on the raw object, without a
    // change-tracking proxy trap per field; issue #17)
    const now = raw(st);
    if (!now.lock && !(now.run && now.run.status === 'RUNNING')) continue;
    const lock = st.lock;
    // in clock order: the lock completed before any run under it started
    if (lock && !lock.announced && e.clock.now() >= lock.lockedAt && (lock.unlockRequestedAt === undefined || lock.unlockRequestedAt >= lock.lockedAt)) {
      lock.announced = true;
      e.changed();
      if (lock.failed) log(e, lock.by, `lock-${lock.promotionId}`, LOCK_DESCRIPTION.error, lock.promotionId, { state: 'error' }, 'FAILURE');
      else log(e, lock.by, `lock-${lock.promotionId}`, 'Environment locked', lock.promotionId, { state: 'locked' });
    }
    let guard = 0;
    while (st.run && st.run.status === 'RUNNING' && e.clock.now() >= st.run.phaseEndsAt && guard++ < 16) step(e, st, st.run, st.run.phaseEndsAt);
    if (st.lock && lockStateAt(st.lock, e.clock.now()) === 'unlocked') {
      const done = st.lock;
      st.lock = null;
      e.changed();
      log(e, done.unlockBy ?? done.by, `unlock-${done.promotionId}`, 'Environment unlocked', done.promotionId, { state: 'unlocked' });
    }
  }
}

function sourceConfig(upper: Environment, st: PromotionState, run: Run): ConfigState | undefined {
  if (run.type === 'rollback') return st.rollback?.config;
  const lower = upper.emulator.env(run.lower);
  return lower ? configOf(lower) : undefined;
}

function faultHits(fault: Fault | undefined, phase: string): boolean {
  if (!fault) return false;
  const configPhases: string[] = [PHASES.promote, PHASES.rollback];
  return fault.failAt === phase || (configPhases.includes(fault.failAt) && configPhases.includes(phase));
}

const FAILURE_MESSAGE: Record<string, Record<Run['type'], string>> = {
  [PHASES.prepare]: { promotion: 'Failed to prepare config', rollback: 'Failed to prepare config' },
  [PHASES.promote]: { promotion: 'Failed to promote config', rollback: 'Failed to rollback config' }, // S4 L3505, L3714
  [PHASES.rollback]: { promotion: 'Failed to promote config', rollback: 'Failed to rollback config' },
  [PHASES.restart]: { promotion: 'Failed to restart workloads', rollback: 'Failed to restart workloads' },
};

function setStatus(upper: Environment, run: Run, t: number, status: Run['status'], message: string, extra: Partial<Run> = {}): void {
  Object.assign(run, { status, message, timeStamp: t }, extra);
  upper.changed();
  log(upper, run.by, run.txId, message, run.promotionId, { type: run.type, status, dryRun: run.dryRun, ...(extra.missingESVs ? { missingESVs: extra.missingESVs } : {}), ...(extra.encryptedSecrets ? { encryptedSecrets: extra.encryptedSecrets } : {}) }, status === 'ERROR' ? 'FAILURE' : 'SUCCESS');
}

function nextPhase(upper: Environment, run: Run, t: number, phase: string, endsAt: number): void {
  run.phaseEndsAt = endsAt;
  setStatus(upper, run, t, 'RUNNING', phase);
  schedule(upper, endsAt);
}

function complete(upper: Environment, st: PromotionState, run: Run, t: number, changed: boolean): void {
  const message = run.type === 'rollback' ? 'Rollback completed' : changed ? 'Promotion completed' : 'Promotion completed (no change)';
  setStatus(upper, run, t, 'READY', message);
  if (run.unlockAfter && st.lock && st.lock.promotionId === run.promotionId) startUnlock(upper, st.lock, t, run.by, run.txId);
}

/** Finish the phase `run.message` at emulator time `t`. */
function step(upper: Environment, st: PromotionState, run: Run, t: number): void {
  const phase = run.message;
  if (faultHits(run.fault, phase)) {
    const fault = run.fault!;
    const message = fault.message ?? FAILURE_MESSAGE[phase]?.[run.type] ?? `Failed: ${phase}`;
    run.fault = undefined;
    if (fault.blocking) st.blocked = { promotionId: run.promotionId, message };
    setStatus(upper, run, t, 'ERROR', message, { blockingError: fault.blocking });
    return;
  }
  // the restart phase needs no source (a rollback has consumed its rollback point by then)
  if (phase === PHASES.restart) {
    if (restartStatus(upper) === 'restarting') {
      const retry = upper.clock.now() + 1_000;
      run.phaseEndsAt = retry;
      schedule(upper, retry);
      return;
    }
    return complete(upper, st, run, t, true);
  }
  const source = sourceConfig(upper, st, run);
  if (!source) {
    setStatus(upper, run, t, 'ERROR', run.type === 'rollback' ? MESSAGES.noRollback : 'Lower environment not found', { blockingError: false });
    return;
  }
  const timings = { ...DEFAULT_TIMINGS, ...st.timings };
  if (phase === PHASES.prepare) {
    // S4 "Integrity check for missing ESVs": whole configuration, promotion and rollback; a `|default` needs no ESV
    const missing = [...placeholderRefs(source).values()].filter((r) => !r.hasDefault && !esvExists(upper, r.esv)).map((r) => r.name).sort();
    if (missing.length) return setStatus(upper, run, t, 'ERROR', 'Missing ESVs', { blockingError: false, missingESVs: missing });
    // S4 "Integrity check for encrypted secrets": promotion only, bypassed by ignoreEncryptedSecrets (S4 L3470–3500)
    if (run.type === 'promotion' && !run.ignoreEncryptedSecrets) {
      const found = encryptedSecretsIn(source);
      if (found.length) return setStatus(upper, run, t, 'ERROR', 'Found encrypted values in the AM/IDM configuration', { blockingError: false, encryptedSecrets: found });
    }
    return nextPhase(upper, run, t, run.type === 'rollback' ? PHASES.rollback : PHASES.promote, t + timings.promoteMs);
  }
  if (phase === PHASES.promote || phase === PHASES.rollback) {
    const current = configOf(upper);
    // a promotion report lists what moves lower → upper; a rollback report what is reverted (previous → current)
    const diff = run.type === 'promotion' ? diffConfig(current, source) : diffConfig(source, current);
    const report: StoredReport = { reportId: uuid(), promotionId: run.promotionId, createdDate: t, type: run.type, dryRun: run.dryRun, report: diff.report };
    if (run.promoter !== undefined) report.promoter = run.promoter;
    if (run.promotionDescription !== undefined) report.promotionDescription = run.promotionDescription;
    st.reports.push(report);
    if (st.reports.length > REPORT_LIMIT) st.reports.splice(0, st.reports.length - REPORT_LIMIT);
    run.reportId = report.reportId;
    if (run.dryRun) return complete(upper, st, run, t, diff.changed);
    if (run.type === 'rollback') st.rollback = null;
    if (!diff.changed) return complete(upper, st, run, t, false);
    if (run.type === 'promotion') st.rollback = { promotionId: run.promotionId, reportId: report.reportId, createdDate: t, config: clone(current) };
    upper.state.config = clone(source);
    upper.changed();
    auditActivity(upper, { txId: run.txId, principal: principalOf(run.by) }, { source: 'idm-config', objectId: 'config', operation: 'UPDATE', message: run.type === 'rollback' ? 'Configuration rolled back' : `Configuration promoted from ${run.lower}`, details: { promotionId: run.promotionId, reportId: report.reportId, report: diff.report } });
    // S4 L3526: real runs restart the upper environment's workloads (ESVs become loaded)
    const restartDone = restartWorkloads(upper, t) ?? t + timings.restartMs;
    return nextPhase(upper, run, t, PHASES.restart, Math.max(restartDone, t));
  }
}

// ---------------------------------------------------------------- lock

function envView(env: Environment): { promotionId?: string; state: LockState } {
  const lock = activeLock(env);
  if (lock) return { promotionId: lock.promotionId, state: envLockState(env) };
  if (inMaintenance(env)) return { state: 'locked' };
  return { state: 'unlocked' };
}

/** S4 L3262–3365: `{description, lowerEnv, promotionId?, result, upperEnv}`; the summary follows the upper environment. */
export function lockStateView(env: Environment) {
  const { upper, lower } = pairOf(env);
  const u = envView(upper);
  const l = envView(lower);
  return { description: LOCK_DESCRIPTION[u.state], lowerEnv: l, ...(u.promotionId ? { promotionId: u.promotionId } : {}), result: u.state, upperEnv: u };
}

export function lock(env: Environment, ctx: AuditContext & { principal: Principal }) {
  const { upper, lower } = pairOf(env);
  // S4 L3318: the operator's maintenance lock
  if (inMaintenance(upper) || inMaintenance(lower)) throw new Conflict(MESSAGES.maintenance);
  // S4 L3136: one promotion or rollback at a time in the group
  for (const e of group(env)) {
    const held = activeLock(e);
    if (held) throw new Conflict(MESSAGES.alreadyLocked(held.promotionId));
  }
  const st = stateOf(upper);
  const lockFault = st.lockFault;
  if (lockFault) {
    st.lockFault = null;
    upper.changed();
    // S4 L3327: "If the lock request causes an unexpected error, the response code has a value of 500"
    if (lockFault.failAt === 'lock') throw new Failed(lockFault.message ?? 'Unexpected error while locking the environments');
  }
  const now = upper.clock.now();
  const timings = { ...DEFAULT_TIMINGS, ...st.timings };
  const record: LockRecord = { promotionId: uuid(), lower: lower.name, upper: upper.name, requestedAt: now, lockedAt: now + timings.lockMs, by: actorOf(ctx.principal), ...(lockFault?.failAt === 'locking' ? { failed: true } : {}) };
  st.lock = record;
  stateOf(lower).lock = clone(record);
  // S4 L3375, L3604: a fresh lock shows "Environment ready for promotion" (a blocking error stays until unblocked)
  if (!st.blocked) st.run = null;
  upper.changed();
  lower.changed();
  schedule(upper, record.lockedAt);
  for (const e of [upper, lower]) log(e, record.by, ctx.txId, 'Environment lock in progress', record.promotionId, { state: 'locking', lower: lower.name, upper: upper.name });
  return { description: LOCK_DESCRIPTION.locking, promotionId: record.promotionId, result: 'locking' as const };
}

function startUnlock(upper: Environment, record: LockRecord, at: number, by: Actor, txId: string): void {
  const timings = { ...DEFAULT_TIMINGS, ...stateOf(upper).timings };
  const unlockedAt = Math.max(at, record.lockedAt) + timings.unlockMs;
  for (const name of [record.upper, record.lower]) {
    const e = upper.emulator.env(name);
    const rec = e && stateOf(e).lock;
    if (!e || !rec || rec.promotionId !== record.promotionId) continue;
    rec.unlockRequestedAt = at;
    rec.unlockedAt = unlockedAt;
    rec.unlockBy = by;
    e.changed();
    log(e, by, txId, 'Environment unlock in progress', record.promotionId, { state: 'unlocking' });
  }
  schedule(upper, unlockedAt);
}

export function unlock(env: Environment, promotionId: string, ctx: AuditContext & { principal: Principal }) {
  const { upper } = pairOf(env);
  const st = stateOf(upper);
  const held = activeLock(upper);
  if (!held) throw new Conflict(MESSAGES.notLockedUnlock);
  if (held.promotionId !== promotionId || held.upper !== upper.name) throw new Conflict(MESSAGES.wrongId(held.promotionId));
  if (st.run && st.run.status === 'RUNNING' && st.run.promotionId === promotionId) throw new Conflict(MESSAGES.running(promotionId));
  if (held.unlockRequestedAt === undefined) {
    startUnlock(upper, held, upper.clock.now(), actorOf(ctx.principal), ctx.txId);
  }
  // S4 L3777
  return { description: LOCK_DESCRIPTION.unlocking, promotionId, result: 'unlocking' as const };
}

// ---------------------------------------------------------------- promote / rollback

export interface PromoteRequest {
  dryRun: boolean;
  ignoreEncryptedSecrets?: boolean;
  promoter?: string;
  promotionDescription?: string;
  unlockEnvironmentsAfterPromotion?: boolean;
}

export function start(env: Environment, type: Run['type'], body: PromoteRequest, ctx: AuditContext & { principal: Principal }) {
  const { upper, lower } = pairOf(env);
  const st = stateOf(upper);
  // S4 L3517: after a blocking error every promotion or rollback is refused
  if (st.blocked) throw new Conflict(MESSAGES.blocked);
  const held = activeLock(upper);
  if (!held || held.upper !== upper.name || envLockState(upper) !== 'locked') throw new Conflict(MESSAGES.notLocked);
  if (st.run && st.run.status === 'RUNNING') throw new Conflict(MESSAGES.running(st.run.promotionId));
  if (type === 'rollback' && !st.rollback) throw new Conflict(MESSAGES.noRollback);
  const now = upper.clock.now();
  const timings = { ...DEFAULT_TIMINGS, ...st.timings };
  const run: Run = {
    promotionId: held.promotionId,
    type,
    dryRun: type === 'promotion' ? body.dryRun : false,
    ignoreEncryptedSecrets: body.ignoreEncryptedSecrets ?? false,
    unlockAfter: body.unlockEnvironmentsAfterPromotion ?? false,
    ...(body.promoter !== undefined ? { promoter: body.promoter } : {}),
    ...(body.promotionDescription !== undefined ? { promotionDescription: body.promotionDescription } : {}),
    lower: lower.name,
    startedAt: now,
    status: 'RUNNING',
    message: PHASES.prepare,
    blockingError: false,
    timeStamp: now,
    phaseEndsAt: now + timings.prepareMs,
    by: actorOf(ctx.principal),
    txId: ctx.txId,
  };
  if (st.fault) {
    run.fault = st.fault;
    st.fault = null;
  }
  st.run = run;
  upper.changed();
  schedule(upper, run.phaseEndsAt);
  log(upper, run.by, ctx.txId, type === 'rollback' ? 'Rollback process initiated' : 'Promotion process initiated', run.promotionId, { type, dryRun: run.dryRun, status: 'RUNNING' });
  // S4 L3416, L3660
  return { result: type === 'rollback' ? 'Rollback process initiated successfully' : 'Promotion process initiated successfully' };
}

/** S4 L3375–3560: the status body, keys in the documented order. */
export function statusView(env: Environment) {
  const { upper } = pairOf(env);
  const st = stateOf(upper);
  const lockState = envLockState(upper);
  const globalLock = lockState.toUpperCase();
  const held = activeLock(upper);
  const run = st.run;
  if (!run) {
    return {
      status: 'READY',
      message: 'Environment ready for promotion',
      blockingError: false,
      globalLock,
      ...(held ? { promotionId: held.promotionId } : {}),
      timeStamp: isoSeconds(held ? Math.min(held.lockedAt, upper.clock.now()) : upper.clock.now()),
      type: 'promotion',
    };
  }
  return {
    status: run.status,
    message: run.message,
    blockingError: run.blockingError,
    ...(run.missingESVs ? { missingESVs: run.missingESVs } : {}),
    globalLock,
    ...(run.encryptedSecrets ? { encryptedSecrets: run.encryptedSecrets } : {}),
    promotionId: run.promotionId,
    timeStamp: isoSeconds(run.timeStamp),
    type: run.type,
  };
}

// ---------------------------------------------------------------- reports

function fullReport(r: StoredReport) {
  return { createdDate: isoSeconds(r.createdDate), promotionId: r.promotionId, report: r.report, reportId: r.reportId, reportName: reportName(r.createdDate, r.dryRun, r.promotionId), type: r.type };
}

export function latestReport(env: Environment) {
  const { upper } = pairOf(env);
  const last = stateOf(upper).reports.at(-1);
  if (!last) throw new NotFound('No promotion report found');
  return fullReport(last);
}

export function reportById(env: Environment, reportId: string) {
  const { upper } = pairOf(env);
  const r = stateOf(upper).reports.find((x) => x.reportId === reportId);
  if (!r) throw new NotFound(`Report ${reportId} not found`);
  return fullReport(r);
}

/** S4 L3809: stubs, oldest first. */
export function listReports(env: Environment) {
  const { upper } = pairOf(env);
  return stateOf(upper).reports.map((r) => ({ createdDate: isoSeconds(r.createdDate), dryRun: r.dryRun, promotionId: r.promotionId, reportId: r.reportId, type: r.type }));
}

/** frodo-lib PromotionApi `/report/provisional`: the changes a promotion from the lower environment would make now. */
export function provisionalPromotion(env: Environment) {
  const { upper, lower } = pairOf(env);
  const now = upper.clock.now();
  const held = activeLock(upper);
  const promotionId = held?.promotionId ?? '';
  const diff = diffConfig(configOf(upper), configOf(lower));
  return { createdDate: isoSeconds(now), ...(held ? { promotionId } : {}), report: diff.report, reportId: uuid(), reportName: reportName(now, true, promotionId), type: 'provisional-promotion' };
}

/** S4 L3625: what a rollback would revert now, labelled with the promotion it undoes. */
export function provisionalRollback(env: Environment): { createdDate: string; promotionId: string; report: ReportBody; reportId: string; reportName: string; type: 'provisional-rollback' } {
  const { upper } = pairOf(env);
  const base = stateOf(upper).rollback;
  if (!base) throw new NotFound('No rollback available: no promotion has been applied to this environment');
  const diff = diffConfig(base.config, configOf(upper));
  return { createdDate: isoSeconds(base.createdDate), promotionId: base.promotionId, report: diff.report, reportId: base.reportId, reportName: reportName(base.createdDate, false, base.promotionId), type: 'provisional-rollback' };
}

// ---------------------------------------------------------------- control plane

export function setFault(env: Environment, fault: Fault): void {
  pairOf(env);
  const st = stateOf(env);
  if (fault.failAt === 'lock' || fault.failAt === 'locking') st.lockFault = { failAt: fault.failAt, ...(fault.message ? { message: fault.message } : {}) };
  else st.fault = fault;
  env.changed();
}

export function setTimings(env: Environment, timings: Partial<PromotionState['timings']>): void {
  const st = stateOf(env);
  st.timings = { ...DEFAULT_TIMINGS, ...st.timings, ...timings };
  env.changed();
}

export function envLockSummary(env: Environment): { promotionId?: string; state: LockState } {
  return envView(env);
}

export function setMaintenance(env: Environment, locked: boolean): void {
  stateOf(env).maintenance = locked;
  env.changed();
}

export function unblock(env: Environment): boolean {
  const st = stateOf(env);
  const was = !!st.blocked;
  st.blocked = null;
  if (was && st.run?.status === 'ERROR' && st.run.blockingError) st.run = null;
  env.changed();
  return was;
}
