// /v3/personal-access-tokens rules (contract reference/isc: listPersonalAccessTokens, createPersonalAccessToken,
// patchPersonalAccessToken, deletePersonalAccessToken). The secret is returned only by create.
import { randomBytes } from 'node:crypto';
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { Invalid, iscError } from '../../core/errors.js';
import { forbidden } from '../shared/errors.js';
import { findIdentity } from '../identities/service.js';
import { findPat, iscCredentials, invalidatePats } from './service.js';
import type { PersonalAccessToken } from './model.js';

const SIX_MONTHS_MS = 183 * 86_400_000;

const isAdmin = (p: Principal) => p.authorities.includes('ORG_ADMIN');



function notFound(id: string) {
  return iscError(404, `Personal access token ${id} was not found.`, '404 Not found');
}

/** PATs are userAuth only (contract security): a client-credentials token has no user to own them. */
function requireUser(p: Principal): void {
  if (p.type !== 'identity') throw forbidden();
}

export function patView(env: Environment, pat: PersonalAccessToken) {
  const owner = findIdentity(env, pat.ownerId);
  return {
    id: pat.id,
    name: pat.name,
    scope: pat.scope,
    owner: { type: 'IDENTITY' as const, id: pat.ownerId, name: owner?.displayName ?? owner?.name ?? pat.ownerId },
    created: pat.created,
    lastUsed: pat.lastUsed,
    managed: pat.managed,
    accessTokenValiditySeconds: pat.accessTokenValiditySeconds,
    // contract: a string when present; PATs from before expiry existed have none (they never expire, S1 thread)
    ...(pat.expirationDate ? { expirationDate: pat.expirationDate } : {}),
  };
}

/** `filters` supports what the contract lists: `lastUsed le <date-time>` and `lastUsed isnull`. */
function parseFilters(filters: string | undefined): (p: PersonalAccessToken) => boolean {
  if (filters === undefined || !filters.trim()) return () => true;
  const f = filters.trim();
  if (/^lastUsed\s+isnull$/i.test(f)) return (p) => p.lastUsed === null;
  const m = /^lastUsed\s+le\s+"?([^"]+)"?$/i.exec(f);
  if (m) {
    const t = Date.parse(m[1]!);
    if (Number.isNaN(t)) throw new Invalid(`Invalid filter value: ${m[1]}`);
    return (p) => p.lastUsed !== null && Date.parse(p.lastUsed) <= t;
  }
  throw new Invalid(`Invalid filter: ${filters}. Filtering is supported for lastUsed (le, isnull).`);
}

export function listPats(env: Environment, p: Principal, ownerId: string | undefined, filters: string | undefined) {
  requireUser(p);
  // contract: owner-id "me" needs my-PAT rights; an explicit owner or none needs all-PAT rights (ORG_ADMIN)
  const target = ownerId === 'me' ? p.id : ownerId;
  if (target !== p.id && !isAdmin(p)) throw forbidden();
  const match = parseFilters(filters);
  return iscCredentials(env)
    .personalAccessTokens.filter((t) => (target === undefined || t.ownerId === target) && (!t.managed || isAdmin(p)) && match(t))
    .map((t) => patView(env, t));
}

interface CreateBody {
  name?: unknown;
  scope?: unknown;
  accessTokenValiditySeconds?: unknown;
  expirationDate?: unknown;
}

