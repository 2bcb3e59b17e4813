// POST /v3/search, /v3/search/count, /v3/search/aggregate and GET /v3/search/{index}/{id} (contract Search,
// SearchDocuments, AggregationResult) over the documents derived from the access model and the events log.
// queryType SAILPOINT (query.query + query.fields) and TEXT (textQuery) are evaluated; DSL and TYPEAHEAD answer 400.
import type { Environment } from '../../environment.js';
import { badRequest, notFound } from '../shared/errors.js';
import { compileQuery, valuesAt, type Doc } from './query.js';
import { MODEL_INDICES, modelDocuments, type ModelIndex, type SearchDoc } from './documents.js';
import { eventLog } from './events.js';
import type { AuditEvent } from '../certifications/model.js';

export const INDICES = ['accessprofiles', 'accountactivities', 'entitlements', 'events', 'identities', 'roles', '*'] as const;

export interface SearchBody {
  indices?: string[];
  queryType?: string;
  query?: { query?: string; fields?: string[] };
  textQuery?: { terms?: string[]; fields?: string[]; matchAny?: boolean; contains?: boolean };
  queryResultFilter?: { includes?: string[]; excludes?: string[] };
  includeNested?: boolean;
  sort?: string[];
  searchAfter?: string[];
  aggregationType?: string;
  aggregations?: Aggregations;
}

export interface Aggregations {
  nested?: { name: string; type: string };
  metric?: { name: string; type?: string; field: string };
  filter?: { name: string; type?: string; field: string; value: string };
  bucket?: { name: string; type?: string; field: string; size?: number; minDocCount?: number };
  subAggregation?: Aggregations;
}

function eventDocument(env: Environment, e: AuditEvent): SearchDoc {
  return { ...e, pod: 'emu01-local', org: env.emulator.fixture.isc.tenant, _type: 'event', type: e.type, _version: 'v7' } as unknown as SearchDoc;
}

function eventDocuments(env: Environment): SearchDoc[] {
  return eventLog(env).map((e) => eventDocument(env, e));
}

function indicesOf(body: SearchBody): string[] {
  const indices = body.indices ?? [];
  // contract Search.indices: required for queryType SAILPOINT; the index enum
  if (!indices.length) throw badRequest('indices: at least one index is required');
  for (const i of indices) if (!(INDICES as readonly string[]).includes(i)) throw badRequest(`Invalid index: ${i}`);
  return indices.includes('*') ? ['identities', 'accessprofiles', 'roles', 'entitlements', 'events'] : indices;
}

function documentsOf(env: Environment, index: string): SearchDoc[] {
  if (index === 'events') return eventDocuments(env);
  if ((MODEL_INDICES as readonly string[]).includes(index)) return modelDocuments(env, index as ModelIndex).docs;
  return []; // accountactivities: the emulator records none
}

/** The documents matching the body's query, in sort order, after searchAfter. */
function matching(env: Environment, body: SearchBody): SearchDoc[] {
  const type = body.queryType ?? 'SAILPOINT';
  if (type !== 'SAILPOINT' && type !== 'TEXT') throw badRequest(`queryType ${type} is not supported by the emulator; use SAILPOINT (query.query) or TEXT (textQuery).`);
  let test: (d: Doc) => boolean;
  if (type === 'TEXT') {
    const tq = body.textQuery;
    if (!tq?.terms?.length || !tq.fields?.length) throw badRequest('textQuery.terms and textQuery.fields are required for queryType TEXT');
    const terms = tq.terms.map((t) => t.toLowerCase());
    const hit = (d: Doc, t: string) => tq.fields!.some((f) => valuesAt(d, f.split('.')).some((v) => (tq.contains ? String(v).toLowerCase().includes(t) : String(v).toLowerCase().split(/\s+/).includes(t) || String(v).toLowerCase() === t)));
    test = (d) => (tq.matchAny ? terms.some((t) => hit(d, t)) : terms.every((t) => hit(d, t)));
  } else {
    // Query.fields: the fields a term without a field is applied to (ES query_string `fields`)
    test = compileQuery(body.query?.query, env.clock.now(), body.query?.fields);
  }
  let rows = indicesOf(body).flatMap((i) => documentsOf(env, i)).filter((d) => test(d));
  const sort = body.sort ?? [];
  if (sort.length) {
    const keys = sort.map((s) => (s.startsWith('-') ? { f: s.slice(1), d: -1 } : { f: s.replace(/^\+/, ''), d: 1 }));
    const sortValues = (r: Doc) => keys.map((k) => String(valuesAt(r, k.f.split('.'))[0] ?? ''));
    const compare = (x: string[], y: string[]) => {
      for (let i = 0; i < keys.length && i < y.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -keys[i]!.d : keys[i]!.d;
      return 0;
    };
    rows = [...rows].sort((a, b) => compare(sortValues(a), sortValues(b)));
    // ES search_after: only documents whose sort values come strictly after the given ones
    if (body.searchAfter?.length) rows = rows.filter((r) => compare(sortValues(r), body.searchAfter!.map(String)) > 0);
  } else if (body.searchAfter?.length) throw badRequest('searchAfter requires sort');
  return rows;
}

/** A field of a search document that is an index's nested objects (a non-empty list of objects: accounts, access…). */
const isNested = (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));

