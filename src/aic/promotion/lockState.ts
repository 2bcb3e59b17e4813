// The lock state of one environment, derived from its lock record and the clock (no stored state machine:
// a restart or a clock jump always yields the right state). Kept free of other imports: guard.ts uses it.
import type { Environment } from '../../environment.js';
import type { LockRecord, LockState, PromotionState } from './model.js';

export function promotionSlice(env: Environment): PromotionState | undefined {
  return env.state.promotion as PromotionState | undefined;
}

export function lockStateAt(lock: LockRecord | null | undefined, now: number): LockState {
  if (!lock) return 'unlocked';
  if (lock.unlockRequestedAt !== undefined) return lock.unlockedAt !== undefined && now >= lock.unlockedAt ? 'unlocked' : 'unlocking';
  if (now < lock.lockedAt) return 'locking';
  return lock.failed ? 'error' : 'locked';
}

/** The environment's active lock (undefined once unlocked). */
export function activeLock(env: Environment): LockRecord | undefined {
  const lock = promotionSlice(env)?.lock;
  return lock && lockStateAt(lock, env.clock.now()) !== 'unlocked' ? lock : undefined;
}

export function envLockState(env: Environment): LockState {
  return lockStateAt(promotionSlice(env)?.lock, env.clock.now());
}

export function inMaintenance(env: Environment): boolean {
  return promotionSlice(env)?.maintenance === true;
}
