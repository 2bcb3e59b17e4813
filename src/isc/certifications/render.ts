// ISC certifications as the contract renders them (IdentityCertificationDto, AccessReviewItem, Reviewer, CertificationTask).
import type { Environment } from '../../environment.js';
import { findIdentity } from '../identities/service.js';
import type { Certification, CertificationTask, ReviewItem, ReviewerRef } from './model.js';
import { findCampaign } from './state.js';

// ---- rendering (contract IdentityCertificationDto, AccessReviewItem, Reviewer, CertificationTask) ----
export function renderReviewer(env: Environment, r: ReviewerRef | { type: 'IDENTITY'; id: string }) {
  if (r.type === 'GOVERNANCE_GROUP') return { id: r.id, name: (r as ReviewerRef).name ?? r.id, email: null, type: 'GOVERNANCE_GROUP' as const, created: null, modified: null };
  const i = findIdentity(env, r.id);
  return { id: r.id, name: i?.displayName ?? i?.name ?? r.id, email: i?.email ?? null, type: 'IDENTITY' as const, created: i?.created ?? null, modified: i?.created ?? null };
}

export function certCounts(cert: Certification) {
  const perIdentity = new Map<string, boolean>();
  let decisionsMade = 0;
  for (const it of cert.items) {
    if (it.decision) decisionsMade++;
    perIdentity.set(it.identityId, (perIdentity.get(it.identityId) ?? true) && !!it.decision);
  }
  let identitiesCompleted = 0;
  for (const done of perIdentity.values()) if (done) identitiesCompleted++;
  return { decisionsMade, decisionsTotal: cert.items.length, identitiesCompleted, identitiesTotal: perIdentity.size };
}

export function renderCertification(env: Environment, cert: Certification) {
  const campaign = findCampaign(env, cert.campaignId);
  const counts = certCounts(cert);
  return {
    id: cert.id,
    name: cert.name,
    campaign: {
      id: cert.campaignId,
      name: campaign?.name ?? cert.campaignId,
      type: 'CAMPAIGN' as const,
      campaignType: campaign?.campaignType ?? 'MANAGER',
      description: campaign?.description ?? '',
      correlatedStatus: campaign?.correlatedStatus ?? 'CORRELATED',
      mandatoryCommentRequirement: campaign?.mandatoryCommentRequirement ?? 'NO_DECISIONS',
    },
    // S2: "Have all decisions been made?"; sign-off leaves it true
    completed: cert.phase === 'SIGNED' || (counts.decisionsTotal > 0 && counts.decisionsMade === counts.decisionsTotal),
    identitiesCompleted: counts.identitiesCompleted,
    identitiesTotal: counts.identitiesTotal,
    created: cert.created,
    modified: cert.modified,
    decisionsMade: counts.decisionsMade,
    decisionsTotal: counts.decisionsTotal,
    due: cert.due,
    signed: cert.signed,
    reviewer: renderReviewer(env, cert.reviewer),
    reassignment: cert.reassignment
      ? {
          from: { id: cert.reassignment.fromCertificationId, name: cert.reassignment.fromCertificationName, type: 'CERTIFICATION' as const, reviewer: renderReviewer(env, { type: 'IDENTITY', id: cert.reassignment.fromReviewerId }) },
          comment: cert.reassignment.comment,
        }
      : null,
    hasErrors: cert.hasErrors,
    errorMessage: cert.errorMessage,
    phase: cert.phase,
    // emulator extension for audit reports: who signed off (the token's identity); the contract has only `signed`
    signer: cert.signer,
  };
}

export function accessOf(it: ReviewItem): { type: 'ENTITLEMENT' | 'ACCESS_PROFILE' | 'ROLE'; id: string; name: string } {
  const obj = it.type === 'ROLE' ? it.role : it.type === 'ACCESS_PROFILE' ? it.accessProfile : it.entitlement;
  return { type: it.type, id: obj?.id ?? '', name: obj?.name ?? '' };
}

export function renderItem(env: Environment, it: ReviewItem, completedByIdentity: Map<string, boolean>) {
  const subject = findIdentity(env, it.identityId);
  const { permissions: _p, ...entitlement } = it.entitlement ?? ({} as NonNullable<ReviewItem['entitlement']>);
  const ent = it.entitlement
    ? {
        ...entitlement,
        dataAccess: null,
        account: it.entitlement.account
          ? { nativeIdentity: it.entitlement.account.nativeIdentity, disabled: false, locked: false, type: 'ACCOUNT', id: it.entitlement.account.id, name: it.entitlement.account.name, created: it.entitlement.account.created, modified: it.entitlement.account.created, governanceGroupId: null, owner: { id: it.identityId, type: 'IDENTITY', displayName: subject?.displayName ?? subject?.name ?? null } }
          : null,
      }
    : null;
  return {
    accessSummary: {
      access: accessOf(it),
      // only the reviewed kind is present (contract ReviewableAccessProfile is not nullable)
      ...(ent ? { entitlement: ent } : {}),
      ...(it.accessProfile ? { accessProfile: it.accessProfile } : {}),
      ...(it.role ? { role: it.role } : {}),
    },
    identitySummary: { id: it.identitySummaryId, name: subject?.displayName ?? subject?.name ?? it.subjectName ?? it.identityId, identityId: it.identityId, completed: completedByIdentity.get(it.identityId) ?? false },
    id: it.id,
    completed: !!it.decision,
    newAccess: it.newAccess,
    decision: it.decision ?? undefined,
    comments: it.comments,
    // emulator extensions for audit: the decision's actor (token identity) and time, and remediation of revoked access
    decisionMaker: it.decisionMaker,
    decided: it.decided,
    remediation: it.remediation,
  };
}

export function renderTask(t: CertificationTask) {
  return { id: t.id, type: t.type, targetType: t.targetType, targetId: t.targetId, status: t.status, errors: t.errors, reassignmentTrailDTOs: t.reassignmentTrailDTOs, created: t.created };
}