function filterResult(doc: SearchDoc, f: SearchBody['queryResultFilter'], includeNested: boolean | undefined): SearchDoc {
  // contract Search.includeNested (default true): false leaves the nested objects out of each result
  if (includeNested === false) doc = Object.fromEntries(Object.entries(doc).filter(([, v]) => !isNested(v))) as SearchDoc;
  if (!f?.includes?.length && !f?.excludes?.length) return doc;
  let out: Record<string, unknown> = f.includes?.length ? Object.fromEntries(Object.entries(doc).filter(([k]) => f.includes!.includes(k) || k === 'id' || k === '_type')) : { ...doc };
  for (const k of f.excludes ?? []) delete out[k];
  return out as SearchDoc;
}

export function search(env: Environment, body: SearchBody, paging: { limit: number; offset: number }): { rows: SearchDoc[]; total: number } {
  const rows = matching(env, body);
  return { rows: rows.slice(paging.offset, paging.offset + paging.limit).map((d) => filterResult(d, body.queryResultFilter, body.includeNested)), total: rows.length };
}

export function count(env: Environment, body: SearchBody): number {
  return matching(env, body).length;
}

/** GET /v3/search/{index}/{id}: one document of an index, or 404. */
export function getDocument(env: Environment, index: string, id: string): SearchDoc {
  if (!(INDICES as readonly string[]).includes(index) || index === '*') throw badRequest(`Invalid index: ${index}`);
  const event = index === 'events' ? eventLog(env).find((e) => e.id === id) : undefined;
  const doc = (MODEL_INDICES as readonly string[]).includes(index) ? modelDocuments(env, index as ModelIndex).byId.get(id) : event && eventDocument(env, event);
  if (!doc) throw notFound();
  return doc;
}

type AggResult = Record<string, unknown>;

function aggregate(docs: Doc[], spec: Aggregations): AggResult {
  let rows = docs;
  const out: AggResult = {};
  if (spec.filter) {
    const f = spec.filter;
    rows = rows.filter((d) => valuesAt(d, f.field.replace(/^@/, '').split('.')).some((v) => String(v).toLowerCase() === String(f.value).toLowerCase()));
  }
  if (spec.metric) {
    const m = spec.metric;
    const values = rows.flatMap((d) => valuesAt(d, m.field.replace(/^@/, '').split('.')));
    const nums = values.map(Number).filter((n) => !Number.isNaN(n));
    const type = m.type ?? 'UNIQUE_COUNT';
    const value =
      type === 'COUNT' ? values.length
      : type === 'UNIQUE_COUNT' ? new Set(values.map(String)).size
      : type === 'SUM' ? nums.reduce((a, b) => a + b, 0)
      : type === 'AVG' ? (nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : null)
      : type === 'MIN' ? (nums.length ? Math.min(...nums) : null)
      : type === 'MAX' ? (nums.length ? Math.max(...nums) : null)
      : nums.length ? [...nums].sort((a, b) => a - b)[Math.floor(nums.length / 2)]! : null;
    out[m.name] = { value };
  }
  if (spec.bucket) {
    const b = spec.bucket;
    if (b.type && b.type !== 'TERMS') throw badRequest(`Unsupported bucket type ${b.type}`);
    const groups = new Map<string, Doc[]>();
    for (const d of rows) for (const v of new Set(valuesAt(d, b.field.replace(/^@/, '').split('.')).map(String))) (groups.get(v) ?? groups.set(v, []).get(v)!).push(d);
    const buckets = [...groups]
      .filter(([, ds]) => ds.length >= (b.minDocCount ?? 1))
      .sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]))
      .slice(0, b.size ?? 100)
      .map(([key, ds]) => ({ key, doc_count: ds.length, ...(spec.subAggregation ? aggregate(ds, spec.subAggregation) : {}) }));
    out[b.name] = { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets };
  }
  if (!spec.metric && !spec.bucket) throw badRequest('aggregations needs a bucket or a metric');
  return out;
}

/** POST /v3/search/aggregate with aggregationType SAILPOINT: terms buckets, metrics, a filter; hits as in search. */
export function searchAggregate(env: Environment, body: SearchBody, paging: { limit: number; offset: number }) {
  const type = body.aggregationType ?? 'DSL';
  if (type !== 'SAILPOINT') throw badRequest(`aggregationType ${type} is not supported by the emulator; use SAILPOINT with aggregations.`);
  if (!body.aggregations) throw badRequest('aggregations is required');
  const rows = matching(env, body);
  return { aggregations: aggregate(rows, body.aggregations), hits: rows.slice(paging.offset, paging.offset + paging.limit), total: rows.length };
}
