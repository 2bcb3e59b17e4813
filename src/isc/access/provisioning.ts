// Provisioning over the access model: granting a role, access profile or entitlement creates the identity's account on
// each source involved (if missing) and adds the entitlements to it; revoking removes the entitlements no remaining
// assignment still needs. Pure functions over the index, so seeding (faker ids, reference time) and the runtime
// (clock, random ids) share them. Also: which identities a role's membership selects.
import type { IscIdentity } from '../identities/model.js';
import type { AccessIndex } from './indexes.js';
import type { Account, AccessItemRef, Assignment, Entitlement, Role, RoleCriteria, Source } from './model.js';

export interface ProvisioningContext {
  now: string;
  newId: () => string;
  /** Identity id of the actor (null: the system). */
  actorId: string | null;
  /** How the grant came about (default ADMIN). */
  source?: Assignment['source'];
  removeDate?: string | null;
}

export interface ProvisioningResult {
  identityId: string;
  item: AccessItemRef;
  /** false when the identity already held the item (grant) or did not hold it (revoke). */
  changed: boolean;
  accountsCreated: string[];
  entitlementsAdded: string[];
  entitlementsRemoved: string[];
}

/** Every entitlement a role or access profile brings (a role: its own plus its access profiles'). */
export function entitlementsOfItem(ix: AccessIndex, item: AccessItemRef): string[] {
  if (item.type === 'ENTITLEMENT') return [item.id];
  if (item.type === 'ACCESS_PROFILE') return [...(ix.accessProfiles.get(item.id)?.entitlementIds ?? [])];
  const role = ix.roles.get(item.id);
  if (!role) return [];
  const out = new Set(role.entitlementIds);
  for (const apId of role.accessProfileIds) for (const e of ix.accessProfiles.get(apId)?.entitlementIds ?? []) out.add(e);
  return [...out];
}

/** Entitlements the identity's remaining assignments and direct grants require. */
function requiredEntitlements(ix: AccessIndex, identityId: string): Set<string> {
  const out = new Set<string>();
  for (const a of ix.assignmentsOf(identityId)) for (const e of entitlementsOfItem(ix, { type: a.type, id: a.itemId })) out.add(e);
  for (const g of ix.grantsOf(identityId)) out.add(g.entitlementId);
  return out;
}

/** The account name an identity gets on a source (AD: a DN; others: the username or e-mail). */
export function nativeIdentityFor(source: Source, identity: IscIdentity): string {
  if (source.accountNameFrom === 'dn') return `CN=${identity.displayName ?? identity.name},OU=Users,DC=acme,DC=com`;
  if (source.accountNameFrom === 'email') return identity.email || identity.name;
  return identity.name;
}

/** The identity's account on the source, created (enabled, no entitlements) when missing. */
export function ensureAccount(ix: AccessIndex, identity: IscIdentity, source: Source, ctx: ProvisioningContext, created?: string[]): Account {
  const existing = ix.accountOn(identity.id, source.id);
  if (existing) return existing;
  const nativeIdentity = nativeIdentityFor(source, identity);
  const account: Account = {
    id: ctx.newId(),
    name: source.accountNameFrom === 'dn' ? (identity.displayName ?? identity.name) : nativeIdentity,
    nativeIdentity,
    sourceId: source.id,
    identityId: identity.id,
    disabled: false,
    locked: false,
    systemAccount: false,
    manuallyCorrelated: false,
    entitlementIds: [],
    attributes: { displayName: identity.displayName ?? identity.name, email: identity.email },
    created: ctx.now,
    modified: ctx.now,
  };
  const stored = ix.addAccount(account);
  created?.push(account.id);
  return stored;
}

