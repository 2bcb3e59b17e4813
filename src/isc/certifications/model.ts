// ISC certifications (SPEC §7, seed S2, contract isc-v3-certifications-access-requests.openapi.json):
// campaigns, their certifications with review items, certification tasks, audit events and the per-token rate limit.
// State keeps what is stored; the wire DTOs (IdentityCertificationDto, AccessReviewItem, …) are rendered in service.ts.
import { z } from 'zod';
import { campaignLifecycleFields } from '../campaigns/model.js';
import { lazy } from '../../core/lazy.js';

const iso = lazy(() => z.string());

/** A reference to an identity as ISC shows it on audit records (the token's identity, seeds 000/001). */
export const actorSchema = lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    type: z.literal('IDENTITY').default('IDENTITY'),
  }),
);
export type Actor = z.infer<ReturnType<typeof actorSchema>>;

/** contract CampaignReference (all fields required there), plus the lifecycle fields of the campaigns area. */
export const campaignSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    campaignType: z.enum(['MANAGER', 'SOURCE_OWNER', 'SEARCH', 'ROLE_COMPOSITION', 'MACHINE_ACCOUNT']).default('MANAGER'),
    description: z.string().default(''),
    correlatedStatus: z.enum(['CORRELATED', 'UNCORRELATED']).default('CORRELATED'),
    mandatoryCommentRequirement: z.enum(['ALL_DECISIONS', 'REVOKE_ONLY_DECISIONS', 'NO_DECISIONS']).default('NO_DECISIONS'),
    ...campaignLifecycleFields(),
  }),
);
export type Campaign = z.infer<ReturnType<typeof campaignSchema>>;

/** contract IdentityReferenceWithNameAndEmail (entitlement/role owners). */
const ownerSchema = lazy(() =>
  z.object({ type: z.string().default('IDENTITY'), id: z.string(), name: z.string(), email: z.string().optional() }).nullable(),
);

/** contract ReviewableEntitlement (the subset the emulator keeps; the account block is rendered). */
export const entitlementSchema = lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    privileged: z.boolean().default(false),
    owner: ownerSchema().default(null),
    attributeName: z.string().default('memberOf'),
    attributeValue: z.string(),
    sourceSchemaObjectType: z.string().default('group'),
    sourceName: z.string(),
    sourceType: z.string().default('Active Directory - Direct'),
    sourceId: z.string(),
    hasPermissions: z.boolean().default(false),
    isPermission: z.boolean().default(false),
    /** contract PermissionDto: rights on a target (GET …/access-review-items/{itemId}/permissions). */
    permissions: z.array(z.object({ rights: z.array(z.string()), target: z.string() })).default([]),
    revocable: z.boolean().default(true),
    cloudGoverned: z.boolean().default(false),
    containsDataAccess: z.boolean().default(false),
    /** The identity's account on the source that holds the entitlement. */
    account: z
      .object({ nativeIdentity: z.string(), id: z.string().nullable().default(null), name: z.string().nullable().default(null), created: iso().nullable().default(null) })
      .nullable()
      .default(null),
  }),
);
export type Entitlement = z.infer<ReturnType<typeof entitlementSchema>>;

/** contract ReviewableAccessProfile. */
export const accessProfileSchema = lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    privileged: z.boolean().default(false),
    cloudGoverned: z.boolean().default(false),
    endDate: iso().nullable().default(null),
    owner: ownerSchema().default(null),
    entitlements: z.array(entitlementSchema()).default([]),
    created: iso(),
    modified: iso(),
  }),
);
export type AccessProfile = z.infer<ReturnType<typeof accessProfileSchema>>;

/** contract ReviewableRole. */
export const roleSchema = lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    privileged: z.boolean().default(false),
    owner: ownerSchema().default(null),
    revocable: z.boolean().default(true),
    accessProfiles: z.array(accessProfileSchema()).default([]),
    entitlements: z.array(entitlementSchema()).default([]),
  }),
);
export type Role = z.infer<ReturnType<typeof roleSchema>>;

