// ISC access requests (SPEC §8, contract isc-v3-access-model-requests-search.openapi.json: AccessRequest,
// RequestedItemStatus, PendingApproval, CompletedApproval, AccessRequestConfig). State keeps one row per requested
// item per identity (the product's "account activity item", the unit of status, approval and provisioning) and one
// row per approval step; the wire DTOs are rendered from them in render.ts.
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';

const iso = lazy(() => z.string());
const ref = lazy(() => z.object({ type: z.string().default('IDENTITY'), id: z.string(), name: z.string() }));

/** contract AccessRequestConfig (every field, with the contract's defaults). */
export const accessRequestConfigSchema = lazy(() =>
  z.object({
    approvalsMustBeExternal: z.boolean().default(false),
    autoApprovalEnabled: z.boolean().default(false),
    reauthorizationEnabled: z.boolean().default(false),
    requestOnBehalfOfConfig: z
      .object({ allowRequestOnBehalfOfAnyoneByAnyone: z.boolean().default(false), allowRequestOnBehalfOfEmployeeByManager: z.boolean().default(false) })
      .default({ allowRequestOnBehalfOfAnyoneByAnyone: false, allowRequestOnBehalfOfEmployeeByManager: false }),
    approvalReminderAndEscalationConfig: z
      .object({
        daysUntilEscalation: z.number().int().min(0).nullable().default(null),
        daysBetweenReminders: z.number().int().min(0).nullable().default(null),
        maxReminders: z.number().int().min(1).nullable().default(null),
        fallbackApproverRef: z.object({ type: z.string().default('IDENTITY'), id: z.string(), name: z.string().optional(), email: z.string().optional() }).nullable().default(null),
      })
      .default({ daysUntilEscalation: null, daysBetweenReminders: null, maxReminders: null, fallbackApproverRef: null }),
    entitlementRequestConfig: z
      .object({
        allowEntitlementRequest: z.boolean().default(false),
        requestCommentsRequired: z.boolean().default(false),
        deniedCommentsRequired: z.boolean().default(false),
        grantRequestApprovalSchemes: z.string().nullable().default('sourceOwner'),
      })
      .default({ allowEntitlementRequest: false, requestCommentsRequired: false, deniedCommentsRequired: false, grantRequestApprovalSchemes: 'sourceOwner' }),
  }),
);
export type AccessRequestConfig = z.infer<ReturnType<typeof accessRequestConfigSchema>>;

export const itemTypeSchema = lazy(() => z.enum(['ACCESS_PROFILE', 'ROLE', 'ENTITLEMENT']));
export type ItemType = z.infer<ReturnType<typeof itemTypeSchema>>;

/** contract ApprovalScheme (the approver kinds a status row reports). */
export const approvalSchemeSchema = lazy(() =>
  z.enum(['APP_OWNER', 'SOURCE_OWNER', 'MANAGER', 'ROLE_OWNER', 'ACCESS_PROFILE_OWNER', 'ENTITLEMENT_OWNER', 'GOVERNANCE_GROUP']),
);
export type ApprovalSchemeName = z.infer<ReturnType<typeof approvalSchemeSchema>>;

/** One approval step of a requested item; `approvalId` is set while/after it is someone's work. */
export const approvalStepSchema = lazy(() =>
  z.object({
    scheme: approvalSchemeSchema(),
    /** Resolved when the request is submitted; null: nobody to ask (the step passes). */
    ownerType: z.enum(['IDENTITY', 'GOVERNANCE_GROUP']).default('IDENTITY'),
    ownerId: z.string().nullable().default(null),
    ownerName: z.string().default('System'),
    approvalId: z.string().nullable().default(null),
    /** PENDING until reached and decided; APPROVED by a person or by the system (auto-approval, no approver). */
    status: z.enum(['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED']).default('PENDING'),
  }),
);

