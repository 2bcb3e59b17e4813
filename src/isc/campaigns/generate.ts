// Certification generation for a campaign (the staging step), from the access model: one certification per reviewer,
// one review item per identity × access (certifications/reviewables.ts). Per campaign type:
//   MANAGER       every active identity with access is reviewed by its manager
//   SOURCE_OWNER  the owner of each listed source reviews the access its accounts' identities hold on that source
//                 (UNCORRELATED: only identities without an account on an authoritative source)
//   SEARCH        the identities the query selects in the `identities` search index (or identityIds), narrowed by
//                 accessConstraints; reviewed by searchCampaignInfo.reviewer, else by each identity's manager
//   ROLE_COMPOSITION  each role's access profiles and entitlements, reviewed by the given reviewer or the role owner
// Nothing to certify → no certifications and a reason (the campaign goes to ERROR with it as an alert).
import type { Environment } from '../../environment.js';
import { hexId } from '../../core/ids.js';
import { findIdentity, identities } from '../identities/service.js';
import type { IscIdentity } from '../identities/model.js';
import { accessIndex, identityAccess } from '../access/service.js';
import { searchIdentityIds } from './identitySearch.js';
import { ownerOf, reviewableAccessProfile, reviewableEntitlement, reviewItemsFor, type AccessScope } from '../certifications/reviewables.js';
import type { Campaign, Certification, ReviewItem, ReviewerRef } from '../certifications/model.js';

export interface Generated {
  certifications: Certification[];
  /** Why nothing was generated (when certifications is empty). */
  reason: string;
  warnings: string[];
}

/** Documented ERROR alert texts (docs/isc-certifications.md "Campaign lifecycle"). */
export const NOTHING_TO_CERTIFY: Record<Campaign['campaignType'], string> = {
  MANAGER: 'No certifications were generated: no active identity with a manager holds any access.',
  SOURCE_OWNER: 'No certifications were generated: no identity holds access on the selected sources.',
  SEARCH: 'No certifications were generated: the search selected no identity holding access.',
  ROLE_COMPOSITION: 'No certifications were generated: the selected roles contain no access profiles or entitlements.',
  MACHINE_ACCOUNT: 'No certifications were generated: the tenant has no machine accounts on the selected sources.',
};

type Bucket = { reviewer: ReviewerRef; items: ReviewItem[] };

function reviewerName(env: Environment, r: ReviewerRef): string {
  if (r.type === 'GOVERNANCE_GROUP') return r.name ?? r.id;
  const i = findIdentity(env, r.id);
  return i?.displayName ?? i?.name ?? r.id;
}

function certificationsOf(env: Environment, campaign: Campaign, buckets: Map<string, Bucket>): Certification[] {
  const now = env.clock.nowIso();
  const out: Certification[] = [];
  for (const { reviewer, items } of buckets.values()) {
    if (!items.length) continue;
    out.push({
      id: hexId(),
      name: `${campaign.name} for ${reviewerName(env, reviewer)}`,
      campaignId: campaign.id,
      created: now,
      modified: now,
      due: campaign.deadline ?? null,
      signed: null,
      signer: null,
      reviewer,
      reassignment: null,
      phase: 'STAGED',
      hasErrors: false,
      errorMessage: null,
      items,
    });
  }
  return out;
}

function add(buckets: Map<string, Bucket>, reviewer: ReviewerRef, items: ReviewItem[]): void {
  if (!items.length) return;
  const key = `${reviewer.type}:${reviewer.id}`;
  const b = buckets.get(key) ?? buckets.set(key, { reviewer, items: [] }).get(key)!;
  b.items.push(...items);
}

const person = (i: IscIdentity | undefined): i is IscIdentity => !!i && i.active && !i.service;

function managerOf(env: Environment, i: IscIdentity): ReviewerRef | undefined {
  const m = i.managerId ? findIdentity(env, i.managerId) : undefined;
  return m && m.active ? { type: 'IDENTITY', id: m.id, members: [] } : undefined;
}

function explicitReviewer(env: Environment, r: { type?: string; id?: string } | null | undefined, warnings: string[]): ReviewerRef | undefined {
  if (!r?.id) return undefined;
  if (r.type === 'GOVERNANCE_GROUP') {
    const g = accessIndex(env).governanceGroups.get(r.id);
    if (g) return { type: 'GOVERNANCE_GROUP', id: g.id, name: g.name, members: [...g.memberIds] };
  } else if (findIdentity(env, r.id)) return { type: 'IDENTITY', id: r.id, members: [] };
  warnings.push(`Reviewer ${r.type ?? 'IDENTITY'} ${r.id} does not exist; each identity's manager reviews instead.`);
  return undefined;
}

function manager(env: Environment, campaign: Campaign, buckets: Map<string, Bucket>): void {
  for (const i of identities(env)) {
    if (!person(i)) continue;
    const reviewer = managerOf(env, i);
    if (reviewer) add(buckets, reviewer, reviewItemsFor(env, i.id));
  }
}

