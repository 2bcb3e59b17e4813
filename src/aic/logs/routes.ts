// HTTP surface of the monitoring logs API (S4 L4800–6520): sources, query, tail; API-key auth and rate-limit headers.
import { createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, EnvApp } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { Invalid, crestError } from '../../core/errors.js';
import { productMessageHook } from '../../core/http.js';
import { parseQueryFilterParam, type QueryFilter } from '../../core/queryFilter.js';
import { checkApiKey, decodeCookie, encodeCookie, expandSources, logsState, queryLogs, rateHit, tailLogs, wireEntryJson, type Position } from './service.js';
import type { LogEntry } from '../../core/logbook.js';
import { MAX_PAGE_SIZE, MAX_WINDOW_MS, sourceList } from './model.js';
import { lazy } from '../../core/lazy.js';

// S4 L13918–13990: the log API authenticates with a log API key (x-api-key, x-api-secret), not a bearer token
const logApiKeyHolders = createMiddleware<AppEnv>(async (c, next) => {
  if (!checkApiKey(c.get('env'), c.req.header('x-api-key'), c.req.header('x-api-secret'))) throw crestError(401, 'Access Denied');
  await next();
});

// S4 L6473–6510: every query and tail call counts and carries X-RateLimit-*; past the limit, 429 with no results.
// Headers set here stay on whatever the request answers, errors included.
const withinRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const d = rateHit(c.get('env'));
  c.header('X-RateLimit-Limit', String(d.limit));
  c.header('X-RateLimit-Remaining', String(d.remaining));
  c.header('X-RateLimit-Reset', String(Math.floor(d.resetAt / 1000)));
  if (!d.allowed) throw crestError(429, 'Too Many Requests');
  await next();
});

// the request and response schemas and routes, built when the routes first register (issue #17: start-up)
const routeDefs = lazy(() => {
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
    middleware: [logApiKeyHolders] as const,
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

  /** An ISO 8601 date-time parameter, as epoch ms (S4 "Get log results for a time period"). */
  const timeParam = (name: string) =>
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined || raw === '') return undefined;
        const t = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : NaN;
        if (Number.isNaN(t)) ctx.addIssue({ code: 'custom', message: `Invalid ${name} '${raw}': expected an ISO 8601 date-time` });
        return t;
      });

  /** The position a previous page ended at. */
  const cookieParam = z
    .string()
    .optional()
    .transform((raw, ctx): Position | undefined => {
      if (raw === undefined || raw === '') return undefined;
      const p = decodeCookie(raw);
      if (!p) ctx.addIssue({ code: 'custom', message: `Invalid _pagedResultsCookie '${raw}'` });
      return p;
    });

  const sourceParam = z.string({ error: 'The source query parameter is required' }).refine((s) => s.trim() !== '', 'The source query parameter is required');
  const filterParam = z
    .string()
    .optional()
    .transform((raw, ctx): QueryFilter | undefined => {
      if (raw === undefined || raw === '') return undefined;
      try {
        return parseQueryFilterParam(raw, (message) => new Invalid(message));
      } catch (e) {
        if (!(e instanceof Invalid)) throw e;
        ctx.addIssue({ code: 'custom', message: e.message });
        return undefined;
      }
    });

  /** A query or tail route: API key, rate limit, the given query parameters, one page of entries. */
  function logRoute<Q extends z.ZodRawShape>(path: string, summary: string, query: Q, description: string) {
    return createRoute({
      method: 'get',
      path,
      summary,
      middleware: [logApiKeyHolders, withinRateLimit] as const,
      request: { headers: apiKeyHeaders, query: z.object(query) },
      responses: { 200: { description, content: { 'application/json': { schema: pageSchema } } }, ...errorResponses },
    });
  }

  const logsRoute = logRoute(
    '/monitoring/logs',
    'Query stored log entries',
    {
      source: sourceParam.openapi({ description: 'Comma-separated sources; *-everything aggregates its family' }),
      beginTime: timeParam('beginTime').openapi({ description: 'ISO 8601; default 24 h before endTime; at most 24 h before endTime' }),
      endTime: timeParam('endTime').openapi({ description: 'ISO 8601; default now' }),
      transactionId: z.string().optional().openapi({ description: 'The part of x-forgerock-transactionid before the /' }),
      _queryFilter: filterParam.openapi({ description: 'CREST filter over the entry, e.g. /payload/level eq "ERROR"' }),
      // S4 L6478: the page-size limit is 1000 logs per request
      _pageSize: z
        .string()
        .optional()
        .transform((raw, ctx) => {
          if (raw === undefined || raw === '') return MAX_PAGE_SIZE;
          const n = Number(raw);
          if (!Number.isInteger(n) || n < 1) ctx.addIssue({ code: 'custom', message: `Invalid _pageSize '${raw}': expected a positive integer` });
          return Math.min(n, MAX_PAGE_SIZE);
        })
        .openapi({ description: 'At most 1000 (default 1000)' }),
      _pagedResultsCookie: cookieParam,
    },
    'One page of entries',
  );

  const tailRoute = logRoute('/monitoring/logs/tail', 'Tail log entries', { source: sourceParam, _queryFilter: filterParam, _pagedResultsCookie: cookieParam }, 'Entries since the previous call (first call: the last 15 s)');
  return { sourcesRoute, logsRoute, tailRoute };
});

