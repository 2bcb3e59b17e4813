// Activity/audit log entries every area writes when state changes (SPEC §4: "activity entries for changes
// ... with the same transaction id"), attributed to the acting principal (seeds 000/001). Payload shapes follow
// the documented examples of each source (S4 L4814–6000); the logs area (src/aic/logs) serves them at /monitoring/logs.
import type { Environment } from '../environment.js';
import type { Principal } from './auth.js';
import { isoString } from './clock.js';
import type { CompactKind, LogEntry } from './logbook.js';
import { flat, transactionIdOf, transactionNumber, uuid } from './ids.js';

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

// ---------------------------------------------------------------- activity entries, kept compact (issue #17)
// An activity entry is kept in the log store's columns and rendered into its payload when read (core/logbook.ts
// CompactKind), as access entries are (aic/logs/access.ts): a write keeps a shared shape (what consecutive changes of
// the same object by the same principal share), the id's random part, and the before/after values by reference —
// instead of a payload object, an id string, a transaction id string and an array per write, which the garbage
// collector copies, promotes and traces for as long as the entry is kept (measured: ~14 µs CPU per ESV PUT).

/** What consecutive entries of the same change share (kept by reference in the rows; never changed once made). */
interface AuditShape {
  readonly source: NonNullable<ActivityEvent['source']>;
  /** The principal's id, or 'anonymous'. */
  readonly principalId: string;
  /** Whether a principal acted (AM sources name it by its DN, S4 am-config / am-activity examples). */
  readonly hasPrincipal: boolean;
  readonly objectId: string;
  readonly operation: ActivityEvent['operation'];
  readonly message: string | undefined;
  readonly status: ActivityEvent['status'];
  /** The caller's array; undefined for none or an empty one (rendered as a fresh `[]`). */
  readonly changedFields: string[] | undefined;
  readonly details: Record<string, unknown> | undefined;
  /** am-activity: its eventName and component, read from `details` when the entry was written. */
  readonly eventName: string | undefined;
  readonly component: string | undefined;
}

/** One activity entry as read back from the log store's row. */
interface AuditRow {
  readonly shape: AuditShape;
  /** The random part of `_id` and its sequence number (`${uuid}-${n}`, as auditMessageId makes it). */
  readonly uuid: string;
  readonly n: number;
  /** The row's transaction key: the number of a transaction id the emulator made, else the payload's transactionId. */
  readonly tx: string | number;
  /** The entry's time minus the payload's timestamp (ms; 0 unless the clock moved between the two reads). */
  readonly lag: number;
  readonly before: unknown;
  readonly after: unknown;
}

/** The payload's transactionId of a row. */
function rowTransactionId(r: AuditRow): string {
  return typeof r.tx === 'number' ? `${transactionIdOf(r.tx)}/1` : r.tx;
}

/** The payload auditActivity wrote before issue #17's compact rows, key for key (same order, same values). */
function auditPayload(r: AuditRow, entry: LogEntry): Record<string, unknown> {
  const s = r.shape;
  const _id = `${r.uuid}-${r.n}`;
  const timestamp = r.lag === 0 ? entry.timestamp : isoString(entry.t - r.lag);
  const transactionId = rowTransactionId(r);
  const changedFields = s.changedFields ?? [];
  let payload: Record<string, unknown>;
  if (s.source === 'am-config') {
    // S4 am-config example: AM-CONFIG-CHANGE, operation CREATE | MODIFY | DELETE
    const userId = s.hasPrincipal ? amUserDn(s.principalId) : s.principalId;
    payload = {
      _id,
      timestamp,
      transactionId,
      eventName: 'AM-CONFIG-CHANGE',
      level: 'INFO',
      objectId: s.objectId,
      operation: s.operation === 'UPDATE' || s.operation === 'PATCH' ? 'MODIFY' : s.operation,
      runAs: userId,
      source: 'audit',
      topic: 'config',
      trackingIds: [],
      userId,
      changedFields,
    };
    addBeforeAfter(payload, r);
  } else if (s.source === 'am-activity') {
    // S4 am-activity example (AM-SESSION-CREATED, AM-IDENTITY-CHANGE …)
    const userId = s.hasPrincipal ? amUserDn(s.principalId) : s.principalId;
    payload = {
      _id,
      timestamp,
      transactionId,
      objectId: s.objectId,
      level: 'INFO',
      eventName: s.eventName ?? 'AM-IDENTITY-CHANGE',
      component: s.component ?? 'ID Repo',
      source: 'audit',
      topic: 'activity',
      trackingIds: [],
      realm: '/',
      userId,
      runAs: userId,
      operation: s.operation,
    };
  } else if (s.source === 'idm-config') {
    // S4 idm-config example: eventName CONFIG, changedFields JSON pointers, revision null
    payload = {
      _id,
      timestamp,
      transactionId,
      changedFields,
      eventName: 'CONFIG',
      objectId: s.objectId,
      operation: s.operation,
      revision: null,
      runAs: s.principalId,
      userId: s.principalId,
    };
    addBeforeAfter(payload, r);
  } else {
    // S4 idm-activity example
    payload = {
      _id,
      timestamp,
      transactionId,
      message: s.message ?? '',
      eventName: 'activity',
      userId: s.principalId,
      revision: null,
      operation: s.operation,
      changedFields,
      runAs: s.principalId,
      passwordChanged: false,
      status: s.status ?? 'SUCCESS',
      objectId: s.objectId,
    };
    addBeforeAfter(payload, r);
  }
  if (s.details) payload.details = s.details;
  return payload;
}

