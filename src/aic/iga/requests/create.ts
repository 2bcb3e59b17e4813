// Access request creation: one request, and users × catalog items (S3 L3724: "a request for each pairing of user and
// catalog items").
import { Invalid } from '../../../core/errors.js';
import type { Principal } from '../../../core/auth.js';
import type { Environment } from '../../../environment.js';
import type { AuditContext } from '../../../core/audit.js';
import { uuid } from '../../../core/ids.js';
import { governance } from '../../governance/service.js';
import type { GovernanceState } from '../../governance/model.js';
import { ACCESS_TYPES } from './builtins.js';
import { getRequestType, runnableWorkflow } from './config.js';
import type { AccessRequest, JsonObject, PlannedPhase, Workflow } from './model.js';
import { approvalSteps, FULL_PERMISSIONS } from './workflow.js';
import { startPhase } from './decide.js';
import { actorId, appView, audit, bareId, comment, defaultApprovers, entView, indexRequest, JOB_REQUEST_EXPIRY, nowIso, owners, principalRef, requestIndex, resolveActorRule, roleView, stateOf, SYSTEM, type Target, userRef } from './store.js';
import { duplicateOf, validateRequest } from './validate.js';
import { clone } from '../../../core/clone.js';

// ---- creation ----------------------------------------------------------------------------------------------

function planPhases(env: Environment, r: AccessRequest, t: Target): PlannedPhase[] {
  const type = getRequestType(env, r.requestType);
  const wfId = ((type.workflow as JsonObject | undefined)?.id as string | undefined) ?? undefined;
  const skip = ((r.request.common.context as JsonObject | undefined)?.type ?? null) === 'admin';
  r._emulator.workflowId = wfId ?? null;
  return planFor(governance(env), runnableWorkflow(env, wfId), skip, t);
}

/** Resolve a workflow's approval tasks against the request's target (pure: used by seeding too). */
export function planFor(g: GovernanceState, wf: Workflow | undefined, skip: boolean, t: Target): PlannedPhase[] {
  return approvalSteps(wf, skip).map((s) => {
    let ids = s.actors.flatMap((a) => resolveActorRule(g, a.rule, t).map((id) => ({ id, permissions: a.permissions })));
    // an approver the data cannot name (no manager, no owner) falls back to the default approver
    if (ids.length === 0) ids = defaultApprovers(g).map((u) => ({ id: actorId(u), permissions: FULL_PERMISSIONS }));
    const seen = new Set<string>();
    return {
      name: s.name,
      displayName: s.displayName,
      actors: ids.filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true))),
      expirationMs: s.expirationMs,
      expirationAction: s.expirationAction,
      expirationActors: s.expirationActors.flatMap((x) => resolveActorRule(g, x, t)),
      escalationMs: s.escalationMs,
      escalationActors: s.escalationActors.flatMap((x) => resolveActorRule(g, x, t)),
      events: clone(s.events),
    };
  });
}

export interface CreateOptions {
  ctx: AuditContext;
  principal: Principal;
}

/** POST /iga/governance/requests/{requestTypeId} (S3 L3801): validate, store, start the workflow. */
export function createRequest(env: Environment, typeId: string, body: JsonObject, opts: CreateOptions): AccessRequest {
  const v = validateRequest(env, typeId, body);
  if (v.errors.length) throw validationError(v.errors);
  return insertRequest(env, typeId, body, v.target, opts);
}

/** The 400 a create answers when validation fails: the product's `{message}` plus the individual errors. */
export function validationError(errors: string[]) {
  return new Invalid(`Request validation failed: ${errors.join('; ')}`, { errors });
}

