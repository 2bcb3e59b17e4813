// fastOpenapi keeps the plain parse of a query string (core/http.ts paramValidator, issue #17): a query string seen
// before is not parsed again. Every answer must stay exactly zod-openapi's, on the first request and on every later
// one with the same string, whatever the handler did to the data it validated, with the kept parses dropped and
// refilled, for fragments, repeated keys, bad enum values, encodings and empty queries.
import { describe, expect, it, vi } from 'vitest';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { HonoRequest } from 'hono/request';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../src/core/types.js';
import { ApiError } from '../src/core/errors.js';
import { fastOpenapi, validationHook } from '../src/core/http.js';

const plainQuery = z.object({ a: z.string().optional(), b: z.enum(['X', 'Y']).optional(), c: z.string().optional() });
const plainParams = z.object({ id: z.string() });

type Build = (app: EnvApp) => EnvApp['openapi'];
const SLOW: Build = (app) => app.openapi.bind(app) as EnvApp['openapi'];
const FAST: Build = fastOpenapi;

function appWith(build: Build, appHook = true) {
  const app = new OpenAPIHono<AppEnv>(appHook ? { defaultHook: validationHook('crest') } : {});
  app.onError((err, c) => (err instanceof ApiError ? c.json(err.body as object, err.status as 400) : c.json({ unexpected: String(err) }, 500)));
  const openapi = build(app);
  // echoes what it validated, then changes it: the next request with the same query must not see the change
  const echo = (c: Context<AppEnv>) => {
    const q = (c.req.valid as (t: string) => Record<string, string> | undefined)('query');
    const p = (c.req.valid as (t: string) => Record<string, string> | undefined)('param');
    const body = JSON.stringify({ query: q ?? null, keys: Object.keys(q ?? {}), param: p ?? null });
    if (q) {
      q.a = 'changed';
      delete q.b;
      q.z = 'added';
    }
    return c.body(body, 200, { 'content-type': 'application/json' });
  };
  openapi(createRoute({ method: 'get', path: '/q', request: { query: plainQuery }, responses: { 200: { description: 'ok' } } }), echo as never);
  openapi(createRoute({ method: 'get', path: '/q/{id}', request: { query: plainQuery, params: plainParams }, responses: { 200: { description: 'ok' } } }), echo as never);
  return app;
}

const PATHS = [
  '/q',
  '/q?',
  '/q?a=x',
  '/q?b=X&a=1',
  '/q?a=1&b=X',
  '/q?b=Z',
  '/q?a=1&a=2',
  '/q?zz=1',
  '/q?__proto__=1',
  '/q?constructor=x&a=1',
  '/q?c=%20%2B+x&b=Y',
  '/q?a=%E2%9C%93',
  '/q?a=%E2%9C',
  '/q?a',
  '/q?a=&b=',
  '/q?&&a=1&',
  '/q?a=1#frag',
  '/q?a=1#',
  '/q#?a=1',
  '/q/7?a=1',
  '/q/%E2%9C%93?b=Y',
  '/q/8?b=nope',
];

async function answer(app: OpenAPIHono<AppEnv>, path: string) {
  const res = await app.request(path);
  return { status: res.status, headers: [...res.headers], body: await res.text() };
}

describe('kept query parses (fastOpenapi)', () => {
  for (const appHook of [true, false]) {
    it(`answer as zod-openapi on the first request and on every repeat (${appHook ? 'app hook' : 'no hook'})`, async () => {
      const slow = appWith(SLOW, appHook);
      const fast = appWith(FAST, appHook);
      for (let round = 0; round < 3; round++) {
        for (const path of PATHS) expect(await answer(fast, path), `${path} (round ${round})`).toEqual(await answer(slow, path));
        // interleaved repeats of one query
        for (const path of PATHS) {
          expect(await answer(fast, path), path).toEqual(await answer(slow, path));
          expect(await answer(fast, path), path).toEqual(await answer(slow, path));
        }
      }
    });
  }

  it('a repeated query is not parsed again; past the bound the kept parses start over and still answer alike', async () => {
    const slow = appWith(SLOW);
    const fast = appWith(FAST);
    const queries = vi.spyOn(HonoRequest.prototype, 'queries');
    try {
      await answer(fast, '/q?a=once&b=X');
      const parsed = queries.mock.calls.length;
      expect(parsed).toBeGreaterThan(0);
      for (let i = 0; i < 5; i++) expect(JSON.parse((await answer(fast, '/q?a=once&b=X')).body)).toEqual({ query: { a: 'once', b: 'X' }, keys: ['a', 'b'], param: null });
      expect(queries.mock.calls.length).toBe(parsed);
      // more distinct queries than are kept, then the first ones again
      for (let i = 0; i < 150; i++) {
        const path = `/q?a=${i}&c=${i % 7}`;
        expect(await answer(fast, path), path).toEqual(await answer(slow, path));
      }
      for (let i = 0; i < 150; i += 13) {
        const path = `/q?a=${i}&c=${i % 7}`;
        expect(await answer(fast, path), path).toEqual(await answer(slow, path));
      }
      expect(await answer(fast, '/q?a=once&b=X')).toEqual(await answer(slow, '/q?a=once&b=X'));
    } finally {
      queries.mockRestore();
    }
  });

  it('a refused query is refused every time (never kept)', async () => {
    const slow = appWith(SLOW);
    const fast = appWith(FAST);
    for (let i = 0; i < 3; i++) {
      for (const path of ['/q?b=Z', '/q?a=1&a=2', '/q/1?b=x']) {
        const got = await answer(fast, path);
        expect(got.status, path).toBe(400);
        expect(got, path).toEqual(await answer(slow, path));
      }
    }
  });
});
