// Access requests (SPEC §6; S3 L3714–6500; S4 L17164–22100): validation, creation (single and users × catalog
// items), approval phases from the request type's workflow, decisions by current approvers, asynchronous
// fulfilment into the governance data on the emulator clock, cancellation, expiry and escalation.
import { igaError } from '../../../core/errors.js';
import type { Principal } from '../../../core/auth.js';
import type { Environment } from '../../../environment.js';
import { auditActivity, type AuditContext } from '../../../core/audit.js';
import { uuid } from '../../../core/ids.js';
import { hasAnyScope } from '../../../core/scopes.js';
import { addGrant, findUser, governance, grantsOf, indexes, removeGrant } from '../../governance/service.js';
import type { Application, Entitlement, GovernanceState, Role, User } from '../../governance/model.js';
import { ACCESS_TYPES } from './builtins.js';
import { expandedSchemasOf, formFor, getRequestType, requestsState, runnableWorkflow } from './config.js';
import type { AccessRequest, Actor, JsonObject, Permissions, PersonRef, Phase, PlannedPhase, RequestsState, TimelineComment, Workflow } from './model.js';
import { approvalSteps, FULL_PERMISSIONS, type ActorRule } from './workflow.js';

/** Provisioning runs this long after the last approval (the workflow's provisioning script, asynchronous). */
export const FULFILMENT_DELAY_MS = 5_000;

/** Runtime fulfilment controls (control plane, not persisted): delay, and failures to inject into the next runs. */
export interface FulfilmentControl {
  delayMs: number;
  failNext: number;
  failureMessage: string;
}
/** Held in the environment's runtime memory: reset and seed restore the defaults. */
export function fulfilmentControl(env: Environment): FulfilmentControl {
  return env.memory('iga.requests.fulfilment', () => ({ delayMs: FULFILMENT_DELAY_MS, failNext: 0, failureMessage: 'Provisioning failed: connector error (injected)' }));
}
export const JOB_FULFIL = 'iga-request-fulfil';
export const JOB_PHASE_EVENT = 'iga-request-phase-event';
export const JOB_REQUEST_EXPIRY = 'iga-request-expiry';
export const JOB_END_DATE = 'iga-request-end-date';
export const ADMIN_ROLE = 'governance-administrator';

const clone = <T>(v: T): T => structuredClone(v);
const nowIso = (env: Environment) => env.clock.nowIso();

// ---- indexes (per state object): request by id, by participant (requester/target user), by actor ----------

interface RequestIndex {
  byId: Map<string, AccessRequest>;
  byParticipant: Map<string, Set<AccessRequest>>;
  byActor: Map<string, Set<AccessRequest>>;
}
const indexCache = new WeakMap<RequestsState, RequestIndex>();

function addTo(map: Map<string, Set<AccessRequest>>, key: string | undefined, r: AccessRequest) {
  if (!key) return;
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  s.add(r);
}

function indexRequest(ix: RequestIndex, r: AccessRequest) {
  ix.byId.set(r.id, r);
  addTo(ix.byParticipant, r.requester?.id, r);
  addTo(ix.byParticipant, r.user?.id, r);
  for (const a of [...(r.decision?.actors?.active ?? []), ...(r.decision?.actors?.inactive ?? [])]) addTo(ix.byActor, a.id, r);
}

function requestIndex(state: RequestsState): RequestIndex {
  let ix = indexCache.get(state);
  if (!ix) {
    ix = { byId: new Map(), byParticipant: new Map(), byActor: new Map() };
    for (const r of state.requests) indexRequest(ix, r);
    indexCache.set(state, ix);
  }
  return ix;
}

const stateOf = (env: Environment) => requestsState(env);
export const findRequest = (env: Environment, id: string): AccessRequest | undefined => requestIndex(stateOf(env)).byId.get(id);
export function getRequest(env: Environment, id: string): AccessRequest {
  const r = findRequest(env, id);
  if (!r) throw igaError(404, `Request ${id} not found`);
  return r;
}

/** The request as the product returns it (emulator bookkeeping removed). */
export function requestView(r: AccessRequest): JsonObject {
  const { _emulator: _e, ...rest } = r;
  return clone(rest);
}

// ---- people ------------------------------------------------------------------------------------------------

