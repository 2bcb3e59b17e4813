// ESV restart (S4 L1743–1760 "Apply updates"): a job on the emulator clock; what is pending and the counts.
import type { RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { Invalid } from '../../core/errors.js';
import { auditActivity } from '../../core/audit.js';
import { raw } from '../../core/tracking.js';
import type { Secret, Variable } from './model.js';
import { esvState, MSG, RESTART_JOB } from './state.js';

// ---------------------------------------------------------------- restart (S4 L1743–1760 "Apply updates")

/** Finish a restart whose time has come: every ESV is loaded, secrets at their active version. */
export function settleRestart(env: Environment): void {
  const st = esvState(env);
  // read on the raw objects (every ESV request asks; issue #17: no change-tracking proxy trap per field)
  if (!st || raw(st).restart.restartStatus !== 'restarting') return;
  const due = st.restart.completesAt ? Date.parse(st.restart.completesAt) : 0;
  if (env.clock.now() < due) return;
  for (const v of st.variables) v.loaded = true;
  for (const s of st.secrets) {
    s.loaded = true;
    s.loadedVersion = s.activeVersion;
  }
  st.restart.restartStatus = 'ready';
  env.changed();
  env.log('idm-core', { message: 'ESV restart completed: configuration reloaded', variables: st.variables.length, secrets: st.secrets.length });
}

/** Contract with promotion: 'ready' | 'restarting' (derived from the clock, so it never sticks). */
export function restartStatus(env: Environment): 'ready' | 'restarting' {
  settleRestart(env);
  return raw(esvState(env)).restart.restartStatus;
}

/** Contract with promotion: start the same asynchronous restart as POST /environment/startup?_action=restart (no-op if one runs). */
/**
 * Start the asynchronous workload restart (ESVs become loaded when it completes). `at` back-dates the start for a
 * caller settling work late (a promotion resumed after a process restart restarts when the clock says it did).
 */
export function restartWorkloads(env: Environment, at: number = env.clock.now()): void {
  if (restartStatus(env) === 'restarting') return;
  const st = esvState(env);
  const start = Math.min(at, env.clock.now());
  const due = start + st.restart.durationMs;
  st.restart = { ...st.restart, restartStatus: 'restarting', startedAt: new Date(start).toISOString(), completesAt: new Date(due).toISOString() };
  env.jobs.schedule(RESTART_JOB, due, {});
  env.changed();
}

/** POST /environment/startup?_action=restart: a second restart while one runs is refused. */
export function requestRestart(env: Environment, actor: RequestActor): { restartStatus: 'restarting' } {
  if (restartStatus(env) === 'restarting') throw new Invalid(MSG.restartInProgress);
  restartWorkloads(env);
  auditActivity(env, actor, { objectId: 'environment/startup', operation: 'ACTION', details: { action: 'restart' } });
  return { restartStatus: 'restarting' };
}

/** S4 L1743: while updates are applied, further ESV changes are prevented. */
export function assertNotRestarting(env: Environment): void {
  if (restartStatus(env) === 'restarting') throw new Invalid(MSG.changesDuringRestart);
}

// ---------------------------------------------------------------- count, release

/** ESVs changed since the last restart: variables not loaded; placeholder secrets whose active version is not loaded. */
export function variablePending(v: Variable): boolean {
  return !v.loaded;
}

export function secretPending(s: Secret): boolean {
  return s.useInPlaceholders && (!s.loaded || s.loadedVersion !== s.activeVersion);
}

/** GET /environment/count[?_onlyPending=true]. */
export function esvCount(env: Environment, onlyPending = false): { secrets: number; variables: number } {
  const st = esvState(env);
  if (!onlyPending) return { secrets: st.secrets.length, variables: st.variables.length };
  return { secrets: st.secrets.filter(secretPending).length, variables: st.variables.filter(variablePending).length };
}
