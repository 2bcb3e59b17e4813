// Activity/audit log entries every area writes when state changes (SPEC §4: "activity entries for changes
// ... with the same transaction id"), attributed to the acting principal (seeds 000/001). Payload shapes follow
// the documented examples of each source (S4 L4814–6000); the logs area (src/aic/logs) serves them at /monitoring/logs.
import type { Environment } from '../environment.js';
import type { Principal } from './auth.js';
import { flat, uuid } from './ids.js';

export interface AuditContext {
  txId: string;
  principal?: Principal;
}

export interface ActivityEvent {
  /** idm-activity for object changes (ESVs, governance), am-config for AM configuration, idm-config for IDM config. */
  source?: 'idm-activity' | 'idm-config' | 'am-config' | 'am-activity' | 'idm-sync' | 'idm-core' | 'am-core';
  /** e.g. `environment/variables/esv-x`, `governance/certification/<id>/items/<itemId>`. */
  objectId: string;
  operation: 'CREATE' | 'READ' | 'UPDATE' | 'DELETE' | 'PATCH' | 'ACTION';
  status?: 'SUCCESS' | 'FAILURE';
  message?: string;
  before?: unknown;
  after?: unknown;
  changedFields?: string[];
  /** Anything area-specific (action name, decision, promotionId, …). */
  details?: Record<string, unknown>;
}

let idCounter = 100_000;
/** `_id` of an audit message: a UUID with a sequence suffix (S4: "a568d4fe-d655-49a8-8290-bfc02095bec9-491"). */
export function auditMessageId(): string {
  return flat(`${uuid()}-${++idCounter}`);
}

/**
 * The transaction id as written in a payload: the request's id plus `/n`, the hop inside the tenant
 * (S4 L6100–6150: "the part after the forward slash … increments as the request reaches different components").
 */
export function payloadTransactionId(txId: string, hop = 0): string {
  return txId.includes('/') ? txId : `${txId}/${hop}`;
}

/** The id a payload names the actor by: AM sources use the DN form (S4 am-activity/am-config examples), IDM the bare id. */
function amUserDn(id: string): string {
  return `id=${id},ou=user,ou=am-config`;
}

function addBeforeAfter(payload: Record<string, unknown>, ev: ActivityEvent): void {
  if (ev.before !== undefined) payload.before = ev.before;
  if (ev.after !== undefined) payload.after = ev.after;
}

/** Append one activity entry for the current request. Returns the payload written. */
export function auditActivity(env: Environment, ctx: AuditContext, ev: ActivityEvent): Record<string, unknown> {
  const source = ev.source ?? 'idm-activity';
  const principalId = ctx.principal?.id ?? 'anonymous';
  // one object literal per shape, optional keys added after (same key order as the documented examples): spreads of
  // `common`/`before`/`after` cost more than the rest of the entry (issue #17, writes)
  const _id = auditMessageId();
  const timestamp = env.clock.nowIso();
  const transactionId = payloadTransactionId(ctx.txId, 1);
  let payload: Record<string, unknown>;
  if (source === 'am-config') {
    // S4 am-config example: AM-CONFIG-CHANGE, operation CREATE | MODIFY | DELETE
    const userId = ctx.principal ? amUserDn(principalId) : principalId;
    payload = {
      _id,
      timestamp,
      transactionId,
      eventName: 'AM-CONFIG-CHANGE',
      level: 'INFO',
      objectId: ev.objectId,
      operation: ev.operation === 'UPDATE' || ev.operation === 'PATCH' ? 'MODIFY' : ev.operation,
      runAs: userId,
      source: 'audit',
      topic: 'config',
      trackingIds: [],
      userId,
      changedFields: ev.changedFields ?? [],
    };
    addBeforeAfter(payload, ev);
  } else if (source === 'am-activity') {
    // S4 am-activity example (AM-SESSION-CREATED, AM-IDENTITY-CHANGE …)
    const userId = ctx.principal ? amUserDn(principalId) : principalId;
    payload = {
      _id,
      timestamp,
      transactionId,
      objectId: ev.objectId,
      level: 'INFO',
      eventName: (ev.details?.eventName as string | undefined) ?? 'AM-IDENTITY-CHANGE',
      component: (ev.details?.component as string | undefined) ?? 'ID Repo',
      source: 'audit',
      topic: 'activity',
      trackingIds: [],
      realm: '/',
      userId,
      runAs: userId,
      operation: ev.operation,
    };
  } else if (source === 'idm-config') {
    // S4 idm-config example: eventName CONFIG, changedFields JSON pointers, revision null
    payload = {
      _id,
      timestamp,
      transactionId,
      changedFields: ev.changedFields ?? [],
      eventName: 'CONFIG',
      objectId: ev.objectId,
      operation: ev.operation,
      revision: null,
      runAs: principalId,
      userId: principalId,
    };
    addBeforeAfter(payload, ev);
  } else {
    // S4 idm-activity example
    payload = {
      _id,
      timestamp,
      transactionId,
      message: ev.message ?? '',
      eventName: 'activity',
      userId: principalId,
      revision: null,
      operation: ev.operation,
      changedFields: ev.changedFields ?? [],
      runAs: principalId,
      passwordChanged: false,
      status: ev.status ?? 'SUCCESS',
      objectId: ev.objectId,
    };
    addBeforeAfter(payload, ev);
  }
  if (ev.details) payload.details = ev.details;
  env.log(source, payload);
  return payload;
}

