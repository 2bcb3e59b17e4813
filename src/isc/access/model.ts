// The ISC access model (SPEC §8, contracts isc-v3-access-model-requests-search.openapi.json and
// isc-beta-identities-entitlements.openapi.json): sources → accounts → entitlements; access profiles bundle entitlements
// of one source; roles bundle access profiles and entitlements; identities hold roles and access profiles (assignments)
// and accounts (which hold entitlements). The single source of truth for "who has what": certifications, access
// requests, campaigns and the search indices read it. State keeps ids; names are resolved when rendering.
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';

const iso = lazy(() => z.string());

/** contract Source (the subset the emulator keeps). */
export const sourceSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    description: z.string().default(''),
    /** contract Source.owner (an identity). */
    ownerId: z.string(),
    /** contract Source.type / connector, e.g. "Workday" / "workday". */
    type: z.string().default('DelimitedFile'),
    connector: z.string().default('delimited-file'),
    /** The HR source identities are built from. */
    authoritative: z.boolean().default(false),
    /** The account attribute that holds entitlements (memberOf, groups, permissionSet…). */
    entitlementAttribute: z.string().default('memberOf'),
    /** Attribute of the identity used as the account name on this source (name → "alice.reviewer"). */
    accountNameFrom: z.enum(['name', 'email', 'dn']).default('name'),
    features: z.array(z.string()).default(['PROVISIONING', 'ENABLE', 'UNLOCK']),
    created: iso(),
    modified: iso(),
  }),
);
export type Source = z.infer<ReturnType<typeof sourceSchema>>;

/** contract Account: one identity's account on one source. */
export const accountSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    /** Display name of the account (contract Account.name). */
    name: z.string(),
    nativeIdentity: z.string(),
    sourceId: z.string(),
    /** Correlated identity (null: an uncorrelated account). */
    identityId: z.string().nullable().default(null),
    disabled: z.boolean().default(false),
    locked: z.boolean().default(false),
    systemAccount: z.boolean().default(false),
    manuallyCorrelated: z.boolean().default(false),
    /** Entitlements the account holds on the source. */
    entitlementIds: z.array(z.string()).default([]),
    attributes: z.record(z.string(), z.unknown()).default({}),
    created: iso(),
    modified: iso(),
  }),
);
export type Account = z.infer<ReturnType<typeof accountSchema>>;

/** contract PermissionDto. */
const permissionSchema = lazy(() => z.object({ rights: z.array(z.string()), target: z.string() }));

/** contract Entitlement (beta): one value of a source's entitlement attribute. */
export const entitlementSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    description: z.string().nullable().default(null),
    sourceId: z.string(),
    attribute: z.string().default('memberOf'),
    value: z.string(),
    sourceSchemaObjectType: z.string().default('group'),
    ownerId: z.string().nullable().default(null),
    requestable: z.boolean().default(true),
    privileged: z.boolean().default(false),
    cloudGoverned: z.boolean().default(false),
    permissions: z.array(permissionSchema()).default([]),
    created: iso(),
    modified: iso(),
  }),
);
export type Entitlement = z.infer<ReturnType<typeof entitlementSchema>>;

/** contract AccessProfileApprovalScheme / ApprovalSchemeForRole. */
export const approvalSchemeSchema = lazy(() =>
  z.object({
    approverType: z.enum(['APP_OWNER', 'OWNER', 'SOURCE_OWNER', 'MANAGER', 'GOVERNANCE_GROUP', 'WORKFLOW']),
    approverId: z.string().nullable().default(null),
  }),
);
export type ApprovalScheme = z.infer<ReturnType<typeof approvalSchemeSchema>>;

/** contract Requestability / RequestabilityForRole. */
export const requestConfigSchema = lazy(() =>
  z.object({
    commentsRequired: z.boolean().default(false),
    denialCommentsRequired: z.boolean().default(false),
    reauthorizationRequired: z.boolean().default(false),
    approvalSchemes: z.array(approvalSchemeSchema()).default([]),
  }),
);
export type RequestConfig = z.infer<ReturnType<typeof requestConfigSchema>>;
const defaultRequestConfig = (): RequestConfig => ({ commentsRequired: false, denialCommentsRequired: false, reauthorizationRequired: false, approvalSchemes: [] });

/** contract AccessProfile: entitlements of one source, requestable as a bundle. */
export const accessProfileSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    description: z.string().nullable().default(null),
    sourceId: z.string(),
    ownerId: z.string(),
    entitlementIds: z.array(z.string()).default([]),
    enabled: z.boolean().default(true),
    requestable: z.boolean().default(true),
    accessRequestConfig: requestConfigSchema().default(defaultRequestConfig),
    revocationRequestConfig: z.object({ approvalSchemes: z.array(approvalSchemeSchema()).default([]) }).default({ approvalSchemes: [] }),
    segments: z.array(z.string()).default([]),
    created: iso(),
    modified: iso(),
  }),
);
export type AccessProfile = z.infer<ReturnType<typeof accessProfileSchema>>;

