// Audit events of access requests (the search `events` index, contract EventDocument). The actor is the token's
// identity (S0/S1: an API client's token records the identity it acts as); clock-driven work (provisioning, removal,
// escalation, expiry) is the system's. technicalName follows the contract's `objects_operation_status` pattern:
// ACCESS_REQUEST_STARTED, ACCESS_APPROVAL_STARTED (both names from ISC's audit events reference), ACCESS_APPROVAL_APPROVED,
// ACCESS_APPROVAL_REJECTED, ACCESS_APPROVAL_FORWARDED, ACCESS_APPROVAL_ESCALATED, ACCESS_APPROVAL_REMINDED,
// ACCESS_APPROVAL_EXPIRED, ACCESS_REQUEST_CANCELLED, ACCESS_PROVISIONING_PASSED / _FAILED, ACCESS_REQUEST_PASSED /
// _FAILED / _REJECTED, ACCESS_REMOVE_PASSED (removeDate), ACCESS_REMEDIATION_PASSED (certification revoke).
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { hexId } from '../../core/ids.js';
import { findIdentity } from '../identities/service.js';
import type { AuditEvent, IscCertificationsState } from '../certifications/model.js';

export interface AccessEvent {
  /** ACCESS_REQUEST_STARTED, … (objects_operation_status). */
  technicalName: string;
  /** Human-readable name, e.g. "Access Request Started". */
  name: string;
  /** Who or what the event is about (the requested-for identity's name). */
  target: string;
  attributes: Record<string, unknown>;
}

/** Append one `events` document attributed to `principal` (undefined: the system, for clock-driven work). */
export function recordAccessEvent(env: Environment, ctx: { principal: Principal; txId?: string } | undefined, ev: AccessEvent): void {
  const p = ctx?.principal;
  const [objects, operation, status] = splitName(ev.technicalName);
  const now = env.clock.nowIso();
  const doc: AuditEvent = {
    id: hexId(),
    name: ev.name,
    created: now,
    synced: now,
    action: ev.technicalName,
    type: 'ACCESS_REQUEST',
    actor: { name: p ? (findIdentity(env, p.id)?.name ?? p.name ?? p.id) : 'System' },
    target: { name: ev.target },
    stack: 'access-request',
    trackingNumber: ctx?.txId ? ctx.txId.replace(/-/g, '').slice(0, 32) : hexId(),
    ipAddress: '127.0.0.1',
    details: hexId(),
    attributes: { ...ev.attributes, ...(p ? { actorId: p.id, actorType: p.type, clientId: p.clientId ?? null } : { actorId: null, actorType: 'system' }) },
    objects: [objects],
    operation,
    status,
    technicalName: ev.technicalName,
  };
  env.slice<IscCertificationsState>('iscCertifications').events.push(doc);
  env.changed();
}

/** ACCESS_REQUEST_STARTED → [ACCESS_REQUEST, STARTED]-style parts: the last word is the status, the one before the operation. */
function splitName(technicalName: string): [string, string, string] {
  const parts = technicalName.split('_');
  const status = parts.pop() ?? '';
  const operation = parts.pop() ?? '';
  return [parts.join('_') || operation, operation, status];
}