/** One requested item for one identity (RequestedItemStatus row; accountActivityItemId = id). */
export const requestedItemSchema = lazy(() =>
  z.object({
    id: z.string(),
    accessRequestId: z.string(),
    requestType: z.enum(['GRANT_ACCESS', 'REVOKE_ACCESS']),
    requesterId: z.string(),
    requestedForId: z.string(),
    item: z.object({ type: itemTypeSchema(), id: z.string(), name: z.string(), description: z.string().nullable().default(null) }),
    comment: z.string().nullable().default(null),
    clientMetadata: z.record(z.string(), z.string()).nullable().default(null),
    startDate: iso().nullable().default(null),
    removeDate: iso().nullable().default(null),
    created: iso(),
    modified: iso(),
    state: z.enum(['EXECUTING', 'REQUEST_COMPLETED', 'CANCELLED', 'TERMINATED', 'REJECTED', 'NOT_ALL_ITEMS_PROVISIONED', 'ERROR', 'PROVISIONING_FAILED']).default('EXECUTING'),
    /** Where the item is: approval steps, then provisioning, then done. */
    phase: z.enum(['APPROVAL', 'PROVISIONING', 'DONE']).default('APPROVAL'),
    approvalStarted: iso().nullable().default(null),
    approvalFinished: iso().nullable().default(null),
    provisioningStarted: iso().nullable().default(null),
    provisioningFinished: iso().nullable().default(null),
    steps: z.array(approvalStepSchema()).default([]),
    cancelled: z.object({ comment: z.string(), owner: ref(), modified: iso() }).nullable().default(null),
    errorMessages: z.array(z.string()).default([]),
    /** Accounts provisioning touched (RequestedAccountRef). */
    accounts: z.array(z.object({ accountUuid: z.string(), accountId: z.string(), name: z.string(), sourceName: z.string() })).default([]),
    /** When the removeDate revocation ran (GRANT_ACCESS with a removeDate). */
    removed: iso().nullable().default(null),
  }),
);
export type RequestedItem = z.infer<ReturnType<typeof requestedItemSchema>>;

export const forwardSchema = lazy(() =>
  z.object({ oldApproverName: z.string(), newApproverName: z.string(), comment: z.string().nullable(), modified: iso(), forwarderName: z.string().nullable(), reassignmentType: z.enum(['MANUAL_REASSIGNMENT', 'AUTOMATIC_REASSIGNMENT', 'AUTO_ESCALATION', 'SELF_REVIEW_DELEGATION']) }),
);

/** One approval (PendingApproval / CompletedApproval): a step of a requested item owned by an identity or a group. */
export const approvalSchema = lazy(() =>
  z.object({
    id: z.string(),
    requestedItemId: z.string(),
    accessRequestId: z.string(),
    scheme: approvalSchemeSchema(),
    ownerType: z.enum(['IDENTITY', 'GOVERNANCE_GROUP']).default('IDENTITY'),
    ownerId: z.string(),
    ownerName: z.string(),
    /** The owner the step first went to (ApprovalStatusDto.originalOwner). */
    originalOwner: ref(),
    state: z.enum(['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED']).default('PENDING'),
    created: iso(),
    modified: iso(),
    reviewedBy: ref().nullable().default(null),
    reviewerComment: z.string().nullable().default(null),
    forwardHistory: z.array(forwardSchema()).default([]),
    remindersSent: z.number().int().default(0),
  }),
);
export type Approval = z.infer<ReturnType<typeof approvalSchema>>;

/** Fulfilment controls (control plane, like the AIC fulfilment): delay and injected failures. */
export const fulfilmentControlSchema = lazy(() =>
  z.object({
    delayMs: z.number().int().min(0).default(60_000),
    /** The next N provisioning runs fail: the item ends in ERROR with `failureMessage`, nothing is granted. */
    failNext: z.number().int().min(0).default(0),
    failureMessage: z.string().default('Provisioning failed: the connector returned an error.'),
  }),
);
export type FulfilmentControl = z.infer<ReturnType<typeof fulfilmentControlSchema>>;

export const accessRequestsFixture = lazy(() =>
  z.object({
    accessRequestConfig: accessRequestConfigSchema().optional(),
    accessRequests: z.array(requestedItemSchema()).optional(),
    accessRequestApprovals: z.array(approvalSchema()).optional(),
    accessRequestFulfilment: fulfilmentControlSchema().optional(),
  }),
);
export type AccessRequestsFixture = z.infer<ReturnType<typeof accessRequestsFixture>>;

export interface AccessRequestsState {
  config: AccessRequestConfig;
  items: RequestedItem[];
  approvals: Approval[];
  fulfilment: FulfilmentControl;
}
