// The precomposed chain of core/router.ts (issue #17): a match of several handlers runs as ONE handler on Hono's
// single-handler fast path. It must behave exactly as Hono's own compose(): the same app is built twice, once on the
// TrieRouter (Hono composes) and once on the CachingRouter with the pipeline, and every scenario must give the same
// status, headers, body and the same trace of what ran — and the composed one must answer synchronously when every
// layer does.
import { describe, expect, it } from 'vitest';
import { Hono, type Context, type MiddlewareHandler, type Next } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import { validator } from 'hono/validator';
import { CachingRouter } from '../src/core/router.js';
import { testEmulator, aicToken, call } from './helpers.js';
import { wireEntryJson } from '../src/aic/logs/service.js';

type Trace = string[];

function build(kind: 'hono' | 'composed') {
  const trace: Trace = [];
  const router = kind === 'hono' ? new TrieRouter<never>() : new CachingRouter<never>();
  const app = new Hono({ router: router as never });
  const onError = (err: Error, c: Context) => {
    trace.push(`onError ${err.message} error=${c.error === err}`);
    return c.json({ error: err.message }, 500);
  };
  const notFound = (c: Context) => {
    trace.push(`notFound ${c.req.path}`);
    return c.text('nothing here', 404);
  };
  app.onError(onError);
  app.notFound(notFound);
  if (router instanceof CachingRouter) router.compose({ onError, notFound });

  // outer: an access log (sees the final status, also of errors rendered inside)
  app.use('*', async (c, next) => {
    trace.push(`log in ${c.req.method} ${c.req.path}`);
    await next();
    trace.push(`log out ${c.res.status}`);
  });
  // a synchronous pass-through, as the emulator's global middlewares
  app.use('*', (c, next) => {
    c.header('x-sync', '1');
    return next();
  });
  // parameters of a middleware's own pattern
  app.use('/p/:a/*', (c, next) => {
    trace.push(`mw a=${c.req.param('a')} all=${JSON.stringify(c.req.param())}`);
    return next();
  });
  // a route with a validator reading its params (as zod-openapi's zValidator does), then the handler
  app.get(
    '/p/:a/q/:b',
    validator('param', (v, c) => {
      trace.push(`validator ${JSON.stringify(v)}`);
      if (v.b === 'bad') return c.json({ invalid: v.b }, 400);
      return v;
    }),
    (c) => c.json({ params: c.req.param(), valid: c.req.valid('param' as never) }),
  );
  app.get('/sync', (c) => c.text('sync'));
  app.get('/async', async (c) => {
    await Promise.resolve();
    return c.text('async');
  });
  app.get('/throw-sync', () => {
    throw new Error('handler sync');
  });
  app.get('/throw-async', async () => {
    await Promise.resolve();
    throw new Error('handler async');
  });
  app.get(
    '/mw-throw-sync',
    () => {
      throw new Error('mw sync');
    },
    (c) => c.text('unreached'),
  );
  app.get(
    '/mw-throw-async',
    async () => {
      await Promise.resolve();
      throw new Error('mw async');
    },
    (c) => c.text('unreached'),
  );
  app.get(
    '/mw-throw-after',
    async (_c, next) => {
      await next();
      throw new Error('mw after');
    },
    (c) => c.text('replaced'),
  );
  app.get(
    '/mw-after-header',
    async (c, next) => {
      await next();
      c.header('x-after', 'yes');
    },
    (c) => c.text('with header'),
  );
  app.get(
    '/mw-short',
    (c) => c.text('short-circuit', 403),
    (c) => c.text('unreached'),
  );
  app.get(
    '/mw-replace',
    async (c, next) => {
      await next();
      return c.text('replaced by middleware', 202); // ignored: c is finalized (Hono: c.res only when not finalized)
    },
    (c) => c.text('original'),
  );
  app.get(
    '/next-twice',
    async (_c, next) => {
      await next();
      await next();
    },
    (c) => c.text('once'),
  );
  app.get(
    '/next-twice-sync',
    (_c, next) => {
      void next();
      return next();
    },
    (c) => c.text('once'),
  );
  app.get(
    '/fall-through',
    (_c, next) => next(),
    (_c, next) => next(),
  );
  app.get('/no-answer', (() => undefined) as unknown as MiddlewareHandler, (c) => c.text('unreached'));
  app.get(
    '/no-answer-after',
    ((_c: Context, next: Next) => {
      void next;
      return Promise.resolve(undefined);
    }) as unknown as MiddlewareHandler,
    (c) => c.text('unreached'),
  );
  app.get(
    '/throw-string',
    () => {
      throw 'not an error';
    },
    (c) => c.text('unreached'),
  );
  app.post('/only-post', (c) => c.text('posted'));
  return { app, trace };
}

async function run(kind: 'hono' | 'composed', method: string, path: string, built = build(kind)) {
  const { app, trace } = built;
  trace.length = 0;
  let out: Response | Promise<Response>;
  try {
    out = app.fetch(new Request(`http://localhost${path}`, { method }));
  } catch (err) {
    return { threw: String(err), trace: [...trace] };
  }
  try {
    const res = await out;
    const headers = [...res.headers.entries()];
    return { status: res.status, headers, body: await res.text(), trace: [...trace] };
  } catch (err) {
    return { rejected: String(err), trace: [...trace] };
  }
}

