// Writes on the access model that admins and demos make (contract createAccessProfile / patchAccessProfile /
// deleteAccessProfile, createRole / patchRole / deleteRole, enableAccount / disableAccount). Input is the contract's
// own object shape; a PATCH is applied to the current wire object and the result validated like a create, so both
// obey the same rules. Every failure is the ISC 400/404 and leaves state unchanged.
import { z } from 'zod';
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { hexId } from '../../core/ids.js';
import { findIdentity } from '../identities/service.js';
import { badRequest, notFound } from '../shared/errors.js';
import { applyJsonPatch } from '../shared/jsonPatch.js';
import { pointerTokens } from '../../core/jsonPatch.js';
import { accessIndex, refreshRoleMembership, revokeAccess } from './service.js';
import { accessProfileDto, roleDto } from './dto.js';
import { roleCriteriaSchema, type AccessProfile, type ApprovalScheme, type Role, type RoleCriteria } from './model.js';
import { lazy } from '../../core/lazy.js';

const refIn = lazy(() => z.object({ id: z.string().min(1), type: z.string().nullish(), name: z.string().nullish() }));
const schemeIn = lazy(() =>
  z.object({ approverType: z.enum(['APP_OWNER', 'OWNER', 'SOURCE_OWNER', 'MANAGER', 'GOVERNANCE_GROUP', 'WORKFLOW']), approverId: z.string().nullish() }),
);
const requestConfigIn = lazy(() =>
  z.object({
    commentsRequired: z.boolean().nullish(),
    denialCommentsRequired: z.boolean().nullish(),
    reauthorizationRequired: z.boolean().nullish(),
    approvalSchemes: z.array(schemeIn()).nullish(),
  }),
);
const revocationIn = lazy(() => z.object({ approvalSchemes: z.array(schemeIn()).nullish() }));
// contract: descriptions are limited to 2000 characters
const common = lazy(() => ({
  name: z.string().min(1).max(128),
  description: z.string().max(2000).nullish(),
  owner: refIn(),
  requestable: z.boolean().nullish(),
  enabled: z.boolean().nullish(),
  accessRequestConfig: requestConfigIn().nullish(),
  revocationRequestConfig: revocationIn().nullish(),
  segments: z.array(z.string()).nullish(),
}));
const accessProfileIn = lazy(() => z.object({ ...common(), source: refIn(), entitlements: z.array(refIn()).nullish() }));
const roleIn = lazy(() =>
  z.object({
    ...common(),
    accessProfiles: z.array(refIn()).nullish(),
    entitlements: z.array(refIn()).nullish(),
    membership: z.object({ type: z.enum(['STANDARD', 'IDENTITY_LIST']), criteria: roleCriteriaSchema().nullish(), identities: z.array(refIn()).nullish() }).nullish(),
    dimensional: z.boolean().nullish(),
  }),
);

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const res = schema.safeParse(body);
  if (res.success) return res.data;
  const issue = res.error.issues[0]!;
  throw badRequest(`${issue.path.length ? issue.path.join('.') + ': ' : ''}${issue.message}`);
}

function ownerId(env: Environment, owner: { id: string; type?: string | null }): string {
  if (owner.type && owner.type !== 'IDENTITY') throw badRequest(`owner.type must be IDENTITY`);
  if (!findIdentity(env, owner.id)) throw badRequest(`owner.id ${owner.id} is not an identity`);
  return owner.id;
}

function schemes(env: Environment, list: z.infer<ReturnType<typeof schemeIn>>[] | null | undefined, allowed: readonly string[]): ApprovalScheme[] {
  return (list ?? []).map((s) => {
    if (!allowed.includes(s.approverType)) throw badRequest(`approverType ${s.approverType} is not allowed here`);
    if (s.approverType === 'GOVERNANCE_GROUP' && (!s.approverId || !accessIndex(env).governanceGroups.get(s.approverId))) throw badRequest('A GOVERNANCE_GROUP approval scheme needs the approverId of a governance group');
    return { approverType: s.approverType, approverId: s.approverType === 'GOVERNANCE_GROUP' || s.approverType === 'WORKFLOW' ? (s.approverId ?? null) : null };
  });
}

function requestConfig(env: Environment, c: z.infer<ReturnType<typeof requestConfigIn>> | null | undefined, allowed: readonly string[]) {
  return { commentsRequired: c?.commentsRequired ?? false, denialCommentsRequired: c?.denialCommentsRequired ?? false, reauthorizationRequired: c?.reauthorizationRequired ?? false, approvalSchemes: schemes(env, c?.approvalSchemes, allowed) };
}