function addEntitlements(ix: AccessIndex, identity: IscIdentity, entitlementIds: string[], ctx: ProvisioningContext, res: ProvisioningResult): void {
  for (const id of entitlementIds) {
    const ent = ix.entitlements.get(id);
    const source = ent && ix.sources.get(ent.sourceId);
    if (!ent || !source) continue;
    const account = ensureAccount(ix, identity, source, ctx, res.accountsCreated);
    if (!account.entitlementIds.includes(id)) {
      account.entitlementIds.push(id);
      account.modified = ctx.now;
      res.entitlementsAdded.push(id);
      ix.touch();
    }
  }
}

function removeEntitlements(ix: AccessIndex, identityId: string, entitlementIds: string[], ctx: ProvisioningContext, res: ProvisioningResult): void {
  const keep = requiredEntitlements(ix, identityId);
  for (const id of entitlementIds) {
    if (keep.has(id)) continue;
    const ent = ix.entitlements.get(id);
    const account = ent && ix.accountOn(identityId, ent.sourceId);
    const at = account ? account.entitlementIds.indexOf(id) : -1;
    if (!account || at < 0) continue;
    account.entitlementIds.splice(at, 1);
    account.modified = ctx.now;
    res.entitlementsRemoved.push(id);
    ix.touch();
  }
}

function result(identityId: string, item: AccessItemRef): ProvisioningResult {
  return { identityId, item, changed: false, accountsCreated: [], entitlementsAdded: [], entitlementsRemoved: [] };
}

/** Give the identity the item (the caller has checked that both exist). Idempotent. */
export function grant(ix: AccessIndex, identity: IscIdentity, item: AccessItemRef, ctx: ProvisioningContext): ProvisioningResult {
  const res = result(identity.id, item);
  if (item.type === 'ENTITLEMENT') {
    const ent = ix.entitlements.get(item.id);
    const source = ent && ix.sources.get(ent.sourceId);
    if (!source) return res;
    if (!ix.grantsOf(identity.id).some((g) => g.entitlementId === item.id)) {
      const account = ensureAccount(ix, identity, source, ctx, res.accountsCreated);
      ix.addGrant({ identityId: identity.id, entitlementId: item.id, accountId: account.id, grantedBy: ctx.actorId, created: ctx.now, removeDate: ctx.removeDate ?? null });
      res.changed = true;
    }
  } else if (!ix.assignmentsOf(identity.id).some((a) => a.type === item.type && a.itemId === item.id)) {
    ix.addAssignment({ id: ctx.newId(), identityId: identity.id, type: item.type, itemId: item.id, source: ctx.source ?? 'ADMIN', grantedBy: ctx.actorId, created: ctx.now, removeDate: ctx.removeDate ?? null });
    res.changed = true;
  }
  addEntitlements(ix, identity, entitlementsOfItem(ix, item), ctx, res);
  res.changed ||= res.entitlementsAdded.length > 0;
  return res;
}

/** Take the item away; entitlements another assignment still needs stay. Idempotent. */
export function revoke(ix: AccessIndex, identityId: string, item: AccessItemRef, ctx: ProvisioningContext): ProvisioningResult {
  const res = result(identityId, item);
  if (item.type === 'ENTITLEMENT') {
    for (const g of ix.grantsOf(identityId).filter((x) => x.entitlementId === item.id)) ix.removeGrant(g);
  } else {
    for (const a of ix.assignmentsOf(identityId).filter((x) => x.type === item.type && x.itemId === item.id)) ix.removeAssignment(a);
  }
  removeEntitlements(ix, identityId, entitlementsOfItem(ix, item), ctx, res);
  res.changed = res.entitlementsRemoved.length > 0 || res.changed;
  return res;
}

// ---- role membership (contract RoleMembershipSelector / RoleCriteriaLevel1) ----

function identityValue(identity: IscIdentity, property: string): string | undefined {
  const p = property.replace(/^attribute\./, '');
  if (p === 'name' || p === 'email' || p === 'displayName') return identity[p] ?? undefined;
  if (p === 'cloudLifecycleState' || p === 'lifecycleState') return identity.lifecycleState;
  return identity.attributes[p];
}

