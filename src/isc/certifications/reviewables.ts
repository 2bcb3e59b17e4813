// Review items drawn from the access model (issue 13: "Certifications' review items are generated from this model"):
// an identity's access rendered as the contract's ReviewableEntitlement / ReviewableAccessProfile / ReviewableRole.
// What is certified is what the identity holds in its own right — assigned roles, directly assigned access profiles,
// entitlements granted directly or held natively on an account — so that a REVOKE really removes it (access that
// comes through a role is certified as that role; through an access profile, as that access profile).
import type { Environment } from '../../environment.js';
import { hexId } from '../../core/ids.js';
import { accessIndex, identityAccess, identityRef, type IdentityAccess } from '../access/service.js';
import type { AccessIndex } from '../access/indexes.js';
import type { Account, AccessProfile as ModelAccessProfile, Entitlement as ModelEntitlement, Role as ModelRole } from '../access/model.js';
import type { AccessProfile, Entitlement, ReviewItem, Role } from './model.js';

/** How an owner id becomes the contract's owner reference (the runtime resolves identities; seeding has its own map). */
export type OwnerOf = (id: string | null | undefined) => Entitlement['owner'];

export function ownerOf(env: Environment): OwnerOf {
  return (id) => {
    const ref = identityRef(env, id);
    return ref ? { type: 'IDENTITY', id: ref.id, name: ref.name, email: ref.email } : null;
  };
}

export function reviewableEntitlement(owner: OwnerOf, ix: AccessIndex, e: ModelEntitlement, account?: Account): Entitlement {
  const source = ix.sources.get(e.sourceId);
  return {
    id: e.id,
    name: e.name,
    privileged: e.privileged,
    owner: owner(e.ownerId),
    attributeName: e.attribute,
    attributeValue: e.value,
    sourceSchemaObjectType: e.sourceSchemaObjectType,
    sourceName: source?.name ?? e.sourceId,
    sourceType: source?.type ?? 'DelimitedFile',
    sourceId: e.sourceId,
    hasPermissions: e.permissions.length > 0,
    isPermission: false,
    permissions: e.permissions,
    revocable: true,
    cloudGoverned: e.cloudGoverned,
    containsDataAccess: false,
    account: account ? { nativeIdentity: account.nativeIdentity, id: account.id, name: account.name, created: account.created } : null,
  };
}

export function reviewableAccessProfile(owner: OwnerOf, ix: AccessIndex, ap: ModelAccessProfile): AccessProfile {
  return {
    id: ap.id,
    name: ap.name,
    ...(ap.description ? { description: ap.description } : {}),
    privileged: ap.entitlementIds.some((id) => ix.entitlements.get(id)?.privileged),
    cloudGoverned: false,
    endDate: null,
    owner: owner(ap.ownerId),
    entitlements: ap.entitlementIds.map((id) => ix.entitlements.get(id)).filter((x): x is ModelEntitlement => !!x).map((x) => reviewableEntitlement(owner, ix, x)),
    created: ap.created,
    modified: ap.modified,
  };
}

export function reviewableRole(owner: OwnerOf, ix: AccessIndex, role: ModelRole): Role {
  const aps = role.accessProfileIds.map((id) => ix.accessProfiles.get(id)).filter((x): x is ModelAccessProfile => !!x);
  const ents = role.entitlementIds.map((id) => ix.entitlements.get(id)).filter((x): x is ModelEntitlement => !!x);
  return {
    id: role.id,
    name: role.name,
    ...(role.description ? { description: role.description } : {}),
    privileged: ents.some((e) => e.privileged) || aps.some((ap) => ap.entitlementIds.some((id) => ix.entitlements.get(id)?.privileged)),
    owner: owner(role.ownerId),
    revocable: true,
    accessProfiles: aps.map((ap) => reviewableAccessProfile(owner, ix, ap)),
    entitlements: ents.map((e) => reviewableEntitlement(owner, ix, e)),
  };
}

/** Which of an identity's access a review covers (undefined: all). */
export interface AccessScope {
  sourceId?: string;
  types?: ReadonlySet<ReviewItem['type']>;
  ids?: ReadonlySet<string>;
}

/** Undecided review items for the identity's own access (see the file comment), optionally narrowed by `scope`. */
export function reviewItemsFor(env: Environment, identityId: string, scope: AccessScope = {}, access: IdentityAccess = identityAccess(env, identityId)): ReviewItem[] {
  const ix = accessIndex(env);
  const owner = ownerOf(env);
  const summaryId = hexId();
  const base = { identityId, identitySummaryId: summaryId, newAccess: false, decision: null, comments: null, bulk: false, proposedEndDate: null, decisionMaker: null, decided: null, remediation: null };
  const wanted = (type: ReviewItem['type'], id: string, sourceId: string | undefined) =>
    (!scope.types || scope.types.has(type)) && (!scope.ids || scope.ids.has(id)) && (!scope.sourceId || scope.sourceId === sourceId);
  const items: ReviewItem[] = [];
  for (const { role } of access.roles) {
    if (wanted('ROLE', role.id, undefined)) items.push({ ...base, id: hexId(), type: 'ROLE', role: reviewableRole(owner, ix, role) });
  }
  for (const { accessProfile, assignment } of access.accessProfiles) {
    if (assignment && wanted('ACCESS_PROFILE', accessProfile.id, accessProfile.sourceId)) items.push({ ...base, id: hexId(), type: 'ACCESS_PROFILE', accessProfile: reviewableAccessProfile(owner, ix, accessProfile) });
  }
  for (const { entitlement, account, viaAccessProfiles, viaRoles } of access.entitlements) {
    if (viaAccessProfiles.length || viaRoles.length) continue;
    if (wanted('ENTITLEMENT', entitlement.id, entitlement.sourceId)) items.push({ ...base, id: hexId(), type: 'ENTITLEMENT', entitlement: reviewableEntitlement(owner, ix, entitlement, account) });
  }
  return items;
}