export const remediationSchema = lazy(() =>
  z.object({
    status: z.enum(['PENDING', 'COMPLETED', 'FAILED']),
    started: iso(),
    completed: iso().nullable().default(null),
    /** Why the last attempt failed (FAILED; run-remediation-scan re-queues it). */
    error: z.string().nullable().optional(),
  }),
);

/** Remediation timing and injectable failures (control plane GET|PUT /__emulator/isc/remediation). */
export const remediationControlSchema = lazy(() =>
  z.object({
    /** Revoked access is removed this long after sign-off (emulator ms). */
    delayMs: z.number().int().min(0).default(60_000),
    /** The next N item remediations fail (then run-remediation-scan re-queues them). */
    failNext: z.number().int().min(0).default(0),
    failureMessage: z.string().min(1).default('The connector failed to remove the access.'),
  }),
);
export type RemediationControl = z.infer<ReturnType<typeof remediationControlSchema>>;

/** One access review item: an identity's access to one entitlement, access profile or role. */
export const reviewItemSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    /** The identity whose access is reviewed (contract CertificationIdentitySummary.identityId). */
    identityId: z.string().min(1),
    identitySummaryId: z.string().min(1),
    /** The name of a subject that is not an identity (a role, in role-composition reviews). */
    subjectName: z.string().optional(),
    type: z.enum(['ENTITLEMENT', 'ACCESS_PROFILE', 'ROLE']),
    entitlement: entitlementSchema().optional(),
    accessProfile: accessProfileSchema().optional(),
    role: roleSchema().optional(),
    newAccess: z.boolean().default(false),
    decision: z.enum(['APPROVE', 'REVOKE']).nullable().default(null),
    comments: z.string().nullable().default(null),
    bulk: z.boolean().default(false),
    proposedEndDate: iso().nullable().default(null),
    /** Who made the decision: the token's identity (seeds 000/001), and when. */
    decisionMaker: actorSchema().nullable().default(null),
    decided: iso().nullable().default(null),
    /** Revoked items are remediated once the certification is signed off (S2: "initiates any remediations"). */
    remediation: remediationSchema().nullable().default(null),
  }),
);
export type ReviewItem = z.infer<ReturnType<typeof reviewItemSchema>>;

/** The reviewer: an identity, or a governance group (decide/sign-off refused for those, S2). */
export const reviewerSchema = lazy(() =>
  z.object({
    type: z.enum(['IDENTITY', 'GOVERNANCE_GROUP']).default('IDENTITY'),
    id: z.string().min(1),
    /** Governance groups: their name and member identity ids (identities are resolved from the identities area). */
    name: z.string().optional(),
    members: z.array(z.string()).default([]),
  }),
);
export type ReviewerRef = z.infer<ReturnType<typeof reviewerSchema>>;

export const certificationSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    campaignId: z.string().min(1),
    created: iso(),
    modified: iso(),
    due: iso().nullable().default(null),
    signed: iso().nullable().default(null),
    /** Who signed off: the token's identity (API client → its service identity). */
    signer: actorSchema().nullable().default(null),
    reviewer: reviewerSchema(),
    reassignment: z
      .object({ fromCertificationId: z.string(), fromCertificationName: z.string(), fromReviewerId: z.string(), comment: z.string() })
      .nullable()
      .default(null),
    phase: z.enum(['STAGED', 'ACTIVE', 'SIGNED']).default('ACTIVE'),
    hasErrors: z.boolean().default(false),
    errorMessage: z.string().nullable().default(null),
    items: z.array(reviewItemSchema()).default([]),
  }),
);
export type Certification = z.infer<ReturnType<typeof certificationSchema>>;