// contract RoleCriteriaOperation: every leaf operation (case-insensitive text; the ordering ones compare numbers when
// both sides are numbers, text otherwise); a missing value satisfies only the negative ones
function compare(op: string, actual: string | undefined, expected: string): boolean {
  const a = actual?.toLowerCase();
  const e = expected.toLowerCase();
  if (a === undefined) return op === 'NOT_EQUALS' || op === 'DOES_NOT_CONTAIN';
  const order = () => (a.trim() !== '' && e.trim() !== '' && Number.isFinite(Number(a)) && Number.isFinite(Number(e)) ? Number(a) - Number(e) : a < e ? -1 : a > e ? 1 : 0);
  switch (op) {
    case 'DOES_NOT_CONTAIN':
      return !a.includes(e);
    case 'GREATER_THAN':
      return order() > 0;
    case 'LESS_THAN':
      return order() < 0;
    case 'GREATER_THAN_EQUALS':
      return order() >= 0;
    case 'LESS_THAN_EQUALS':
      return order() <= 0;
    case 'EQUALS':
      return a === e;
    case 'NOT_EQUALS':
      return a !== e;
    case 'CONTAINS':
      return a.includes(e);
    case 'STARTS_WITH':
      return a.startsWith(e);
    case 'ENDS_WITH':
      return a.endsWith(e);
    default:
      return false;
  }
}

/** Does the identity satisfy the criteria? IDENTITY keys read attributes; ACCOUNT/ENTITLEMENT keys read its accounts. */
export function matchesCriteria(ix: AccessIndex, identity: IscIdentity, c: RoleCriteria): boolean {
  if (c.operation === 'AND') return (c.children ?? []).every((x) => matchesCriteria(ix, identity, x));
  if (c.operation === 'OR') return (c.children ?? []).some((x) => matchesCriteria(ix, identity, x));
  const key = c.key;
  const expected = c.stringValue ?? '';
  if (!key) return false;
  if (key.type === 'IDENTITY') return compare(c.operation, identityValue(identity, key.property), expected);
  const accounts = ix.accountsOf(identity.id).filter((a) => !key.sourceId || a.sourceId === key.sourceId);
  if (key.type === 'ENTITLEMENT') {
    const values = accounts.flatMap((a) => a.entitlementIds.map((id) => ix.entitlements.get(id)).filter((e): e is Entitlement => !!e && e.attribute === key.property.replace(/^attribute\./, '')));
    return values.some((e) => compare(c.operation, e.value, expected));
  }
  return accounts.some((a) => compare(c.operation, a.attributes[key.property.replace(/^attribute\./, '')] as string | undefined, expected));
}

/** Is the identity a member of the role by its membership selector? */
export function isMember(ix: AccessIndex, role: Role, identity: IscIdentity): boolean {
  const m = role.membership;
  if (!m || !identity.active) return false;
  if (m.type === 'IDENTITY_LIST') return m.identityIds.includes(identity.id);
  return !!m.criteria && matchesCriteria(ix, identity, m.criteria);
}

/**
 * Bring the role's ROLE_MEMBERSHIP assignments in line with its selector over the given identities (on role create or
 * membership change: real ISC re-evaluates membership in the background over the whole population, too).
 */
export function refreshMembership(ix: AccessIndex, role: Role, population: readonly IscIdentity[], ctx: ProvisioningContext): void {
  const mctx = { ...ctx, source: 'ROLE_MEMBERSHIP' as const, removeDate: null };
  const current = new Set(ix.holdersOf(role.id).filter((a) => a.type === 'ROLE' && a.source === 'ROLE_MEMBERSHIP').map((a) => a.identityId));
  for (const identity of population) {
    const member = isMember(ix, role, identity);
    if (member && !ix.assignmentsOf(identity.id).some((a) => a.type === 'ROLE' && a.itemId === role.id)) grant(ix, identity, { type: 'ROLE', id: role.id }, mctx);
    else if (!member && current.has(identity.id)) revoke(ix, identity.id, { type: 'ROLE', id: role.id }, mctx);
  }
}
