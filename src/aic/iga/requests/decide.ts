// Access request approval phases from the request type's workflow, and the approvers' actions (S3 L5430: approve,
// reject, comment, cancel, reassign, update, modify).
import { indexes } from '../../governance/service.js';
import { isUnsafeKey } from '../../../core/jsonPatch.js';
import { Forbidden, Invalid } from '../../../core/errors.js';
import type { Principal } from '../../../core/auth.js';
import type { Environment } from '../../../environment.js';
import type { AuditContext } from '../../../core/audit.js';
import { governance, grantsOf } from '../../governance/service.js';
import type { GovernanceState } from '../../governance/model.js';
import { getRequestType, requestsState } from './config.js';
import type { AccessRequest, Actor, JsonObject, Permissions, Phase } from './model.js';
import { FULL_PERMISSIONS } from './workflow.js';
import { actorFromId, addTo, audit, comment, fulfilmentControl, getRequest, isAdmin, JOB_FULFIL, JOB_PHASE_EVENT, nowIso, principalRef, requestIndex, stateOf, SYSTEM, touch } from './store.js';
import { clone } from '../../../core/clone.js';

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

export function startPhase(env: Environment, r: AccessRequest, index: number, ctx: AuditContext): void {
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

export function activate(env: Environment, r: AccessRequest, actor: Actor): void {
  if (r.decision.actors.active.some((a) => a.id === actor.id && a.phase === actor.phase)) return;
  r.decision.actors.active.push(actor);
  addTo(requestIndex(stateOf(env)).byActor, actor.id, r);
}

/** Move a phase's active actors to inactive. */
export function retireActors(r: AccessRequest, phase?: string): void {
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

export function finish(env: Environment, r: AccessRequest, status: AccessRequest['decision']['status'], outcome: AccessRequest['decision']['outcome']): void {
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
export function actorIdsFor(env: Environment, userId: string): Set<string> {
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

const forbidden = (action: string) => new Forbidden(`User is not authorized to ${action} this request`);

export function actOnRequest(env: Environment, id: string, action: RequestAction, body: JsonObject, phaseName: string | undefined, ctx: AuditContext & { principal: Principal }): AccessRequest {
  const r = getRequest(env, id);
  const p = ctx.principal;
  const who = principalRef(env, p);
  const admin = isAdmin(env, p);
  const text = typeof body.comment === 'string' ? body.comment : typeof body.justification === 'string' ? body.justification : '';
  const inProgress = r.decision.status === 'in-progress';
  const pendingApproval = inProgress && r.decision.decision === null;

  const decidePhase = (perm: keyof Permissions): Phase => {
    if (!pendingApproval) throw new Invalid(`Request ${id} is not pending approval`);
    const phase = phaseName ? r.decision.phases.find((x) => x.name === phaseName && x.status === 'in-progress') : currentPhase(r);
    if (!phase) throw new Invalid(phaseName ? `Phase ${phaseName} is not in progress on request ${id}` : `Request ${id} has no phase in progress`);
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
      if (!text) throw new Invalid('comment is required');
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
      if (!pendingApproval) throw new Invalid(`Request ${id} cannot be cancelled: it is no longer pending`);
      r.decision.comments.push(comment(env, who, 'cancel', text || 'Request cancelled'));
      finish(env, r, 'cancelled', 'cancelled');
      audit(env, ctx, r, 'ACTION', `Request ${id} cancelled`, { action });
      break;
    }
    case 'reassign': {
      const phase = decidePhase('reassign');
      const raw = (body.updatedActors ?? body.actors ?? (body.id ? [{ id: body.id, permissions: body.permissions }] : undefined)) as JsonObject[] | undefined;
      if (!Array.isArray(raw) || raw.length === 0) throw new Invalid('updatedActors is required');
      const next: Actor[] = [];
      for (const a of raw) {
        const aid = String(a?.id ?? '');
        const actor = actorFromId(governance(env), aid.startsWith('managed/') ? aid : `managed/user/${aid}`, { ...FULL_PERMISSIONS, ...((a?.permissions as Partial<Permissions>) ?? {}) }, phase.name);
        // a reassignment names someone who exists: a user, or a role of the governance model
        if (!actor || (actor.id.startsWith('managed/role/') && !indexes(governance(env)).roles.get(actor.id.slice('managed/role/'.length)))) throw new Invalid(`Unknown actor ${aid}`);
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
      if (!inProgress) throw new Invalid(`Request ${id} is not in progress`);
      if (!admin && !actingEntries(env, r, p).some((a) => a.permissions.modify)) throw forbidden('modify');
      const type = getRequestType(env, r.requestType);
      const locked = new Set(lockedProperties(type));
      // every change is checked before any is made: a refused modify leaves the request as it was
      const edits: Array<[string, string, unknown]> = [];
      for (const [section, values] of Object.entries(body)) {
        if (!values || typeof values !== 'object' || Array.isArray(values) || section === 'comment') continue;
        for (const [k, v] of Object.entries(values as JsonObject)) {
          // sections and properties are a document's own keys: `constructor` or `__proto__` would reach shared prototypes
          if (isUnsafeKey(section) || isUnsafeKey(k)) throw new Invalid(`Property ${section}.${k} cannot be modified`);
          if (locked.has(`${section}.${k}`)) throw new Invalid(`Property ${section}.${k} cannot be modified`);
          edits.push([section, k, v]);
        }
      }
      const changed: string[] = [];
      for (const [section, k, v] of edits) {
        const request = r.request as JsonObject;
        const current = Object.hasOwn(request, section) ? request[section] : undefined;
        const target = (current && typeof current === 'object' && !Array.isArray(current) ? current : (request[section] = {})) as JsonObject;
        target[k] = v;
        changed.push(`${section}.${k}`);
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
      throw new Invalid(`Invalid action: ${String(action)}`);
  }
  return r;
}

/** A request type's `section.property` names no modify may change (a list wherever it was stored from). */
function lockedProperties(type: JsonObject): string[] {
  const list = type.notModifiableProperties;
  return Array.isArray(list) ? list.map(String) : [];
}

/** PUT /requests/{id} (S3 L4610): replace the modifiable request sections. PATCH: field operations on them. */
export function replaceRequestBody(env: Environment, id: string, sections: JsonObject, ctx: AuditContext & { principal: Principal }): AccessRequest {
  const r = getRequest(env, id);
  if (r.decision.status !== 'in-progress') throw new Invalid(`Request ${id} is not in progress`);
  if (!isAdmin(env, ctx.principal) && r.requester.id !== ctx.principal.id) throw forbidden('modify');
  const type = getRequestType(env, r.requestType);
  const locked = lockedProperties(type);
  const src = ((sections.request as JsonObject | undefined) ?? sections) as JsonObject;
  const next: JsonObject = {};
  for (const [k, v] of Object.entries(src)) if (v && typeof v === 'object' && !Array.isArray(v) && !isUnsafeKey(k) && !['requester', 'decision', 'metadata', 'user', 'application', 'entitlement', 'role', 'id'].includes(k)) next[k] = clone(v);
  for (const key of locked) {
    const [section, prop] = key.split('.');
    const before = ((r.request as JsonObject)[section!] as JsonObject | undefined)?.[prop!];
    const after = (next[section!] as JsonObject | undefined)?.[prop!];
    if (after !== undefined && JSON.stringify(after) !== JSON.stringify(before)) throw new Invalid(`Property ${key} cannot be modified`);
    if (before !== undefined) ((next[section!] ??= {}) as JsonObject)[prop!] = before;
  }
  if (!next.common) next.common = r.request.common;
  r.request = next as AccessRequest['request'];
  r.decision.comments.push(comment(env, principalRef(env, ctx.principal), 'modify', 'Request updated'));
  audit(env, ctx, r, 'UPDATE', `Request ${id} replaced`, {});
  touch(env, r);
  return r;
}
