// Access requests: runtime controls, the request indexes, and the people and targets a request names (S3 L3714–6500).
import { NotFound } from '../../../core/errors.js';
import type { Principal } from '../../../core/auth.js';
import type { Environment } from '../../../environment.js';
import { auditActivity, type AuditContext } from '../../../core/audit.js';
import { hasAnyScope } from '../../../core/scopes.js';
import { findUser, indexes } from '../../governance/service.js';
import type { Application, Entitlement, GovernanceState, Role, User } from '../../governance/model.js';
import { requestsState } from './config.js';
import type { AccessRequest, Actor, JsonObject, Permissions, PersonRef, RequestsState, TimelineComment } from './model.js';
import type { ActorRule } from './workflow.js';
import { clone } from '../../../core/clone.js';

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

export const nowIso = (env: Environment) => env.clock.nowIso();

// ---- indexes (per state object): request by id, by participant (requester/target user), by actor ----------

interface RequestIndex {
  byId: Map<string, AccessRequest>;
  byParticipant: Map<string, Set<AccessRequest>>;
  byActor: Map<string, Set<AccessRequest>>;
}
const indexCache = new WeakMap<RequestsState, RequestIndex>();

export function addTo(map: Map<string, Set<AccessRequest>>, key: string | undefined, r: AccessRequest) {
  if (!key) return;
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  s.add(r);
}

export function indexRequest(ix: RequestIndex, r: AccessRequest) {
  ix.byId.set(r.id, r);
  addTo(ix.byParticipant, r.requester?.id, r);
  addTo(ix.byParticipant, r.user?.id, r);
  for (const a of [...(r.decision?.actors?.active ?? []), ...(r.decision?.actors?.inactive ?? [])]) addTo(ix.byActor, a.id, r);
}

export function requestIndex(state: RequestsState): RequestIndex {
  let ix = indexCache.get(state);
  if (!ix) {
    ix = { byId: new Map(), byParticipant: new Map(), byActor: new Map() };
    for (const r of state.requests) indexRequest(ix, r);
    indexCache.set(state, ix);
  }
  return ix;
}

export const stateOf = (env: Environment) => requestsState(env);
export const findRequest = (env: Environment, id: string): AccessRequest | undefined => requestIndex(stateOf(env)).byId.get(id);
export function getRequest(env: Environment, id: string): AccessRequest {
  const r = findRequest(env, id);
  if (!r) throw new NotFound(`Request ${id} not found`);
  return r;
}

/**
 * The request as the product returns it (emulator bookkeeping removed). A shallow view sharing the stored request's
 * nested objects: callers serialize it at once (c.json, a rendered page) and never mutate it, so a list page costs
 * no deep copy of every request (issue #17: structuredClone was most of the IGA list's CPU).
 */
export function requestView(r: AccessRequest): JsonObject {
  const { _emulator: _e, ...rest } = r;
  return rest as JsonObject;
}

// ---- people ------------------------------------------------------------------------------------------------

export const userRef = (u: User): PersonRef => ({ id: u._id, userName: u.userName, mail: u.mail, givenName: u.givenName, sn: u.sn });
export const actorId = (u: User) => `managed/user/${u._id}`;
export const bareId = (id: string) => id.replace(/^managed\/(?:alpha_|bravo_)?user\//, '');

/** The acting identity as embedded in a request (users by their profile; service accounts/clients by id). */
export function principalRef(env: Environment, p: Principal): PersonRef {
  if (p.type === 'user') {
    const u = findUser(env, p.id);
    if (u) return userRef(u);
  }
  return { id: p.id, userName: p.name ?? p.id, name: p.name ?? p.id };
}

/** A non-user principal with this scope is a governance administrator. */
const IGA_SCOPES = ['fr:iga:*'];

/** Governance administrator: a user with the admin role, or a non-user principal holding the IGA admin scope. */
export function isAdmin(env: Environment, p: Principal): boolean {
  if (p.type === 'user') return (findUser(env, p.id)?.roles ?? []).includes(ADMIN_ROLE);
  return hasAnyScope(p.scopes, IGA_SCOPES);
}

/** The default approver (recording workflows: `systemSettings.defaultApprover`): the governance administrators. */
export function defaultApprovers(g: GovernanceState): User[] {
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

export function resolveActorRule(g: GovernanceState, rule: ActorRule, t: Target): string[] {
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

export function comment(env: Environment, who: PersonRef, action: string, text: string, phase?: string): TimelineComment {
  return { user: who, comment: text, action, timeStamp: nowIso(env), ...(phase ? { phase } : {}) };
}

export const SYSTEM: PersonRef = { id: 'system', userName: 'system', name: 'IGA workflow' };

export function auditPrincipal(r: AccessRequest): Principal {
  return { type: (r._emulator.requesterType as Principal['type']) ?? 'user', id: r.requester.id, name: r.requester.userName, scopes: [], authorities: [], tokenId: '', claims: {} };
}

export function audit(env: Environment, ctx: AuditContext, r: AccessRequest, operation: 'CREATE' | 'UPDATE' | 'ACTION', message: string, details: JsonObject): void {
  auditActivity(env, ctx, { objectId: `governance/requests/${r.id}`, operation, message, details: { requestId: r.id, requestType: r.requestType, ...details } });
}

export function touch(env: Environment, r: AccessRequest) {
  r.metadata.modifiedDate = nowIso(env);
  env.changed();
}