export const userRef = (u: User): PersonRef => ({ id: u._id, userName: u.userName, mail: u.mail, givenName: u.givenName, sn: u.sn });
const actorId = (u: User) => `managed/user/${u._id}`;
const bareId = (id: string) => id.replace(/^managed\/(?:alpha_|bravo_)?user\//, '');

/** The acting identity as embedded in a request (users by their profile; service accounts/clients by id). */
export function principalRef(env: Environment, p: Principal): PersonRef {
  if (p.type === 'user') {
    const u = findUser(env, p.id);
    if (u) return userRef(u);
  }
  return { id: p.id, userName: p.name ?? p.id, name: p.name ?? p.id };
}

/** Governance administrator: a user with the admin role, or a non-user principal holding the IGA admin scope. */
export function isAdmin(env: Environment, p: Principal): boolean {
  if (p.type === 'user') return (findUser(env, p.id)?.roles ?? []).includes(ADMIN_ROLE);
  return hasAnyScope(p.scopes, ['fr:iga:*']);
}

/** The default approver (recording workflows: `systemSettings.defaultApprover`): the governance administrators. */
function defaultApprovers(g: GovernanceState): User[] {
  return g.users.filter((u) => u.roles.includes(ADMIN_ROLE));
}

export function actorFromId(g: GovernanceState, id: string, permissions: Permissions, phase: string): Actor | undefined {
  const m = /^managed\/(?:alpha_|bravo_)?(user|role)\/(.+)$/.exec(id);
  if (m?.[1] === 'role') {
    const role = indexes(g).roles.get(m[2]!);
    return { id: `managed/role/${m[2]}`, name: role?.name ?? m[2]!, permissions, phase };
  }
  const u = indexes(g).users.get(m ? m[2]! : id);
  return u ? { ...userRef(u), id: actorId(u), permissions, phase } : undefined;
}

// ---- targets -----------------------------------------------------------------------------------------------

export interface Target {
  user?: User;
  application?: Application;
  entitlement?: Entitlement;
  role?: Role;
}

export const appView = (a: Application) => ({ id: a.id, name: a.name, description: a.description, templateName: a.templateName, templateVersion: a.templateVersion, icon: a.icon, authoritative: false, fr: { realm: 'alpha' }, metadata: { entityType: '/openidm/managed/application' } });
export const entView = (e: Entitlement) => ({ id: e.id, _id: e.id, name: e.name, displayName: e.name, description: e.description, applicationId: e.applicationId, requestable: e.requestable });
export const roleView = (r: Role) => ({ id: r.id, name: r.name, description: r.description, requestable: r.requestable });
export const owners = (g: GovernanceState, ids: string[]) => ids.map((id) => indexes(g).users.get(id)).filter((u): u is User => !!u).map(userRef);

function resolveActorRule(g: GovernanceState, rule: ActorRule, t: Target): string[] {
  switch (rule.kind) {
    case 'manager':
      return t.user?.manager && indexes(g).users.get(t.user.manager) ? [`managed/user/${t.user.manager}`] : [];
    case 'applicationOwner':
      return (t.application?.ownerIds ?? []).slice(0, 1).map((id) => `managed/user/${id}`);
    case 'entitlementOwner': {
      const ids = t.entitlement?.ownerIds?.length ? t.entitlement.ownerIds : t.application?.ownerIds ?? [];
      return ids.slice(0, 1).map((id) => `managed/user/${id}`);
    }
    case 'roleOwner':
      return t.role?.ownerIds?.length ? [`managed/user/${t.role.ownerIds[0]}`] : defaultApprovers(g).map(actorId);
    case 'defaultApprover':
      return defaultApprovers(g).map(actorId);
    case 'fixed':
      return [rule.id];
  }
}

// ---- validation --------------------------------------------------------------------------------------------

export interface ValidationResult {
  errors: string[];
  comments: string[];
  /** Machine codes for the bulk endpoint's `errors[].error` (S3 L3790: DUPLICATE). */
  codes: string[];
  target: Target;
}

function sectionValue(body: JsonObject, section: string, prop: string): unknown {
  const inRequest = (body.request as JsonObject | undefined)?.[section] as JsonObject | undefined;
  const top = body[section] as JsonObject | undefined;
  return inRequest?.[prop] ?? top?.[prop];
}

function missing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function formFields(form: JsonObject | undefined): JsonObject[] {
  const out: JsonObject[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as JsonObject;
      if (typeof n.model === 'string' && n.type !== 'section') out.push(n);
      if (n.fields) walk(n.fields);
    }
  };
  walk((form?.form as JsonObject | undefined)?.fields);
  return out;
}

/** The active (in-progress) request for the same user and item, for the type's uniqueKeys. */
function duplicateOf(env: Environment, typeId: string, userId: string, itemId: string, key: string): AccessRequest | undefined {
  for (const r of requestIndex(stateOf(env)).byParticipant.get(userId) ?? []) {
    if (r.requestType === typeId && r.decision.status === 'in-progress' && r.user?.id === userId && (r.request.common as JsonObject)[key] === itemId) return r;
  }
  return undefined;
}

