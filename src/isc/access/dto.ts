// Wire shapes of the access model (contracts isc-v3-access-model-requests-search.openapi.json — Source, Account,
// Entitlement, AccessProfile, Role, RoleIdentity, PublicIdentity — and isc-beta-identities-entitlements.openapi.json —
// Identity, Entitlement), rendered from the model: state keeps ids, names are resolved here.
import type { Environment } from '../../environment.js';
import type { IscIdentity } from '../identities/model.js';
import { directReports, findIdentity } from '../identities/service.js';
import type { Account, AccessProfile, ApprovalScheme, Entitlement, Role, Source } from './model.js';
import { accessIndex, identityRef } from './service.js';

const ref = (type: string, id: string, name: string) => ({ type, id, name });

function sourceRef(env: Environment, id: string) {
  const s = accessIndex(env).sources.get(id);
  return ref('SOURCE', id, s?.name ?? id);
}

function ownerRef(env: Environment, id: string | null) {
  const o = identityRef(env, id);
  return o ? { type: 'IDENTITY', id: o.id, name: o.name } : null;
}

/** contract Source. */
export function sourceDto(env: Environment, s: Source) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    owner: ownerRef(env, s.ownerId),
    cluster: null,
    accountCorrelationConfig: null,
    accountCorrelationRule: null,
    managerCorrelationRule: null,
    beforeProvisioningRule: null,
    schemas: [ref('CONNECTOR_SCHEMA', `${s.id.slice(0, 24)}acct`, 'account'), ref('CONNECTOR_SCHEMA', `${s.id.slice(0, 24)}grps`, 'group')],
    passwordPolicies: null,
    features: s.features,
    type: s.type,
    connector: s.connector,
    connectorClass: `sailpoint.connector.${s.connector.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}Connector`,
    connectorAttributes: {},
    deleteThreshold: 10,
    authoritative: s.authoritative,
    managementWorkgroup: null,
    healthy: true,
    status: 'SOURCE_STATE_HEALTHY',
    since: s.created,
    connectorId: s.connector,
    connectorName: s.type,
    connectionType: 'direct',
    connectorImplementationId: s.connector,
    created: s.created,
    modified: s.modified,
    credentialProviderEnabled: false,
    category: null,
  };
}

/** contract Account. */
export function accountDto(env: Environment, a: Account) {
  const ix = accessIndex(env);
  const source = ix.sources.get(a.sourceId);
  const identity = a.identityId ? findIdentity(env, a.identityId) : undefined;
  return {
    id: a.id,
    name: a.name,
    created: a.created,
    modified: a.modified,
    sourceId: a.sourceId,
    sourceName: source?.name ?? null,
    identityId: a.identityId ?? '',
    cloudLifecycleState: identity?.lifecycleState ?? null,
    identityState: identity ? (identity.active ? 'ACTIVE' : 'INACTIVE_LONG_TERM') : null,
    connectionType: 'direct',
    isMachine: false,
    attributes: { ...a.attributes, [source?.entitlementAttribute ?? 'memberOf']: a.entitlementIds.map((id) => ix.entitlements.get(id)?.value).filter(Boolean) },
    authoritative: source?.authoritative ?? false,
    description: null,
    disabled: a.disabled,
    locked: a.locked,
    nativeIdentity: a.nativeIdentity,
    systemAccount: a.systemAccount,
    uncorrelated: !a.identityId,
    uuid: null,
    manuallyCorrelated: a.manuallyCorrelated,
    hasEntitlements: a.entitlementIds.length > 0,
    identity: identity ? ref('IDENTITY', identity.id, identity.name) : null,
    sourceOwner: source ? ownerRef(env, source.ownerId) : null,
    features: source?.features.join(', ') ?? null,
    origin: 'AGGREGATED',
  };
}

/** contract Entitlement (v3 and beta share the fields the emulator fills). */
export function entitlementDto(env: Environment, e: Entitlement) {
  return {
    id: e.id,
    name: e.name,
    created: e.created,
    modified: e.modified,
    attribute: e.attribute,
    value: e.value,
    sourceSchemaObjectType: e.sourceSchemaObjectType,
    privileged: e.privileged,
    cloudGoverned: e.cloudGoverned,
    description: e.description,
    requestable: e.requestable,
    attributes: {},
    source: sourceRef(env, e.sourceId),
    owner: ownerRef(env, e.ownerId),
    additionalOwners: [],
    directPermissions: e.permissions,
    segments: [],
    manuallyUpdatedFields: { DISPLAY_NAME: false, DESCRIPTION: false },
    accessModelMetadata: { attributes: [] },
  };
}

function schemesDto(env: Environment, schemes: ApprovalScheme[]) {
  return schemes.map((s) => ({ approverType: s.approverType, approverId: s.approverId }));
}

