// CREST-style list parameters the IGA endpoints take (S3 L5489–5560; recording: `_queryFilter`, `_fields`,
// `_pageSize`, `_pagedResultsOffset`): filter, sort, page and project, answering `{totalCount, resultCount, result}`.
import { selectFields } from '../../../core/crest.js';
import { dottedPaths, matchesFilter, parseQueryFilterParam } from '../../../core/queryFilter.js';
import { Invalid } from '../../../core/errors.js';

export interface ListParams {
  _queryFilter?: string;
  _fields?: string;
  _pageSize?: string;
  _pagedResultsOffset?: string;
  _sortKeys?: string;
  _sortDir?: string;
  _sortType?: string;
  _searchAfter?: string;
  /** S3 L6887 (request types): page number (0-based, with `_pageSize`) and `_sortBy`, aliases of offset and sort keys. */
  _pageNumber?: string;
  _sortBy?: string;
}

function get(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const p of path.split(/[./]/).filter(Boolean)) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Keep only the listed fields (dotted or slash paths), as `_fields` does; `*` keeps every field. */
export function project<T>(obj: T, fields?: string): T | Record<string, unknown> {
  // core/crest selectFields: dotted or slash paths, `*` for every field (issue 15)
  return fields ? selectFields(obj as Record<string, unknown>, fields) : obj;
}

export function intParam(v: string | undefined, name: string, def: number): number {
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Invalid(`Invalid value for ${name}: ${v}`);
  return n;
}

/** Sort by `_sortKeys` (comma-separated, `-key` for descending) and `_sortDir`. */
export function sortBy<T>(items: T[], keys?: string, dir?: string): T[] {
  if (!keys) return items;
  const specs = keys.split(',').map((k) => k.trim()).filter(Boolean).map((k) => (k.startsWith('-') ? { key: k.slice(1), desc: true } : { key: k.replace(/^\+/, ''), desc: dir === 'desc' }));
  return [...items].sort((a, b) => {
    for (const s of specs) {
      const x = get(a, s.key) as never;
      const y = get(b, s.key) as never;
      if (x === y) continue;
      if (x === undefined || x === null) return 1;
      if (y === undefined || y === null) return -1;
      const c = x < y ? -1 : 1;
      return s.desc ? -c : c;
    }
    return 0;
  });
}

export interface Page<T> {
  totalCount: number;
  resultCount: number;
  result: T[];
}

/** Filter (`_queryFilter`), sort, page, then view and project only the page (filters see the stored documents). */
export function listQuery<T>(items: readonly T[], q: ListParams, view: (t: T) => unknown = (t) => t): Page<unknown> {
  const filter = q._queryFilter !== undefined && q._queryFilter !== '' ? dottedPaths(parseQueryFilterParam(q._queryFilter, (m) => new Invalid(m))) : undefined;
  const matched = filter ? items.filter((v) => matchesFilter(filter, v)) : [...items];
  const sorted = sortBy(matched, q._sortKeys ?? q._sortBy, q._sortDir);
  const size = intParam(q._pageSize, '_pageSize', 10000);
  let offset = q._pagedResultsOffset === undefined && q._pageNumber !== undefined ? intParam(q._pageNumber, '_pageNumber', 0) * size : intParam(q._pagedResultsOffset, '_pagedResultsOffset', 0);
  // S3 L5526: `_searchAfter` = the previous page's searchAfterKey (ending with the last entry's id): continue after it
  if (q._searchAfter) {
    const lastId = q._searchAfter.split(',').pop();
    const i = sorted.findIndex((v) => String(get(v, 'id') ?? get(v, '_id')) === lastId);
    offset = i >= 0 ? i + 1 : sorted.length;
  }
  const page = sorted.slice(offset, size === 0 ? undefined : offset + size).map((v) => project(view(v), q._fields));
  return { totalCount: matched.length, resultCount: page.length, result: page };
}
