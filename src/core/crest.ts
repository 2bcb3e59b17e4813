// CREST query paging shared by AIC collection endpoints (S4 L15130–15200): `_pageSize`, `_pagedResultsCookie`,
// `_pagedResultsOffset`, and the `{result, pagedResultsCookie, remainingPagedResults, …}` envelope.
// The cookie is opaque to clients; here it names the last key returned, so paging stays stable when items are
// added or removed between pages (key-ordered lists), or an offset for lists without a key.
import { z } from '@hono/zod-openapi';
import { lazy } from './lazy.js';

export interface PageRequest {
  /** 0 = no paging (everything in one response, cookie null). */
  pageSize: number;
  cookie?: string;
  offset?: number;
}

export interface Page<T> {
  result: T[];
  /** Opaque cookie for the next page; null on the last page or when not paging. */
  pagedResultsCookie: string | null;
  /** Items after this page when paging, -1 when not paging (CREST "unknown / not requested"). */
  remainingPagedResults: number;
  /** Total matching items. */
  totalPagedResults: number;
}

export class PagingError extends Error {}

/** Read the paging parameters of a query string; throws PagingError on malformed values (routes map it). */
export function parsePageRequest(query: Record<string, string | undefined>): PageRequest {
  const req: PageRequest = { pageSize: 0 };
  const size = query._pageSize;
  if (size !== undefined && size !== '') {
    if (!/^\d+$/.test(size)) throw new PagingError(`Invalid _pageSize: ${size}`);
    req.pageSize = Number(size);
  }
  const cookie = query._pagedResultsCookie;
  const offset = query._pagedResultsOffset;
  if (cookie && offset !== undefined && offset !== '') throw new PagingError('_pagedResultsCookie and _pagedResultsOffset are mutually exclusive');
  if (cookie) {
    decodeCookie(cookie); // validate now: a bad cookie is the caller's error
    req.cookie = cookie;
  }
  if (offset !== undefined && offset !== '') {
    if (!/^\d+$/.test(offset)) throw new PagingError(`Invalid _pagedResultsOffset: ${offset}`);
    req.offset = Number(offset);
  }
  return req;
}

interface CookieBody {
  /** Last key returned (key-ordered lists). */
  k?: string;
  /** Offset of the next item (lists without keys). */
  o?: number;
}

export function encodeCookie(body: CookieBody): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeCookie(cookie: string): CookieBody {
  try {
    const body = JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')) as CookieBody;
    if (body && typeof body === 'object' && (typeof body.k === 'string' || typeof body.o === 'number')) return body;
  } catch {
    /* fall through */
  }
  throw new PagingError(`Invalid _pagedResultsCookie: ${cookie}`);
}

/**
 * One page of `items`. With `keyOf`, `items` must be sorted ascending by that key (byte order) and the cookie
 * remembers the last key; without it, the cookie is an offset.
 */
export function pageOf<T>(items: readonly T[], req: PageRequest, keyOf?: (item: T) => string): Page<T> {
  const total = items.length;
  if (!req.pageSize) {
    let start = 0;
    if (req.cookie) start = startOf(items, decodeCookie(req.cookie), keyOf);
    else if (req.offset) start = Math.min(req.offset, total);
    return { result: items.slice(start), pagedResultsCookie: null, remainingPagedResults: -1, totalPagedResults: total };
  }
  let start = 0;
  if (req.cookie) start = startOf(items, decodeCookie(req.cookie), keyOf);
  else if (req.offset) start = Math.min(req.offset, total);
  const end = Math.min(start + req.pageSize, total);
  const result = items.slice(start, end);
  const remaining = total - end;
  let cookie: string | null = null;
  if (remaining > 0 && result.length) cookie = keyOf ? encodeCookie({ k: keyOf(result[result.length - 1]!) }) : encodeCookie({ o: end });
  return { result, pagedResultsCookie: cookie, remainingPagedResults: remaining, totalPagedResults: total };
}

