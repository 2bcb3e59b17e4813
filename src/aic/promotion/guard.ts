// The promotion lock as other areas see it (S4 L3136–3140): while an environment is locked (or locking/unlocking)
// for a promotion, its ESV API is blocked and configuration writes are refused; authentication keeps working.
// Other areas import only these functions; the promotion area owns the state behind them (lockState.ts).
import type { Environment } from '../../environment.js';
import { EnvironmentLocked } from '../errors.js';
import { activeLock, envLockState, inMaintenance, promotionSlice } from './lockState.js';

export interface LockView {
  state: 'unlocked' | 'locking' | 'locked' | 'unlocking' | 'error';
  promotionId?: string;
}

/** S4 L3318: the operator's maintenance lock message. */
export const MAINTENANCE_MESSAGE = 'Environment is locked by Ping Identity for maintenance. Retry later.';

/** This environment's own lock state (derived from its lock record and the clock; maintenance shows as locked). */
export function lockOf(env: Environment): LockView {
  const lock = activeLock(env);
  if (lock) return { state: envLockState(env), promotionId: lock.promotionId };
  if (inMaintenance(env)) return { state: 'locked' };
  return { state: 'unlocked' };
}

/** S4 L3140: locking blocks access to the ESV API in both environments of the promotion. */
export function assertEsvWritable(env: Environment): void {
  const lock = lockOf(env);
  if (lock.state === 'unlocked') return;
  if (!lock.promotionId) throw new EnvironmentLocked(MAINTENANCE_MESSAGE);
  throw new EnvironmentLocked(`Environment is locked for promotion ${lock.promotionId}`);
}

/** S4 L3136: locked environments refuse configuration changes. */
export function assertConfigWritable(env: Environment): void {
  assertEsvWritable(env);
}

/** Whether a (non-dry-run) promotion has completed into this environment (`/environment/info` config_promotion_done). */
export function configPromotionDone(env: Environment): boolean {
  return (promotionSlice(env)?.reports ?? []).some((r) => r.type === 'promotion' && !r.dryRun);
}