/** Check a request payload against its type: target objects, current access, duplicates, required fields. */
export function validateRequest(env: Environment, typeId: string, body: JsonObject): ValidationResult {
  const type = getRequestType(env, typeId);
  const res: ValidationResult = { errors: [], comments: [], codes: [], target: {} };
  const fail = (code: string, msg: string) => {
    res.errors.push(msg);
    res.codes.push(code);
  };
  const access = ACCESS_TYPES[typeId];
  const common = ((body.request as JsonObject | undefined)?.common ?? body.common ?? {}) as JsonObject;
  if (access) {
    const userId = typeof common.userId === 'string' ? bareId(common.userId) : undefined;
    const user = userId ? findUser(env, userId) : undefined;
    if (!userId) fail('MISSING_REQUIRED_FIELD', 'common.userId is required');
    else if (!user) fail('USER_NOT_FOUND', `User ${userId} not found`);
    res.target.user = user;
    const itemId = common[access.key];
    const ix = indexes(governance(env));
    if (typeof itemId !== 'string' || !itemId) fail('MISSING_REQUIRED_FIELD', `common.${access.key} is required`);
    else {
      if (access.kind === 'application') res.target.application = ix.applications.get(itemId);
      if (access.kind === 'entitlement') {
        res.target.entitlement = ix.entitlements.get(itemId);
        if (res.target.entitlement) res.target.application = ix.applications.get(res.target.entitlement.applicationId);
      }
      if (access.kind === 'role') res.target.role = ix.roles.get(itemId);
      const found = res.target.application && access.kind === 'application' ? true : access.kind === 'entitlement' ? !!res.target.entitlement : access.kind === 'role' ? !!res.target.role : false;
      if (!found) fail('ITEM_NOT_FOUND', `${access.kind[0]!.toUpperCase()}${access.kind.slice(1)} ${itemId} not found`);
      else if (user) {
        const grantType = access.kind === 'application' ? 'account' : access.kind;
        const holds = grantsOf(env, user._id).some((g) => g.type === grantType && g.assignmentId === itemId);
        // BasicApplicationGrant validation: "User ... already has effective application ..." (recording workflow script)
        if (access.op === 'grant' && holds) fail('ALREADY_ASSIGNED', `User ${user._id} already has ${access.kind} ${itemId}`);
        if (access.op === 'remove' && !holds) fail('NOT_ASSIGNED', `User ${user._id} does not have ${access.kind} ${itemId}`);
        const dup = duplicateOf(env, typeId, user._id, itemId, access.key);
        if (dup) fail('DUPLICATE', 'Duplicate request already exists.');
      }
    }
  }
  // required, non-internal properties of the type's schemas (e.g. custom stringOne isRequired)
  const schemas = expandedSchemasOf(type);
  for (const [section, list] of Object.entries(schemas)) {
    for (const s of list ?? []) {
      const props = (((s as JsonObject)?._meta as JsonObject | undefined)?.properties ?? {}) as Record<string, JsonObject>;
      for (const [prop, meta] of Object.entries(props)) {
        if (meta?.isRequired === true && meta.isInternal !== true && missing(sectionValue(body, section, prop))) fail('MISSING_REQUIRED_FIELD', `${section}.${prop} is required`);
      }
    }
  }
  // required fields of the form assigned to the request type
  for (const f of formFields(formFor(env, `requestType/${typeId}`))) {
    const v = f.validation as JsonObject | undefined;
    if (v?.required !== true || f.defaultValue !== undefined) continue;
    const model = String(f.model);
    const value = model.includes('.') ? sectionValue(body, model.split('.')[0]!, model.split('.').slice(1).join('.')) : sectionValue(body, 'custom', model) ?? sectionValue(body, 'common', model);
    if (missing(value)) fail('MISSING_REQUIRED_FIELD', `Form field ${model} (${String(f.label ?? model)}) is required`);
  }
  return res;
}

// ---- creation ----------------------------------------------------------------------------------------------

function comment(env: Environment, who: PersonRef, action: string, text: string, phase?: string): TimelineComment {
  return { user: who, comment: text, action, timeStamp: nowIso(env), ...(phase ? { phase } : {}) };
}

const SYSTEM: PersonRef = { id: 'system', userName: 'system', name: 'IGA workflow' };

function auditPrincipal(r: AccessRequest): Principal {
  return { type: (r._emulator.requesterType as Principal['type']) ?? 'user', id: r.requester.id, name: r.requester.userName, scopes: [], authorities: [], tokenId: '', claims: {} };
}

function audit(env: Environment, ctx: AuditContext, r: AccessRequest, operation: 'CREATE' | 'UPDATE' | 'ACTION', message: string, details: JsonObject): void {
  auditActivity(env, ctx, { objectId: `governance/requests/${r.id}`, operation, message, details: { requestId: r.id, requestType: r.requestType, ...details } });
}

function touch(env: Environment, r: AccessRequest) {
  r.metadata.modifiedDate = nowIso(env);
  env.changed();
}

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
  const e = igaError(400, `Request validation failed: ${errors.join('; ')}`);
  (e.body as JsonObject).errors = errors;
  return e;
}

