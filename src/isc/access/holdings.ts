// An identity's current access, derived from its assignments (roles, access profiles) and its accounts' entitlements,
// with where each piece comes from. Pure over the index: the runtime (service.identityAccess) and seeds share it.
import type { AccessIndex } from './indexes.js';
import type { Account, AccessProfile, Assignment, Entitlement, EntitlementGrant, Role, Source } from './model.js';

export interface IdentityAccess {
  identityId: string;
  accounts: Array<{ account: Account; source: Source }>;
  roles: Array<{ role: Role; assignment: Assignment }>;
  /** Access profiles assigned directly or through a role (viaRoles lists those roles). */
  accessProfiles: Array<{ accessProfile: AccessProfile; source: Source; assignment: Assignment | null; viaRoles: string[] }>;
  /** Entitlements on the identity's accounts, with where they come from. */
  entitlements: Array<{ entitlement: Entitlement; source: Source; account: Account; grant: EntitlementGrant | null; viaAccessProfiles: string[]; viaRoles: string[] }>;
}

/** The identity's current access from the index (O(its own access)). */
export function accessOf(ix: AccessIndex, identityId: string): IdentityAccess {
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