function sourceOwner(env: Environment, campaign: Campaign, buckets: Map<string, Bucket>, warnings: string[]): void {
  const ix = accessIndex(env);
  const authoritative = [...ix.sources.values()].filter((s) => s.authoritative).map((s) => s.id);
  for (const sourceId of campaign.sourceOwnerCampaignInfo?.sourceIds ?? []) {
    const source = ix.sources.get(sourceId);
    if (!source) {
      warnings.push(`Source ${sourceId} does not exist.`);
      continue;
    }
    const owner = findIdentity(env, source.ownerId);
    if (!owner) continue;
    for (const account of ix.accountsOn(sourceId)) {
      const identity = account.identityId ? findIdentity(env, account.identityId) : undefined;
      if (!person(identity)) continue;
      if (campaign.correlatedStatus === 'UNCORRELATED' && ix.accountsOf(identity.id).some((a) => authoritative.includes(a.sourceId))) continue;
      add(buckets, { type: 'IDENTITY', id: owner.id, members: [] }, reviewItemsFor(env, identity.id, { sourceId, types: new Set(['ACCESS_PROFILE', 'ENTITLEMENT']) }));
    }
  }
}

function search(env: Environment, campaign: Campaign, buckets: Map<string, Bucket>, warnings: string[]): void {
  const info = campaign.searchCampaignInfo;
  if (!info) return;
  const ids = info.identityIds?.length ? info.identityIds : searchIdentityIds(env, info.query ?? '');
  const reviewer = explicitReviewer(env, info.reviewer, warnings);
  const constraints = info.accessConstraints ?? [];
  // accessConstraints: "excluding identities that do not have this access"; an ACCESS campaign certifies only that access
  const scope: AccessScope | undefined =
    info.type === 'ACCESS' && constraints.length
      ? { types: new Set(constraints.map((c) => c.type)), ids: constraints.some((c) => c.operator === 'SELECTED') ? new Set(constraints.flatMap((c) => c.ids ?? [])) : undefined }
      : undefined;
  for (const id of new Set(ids)) {
    const identity = findIdentity(env, id);
    if (!person(identity)) continue;
    const access = identityAccess(env, id);
    const held = (type: string, ids?: string[] | null) => {
      const have = type === 'ROLE' ? access.roles.map((r) => r.role.id) : type === 'ACCESS_PROFILE' ? access.accessProfiles.map((a) => a.accessProfile.id) : access.entitlements.map((e) => e.entitlement.id);
      return ids?.length ? have.some((h) => ids.includes(h)) : have.length > 0;
    };
    if (!constraints.every((c) => held(c.type, c.operator === 'SELECTED' ? c.ids : undefined))) continue;
    const r = reviewer ?? managerOf(env, identity);
    if (r) add(buckets, r, reviewItemsFor(env, id, scope, access));
  }
}

function roleComposition(env: Environment, campaign: Campaign, buckets: Map<string, Bucket>, warnings: string[]): void {
  const info = campaign.roleCompositionCampaignInfo;
  const ix = accessIndex(env);
  const roles = info?.roleIds?.length ? info.roleIds.map((id) => ix.roles.get(id)).filter((r) => r !== undefined) : [...ix.roles.values()];
  const reviewer = explicitReviewer(env, info?.reviewer, warnings);
  const owner = ownerOf(env);
  for (const role of roles) {
    const r = reviewer ?? (findIdentity(env, role.ownerId) ? ({ type: 'IDENTITY', id: role.ownerId, members: [] } as ReviewerRef) : undefined);
    if (!r) continue;
    // the role stands where an identity stands in an identity review: its summary names the role
    const base = { identityId: role.id, identitySummaryId: hexId(), subjectName: role.name, newAccess: false, decision: null, comments: null, bulk: false, proposedEndDate: null, decisionMaker: null, decided: null, remediation: null };
    const items: ReviewItem[] = [];
    for (const apId of role.accessProfileIds) {
      const ap = ix.accessProfiles.get(apId);
      if (ap) items.push({ ...base, id: hexId(), type: 'ACCESS_PROFILE', accessProfile: reviewableAccessProfile(owner, ix, ap) });
    }
    for (const eId of role.entitlementIds) {
      const e = ix.entitlements.get(eId);
      if (e) items.push({ ...base, id: hexId(), type: 'ENTITLEMENT', entitlement: reviewableEntitlement(owner, ix, e) });
    }
    add(buckets, r, items);
  }
}

export function generateCertifications(env: Environment, campaign: Campaign): Generated {
  const buckets = new Map<string, Bucket>();
  const warnings: string[] = [];
  switch (campaign.campaignType) {
    case 'MANAGER':
      manager(env, campaign, buckets);
      break;
    case 'SOURCE_OWNER':
      sourceOwner(env, campaign, buckets, warnings);
      break;
    case 'SEARCH':
      search(env, campaign, buckets, warnings);
      break;
    case 'ROLE_COMPOSITION':
      roleComposition(env, campaign, buckets, warnings);
      break;
    case 'MACHINE_ACCOUNT':
      // the access model holds no machine accounts
      break;
  }
  return { certifications: certificationsOf(env, campaign, buckets), reason: NOTHING_TO_CERTIFY[campaign.campaignType], warnings };
}