function addBeforeAfter(payload: Record<string, unknown>, r: { before?: unknown; after?: unknown }): void {
  if (r.before !== undefined) payload.before = r.before;
  if (r.after !== undefined) payload.after = r.after;
}

/** Columns of an activity row: the id's random part and number, the timestamp's lag, before, after. */
const AUDIT_KIND: CompactKind<AuditRow> = {
  type: 'application/json',
  payload: auditPayload,
  tx: rowTransactionId,
  txKey: (r) => r.tx,
  pack(r, row) {
    const num = row.num;
    num[0] = r.n;
    num[1] = r.lag;
    num[2] = 0;
    row.ref[0] = r.uuid;
    row.ref[1] = r.before;
    row.ref[2] = r.after;
    return r.shape;
  },
  unpack(kept, columns, p, txKey) {
    return {
      shape: kept as AuditShape,
      uuid: columns.ref[0]![p] as string,
      n: columns.num[0]![p]!,
      tx: txKey as string | number,
      lag: columns.num[1]![p]!,
      before: columns.ref[1]![p],
      after: columns.ref[2]![p],
    };
  },
};

// the shape of the last entry written: a run of writes of the same change (a client updating one ESV, a load test)
// keeps one shape
let lastShape: AuditShape | undefined;

function shapeOf(source: AuditShape['source'], ctx: AuditContext, ev: ActivityEvent): AuditShape {
  const principalId = ctx.principal?.id ?? 'anonymous';
  const hasPrincipal = ctx.principal !== undefined;
  const changedFields = ev.changedFields?.length ? ev.changedFields : undefined;
  const eventName = source === 'am-activity' ? (ev.details?.eventName as string | undefined) : undefined;
  const component = source === 'am-activity' ? (ev.details?.component as string | undefined) : undefined;
  const s = lastShape;
  if (
    s !== undefined &&
    s.source === source &&
    s.principalId === principalId &&
    s.hasPrincipal === hasPrincipal &&
    s.objectId === ev.objectId &&
    s.operation === ev.operation &&
    s.message === ev.message &&
    s.status === ev.status &&
    s.changedFields === changedFields &&
    s.details === ev.details &&
    s.eventName === eventName &&
    s.component === component
  ) {
    return s;
  }
  // (objectId kept flat: it is often built by concatenation, see ids.ts flat)
  return (lastShape = { source, principalId, hasPrincipal, objectId: flat(ev.objectId), operation: ev.operation, message: ev.message, status: ev.status, changedFields, details: ev.details, eventName, component });
}

/**
 * Append one activity entry for the current request (kept compact: rendered into the documented payload when read,
 * the same payload, key for key, as when it was kept whole).
 */
export function auditActivity(env: Environment, ctx: AuditContext, ev: ActivityEvent): void {
  const source = ev.source ?? 'idm-activity';
  // `_id` as auditMessageId makes it (its random part and its number kept apart)
  const uuidPart = uuid();
  const n = ++idCounter;
  // the payload's timestamp is read before the entry's time, as when the payload was built first
  const stamped = env.clock.now();
  const shape = shapeOf(source, ctx, ev);
  const txNumber = transactionNumber(ctx.txId);
  const keep = source !== 'am-activity';
  const row: AuditRow = {
    shape,
    uuid: uuidPart,
    n,
    tx: txNumber ?? payloadTransactionId(ctx.txId, 1),
    lag: 0,
    before: keep ? ev.before : undefined,
    after: keep ? ev.after : undefined,
  };
  const t = env.clock.now();
  (row as { lag: number }).lag = t - stamped;
  env.logbook.appendCompact(source, t, AUDIT_KIND, row);
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
