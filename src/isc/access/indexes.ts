// Runtime indexes over the access model (by id, by identity, by item), built once per state and kept up to date by
// every mutation below, so no request scans the whole store. At runtime the index lives in the environment's memory
// (service.accessIndex: env.memory, dropped by reset and seed); seeding builds its own over the state it generates.
import type { Account, AccessProfile, Assignment, Entitlement, EntitlementGrant, GovernanceGroup, IscAccessState, Role, Source } from './model.js';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pull<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) return;
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
  if (!list.length) map.delete(key);
}

/** Append to a state list and return the element as the list hands it out (with a data dir, the change-tracking
 *  view the indexes must hold: docs/persistence.md). */
function stored<T>(list: T[], value: T): T {
  list.push(value);
  return list[list.length - 1]!;
}

function removeFrom<T>(list: T[], value: T): void {
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
}

export class AccessIndex {
  readonly sources = new Map<string, Source>();
  readonly accounts = new Map<string, Account>();
  readonly entitlements = new Map<string, Entitlement>();
  readonly accessProfiles = new Map<string, AccessProfile>();
  readonly roles = new Map<string, Role>();
  readonly governanceGroups = new Map<string, GovernanceGroup>();
  private readonly accountsByIdentity = new Map<string, Account[]>();
  private readonly accountsBySource = new Map<string, Account[]>();
  private readonly assignmentsByIdentity = new Map<string, Assignment[]>();
  private readonly assignmentsByItem = new Map<string, Assignment[]>();
  private readonly grantsByIdentity = new Map<string, EntitlementGrant[]>();
  private readonly entitlementsBySource = new Map<string, Entitlement[]>();
  private readonly groupsByMember = new Map<string, GovernanceGroup[]>();
  /** Bumped by every change: derived caches (search documents) compare it. */
  version = 0;

  constructor(readonly state: IscAccessState) {
    for (const s of state.sources) this.sources.set(s.id, s);
    for (const a of state.accounts) this.indexAccount(a);
    for (const e of state.entitlements) {
      this.entitlements.set(e.id, e);
      push(this.entitlementsBySource, e.sourceId, e);
    }
    for (const p of state.accessProfiles) this.accessProfiles.set(p.id, p);
    for (const r of state.roles) this.roles.set(r.id, r);
    for (const g of state.governanceGroups) this.indexGroup(g);
    for (const a of state.assignments) this.indexAssignment(a);
    for (const g of state.entitlementGrants) push(this.grantsByIdentity, g.identityId, g);
  }

  private indexAccount(a: Account): void {
    this.accounts.set(a.id, a);
    if (a.identityId) push(this.accountsByIdentity, a.identityId, a);
    push(this.accountsBySource, a.sourceId, a);
  }

  private indexAssignment(a: Assignment): void {
    push(this.assignmentsByIdentity, a.identityId, a);
    push(this.assignmentsByItem, a.itemId, a);
  }

  private indexGroup(g: GovernanceGroup): void {
    this.governanceGroups.set(g.id, g);
    for (const m of g.memberIds) push(this.groupsByMember, m, g);
  }

  touch(): void {
    this.version++;
  }

  // ---- reads ----
  accountsOf(identityId: string): readonly Account[] {
    return this.accountsByIdentity.get(identityId) ?? [];
  }

  accountsOn(sourceId: string): readonly Account[] {
    return this.accountsBySource.get(sourceId) ?? [];
  }

  accountOn(identityId: string, sourceId: string): Account | undefined {
    return this.accountsOf(identityId).find((a) => a.sourceId === sourceId);
  }

  assignmentsOf(identityId: string): readonly Assignment[] {
    return this.assignmentsByIdentity.get(identityId) ?? [];
  }

  /** Who holds this role or access profile. */
  holdersOf(itemId: string): readonly Assignment[] {
    return this.assignmentsByItem.get(itemId) ?? [];
  }

  grantsOf(identityId: string): readonly EntitlementGrant[] {
    return this.grantsByIdentity.get(identityId) ?? [];
  }

  entitlementsOn(sourceId: string): readonly Entitlement[] {
    return this.entitlementsBySource.get(sourceId) ?? [];
  }

  groupsOf(identityId: string): readonly GovernanceGroup[] {
    return this.groupsByMember.get(identityId) ?? [];
  }

  // ---- writes (state and indexes together) ----
  addSource(source: Source): void {
    const s = stored(this.state.sources, source);
    this.sources.set(s.id, s);
    this.touch();
  }

  addAccount(account: Account): Account {
    const a = stored(this.state.accounts, account);
    this.indexAccount(a);
    this.touch();
    return a;
  }

  addEntitlement(entitlement: Entitlement): void {
    const e = stored(this.state.entitlements, entitlement);
    this.entitlements.set(e.id, e);
    push(this.entitlementsBySource, e.sourceId, e);
    this.touch();
  }

  addAccessProfile(profile: AccessProfile): void {
    const p = stored(this.state.accessProfiles, profile);
    this.accessProfiles.set(p.id, p);
    this.touch();
  }

  removeAccessProfile(p: AccessProfile): void {
    removeFrom(this.state.accessProfiles, p);
    this.accessProfiles.delete(p.id);
    this.touch();
  }

  addRole(role: Role): void {
    const r = stored(this.state.roles, role);
    this.roles.set(r.id, r);
    this.touch();
  }

  removeRole(r: Role): void {
    removeFrom(this.state.roles, r);
    this.roles.delete(r.id);
    this.touch();
  }

  addGovernanceGroup(group: GovernanceGroup): void {
    const g = stored(this.state.governanceGroups, group);
    this.indexGroup(g);
    this.touch();
  }

  addAssignment(assignment: Assignment): void {
    const a = stored(this.state.assignments, assignment);
    this.indexAssignment(a);
    this.touch();
  }

  removeAssignment(a: Assignment): void {
    removeFrom(this.state.assignments, a);
    pull(this.assignmentsByIdentity, a.identityId, a);
    pull(this.assignmentsByItem, a.itemId, a);
    this.touch();
  }

  addGrant(grant: EntitlementGrant): void {
    const g = stored(this.state.entitlementGrants, grant);
    push(this.grantsByIdentity, g.identityId, g);
    this.touch();
  }

  removeGrant(g: EntitlementGrant): void {
    removeFrom(this.state.entitlementGrants, g);
    pull(this.grantsByIdentity, g.identityId, g);
    this.touch();
  }
}
