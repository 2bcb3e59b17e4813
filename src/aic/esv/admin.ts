// Control plane for ESVs: read what a secret version holds (the product API never returns values, but a test of a
// pipeline needs to check what it stored) and the restart state. Paths are relative to /__emulator.
import type { EnvApp } from '../../core/types.js';
import { ApiError } from '../../core/errors.js';
import type { Emulator } from '../../emulator.js';
import type { Environment } from '../../environment.js';
import { esvState, findSecret, restartStatus } from './service.js';

function aicEnv(emulator: Emulator, name: string | undefined, fallback: Environment): Environment {
  const env = name ? emulator.env(name) : fallback;
  if (!env || env.product !== 'aic') throw new ApiError(404, { error: `no AIC environment ${name ?? fallback.name}` });
  return env;
}

export function esvAdminRoutes(admin: EnvApp, emulator: Emulator): void {
  // GET /__emulator/esv/secrets/{name}/value?env=dev[&version=N]: the active (or given) version's value
  admin.get('/esv/secrets/:name/value', (c) => {
    const env = aicEnv(emulator, c.req.query('env'), c.get('env'));
    const secret = findSecret(env, c.req.param('name'));
    if (!secret) throw new ApiError(404, { error: `no secret ${c.req.param('name')} in ${env.name}` });
    const wanted = c.req.query('version') ?? secret.activeVersion;
    const version = secret.versions.find((v) => v.version === wanted);
    if (!version) throw new ApiError(404, { error: `secret ${secret._id} has no version ${wanted}` });
    const value = Buffer.from(version.valueBase64, 'base64').toString('utf8');
    return c.json({ env: env.name, _id: secret._id, version: version.version, status: version.status, valueBase64: version.valueBase64, value });
  });
  // GET /__emulator/esv/restart?env=dev: restart state with its timing
  admin.get('/esv/restart', (c) => {
    const env = aicEnv(emulator, c.req.query('env'), c.get('env'));
    restartStatus(env);
    return c.json({ env: env.name, ...esvState(env).restart });
  });
}