export function insertRequest(env: Environment, typeId: string, body: JsonObject, t: Target, opts: CreateOptions): AccessRequest {
  const ts = nowIso(env);
  const requester = principalRef(env, opts.principal);
  const sections: JsonObject = {};
  const src = (body.request as JsonObject | undefined) ?? body;
  for (const [k, v] of Object.entries(src)) if (v && typeof v === 'object' && !Array.isArray(v) && !['requester', 'decision', 'metadata', 'user', 'application', 'entitlement', 'role'].includes(k)) sections[k] = clone(v);
  const common = (sections.common ?? {}) as JsonObject;
  if (typeof common.userId === 'string') common.userId = bareId(common.userId);
  sections.common = common;
  const r: AccessRequest = {
    id: uuid(),
    requester,
    requestType: typeId,
    request: sections as AccessRequest['request'],
    ...(t.user ? { user: userRef(t.user) } : {}),
    ...(t.application ? { application: appView(t.application), applicationOwner: owners(governance(env), t.application.ownerIds) } : {}),
    ...(t.entitlement ? { entitlement: entView(t.entitlement), entitlementOwner: owners(governance(env), t.entitlement.ownerIds) } : {}),
    ...(t.role ? { role: roleView(t.role), roleOwner: owners(governance(env), t.role.ownerIds) } : {}),
    decision: { status: 'in-progress', decision: null, outcome: null, startDate: ts, completionDate: null, comments: [], actors: { active: [], inactive: [] }, phases: [] },
    metadata: { createdDate: ts, modifiedDate: ts },
    _emulator: { workflowId: null, planned: [], current: -1, requesterType: opts.principal.type },
  };
  r.decision.comments.push(comment(env, requester, 'request', typeof common.justification === 'string' && common.justification ? common.justification : 'Request submitted'));
  r._emulator.planned = planPhases(env, r, t);
  const state = stateOf(env);
  state.requests.push(r);
  // indexed as the list hands it out (with a data dir, the change-tracking view: docs/persistence.md)
  indexRequest(requestIndex(state), state.requests[state.requests.length - 1]!);
  audit(env, opts.ctx, r, 'CREATE', `Access request ${r.id} created`, { userId: r.user?.id ?? null });
  // S3 L3750: expiryDate — "User provided date on which the request will cancel"
  const expiry = Date.parse(String(common.expiryDate ?? ''));
  if (Number.isFinite(expiry)) env.jobs.schedule(JOB_REQUEST_EXPIRY, expiry, { requestId: r.id });
  if (((r.request.common.context as JsonObject | undefined)?.type ?? null) === 'admin') {
    r.decision.comments.push(comment(env, SYSTEM, 'comment', 'Request auto-approved due to request context: admin'));
  }
  startPhase(env, r, 0, opts.ctx);
  env.changed();
  return r;
}

// ---- bulk: users × catalog items (S3 L3724: "a request for each pairing of user and catalog items") -----------

export interface BulkError {
  error: string;
  message: string;
  user: string;
  catalogId: string;
  requestId?: string;
}

const CATALOG_KINDS: Record<string, string> = { accountGrant: 'application', entitlementGrant: 'entitlement', roleMembership: 'role' };

export function bulkRequests(env: Environment, body: JsonObject, validateOnly: boolean, opts: CreateOptions): { result: string[]; errors: BulkError[] } {
  const users = body.users;
  const catalogs = body.catalogs;
  if (!Array.isArray(users) || users.length === 0) throw new Invalid('users must be a non-empty array of user ids');
  if (!Array.isArray(catalogs) || catalogs.length === 0) throw new Invalid('catalogs must be a non-empty array of catalog items');
  const remove = body.accessModifier === 'remove';
  const common: JsonObject = {};
  for (const k of ['priority', 'justification', 'startDate', 'endDate', 'expiryDate', 'externalRequestId', 'requestIdPrefix', 'isDraft', 'context']) if (body[k] !== undefined) common[k] = body[k];
  const pairs: Array<{ typeId: string; body: JsonObject; target: Target }> = [];
  const errors: BulkError[] = [];
  const seen = new Set<string>();
  for (const u of users) {
    for (const c of catalogs as JsonObject[]) {
      const userId = String(u);
      const catalogId = String(c?.id ?? '');
      // catalog item types as the catalog names them are accepted too (accountGrant, entitlementGrant, roleMembership)
      const given = String(c?.type ?? '');
      const kind = Object.hasOwn(CATALOG_KINDS, given) ? CATALOG_KINDS[given]! : given;
      const typeId = `${kind}${remove ? 'Remove' : 'Grant'}`;
      const access = Object.hasOwn(ACCESS_TYPES, typeId) ? ACCESS_TYPES[typeId] : undefined;
      if (!access) {
        errors.push({ error: 'INVALID_CATALOG_TYPE', message: `Catalog item type ${kind} is not requestable`, user: userId, catalogId });
        continue;
      }
      // the same user and item twice in one call: one request, the other a DUPLICATE (as against a stored request)
      const pairKey = `${typeId}\u0000${userId}\u0000${catalogId}`;
      if (seen.has(pairKey)) {
        errors.push({ error: 'DUPLICATE', message: 'Duplicate request already exists.', user: userId, catalogId });
        continue;
      }
      seen.add(pairKey);
      const payload: JsonObject = { common: { ...clone(common), userId, [access.key]: catalogId }, ...(c?.data && typeof c.data === 'object' ? clone(c.data as JsonObject) : {}) };
      const v = validateRequest(env, typeId, payload);
      v.errors.forEach((m, i) => {
        const e: BulkError = { error: v.codes[i]!, message: m, user: userId, catalogId };
        if (v.codes[i] === 'DUPLICATE') e.requestId = duplicateOf(env, typeId, userId, catalogId, access.key)?.id;
        errors.push(e);
      });
      if (!v.errors.length) pairs.push({ typeId, body: payload, target: v.target });
    }
  }
  // nothing is created when any pair fails validation (the caller fixes the payload and resubmits)
  if (validateOnly || errors.length) return { result: [], errors };
  return { result: pairs.map((p) => insertRequest(env, p.typeId, p.body, p.target, opts).id), errors };
}
