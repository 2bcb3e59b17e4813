// HTTP surface of the monitoring logs API (S4 L4800–6520): sources, query, tail; API-key auth and rate-limit headers.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { crestError, type ApiError } from '../../core/errors.js';
import { parseQueryFilterParam, type QueryFilter } from '../../core/queryFilter.js';
import { checkApiKey, decodeCookie, encodeCookie, expandSources, logsState, queryLogs, rateHit, tailLogs, wireEntry, type Position } from './service.js';
import { MAX_PAGE_SIZE, MAX_WINDOW_MS, sourceList } from './model.js';

const apiKeyHeaders = z.object({
  'x-api-key': z.string().optional().openapi({ description: 'Log API key id (S4 L13918–13990)' }),
  'x-api-secret': z.string().optional().openapi({ description: 'Log API key secret' }),
});

const entrySchema = z
  .object({
    payload: z.any(),
    timestamp: z.string(),
    type: z.enum(['application/json', 'text/plain']),
    source: z.string(),
  })
  .openapi('LogEntry');

const pageSchema = z
  .object({
    result: z.array(entrySchema),
    resultCount: z.string(),
    pagedResultsCookie: z.string().nullable(),
    totalPagedResultsPolicy: z.literal('NONE'),
    totalPagedResults: z.number(),
    remainingPagedResults: z.number(),
  })
  .openapi('LogPage');

const errorSchema = z.object({ code: z.number(), reason: z.string(), message: z.string() }).openapi('CrestError');

const errorResponses = {
  400: { description: 'Malformed parameter (window, filter, page size, cookie, source)', content: { 'application/json': { schema: errorSchema } } },
  401: { description: 'Missing or wrong x-api-key / x-api-secret', content: { 'application/json': { schema: errorSchema } } },
  429: { description: 'Rate limit exceeded; no results', content: { 'application/json': { schema: errorSchema } } },
};

const sourcesRoute = createRoute({
  method: 'get',
  path: '/monitoring/logs/sources',
  summary: 'List log sources',
  request: { headers: apiKeyHeaders },
  responses: {
    200: {
      description: 'The available sources',
      content: {
        'application/json': {
          schema: z.object({
            result: z.array(z.string()),
            resultCount: z.number(),
            pagedResultsCookie: z.null(),
            totalPagedResultsPolicy: z.literal('NONE'),
            totalPagedResults: z.number(),
            remainingPagedResults: z.number(),
          }),
        },
      },
    },
    401: errorResponses[401],
  },
});

const logsRoute = createRoute({
  method: 'get',
  path: '/monitoring/logs',
  summary: 'Query stored log entries',
  request: {
    headers: apiKeyHeaders,
    query: z.object({
      source: z.string().optional().openapi({ description: 'Comma-separated sources; *-everything aggregates its family' }),
      beginTime: z.string().optional().openapi({ description: 'ISO 8601; default 24 h before endTime; at most 24 h before endTime' }),
      endTime: z.string().optional().openapi({ description: 'ISO 8601; default now' }),
      transactionId: z.string().optional().openapi({ description: 'The part of x-forgerock-transactionid before the /' }),
      _queryFilter: z.string().optional().openapi({ description: 'CREST filter over the entry, e.g. /payload/level eq "ERROR"' }),
      _pageSize: z.string().optional().openapi({ description: 'At most 1000 (default 1000)' }),
      _pagedResultsCookie: z.string().optional(),
    }),
  },
  responses: { 200: { description: 'One page of entries', content: { 'application/json': { schema: pageSchema } } }, ...errorResponses },
});

const tailRoute = createRoute({
  method: 'get',
  path: '/monitoring/logs/tail',
  summary: 'Tail log entries',
  request: {
    headers: apiKeyHeaders,
    query: z.object({
      source: z.string().optional(),
      _queryFilter: z.string().optional(),
      _pagedResultsCookie: z.string().optional(),
    }),
  },
  responses: { 200: { description: 'Entries since the previous call (first call: the last 15 s)', content: { 'application/json': { schema: pageSchema } } }, ...errorResponses },
});

function fail(err: ApiError): never {
  throw err;
}

/** S4 L13918–13990: the log API authenticates with a log API key, not a bearer token. */
function requireApiKey(c: Context<AppEnv>, env: Environment): void {
  if (!checkApiKey(env, c.req.header('x-api-key'), c.req.header('x-api-secret'))) fail(crestError(401, 'Access Denied'));
}

