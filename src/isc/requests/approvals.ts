// Access request approvals (contract listPendingApprovals, listCompletedApprovals, approveAccessRequest,
// rejectAccessRequest, forwardAccessRequest, getAccessRequestApprovalSummary). Only the approval's owner (a member, for
// a governance group) or an ORG_ADMIN acts; the decision is recorded as the token's identity (S0: an API client's
// token acts as its identity; nothing impersonates the owner).
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { findIdentity } from '../identities/service.js';
import { badRequest, forbidden, notFound } from '../shared/errors.js';
import { compileFilter, compileSorters, page, type FilterSpec, type Paging } from '../shared/filters.js';
import { recordAccessEvent } from './audit.js';
import { groupIdsOf, ownsApproval } from './approvers.js';
import { findApproval, findRow, identityName, itemAttrs, proceed, reassign, type Ctx } from './lifecycle.js';
import { requestsState } from './state.js';
import type { Approval, RequestedItem } from './model.js';
import { renderCompleted, renderPending } from './render.js';
import { isJsonObject } from '../../core/http.js';

const isAdmin = (p: Principal) => p.authorities.includes('ORG_ADMIN');

/**
 * owner-id per the contract: ORG_ADMIN may name anyone or omit it (the whole org); others may only name themselves or
 * `me` (omitted: themselves). Returns the identity whose approvals to list, or undefined for all.
 */
function ownerScope(p: Principal, ownerId: string | undefined): string | undefined {
  const owner = ownerId === 'me' ? p.id : ownerId;
  if (isAdmin(p)) return owner;
  if (owner !== undefined && owner !== p.id) throw forbidden();
  return p.id;
}

/** Does the approval belong to `owner` (directly, or through one of their governance groups)? */
function ownedBy(a: Approval, owner: string, groups: Set<string>): boolean {
  return a.ownerType === 'IDENTITY' ? a.ownerId === owner : groups.has(a.ownerId);
}

const PENDING_FILTERS: FilterSpec = { id: ['eq', 'in'], 'requestedFor.id': ['eq', 'in'], modified: ['gt', 'lt', 'ge', 'le', 'eq', 'in'], accessRequestId: ['eq', 'in'], created: ['gt', 'lt', 'ge', 'le', 'eq', 'in'] };
const COMPLETED_FILTERS: FilterSpec = { id: ['eq', 'in', 'ge', 'gt', 'le', 'lt', 'ne', 'isnull', 'sw'], 'requestedFor.id': ['eq', 'in', 'ge', 'gt', 'le', 'lt', 'ne', 'isnull', 'sw'], modified: ['gt', 'lt', 'ge', 'le', 'eq', 'in', 'ne', 'sw'] };

function approvalField(env: Environment) {
  return (a: Approval, f: string): unknown => {
    if (f === 'requestedFor.id') return findRow(env, a.requestedItemId)?.requestedForId;
    return (a as unknown as Record<string, unknown>)[f];
  };
}

