// The access model's service: what every other ISC area calls. Lookups (O(1) through the index), the provisioning
// service (grantAccess / revokeAccess, used by access-request fulfilment and certification remediation) and an
// identity's current access (identityAccess: roles, access profiles, entitlements with their accounts and sources).
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { hexId } from '../../core/ids.js';
import type { IscIdentity } from '../identities/model.js';
import { findIdentity, identities } from '../identities/service.js';
import { notFound } from '../shared/errors.js';
import { AccessIndex } from './indexes.js';
import type { AccessItemRef, AccessProfile, Assignment, Entitlement, IscAccessState, Role } from './model.js';
import { grant, refreshMembership, revoke, type ProvisioningContext, type ProvisioningResult } from './provisioning.js';
import { accessOf, type IdentityAccess } from './holdings.js';

export type { IdentityAccess } from './holdings.js';

export type { ProvisioningResult } from './provisioning.js';

export const ACCESS_AREA = 'iscAccess';

/** The access model's state slice. */
export function accessState(env: Environment): IscAccessState {
  return env.slice<IscAccessState>(ACCESS_AREA);
}

/** The access model's index (by id, by identity, by item) for the environment's current state. */
export function accessIndex(env: Environment): AccessIndex {
  const state = accessState(env);
  const held = env.memory<{ ix?: AccessIndex }>('iscAccess.index', () => ({}));
  // the state object is replaced by reset/seed (which also clear memory); rebuild if it ever differs
  if (held.ix?.state !== state) held.ix = new AccessIndex(state);
  return held.ix;
}

/** Who acts: a request's principal, an identity id, or undefined for the system (jobs, seeding). */
export type Actor = Principal | { id: string } | undefined;

function runtimeContext(env: Environment, actor: Actor, extra?: Partial<ProvisioningContext>): ProvisioningContext {
  return { now: env.clock.nowIso(), newId: hexId, actorId: actor?.id ?? null, ...extra };
}

/** The item a reference names, or undefined. */
export function findItem(env: Environment, item: AccessItemRef): Role | AccessProfile | Entitlement | undefined {
  const ix = accessIndex(env);
  return item.type === 'ROLE' ? ix.roles.get(item.id) : item.type === 'ACCESS_PROFILE' ? ix.accessProfiles.get(item.id) : ix.entitlements.get(item.id);
}

function requireIdentity(env: Environment, identityId: string): IscIdentity {
  const identity = findIdentity(env, identityId);
  if (!identity) throw notFound();
  return identity;
}

export interface GrantOptions {
  /** How the grant came about (REQUEST for access requests; default ADMIN). */
  source?: Assignment['source'];
  /** The request's removeDate (recorded; the caller schedules the revocation). */
  removeDate?: string | null;
}

/**
 * Give an identity a role, access profile or entitlement: the account on each source involved is created if missing
 * and the entitlements are added to it. Idempotent (granting what is held changes nothing). Throws 404 ApiErrors for an
 * unknown identity or item.
 */
export function grantAccess(env: Environment, identityId: string, item: AccessItemRef, actor: Actor, opts: GrantOptions = {}): ProvisioningResult {
  const identity = requireIdentity(env, identityId);
  if (!findItem(env, item)) throw notFound();
  const res = grant(accessIndex(env), identity, item, runtimeContext(env, actor, opts));
  if (res.changed) env.changed();
  return res;
}

/** Take a role, access profile or entitlement away; entitlements still needed by other assignments stay. Idempotent. */
export function revokeAccess(env: Environment, identityId: string, item: AccessItemRef, actor: Actor): ProvisioningResult {
  requireIdentity(env, identityId);
  if (!findItem(env, item)) throw notFound();
  const res = revoke(accessIndex(env), identityId, item, runtimeContext(env, actor));
  if (res.changed) env.changed();
  return res;
}

/** Does the identity currently hold the item (assigned, through a role, or an entitlement on one of its accounts)? */
export function hasAccess(env: Environment, identityId: string, item: AccessItemRef): boolean {
  const access = identityAccess(env, identityId);
  if (item.type === 'ROLE') return access.roles.some((r) => r.role.id === item.id);
  if (item.type === 'ACCESS_PROFILE') return access.accessProfiles.some((a) => a.accessProfile.id === item.id);
  return access.entitlements.some((e) => e.entitlement.id === item.id);
}

/** The identity's current access, read from its assignments and accounts (O(its own access), never the whole store). */
export function identityAccess(env: Environment, identityId: string): IdentityAccess {
  return accessOf(accessIndex(env), identityId);
}

/** Re-evaluate a role's membership over all identities (role create/patch only: an admin write, as ISC does in the background). */
export function refreshRoleMembership(env: Environment, role: Role, actor: Actor): void {
  refreshMembership(accessIndex(env), role, identities(env), runtimeContext(env, actor));
  env.changed();
}

/** An identity as an owner/reference (contract OwnerReference / IdentityReferenceWithNameAndEmail). */
export function identityRef(env: Environment, id: string | null | undefined): { type: 'IDENTITY'; id: string; name: string; email?: string } | null {
  if (!id) return null;
  const identity = findIdentity(env, id);
  return identity ? { type: 'IDENTITY', id, name: identity.displayName ?? identity.name, email: identity.email } : { type: 'IDENTITY', id, name: id };
}