export function createPat(env: Environment, p: Principal, body: unknown) {
  requireUser(p);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Invalid('The request body must be a JSON object.');
  const b = body as CreateBody;
  if (typeof b.name !== 'string' || !b.name.trim()) throw new Invalid("Required field 'name' was missing or empty.");
  if (b.scope !== undefined && b.scope !== null && (!Array.isArray(b.scope) || !b.scope.every((s) => typeof s === 'string'))) throw new Invalid("Field 'scope' must be an array of strings.");
  let validity = 43200;
  if (b.accessTokenValiditySeconds !== undefined && b.accessTokenValiditySeconds !== null) {
    const v = b.accessTokenValiditySeconds;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 15 || v > 43200) throw new Invalid("Field 'accessTokenValiditySeconds' must be an integer between 15 and 43200.");
    validity = v;
  }
  const now = env.clock.now();
  let expiration = new Date(now + SIX_MONTHS_MS).toISOString();
  if (b.expirationDate !== undefined && b.expirationDate !== null) {
    const t = typeof b.expirationDate === 'string' ? Date.parse(b.expirationDate) : NaN;
    // contract: "between the current date and 6 months from the creation date"
    if (Number.isNaN(t) || t <= now || t > now + SIX_MONTHS_MS) throw new Invalid("Field 'expirationDate' must be a date-time between now and 6 months from now.");
    expiration = new Date(t).toISOString();
  }
  const list = iscCredentials(env).personalAccessTokens;
  // contract: "Cannot be the same as another PAT owned by the user"
  if (list.some((t) => t.ownerId === p.id && t.name === b.name)) throw new Invalid(`A personal access token named '${b.name}' already exists for this user.`);
  const pat: PersonalAccessToken = {
    id: randomBytes(16).toString('hex'),
    name: b.name,
    secret: randomBytes(32).toString('hex'),
    ownerId: p.id,
    scope: Array.isArray(b.scope) && b.scope.length ? (b.scope as string[]) : ['sp:scopes:all'],
    created: new Date(now).toISOString(),
    lastUsed: null,
    managed: false,
    accessTokenValiditySeconds: validity,
    expirationDate: expiration,
  };
  list.push(pat);
  invalidatePats(env);
  env.changed();
  const view = patView(env, pat);
  return { id: pat.id, secret: pat.secret, scope: pat.scope, name: pat.name, owner: view.owner, created: pat.created, accessTokenValiditySeconds: validity, expirationDate: expiration };
}

export function patchPat(env: Environment, p: Principal, id: string, ops: unknown) {
  requireUser(p);
  const pat = findPat(env, id);
  if (!pat) throw notFound(id);
  // contract: sp:my-personal-access-tokens:manage only — the owner patches their own
  if (pat.ownerId !== p.id) throw forbidden();
  if (!Array.isArray(ops) || !ops.length) throw new Invalid('The request body must be a non-empty JSON Patch array.');
  let name = pat.name;
  let scope = pat.scope;
  for (const op of ops as Array<{ op?: unknown; path?: unknown; value?: unknown }>) {
    if (op?.op !== 'replace' && op?.op !== 'add' && op?.op !== 'remove') throw new Invalid(`Unsupported patch operation: ${String(op?.op)}`);
    if (op.path === '/name') {
      if (op.op === 'remove' || typeof op.value !== 'string' || !op.value.trim()) throw new Invalid("Field 'name' must be a non-empty string.");
      name = op.value;
    } else if (op.path === '/scope') {
      if (op.op === 'remove' || op.value === null) scope = ['sp:scopes:all'];
      else if (Array.isArray(op.value) && op.value.every((s) => typeof s === 'string')) scope = op.value as string[];
      else throw new Invalid("Field 'scope' must be an array of strings.");
    } else {
      throw new Invalid(typeof op.path === 'string' ? `Path ${op.path} is not patchable; patchable fields are name and scope.` : "Operation 'path' must be a JSON Pointer.");
    }
  }
  if (name !== pat.name && iscCredentials(env).personalAccessTokens.some((t) => t.ownerId === pat.ownerId && t.name === name && t.id !== pat.id)) {
    throw new Invalid(`A personal access token named '${name}' already exists for this user.`);
  }
  pat.name = name;
  pat.scope = scope;
  env.changed();
  return patView(env, pat);
}

export function deletePat(env: Environment, p: Principal, id: string): void {
  requireUser(p);
  const list = iscCredentials(env).personalAccessTokens;
  const i = list.findIndex((t) => t.id === id);
  if (i < 0) throw notFound(id);
  if (list[i]!.ownerId !== p.id && !isAdmin(p)) throw forbidden();
  list.splice(i, 1);
  invalidatePats(env);
  env.changed();
}