function listApprovals(env: Environment, p: Principal, q: { ownerId?: string; filters?: string; sorters?: string }, paging: Paging, completed: boolean) {
  const owner = ownerScope(p, q.ownerId);
  const groups = owner ? groupIdsOf(env, owner) : new Set<string>();
  const get = approvalField(env);
  const filter = compileFilter<Approval>(q.filters, completed ? COMPLETED_FILTERS : PENDING_FILTERS, get);
  const sorter = compileSorters<Approval>(q.sorters, ['created', 'modified'], get) ?? ((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
  const rows = requestsState(env).approvals.filter((a) => {
    if (completed ? a.state !== 'APPROVED' && a.state !== 'REJECTED' : a.state !== 'PENDING') return false;
    // a completed approval is the reviewer's as well as the owner's (an ORG_ADMIN may decide for the owner)
    if (owner && !ownedBy(a, owner, groups) && a.reviewedBy?.id !== owner) return false;
    return filter(a);
  });
  rows.sort(sorter);
  const res = page(rows, paging);
  return { rows: res.rows.map((a) => (completed ? renderCompleted(env, a) : renderPending(env, a))), total: res.total };
}

export function listPendingApprovals(env: Environment, p: Principal, q: { ownerId?: string; filters?: string; sorters?: string }, paging: Paging) {
  return listApprovals(env, p, q, paging, false);
}

export function listCompletedApprovals(env: Environment, p: Principal, q: { ownerId?: string; filters?: string; sorters?: string }, paging: Paging) {
  return listApprovals(env, p, q, paging, true);
}

/** GET …/approval-summary: pending, approved and rejected counts for the owner (since `from-date` when given). */
export function approvalSummary(env: Environment, p: Principal, q: { ownerId?: string; fromDate?: string }) {
  const owner = ownerScope(p, q.ownerId);
  let from = -Infinity;
  if (q.fromDate !== undefined) {
    from = Date.parse(q.fromDate.replace(/^from-date=/, ''));
    if (Number.isNaN(from)) throw badRequest('from-date must be an ISO-8601 date-time.');
  }
  const groups = owner ? groupIdsOf(env, owner) : new Set<string>();
  const out = { pending: 0, approved: 0, rejected: 0 };
  for (const a of requestsState(env).approvals) {
    if (Date.parse(a.modified) < from) continue;
    const mine = !owner || ownedBy(a, owner, groups) || a.reviewedBy?.id === owner;
    if (!mine) continue;
    if (a.state === 'PENDING') out.pending++;
    else if (a.state === 'APPROVED') out.approved++;
    else if (a.state === 'REJECTED') out.rejected++;
  }
  return out;
}

/** The pending approval the caller may act on: 404 unknown, 403 not theirs, 400 no longer pending. */
function actionable(env: Environment, p: Principal, approvalId: string): { approval: Approval; row: RequestedItem } {
  const approval = findApproval(env, approvalId);
  const row = approval && findRow(env, approval.requestedItemId);
  if (!approval || !row) throw notFound();
  if (!isAdmin(p) && !ownsApproval(env, p.id, approval.ownerType, approval.ownerId)) throw forbidden();
  if (approval.state !== 'PENDING') throw badRequest(`Approval ${approvalId} is ${approval.state.toLowerCase()} and can no longer be acted on.`);
  return { approval, row };
}

function comment(body: unknown, required: boolean): string | null {
  if (body === undefined || body === null) {
    if (required) throw badRequest('A comment is required.');
    return null;
  }
  if (!isJsonObject(body)) throw badRequest('The request body must be a JSON object.');
  const c = body.comment;
  if (c !== undefined && c !== null && typeof c !== 'string') throw badRequest('comment must be a string.');
  if (required && (typeof c !== 'string' || !c.trim())) throw badRequest('A comment is required.');
  return (c as string | null | undefined) ?? null;
}

function decide(env: Environment, ctx: NonNullable<Ctx>, approval: Approval, row: RequestedItem, state: 'APPROVED' | 'REJECTED', text: string | null): void {
  const p = ctx.principal;
  const now = env.clock.nowIso();
  approval.state = state;
  approval.modified = now;
  approval.reviewedBy = { type: 'IDENTITY', id: p.id, name: identityName(env, p.id) };
  approval.reviewerComment = text;
  const step = row.steps.find((s) => s.approvalId === approval.id);
  if (step) step.status = state;
  row.modified = now;
  recordAccessEvent(env, ctx, {
    technicalName: state === 'APPROVED' ? 'ACCESS_APPROVAL_APPROVED' : 'ACCESS_APPROVAL_REJECTED',
    name: state === 'APPROVED' ? 'Access Request Approval Approved' : 'Access Request Approval Rejected',
    target: identityName(env, row.requestedForId),
    attributes: { ...itemAttrs(row), approvalId: approval.id, approvalScheme: approval.scheme, approver: approval.ownerId, comment: text },
  });
  env.changed();
}

/** POST …/{approvalId}/approve (202): the next step's approval starts, or provisioning after the last one. */
export function approve(env: Environment, ctx: NonNullable<Ctx>, approvalId: string, body: unknown): void {
  const { approval, row } = actionable(env, ctx.principal, approvalId);
  decide(env, ctx, approval, row, 'APPROVED', comment(body, false));
  proceed(env, row, ctx);
}

/** POST …/{approvalId}/reject (202): the item is REJECTED; a comment is required (contract: requestBody required). */
export function reject(env: Environment, ctx: NonNullable<Ctx>, approvalId: string, body: unknown): void {
  const { approval, row } = actionable(env, ctx.principal, approvalId);
  const text = comment(body, true);
  decide(env, ctx, approval, row, 'REJECTED', text);
  const now = env.clock.nowIso();
  for (const s of row.steps) if (s.status === 'PENDING') s.status = 'CANCELLED';
  row.state = 'REJECTED';
  row.phase = 'DONE';
  row.approvalFinished = now;
  recordAccessEvent(env, ctx, { technicalName: 'ACCESS_REQUEST_REJECTED', name: 'Access Request Rejected', target: identityName(env, row.requestedForId), attributes: itemAttrs(row) });
}

/** POST …/{approvalId}/forward (202, contract ForwardApprovalDto): the approval moves to newOwnerId (MANUAL_REASSIGNMENT). */
export function forward(env: Environment, ctx: NonNullable<Ctx>, approvalId: string, body: unknown): void {
  const { approval, row } = actionable(env, ctx.principal, approvalId);
  if (!isJsonObject(body)) throw badRequest('The request body must be a JSON object.');
  const { newOwnerId, comment: text } = body;
  if (typeof newOwnerId !== 'string' || !newOwnerId || newOwnerId.length > 255) throw badRequest('newOwnerId is required (1 to 255 characters).');
  if (typeof text !== 'string' || !text || text.length > 255) throw badRequest('comment is required (1 to 255 characters).');
  const target = findIdentity(env, newOwnerId);
  if (!target || !target.active) throw badRequest(`Identity ${newOwnerId} does not exist or is not active.`);
  if (approval.ownerType === 'IDENTITY' && approval.ownerId === newOwnerId) throw badRequest('The approval is already owned by that identity.');
  // self-review prevention: the access is not approved by the identity who receives it
  if (newOwnerId === row.requestedForId) throw badRequest('An approval cannot be forwarded to the identity the access is requested for.');
  const p = ctx.principal;
  approval.forwardHistory.push({ oldApproverName: approval.ownerName, newApproverName: identityName(env, newOwnerId), comment: text, modified: env.clock.nowIso(), forwarderName: identityName(env, p.id), reassignmentType: 'MANUAL_REASSIGNMENT' });
  recordAccessEvent(env, ctx, { technicalName: 'ACCESS_APPROVAL_FORWARDED', name: 'Access Request Approval Forwarded', target: identityName(env, row.requestedForId), attributes: { ...itemAttrs(row), approvalId: approval.id, from: approval.ownerId, to: newOwnerId, comment: text } });
  reassign(env, approval, newOwnerId);
}
