// Wire DTOs of access requests (contract RequestedItemStatus, PendingApproval, CompletedApproval), rendered from the
// stored rows. Fields the emulator does not model (SOD violations, pre-approval triggers, manual work items) are omitted
// or null as the contract allows.
import type { Environment } from '../../environment.js';
import { findItem } from '../access/service.js';
import { findApproval, findRow, identityName } from './lifecycle.js';
import type { Approval, RequestedItem } from './model.js';

const who = (env: Environment, id: string) => ({ type: 'IDENTITY' as const, id, name: identityName(env, id) });
const locale = (text: string) => ({ locale: 'en-US', localeOrigin: 'DEFAULT', text });

function requestedObject(env: Environment, row: RequestedItem) {
  const live = findItem(env, { type: row.item.type, id: row.item.id });
  return { id: row.item.id, name: live?.name ?? row.item.name, description: live?.description ?? row.item.description ?? '', type: row.item.type };
}

const requesterComment = (env: Environment, row: RequestedItem) => ({ comment: row.comment, created: row.created, author: who(env, row.requesterId) });

/** contract AccessRequestPhases: the approval phase, then provisioning. */
function phases(row: RequestedItem) {
  const approvalState = row.phase === 'APPROVAL' ? 'EXECUTING' : row.state === 'CANCELLED' ? 'CANCELLED' : 'COMPLETED';
  const approvalResult = row.phase === 'APPROVAL' ? null : row.state === 'REJECTED' || row.state === 'CANCELLED' || row.state === 'TERMINATED' ? 'FAILED' : 'SUCCESSFUL';
  const out: Array<Record<string, unknown>> = [{ started: row.approvalStarted ?? row.created, finished: row.approvalFinished, name: 'APPROVAL_PHASE', state: approvalState, result: approvalResult, phaseReference: 'approvalDetails' }];
  if (row.provisioningStarted) {
    const done = row.phase === 'DONE';
    out.push({ started: row.provisioningStarted, finished: row.provisioningFinished, name: 'PROVISIONING_PHASE', state: done ? 'COMPLETED' : 'EXECUTING', result: done ? (row.state === 'REQUEST_COMPLETED' ? 'SUCCESSFUL' : 'FAILED') : null, phaseReference: null });
  } else if (row.phase === 'DONE') {
    out.push({ started: row.approvalFinished ?? row.modified, finished: row.approvalFinished ?? row.modified, name: 'PROVISIONING_PHASE', state: 'NOT_EXECUTED', result: null, phaseReference: null });
  }
  return out;
}

/** contract ApprovalStatusDto for each step that reached someone. */
function approvalDetails(env: Environment, row: RequestedItem) {
  return row.steps.flatMap((s) => {
    const a = s.approvalId ? findApproval(env, s.approvalId) : undefined;
    if (!a) return [];
    return [
      {
        approvalId: a.id,
        forwarded: a.forwardHistory.length > 0,
        originalOwner: { type: a.originalOwner.type as 'IDENTITY' | 'GOVERNANCE_GROUP', id: a.originalOwner.id, name: a.originalOwner.name },
        currentOwner: a.ownerType === 'IDENTITY' ? { type: 'IDENTITY' as const, id: a.ownerId, name: a.ownerName } : (a.reviewedBy ?? { type: 'IDENTITY' as const, id: a.ownerId, name: a.ownerName }),
        modified: a.modified,
        status: a.state,
        scheme: a.scheme,
        errorMessages: null,
        comment: a.reviewerComment,
        removeDate: row.removeDate,
      },
    ];
  });
}

