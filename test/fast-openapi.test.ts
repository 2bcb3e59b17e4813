// fastOpenapi (core/http.ts): routes whose query and path parameters are checked in one middleware answer exactly as
// @hono/zod-openapi's own validators do — the same validated data (values and key order), the same hook calls, the
// same 400s for bad input (zod's issues through the hook), the same OpenAPI document — with or without a plain schema;
// and a required JSON body checked in one layer as zod-openapi's media-type gate and JSON validator do (issue #17).
import { describe, expect, it } from 'vitest';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Hook } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../src/core/types.js';
import { ApiError } from '../src/core/errors.js';
import { fastOpenapi, validationHook } from '../src/core/http.js';
import { DEFAULT_BODY_LIMITS, requestLimits } from '../src/core/limits.js';
import { CachingRouter } from '../src/core/router.js';
import { HTTPException } from 'hono/http-exception';

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

// ---------------------------------------------------------------- required JSON bodies (issue #17)
// The body layer answers every request as zod-openapi's media-type gate and JSON validator do, with the body text the
// limits middleware read (as on every environment app): the fast path (no promise) for JSON content types, theirs for
// the rest.
const putBody = z.object({ v: z.number({ error: 'v must be a number' }), s: z.string().optional() }).passthrough();
const asyncBody = z.object({ v: z.number() }).refine(async (b) => b.v !== 13, { message: 'unlucky' });

function bodyApp(build: Build, opts: { routeHook?: unknown; appHook?: boolean; limits?: boolean; composed?: boolean } = {}) {
  const hooks: unknown[] = [];
  const fastRuns: boolean[] = [];
  // composed: the environment apps' router, whose matches run as one precomposed chain (core/router.ts)
  const router = new CachingRouter<never>();
  const app = new OpenAPIHono<AppEnv>({ ...(opts.appHook === false ? {} : { defaultHook: validationHook('crest') }), ...(opts.composed ? { router } : {}) });
  const onError = (err: Error, c: Context) => {
    if (err instanceof ApiError) return c.json(err.body as object, err.status as 400);
    if (err instanceof HTTPException) return c.json({ http: err.status, message: err.message }, err.status);
    return c.json({ unexpected: String(err) }, 500);
  };
  app.onError(onError);
  if (opts.composed) router.compose({ onError, notFound: (c) => c.json({ notFound: true }, 404) });
  if (opts.limits !== false) app.use('*', requestLimits('aic', DEFAULT_BODY_LIMITS));
  const openapi = build(app);
  const spy = (opts.routeHook ?? ((result: unknown, c: unknown) => {
    hooks.push(JSON.parse(JSON.stringify(result)));
    return (validationHook('env') as (r: unknown, c: unknown) => unknown)(result, c);
  })) as never;
  const echo = (c: Context<AppEnv>) => {
    // whether the body was parsed once for the request (the fast path), kept out of the answer compared
    fastRuns.push(c.get('bodyJson') !== undefined);
    const valid = (c.req.valid as (t: string) => unknown)('json');
    return c.json({ json: valid ?? null, keys: Object.keys((valid ?? {}) as object), param: (c.req.valid as (t: string) => unknown)('param') ?? null });
  };
  const body = (schema: z.ZodTypeAny) => ({ content: { 'application/json': { schema } }, required: true });
  openapi(createRoute({ method: 'put', path: '/things/{id}', request: { params: z.object({ id: z.string() }), body: body(putBody) }, responses: { 200: { description: 'ok' } } }), echo as never, spy);
  openapi(createRoute({ method: 'post', path: '/plain', request: { body: body(putBody) }, responses: { 200: { description: 'ok' } } }), echo as never);
  openapi(createRoute({ method: 'post', path: '/async', request: { body: body(asyncBody) }, responses: { 200: { description: 'ok' } } }), echo as never);
  // not taken over: an optional body, two media types
  openapi(createRoute({ method: 'post', path: '/optional', request: { body: { content: { 'application/json': { schema: putBody } } } }, responses: { 200: { description: 'ok' } } }), echo as never);
  openapi(createRoute({ method: 'post', path: '/two', request: { body: { content: { 'application/json': { schema: putBody }, 'application/x-www-form-urlencoded': { schema: putBody } }, required: true } }, responses: { 200: { description: 'ok' } } }), echo as never);
  return { app, hooks, fastRuns };
}

