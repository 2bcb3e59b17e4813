// fastOpenapi (core/http.ts): routes whose query and path parameters are checked in one middleware answer exactly as
// @hono/zod-openapi's own validators do — the same validated data (values and key order), the same hook calls, the
// same 400s for bad input (zod's issues through the hook), the same OpenAPI document — with or without a plain schema.
import { describe, expect, it } from 'vitest';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Hook } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../src/core/types.js';
import { ApiError } from '../src/core/errors.js';
import { fastOpenapi, validationHook } from '../src/core/http.js';

const plainQuery = z.object({ a: z.string().optional(), b: z.enum(['X', 'Y']).optional(), c: z.string().optional().openapi({ example: 'c' }) });
const checkedQuery = z.object({ n: z.string().regex(/^\d+$/).optional(), t: z.string().optional() });
const refinedQuery = z.object({ a: z.string().optional() }).refine((q) => q.a !== 'no', { message: 'not no' });
const requiredQuery = z.object({ _action: z.string({ error: 'Missing _action parameter' }) });
const plainParams = z.object({ id: z.string(), sub: z.string().openapi({ param: { name: 'sub', in: 'path' } }) });

type Build = (app: EnvApp) => EnvApp['openapi'];
const SLOW: Build = (app) => app.openapi.bind(app) as EnvApp['openapi'];
const FAST: Build = fastOpenapi;

function appWith(build: Build, opts: { appHook?: boolean; routeHook?: Hook<unknown, AppEnv, string, unknown> } = {}) {
  const hooks: unknown[] = [];
  const app = new OpenAPIHono<AppEnv>(opts.appHook === false ? {} : { defaultHook: validationHook('crest') });
  app.onError((err, c) => (err instanceof ApiError ? c.json(err.body as object, err.status as 400) : c.json({ unexpected: String(err) }, 500)));
  const openapi = build(app);
  const echo = (c: Context<AppEnv>) => c.json({ query: (c.req.valid as (t: string) => unknown)('query') ?? null, param: (c.req.valid as (t: string) => unknown)('param') ?? null, keys: [Object.keys(((c.req.valid as (t: string) => unknown)('query') ?? {}) as object), Object.keys(((c.req.valid as (t: string) => unknown)('param') ?? {}) as object)] });
  const spy = opts.routeHook ?? (((result: unknown, c: unknown) => {
    hooks.push(JSON.parse(JSON.stringify(result)));
    return (validationHook('env') as (r: unknown, c: unknown) => unknown)(result, c);
  }) as never);
  openapi(createRoute({ method: 'get', path: '/plain/{id}/{sub}', request: { query: plainQuery, params: plainParams }, responses: { 200: { description: 'ok' } } }), echo as never, spy as never);
  openapi(createRoute({ method: 'get', path: '/checked', request: { query: checkedQuery }, responses: { 200: { description: 'ok' } } }), echo as never);
  openapi(createRoute({ method: 'get', path: '/refined', request: { query: refinedQuery }, responses: { 200: { description: 'ok' } } }), echo as never);
  openapi(createRoute({ method: 'post', path: '/action/{id}', request: { query: requiredQuery, params: z.object({ id: z.string() }), body: { content: { 'application/json': { schema: z.object({ v: z.number() }) } }, required: true } }, responses: { 200: { description: 'ok' } } }), ((c: never) => (echo as (c: never) => Response)(c)) as never);
  return { app, hooks };
}

const GETS = [
  '/plain/1/2',
  '/plain/1/2?',
  '/plain/1/2?a=x',
  '/plain/1/2?b=X&a=1',
  '/plain/1/2?b=Z',
  '/plain/1/2?a=1&a=2',
  '/plain/1/2?zz=1',
  '/plain/1/2?__proto__=1',
  '/plain/1/2?constructor=x&a=1',
  '/plain/1/2?c=%20%2B+x&b=Y',
  '/plain/%E2%9C%93/x%2Fy?a=%E2%9C%93',
  '/plain/1/2?a',
  '/plain/1/2?a=&b=',
  '/plain/1/2?&&a=1&',
  '/checked',
  '/checked?n=12',
  '/checked?n=1x',
  '/checked?t=1&t=2',
  '/refined',
  '/refined?a=no',
  '/refined?a=yes',
];

async function answer(app: OpenAPIHono<AppEnv>, path: string, init?: RequestInit) {
  const res = await app.request(path, init);
  return { status: res.status, headers: [...res.headers], body: await res.text() };
}

describe('fastOpenapi', () => {
  it('answers every request as zod-openapi’s validators do (data, key order, hooks, 400s)', async () => {
    const slow = appWith(SLOW);
    const fast = appWith(FAST);
    for (const path of GETS) {
      expect(await answer(fast.app, path), path).toEqual(await answer(slow.app, path));
    }
    expect(fast.hooks).toEqual(slow.hooks);
    // the same routes are refused and accepted as before, and a plain schema is really skipped for good input
    expect((await answer(fast.app, '/plain/1/2?b=Z')).status).toBe(400);
    expect(JSON.parse((await answer(fast.app, '/plain/1/2?b=X&a=1')).body)).toEqual({ query: { a: '1', b: 'X' }, param: { id: '1', sub: '2' }, keys: [['a', 'b'], ['id', 'sub']] });
  });

  it('keeps the order query, path, body and the body validator', async () => {
    const slow = appWith(SLOW);
    const fast = appWith(FAST);
    const posts: [string, RequestInit][] = [
      ['/action/1?_action=go', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"v":1}' }],
      ['/action/1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"v":1}' }],
      ['/action/1?_action=go', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"v":"x"}' }],
      ['/action/1?_action=go', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }],
      ['/action/1?_action=a&_action=b', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
    ];
    for (const [path, init] of posts) expect(await answer(fast.app, path, init), path).toEqual(await answer(slow.app, path, init));
  });

  it('without a hook anywhere, a failure is zod-validator’s own 400', async () => {
    const slow = appWith(SLOW, { appHook: false });
    const fast = appWith(FAST, { appHook: false });
    for (const path of ['/checked?n=x', '/refined?a=no', '/checked?n=1']) expect(await answer(fast.app, path), path).toEqual(await answer(slow.app, path));
  });

  it('a hook answering a Response, or asynchronously, is honoured as before', async () => {
    const respond = ((r: { success: boolean; target: string }, c: { json: (b: unknown, s: number) => Response }) => (r.target === 'param' ? c.json({ hooked: r.success }, 202) : undefined)) as never;
    const later = ((r: { success: boolean }) => Promise.resolve().then(() => {
      if (!r.success) throw new ApiError(400, { later: true });
    })) as never;
    for (const routeHook of [respond, later]) {
      const slow = appWith(SLOW, { routeHook });
      const fast = appWith(FAST, { routeHook });
      for (const path of ['/plain/1/2', '/plain/1/2?a=1&a=2', '/plain/1/2?b=X']) expect(await answer(fast.app, path), path).toEqual(await answer(slow.app, path));
    }
  });

  it('registers the same OpenAPI document', () => {
    const doc = (build: Build) => appWith(build).app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    expect(JSON.stringify(doc(FAST))).toBe(JSON.stringify(doc(SLOW)));
  });
});
