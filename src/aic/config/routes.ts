// HTTP for promotable config. IDM: /openidm/config[/{id}] (ids contain '/', so these are plain Hono routes with a
// regex segment rather than zod-openapi routes). AM: a subset of the real realm paths (docs/promotion.md).
import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { createMiddleware } from 'hono/factory';
import { aicAuth } from '../../core/auth.js';
import { assertRealm } from '../tenant/service.js';
import { crestError } from '../../core/errors.js';
import { matchesFilter, parseQueryFilterParam } from '../../core/queryFilter.js';
import type { AmKind, JsonObject } from './model.js';
import { deleteAmConfig, deleteIdmConfig, getAmConfig, getIdmConfig, idmView, listAmConfig, listIdmConfig, putAmConfig, putIdmConfig } from './service.js';

const IDM_READ = aicAuth({ anyOf: ['fr:idm:*'] });
const AM_READ = aicAuth({ anyOf: ['fr:am:*'] });

async function jsonObject(c: Context<AppEnv>): Promise<JsonObject> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw crestError(400, 'The request could not be processed because the provided content is not valid JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw crestError(400, 'The request body must be a JSON object');
  return body as JsonObject;
}

/** CREST query result envelope (as IDM and AM return for `_queryFilter`). */
function queryResult(result: JsonObject[]) {
  return { result, resultCount: result.length, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: -1 };
}

/** issue 6: the same CREST filter grammar as every other endpoint, evaluated on the whole object (frodo: `name eq '<name>'`). */
function objectFilter(filter: string): (obj: JsonObject) => boolean {
  const f = parseQueryFilterParam(filter);
  return (obj) => matchesFilter(f, obj);
}

/** recording iga-certification-templates: `application/json;charset=utf-8` and `cache-control: no-store`. */
function send(c: Context<AppEnv>, body: unknown, status: 200 | 201 = 200): Response {
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/json;charset=utf-8', 'cache-control': 'no-store' });
}

const ctx = (c: Context<AppEnv>) => ({ txId: c.get('txId'), principal: c.get('principal') });

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
  app.get('/openidm/config', IDM_READ, (c) => {
    const filter = c.req.query('_queryFilter');
    const all = listIdmConfig(c.get('env'));
    if (filter === undefined) {
      return send(c, { _id: '', configurations: all.map(({ id }) => ({ _id: id, pid: id, factoryPid: id.includes('/') ? id.slice(0, id.indexOf('/')) : null })) });
    }
    const match = objectFilter(filter);
    return send(c, queryResult(all.map(({ id, value }) => idmView(id, value)).filter(match)));
  });
  app.get('/openidm/config/:id{.+}', IDM_READ, (c) => send(c, getIdmConfig(c.get('env'), c.req.param('id')!)));
  app.put('/openidm/config/:id{.+}', IDM_READ, async (c) => {
    const res = putIdmConfig(c.get('env'), ctx(c), c.req.param('id')!, await jsonObject(c));
    return send(c, res.value, 200);
  });
  app.delete('/openidm/config/:id{.+}', IDM_READ, (c) => send(c, deleteIdmConfig(c.get('env'), ctx(c), c.req.param('id')!)));

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
    app.use(base, AM_READ, realmGuard);
    app.use(`${base}/*`, AM_READ, realmGuard);
    app.get(base, AM_READ, (c) => {
      const match = objectFilter(c.req.query('_queryFilter') ?? 'true');
      return send(c, queryResult(listAmConfig(c.get('env'), c.req.param('realm')!, kind).filter(match)));
    });
    app.get(`${base}/:id`, AM_READ, (c) => send(c, getAmConfig(c.get('env'), c.req.param('realm')!, kind, c.req.param('id')!)));
    app.put(`${base}/:id`, AM_READ, async (c) => {
      const res = putAmConfig(c.get('env'), ctx(c), c.req.param('realm')!, kind, c.req.param('id')!, await jsonObject(c));
      return send(c, res.value, res.created ? 201 : 200);
    });
    app.delete(`${base}/:id`, AM_READ, (c) => send(c, deleteAmConfig(c.get('env'), ctx(c), c.req.param('realm')!, kind, c.req.param('id')!)));
  }
}
