// HTTP for tenant facts: /environment/info, /environment/scopes/service-accounts, /am/json/global-config/realms.
import { createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { aicAuth } from '../../core/auth.js';
import { productMessageHook, send } from '../../core/http.js';
import { matchesFilter, parseQueryFilterParam } from '../../core/queryFilter.js';
import { cookieToken } from '../oauth/sessionRoutes.js';
import { findSession } from '../oauth/session.js';
import { SERVICE_ACCOUNT_SCOPES } from './scopes.js';
import { environmentInfo, getRealm, listRealms, realmView, updateRealm } from './service.js';
import { realmUpdateBody } from './model.js';
import { lazy } from '../../core/lazy.js';

/** recording RealmOps/getRealms: AM answers `application/json;charset=UTF-8`. */
const AM_JSON = { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store' };
/** The realm schemas carry AM's own sentences: the CREST 400 shows them as written. */
const hook = productMessageHook('crest');

// the shared schemas of the routes, built when they first register (issue #17: start-up)
const json = lazy(() => z.record(z.string(), z.unknown()));
const crestErrorSchema = lazy(() => z.object({ code: z.number(), reason: z.string(), message: z.string() }));
const errors = lazy(() => ({
  401: { description: 'No or invalid token', content: { 'application/json': { schema: crestErrorSchema() } } },
  403: { description: 'Insufficient scope', content: { 'application/json': { schema: crestErrorSchema() } } },
}) as const);
const ok = (description: string, schema: z.ZodType = json()) => ({ 200: { description, content: { 'application/json': { schema } } } });

/** Any valid AIC access token (frodo calls /environment/info with whatever token it logged in with). */
const ANY_TOKEN = aicAuth();
const AM_SCOPED = aicAuth({ anyOf: ['fr:am:*'] });

/** frodo's onboarding reads the scope list with the tenant admin's session cookie, before it has a bearer token. */
const TOKEN_OR_ADMIN_SESSION = createMiddleware<AppEnv>(async (c, next) => {
  const session = findSession(c.get('env'), cookieToken(c));
  if (session?.kind === 'tenantAdmin') return next();
  return ANY_TOKEN(c, next);
});

export function tenantRoutes(app: EnvApp): void {
  app.openapi(
    createRoute({ method: 'get', path: '/environment/info', tags: ['Environment'], summary: 'Environment facts: tier, immutability, promotion lock (any token)', middleware: [ANY_TOKEN] as const, responses: { ...ok('Environment info'), ...errors() } }),
    (c) => send(c, environmentInfo(c.get('env')), 200, { 'cache-control': 'no-store' }),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/environment/scopes/service-accounts',
      tags: ['Environment'],
      summary: 'Scopes a service account may be given (tenant admin session or token)',
      middleware: [TOKEN_OR_ADMIN_SESSION] as const,
      responses: { ...ok('Scope tree', z.array(json())), ...errors() },
    }),
    (c) => send(c, SERVICE_ACCOUNT_SCOPES, 200, { 'cache-control': 'no-store' }),
  );

  // recording RealmOps/getRealms: GET /am/json/global-config/realms/?_queryFilter=true (frodo adds the trailing slash)
  for (const path of ['/am/json/global-config/realms', '/am/json/global-config/realms/']) {
    app.openapi(
      createRoute({
        method: 'get',
        path,
        tags: ['AM realms'],
        summary: 'Query the tenant realms (fr:am:*)',
        middleware: [AM_SCOPED] as const,
        // AM CREST: a collection read needs a query
        request: { query: z.object({ _queryFilter: z.string({ error: 'The request could not be processed because it did not specify a query expression, query filter, or query ID' }) }).loose() },
        responses: { ...ok('Realms'), ...errors(), 400: { description: 'Bad query', content: { 'application/json': { schema: crestErrorSchema() } } } },
      }),
      (c) => {
        const filter = parseQueryFilterParam(c.req.valid('query')._queryFilter);
        const result = listRealms(c.get('env')).map(realmView).filter((r) => matchesFilter(filter, r));
        return send(c, { result, resultCount: result.length, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: -1 }, 200, AM_JSON);
      },
      hook,
    );
  }
  const idParam = z.object({ id: z.string() });
  app.openapi(
    createRoute({ method: 'get', path: '/am/json/global-config/realms/{id}', tags: ['AM realms'], summary: 'Read a realm by id (Base64 of its path)', middleware: [AM_SCOPED] as const, request: { params: idParam }, responses: { ...ok('Realm'), ...errors(), 404: { description: 'No such realm', content: { 'application/json': { schema: crestErrorSchema() } } } } }),
    (c) => send(c, realmView(getRealm(c.get('env'), c.req.param('id'))), 200, AM_JSON),
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/am/json/global-config/realms/{id}',
      tags: ['AM realms'],
      summary: 'Update a realm (active, aliases)',
      middleware: [AM_SCOPED] as const,
      request: { params: idParam, body: { content: { 'application/json': { schema: realmUpdateBody() } } } },
      responses: { ...ok('Realm'), ...errors(), 404: { description: 'No such realm', content: { 'application/json': { schema: crestErrorSchema() } } } },
    }),
    (c) => send(c, realmView(updateRealm(c.get('env'), c.req.valid('param').id, c.req.valid('json'))), 200, AM_JSON),
    hook,
  );
}
