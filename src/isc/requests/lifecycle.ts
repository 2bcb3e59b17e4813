// A requested item's life on the emulator clock: approval steps one after another, then provisioning through the
// access model's service (grantAccess / revokeAccess) after a configurable delay, then the removeDate revocation.
// Reminders, escalation and expiry of a pending approval follow AccessRequestConfig.approvalReminderAndEscalationConfig.
// Every transition is a job (src/core/jobs.ts) or a direct call; state is derived from the rows, never from timers.
import type { Environment } from '../../environment.js';
import { hexId } from '../../core/ids.js';
import { findIdentity } from '../identities/service.js';
import { accessIndex, grantAccess, revokeAccess } from '../access/service.js';
import { entitlementsOfItem } from '../access/provisioning.js';
import { recordAccessEvent } from './audit.js';
import type { RequestContext } from '../search/events.js';
import { requestsIndex, requestsState } from './state.js';
import type { Approval, RequestedItem } from './model.js';

export const JOB_FULFIL = 'isc-access-request-fulfil';
export const JOB_REMOVE = 'isc-access-request-remove';
export const JOB_REMIND = 'isc-access-approval-remind';
export const JOB_ESCALATE = 'isc-access-approval-escalate';

const DAY_MS = 86_400_000;

/** The request behind an action (its principal is the actor); undefined for clock-driven work. */
export type Ctx = RequestContext | undefined;

export function identityName(env: Environment, id: string): string {
  const i = findIdentity(env, id);
  return i ? (i.displayName ?? i.name) : id;
}

/** Attributes every event of an item carries (searchable: a bare term matches them). */
export function itemAttrs(row: RequestedItem): Record<string, unknown> {
  return { accessRequestId: row.accessRequestId, accountActivityItemId: row.id, requestType: row.requestType, requester: row.requesterId, requestedFor: row.requestedForId, accessItemType: row.item.type, accessItemId: row.item.id, accessItemName: row.item.name };
}

export function findRow(env: Environment, id: string): RequestedItem | undefined {
  return requestsIndex(env).items.get(id);
}

export function findApproval(env: Environment, id: string): Approval | undefined {
  return requestsIndex(env).approvals.get(id);
}

function scheduleFollowUps(env: Environment, approval: Approval): void {
  const cfg = requestsState(env).config.approvalReminderAndEscalationConfig;
  const now = env.clock.now();
  if (cfg.daysBetweenReminders && cfg.maxReminders) env.jobs.schedule(JOB_REMIND, now + cfg.daysBetweenReminders * DAY_MS, { approvalId: approval.id });
  if (cfg.daysUntilEscalation) env.jobs.schedule(JOB_ESCALATE, now + cfg.daysUntilEscalation * DAY_MS, { approvalId: approval.id });
}

/**
 * Move the item on: the next approval step that needs someone becomes a pending approval; steps with nobody to ask
 * pass; a step whose approver is the requester passes when autoApprovalEnabled (contract AccessRequestConfig); with no
 * step left the item goes to provisioning.
 */
export function proceed(env: Environment, row: RequestedItem, ctx: Ctx): void {
  const st = requestsState(env);
  const now = env.clock.nowIso();
  for (const step of row.steps) {
    if (step.status !== 'PENDING') continue;
    if (step.ownerId === null) {
      step.status = 'APPROVED';
      continue;
    }
    const self = step.ownerType === 'IDENTITY' && step.ownerId === row.requesterId;
    const approval: Approval = {
      id: hexId(),
      requestedItemId: row.id,
      accessRequestId: row.accessRequestId,
      scheme: step.scheme,
      ownerType: step.ownerType,
      ownerId: step.ownerId,
      ownerName: step.ownerName,
      originalOwner: { type: step.ownerType, id: step.ownerId, name: step.ownerName },
      state: 'PENDING',
      created: now,
      modified: now,
      reviewedBy: null,
      reviewerComment: null,
      forwardHistory: [],
      remindersSent: 0,
    };
    st.approvals.push(approval);
    step.approvalId = approval.id;
    if (self && st.config.autoApprovalEnabled) {
      approval.state = 'APPROVED';
      approval.reviewedBy = { type: 'IDENTITY', id: row.requesterId, name: identityName(env, row.requesterId) };
      approval.reviewerComment = 'Automatically approved: the requester is the approver.';
      step.status = 'APPROVED';
      recordAccessEvent(env, ctx, { technicalName: 'ACCESS_APPROVAL_APPROVED', name: 'Access Request Approval Approved', target: identityName(env, row.requestedForId), attributes: { ...itemAttrs(row), approvalId: approval.id, approvalScheme: step.scheme, autoApproved: true } });
      continue;
    }
    recordAccessEvent(env, ctx, { technicalName: 'ACCESS_APPROVAL_STARTED', name: 'Access Request Approval Started', target: identityName(env, row.requestedForId), attributes: { ...itemAttrs(row), approvalId: approval.id, approvalScheme: step.scheme, approver: step.ownerId } });
    scheduleFollowUps(env, approval);
    env.changed();
    return;
  }
  row.phase = 'PROVISIONING';
  row.approvalFinished = now;
  row.provisioningStarted = now;
  row.modified = now;
  env.jobs.schedule(JOB_FULFIL, env.clock.now() + st.fulfilment.delayMs, { itemId: row.id });
  env.changed();
}

