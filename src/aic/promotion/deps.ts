// What promotion needs from its neighbours, in one place: config views (config area) and ESV presence and
// workload restarts (ESV area: `{variables, secrets, restart}` slice; see esv/service.ts).
export type { ConfigState } from '../config/model.js';
export type { ReportBody, ReportEntry } from '../config/service.js';
export { configOf, diffConfig, encryptedSecretsIn, placeholderRefs } from '../config/service.js';
import type { Environment } from '../../environment.js';

interface EsvSliceView {
  variables?: Array<{ _id: string }>;
  secrets?: Array<{ _id: string }>;
  restart?: { restartStatus?: string; completesAt?: string | null };
}

/** Is an ESV (variable or secret) named `name` set in `env`? */
export function esvExists(env: Environment, name: string): boolean {
  const s = env.state.esv as EsvSliceView | undefined;
  return !!(s?.variables?.some((v) => v._id === name) || s?.secrets?.some((v) => v._id === name));
}

/**
 * Restart the environment's workloads (ESVs become `loaded`); returns when the restart completes (emulator ms),
 * or undefined when the ESV area offers no restart (promotion then waits its own `restartMs`).
 */
export function restartWorkloads(env: Environment): number | undefined {
  void env;
  return undefined;
}

/** `restarting` while the environment's workloads restart (ESV area's restart status), else `ready`. */
export function restartStatus(env: Environment): 'ready' | 'restarting' {
  const s = env.state.esv as EsvSliceView | undefined;
  return s?.restart?.restartStatus === 'restarting' ? 'restarting' : 'ready';
}