/**
 * contract RoleCriteriaLevel1..3 (kept as given: operation AND/OR/EQUALS/NOT_EQUALS/CONTAINS/STARTS_WITH/ENDS_WITH,
 * key {type: IDENTITY|ACCOUNT|ENTITLEMENT, property, sourceId}, stringValue, children).
 */
export interface RoleCriteria {
  operation: string;
  key?: { type: string; property: string; sourceId?: string | null } | null;
  stringValue?: string | null;
  children?: RoleCriteria[] | null;
}
export const roleCriteriaSchema: () => z.ZodType<RoleCriteria> = lazy(() =>
  z.lazy(() =>
    z.object({
      operation: z.string(),
      key: z.object({ type: z.string(), property: z.string(), sourceId: z.string().nullable().optional() }).nullable().optional(),
      stringValue: z.string().nullable().optional(),
      children: z.array(roleCriteriaSchema()).nullable().optional(),
    }),
  ),
);

/** contract RoleMembershipSelector: STANDARD (criteria) or IDENTITY_LIST. */
export const roleMembershipSchema = lazy(() =>
  z.object({
    type: z.enum(['STANDARD', 'IDENTITY_LIST']),
    criteria: roleCriteriaSchema().nullable().default(null),
    identityIds: z.array(z.string()).default([]),
  }),
);
export type RoleMembership = z.infer<ReturnType<typeof roleMembershipSchema>>;

/** contract Role. */
export const roleSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    description: z.string().nullable().default(null),
    ownerId: z.string(),
    accessProfileIds: z.array(z.string()).default([]),
    entitlementIds: z.array(z.string()).default([]),
    membership: roleMembershipSchema().nullable().default(null),
    enabled: z.boolean().default(true),
    requestable: z.boolean().default(false),
    accessRequestConfig: requestConfigSchema().default(defaultRequestConfig),
    revocationRequestConfig: z.object({ approvalSchemes: z.array(approvalSchemeSchema()).default([]) }).default({ approvalSchemes: [] }),
    segments: z.array(z.string()).default([]),
    dimensional: z.boolean().default(false),
    created: iso(),
    modified: iso(),
  }),
);
export type Role = z.infer<ReturnType<typeof roleSchema>>;

/** A governance group (workgroup): approvers and reviewers as a team. */
export const governanceGroupSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    description: z.string().default(''),
    ownerId: z.string(),
    memberIds: z.array(z.string()).default([]),
    created: iso(),
    modified: iso(),
  }),
);
export type GovernanceGroup = z.infer<ReturnType<typeof governanceGroupSchema>>;

/** How an identity came to hold a role or access profile. */
export const assignmentSourceSchema = lazy(() => z.enum(['ROLE_MEMBERSHIP', 'REQUEST', 'ADMIN', 'BIRTHRIGHT']));

/** An identity holding a role or an access profile (entitlements are held by accounts). */
export const assignmentSchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    identityId: z.string(),
    type: z.enum(['ROLE', 'ACCESS_PROFILE']),
    itemId: z.string(),
    source: assignmentSourceSchema().default('ADMIN'),
    /** Identity id of who granted it (null: the system). */
    grantedBy: z.string().nullable().default(null),
    created: iso(),
    /** removeDate of the request that granted it: the caller schedules the revocation. */
    removeDate: iso().nullable().default(null),
  }),
);
export type Assignment = z.infer<ReturnType<typeof assignmentSchema>>;

/** Entitlements an identity was granted one by one (not through a role or access profile). */
export const entitlementGrantSchema = lazy(() =>
  z.object({
    identityId: z.string(),
    entitlementId: z.string(),
    accountId: z.string(),
    grantedBy: z.string().nullable().default(null),
    created: iso(),
    removeDate: iso().nullable().default(null),
  }),
);
export type EntitlementGrant = z.infer<ReturnType<typeof entitlementGrantSchema>>;

/** The fixture keys of the access model (all optional; absent: generated from the identities). */
export const iscAccessFixture = lazy(() =>
  z.object({
    iscSources: z.array(sourceSchema()).optional(),
    iscAccounts: z.array(accountSchema()).optional(),
    iscEntitlements: z.array(entitlementSchema()).optional(),
    iscAccessProfiles: z.array(accessProfileSchema()).optional(),
    iscRoles: z.array(roleSchema()).optional(),
    iscGovernanceGroups: z.array(governanceGroupSchema()).optional(),
    iscAssignments: z.array(assignmentSchema()).optional(),
    iscEntitlementGrants: z.array(entitlementGrantSchema()).optional(),
  }),
);
export type IscAccessFixture = z.infer<ReturnType<typeof iscAccessFixture>>;

export interface IscAccessState {
  sources: Source[];
  accounts: Account[];
  entitlements: Entitlement[];
  accessProfiles: AccessProfile[];
  roles: Role[];
  governanceGroups: GovernanceGroup[];
  assignments: Assignment[];
  entitlementGrants: EntitlementGrant[];
}

/** What a caller grants or revokes (contract AccessRequestItem.type + id). */
export type AccessItemType = 'ROLE' | 'ACCESS_PROFILE' | 'ENTITLEMENT';
export interface AccessItemRef {
  type: AccessItemType;
  id: string;
}
