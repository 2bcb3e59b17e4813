// GET /v3/requestable-objects (contract listRequestableObjects): requestable roles and access profiles, with
// requestStatus for `identity-id` — ASSIGNED from the access model, PENDING from open access requests (the requests
// area registers a provider with onPendingRequests), AVAILABLE otherwise.
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { findIdentity } from '../identities/service.js';
import { badRequest, forbidden } from '../shared/errors.js';
import { collect } from '../shared/filters.js';
import { isOrgAdmin } from '../shared/levels.js';
import { accessIndex, identityAccess, identityRef } from './service.js';
import type { AccessProfile, Role } from './model.js';

/** Open requests of an identity: requested item id → the identity request id (contract identityRequestId). */
export type PendingRequestsProvider = (env: Environment, identityId: string) => ReadonlyMap<string, string>;

const providers: PendingRequestsProvider[] = [];

/** Called once at module load by the access-requests area so PENDING reflects open requests. */
export function onPendingRequests(provider: PendingRequestsProvider): void {
  if (!providers.includes(provider)) providers.push(provider);
}

function pendingOf(env: Environment, identityId: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of providers) for (const [k, v] of p(env, identityId)) out.set(k, v);
  return out;
}

const TYPES = ['ACCESS_PROFILE', 'ROLE'] as const;
const STATUSES = ['AVAILABLE', 'PENDING', 'ASSIGNED'] as const;

function list(raw: string | undefined, allowed: readonly string[], name: string): string[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const values = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const v of values) if (!allowed.includes(v)) throw badRequest(`Invalid value for query parameter ${name}: ${v}`);
  return values;
}

export function listRequestableObjects(env: Environment, principal: Principal, q: Record<string, string | undefined>) {
  let identityId = q['identity-id'];
  if (identityId === 'me') identityId = principal.id;
  // contract: non-admins may only pass their own id (or me); without identity-id only admins may list
  if (!isOrgAdmin(principal) && principal.type !== 'apiClient' && identityId !== principal.id) throw forbidden();
  const types = list(q.types, TYPES, 'types') ?? [...TYPES];
  const statuses = list(q.statuses, STATUSES, 'statuses');
  if (statuses && !identityId) throw badRequest('statuses requires identity-id');
  if (identityId && !findIdentity(env, identityId)) throw badRequest(`Invalid identity-id: ${identityId}`);
  const ix = accessIndex(env);
  const items: Array<{ type: 'ROLE' | 'ACCESS_PROFILE'; item: Role | AccessProfile; commentsRequired: boolean }> = [];
  if (types.includes('ROLE')) for (const r of ix.roles.values()) if (r.requestable && r.enabled) items.push({ type: 'ROLE', item: r, commentsRequired: r.accessRequestConfig.commentsRequired });
  if (types.includes('ACCESS_PROFILE')) for (const p of ix.accessProfiles.values()) if (p.requestable && p.enabled) items.push({ type: 'ACCESS_PROFILE', item: p, commentsRequired: p.accessRequestConfig.commentsRequired });
  const access = identityId ? identityAccess(env, identityId) : undefined;
  const held = new Set([...(access?.roles.map((r) => r.role.id) ?? []), ...(access?.accessProfiles.map((a) => a.accessProfile.id) ?? [])]);
  const pending = identityId ? pendingOf(env, identityId) : new Map<string, string>();
  let rows = items.map(({ type, item, commentsRequired }) => {
    const status = !identityId ? null : held.has(item.id) ? 'ASSIGNED' : pending.has(item.id) ? 'PENDING' : 'AVAILABLE';
    return {
      id: item.id,
      name: item.name,
      created: item.created,
      modified: item.modified,
      description: item.description,
      type,
      // contract: without identity-id the items are not annotated (the field is absent)
      ...(status ? { requestStatus: status } : {}),
      identityRequestId: status === 'PENDING' ? (pending.get(item.id) ?? null) : null,
      ownerRef: identityRef(env, item.ownerId),
      requestCommentsRequired: commentsRequired,
    };
  });
  if (statuses) rows = rows.filter((r) => r.requestStatus !== undefined && statuses.includes(r.requestStatus));
  const term = q.term?.trim().toLowerCase();
  // contract: with `term`, `filters` is ignored
  if (term) rows = rows.filter((r) => r.name.toLowerCase().includes(term) || (r.description ?? '').toLowerCase().includes(term));
  return collect(rows, term ? { ...q, filters: undefined } : q, { filters: { id: ['eq', 'in'], name: ['eq', 'in', 'sw'] }, sorters: ['name'] });
}
