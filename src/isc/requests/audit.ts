// Audit events of access requests, written through the search area's recordEvent (the `events` index, contract
// EventDocument). The actor is the token's identity (S0/S1: an API client's token records the identity it acts as);
// clock-driven work (provisioning, removal, escalation, expiry) is the system's. technicalName follows the contract's
// `objects_operation_status` pattern: ACCESS_REQUEST_STARTED, ACCESS_REQUEST_ON_BEHALF_OF_SUBMITTED and
// ACCESS_APPROVAL_STARTED are names from ISC's audit events reference; the others follow the pattern:
// ACCESS_APPROVAL_APPROVED|REJECTED|FORWARDED|REMINDED|ESCALATED|EXPIRED, ACCESS_REQUEST_CANCELLED|REJECTED|PASSED|FAILED,
// ACCESS_PROVISIONING_PASSED|FAILED, ACCESS_REMOVE_PASSED (removeDate).
import type { Environment } from '../../environment.js';
import { recordEvent, type RequestContext } from '../search/events.js';

export interface AccessEvent {
  /** ACCESS_REQUEST_STARTED, … (objects_operation_status). */
  technicalName: string;
  /** Human-readable name, e.g. "Access Request Started". */
  name: string;
  /** Who or what the event is about (the requested-for identity's name). */
  target: string;
  attributes: Record<string, unknown>;
}

/** Append one `events` document attributed to the request's principal (undefined: the system, for clock-driven work). */
export function recordAccessEvent(env: Environment, ctx: RequestContext | undefined, ev: AccessEvent): void {
  // the last word is the status, the one before it the operation, the rest the objects
  const parts = ev.technicalName.split('_');
  const status = parts.pop()!;
  const operation = parts.pop()!;
  recordEvent(env, ctx, { type: 'ACCESS_REQUEST', objects: parts, operation, status, name: ev.name, target: ev.target, attributes: ev.attributes, stack: 'access-request' });
}
