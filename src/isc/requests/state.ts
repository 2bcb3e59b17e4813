// The access-request area's state slice and its configuration (contract getAccessRequestConfig /
// setAccessRequestConfig: PUT replaces the whole configuration; absent fields take the contract's defaults).
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { Forbidden, Invalid } from '../../core/errors.js';
import { accessRequestConfigSchema, fulfilmentControlSchema, type AccessRequestConfig, type AccessRequestsFixture, type AccessRequestsState, type Approval, type RequestedItem } from './model.js';

export const REQUESTS_AREA = 'iscAccessRequests';

export function requestsState(env: Environment): AccessRequestsState {
  return env.slice<AccessRequestsState>(REQUESTS_AREA);
}

export function seedRequests(section: AccessRequestsFixture): AccessRequestsState {
  return {
    config: section.accessRequestConfig ?? accessRequestConfigSchema().parse({}),
    items: section.accessRequests ?? [],
    approvals: section.accessRequestApprovals ?? [],
    fulfilment: section.accessRequestFulfilment ?? fulfilmentControlSchema().parse({}),
  };
}

export function getConfig(env: Environment): AccessRequestConfig {
  return requestsState(env).config;
}

/** PUT /v3/access-request-config: ORG_ADMIN only (contract x-sailpoint-userLevels); a full replacement. */
export function setConfig(env: Environment, p: Principal, body: unknown): AccessRequestConfig {
  if (!p.authorities.includes('ORG_ADMIN')) throw new Forbidden('ORG_ADMIN only');
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Invalid('The request body must be a JSON object.');
  const parsed = accessRequestConfigSchema().safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Invalid(`${issue.path.map(String).join('.') || 'body'}: ${issue.message}`);
  }
  const st = requestsState(env);
  st.config = parsed.data;
  env.changed();
  return st.config;
}

interface RequestsIndex {
  items: Map<string, RequestedItem>;
  approvals: Map<string, Approval>;
  /** Rows by the identity they are for and by their requester. */
  byIdentity: Map<string, RequestedItem[]>;
  byAccessRequest: Map<string, RequestedItem[]>;
  itemsSeen: number;
  approvalsSeen: number;
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// keyed by the state slice: reset, seed and snapshot restore replace it, and the next call builds a fresh index
const indexes = new WeakMap<AccessRequestsState, RequestsIndex>();

/** Lookups by id and by identity. Rows are only ever appended, so the index catches up incrementally. */
export function requestsIndex(env: Environment): RequestsIndex {
  const st = requestsState(env);
  let ix = indexes.get(st);
  if (!ix) indexes.set(st, (ix = { items: new Map(), approvals: new Map(), byIdentity: new Map(), byAccessRequest: new Map(), itemsSeen: 0, approvalsSeen: 0 }));
  while (ix.itemsSeen < st.items.length) {
    const r = st.items[ix.itemsSeen++]!;
    ix.items.set(r.id, r);
    for (const id of new Set([r.requestedForId, r.requesterId])) append(ix.byIdentity, id, r);
    append(ix.byAccessRequest, r.accessRequestId, r);
  }
  while (ix.approvalsSeen < st.approvals.length) {
    const a = st.approvals[ix.approvalsSeen++]!;
    ix.approvals.set(a.id, a);
  }
  return ix;
}

/** The rows an identity requested or is the subject of. */
export function rowsOf(env: Environment, identityId: string): readonly RequestedItem[] {
  return requestsIndex(env).byIdentity.get(identityId) ?? [];
}

/**
 * Items with a GRANT_ACCESS request still executing for the identity → that request's id (contract
 * listRequestableObjects: such items are PENDING for it, with identityRequestId).
 */
export function pendingGrantItems(env: Environment, identityId: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rowsOf(env, identityId)) if (r.requestedForId === identityId && r.requestType === 'GRANT_ACCESS' && r.state === 'EXECUTING') out.set(r.item.id, r.accessRequestId);
  return out;
}