const J = 'application/json';
const BODIES: [string, string, Record<string, string> | [string, string][], string | undefined][] = [
  ['PUT', '/things/1', { 'content-type': J }, '{"v":1}'],
  ['PUT', '/things/1', { 'content-type': J }, '{"s":"x","v":1,"extra":[1,{"a":null}]}'],
  ['PUT', '/things/1', { 'content-type': J }, '{"v":"x"}'],
  ['PUT', '/things/1', { 'content-type': J }, '{}'],
  ['PUT', '/things/1', { 'content-type': J }, '[1,2]'],
  ['PUT', '/things/1', { 'content-type': J }, 'null'],
  ['PUT', '/things/1', { 'content-type': J }, '"text"'],
  ['PUT', '/things/1', { 'content-type': J }, '{"v":1'],
  ['PUT', '/things/1', { 'content-type': J }, 'not json'],
  ['PUT', '/things/1', { 'content-type': J }, '   '],
  ['PUT', '/things/1', { 'content-type': J }, ''],
  ['PUT', '/things/1', { 'content-type': J }, undefined],
  ['PUT', '/things/1', { 'content-type': J }, '{"__proto__":{"v":2},"v":1}'],
  ['PUT', '/things/1', { 'content-type': J }, '\ufeff{"v":1}'],
  ['PUT', '/things/1', { 'content-type': 'application/json;charset=utf-8' }, '{"v":1}'],
  ['PUT', '/things/1', { 'content-type': 'application/json; charset=UTF-8' }, '{"v":2}'],
  ['PUT', '/things/1', { 'content-type': 'APPLICATION/JSON' }, '{"v":3}'],
  ['PUT', '/things/1', { 'content-type': 'application/merge-patch+json' }, '{"v":4}'],
  ['PUT', '/things/1', { 'content-type': 'application/vnd.x_y+json' }, '{"v":5}'],
  ['PUT', '/things/1', { 'content-type': 'application/json ' }, '{"v":6}'],
  ['PUT', '/things/1', { 'content-type': 'application/json;' }, '{"v":7}'],
  ['PUT', '/things/1', { 'content-type': 'application/json; charset' }, '{"v":8}'],
  ['PUT', '/things/1', { 'content-type': 'application/jsonx' }, '{"v":9}'],
  ['PUT', '/things/1', { 'content-type': 'text/plain' }, '{"v":1}'],
  ['PUT', '/things/1', { 'content-type': 'application/x-www-form-urlencoded' }, 'v=1'],
  ['PUT', '/things/1', [['content-type', J], ['content-type', 'text/plain']], '{"v":1}'],
  ['PUT', '/things/1', [['content-type', J], ['content-type', J]], '{"v":1}'],
  ['PUT', '/things/1', {}, '{"v":1}'],
  ['PUT', '/things/1', {}, undefined],
  ['POST', '/plain', { 'content-type': J }, '{"v":1}'],
  ['POST', '/plain', { 'content-type': J }, '{"v":true}'],
  ['POST', '/plain', { 'content-type': J }, 'nope'],
  ['POST', '/async', { 'content-type': J }, '{"v":1}'],
  ['POST', '/async', { 'content-type': J }, '{"v":13}'],
  ['POST', '/async', { 'content-type': J }, '{"v":"x"}'],
  ['POST', '/optional', { 'content-type': J }, '{"v":1}'],
  ['POST', '/optional', {}, undefined],
  ['POST', '/two', { 'content-type': J }, '{"v":1}'],
  ['POST', '/two', { 'content-type': 'application/x-www-form-urlencoded' }, 'v=1'],
];

async function bodyAnswers(app: OpenAPIHono<AppEnv>) {
  const out = [];
  for (const [method, path, headers, body] of BODIES) {
    const req = `${method} ${path} ${JSON.stringify(headers)} ${body}`;
    const res = await app.request(path, { method, headers, body });
    // (Hono's own compose answers a Context, not a Response, for some failures of zod-openapi's validators: kept as is)
    if (!(res instanceof Response)) {
      out.push({ req, notResponse: (res as object).constructor.name });
      continue;
    }
    out.push({ req, status: res.status, headers: [...res.headers], body: await res.text() });
  }
  return out;
}

describe('fastOpenapi: required JSON bodies', () => {
  it('answers every body as zod-openapi’s gate and JSON validator do (status, headers, body, hook calls, data)', async () => {
    const slow = bodyApp(SLOW);
    const fast = bodyApp(FAST);
    expect(await bodyAnswers(fast.app)).toEqual(await bodyAnswers(slow.app));
    expect(fast.hooks).toEqual(slow.hooks);
    // the fast path really ran for the JSON bodies it takes (and the slow app never parsed once)
    expect(slow.fastRuns.every((f) => !f)).toBe(true);
    expect(fast.fastRuns.filter((f) => f).length).toBeGreaterThanOrEqual(8);
    const ok = await answer(fast.app, '/things/7', { method: 'PUT', headers: { 'content-type': J }, body: '{"s":"a","v":1,"z":2}' });
    expect(JSON.parse(ok.body)).toEqual({ json: { v: 1, s: 'a', z: 2 }, keys: ['v', 's', 'z'], param: { id: '7' } });
  });

  it('the same without the limits middleware (no body text kept: their layers answer), and without any hook', async () => {
    for (const opts of [{ limits: false }, { appHook: false }, { composed: true }, { composed: true, limits: false }, { composed: true, appHook: false }]) {
      const slow = bodyApp(SLOW, opts);
      const fast = bodyApp(FAST, opts);
      expect(await bodyAnswers(fast.app)).toEqual(await bodyAnswers(slow.app));
    }
  });

  it('a hook answering a Response, { response }, or asynchronously, is honoured as before', async () => {
    const respond = ((r: { success: boolean; target: string }, c: { json: (b: unknown, s: number) => Response }) => (r.target === 'json' && !r.success ? c.json({ hooked: true }, 422) : undefined)) as never;
    const wrapped = ((r: { success: boolean; target: string }, c: { json: (b: unknown, s: number) => Response }) => (r.target === 'json' ? { response: c.json({ wrapped: r.success }, 202) } : undefined)) as never;
    const later = ((r: { success: boolean }) => Promise.resolve().then(() => {
      if (!r.success) throw new ApiError(400, { later: true });
    })) as never;
    for (const routeHook of [respond, wrapped, later]) {
      for (const composed of [false, true]) {
        const slow = bodyApp(SLOW, { routeHook, composed });
        const fast = bodyApp(FAST, { routeHook, composed });
        expect(await bodyAnswers(fast.app)).toEqual(await bodyAnswers(slow.app));
      }
    }
  });

  it('registers the same OpenAPI document', () => {
    const doc = (build: Build) => bodyApp(build).app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    expect(JSON.stringify(doc(FAST))).toBe(JSON.stringify(doc(SLOW)));
  });
});
