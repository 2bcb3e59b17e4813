// What promotion needs from its neighbours, in one place: config views (config area) and ESV presence and
// workload restarts (ESV area: `{variables, secrets, restart}` slice; see esv/service.ts).
export type { ConfigState } from '../config/model.js';
export type { ReportBody, ReportEntry } from '../config/service.js';
export { configOf, diffConfig, encryptedSecretsIn, placeholderRefs } from '../config/service.js';
import type { Environment } from '../../environment.js';

import { esvExists, esvState, restartStatus, restartWorkloads as startRestart } from '../esv/service.js';

export { esvExists, restartStatus };

/**
 * Restart the environment's workloads through the ESV area (ESVs become `loaded`), as if started at emulator time
 * `at` (a run settled late, e.g. after a process restart, must not restart later than the clock says it did).
 * Returns when the restart completes (emulator ms), or undefined when no completion time is known.
 */
export function restartWorkloads(env: Environment, at: number = env.clock.now()): number | undefined {
  startRestart(env);
  const restart = esvState(env)?.restart;
  if (!restart?.completesAt) return undefined;
  const startedAt = restart.startedAt ? Date.parse(restart.startedAt) : env.clock.now();
  if (at < startedAt && restart.durationMs >= 0) {
    // back-date the restart this call just started (RestartState is the ESV area's documented slice shape)
    const completesAt = Math.max(at + restart.durationMs, at);
    restart.startedAt = new Date(at).toISOString();
    restart.completesAt = new Date(completesAt).toISOString();
    env.changed();
  }
  return Date.parse(restart.completesAt);
}
