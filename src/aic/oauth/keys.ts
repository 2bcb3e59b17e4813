// Log API keys (S4 L13900–13935): created with a name, the secret shown once; they authenticate /monitoring/logs*
// through x-api-key / x-api-secret (the logs area reads env.slice('credentials').logApiKeys).
import { randomBytes } from 'node:crypto';
import type { Environment } from '../../environment.js';
import { crestError } from '../../core/errors.js';
import { credentialsState } from './service.js';
import type { LogApiKey } from './model.js';

export function keyView(k: LogApiKey): Record<string, unknown> {
  return { _id: k.id, api_key_id: k.id, name: k.name, created_at: k.createdAt ?? null };
}

export function createLogApiKey(env: Environment, body: unknown): Record<string, unknown> {
  const name = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
  if (typeof name !== 'string' || !name.trim()) throw crestError(400, 'name is required');
  const key: LogApiKey = {
    id: randomBytes(16).toString('hex'),
    secret: randomBytes(32).toString('hex'),
    name,
    createdAt: env.clock.nowIso(),
  };
  credentialsState(env).logApiKeys.push(key);
  env.changed();
  // S4 L13925: "You cannot view the api_key_secret value again"
  return { _id: key.id, api_key_id: key.id, api_key_secret: key.secret, name: key.name, created_at: key.createdAt };
}

export function listLogApiKeys(env: Environment) {
  const result = credentialsState(env).logApiKeys.map(keyView);
  return { result, resultCount: result.length, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: -1 };
}

export function getLogApiKey(env: Environment, id: string): Record<string, unknown> {
  const k = credentialsState(env).logApiKeys.find((x) => x.id === id);
  if (!k) throw crestError(404, `API key ${id} not found`);
  return keyView(k);
}

export function deleteLogApiKey(env: Environment, id: string): Record<string, unknown> {
  const list = credentialsState(env).logApiKeys;
  const i = list.findIndex((k) => k.id === id);
  if (i < 0) throw crestError(404, `API key ${id} not found`);
  const [k] = list.splice(i, 1);
  env.changed();
  return keyView(k!);
}
