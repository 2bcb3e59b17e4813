// HTTP for promotable config. IDM: /openidm/config[/{id}] (ids contain '/', so these are plain Hono routes with a
// regex segment rather than zod-openapi routes). AM: a subset of the real realm paths (docs/promotion.md).
import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { createMiddleware } from 'hono/factory';
import { aicAuth } from '../../core/auth.js';
import { assertRealm } from '../tenant/service.js';
import { IDM_HEADERS, jsonObject, send } from '../../core/http.js';
import { matchesFilter, parseQueryFilterParam } from '../../core/queryFilter.js';
import type { AmKind, JsonObject } from './model.js';
import { deleteAmConfig, deleteIdmConfig, getAmConfig, getIdmConfig, idmView, listAmConfig, listIdmConfig, putAmConfig, putIdmConfig } from './service.js';

/** Reads and writes of IDM config need an fr:idm:* token; AM config an fr:am:* token (S4 L14060 scopes). */
const IDM_SCOPE = aicAuth({ anyOf: ['fr:idm:*'] });
const AM_SCOPE = aicAuth({ anyOf: ['fr:am:*'] });

/** A config object is a JSON object; an empty body is not JSON. */
const configBody = (c: Context<AppEnv>) => jsonObject(c, 'crest', { required: true }) as Promise<JsonObject>;

/** CREST query result envelope (as IDM and AM return for `_queryFilter`). */
function queryResult(result: JsonObject[]) {
  return { result, resultCount: result.length, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: -1 };
}

/** issue 6: the same CREST filter grammar as every other endpoint, evaluated on the whole object (frodo: `name eq '<name>'`). */
function objectFilter(filter: string): (obj: JsonObject) => boolean {
  const f = parseQueryFilterParam(filter);
  return (obj) => matchesFilter(f, obj);
}


/** These routes are plain Hono handlers (ids with '/'); register their shape for the OpenAPI document only. */
function document(app: EnvApp, method: 'get' | 'put' | 'delete', path: string, summary: string, scope: string): void {
  const json = z.record(z.string(), z.unknown());
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  app.openAPIRegistry.registerPath({
    method,
    path,
    tags: [path.startsWith('/openidm') ? 'IDM config' : 'AM config'],
    summary: `${summary} (${scope})`,
    ...(params.length ? { request: { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } } : {}),
    ...(method === 'put' ? { request: { ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}), body: { content: { 'application/json': { schema: json } } } } } : {}),
    responses: { 200: { description: 'Config object', content: { 'application/json': { schema: json } } } },
  });
}

const realmGuard = createMiddleware<AppEnv>(async (c, next) => {
  assertRealm(c.get('env'), c.req.param('realm') ?? '');
  await next();
});

export function configRoutes(app: EnvApp): void {
  document(app, 'get', '/openidm/config', 'List IDM config ids, or query objects with _queryFilter', 'fr:idm:*');
  for (const m of ['get', 'put', 'delete'] as const) document(app, m, '/openidm/config/{id}', `${m.toUpperCase()} an IDM config object (id may contain "/")`, 'fr:idm:*');
  // IDM: GET /openidm/config lists config ids; with _queryFilter returns the objects
  app.get('/openidm/config', IDM_SCOPE, (c) => {
    const filter = c.req.query('_queryFilter');
    const all = listIdmConfig(c.get('env'));
    if (filter === undefined) {
      return send(c, { _id: '', configurations: all.map(({ id }) => ({ _id: id, pid: id, factoryPid: id.includes('/') ? id.slice(0, id.indexOf('/')) : null })) }, 200, IDM_HEADERS);
    }
    const match = objectFilter(filter);
    return send(c, queryResult(all.map(({ id, value }) => idmView(id, value)).filter(match)), 200, IDM_HEADERS);
  });
  app.get('/openidm/config/:id{.+}', IDM_SCOPE, (c) => send(c, getIdmConfig(c.get('env'), c.req.param('id')!), 200, IDM_HEADERS));
  app.put('/openidm/config/:id{.+}', IDM_SCOPE, async (c) => {
    const res = putIdmConfig(c.get('env'), c.get('actor'), c.req.param('id')!, await configBody(c));
    return send(c, res.value, 200, IDM_HEADERS);
  });
  app.delete('/openidm/config/:id{.+}', IDM_SCOPE, (c) => send(c, deleteIdmConfig(c.get('env'), c.get('actor'), c.req.param('id')!), 200, IDM_HEADERS));

  const am: Array<[AmKind, string]> = [
    ['scripts', 'scripts'],
    ['trees', 'realm-config/authentication/authenticationtrees/trees'],
    ['oauth2Clients', 'realm-config/agents/OAuth2Client'],
  ];
  for (const [kind, sub] of am) {
    const base = `/am/json/realms/root/realms/:realm/${sub}`;
    const docBase = `/am/json/realms/root/realms/{realm}/${sub}`;
    document(app, 'get', docBase, `Query AM ${kind}`, 'fr:am:*');
    for (const m of ['get', 'put', 'delete'] as const) document(app, m, `${docBase}/{id}`, `${m.toUpperCase()} one of AM ${kind}`, 'fr:am:*');
    // issue 19 item 9: only the tenant's realms exist
    app.use(base, AM_SCOPE, realmGuard);
    app.use(`${base}/*`, AM_SCOPE, realmGuard);
    app.get(base, AM_SCOPE, (c) => {
      const match = objectFilter(c.req.query('_queryFilter') ?? 'true');
      return send(c, queryResult(listAmConfig(c.get('env'), c.req.param('realm')!, kind).filter(match)), 200, IDM_HEADERS);
    });
    app.get(`${base}/:id`, AM_SCOPE, (c) => send(c, getAmConfig(c.get('env'), c.req.param('realm')!, kind, c.req.param('id')!), 200, IDM_HEADERS));
    app.put(`${base}/:id`, AM_SCOPE, async (c) => {
      const res = putAmConfig(c.get('env'), c.get('actor'), c.req.param('realm')!, kind, c.req.param('id')!, await configBody(c));
      return send(c, res.value, res.created ? 201 : 200, IDM_HEADERS);
    });
    app.delete(`${base}/:id`, AM_SCOPE, (c) => send(c, deleteAmConfig(c.get('env'), c.get('actor'), c.req.param('realm')!, kind, c.req.param('id')!), 200, IDM_HEADERS));
  }
}