// contract AccessProfileApprovalScheme.approverType / ApprovalSchemeForRole.approverType
const AP_APPROVERS = ['APP_OWNER', 'OWNER', 'SOURCE_OWNER', 'MANAGER', 'GOVERNANCE_GROUP', 'WORKFLOW'] as const;
const ROLE_APPROVERS = ['OWNER', 'MANAGER', 'GOVERNANCE_GROUP', 'WORKFLOW'] as const;

/** Body → access profile fields, checked (owner is an identity, entitlements exist on the profile's source). */
function accessProfileFields(env: Environment, input: z.infer<ReturnType<typeof accessProfileIn>>) {
  const ix = accessIndex(env);
  const source = ix.sources.get(input.source.id);
  if (!source) throw badRequest(`source.id ${input.source.id} is not a source`);
  const entitlementIds = (input.entitlements ?? []).map((e) => {
    const ent = ix.entitlements.get(e.id);
    if (!ent) throw badRequest(`entitlement ${e.id} does not exist`);
    // contract patchAccessProfile: entitlements must exist on the source the access profile is attached to
    if (ent.sourceId !== source.id) throw badRequest(`entitlement ${e.id} is not on source ${source.id}`);
    return e.id;
  });
  const enabled = input.enabled ?? false;
  // contract AccessProfile.enabled: "If it's enabled, you must include at least one entitlement."
  if (enabled && !entitlementIds.length) throw badRequest('An enabled access profile must include at least one entitlement');
  return {
    name: input.name,
    description: input.description ?? null,
    sourceId: source.id,
    ownerId: ownerId(env, input.owner),
    entitlementIds: [...new Set(entitlementIds)],
    enabled,
    requestable: input.requestable ?? true,
    accessRequestConfig: requestConfig(env, input.accessRequestConfig, AP_APPROVERS),
    revocationRequestConfig: { approvalSchemes: schemes(env, input.revocationRequestConfig?.approvalSchemes, AP_APPROVERS) },
    segments: input.segments ?? [],
  };
}

// contract patchAccessProfile / patchRole: "The following fields are patchable" (revokeRequestConfig is named there;
// the objects carry it as revocationRequestConfig)
const AP_PATCHABLE = new Set(['name', 'description', 'enabled', 'owner', 'additionalOwners', 'requestable', 'accessRequestConfig', 'revokeRequestConfig', 'revocationRequestConfig', 'segments', 'entitlements', 'provisioningCriteria', 'source']);
const ROLE_PATCHABLE = new Set(['name', 'description', 'enabled', 'owner', 'additionalOwners', 'accessProfiles', 'entitlements', 'membership', 'requestable', 'accessRequestConfig', 'revokeRequestConfig', 'revocationRequestConfig', 'segments', 'accessModelMetadata']);

/** A 400 for an operation on a field the contract does not list as patchable (its path's first segment). */
function checkPatchable(ops: unknown, patchable: ReadonlySet<string>): void {
  if (!Array.isArray(ops)) return; // applyJsonPatch answers a body that is not a patch
  for (const op of ops as Array<{ path?: unknown; from?: unknown }>) {
    for (const p of [op?.path, op?.from]) {
      if (typeof p !== 'string' || !p.startsWith('/')) continue;
      const field = pointerTokens(p)[0]!;
      if (!patchable.has(field)) throw badRequest(`${p}: ${field} is not a patchable field`);
    }
  }
}

export function createAccessProfile(env: Environment, body: unknown, _actor: Principal) {
  const fields = accessProfileFields(env, parse(accessProfileIn(), body));
  const now = env.clock.nowIso();
  const ap: AccessProfile = { id: hexId(), ...fields, created: now, modified: now };
  accessIndex(env).addAccessProfile(ap);
  env.changed();
  return accessProfileDto(env, ap);
}

export function patchAccessProfile(env: Environment, id: string, ops: unknown, _actor: Principal) {
  const ap = accessIndex(env).accessProfiles.get(id);
  if (!ap) throw notFound();
  checkPatchable(ops, AP_PATCHABLE);
  const patched = applyJsonPatch(accessProfileDto(env, ap), ops);
  const fields = accessProfileFields(env, parse(accessProfileIn(), patched));
  Object.assign(ap, fields, { modified: env.clock.nowIso() });
  accessIndex(env).touch();
  env.changed();
  return accessProfileDto(env, ap);
}

/** contract deleteAccessProfile: refused (400) while a role includes it. */
export function deleteAccessProfile(env: Environment, id: string): void {
  const ix = accessIndex(env);
  const ap = ix.accessProfiles.get(id);
  if (!ap) throw notFound();
  const usedBy = [...ix.roles.values()].filter((r) => r.accessProfileIds.includes(id));
  if (usedBy.length) throw badRequest(`Access profile ${id} is in use by role(s) ${usedBy.map((r) => r.name).join(', ')}`);
  for (const a of [...ix.holdersOf(id)]) revokeAccess(env, a.identityId, { type: 'ACCESS_PROFILE', id }, undefined);
  ix.removeAccessProfile(ap);
  env.changed();
}