/** contract AccessProfile. */
export function accessProfileDto(env: Environment, p: AccessProfile) {
  const ix = accessIndex(env);
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    created: p.created,
    modified: p.modified,
    enabled: p.enabled,
    owner: ownerRef(env, p.ownerId),
    source: sourceRef(env, p.sourceId),
    entitlements: p.entitlementIds.map((id) => ref('ENTITLEMENT', id, ix.entitlements.get(id)?.name ?? id)),
    requestable: p.requestable,
    accessRequestConfig: { ...p.accessRequestConfig, requireEndDate: false, maxPermittedAccessDuration: null, approvalSchemes: schemesDto(env, p.accessRequestConfig.approvalSchemes) },
    revocationRequestConfig: { approvalSchemes: schemesDto(env, p.revocationRequestConfig.approvalSchemes) },
    segments: p.segments,
    accessModelMetadata: { attributes: [] },
    provisioningCriteria: null,
    additionalOwners: [],
  };
}

/** contract Role. */
export function roleDto(env: Environment, r: Role) {
  const ix = accessIndex(env);
  const m = r.membership;
  return {
    id: r.id,
    name: r.name,
    created: r.created,
    modified: r.modified,
    description: r.description,
    owner: ownerRef(env, r.ownerId),
    additionalOwners: [],
    accessProfiles: r.accessProfileIds.map((id) => ref('ACCESS_PROFILE', id, ix.accessProfiles.get(id)?.name ?? id)),
    entitlements: r.entitlementIds.map((id) => ref('ENTITLEMENT', id, ix.entitlements.get(id)?.name ?? id)),
    membership: m
      ? {
          type: m.type,
          criteria: m.type === 'STANDARD' ? m.criteria : null,
          identities: m.type === 'IDENTITY_LIST' ? m.identityIds.map((id) => { const i = findIdentity(env, id); return { type: 'IDENTITY', id, name: i?.displayName ?? i?.name ?? id, aliasName: i?.name ?? null }; }) : null,
        }
      : null,
    legacyMembershipInfo: null,
    enabled: r.enabled,
    requestable: r.requestable,
    accessRequestConfig: { commentsRequired: r.accessRequestConfig.commentsRequired, denialCommentsRequired: r.accessRequestConfig.denialCommentsRequired, reauthorizationRequired: r.accessRequestConfig.reauthorizationRequired, requireEndDate: false, maxPermittedAccessDuration: null, approvalSchemes: schemesDto(env, r.accessRequestConfig.approvalSchemes) },
    revocationRequestConfig: { approvalSchemes: schemesDto(env, r.revocationRequestConfig.approvalSchemes) },
    segments: r.segments,
    dimensional: r.dimensional,
    dimensionRefs: [],
    accessModelMetadata: { attributes: [] },
    privilegeLevel: null,
  };
}

const ATTRIBUTE_NAMES: Record<string, string> = { department: 'Department', title: 'Title', location: 'Location', firstname: 'First Name', lastname: 'Last Name', employeeNumber: 'Employee Number' };

/** contract PublicIdentity (public attributes: department, title, location). */
export function publicIdentityDto(env: Environment, i: IscIdentity) {
  const manager = i.managerId ? findIdentity(env, i.managerId) : undefined;
  return {
    id: i.id,
    name: i.displayName ?? i.name,
    alias: i.name,
    email: i.email || null,
    status: i.active ? 'Active' : 'Inactive',
    identityState: i.active ? 'ACTIVE' : 'INACTIVE_LONG_TERM',
    manager: manager ? ref('IDENTITY', manager.id, manager.displayName ?? manager.name) : null,
    attributes: ['department', 'title', 'location'].filter((k) => i.attributes[k] !== undefined).map((key) => ({ key, name: ATTRIBUTE_NAMES[key] ?? key, value: i.attributes[key] ?? null })),
  };
}

/** contract (beta) Identity. */
export function identityDto(env: Environment, i: IscIdentity) {
  const manager = i.managerId ? findIdentity(env, i.managerId) : undefined;
  const created = i.created ?? '2025-01-01T00:00:00.000Z';
  return {
    id: i.id,
    name: i.displayName ?? i.name,
    created,
    modified: created,
    alias: i.name,
    emailAddress: i.email || null,
    processingState: null,
    identityStatus: i.active ? 'ACTIVE' : 'DISABLED',
    managerRef: manager ? ref('IDENTITY', manager.id, manager.displayName ?? manager.name) : null,
    isManager: directReports(env, i.id).length > 0,
    lastRefresh: created,
    attributes: { uid: i.name, email: i.email, displayName: i.displayName ?? i.name, cloudLifecycleState: i.lifecycleState, ...i.attributes },
    lifecycleState: { stateName: i.lifecycleState, manuallyUpdated: false },
  };
}
