// Access request asynchronous steps on the emulator clock (fulfilment into the governance data, expiry, escalation),
// the user views, jobs for restored state, and approval delegates (control plane).
import { Invalid, NotFound } from '../../../core/errors.js';
import type { Principal } from '../../../core/auth.js';
import type { Environment } from '../../../environment.js';
import type { AuditContext } from '../../../core/audit.js';
import { uuid } from '../../../core/ids.js';
import { addGrant, findUser, governance, grantsOf, indexes, removeGrant } from '../../governance/service.js';
import { ACCESS_TYPES } from './builtins.js';
import type { AccessRequest, JsonObject, RequestsState } from './model.js';
import { FULL_PERMISSIONS } from './workflow.js';
import { insertRequest } from './create.js';
import { activate, actorIdsFor, finish, retireActors } from './decide.js';
import { actorFromId, actorId, audit, auditPrincipal, comment, defaultApprovers, findRequest, fulfilmentControl, isAdmin, JOB_END_DATE, JOB_FULFIL, JOB_PHASE_EVENT, JOB_REQUEST_EXPIRY, nowIso, requestIndex, stateOf, SYSTEM, touch } from './store.js';
import { validateRequest } from './validate.js';

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
  if (!findUser(env, d.userId)) throw new NotFound(`User ${d.userId} not found`);
  if (!findUser(env, d.delegateId)) throw new NotFound(`User ${d.delegateId} not found`);
  for (const k of ['startDate', 'endDate'] as const) if (d[k] && !Number.isFinite(Date.parse(d[k]!))) throw new Invalid(`Invalid ${k}: ${d[k]}`);
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
