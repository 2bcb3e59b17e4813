// Wire schemas of this area for the generated OpenAPI document (shapes per the vendor contract
// isc-v3-certifications-access-requests.openapi.json; responses are validated against that contract in tests).
import { z } from '@hono/zod-openapi';
import { reviewDecisionSchema } from './model.js';
import { lazy } from '../../core/lazy.js';

const locale = lazy(() => z.object({ locale: z.string().nullable(), localeOrigin: z.string().nullable(), text: z.string() }));

const reviewer = lazy(() =>
  z
    .object({ id: z.string(), name: z.string(), email: z.string().nullable(), type: z.enum(['IDENTITY', 'GOVERNANCE_GROUP']), created: z.string().nullable(), modified: z.string().nullable() })
    .openapi('Reviewer'),
);

const actor = lazy(() => z.object({ id: z.string(), name: z.string(), type: z.literal('IDENTITY') }).nullable());

export const identityCertificationDto = lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      campaign: z.object({ id: z.string(), name: z.string(), type: z.literal('CAMPAIGN'), campaignType: z.string(), description: z.string(), correlatedStatus: z.string(), mandatoryCommentRequirement: z.string() }),
      completed: z.boolean(),
      identitiesCompleted: z.number().int(),
      identitiesTotal: z.number().int(),
      created: z.string(),
      modified: z.string(),
      decisionsMade: z.number().int(),
      decisionsTotal: z.number().int(),
      due: z.string().nullable(),
      signed: z.string().nullable(),
      reviewer: reviewer(),
      reassignment: z.object({ from: z.object({ id: z.string(), name: z.string(), type: z.literal('CERTIFICATION'), reviewer: reviewer() }), comment: z.string() }).nullable(),
      hasErrors: z.boolean(),
      errorMessage: z.string().nullable(),
      phase: z.enum(['STAGED', 'ACTIVE', 'SIGNED']),
      signer: actor().openapi({ description: 'Emulator extension: the identity whose token signed off (API client → its service identity).' }),
    })
    .openapi('IdentityCertificationDto'),
);

export const accessReviewItem = lazy(() =>
  z
    .object({
      accessSummary: z.object({ access: z.object({ type: z.string(), id: z.string(), name: z.string() }), entitlement: z.record(z.string(), z.unknown()).optional(), accessProfile: z.record(z.string(), z.unknown()).optional(), role: z.record(z.string(), z.unknown()).optional() }),
      identitySummary: z.object({ id: z.string(), name: z.string(), identityId: z.string(), completed: z.boolean() }),
      id: z.string(),
      completed: z.boolean(),
      newAccess: z.boolean(),
      decision: z.enum(['APPROVE', 'REVOKE']).optional(),
      comments: z.string().nullable(),
      decisionMaker: actor().openapi({ description: 'Emulator extension: the identity whose token made the decision.' }),
      decided: z.string().nullable(),
      remediation: z.object({ status: z.enum(['PENDING', 'COMPLETED', 'FAILED']), started: z.string(), completed: z.string().nullable(), error: z.string().nullable().optional() }).nullable(),
    })
    .openapi('AccessReviewItem'),
);

export const identityReference = lazy(() =>
  z.object({ type: z.string(), id: z.string(), name: z.string(), email: z.string() }).openapi('IdentityReferenceWithNameAndEmail'),
);

export const certificationTask = lazy(() =>
  z
    .object({
      id: z.string(),
      type: z.string(),
      targetType: z.enum(['CERTIFICATION', 'CAMPAIGN']),
      targetId: z.string(),
      status: z.enum(['QUEUED', 'IN_PROGRESS', 'SUCCESS', 'ERROR']),
      errors: z.array(locale()),
      reassignmentTrailDTOs: z.array(z.object({ previousOwner: z.string(), newOwner: z.string(), reassignmentType: z.string() })),
      created: z.string(),
    })
    .openapi('CertificationTask'),
);

export const reviewDecisionBody = lazy(() => z.array(reviewDecisionSchema()).min(1).max(250).openapi('ReviewDecisionList'));

export const reviewReassignBody = lazy(() =>
  z
    .object({
      reassign: z.array(z.object({ id: z.string(), type: z.enum(['TARGET_SUMMARY', 'ITEM', 'IDENTITY_SUMMARY']) })),
      reassignTo: z.string(),
      reason: z.string(),
    })
    .openapi('ReviewReassign'),
);

const int = lazy(() => z.number().int());
export const decisionSummaryDto = lazy(() =>
  z
    .object({
      entitlementDecisionsMade: int(),
      accessProfileDecisionsMade: int(),
      roleDecisionsMade: int(),
      accountDecisionsMade: int(),
      entitlementDecisionsTotal: int(),
      accessProfileDecisionsTotal: int(),
      roleDecisionsTotal: int(),
      accountDecisionsTotal: int(),
      entitlementsApproved: int(),
      entitlementsRevoked: int(),
      accessProfilesApproved: int(),
      accessProfilesRevoked: int(),
      rolesApproved: int(),
      rolesRevoked: int(),
      accountsApproved: int(),
      accountsRevoked: int(),
    })
    .openapi('IdentityCertDecisionSummary'),
);

export const identitySummaryDto = lazy(() =>
  z.object({ id: z.string(), name: z.string(), identityId: z.string(), completed: z.boolean() }).openapi('CertificationIdentitySummary'),
);

export const accessSummaryDto = lazy(() =>
  z
    .object({ access: z.object({ type: z.string(), id: z.string(), name: z.string() }), entitlement: z.record(z.string(), z.unknown()).optional(), accessProfile: z.record(z.string(), z.unknown()).optional(), role: z.record(z.string(), z.unknown()).optional() })
    .openapi('AccessSummary'),
);