export interface AuthenticationEvent {
  /** S4 am-authentication: AM-LOGIN-COMPLETED (default), AM-NODE-LOGIN-COMPLETED, AM-TREE-LOGIN-COMPLETED, AM-LOGOUT, AM-BACK-CHANNEL-INITIALIZE. */
  eventName?: 'AM-LOGIN-COMPLETED' | 'AM-NODE-LOGIN-COMPLETED' | 'AM-TREE-LOGIN-STARTED' | 'AM-TREE-LOGIN-COMPLETED' | 'AM-LOGOUT' | 'AM-BACK-CHANNEL-INITIALIZE';
  /** Accounts used to authenticate (e.g. the service account id or client id). Default: the context principal. */
  principal?: string | string[];
  /** SUCCESSFUL | FAILED (S4 "Authentication log format": result). */
  result?: 'SUCCESSFUL' | 'FAILED';
  realm?: string;
  /** Journey/node details (`[{info:{treeName,nodeType,…}}]`) or grant details. */
  entries?: unknown[];
  trackingIds?: string[];
  /** Only on FAILED journeys that ended in an exception (S4). */
  exception?: string;
}

/**
 * Append one am-authentication entry (token grants, journeys, logouts) for the current request, in the documented
 * shape (S4 am-authentication example). Returns the payload written.
 */
export function auditAuthentication(env: Environment, ctx: AuditContext, ev: AuthenticationEvent = {}): Record<string, unknown> {
  const principals = ev.principal === undefined ? (ctx.principal ? [ctx.principal.id] : []) : Array.isArray(ev.principal) ? ev.principal : [ev.principal];
  const payload: Record<string, unknown> = {
    topic: 'authentication',
    eventName: ev.eventName ?? 'AM-LOGIN-COMPLETED',
    transactionId: payloadTransactionId(ctx.txId, 1),
    principal: principals,
    timestamp: env.clock.nowIso(),
    component: 'Authentication',
    source: 'audit',
    realm: ev.realm ?? '/alpha',
    entries: ev.entries ?? [],
    level: 'INFO',
    trackingIds: ev.trackingIds ?? [auditMessageId()],
    _id: auditMessageId(),
    ...(ev.result ? { result: ev.result } : {}),
    ...(principals[0] ? { userId: amUserDn(principals[0]) } : {}),
    ...(ev.exception ? { exception: ev.exception } : {}),
  };
  env.log('am-authentication', payload);
  return payload;
}
