// Access requests (contract createAccessRequest, cancelAccessRequest, listAccessRequestStatus): who may request what
// for whom, the rows a request creates, cancellation, and the status list. Approvals are in approvals.ts, the clock-driven
// life of an item in lifecycle.ts.
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { hexId } from '../../core/ids.js';
import { findIdentity } from '../identities/service.js';
import { accessIndex, findItem, identityAccess } from '../access/service.js';
import { badRequest, forbidden, notFound } from '../shared/errors.js';
import { compileFilter, compileSorters, page, type FilterSpec, type Paging } from '../shared/filters.js';
import { recordAccessEvent } from './audit.js';
import { resolveSteps, type RequestableItem } from './approvers.js';
import { identityName, itemAttrs, proceed, type Ctx } from './lifecycle.js';
import { requestsIndex, requestsState, rowsOf } from './state.js';
import type { ItemType, RequestedItem } from './model.js';
import { renderStatus } from './render.js';
import { isJsonObject } from '../../core/http.js';
import { strictTimestamp } from '../../core/timestamps.js';

const isAdmin = (p: Principal) => p.authorities.includes('ORG_ADMIN');
const stringMap = (v: unknown): v is Record<string, string> => isJsonObject(v) && Object.values(v).every((x) => typeof x === 'string');

interface ItemInput {
  type: ItemType;
  id: string;
  comment: string | null;
  clientMetadata: Record<string, string> | null;
  startDate: string | null;
  removeDate: string | null;
}

function futureDate(env: Environment, v: unknown, field: string): string | null {
  if (v === undefined || v === null) return null;
  const t = strictTimestamp(v);
  // contract AccessRequestItem.startDate/removeDate: "must be a future date-time, in the UTC timezone"
  if (t === undefined) throw badRequest(`${field} must be an ISO-8601 date-time.`);
  if (t <= env.clock.now()) throw badRequest(`${field} must be a date-time in the future.`);
  return new Date(t).toISOString();
}

function parseItems(env: Environment, raw: unknown, requestType: 'GRANT_ACCESS' | 'REVOKE_ACCESS'): ItemInput[] {
  if (!Array.isArray(raw) || !raw.length) throw badRequest('requestedItems must hold at least one item.');
  return raw.map((it, i) => {
    if (!isJsonObject(it)) throw badRequest(`requestedItems[${i}] must be an object.`);
    if (it.type !== 'ACCESS_PROFILE' && it.type !== 'ROLE' && it.type !== 'ENTITLEMENT') throw badRequest(`requestedItems[${i}].type must be one of ACCESS_PROFILE, ROLE, ENTITLEMENT.`);
    if (typeof it.id !== 'string' || !it.id) throw badRequest(`requestedItems[${i}].id is required.`);
    if (it.comment !== undefined && it.comment !== null && typeof it.comment !== 'string') throw badRequest(`requestedItems[${i}].comment must be a string.`);
    if (it.clientMetadata !== undefined && it.clientMetadata !== null && !stringMap(it.clientMetadata)) throw badRequest(`requestedItems[${i}].clientMetadata must map strings to strings.`);
    // contract createAccessRequest: "You cannot specify a 'startDate' in a REVOKE_ACCESS request"
    if (requestType === 'REVOKE_ACCESS' && it.startDate !== undefined && it.startDate !== null) throw badRequest('startDate cannot be specified for a REVOKE_ACCESS request.');
    return {
      type: it.type,
      id: it.id,
      comment: (it.comment as string | null | undefined) ?? null,
      clientMetadata: (it.clientMetadata as Record<string, string> | null | undefined) ?? null,
      startDate: futureDate(env, it.startDate, 'startDate'),
      removeDate: futureDate(env, it.removeDate, 'removeDate'),
    };
  });
}

function requestable(env: Environment, it: ItemInput): RequestableItem {
  const value = findItem(env, { type: it.type, id: it.id });
  if (!value) throw badRequest(`The requested ${it.type} ${it.id} does not exist.`);
  return { type: it.type, value } as RequestableItem;
}

/** contract createAccessRequest + AccessRequestConfig.requestOnBehalfOfConfig: who may ask for whom. */
function checkRequestedFor(env: Environment, p: Principal, requestType: string, forIds: string[]): void {
  const cfg = requestsState(env).config;
  for (const id of forIds) {
    const identity = findIdentity(env, id);
    if (!identity) throw badRequest(`Identity ${id} does not exist.`);
    if (!identity.active) throw badRequest(`Identity ${id} is not active.`);
    const managerOf = identity.managerId === p.id;
    if (requestType === 'REVOKE_ACCESS') {
      // "Does not support self request. Only manager can request to revoke access for their directly managed employees.
      // A user with ORG_ADMIN authority can also request to revoke access from anyone."
      if (id === p.id && !isAdmin(p)) throw forbidden();
      if (!managerOf && !isAdmin(p)) throw forbidden();
      continue;
    }
    if (id === p.id || isAdmin(p)) continue;
    if (cfg.requestOnBehalfOfConfig.allowRequestOnBehalfOfAnyoneByAnyone) continue;
    if (managerOf && cfg.requestOnBehalfOfConfig.allowRequestOnBehalfOfEmployeeByManager) continue;
    throw forbidden();
  }
}

