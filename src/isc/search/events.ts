// The `events` index (contract EventDocument): audit events every ISC area writes through recordEvent. The actor is
// the token's identity (seeds 000/001): an API client's token records its service identity, a PAT or
// authorization-code token the human; a system action (a job on the clock) records "System". technicalName follows
// the documented `objects_operation_status` pattern (contract EventDocument.technicalName), e.g.
// CERTIFICATION_SIGNOFF_PASSED or (objects ACCESS, REQUEST; operation PROCESSED) ACCESS_REQUEST_PROCESSED_PASSED.
// Stored in the certifications slice under the fixture key `iscAuditEvents` (where they were first written).
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { hexId } from '../../core/ids.js';
import { findIdentity } from '../identities/service.js';
import type { AuditEvent, IscCertificationsState } from '../certifications/model.js';

export interface RequestContext {
  txId: string;
  principal: Principal;
}

export interface EventInput {
  /** contract EventDocument.type, e.g. CERTIFICATION, ACCESS_ITEM, PROVISIONING, AUTH */
  type: string;
  /** the objects acted on, e.g. ['CERTIFICATION'], ['ACCESS', 'REQUEST'] */
  objects: string[];
  /** e.g. SIGNOFF, REQUESTED, APPROVED */
  operation: string;
  /** PASSED (default), FAILED, STARTED… */
  status?: string;
  /** human-readable name, e.g. "Sign Off Certification Passed" */
  name: string;
  /** the target's name */
  target: string;
  attributes: Record<string, unknown>;
  /** stack that emitted it (default by type) */
  stack?: string;
}

/** The events log of the environment (append-only; the search index reads it). */
export function eventLog(env: Environment): AuditEvent[] {
  return env.slice<IscCertificationsState>('iscCertifications').events;
}

/** Append one `events` document attributed to the request's principal (undefined: a system action). */
export function recordEvent(env: Environment, ctx: RequestContext | undefined, ev: EventInput): AuditEvent {
  const status = ev.status ?? 'PASSED';
  const technicalName = `${ev.objects.join('_')}_${ev.operation}_${status}`;
  const p = ctx?.principal;
  const actorName = p ? (findIdentity(env, p.id)?.name ?? p.name ?? p.id) : 'System';
  const now = env.clock.nowIso();
  const doc: AuditEvent = {
    id: hexId(),
    name: ev.name,
    created: now,
    synced: now,
    action: technicalName,
    type: ev.type,
    actor: { name: actorName },
    target: { name: ev.target },
    stack: ev.stack ?? (ev.type === 'CERTIFICATION' ? 'certs' : 'sweep'),
    trackingNumber: ctx ? ctx.txId.replace(/-/g, '').slice(0, 32) : hexId(),
    ipAddress: '127.0.0.1',
    details: hexId(),
    attributes: { ...ev.attributes, ...(p ? { actorId: p.id, actorType: p.type, clientId: p.clientId ?? null } : { actorId: null, actorType: 'system' }) },
    objects: ev.objects,
    operation: ev.operation,
    status,
    technicalName,
  };
  eventLog(env).push(doc);
  env.changed();
  return doc;
}