/** S4 L6473–6510: count the request and set X-RateLimit-* on the response; 429 with no results past the limit. */
function limit(c: Context<AppEnv>, env: Environment): Record<string, string> {
  const d = rateHit(env);
  const headers = { 'X-RateLimit-Limit': String(d.limit), 'X-RateLimit-Remaining': String(d.remaining), 'X-RateLimit-Reset': String(Math.floor(d.resetAt / 1000)) };
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  if (!d.allowed) withHeaders(crestError(429, 'Too Many Requests'), headers);
  return headers;
}

/** Errors after the request was counted still carry the rate-limit headers. */
function withHeaders(err: unknown, headers: Record<string, string>): never {
  if (err && typeof err === 'object' && 'headers' in err && (err as ApiError).headers) Object.assign((err as ApiError).headers, headers);
  throw err;
}

function sourcesParam(env: Environment, raw: string | undefined): string[] {
  if (!raw || !raw.trim()) fail(crestError(400, 'The source query parameter is required'));
  const r = expandSources(env, raw);
  if ('unknown' in r) fail(crestError(400, `Invalid source: ${r.unknown}`));
  return r.sources;
}

function timeParam(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const t = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(t)) fail(crestError(400, `Invalid ${name} '${raw}': expected an ISO 8601 date-time`));
  return t;
}

function cookieParam(raw: string | undefined): Position | undefined {
  if (raw === undefined || raw === '') return undefined;
  return decodeCookie(raw) ?? fail(crestError(400, `Invalid _pagedResultsCookie '${raw}'`));
}

function filterParam(raw: string | undefined): QueryFilter | undefined {
  if (raw === undefined || raw === '') return undefined;
  return parseQueryFilterParam(raw);
}

function page(entries: ReturnType<typeof wireEntry>[], cookie: string | null) {
  // S4 "Retrieve log entries": resultCount is a string in the logs envelope ("1000", "8"); totals are -1
  return { result: entries, resultCount: String(entries.length), pagedResultsCookie: cookie, totalPagedResultsPolicy: 'NONE' as const, totalPagedResults: -1, remainingPagedResults: -1 };
}

export function registerLogRoutes(app: EnvApp, env: Environment): void {
  app.openapi(sourcesRoute, (c) => {
    requireApiKey(c, env);
    const list = sourceList(logsState(env).wsFederation);
    // S4 L4820–4845 / L13960–13990: the sources envelope
    return c.json({ result: list, resultCount: list.length, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE' as const, totalPagedResults: 1, remainingPagedResults: 0 }, 200);
  });

  app.openapi(logsRoute, (c) => {
    requireApiKey(c, env);
    const rate = limit(c, env);
    try {
      const q = c.req.valid('query');
      const sources = sourcesParam(env, q.source);
      const now = env.clock.now();
      // S4 "Get log results for a time period": endTime defaults to now, beginTime to 24 h before endTime,
      // and beginTime must be 24 hours or less before endTime
      const end = timeParam('endTime', q.endTime) ?? now;
      const begin = timeParam('beginTime', q.beginTime) ?? end - MAX_WINDOW_MS;
      if (begin > end) fail(crestError(400, 'beginTime must be before endTime'));
      if (end - begin > MAX_WINDOW_MS) fail(crestError(400, 'beginTime must be 24 hours or less before endTime'));
      let pageSize = MAX_PAGE_SIZE;
      if (q._pageSize !== undefined && q._pageSize !== '') {
        const n = Number(q._pageSize);
        if (!Number.isInteger(n) || n < 1) fail(crestError(400, `Invalid _pageSize '${q._pageSize}': expected a positive integer`));
        // S4 L6478: the page-size limit is 1000 logs per request
        pageSize = Math.min(n, MAX_PAGE_SIZE);
      }
      const after = cookieParam(q._pagedResultsCookie);
      const filter = filterParam(q._queryFilter);
      const r = queryLogs(env, { sources, begin, end, transactionId: q.transactionId || undefined, filter, pageSize, after });
      return c.json(page(r.entries.map(wireEntry), r.next ? encodeCookie(r.next) : null), 200);
    } catch (err) {
      withHeaders(err, rate);
    }
  });

  app.openapi(tailRoute, (c) => {
    requireApiKey(c, env);
    const rate = limit(c, env);
    try {
      const q = c.req.valid('query');
      const sources = sourcesParam(env, q.source);
      const after = cookieParam(q._pagedResultsCookie);
      const filter = filterParam(q._queryFilter);
      const r = tailLogs(env, sources, after, filter);
      return c.json(page(r.entries.map(wireEntry), encodeCookie(r.position)), 200);
    } catch (err) {
      withHeaders(err, rate);
    }
  });
}
