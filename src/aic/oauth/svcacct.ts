// managed/svcacct rules (S4 L4334–4505, recording am-authentication: ServiceAccountOps/createServiceAccount):
// IDM managed objects with a revision, never exposing the emulator-only private key.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Environment } from '../../environment.js';
import { crestError } from '../../core/errors.js';
import { matchesFilter, parseQueryFilterParam } from '../../core/queryFilter.js';
import { selectFields } from '../../core/crest.js';
import { credentialsState, findServiceAccount, invalidateServiceAccounts } from './service.js';
import type { ServiceAccount } from './model.js';
import { lazy } from '../../core/lazy.js';

/** The wire form: the recording's field order, without privateJwk. */
export function svcacctView(sa: ServiceAccount, fields?: string[]): Record<string, unknown> {
  const full: Record<string, unknown> = {
    _id: sa._id,
    _rev: sa._rev ?? '1',
    accountStatus: sa.accountStatus,
    name: sa.name,
    description: sa.description,
    scopes: sa.scopes,
    jwks: sa.jwks,
    maxCachingTime: sa.maxCachingTime,
    maxIdleTime: sa.maxIdleTime,
    maxSessionTime: sa.maxSessionTime,
    quotaLimit: sa.quotaLimit,
  };
  return selectFields(full, fields, ['_id', '_rev']);
}

/** IDM revisions look like `<uuid>-<counter>` (recording: "443c355d-…-2259"). */
let revCounter = 1;
function nextRev(): string {
  return `${randomUUID()}-${++revCounter}`;
}

const jwksString = lazy(() =>
  z.string().refine((s) => {
    try {
      const parsed = JSON.parse(s) as { keys?: unknown };
      return Array.isArray(parsed.keys) && parsed.keys.length > 0 && parsed.keys.every((k) => typeof k === 'object' && k !== null && 'kty' in k);
    } catch {
      return false;
    }
  }, 'jwks must be a JSON string {"keys":[<public JWK>…]}'),
);

const writable = lazy(() =>
  z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    // issue 15: frodo's onboarding (`conn save` with admin credentials) creates its account with `accountStatus: "active"`,
    // which real tenants accept and store as sent; the account is active whatever the letter case (isActiveStatus)
    accountStatus: z.string().regex(/^(active|inactive)$/i, 'accountStatus must be Active or Inactive').optional(),
    scopes: z.array(z.string()).optional(),
    jwks: jwksString(),
    maxCachingTime: z.string().optional(),
    maxIdleTime: z.string().optional(),
    maxSessionTime: z.string().optional(),
    quotaLimit: z.string().optional(),
  }),
);

function validate(body: unknown): z.infer<ReturnType<typeof writable>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw crestError(400, 'The request body must be a JSON object');
  const res = writable().safeParse(body);
  if (!res.success) {
    const i = res.error.issues[0]!;
    // IDM policy failures: 403 "Policy validation failed" with the failing property
    throw crestError(403, 'Policy validation failed', {
      result: false,
      failedPolicyRequirements: [{ property: i.path.join('/') || 'object', policyRequirements: [{ policyRequirement: i.message }] }],
    });
  }
  return res.data;
}

function build(id: string, data: z.infer<ReturnType<typeof writable>>, prev?: ServiceAccount): ServiceAccount {
  return {
    _id: id,
    _rev: nextRev(),
    name: data.name,
    description: data.description ?? '',
    accountStatus: data.accountStatus ?? 'Active',
    scopes: data.scopes ?? [],
    jwks: data.jwks,
    maxCachingTime: data.maxCachingTime ?? '15',
    maxIdleTime: data.maxIdleTime ?? '15',
    maxSessionTime: data.maxSessionTime ?? '15',
    quotaLimit: data.quotaLimit ?? '5',
    // keep the emulator-only private key only while the public key it belongs to is unchanged
    ...(prev?.privateJwk && prev.jwks === data.jwks ? { privateJwk: prev.privateJwk } : {}),
  };
}

export function notFound(id: string) {
  return crestError(404, `Object ${id} not found in managed/svcacct`);
}