function startOf<T>(items: readonly T[], c: CookieBody, keyOf?: (item: T) => string): number {
  if (typeof c.o === 'number') return Math.min(Math.max(0, c.o), items.length);
  if (c.k === undefined || !keyOf) return 0;
  // first item whose key sorts after the cookie's key (binary search over the sorted list)
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(keyOf(items[mid]!), c.k) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Byte-order comparison (the order real AIC lists ESVs in: "esv-a-1" < "esv-a-14" < "esv-a-2"). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type TotalPagedResultsPolicy = 'NONE' | 'EXACT' | 'ESTIMATE';

/** `_totalPagedResultsPolicy` (S4 L15191): NONE (default) → totalPagedResults -1. */
export function parseTotalPolicy(value: string | undefined): TotalPagedResultsPolicy {
  if (value === undefined || value === '') return 'NONE';
  const v = value.toUpperCase();
  if (v === 'NONE' || v === 'EXACT' || v === 'ESTIMATE') return v;
  throw new PagingError(`Invalid _totalPagedResultsPolicy: ${value}`);
}

/**
 * The AIC environment API's envelope (recordings esv-*.json): these six keys in alphabetical order,
 * `remainingPagedResults` -1 and `totalPagedResults` -1 unless a count policy is requested.
 */
export function envQueryResponse<T>(page: Page<T>, policy: TotalPagedResultsPolicy = 'NONE') {
  return {
    pagedResultsCookie: page.pagedResultsCookie,
    remainingPagedResults: -1,
    result: page.result,
    resultCount: page.result.length,
    totalPagedResults: policy === 'NONE' ? -1 : page.totalPagedResults,
    totalPagedResultsPolicy: policy,
  };
}

/** The IDM/AM CREST envelope (`resultCount`, `totalPagedResultsPolicy`, …) for areas that need it. */
export function crestQueryResponse<T>(page: Page<T>, policy: TotalPagedResultsPolicy = 'NONE') {
  return {
    result: page.result,
    resultCount: page.result.length,
    pagedResultsCookie: page.pagedResultsCookie,
    totalPagedResultsPolicy: policy,
    totalPagedResults: policy === 'NONE' ? -1 : page.totalPagedResults,
    remainingPagedResults: page.remainingPagedResults,
  };
}

/** Query parameters every IGA list endpoint takes (S3: _queryFilter, _fields, paging, sorting, _searchAfter). */
export const igaListQuery = lazy(() =>
  z.object({
    _queryFilter: z.string().optional().openapi({ description: 'CREST filter, e.g. name eq "x"' }),
    _fields: z.string().optional(),
    _pageSize: z.string().optional(),
    _pagedResultsOffset: z.string().optional(),
    _sortKeys: z.string().optional(),
    _sortDir: z.string().optional(),
    _sortType: z.string().optional(),
    _searchAfter: z.string().optional(),
  }),
);

/**
 * CREST `_fields` (S4 L15130–15200): keep the listed fields (`name`, `/name`, `a/b` or `a.b` paths); `*` means every
 * field (issue 15: frodo reads `managed/svcacct/{id}?_fields=*` for the account's name). `always` fields (IDM: `_id`,
 * `_rev`) are kept whatever is listed. No list, or an empty one, returns the object unchanged.
 */
export function selectFields(obj: Record<string, unknown>, fields: string | string[] | undefined, always: readonly string[] = []): Record<string, unknown> {
  const list = (Array.isArray(fields) ? fields : (fields ?? '').split(',')).map((f) => f.trim()).filter(Boolean);
  if (!list.length || list.includes('*')) return obj;
  const out: Record<string, unknown> = {};
  for (const k of always) if (k in obj) out[k] = obj[k];
  for (const f of list) {
    const parts = f.split(/[./]/).filter(Boolean);
    if (!parts.length) continue;
    let v: unknown = obj;
    for (const p of parts) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
    if (v === undefined) continue;
    let target = out;
    for (const p of parts.slice(0, -1)) target = (target[p] ??= {}) as Record<string, unknown>;
    target[parts[parts.length - 1]!] = v;
  }
  return out;
}

/** A stable CREST `_rev` from an object's content (AM's revisions are content hashes: `"362268810"`, `"-506969431"`). */
export function contentRev(value: unknown): string {
  let h = 0;
  for (const ch of JSON.stringify(value) ?? '') h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return String(h);
}