/** contract CertificationTask. */
export const certificationTaskSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    type: z.enum(['REASSIGN', 'ADMIN_REASSIGN', 'COMPLETE_CERTIFICATION', 'FINISH_CERTIFICATION', 'COMPLETE_CAMPAIGN', 'ACTIVATE_CAMPAIGN', 'CAMPAIGN_CREATE', 'CAMPAIGN_DELETE']),
    targetType: z.enum(['CERTIFICATION', 'CAMPAIGN']).default('CERTIFICATION'),
    targetId: z.string(),
    status: z.enum(['QUEUED', 'IN_PROGRESS', 'SUCCESS', 'ERROR']),
    errors: z.array(z.object({ locale: z.string().nullable(), localeOrigin: z.string().nullable(), text: z.string() })).default([]),
    reassignmentTrailDTOs: z.array(z.object({ previousOwner: z.string(), newOwner: z.string(), reassignmentType: z.string() })).default([]),
    created: iso(),
    /** Emulator bookkeeping: the reviewers allowed to see the task, the pending request and when it completes. */
    reviewerId: z.string().optional(),
    dueAt: iso().optional(),
    request: z.unknown().optional(),
    actor: actorSchema().optional(),
  }),
);
export type CertificationTask = z.infer<ReturnType<typeof certificationTaskSchema>>;

/** An audit event as the search `events` index holds it (contract EventDocument). */
export const auditEventSchema = lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    created: iso(),
    synced: iso(),
    action: z.string(),
    type: z.string(),
    actor: z.object({ name: z.string() }),
    target: z.object({ name: z.string() }),
    stack: z.string().default('certs'),
    trackingNumber: z.string(),
    ipAddress: z.string().default('127.0.0.1'),
    details: z.string(),
    attributes: z.record(z.string(), z.unknown()).default({}),
    objects: z.array(z.string()),
    operation: z.string(),
    status: z.string(),
    technicalName: z.string(),
  }),
);
export type AuditEvent = z.infer<ReturnType<typeof auditEventSchema>>;

export const rateLimitSchema = lazy(() =>
  z.object({
    /** Requests allowed per access token per window (SPEC §7 default 100). */
    requests: z.number().int().min(1).default(100),
    windowSeconds: z.number().int().min(1).default(10),
  }),
);
export type RateLimitConfig = z.infer<ReturnType<typeof rateLimitSchema>>;

export const iscCertificationsFixture = lazy(() =>
  z.object({
    iscCampaigns: z.array(campaignSchema()).optional(),
    iscCertifications: z.array(certificationSchema()).optional(),
    iscCertificationTasks: z.array(certificationTaskSchema()).optional(),
    iscAuditEvents: z.array(auditEventSchema()).optional(),
    /** ISC per-token rate limit for /v3 and /beta (default 100 requests per 10 s). */
    iscRateLimit: rateLimitSchema().optional(),
    /** Remediation delay and injected failures (default 60 s, none). */
    iscRemediation: remediationControlSchema().optional(),
  }),
);
export type IscCertificationsFixture = z.infer<ReturnType<typeof iscCertificationsFixture>>;

export interface IscCertificationsState {
  campaigns: Campaign[];
  certifications: Certification[];
  tasks: CertificationTask[];
  events: AuditEvent[];
  rateLimit: RateLimitConfig;
  remediation: RemediationControl;
}

/** contract ReviewDecision (POST /certifications/{id}/decide: 1..250 of them). */
export const reviewDecisionSchema = lazy(() =>
  z.object({
    id: z.string(),
    decision: z.enum(['APPROVE', 'REVOKE']),
    // null = absent (the real service deserializes with Jackson; the PowerShell SDK sends nulls for unset fields)
    proposedEndDate: z.string().nullable().optional(),
    bulk: z.boolean(),
    recommendation: z.unknown().optional(),
    comments: z.string().nullable().optional(),
  }),
);
export type ReviewDecision = z.infer<ReturnType<typeof reviewDecisionSchema>>;

/** contract ReviewReassign. */
export const reviewReassignSchema = lazy(() =>
  z.object({
    reassign: z.array(z.object({ id: z.string(), type: z.enum(['TARGET_SUMMARY', 'ITEM', 'IDENTITY_SUMMARY']) })),
    reassignTo: z.string(),
    reason: z.string(),
  }),
);
export type ReviewReassign = z.infer<ReturnType<typeof reviewReassignSchema>>;