/** The accounts provisioning touched: the identity's accounts on the sources of the item's entitlements. */
function touchedAccounts(env: Environment, row: RequestedItem): RequestedItem['accounts'] {
  const ix = accessIndex(env);
  const sources = new Set(entitlementsOfItem(ix, { type: row.item.type, id: row.item.id }).map((e) => ix.entitlements.get(e)?.sourceId).filter((s): s is string => !!s));
  return [...sources].flatMap((sourceId) => {
    const account = ix.accountOn(row.requestedForId, sourceId);
    const source = ix.sources.get(sourceId);
    return account && source ? [{ accountUuid: account.id, accountId: account.nativeIdentity, name: account.name, sourceName: source.name }] : [];
  });
}

function finish(env: Environment, row: RequestedItem, state: RequestedItem['state'], errors: string[] = []): void {
  const now = env.clock.nowIso();
  row.state = state;
  row.phase = 'DONE';
  row.errorMessages = errors;
  row.provisioningFinished = now;
  row.modified = now;
  env.changed();
}

/** JOB_FULFIL: provision the approved item (grant or revoke), or fail it when the control plane injected a failure. */
export function fulfil(env: Environment, itemId: string): void {
  const st = requestsState(env);
  const row = findRow(env, itemId);
  if (!row || row.phase !== 'PROVISIONING') return;
  const target = identityName(env, row.requestedForId);
  const ref = { type: row.item.type, id: row.item.id };
  let error: string | undefined;
  let result: ReturnType<typeof grantAccess> | undefined;
  if (st.fulfilment.failNext > 0) {
    st.fulfilment.failNext--;
    error = st.fulfilment.failureMessage;
  } else {
    try {
      // the requester is recorded as who granted it (Assignment.grantedBy); the provisioning itself is the system's
      result =
        row.requestType === 'GRANT_ACCESS'
          ? grantAccess(env, row.requestedForId, ref, { id: row.requesterId }, { source: 'REQUEST', removeDate: row.removeDate })
          : revokeAccess(env, row.requestedForId, ref, { id: row.requesterId });
    } catch (err) {
      // the item or the identity was deleted while the request waited
      error = `Provisioning failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  if (error !== undefined || !result) {
    finish(env, row, 'ERROR', [error ?? 'Provisioning failed.']);
    recordAccessEvent(env, undefined, { technicalName: 'ACCESS_PROVISIONING_FAILED', name: 'Access Provisioning Failed', target, attributes: { ...itemAttrs(row), errors: row.errorMessages } });
    recordAccessEvent(env, undefined, { technicalName: 'ACCESS_REQUEST_FAILED', name: 'Access Request Failed', target, attributes: itemAttrs(row) });
    return;
  }
  row.accounts = touchedAccounts(env, row);
  finish(env, row, 'REQUEST_COMPLETED');
  recordAccessEvent(env, undefined, {
    technicalName: 'ACCESS_PROVISIONING_PASSED',
    name: 'Access Provisioning Passed',
    target,
    attributes: { ...itemAttrs(row), accountsCreated: result.accountsCreated, entitlementsAdded: result.entitlementsAdded, entitlementsRemoved: result.entitlementsRemoved },
  });
  recordAccessEvent(env, undefined, { technicalName: 'ACCESS_REQUEST_PASSED', name: 'Access Request Passed', target, attributes: itemAttrs(row) });
  if (row.requestType === 'GRANT_ACCESS' && row.removeDate) env.jobs.schedule(JOB_REMOVE, Math.max(Date.parse(row.removeDate), env.clock.now()), { itemId: row.id });
}

/** JOB_REMOVE: the removeDate came; the access the request granted is taken away through the same provisioning path. */
export function removeAtDate(env: Environment, itemId: string): void {
  const row = findRow(env, itemId);
  if (!row || row.state !== 'REQUEST_COMPLETED' || row.removed) return;
  const ref = { type: row.item.type, id: row.item.id };
  let result;
  try {
    result = revokeAccess(env, row.requestedForId, ref, undefined);
  } catch {
    return; // the identity or item no longer exists: nothing left to remove
  }
  row.removed = env.clock.nowIso();
  row.modified = row.removed;
  env.changed();
  recordAccessEvent(env, undefined, { technicalName: 'ACCESS_REMOVE_PASSED', name: 'Access Removal Passed', target: identityName(env, row.requestedForId), attributes: { ...itemAttrs(row), removeDate: row.removeDate, entitlementsRemoved: result.entitlementsRemoved } });
}

/** JOB_REMIND: a pending approval's owner is reminded, up to maxReminders, every daysBetweenReminders. */
export function remind(env: Environment, approvalId: string): void {
  const approval = findApproval(env, approvalId);
  const cfg = requestsState(env).config.approvalReminderAndEscalationConfig;
  if (!approval || approval.state !== 'PENDING' || !cfg.daysBetweenReminders || !cfg.maxReminders || approval.remindersSent >= cfg.maxReminders) return;
  approval.remindersSent++;
  approval.modified = env.clock.nowIso();
  const row = findRow(env, approval.requestedItemId);
  if (row) recordAccessEvent(env, undefined, { technicalName: 'ACCESS_APPROVAL_REMINDED', name: 'Access Request Approval Reminder Sent', target: approval.ownerName, attributes: { ...itemAttrs(row), approvalId: approval.id, approver: approval.ownerId, reminder: approval.remindersSent } });
  if (approval.remindersSent < cfg.maxReminders) env.jobs.schedule(JOB_REMIND, env.clock.now() + cfg.daysBetweenReminders * DAY_MS, { approvalId });
  env.changed();
}

/**
 * JOB_ESCALATE: an approval still pending after daysUntilEscalation goes to its owner's manager, else to the fallback
 * approver (reassignmentType AUTO_ESCALATION); with nobody left to escalate to it expires and the item is TERMINATED.
 */
export function escalate(env: Environment, approvalId: string): void {
  const st = requestsState(env);
  const approval = findApproval(env, approvalId);
  const cfg = st.config.approvalReminderAndEscalationConfig;
  if (!approval || approval.state !== 'PENDING' || !cfg.daysUntilEscalation) return;
  const row = findRow(env, approval.requestedItemId);
  if (!row) return;
  const now = env.clock.nowIso();
  const owner = approval.ownerType === 'IDENTITY' ? findIdentity(env, approval.ownerId) : undefined;
  const candidates = [owner?.managerId, cfg.fallbackApproverRef?.id].filter((id): id is string => !!id && id !== approval.ownerId && !!findIdentity(env, id)?.active);
  const next = candidates[0];
  if (!next) {
    approval.state = 'EXPIRED';
    approval.modified = now;
    const step = row.steps.find((s) => s.approvalId === approval.id);
    if (step) step.status = 'EXPIRED';
    row.state = 'TERMINATED';
    row.phase = 'DONE';
    row.approvalFinished = now;
    row.modified = now;
    env.changed();
    recordAccessEvent(env, undefined, { technicalName: 'ACCESS_APPROVAL_EXPIRED', name: 'Access Request Approval Expired', target: identityName(env, row.requestedForId), attributes: { ...itemAttrs(row), approvalId: approval.id } });
    return;
  }
  const newName = identityName(env, next);
  approval.forwardHistory.push({ oldApproverName: approval.ownerName, newApproverName: newName, comment: null, modified: now, forwarderName: null, reassignmentType: 'AUTO_ESCALATION' });
  recordAccessEvent(env, undefined, { technicalName: 'ACCESS_APPROVAL_ESCALATED', name: 'Access Request Approval Escalated', target: identityName(env, row.requestedForId), attributes: { ...itemAttrs(row), approvalId: approval.id, from: approval.ownerId, to: next } });
  reassign(env, approval, next);
  env.jobs.schedule(JOB_ESCALATE, env.clock.now() + cfg.daysUntilEscalation * DAY_MS, { approvalId });
}

/** Give a pending approval to another identity (forward or escalation); the item's step follows. */
export function reassign(env: Environment, approval: Approval, newOwnerId: string): void {
  const row = findRow(env, approval.requestedItemId);
  approval.ownerType = 'IDENTITY';
  approval.ownerId = newOwnerId;
  approval.ownerName = identityName(env, newOwnerId);
  approval.modified = env.clock.nowIso();
  const step = row?.steps.find((s) => s.approvalId === approval.id);
  if (step) Object.assign(step, { ownerType: 'IDENTITY', ownerId: newOwnerId, ownerName: approval.ownerName });
  env.changed();
}