/** The query parameters carry the product's messages (S4 "Retrieve log entries"): the CREST 400 shows them as written. */
const hook = productMessageHook('crest');

function sources(env: Environment, raw: string): string[] {
  const r = expandSources(env, raw);
  if ('unknown' in r) throw crestError(400, `Invalid source: ${r.unknown}`);
  return r.sources;
}

/**
 * A page's JSON, exactly what c.json gave for `{result, resultCount, pagedResultsCookie, totalPagedResultsPolicy,
 * totalPagedResults, remainingPagedResults}` over the wire entries, as UTF-8 bytes: each entry's JSON text is written
 * straight into one buffer (up to 1000 entries, ≈ 0.8 MB; joining the strings and encoding the result for the socket
 * cost ≈ 4× more CPU; issue #17).
 */
export function pageBody(entries: readonly LogEntry[], cookie: string | null): Uint8Array<ArrayBuffer> {
  let buf = Buffer.allocUnsafe(1024 + entries.length * 1024);
  let off = 0;
  const put = (s: string) => {
    // a UTF-16 code unit is at most 3 bytes of UTF-8: with that much room the string is written whole
    if (off + s.length * 3 > buf.length) {
      let size = buf.length * 2;
      while (off + s.length * 3 > size) size *= 2;
      const bigger = Buffer.allocUnsafe(size);
      buf.copy(bigger, 0, 0, off);
      buf = bigger;
    }
    off += buf.write(s, off);
  };
  put('{"result":[');
  for (let i = 0; i < entries.length; i++) {
    if (i > 0) put(',');
    put(wireEntryJson(entries[i]!));
  }
  // S4 "Retrieve log entries": resultCount is a string in the logs envelope ("1000", "8"); totals are -1
  put(`],"resultCount":"${entries.length}","pagedResultsCookie":${JSON.stringify(cookie)},"totalPagedResultsPolicy":"NONE","totalPagedResults":-1,"remainingPagedResults":-1}`);
  return buf.subarray(0, off) as Uint8Array<ArrayBuffer>;
}

/** The same headers c.json() sets (Content-Type: application/json). */
const JSON_HEADERS = { 'Content-Type': 'application/json' };

export function registerLogRoutes(app: EnvApp): void {
  const { sourcesRoute, logsRoute, tailRoute } = routeDefs();
  app.openapi(sourcesRoute, (c) => {
    const list = sourceList(logsState(c.get('env')).wsFederation);
    // S4 L4820–4845 / L13960–13990: the sources envelope
    return c.json({ result: list, resultCount: list.length, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE' as const, totalPagedResults: 1, remainingPagedResults: 0 }, 200);
  });

  app.openapi(
    logsRoute,
    (c) => {
      const q = c.req.valid('query');
      const env = c.get('env');
      // S4 "Get log results for a time period": endTime defaults to now, beginTime to 24 h before endTime,
      // and beginTime must be 24 hours or less before endTime
      const end = q.endTime ?? env.clock.now();
      const begin = q.beginTime ?? end - MAX_WINDOW_MS;
      const list = sources(env, q.source);
      if (begin > end) throw crestError(400, 'beginTime must be before endTime');
      if (end - begin > MAX_WINDOW_MS) throw crestError(400, 'beginTime must be 24 hours or less before endTime');
      const r = queryLogs(env, { sources: list, begin, end, transactionId: q.transactionId || undefined, filter: q._queryFilter, pageSize: q._pageSize, after: q._pagedResultsCookie });
      return c.body(pageBody(r.entries, r.next ? encodeCookie(r.next) : null), 200, JSON_HEADERS) as never;
    },
    hook,
  );

  app.openapi(
    tailRoute,
    (c) => {
      const q = c.req.valid('query');
      const env = c.get('env');
      const r = tailLogs(env, sources(env, q.source), q._pagedResultsCookie, q._queryFilter);
      return c.body(pageBody(r.entries, encodeCookie(r.position)), 200, JSON_HEADERS) as never;
    },
    hook,
  );
}
