// Who approves a requested item: the item's approval schemes (contract AccessProfileApprovalScheme /
// ApprovalSchemeForRole for access profiles and roles; AccessRequestConfig.entitlementRequestConfig.
// grantRequestApprovalSchemes for entitlements), resolved against the access model.
import type { Environment } from '../../environment.js';
import { findIdentity } from '../identities/service.js';
import { accessIndex } from '../access/service.js';
import type { AccessProfile, ApprovalScheme, Entitlement, Role } from '../access/model.js';
import type { AccessRequestConfig, ApprovalSchemeName, ItemType } from './model.js';

export interface ResolvedStep {
  scheme: ApprovalSchemeName;
  ownerType: 'IDENTITY' | 'GOVERNANCE_GROUP';
  /** null: nobody to ask (no manager, no owner, WORKFLOW): the step passes without an approval. */
  ownerId: string | null;
  ownerName: string;
}

export type RequestableItem = { type: 'ACCESS_PROFILE'; value: AccessProfile } | { type: 'ROLE'; value: Role } | { type: 'ENTITLEMENT'; value: Entitlement };

/** contract EntitlementRequestConfig.grantRequestApprovalSchemes: "entitlementOwner", "sourceOwner", "manager", "workgroup:{id}". */
function entitlementSchemes(config: AccessRequestConfig): ApprovalScheme[] {
  const raw = config.entitlementRequestConfig.grantRequestApprovalSchemes ?? '';
  const out: ApprovalScheme[] = [];
  for (const s of raw.split(',').map((x) => x.trim()).filter(Boolean)) {
    if (s === 'entitlementOwner') out.push({ approverType: 'OWNER', approverId: null });
    else if (s === 'sourceOwner') out.push({ approverType: 'SOURCE_OWNER', approverId: null });
    else if (s === 'manager') out.push({ approverType: 'MANAGER', approverId: null });
    else if (s.startsWith('workgroup:')) out.push({ approverType: 'GOVERNANCE_GROUP', approverId: s.slice('workgroup:'.length) });
  }
  return out;
}

const OWNER_SCHEME: Record<ItemType, ApprovalSchemeName> = { ACCESS_PROFILE: 'ACCESS_PROFILE_OWNER', ROLE: 'ROLE_OWNER', ENTITLEMENT: 'ENTITLEMENT_OWNER' };

function identityStep(env: Environment, scheme: ApprovalSchemeName, id: string | null | undefined): ResolvedStep {
  const who = id ? findIdentity(env, id) : undefined;
  // an inactive approver cannot act: the step goes to the fallback approver (see resolveSteps)
  return who && who.active ? { scheme, ownerType: 'IDENTITY', ownerId: who.id, ownerName: who.displayName ?? who.name } : { scheme, ownerType: 'IDENTITY', ownerId: null, ownerName: 'System' };
}

/**
 * The approval steps of an item for a request, in order. MANAGER is the manager of the identity the access is for
 * (the product's behaviour; the contract's "identity making the request" is the same one in a self-request).
 * APP_OWNER resolves to the owner of the item's source (applications front sources; they are not modelled).
 * An approver named by several schemes is asked once (the first of their steps).
 */
export function resolveSteps(env: Environment, item: RequestableItem, requestType: 'GRANT_ACCESS' | 'REVOKE_ACCESS', requestedForId: string, config: AccessRequestConfig): ResolvedStep[] {
  const ix = accessIndex(env);
  const schemes =
    item.type === 'ENTITLEMENT'
      ? requestType === 'GRANT_ACCESS'
        ? entitlementSchemes(config)
        : [] // revoking an entitlement follows no configured scheme in the contract: the manager asked for it
      : requestType === 'GRANT_ACCESS'
        ? item.value.accessRequestConfig.approvalSchemes
        : item.value.revocationRequestConfig.approvalSchemes;
  const sourceId = item.type === 'ROLE' ? null : item.value.sourceId;
  const steps: ResolvedStep[] = [];
  for (const s of schemes) {
    let step: ResolvedStep;
    switch (s.approverType) {
      case 'MANAGER':
        step = identityStep(env, 'MANAGER', findIdentity(env, requestedForId)?.managerId);
        break;
      case 'OWNER':
        step = identityStep(env, OWNER_SCHEME[item.type], item.value.ownerId);
        break;
      case 'SOURCE_OWNER':
      case 'APP_OWNER':
        step = identityStep(env, s.approverType, sourceId ? ix.sources.get(sourceId)?.ownerId : null);
        break;
      case 'GOVERNANCE_GROUP': {
        const group = s.approverId ? ix.governanceGroups.get(s.approverId) : undefined;
        step = group && group.memberIds.length ? { scheme: 'GOVERNANCE_GROUP', ownerType: 'GOVERNANCE_GROUP', ownerId: group.id, ownerName: group.name } : { scheme: 'GOVERNANCE_GROUP', ownerType: 'GOVERNANCE_GROUP', ownerId: null, ownerName: 'System' };
        break;
      }
      default:
        continue; // WORKFLOW approvals run in ISC Workflows, which the emulator does not model
    }
    // contract ApprovalReminderAndEscalationConfig.fallbackApproverRef: who gets a step nobody else can take
    if (step.ownerId === null) {
      const fallback = config.approvalReminderAndEscalationConfig.fallbackApproverRef;
      if (fallback) step = { ...identityStep(env, step.scheme, fallback.id) };
    }
    if (step.ownerId !== null && steps.some((x) => x.ownerId === step.ownerId)) continue;
    steps.push(step);
  }
  return steps;
}

/** May `identityId` act on an approval owned by (ownerType, ownerId)? Members act for their governance group. */
export function ownsApproval(env: Environment, identityId: string, ownerType: 'IDENTITY' | 'GOVERNANCE_GROUP', ownerId: string): boolean {
  if (ownerType === 'IDENTITY') return ownerId === identityId;
  return accessIndex(env).governanceGroups.get(ownerId)?.memberIds.includes(identityId) ?? false;
}

/** The governance groups an identity belongs to (their approvals are the member's too). */
export function groupIdsOf(env: Environment, identityId: string): Set<string> {
  return new Set(accessIndex(env).groupsOf(identityId).map((g) => g.id));
}
