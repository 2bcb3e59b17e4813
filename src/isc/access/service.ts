// The access model's service: what every other ISC area calls. Lookups (O(1) through the index), the provisioning
// service (grantAccess / revokeAccess, used by access-request fulfilment and certification remediation) and an
// identity's current access (identityAccess: roles, access profiles, entitlements with their accounts and sources).
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { hexId } from '../../core/ids.js';
import type { IscIdentity } from '../identities/model.js';
import { findIdentity, identities } from '../identities/service.js';
import { notFound } from '../shared/errors.js';
import { indexOf, type AccessIndex } from './indexes.js';
import type { Account, AccessItemRef, AccessProfile, Assignment, Entitlement, EntitlementGrant, IscAccessState, Role, Source } from './model.js';
import { grant, refreshMembership, revoke, type ProvisioningContext, type ProvisioningResult } from './provisioning.js';

export type { ProvisioningResult } from './provisioning.js';

export const ACCESS_AREA = 'iscAccess';

/** The access model's state slice. */
export function accessState(env: Environment): IscAccessState {
  return env.slice<IscAccessState>(ACCESS_AREA);
}

/** The access model's index (by id, by identity, by item) for the environment's current state. */
export function accessIndex(env: Environment): AccessIndex {
  return indexOf(accessState(env));
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

export interface IdentityAccess {
  identityId: string;
  accounts: Array<{ account: Account; source: Source }>;
  roles: Array<{ role: Role; assignment: Assignment }>;
  /** Access profiles assigned directly or through a role (viaRoles lists those roles). */
  accessProfiles: Array<{ accessProfile: AccessProfile; source: Source; assignment: Assignment | null; viaRoles: string[] }>;
  /** Entitlements on the identity's accounts, with where they come from. */
  entitlements: Array<{ entitlement: Entitlement; source: Source; account: Account; grant: EntitlementGrant | null; viaAccessProfiles: string[]; viaRoles: string[] }>;
}

/** The identity's current access, read from its assignments and accounts (O(its own access), never the whole store). */
export function identityAccess(env: Environment, identityId: string): IdentityAccess {
  const ix = accessIndex(env);
  const out: IdentityAccess = { identityId, accounts: [], roles: [], accessProfiles: [], entitlements: [] };
  const apVia = new Map<string, { assignment: Assignment | null; viaRoles: string[] }>();
  const entVia = new Map<string, { aps: Set<string>; roles: Set<string> }>();
  const via = (e: string) => entVia.get(e) ?? entVia.set(e, { aps: new Set(), roles: new Set() }).get(e)!;
  for (const a of ix.assignmentsOf(identityId)) {
    if (a.type === 'ROLE') {
      const role = ix.roles.get(a.itemId);
      if (!role) continue;
      out.roles.push({ role, assignment: a });
      for (const apId of role.accessProfileIds) {
        const v = apVia.get(apId) ?? apVia.set(apId, { assignment: null, viaRoles: [] }).get(apId)!;
        v.viaRoles.push(role.id);
        for (const e of ix.accessProfiles.get(apId)?.entitlementIds ?? []) via(e).roles.add(role.id);
      }
      for (const e of role.entitlementIds) via(e).roles.add(role.id);
    } else {
      const v = apVia.get(a.itemId) ?? apVia.set(a.itemId, { assignment: null, viaRoles: [] }).get(a.itemId)!;
      v.assignment = a;
    }
  }
  for (const [apId, v] of apVia) {
    const accessProfile = ix.accessProfiles.get(apId);
    const source = accessProfile && ix.sources.get(accessProfile.sourceId);
    if (!accessProfile || !source) continue;
    out.accessProfiles.push({ accessProfile, source, ...v });
    for (const e of accessProfile.entitlementIds) via(e).aps.add(apId);
  }
  const grants = new Map(ix.grantsOf(identityId).map((g) => [g.entitlementId, g]));
  for (const account of ix.accountsOf(identityId)) {
    const source = ix.sources.get(account.sourceId);
    if (!source) continue;
    out.accounts.push({ account, source });
    for (const id of account.entitlementIds) {
      const entitlement = ix.entitlements.get(id);
      if (!entitlement) continue;
      const v = entVia.get(id);
      out.entitlements.push({ entitlement, source, account, grant: grants.get(id) ?? null, viaAccessProfiles: [...(v?.aps ?? [])], viaRoles: [...(v?.roles ?? [])] });
    }
  }
  return out;
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