// contract RoleCriteriaOperation and RoleCriteriaLevel1–3: a leaf tests the key against stringValue; AND and OR have
// children, "a maximum of three levels of criteria … including leaf nodes", an AND only under an OR and vice versa
const LEAF_OPERATIONS = new Set(['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'DOES_NOT_CONTAIN', 'STARTS_WITH', 'ENDS_WITH', 'GREATER_THAN', 'LESS_THAN', 'GREATER_THAN_EQUALS', 'LESS_THAN_EQUALS']);
const KEY_TYPES = new Set(['IDENTITY', 'ACCOUNT', 'ENTITLEMENT']);

function checkCriteria(env: Environment, c: RoleCriteria, at: string, level: number, parent: string | undefined): void {
  if (c.operation === 'AND' || c.operation === 'OR') {
    if (level === 3) throw badRequest(`${at}.operation: ${c.operation} is not allowed on the third level of criteria`);
    if (parent === c.operation) throw badRequest(`${at}.operation: an ${c.operation} node cannot be a child of an ${parent} node`);
    if (c.stringValue != null) throw badRequest(`${at}.stringValue must be null for ${c.operation}`);
    if (!c.children?.length) throw badRequest(`${at}.children is required for ${c.operation}`);
    c.children.forEach((child, i) => checkCriteria(env, child, `${at}.children.${i}`, level + 1, c.operation));
    return;
  }
  if (!LEAF_OPERATIONS.has(c.operation)) throw badRequest(`${at}.operation: ${c.operation} is not one of ${[...LEAF_OPERATIONS, 'AND', 'OR'].join(', ')}`);
  if (c.children?.length) throw badRequest(`${at}.children must be null for ${c.operation}`);
  if (!c.key) throw badRequest(`${at}.key is required for ${c.operation}`);
  if (!KEY_TYPES.has(c.key.type)) throw badRequest(`${at}.key.type: ${c.key.type} is not one of IDENTITY, ACCOUNT, ENTITLEMENT`);
  // contract RoleCriteriaKey.sourceId: "Required if type is ACCOUNT or ENTITLEMENT"
  if (c.key.type !== 'IDENTITY' && (!c.key.sourceId || !accessIndex(env).sources.get(c.key.sourceId))) throw badRequest(`${at}.key.sourceId must name a source for ${c.key.type}`);
  if (c.stringValue == null) throw badRequest(`${at}.stringValue is required for ${c.operation}`);
}

function roleFields(env: Environment, input: z.infer<ReturnType<typeof roleIn>>) {
  const ix = accessIndex(env);
  const accessProfileIds = (input.accessProfiles ?? []).map((a) => {
    if (!ix.accessProfiles.get(a.id)) throw badRequest(`access profile ${a.id} does not exist`);
    return a.id;
  });
  const entitlementIds = (input.entitlements ?? []).map((e) => {
    if (!ix.entitlements.get(e.id)) throw badRequest(`entitlement ${e.id} does not exist`);
    return e.id;
  });
  const m = input.membership;
  if (m?.type === 'STANDARD' && !m.criteria) throw badRequest('membership.criteria is required for STANDARD membership');
  if (m?.type === 'STANDARD' && m.criteria) checkCriteria(env, m.criteria, 'membership.criteria', 1, undefined);
  const identityIds = (m?.type === 'IDENTITY_LIST' ? (m.identities ?? []) : []).map((i) => {
    if (!findIdentity(env, i.id)) throw badRequest(`membership identity ${i.id} does not exist`);
    return i.id;
  });
  // contract patchRole: at most 500 membership identities
  if (identityIds.length > 500) throw badRequest('A role membership may list at most 500 identities');
  return {
    name: input.name,
    description: input.description ?? null,
    ownerId: ownerId(env, input.owner),
    accessProfileIds: [...new Set(accessProfileIds)],
    entitlementIds: [...new Set(entitlementIds)],
    membership: m ? { type: m.type, criteria: m.type === 'STANDARD' ? (m.criteria ?? null) : null, identityIds: [...new Set(identityIds)] } : null,
    enabled: input.enabled ?? false,
    requestable: input.requestable ?? false,
    accessRequestConfig: requestConfig(env, input.accessRequestConfig, ROLE_APPROVERS),
    revocationRequestConfig: { approvalSchemes: schemes(env, input.revocationRequestConfig?.approvalSchemes, ROLE_APPROVERS) },
    segments: input.segments ?? [],
    dimensional: input.dimensional ?? false,
  };
}

export function createRole(env: Environment, body: unknown, actor: Principal) {
  const fields = roleFields(env, parse(roleIn(), body));
  const now = env.clock.nowIso();
  const role: Role = { id: hexId(), ...fields, created: now, modified: now };
  accessIndex(env).addRole(role);
  if (role.membership) refreshRoleMembership(env, role, actor);
  env.changed();
  return roleDto(env, role);
}

export function patchRole(env: Environment, id: string, ops: unknown, actor: Principal) {
  const role = accessIndex(env).roles.get(id);
  if (!role) throw notFound();
  checkPatchable(ops, ROLE_PATCHABLE);
  const patched = applyJsonPatch(roleDto(env, role), ops);
  const fields = roleFields(env, parse(roleIn(), patched));
  const membershipChanged = JSON.stringify(fields.membership) !== JSON.stringify(role.membership);
  Object.assign(role, fields, { modified: env.clock.nowIso() });
  accessIndex(env).touch();
  if (membershipChanged) refreshRoleMembership(env, role, actor);
  env.changed();
  return roleDto(env, role);
}

/** Deleting a role takes it (and the access only it gave) from everyone who held it. */
export function deleteRole(env: Environment, id: string): void {
  const ix = accessIndex(env);
  const role = ix.roles.get(id);
  if (!role) throw notFound();
  for (const a of [...ix.holdersOf(id)]) revokeAccess(env, a.identityId, { type: 'ROLE', id }, undefined);
  ix.removeRole(role);
  env.changed();
}

// contract deleteAccessProfilesInBulk / deleteBulkRoles: "up to a limit of 50" per request
const BULK_LIMIT = 50;
const apBulkIn = lazy(() => z.object({ accessProfileIds: z.array(z.string().min(1)).min(1).max(BULK_LIMIT), bestEffortOnly: z.boolean().nullish() }));
const roleBulkIn = lazy(() => z.object({ roleIds: z.array(z.string().min(1)).min(1).max(BULK_LIMIT) }));

/**
 * contract deleteAccessProfilesInBulk: profiles a role includes are reported in `inUse` and kept; unless
 * `bestEffortOnly`, one in use means none is deleted. The emulator deletes at once (as setAccountEnabled acts) and
 * answers the task id with the ids it deleted as `pending`; 200 without a task when nothing was deleted. Ids of no
 * access profile are skipped, as the task would find nothing to delete.
 */
export function deleteAccessProfilesInBulk(env: Environment, body: unknown): { status: 200 | 202; body: { taskId?: string; pending: string[]; inUse: Array<{ accessProfileId: string; usedBy: Array<{ type: 'ROLE'; id: string; name: string }> }> } } {
  const input = parse(apBulkIn(), body);
  const ix = accessIndex(env);
  const ids = [...new Set(input.accessProfileIds)].filter((id) => ix.accessProfiles.get(id));
  const inUse = ids.flatMap((id) => {
    const usedBy = [...ix.roles.values()].filter((r) => r.accessProfileIds.includes(id)).map((r) => ({ type: 'ROLE' as const, id: r.id, name: r.name }));
    return usedBy.length ? [{ accessProfileId: id, usedBy }] : [];
  });
  const deletable = inUse.length && !input.bestEffortOnly ? [] : ids.filter((id) => !inUse.some((u) => u.accessProfileId === id));
  for (const id of deletable) deleteAccessProfile(env, id);
  return deletable.length ? { status: 202, body: { taskId: hexId(), pending: deletable, inUse } } : { status: 200, body: { pending: [], inUse } };
}

/** contract deleteBulkRoles: 202 with the task (TaskResultDto); the roles are deleted at once, ids of no role skipped. */
export function deleteRolesInBulk(env: Environment, body: unknown): { type: 'TASK_RESULT'; id: string; name: null } {
  const input = parse(roleBulkIn(), body);
  const ix = accessIndex(env);
  for (const id of new Set(input.roleIds)) if (ix.roles.get(id)) deleteRole(env, id);
  return { type: 'TASK_RESULT', id: hexId(), name: null };
}

/** contract enableAccount / disableAccount: 202 with the task id; the emulator applies the change at once. */
export function setAccountEnabled(env: Environment, id: string, enabled: boolean, _actor: Principal): { id: string } {
  const account = accessIndex(env).accounts.get(id);
  if (!account) throw notFound();
  account.disabled = !enabled;
  account.modified = env.clock.nowIso();
  accessIndex(env).touch();
  env.changed();
  return { id: hexId() };
}