function insertRequest(env: Environment, typeId: string, body: JsonObject, t: Target, opts: CreateOptions): AccessRequest {
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
  indexRequest(requestIndex(state), r);
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
  if (!Array.isArray(users) || users.length === 0) throw igaError(400, 'users must be a non-empty array of user ids');
  if (!Array.isArray(catalogs) || catalogs.length === 0) throw igaError(400, 'catalogs must be a non-empty array of catalog items');
  const remove = body.accessModifier === 'remove';
  const common: JsonObject = {};
  for (const k of ['priority', 'justification', 'startDate', 'endDate', 'expiryDate', 'externalRequestId', 'requestIdPrefix', 'isDraft', 'context']) if (body[k] !== undefined) common[k] = body[k];
  const pairs: Array<{ typeId: string; body: JsonObject; target: Target }> = [];
  const errors: BulkError[] = [];
  for (const u of users) {
    for (const c of catalogs as JsonObject[]) {
      const userId = String(u);
      const catalogId = String(c?.id ?? '');
      // catalog item types as the catalog names them are accepted too (accountGrant, entitlementGrant, roleMembership)
      const kind = CATALOG_KINDS[String(c?.type ?? '')] ?? String(c?.type ?? '');
      const typeId = `${kind}${remove ? 'Remove' : 'Grant'}`;
      const access = ACCESS_TYPES[typeId];
      if (!access) {
        errors.push({ error: 'INVALID_CATALOG_TYPE', message: `Catalog item type ${kind} is not requestable`, user: userId, catalogId });
        continue;
      }
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

// ---- phases ------------------------------------------------------------------------------------------------

/** Open phase `index` of a request at `now` (pure: used by seeding too): the phase entry and its active actors. */
export function openPhase(g: GovernanceState, r: AccessRequest, index: number, now: number, taskId: string): Phase | undefined {
  r._emulator.current = index;
  const plan = r._emulator.planned[index];
  if (!plan) return undefined;
  const events = clone(plan.events);
  const exp = events.expiration as JsonObject | undefined;
  if (exp && plan.expirationMs) exp.date = new Date(now + plan.expirationMs).toISOString();
  const esc = events.escalation as JsonObject | undefined;
  if (esc && plan.escalationMs) esc.date = new Date(now + plan.escalationMs).toISOString();
  const rem = events.reminder as JsonObject | undefined;
  // unresolved date expressions are not shown on a phase
  for (const ev of [exp, esc, rem]) if (ev && ev.date && typeof ev.date === 'object') delete ev.date;
  const phase: Phase = { name: plan.name, displayName: plan.displayName, type: 'request', status: 'in-progress', decision: null, startDate: new Date(now).toISOString(), events, workflowTaskId: taskId };
  r.decision.phases.push(phase);
  for (const a of plan.actors) {
    const actor = actorFromId(g, a.id, a.permissions, plan.name);
    if (actor && !r.decision.actors.active.some((x) => x.id === actor.id && x.phase === actor.phase)) r.decision.actors.active.push(actor);
  }
  return phase;
}

function startPhase(env: Environment, r: AccessRequest, index: number, ctx: AuditContext): void {
  const now = env.clock.now();
  const phase = openPhase(governance(env), r, index, now, String(requestsState(env).requests.length * 10 + r.decision.phases.length + 1000));
  if (!phase) return approveRequest(env, r, ctx);
  const ix = requestIndex(stateOf(env));
  for (const a of r.decision.actors.active) addTo(ix.byActor, a.id, r);
  const plan = r._emulator.planned[index]!;
  if (plan.expirationMs) env.jobs.schedule(JOB_PHASE_EVENT, now + plan.expirationMs, { requestId: r.id, taskId: phase.workflowTaskId, event: 'expiration' });
  if (plan.escalationMs) env.jobs.schedule(JOB_PHASE_EVENT, now + plan.escalationMs, { requestId: r.id, taskId: phase.workflowTaskId, event: 'escalation' });
  touch(env, r);
}

function activate(env: Environment, r: AccessRequest, actor: Actor): void {
  if (r.decision.actors.active.some((a) => a.id === actor.id && a.phase === actor.phase)) return;
  r.decision.actors.active.push(actor);
  addTo(requestIndex(stateOf(env)).byActor, actor.id, r);
}

/** Move a phase's active actors to inactive. */
function retireActors(r: AccessRequest, phase?: string): void {
  const keep: Actor[] = [];
  for (const a of r.decision.actors.active) (phase === undefined || a.phase === phase ? r.decision.actors.inactive : keep).push(a);
  r.decision.actors.active = keep;
}

const currentPhase = (r: AccessRequest): Phase | undefined => r.decision.phases.find((p) => p.status === 'in-progress');

function approveRequest(env: Environment, r: AccessRequest, ctx: AuditContext): void {
  r._emulator.current = r._emulator.planned.length;
  r.decision.decision = 'approved';
  r.decision.comments.push(comment(env, SYSTEM, 'approved', 'Request approved; fulfilment started'));
  const start = Date.parse(String(r.request.common.startDate ?? ''));
  const due = Math.max(env.clock.now() + fulfilmentControl(env).delayMs, Number.isFinite(start) ? start : 0);
  env.jobs.schedule(JOB_FULFIL, due, { requestId: r.id, txId: ctx.txId });
  touch(env, r);
}

function finish(env: Environment, r: AccessRequest, status: AccessRequest['decision']['status'], outcome: AccessRequest['decision']['outcome']): void {
  r.decision.status = status;
  r.decision.outcome = outcome;
  r.decision.completionDate = nowIso(env);
  for (const p of r.decision.phases) if (p.status === 'in-progress') p.status = 'complete';
  retireActors(r);
  touch(env, r);
}

// ---- actions (S3 L5430: approve, reject, comment, cancel, reassign, update, modify) -----------------------------

export type RequestAction = 'approve' | 'reject' | 'comment' | 'cancel' | 'reassign' | 'update' | 'modify';

/** Roles (governance role ids) the user holds, for approvers assigned through a role. */
function roleActorIds(env: Environment, userId: string): Set<string> {
  return new Set(grantsOf(env, userId).filter((g) => g.type === 'role').map((g) => `managed/role/${g.assignmentId}`));
}

/** Users who currently delegate their items to `delegateId` (S4 L13097: optional start and end dates). */
export function delegatorsOf(env: Environment, delegateId: string): string[] {
  const now = env.clock.now();
  return (stateOf(env).delegates ?? [])
    .filter((d) => d.delegateId === delegateId && (!d.startDate || Date.parse(d.startDate) <= now) && (!d.endDate || Date.parse(d.endDate) > now))
    .map((d) => d.userId);
}

/** Every actor id a user answers for: themselves, their roles, and the users (and roles) who delegate to them. */
function actorIdsFor(env: Environment, userId: string): Set<string> {
  const ids = new Set<string>([`managed/user/${userId}`, ...roleActorIds(env, userId)]);
  for (const d of delegatorsOf(env, userId)) {
    ids.add(`managed/user/${d}`);
    for (const r of roleActorIds(env, d)) ids.add(r);
  }
  return ids;
}

/** The active actor entries through which the principal acts on a phase (directly or through a role). */
function actingEntries(env: Environment, r: AccessRequest, p: Principal, phase?: string): Actor[] {
  if (p.type !== 'user') return [];
  const ids = actorIdsFor(env, p.id);
  return r.decision.actors.active.filter((a) => (phase === undefined || a.phase === phase) && ids.has(a.id));
}

const forbidden = (action: string) => igaError(403, `User is not authorized to ${action} this request`);

export function actOnRequest(env: Environment, id: string, action: RequestAction, body: JsonObject, phaseName: string | undefined, ctx: AuditContext & { principal: Principal }): AccessRequest {
  const r = getRequest(env, id);
  const p = ctx.principal;
  const who = principalRef(env, p);
  const admin = isAdmin(env, p);
  const text = typeof body.comment === 'string' ? body.comment : typeof body.justification === 'string' ? body.justification : '';
  const inProgress = r.decision.status === 'in-progress';
  const pendingApproval = inProgress && r.decision.decision === null;

  const decidePhase = (perm: keyof Permissions): Phase => {
    if (!pendingApproval) throw igaError(400, `Request ${id} is not pending approval`);
    const phase = phaseName ? r.decision.phases.find((x) => x.name === phaseName && x.status === 'in-progress') : currentPhase(r);
    if (!phase) throw igaError(400, phaseName ? `Phase ${phaseName} is not in progress on request ${id}` : `Request ${id} has no phase in progress`);
    // S3 L6150 approvals: only current actors (directly or through a role) or an administrator may decide
    const entries = actingEntries(env, r, p, phase.name);
    if (!admin && !entries.some((a) => a.permissions[perm])) throw forbidden(perm);
    return phase;
  };
  /** The phase is decided: by whom, when, and why. */
  const completePhase = (phase: Phase, decision: 'approve' | 'reject'): void => {
    phase.status = 'complete';
    phase.decision = decision;
    phase.completedBy = who;
    phase.completionDate = nowIso(env);
    if (text) phase.justification = text;
  };

  switch (action) {
    case 'approve': {
      const phase = decidePhase('approve');
      completePhase(phase, 'approve');
      retireActors(r, phase.name);
      r.decision.comments.push(comment(env, who, 'approve', text || 'Approved', phase.name));
      audit(env, ctx, r, 'ACTION', `Request ${id} phase ${phase.name} approved`, { action, phase: phase.name });
      startPhase(env, r, r._emulator.current + 1, ctx);
      break;
    }
    case 'reject': {
      const phase = decidePhase('reject');
      completePhase(phase, 'reject');
      r.decision.decision = 'rejected';
      r.decision.comments.push(comment(env, who, 'reject', text || 'Rejected', phase.name));
      // recording workflow "Reject Request": {outcome: 'denied', status: 'complete', decision: 'rejected'}
      finish(env, r, 'complete', 'denied');
      audit(env, ctx, r, 'ACTION', `Request ${id} rejected`, { action, phase: phase.name });
      break;
    }
    case 'comment': {
      if (!text) throw igaError(400, 'comment is required');
      const allowed = admin || r.requester.id === p.id || r.user?.id === p.id || actingEntries(env, r, p).some((a) => a.permissions.comment) || r.decision.actors.inactive.some((a) => a.id === `managed/user/${p.id}`);
      if (!allowed) throw forbidden('comment');
      r.decision.comments.push(comment(env, who, 'comment', text, phaseName ?? currentPhase(r)?.name));
      audit(env, ctx, r, 'ACTION', `Comment on request ${id}`, { action });
      touch(env, r);
      break;
    }
    case 'cancel': {
      // issue: only the requester or an administrator, and only while the request is pending
      if (!admin && r.requester.id !== p.id) throw forbidden('cancel');
      if (!pendingApproval) throw igaError(400, `Request ${id} cannot be cancelled: it is no longer pending`);
      r.decision.comments.push(comment(env, who, 'cancel', text || 'Request cancelled'));
      finish(env, r, 'cancelled', 'cancelled');
      audit(env, ctx, r, 'ACTION', `Request ${id} cancelled`, { action });
      break;
    }
    case 'reassign': {
      const phase = decidePhase('reassign');
      const raw = (body.updatedActors ?? body.actors ?? (body.id ? [{ id: body.id, permissions: body.permissions }] : undefined)) as JsonObject[] | undefined;
      if (!Array.isArray(raw) || raw.length === 0) throw igaError(400, 'updatedActors is required');
      const next: Actor[] = [];
      for (const a of raw) {
        const aid = String(a?.id ?? '');
        const actor = actorFromId(governance(env), aid.startsWith('managed/') ? aid : `managed/user/${aid}`, { ...FULL_PERMISSIONS, ...((a?.permissions as Partial<Permissions>) ?? {}) }, phase.name);
        if (!actor) throw igaError(400, `Unknown actor ${aid}`);
        next.push(actor);
      }
      retireActors(r, phase.name);
      next.forEach((a) => activate(env, r, a));
      r.decision.comments.push(comment(env, who, 'reassign', text || `Reassigned to ${next.map((a) => a.userName ?? a.name ?? a.id).join(', ')}`, phase.name));
      audit(env, ctx, r, 'ACTION', `Request ${id} reassigned`, { action, phase: phase.name, actors: next.map((a) => a.id) });
      touch(env, r);
      break;
    }
    case 'modify': {
      if (!inProgress) throw igaError(400, `Request ${id} is not in progress`);
      if (!admin && !actingEntries(env, r, p).some((a) => a.permissions.modify)) throw forbidden('modify');
      const type = getRequestType(env, r.requestType);
      const locked = new Set(((type.notModifiableProperties as string[] | undefined) ?? []).map(String));
      const changed: string[] = [];
      for (const [section, values] of Object.entries(body)) {
        if (!values || typeof values !== 'object' || Array.isArray(values) || section === 'comment') continue;
        const target = ((r.request as JsonObject)[section] ??= {}) as JsonObject;
        for (const [k, v] of Object.entries(values as JsonObject)) {
          if (locked.has(`${section}.${k}`)) throw igaError(400, `Property ${section}.${k} cannot be modified`);
          target[k] = v;
          changed.push(`${section}.${k}`);
        }
      }
      r.decision.comments.push(comment(env, who, 'modify', text || `Modified ${changed.join(', ')}`, currentPhase(r)?.name));
      audit(env, ctx, r, 'ACTION', `Request ${id} modified`, { action, changed });
      touch(env, r);
      break;
    }
    case 'update': {
      // the workflow's own progress updates (recording scripts: {decision}, {status, outcome, comment, failure})
      if (!admin) throw forbidden('update');
      if (body.decision === 'approved' || body.decision === 'rejected') r.decision.decision = body.decision;
      if (typeof body.comment === 'string') r.decision.comments.push(comment(env, who, 'comment', body.comment));
      if (body.failure === true) r.decision.failure = true;
      if (typeof body.outcome === 'string') r.decision.outcome = body.outcome as AccessRequest['decision']['outcome'];
      if (body.status === 'complete' || body.status === 'cancelled') finish(env, r, body.status, r.decision.outcome);
      audit(env, ctx, r, 'ACTION', `Request ${id} updated`, { action });
      touch(env, r);
      break;
    }
    default:
      throw igaError(400, `Invalid action: ${String(action)}`);
  }
  return r;
}

/** PUT /requests/{id} (S3 L4610): replace the modifiable request sections. PATCH: field operations on them. */
export function replaceRequestBody(env: Environment, id: string, sections: JsonObject, ctx: AuditContext & { principal: Principal }): AccessRequest {
  const r = getRequest(env, id);
  if (r.decision.status !== 'in-progress') throw igaError(400, `Request ${id} is not in progress`);
  if (!isAdmin(env, ctx.principal) && r.requester.id !== ctx.principal.id) throw forbidden('modify');
  const type = getRequestType(env, r.requestType);
  const locked = ((type.notModifiableProperties as string[] | undefined) ?? []).map(String);
  const src = ((sections.request as JsonObject | undefined) ?? sections) as JsonObject;
  const next: JsonObject = {};
  for (const [k, v] of Object.entries(src)) if (v && typeof v === 'object' && !Array.isArray(v) && !['requester', 'decision', 'metadata', 'user', 'application', 'entitlement', 'role', 'id'].includes(k)) next[k] = clone(v);
  for (const key of locked) {
    const [section, prop] = key.split('.');
    const before = ((r.request as JsonObject)[section!] as JsonObject | undefined)?.[prop!];
    const after = (next[section!] as JsonObject | undefined)?.[prop!];
    if (after !== undefined && JSON.stringify(after) !== JSON.stringify(before)) throw igaError(400, `Property ${key} cannot be modified`);
    if (before !== undefined) ((next[section!] ??= {}) as JsonObject)[prop!] = before;
  }
  if (!next.common) next.common = r.request.common;
  r.request = next as AccessRequest['request'];
  r.decision.comments.push(comment(env, principalRef(env, ctx.principal), 'modify', 'Request updated'));
  audit(env, ctx, r, 'UPDATE', `Request ${id} replaced`, {});
  touch(env, r);
  return r;
}

// ---- asynchronous steps --------------------------------------------------------------------------------------

function fulfil(env: Environment, r: AccessRequest, txId: string): void {
  if (r.decision.status !== 'in-progress' || r.decision.decision !== 'approved') return;
  const access = ACCESS_TYPES[r.requestType];
  const ctx: AuditContext = { txId, principal: auditPrincipal(r) };
  let failure: string | undefined;
  const control = fulfilmentControl(env);
  if (control.failNext > 0) {
    control.failNext--;
    failure = control.failureMessage;
  } else if (access && r.user) {
    const itemId = String(r.request.common[access.key] ?? '');
    const userId = r.user.id;
    const grantType = access.kind === 'application' ? 'account' : access.kind;
    const held = grantsOf(env, userId).filter((g) => g.type === grantType && g.assignmentId === itemId);
    const date = nowIso(env);
    if (access.op === 'grant') {
      if (held.length) failure = `Provisioning failed: user ${userId} already has ${access.kind} ${itemId}`;
      else {
        addGrant(env, { id: uuid(), userId, type: grantType, assignmentId: itemId, grantType: 'request', grantDate: date });
        if (access.kind === 'entitlement') {
          // an entitlement lives in an account of its application
          const appId = indexes(governance(env)).entitlements.get(itemId)?.applicationId;
          if (appId && !grantsOf(env, userId).some((g) => g.type === 'account' && g.assignmentId === appId)) addGrant(env, { id: uuid(), userId, type: 'account', assignmentId: appId, grantType: 'request', grantDate: date });
        }
        if (access.kind === 'role') {
          for (const entId of indexes(governance(env)).roles.get(itemId)?.entitlementIds ?? []) addGrant(env, { id: uuid(), userId, type: 'entitlement', assignmentId: entId, grantType: 'role', roleId: itemId, grantDate: date });
        }
      }
    } else {
      if (!held.length) failure = `Deprovisioning failed: user ${userId} does not have ${access.kind} ${itemId}`;
      for (const g of held) removeGrant(env, g.id);
      if (access.kind === 'role') for (const g of grantsOf(env, userId).filter((x) => x.grantType === 'role' && x.roleId === itemId)) removeGrant(env, g.id);
      if (access.kind === 'application') for (const g of grantsOf(env, userId).filter((x) => x.type === 'entitlement' && indexes(governance(env)).entitlements.get(x.assignmentId)?.applicationId === itemId)) removeGrant(env, g.id);
    }
  }
  if (failure) {
    r.decision.failure = true;
    r.decision.comments.push(comment(env, SYSTEM, 'fulfilment', failure));
    finish(env, r, 'complete', 'not provisioned');
  } else {
    r.decision.comments.push(comment(env, SYSTEM, 'fulfilment', access ? `${access.op === 'grant' ? 'Provisioned' : 'Deprovisioned'} ${access.kind} for user ${r.user?.userName ?? r.user?.id}` : 'Request completed'));
    finish(env, r, 'complete', 'provisioned');
    // BasicApplicationGrant "Has End Date" → "Create Removal Request" at the end date (recording workflow)
    const end = Date.parse(String(r.request.common.endDate ?? ''));
    if (access?.op === 'grant' && Number.isFinite(end)) env.jobs.schedule(JOB_END_DATE, Math.max(end, env.clock.now()), { requestId: r.id });
  }
  audit(env, ctx, r, 'ACTION', `Request ${r.id} fulfilment ${r.decision.outcome}`, { action: 'fulfil', outcome: r.decision.outcome });
}

function phaseEvent(env: Environment, r: AccessRequest, taskId: string, event: string): void {
  const phase = r.decision.phases.find((p) => p.workflowTaskId === taskId);
  if (!phase || phase.status !== 'in-progress' || r.decision.status !== 'in-progress') return;
  const plan = r._emulator.planned.find((p) => p.name === phase.name);
  if (!plan) return;
  const ctx: AuditContext = { txId: `${r.id}-${event}`, principal: auditPrincipal(r) };
  if (event === 'escalation') {
    for (const id of plan.escalationActors) {
      const a = actorFromId(governance(env), id, FULL_PERMISSIONS, phase.name);
      if (a) activate(env, r, a);
    }
    r.decision.comments.push(comment(env, SYSTEM, 'escalate', `Request escalated${plan.escalationActors.length ? ` to ${plan.escalationActors.join(', ')}` : ''}`, phase.name));
    audit(env, ctx, r, 'ACTION', `Request ${r.id} escalated`, { action: 'escalate', phase: phase.name });
    touch(env, r);
    return;
  }
  // expiration: S4 L17385 "Reject request / Reassign request / Do nothing"
  if (plan.expirationAction === 'reject') {
    phase.status = 'complete';
    phase.decision = 'reject';
    phase.completionDate = nowIso(env);
    r.decision.decision = 'rejected';
    r.decision.comments.push(comment(env, SYSTEM, 'expire', 'Request expired and was rejected', phase.name));
    finish(env, r, 'complete', 'denied');
  } else if (plan.expirationAction === 'reassign') {
    const ids = plan.expirationActors.length ? plan.expirationActors : defaultApprovers(governance(env)).map(actorId);
    retireActors(r, phase.name);
    for (const id of ids) {
      const a = actorFromId(governance(env), id, FULL_PERMISSIONS, phase.name);
      if (a) activate(env, r, a);
    }
    r.decision.comments.push(comment(env, SYSTEM, 'expire', `Request expired and was reassigned to ${ids.join(', ')}`, phase.name));
    touch(env, r);
  } else {
    r.decision.comments.push(comment(env, SYSTEM, 'expire', 'Request expired', phase.name));
    touch(env, r);
  }
  audit(env, ctx, r, 'ACTION', `Request ${r.id} expired`, { action: 'expire', phase: phase.name, expirationAction: plan.expirationAction });
}

export function registerJobs(env: Environment): void {
  const find = (job: { payload: Record<string, unknown> }) => findRequest(env, String(job.payload.requestId));
  env.jobs.on(JOB_FULFIL, (job) => {
    const r = find(job);
    if (r) fulfil(env, r, String(job.payload.txId ?? `${r.id}-fulfil`));
  });
  env.jobs.on(JOB_PHASE_EVENT, (job) => {
    const r = find(job);
    if (r) phaseEvent(env, r, String(job.payload.taskId), String(job.payload.event));
  });
  env.jobs.on(JOB_REQUEST_EXPIRY, (job) => {
    const r = find(job);
    if (!r || r.decision.status !== 'in-progress' || r.decision.decision !== null) return;
    r.decision.comments.push(comment(env, SYSTEM, 'expire', 'Request expired on its expiry date'));
    finish(env, r, 'cancelled', 'cancelled');
    audit(env, { txId: `${r.id}-expiry`, principal: auditPrincipal(r) }, r, 'ACTION', `Request ${r.id} expired`, { action: 'expire' });
  });
  env.jobs.on(JOB_END_DATE, (job) => {
    const r = find(job);
    const access = r ? ACCESS_TYPES[r.requestType] : undefined;
    if (!r || !access || !r.user) return;
    const removeType = r.requestType.replace('Grant', 'Remove');
    const body = { common: { context: { type: 'admin' }, userId: r.user.id, [access.key]: r.request.common[access.key], justification: `Request submitted automatically to remove access granted by request: ${r.id}` } };
    const v = validateRequest(env, removeType, body);
    if (v.errors.length) return;
    insertRequest(env, removeType, body, v.target, { ctx: { txId: `${r.id}-end-date`, principal: auditPrincipal(r) }, principal: auditPrincipal(r) });
  });
}

// ---- user views ------------------------------------------------------------------------------------------------

/** Requests a user may see: the ones they submitted or that are for them (S3 L5489). */
export function userRequests(env: Environment, userId: string): AccessRequest[] {
  return [...(requestIndex(stateOf(env)).byParticipant.get(userId) ?? [])];
}

/** Requests assigned to the user directly, through a role they hold or as a delegate (S3 L6148), by actor status. */
export function userApprovals(env: Environment, userId: string, actorStatus: 'active' | 'inactive' = 'active'): AccessRequest[] {
  const ix = requestIndex(stateOf(env));
  // directly, through a role, or through a delegate (S3 L6152)
  const ids = [...actorIdsFor(env, userId)];
  const out = new Set<AccessRequest>();
  for (const id of ids) {
    for (const r of ix.byActor.get(id) ?? []) {
      if (r.decision.actors[actorStatus].some((a) => a.id === id)) out.add(r);
    }
  }
  return [...out];
}

export function allRequests(env: Environment): AccessRequest[] {
  return stateOf(env).requests;
}

// ---- restored state: make sure every pending step has its job (seeded or loaded state has no job rows) --------

const scheduledFor = new WeakSet<RequestsState>();

/** Once per state object: schedule the jobs a request in progress needs (fulfilment, phase expiration/escalation). */
export function ensureScheduled(env: Environment): void {
  const state = stateOf(env);
  if (scheduledFor.has(state)) return;
  scheduledFor.add(state);
  const have = new Set(env.jobs.pending().map((j) => `${j.kind}|${String(j.payload.requestId)}|${String(j.payload.taskId ?? '')}|${String(j.payload.event ?? '')}`));
  const now = env.clock.now();
  for (const r of state.requests) {
    if (r.decision.status !== 'in-progress') continue;
    if (r.decision.decision === 'approved') {
      if (!have.has(`${JOB_FULFIL}|${r.id}||`)) env.jobs.schedule(JOB_FULFIL, now, { requestId: r.id, txId: `${r.id}-fulfil` });
      continue;
    }
    for (const p of r.decision.phases) {
      if (p.status !== 'in-progress') continue;
      for (const event of ['expiration', 'escalation']) {
        const date = Date.parse(String((p.events[event] as JsonObject | undefined)?.date ?? ''));
        if (Number.isFinite(date) && !have.has(`${JOB_PHASE_EVENT}|${r.id}|${p.workflowTaskId}|${event}`)) env.jobs.schedule(JOB_PHASE_EVENT, date, { requestId: r.id, taskId: p.workflowTaskId, event });
      }
    }
  }
}

// ---- delegates (control plane) --------------------------------------------------------------------------------

export function addDelegate(env: Environment, d: { userId: string; delegateId: string; startDate?: string | null; endDate?: string | null }): void {
  if (!findUser(env, d.userId)) throw igaError(404, `User ${d.userId} not found`);
  if (!findUser(env, d.delegateId)) throw igaError(404, `User ${d.delegateId} not found`);
  for (const k of ['startDate', 'endDate'] as const) if (d[k] && !Number.isFinite(Date.parse(d[k]!))) throw igaError(400, `Invalid ${k}: ${d[k]}`);
  const list = (stateOf(env).delegates ??= []);
  const i = list.findIndex((x) => x.userId === d.userId && x.delegateId === d.delegateId);
  const row = { userId: d.userId, delegateId: d.delegateId, startDate: d.startDate ?? null, endDate: d.endDate ?? null };
  if (i >= 0) list[i] = row;
  else list.push(row);
  env.changed();
}

export function removeDelegate(env: Environment, userId: string, delegateId: string): boolean {
  const list = stateOf(env).delegates ?? [];
  const i = list.findIndex((x) => x.userId === userId && x.delegateId === delegateId);
  if (i < 0) return false;
  list.splice(i, 1);
  env.changed();
  return true;
}

/** Who may read a request: administrators, its requester and target user, and anyone who is or was its approver
 *  (directly, through a role or as a delegate). */
export function canView(env: Environment, r: AccessRequest, p: Principal): boolean {
  if (isAdmin(env, p) || r.requester.id === p.id || r.user?.id === p.id) return true;
  if (p.type !== 'user') return false;
  const ids = actorIdsFor(env, p.id);
  return [...r.decision.actors.active, ...r.decision.actors.inactive].some((a) => ids.has(a.id));
}
