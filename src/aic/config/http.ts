// Request plumbing shared by the config area's routes (IDM config, AM realm config, journeys and nodes): CREST
// JSON bodies, the query envelope, the realm check, OpenAPI registration for plain Hono routes.
import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { aicAuth } from '../../core/auth.js';
import { IDM_HEADERS, jsonObject as coreJsonObject, send as coreSend } from '../../core/http.js';
import { matchesFilter, parseQueryFilterParam } from '../../core/queryFilter.js';
import { assertRealm } from '../tenant/service.js';
import type { JsonObject } from './model.js';

export const IDM_READ = aicAuth({ anyOf: ['fr:idm:*'] });
export const AM_READ = aicAuth({ anyOf: ['fr:am:*'] });

/** A config object is a JSON object (core/http.ts: CREST 400 for anything else, an empty body included). */
export const jsonObject = (c: Context<AppEnv>) => coreJsonObject(c, 'crest', { required: true }) as Promise<JsonObject>;

/** CREST query result envelope (as IDM and AM return for `_queryFilter`). */
export function queryResult(result: JsonObject[]) {
  return { result, resultCount: result.length, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: -1 };
}

/** issue 6: the same CREST filter grammar as every other endpoint, evaluated on the whole object (frodo: `name eq '<name>'`). */
export function objectFilter(filter: string): (obj: JsonObject) => boolean {
  const f = parseQueryFilterParam(filter);
  return (obj) => matchesFilter(f, obj);
}

/** recording iga-certification-templates: `application/json;charset=utf-8` and `cache-control: no-store`. */
export function send(c: Context<AppEnv>, body: unknown, status: 200 | 201 = 200): Response {
  return coreSend(c, body, status, IDM_HEADERS);
}

/** The acting principal and transaction id, set by the auth middleware (audit attribution). */
export const ctx = (c: Context<AppEnv>) => c.get('actor');

/** These routes are plain Hono handlers (ids with '/'); register their shape for the OpenAPI document only. */
export function document(app: EnvApp, method: 'get' | 'put' | 'delete' | 'post', path: string, summary: string, scope: string): void {
  const json = z.record(z.string(), z.unknown());
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  app.openAPIRegistry.registerPath({
    method,
    path,
    tags: [path.startsWith('/openidm') ? 'IDM config' : 'AM config'],
    summary: `${summary} (${scope})`,
    ...(params.length ? { request: { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } } : {}),
    ...(method === 'put' ? { request: { ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}), body: { content: { 'application/json': { schema: json } } } } } : {}),
    responses: {
      200: { description: 'Config object', content: { 'application/json': { schema: json } } },
      // AM and IDM answer 201 when a PUT creates the object
      ...(method === 'put' ? { 201: { description: 'Created', content: { 'application/json': { schema: json } } } } : {}),
    },
  });
}

export const realmGuard = createMiddleware<AppEnv>(async (c, next) => {
  assertRealm(c.get('env'), c.req.param('realm') ?? '');
  await next();
});

