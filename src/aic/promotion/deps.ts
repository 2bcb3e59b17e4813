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
  startRestart(env, at);
  const completesAt = esvState(env)?.restart?.completesAt;
  return completesAt ? Date.parse(completesAt) : undefined;
}
