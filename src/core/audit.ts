// Activity/audit log entries every area writes when state changes (SPEC §4: "activity entries for changes
// ... with the same transaction id"), attributed to the acting principal (seeds 000/001). Payload shape follows
// IDM's activity/config audit events (S4 L4814–6000); the logs area serves them at /monitoring/logs.
import type { Environment } from '../environment.js';
import type { Principal } from './auth.js';
import { uuid } from './ids.js';

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

/** Append one activity entry for the current request. Returns the payload written. */
export function auditActivity(env: Environment, ctx: AuditContext, ev: ActivityEvent): Record<string, unknown> {
  const source = ev.source ?? 'idm-activity';
  const principalId = ctx.principal?.id ?? 'anonymous';
  const payload: Record<string, unknown> = {
    _id: `${ctx.txId}-${uuid().slice(0, 8)}`,
    eventName: source === 'am-config' || source === 'idm-config' ? 'CONFIG' : 'activity',
    timestamp: env.clock.nowIso(),
    transactionId: ctx.txId,
    userId: principalId,
    runAs: principalId,
    principal: [principalId],
    trackingIds: [ctx.txId],
    objectId: ev.objectId,
    operation: ev.operation,
    status: ev.status ?? 'SUCCESS',
    message: ev.message ?? '',
    changedFields: ev.changedFields ?? [],
    passwordChanged: false,
    revision: null,
    ...(ev.before !== undefined ? { before: ev.before } : {}),
    ...(ev.after !== undefined ? { after: ev.after } : {}),
    ...(ev.details ? { details: ev.details } : {}),
    ...(ctx.principal ? { principalType: ctx.principal.type } : {}),
  };
  env.log(source, payload);
  return payload;
}