/** contract RequestedItemStatus. */
export function renderStatus(env: Environment, row: RequestedItem) {
  const pendingIds = row.steps.filter((s) => s.status === 'PENDING' && s.approvalId).map((s) => s.approvalId!);
  return {
    id: row.item.id,
    name: requestedObject(env, row).name,
    type: row.item.type,
    ...(row.cancelled ? { cancelledRequestDetails: { comment: row.cancelled.comment, owner: { type: 'IDENTITY' as const, id: row.cancelled.owner.id, name: row.cancelled.owner.name }, modified: row.cancelled.modified } } : {}),
    errorMessages: row.errorMessages.length ? [row.errorMessages.map(locale)] : null,
    state: row.state,
    approvalDetails: approvalDetails(env, row),
    approvalIds: pendingIds.length ? pendingIds : null,
    manualWorkItemDetails: null,
    accountActivityItemId: row.id,
    requestType: row.requestType,
    modified: row.modified,
    created: row.created,
    requester: who(env, row.requesterId),
    requestedFor: who(env, row.requestedForId),
    requesterComment: requesterComment(env, row),
    accessRequestPhases: phases(row),
    description: requestedObject(env, row).description,
    startDate: row.startDate,
    removeDate: row.removeDate,
    // contract cancelAccessRequest: "can be cancelled only if it has not passed the approval step"
    cancelable: row.state === 'EXECUTING' && row.phase === 'APPROVAL',
    accessRequestId: row.accessRequestId,
    clientMetadata: row.clientMetadata,
    requestedAccounts: row.accounts.length ? row.accounts.map((a) => ({ ...a, type: 'ACCOUNT' as const })) : null,
    privilegeLevel: null,
  };
}

function approvalBase(env: Environment, a: Approval) {
  const row = findRow(env, a.requestedItemId)!;
  return {
    row,
    dto: {
      id: a.id,
      name: requestedObject(env, row).name,
      created: a.created,
      modified: a.modified,
      requestCreated: row.created,
      requestType: row.requestType,
      requester: who(env, row.requesterId),
      requestedFor: who(env, row.requestedForId),
      requestedObject: requestedObject(env, row),
      requesterComment: requesterComment(env, row),
      previousReviewersComments: previousComments(env, row, a),
      forwardHistory: a.forwardHistory,
      commentRequiredWhenRejected: commentRequiredWhenRejected(env, row),
      ...(row.removeDate ? { removeDate: row.removeDate } : {}),
      removeDateUpdateRequested: false,
      startUpdateRequested: false,
      clientMetadata: row.clientMetadata,
      requestedAccounts: null,
      privilegeLevel: null,
    },
  };
}

/** Earlier approvers' comments on the same item (contract PendingApproval.previousReviewersComments). */
function previousComments(env: Environment, row: RequestedItem, current: Approval) {
  return row.steps.flatMap((s) => {
    const a = s.approvalId && s.approvalId !== current.id ? findApproval(env, s.approvalId) : undefined;
    return a?.reviewedBy && a.reviewerComment ? [{ comment: a.reviewerComment, created: a.modified, author: { type: 'IDENTITY' as const, id: a.reviewedBy.id, name: a.reviewedBy.name } }] : [];
  });
}

/** Access profiles and roles carry denialCommentsRequired (contract Requestability); entitlements the config's flag. */
function commentRequiredWhenRejected(env: Environment, row: RequestedItem): boolean {
  const live = findItem(env, { type: row.item.type, id: row.item.id }) as { accessRequestConfig?: { denialCommentsRequired?: boolean } } | undefined;
  return live?.accessRequestConfig?.denialCommentsRequired ?? false;
}

/** contract PendingApproval. */
export function renderPending(env: Environment, a: Approval) {
  const { dto } = approvalBase(env, a);
  // PendingApproval.owner is an IDENTITY: a governance group's approval shows the group as the owner reference
  return { ...dto, accessRequestId: a.accessRequestId, owner: { type: 'IDENTITY' as const, id: a.ownerId, name: a.ownerName } };
}

/** contract CompletedApproval. */
export function renderCompleted(env: Environment, a: Approval) {
  const { dto } = approvalBase(env, a);
  return {
    ...dto,
    // contract CompletedApproval.clientMetadata is an object, not nullable (PendingApproval's is): none reads as {}
    clientMetadata: dto.clientMetadata ?? {},
    reviewedBy: a.reviewedBy ? { type: 'IDENTITY' as const, id: a.reviewedBy.id, name: a.reviewedBy.name } : undefined,
    owner: { type: 'IDENTITY' as const, id: a.ownerId, name: a.ownerName },
    reviewerComment: a.reviewerComment === null ? null : { comment: a.reviewerComment, created: a.modified, author: a.reviewedBy ? { type: 'IDENTITY' as const, id: a.reviewedBy.id, name: a.reviewedBy.name } : undefined },
    state: a.state as 'APPROVED' | 'REJECTED',
    removeDate: dto.removeDate ?? null,
    currentRemoveDate: null,
  };
}
