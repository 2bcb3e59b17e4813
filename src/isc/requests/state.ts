// The access-request area's state slice and its configuration (contract getAccessRequestConfig /
// setAccessRequestConfig: PUT replaces the whole configuration; absent fields take the contract's defaults).
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import { iscError } from '../../core/errors.js';
import { accessRequestConfigSchema, fulfilmentControlSchema, type AccessRequestConfig, type AccessRequestsFixture, type AccessRequestsState } from './model.js';

export const REQUESTS_AREA = 'iscAccessRequests';

export function requestsState(env: Environment): AccessRequestsState {
  return env.slice<AccessRequestsState>(REQUESTS_AREA);
}

export function seedRequests(section: AccessRequestsFixture): AccessRequestsState {
  return {
    config: section.accessRequestConfig ?? accessRequestConfigSchema.parse({}),
    items: section.accessRequests ?? [],
    approvals: section.accessRequestApprovals ?? [],
    fulfilment: section.accessRequestFulfilment ?? fulfilmentControlSchema.parse({}),
  };
}

export function getConfig(env: Environment): AccessRequestConfig {
  return requestsState(env).config;
}

/** PUT /v3/access-request-config: ORG_ADMIN only (contract x-sailpoint-userLevels); a full replacement. */
export function setConfig(env: Environment, p: Principal, body: unknown): AccessRequestConfig {
  if (!p.authorities.includes('ORG_ADMIN')) throw iscError(403, 'The server understood the request but refuses to authorize it.', '403 Forbidden');
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw iscError(400, 'The request body must be a JSON object.', '400.1 Bad Request Content');
  const parsed = accessRequestConfigSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw iscError(400, `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`, '400.1 Bad Request Content');
  }
  const st = requestsState(env);
  st.config = parsed.data;
  env.changed();
  return st.config;
}

/**
 * Items with a GRANT_ACCESS request still executing for the identity (contract listRequestableObjects: such items are
 * PENDING for it). O(requests), read by the requestable-objects status.
 */
export function pendingGrantItemIds(env: Environment, identityId: string): Set<string> {
  const out = new Set<string>();
  for (const r of requestsState(env).items) if (r.requestedForId === identityId && r.requestType === 'GRANT_ACCESS' && r.state === 'EXECUTING') out.add(r.item.id);
  return out;
}