function checkRev(sa: ServiceAccount, ifMatch: string | undefined): void {
  if (!ifMatch || ifMatch === '*') return;
  const wanted = ifMatch.replace(/^W\//, '').replace(/"/g, '');
  if (wanted !== (sa._rev ?? '1')) {
    throw crestError(412, `Update rejected as current Object revision ${sa._rev ?? '1'} is different than expected by caller (${wanted}), the object has changed since retrieval.`);
  }
}

export function createServiceAccount(env: Environment, body: unknown, id?: string): ServiceAccount {
  const data = validate(body);
  const newId = id ?? randomUUID();
  if (findServiceAccount(env, newId)) throw crestError(412, `Object managed/svcacct/${newId} already exists`);
  const sa = build(newId, data);
  credentialsState(env).serviceAccounts.push(sa);
  invalidateServiceAccounts(env);
  env.changed();
  return sa;
}

export function replaceServiceAccount(env: Environment, id: string, body: unknown, ifMatch?: string): ServiceAccount {
  const list = credentialsState(env).serviceAccounts;
  const i = list.findIndex((s) => s._id === id);
  if (i < 0) throw notFound(id);
  checkRev(list[i]!, ifMatch);
  const data = validate(body);
  const sa = build(id, data, list[i]);
  list[i] = sa;
  invalidateServiceAccounts(env);
  env.changed();
  return sa;
}

interface PatchOp {
  operation: string;
  field: string;
  value?: unknown;
}

export function patchServiceAccount(env: Environment, id: string, ops: unknown, ifMatch?: string): ServiceAccount {
  const sa = findServiceAccount(env, id);
  if (!sa) throw notFound(id);
  checkRev(sa, ifMatch);
  if (!Array.isArray(ops)) throw crestError(400, 'The request could not be processed because the provided content is not a JSON array');
  const draft: Record<string, unknown> = { ...svcacctView(sa) };
  for (const raw of ops as PatchOp[]) {
    if (!raw || typeof raw.field !== 'string' || typeof raw.operation !== 'string') throw crestError(400, 'Invalid patch operation');
    const field = raw.field.replace(/^\//, '').split('/')[0]!;
    if (field === '_id' || field === '_rev') throw crestError(400, `Patch operation on ${field} is not allowed`);
    switch (raw.operation) {
      case 'replace':
        draft[field] = raw.value;
        break;
      case 'add':
        if (raw.field.endsWith('/-') && Array.isArray(draft[field])) draft[field] = [...(draft[field] as unknown[]), raw.value];
        else draft[field] = raw.value;
        break;
      case 'remove':
        if (Array.isArray(draft[field]) && raw.value !== undefined) draft[field] = (draft[field] as unknown[]).filter((v) => v !== raw.value);
        else delete draft[field];
        break;
      default:
        throw crestError(400, `Unsupported patch operation ${raw.operation}`);
    }
  }
  const { _id, _rev, ...rest } = draft;
  return replaceServiceAccount(env, id, rest);
}

export function deleteServiceAccount(env: Environment, id: string, ifMatch?: string): ServiceAccount {
  const list = credentialsState(env).serviceAccounts;
  const i = list.findIndex((s) => s._id === id);
  if (i < 0) throw notFound(id);
  checkRev(list[i]!, ifMatch);
  const [sa] = list.splice(i, 1);
  invalidateServiceAccounts(env);
  env.changed();
  return sa!;
}

export interface CrestPage<T> {
  result: T[];
  resultCount: number;
  pagedResultsCookie: string | null;
  totalPagedResultsPolicy: string;
  totalPagedResults: number;
  remainingPagedResults: number;
}

/** `GET managed/svcacct?_queryFilter=…` with `_pageSize`, `_pagedResultsOffset`/`_pagedResultsCookie`, `_fields` (IDM defaults: policy NONE, -1 totals). */
export function queryServiceAccounts(env: Environment, q: Record<string, string | undefined>): CrestPage<Record<string, unknown>> {
  if (q._queryFilter === undefined && q._queryId === undefined) {
    throw crestError(400, 'The request could not be processed because it did not specify a query expression, query filter, or query ID');
  }
  const filter = q._queryFilter !== undefined ? parseQueryFilterParam(q._queryFilter) : undefined;
  if (q._queryId !== undefined && q._queryId !== 'query-all-ids' && q._queryId !== 'query-all') throw crestError(400, `Unknown query id ${q._queryId}`);
  const fields = q._fields?.split(',').filter(Boolean);
  let all = credentialsState(env).serviceAccounts.map((sa) => svcacctView(sa));
  if (filter) all = all.filter((v) => matchesFilter(filter, v));
  // CREST: the cookie this query returned (base64 of the next offset) resumes where the last page ended
  let offset = Math.max(0, Number(q._pagedResultsOffset ?? 0) || 0);
  if (q._pagedResultsCookie) {
    const next = Buffer.from(q._pagedResultsCookie, 'base64').toString('utf8');
    if (!/^\d+$/.test(next)) throw crestError(400, `Invalid paged results cookie ${q._pagedResultsCookie}`);
    offset = Number(next);
  }
  const pageSize = Math.max(0, Number(q._pageSize ?? 0) || 0);
  const page = pageSize > 0 ? all.slice(offset, offset + pageSize) : all.slice(offset);
  const more = pageSize > 0 && offset + pageSize < all.length;
  // query-all-ids: only `_id`/`_rev`; `_fields=*` keeps everything (selectFields)
  const result = q._queryId === 'query-all-ids' ? page.map((v) => ({ _id: v._id, _rev: v._rev })) : page.map((v) => selectFields(v, fields, ['_id', '_rev']));
  return {
    result,
    resultCount: result.length,
    pagedResultsCookie: more ? Buffer.from(String(offset + pageSize)).toString('base64') : null,
    totalPagedResultsPolicy: 'NONE',
    totalPagedResults: -1,
    remainingPagedResults: -1,
  };
}
