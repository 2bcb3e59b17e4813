// Control-plane operations shared by the admin API (and any UI): descriptions of environments and credentials.
import type { Emulator } from '../emulator.js';
import type { Environment } from '../environment.js';

export function describeEnvironment(env: Environment) {
  return { name: env.name, product: env.product, url: env.url, lower: env.lower, upper: env.upper };
}

export function listEnvironments(emulator: Emulator) {
  return { environments: emulator.environments.map(describeEnvironment) };
}

/** Working default credentials of every environment, gathered from each area (GET /__emulator/credentials). */
export function credentials(emulator: Emulator) {
  const environments: Record<string, Record<string, unknown>> = {};
  for (const env of emulator.environments) {
    const out: Record<string, unknown> = {};
    for (const area of env.areas) Object.assign(out, area.credentials?.(env) ?? {});
    environments[env.name] = out;
  }
  return { environments };
}
