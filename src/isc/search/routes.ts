// HTTP for ISC search (contract searchPost, searchCount, searchAggregate, searchGet): scopes sp:search:read and the
// contract's user levels; the rules live in service.ts.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { iscAuth } from '../../core/auth.js';
import { iscErrors as errors, json, routeAdder, withTotal } from '../shared/routes.js';
import { parsePaging } from '../shared/filters.js';
import { requireLevel } from '../shared/levels.js';
import { count, getDocument, search, searchAggregate, type SearchBody } from './service.js';
import { lazy } from '../../core/lazy.js';

const obj = lazy(() => z.record(z.string(), z.unknown()));
// contract SearchAggregationSpecification (Aggregations + two levels of subAggregation): each part names its fields
// (BucketAggregation, MetricAggregation, FilterAggregation, NestedAggregation required lists)
const aggregationParts = () => ({
  nested: z.object({ name: z.string().min(1), type: z.string().min(1) }).optional(),
  metric: z.object({ name: z.string().min(1), type: z.string().optional(), field: z.string().min(1) }).optional(),
  filter: z.object({ name: z.string().min(1), type: z.string().optional(), field: z.string().min(1), value: z.string() }).optional(),
  bucket: z.object({ name: z.string().min(1), type: z.string().optional(), field: z.string().min(1), size: z.number().int().min(1).optional(), minDocCount: z.number().int().min(0).optional() }).optional(),
});
const aggregationsSchema = lazy(() => z.object({ ...aggregationParts(), subAggregation: z.object({ ...aggregationParts(), subAggregation: z.object(aggregationParts()).optional() }).optional() }));

export const searchBody = lazy(() =>
  z
    .object({
      indices: z.array(z.string()).optional(),
      queryType: z.string().optional(),
      queryVersion: z.string().optional(),
      query: z.object({ query: z.string().optional(), fields: z.union([z.string(), z.array(z.string())]).optional(), timeZone: z.string().optional() }).optional(),
      textQuery: z.object({ terms: z.array(z.string()).optional(), fields: z.array(z.string()).optional(), matchAny: z.boolean().optional(), contains: z.boolean().optional() }).optional(),
      queryResultFilter: z.object({ includes: z.array(z.string()).optional(), excludes: z.array(z.string()).optional() }).optional(),
      sort: z.array(z.string()).optional(),
      searchAfter: z.array(z.union([z.string(), z.number()])).optional(),
      includeNested: z.boolean().optional(),
      aggregationType: z.string().optional(),
      aggregations: aggregationsSchema().optional(),
    })
    .passthrough()
    .openapi('Search'),
);

// contract x-sailpoint-userLevels of searchPost / searchGet (count and aggregate declare none: scope only)
const SEARCH_LEVELS = ['ORG_ADMIN', 'CERT_ADMIN', 'REPORT_ADMIN', 'SOURCE_ADMIN', 'SOURCE_SUBADMIN', 'ROLE_ADMIN', 'ROLE_SUBADMIN'];
const paging = lazy(() => z.object({ limit: z.string().optional(), offset: z.string().optional(), count: z.string().optional() }));

function bodyOf(c: Context<AppEnv>): SearchBody {
  const b = (c.req as unknown as { valid(t: 'json'): z.infer<ReturnType<typeof searchBody>> }).valid('json');
  const fields = b.query?.fields;
  return { ...(b as SearchBody), query: b.query ? { query: b.query.query, fields: typeof fields === 'string' ? fields.split(',').map((s) => s.trim()) : fields } : undefined, searchAfter: b.searchAfter?.map(String) };
}

export function registerSearchRoutes(app: EnvApp): void {
  const add = routeAdder(app);
  const middleware = [iscAuth({ scopes: ['sp:search:read'] })];
  const body = { required: true, content: { 'application/json': { schema: searchBody() } } };
  const tags = ['Search'];

  add(createRoute({ method: 'post', path: '/v3/search', operationId: 'searchPost', tags, summary: 'Perform Search', middleware, request: { query: paging(), body }, responses: { 200: json(z.array(obj()), 'List of matching documents.'), ...errors() } }), (c) => {
    requireLevel(c.get('principal'), SEARCH_LEVELS);
    const p = parsePaging(c.req.query(), 10000);
    const res = search(c.get('env'), bodyOf(c), p);
    withTotal(c, p.count, res.total);
    return c.json(res.rows);
  });
  add(createRoute({ method: 'post', path: '/v3/search/count', operationId: 'searchCount', tags, summary: 'Count Documents Satisfying a Query', middleware, request: { body }, responses: { 204: { description: 'No content - indicates the request was successful but there is no content to be returned in the response.' }, ...errors() } }), (c) => {
    c.header('X-Total-Count', String(count(c.get('env'), bodyOf(c))));
    return c.body(null, 204);
  });
  add(createRoute({ method: 'post', path: '/v3/search/aggregate', operationId: 'searchAggregate', tags, summary: 'Perform a Search Query Aggregation', middleware, request: { query: paging(), body }, responses: { 200: json(obj(), 'Aggregation results.'), ...errors() } }), (c) => {
    const p = parsePaging(c.req.query());
    const res = searchAggregate(c.get('env'), bodyOf(c), p);
    withTotal(c, p.count, res.total);
    return c.json({ aggregations: res.aggregations, hits: res.hits });
  });
  add(createRoute({ method: 'get', path: '/v3/search/{index}/{id}', operationId: 'searchGet', tags, summary: 'Get a Document by ID', middleware, request: { params: z.object({ index: z.string(), id: z.string() }) }, responses: { 200: json(obj(), 'Specified document.'), ...errors() } }), (c) => {
    requireLevel(c.get('principal'), SEARCH_LEVELS);
    return c.json(getDocument(c.get('env'), c.req.param('index')!, c.req.param('id')!));
  });
}