function heldThroughRequest(env: Environment, identityId: string, it: ItemInput): 'held' | 'membership' | 'none' {
  const access = identityAccess(env, identityId);
  if (it.type === 'ROLE') {
    const r = access.roles.find((x) => x.role.id === it.id);
    return !r ? 'none' : r.assignment.source === 'ROLE_MEMBERSHIP' || r.assignment.source === 'BIRTHRIGHT' ? 'membership' : 'held';
  }
  if (it.type === 'ACCESS_PROFILE') {
    const a = access.accessProfiles.find((x) => x.accessProfile.id === it.id);
    return !a ? 'none' : a.assignment ? 'held' : 'membership';
  }
  const e = access.entitlements.find((x) => x.entitlement.id === it.id);
  return !e ? 'none' : e.grant ? 'held' : 'membership';
}

interface Tracking {
  requestedFor: string;
  requestedItemsDetails: Array<{ type: ItemType; id: string }>;
  attributesHash: number;
  accessRequestIds: string[];
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * POST /v3/access-requests (202). Checks what the product checks on submission (body, who for whom, items exist and are
 * requestable, limits); the rest is asynchronous: a pending duplicate (same identity, item and type) is reported in
 * `existingRequests` rather than refused, and access already held is ignored, as the contract describes.
 */
export function createAccessRequest(env: Environment, ctx: NonNullable<Ctx>, body: unknown) {
  const p = ctx.principal;
  const st = requestsState(env);
  // "Allows any authenticated token (except API) to call this endpoint": a client-credentials token has no user
  if (p.type === 'apiClient') throw forbidden();
  if (!isJsonObject(body)) throw badRequest('The request body must be a JSON object.');
  const requestType = body.requestType ?? 'GRANT_ACCESS';
  if (requestType !== 'GRANT_ACCESS' && requestType !== 'REVOKE_ACCESS') throw badRequest(`requestType ${String(requestType)} is not supported; use GRANT_ACCESS or REVOKE_ACCESS.`);
  if (!Array.isArray(body.requestedFor) || !body.requestedFor.length || !body.requestedFor.every((x) => typeof x === 'string' && x)) throw badRequest('requestedFor must hold at least one identity id.');
  if (body.clientMetadata !== undefined && body.clientMetadata !== null && !stringMap(body.clientMetadata)) throw badRequest('clientMetadata must map strings to strings.');
  const forIds = [...new Set(body.requestedFor as string[])];
  const items = parseItems(env, body.requestedItems, requestType);
  const entitlements = items.filter((i) => i.type === 'ENTITLEMENT').length;
  // contract createAccessRequest caution: at most 25 entitlements and 10 identities when entitlements are requested
  if (entitlements && (entitlements > 25 || forIds.length > 10)) throw badRequest('A request for entitlements may hold at most 25 entitlements and 10 identities.');
  if (requestType === 'REVOKE_ACCESS') {
    if (forIds.length !== 1) throw badRequest('A REVOKE_ACCESS request can only be for a single identity.');
    if (entitlements > 1) throw badRequest('A REVOKE_ACCESS request can revoke only one entitlement at a time.');
  }
  // contract AccessRequestConfig.approvalsMustBeExternal: "blocks ... access requests ... for any user who isn't an org admin"
  if (st.config.approvalsMustBeExternal && !isAdmin(p)) throw forbidden();
  checkRequestedFor(env, p, requestType, forIds);
  const resolved = items.map((it) => {
    const item = requestable(env, it);
    if (requestType === 'GRANT_ACCESS') {
      if (!item.value.requestable) throw badRequest(`The ${it.type} ${it.id} is not requestable.`);
      if (it.type === 'ENTITLEMENT' && !st.config.entitlementRequestConfig.allowEntitlementRequest) throw badRequest('Entitlement requests are not enabled (access-request-config entitlementRequestConfig.allowEntitlementRequest).');
      const commentsRequired = it.type === 'ENTITLEMENT' ? st.config.entitlementRequestConfig.requestCommentsRequired : (item.value as { accessRequestConfig: { commentsRequired: boolean } }).accessRequestConfig.commentsRequired;
      if (commentsRequired && !it.comment?.trim()) throw badRequest(`A comment is required to request ${item.value.name}.`);
    }
    return { input: it, item };
  });
  if (requestType === 'REVOKE_ACCESS') {
    // "You cannot use an access request to revoke access ... granted by role membership or by birthright provisioning."
    for (const { input, item } of resolved) if (heldThroughRequest(env, forIds[0]!, input) === 'membership') throw badRequest(`${item.value.name} was granted by role membership or birthright and cannot be revoked by a request.`);
  }

  const now = env.clock.nowIso();
  const newRequests: Tracking[] = [];
  const existingRequests: Tracking[] = [];
  for (const forId of forIds) {
    const accessRequestId = hexId();
    const fresh: Tracking = { requestedFor: forId, requestedItemsDetails: [], attributesHash: 0, accessRequestIds: [accessRequestId] };
    const existing: Tracking = { requestedFor: forId, requestedItemsDetails: [], attributesHash: 0, accessRequestIds: [] };
    for (const { input, item } of resolved) {
      const pending = rowsOf(env, forId).find((r) => r.requestedForId === forId && r.item.id === input.id && r.requestType === requestType && r.state === 'EXECUTING');
      const held = heldThroughRequest(env, forId, input);
      if (pending || (requestType === 'GRANT_ACCESS' && held !== 'none' && !input.removeDate) || (requestType === 'REVOKE_ACCESS' && held === 'none')) {
        existing.requestedItemsDetails.push({ type: input.type, id: input.id });
        if (pending && !existing.accessRequestIds.includes(pending.accessRequestId)) existing.accessRequestIds.push(pending.accessRequestId);
        continue;
      }
      const row: RequestedItem = {
        id: hexId(),
        accessRequestId,
        requestType,
        requesterId: p.id,
        requestedForId: forId,
        item: { type: input.type, id: input.id, name: item.value.name, description: item.value.description ?? null },
        comment: input.comment,
        clientMetadata: input.clientMetadata ?? ((body.clientMetadata as Record<string, string> | undefined) ?? null),
        startDate: input.startDate,
        removeDate: input.removeDate,
        created: now,
        modified: now,
        state: 'EXECUTING',
        phase: 'APPROVAL',
        approvalStarted: now,
        approvalFinished: null,
        provisioningStarted: null,
        provisioningFinished: null,
        steps: resolveSteps(env, item, requestType, forId, st.config).map((s) => ({ ...s, approvalId: null, status: 'PENDING' as const })),
        cancelled: null,
        errorMessages: [],
        accounts: [],
        removed: null,
      };
      st.items.push(row);
      fresh.requestedItemsDetails.push({ type: input.type, id: input.id });
      recordAccessEvent(env, ctx, {
        technicalName: forId === p.id ? 'ACCESS_REQUEST_STARTED' : 'ACCESS_REQUEST_ON_BEHALF_OF_SUBMITTED',
        name: forId === p.id ? 'Access Request Started' : 'Access Request On Behalf Of Submitted',
        target: identityName(env, forId),
        attributes: { ...itemAttrs(row), comment: row.comment, removeDate: row.removeDate },
      });
      proceed(env, row, ctx);
    }
    for (const t of [fresh, existing]) t.attributesHash = hash(JSON.stringify(t.requestedItemsDetails));
    if (fresh.requestedItemsDetails.length) newRequests.push(fresh);
    if (existing.requestedItemsDetails.length) existingRequests.push(existing);
  }
  env.changed();
  return { newRequests, existingRequests };
}

/**
 * POST /v3/access-requests/cancel: "can be cancelled only if it has not passed the approval step"; ORG_ADMIN or the
 * original requester. `accountActivityId` names the access request (every item of it still in approval is cancelled)
 * or one requested item (its accountActivityItemId).
 */
export function cancelAccessRequest(env: Environment, ctx: NonNullable<Ctx>, body: unknown): void {
  const p = ctx.principal;
  if (!isJsonObject(body)) throw badRequest('The request body must be a JSON object.');
  if (typeof body.accountActivityId !== 'string' || !body.accountActivityId) throw badRequest('accountActivityId is required.');
  if (typeof body.comment !== 'string' || !body.comment.trim()) throw badRequest('comment is required.');
  const st = requestsState(env);
  const id = body.accountActivityId;
  const ix = requestsIndex(env);
  const one = ix.items.get(id);
  const rows = one ? [one] : (ix.byAccessRequest.get(id) ?? []);
  if (!rows.length) throw notFound();
  if (!isAdmin(p) && rows.some((r) => r.requesterId !== p.id)) throw forbidden();
  const open = rows.filter((r) => r.state === 'EXECUTING' && r.phase === 'APPROVAL');
  if (!open.length) throw badRequest(`Access request ${id} can no longer be cancelled: it has passed the approval step or is complete.`);
  const now = env.clock.nowIso();
  for (const row of open) {
    row.state = 'CANCELLED';
    row.phase = 'DONE';
    row.approvalFinished = now;
    row.modified = now;
    row.cancelled = { comment: body.comment, owner: { type: 'IDENTITY', id: p.id, name: identityName(env, p.id) }, modified: now };
    for (const step of row.steps) {
      if (step.status !== 'PENDING') continue;
      step.status = 'CANCELLED';
      const approval = step.approvalId ? st.approvals.find((a) => a.id === step.approvalId) : undefined;
      if (approval && approval.state === 'PENDING') {
        approval.state = 'CANCELLED';
        approval.modified = now;
      }
    }
    recordAccessEvent(env, ctx, { technicalName: 'ACCESS_REQUEST_CANCELLED', name: 'Access Request Cancelled', target: identityName(env, row.requestedForId), attributes: { ...itemAttrs(row), comment: body.comment } });
  }
  env.changed();
}

export interface StatusQuery {
  requestedFor?: string;
  requestedBy?: string;
  regardingIdentity?: string;
  assignedTo?: string;
  requestState?: string;
  filters?: string;
  sorters?: string;
}

// contract listAccessRequestStatus filters / sorters
const STATUS_FILTERS: FilterSpec = { accessRequestId: ['eq', 'ge', 'gt', 'le', 'lt', 'ne', 'in', 'sw'], accountActivityItemId: ['eq', 'in', 'ge', 'gt', 'le', 'ne', 'sw'], created: ['eq', 'ge', 'gt', 'le', 'lt', 'ne'] };
const STATUS_SORTERS = ['created', 'modified', 'accountActivityItemId', 'name'];

function statusField(r: RequestedItem, f: string): unknown {
  if (f === 'accountActivityItemId') return r.id;
  if (f === 'name') return r.item.name;
  if (f === 'created' || f === 'modified') return Date.parse(r[f]);
  return (r as unknown as Record<string, unknown>)[f];
}

/**
 * GET /v3/access-request-status: "Any user ... can get the status of their own access requests. A user with ORG_ADMIN
 * is required ... for other users." Newest first unless sorted.
 */
export function listAccessRequestStatus(env: Environment, p: Principal, q: StatusQuery, paging: Paging) {
  const me = (v: string | undefined) => (v === 'me' ? p.id : v);
  const requestedFor = me(q.requestedFor);
  const requestedBy = me(q.requestedBy);
  const regarding = me(q.regardingIdentity);
  const assignedTo = me(q.assignedTo);
  if (regarding && (requestedFor || requestedBy)) throw badRequest('regarding-identity is mutually exclusive with requested-for and requested-by.');
  if (q.requestState !== undefined && q.requestState !== 'EXECUTING') throw badRequest('request-state: the only valid value is EXECUTING.');
  if (!isAdmin(p)) {
    const others = [requestedFor, requestedBy, regarding, assignedTo].filter((x) => x !== undefined && x !== p.id);
    if (others.length) throw forbidden();
  }
  // a non-admin without a selector sees the requests regarding them
  const regardingId = regarding ?? (!isAdmin(p) && !requestedFor && !requestedBy && !assignedTo ? p.id : undefined);
  const st = requestsState(env);
  const filter = compileFilter<RequestedItem>(q.filters, STATUS_FILTERS, (r, f) => (f === 'created' ? r.created : statusField(r, f)));
  const sorter = compileSorters<RequestedItem>(q.sorters, STATUS_SORTERS, statusField) ?? ((a, b) => b.created.localeCompare(a.created) || a.id.localeCompare(b.id));
  const groups = assignedTo ? new Set(accessIndex(env).groupsOf(assignedTo).map((g) => g.id)) : undefined;
  // one identity's rows when the query names one (the index), else every row
  const anchor = requestedFor ?? requestedBy ?? regardingId;
  const candidates = anchor ? rowsOf(env, anchor) : st.items;
  const rows = candidates.filter((r) => {
    if (requestedFor && r.requestedForId !== requestedFor) return false;
    if (requestedBy && r.requesterId !== requestedBy) return false;
    if (regardingId && r.requestedForId !== regardingId && r.requesterId !== regardingId) return false;
    if (q.requestState === 'EXECUTING' && r.state !== 'EXECUTING') return false;
    if (assignedTo && !r.steps.some((s) => s.status === 'PENDING' && s.approvalId && (s.ownerId === assignedTo || (s.ownerType === 'GOVERNANCE_GROUP' && s.ownerId && groups!.has(s.ownerId))))) return false;
    return filter(r);
  });
  rows.sort(sorter);
  const res = page(rows, paging);
  return { rows: res.rows.map((r) => renderStatus(env, r)), total: res.total };
}
