// The promotion lock as other areas see it (S4 L3136–3140): while an environment is locked (or locking/unlocking)
// for a promotion, its ESV API is blocked and configuration writes are refused; authentication keeps working.
// Other areas import only these functions; the promotion area owns the state behind them.
import type { Environment } from '../../environment.js';
import { envError } from '../../core/errors.js';

export interface LockView {
  state: 'unlocked' | 'locking' | 'locked' | 'unlocking' | 'error';
  promotionId?: string;
}

/** This environment's own lock state (the promotion area keeps it at env.state.promotion.lock). */
export function lockOf(env: Environment): LockView {
  const lock = (env.state.promotion as { lock?: LockView } | undefined)?.lock;
  return lock ?? { state: 'unlocked' };
}

export function isLocked(env: Environment): boolean {
  return lockOf(env).state !== 'unlocked';
}

/** S4 L3140: locking blocks access to the ESV API in both environments of the promotion. */
export function assertEsvWritable(env: Environment): void {
  const lock = lockOf(env);
  if (lock.state !== 'unlocked') throw envError(409, `Environment is locked for promotion ${lock.promotionId ?? ''}`.trim());
}

/** S4 L3136: locked environments refuse configuration changes. */
export function assertConfigWritable(env: Environment): void {
  assertEsvWritable(env);
}