const cases: Array<[string, string]> = [
  ['GET', '/sync'],
  ['GET', '/async'],
  ['GET', '/p/one/q/two'],
  ['GET', '/p/%C3%A9t%C3%A9/q/x%20y'],
  ['GET', '/p/one/q/bad'],
  ['GET', '/throw-sync'],
  ['GET', '/throw-async'],
  ['GET', '/mw-throw-sync'],
  ['GET', '/mw-throw-async'],
  ['GET', '/mw-throw-after'],
  ['GET', '/mw-after-header'],
  ['GET', '/mw-short'],
  ['GET', '/mw-replace'],
  ['GET', '/next-twice'],
  ['GET', '/next-twice-sync'],
  ['GET', '/fall-through'],
  ['GET', '/no-answer'],
  ['GET', '/no-answer-after'],
  ['GET', '/throw-string'],
  ['GET', '/nowhere'],
  ['GET', '/p/one/nowhere'],
  ['GET', '/only-post'],
  ['POST', '/only-post'],
  ['HEAD', '/sync'],
  ['HEAD', '/p/one/q/two'],
];

describe('precomposed handler chains (core/router.ts composeChain)', () => {
  it.each(cases)('%s %s: the same answer and the same trace as Hono’s compose', async (method, path) => {
    const hono = await run('hono', method, path);
    const built = build('composed');
    expect(await run('composed', method, path, built)).toEqual(hono);
    // again on the same app (the cached match and its composed chain): the same again
    expect(await run('composed', method, path, built)).toEqual(hono);
  });

  it('answers synchronously when every layer does (Hono’s fast path), and only then', async () => {
    // (the apps above have an async outer layer: they answer with a promise, as Hono's compose does)
    // without the async outer layer: a chain of synchronous middlewares and handler answers synchronously
    const router = new CachingRouter<never>();
    const app = new Hono({ router: router as never });
    const onError = (err: Error, c: Context) => c.text(`error ${err.message}`, 500);
    const notFound = (c: Context) => c.text('none', 404);
    app.onError(onError);
    app.notFound(notFound);
    router.compose({ onError, notFound });
    app.use('*', (c, next) => {
      c.set('a' as never, 1 as never);
      return next();
    });
    app.use('*', (_c, next) => next());
    app.get('/x/:id', (_c, next) => next(), (c) => c.text(`x ${c.req.param('id')}`));
    app.get('/boom', (_c, next) => next(), () => {
      throw new Error('boom');
    });
    for (const [path, status, body] of [
      ['/x/7', 200, 'x 7'],
      ['/boom', 500, 'error boom'],
      ['/none', 404, 'none'],
    ] as const) {
      const out = app.fetch(new Request(`http://localhost${path}`));
      expect(out).toBeInstanceOf(Response);
      const res = out as Response;
      expect([res.status, await res.text()]).toEqual([status, body]);
    }
  });

  it('a route with no middleware keeps the router’s own single-handler result', () => {
    const router = new CachingRouter<string>();
    router.compose({ onError: () => new Response(), notFound: () => new Response() });
    router.add('GET', '/only', 'h');
    const trie = new TrieRouter<string>();
    trie.add('GET', '/only', 'h');
    expect(router.match('GET', '/only')).toEqual(trie.match('GET', '/only'));
  });

  it('one composed chain per distinct handler list, not per path', () => {
    const router = new CachingRouter<[unknown, unknown]>();
    router.compose({ onError: () => new Response(), notFound: () => new Response() });
    const mw = (_c: unknown, next: () => unknown) => next();
    const h = () => new Response('x');
    router.add('ALL', '*', [mw, { path: '*' }]);
    router.add('GET', '/v/:id', [h, { path: '/v/:id' }]);
    const first = router.match('GET', '/v/1') as unknown as [Record<number, [[unknown, unknown], unknown]>];
    const second = router.match('GET', '/v/2') as unknown as [Record<number, [[unknown, unknown], unknown]>];
    expect(first).not.toBe(second);
    expect(first[0][0]![0][0]).toBe(second[0][0]![0][0]);
    expect(first[0][1]![1]).toEqual({ id: '1' });
    expect(second[0][1]![1]).toEqual({ id: '2' });
  });
});

describe('the emulator on the composed pipeline', () => {
  it('renders handler and middleware errors in the product format, and the access log records their status', async () => {
    const emu = testEmulator();
    const env = emu.env('dev')!;
    const token = await aicToken(emu, 'dev', ['fr:idc:esv:*']);
    // a domain error thrown by the handler (NotFound), a guard's refusal (no token), a validator's 400, a 405, a 404
    const missing = await call(emu, 'dev', 'GET', '/environment/variables/esv-does-not-exist', { token });
    expect(missing.status).toBe(404);
    const unauth = await call(emu, 'dev', 'GET', '/environment/variables/esv-smtp-host');
    expect(unauth.status).toBe(401);
    const ok = await call(emu, 'dev', 'GET', '/environment/variables/esv-smtp-host', { token });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-forgerock-transactionid')).toBeTruthy();
    const notAllowed = await call(emu, 'dev', 'PATCH', '/monitoring/health');
    expect(notAllowed.status).toBe(405);
    const nowhere = await call(emu, 'dev', 'GET', '/am/json/nowhere/at/all', { token });
    expect(nowhere.status).toBe(404);
    const entries = env.logbook.sources().flatMap((s) => env.logbook.view(s)).map(wireEntryJson);
    for (const [path, status] of [
      ['/environment/variables/esv-does-not-exist', '404'],
      ['/environment/variables/esv-smtp-host', '401'],
      ['/am/json/nowhere/at/all', '404'],
    ] as const) {
      expect(entries.some((p) => p.includes(path) && p.includes(`"statusCode":"${status}"`))).toBe(true);
    }
  });
});
