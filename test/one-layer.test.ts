// oneLayer (core/http.ts): route middleware run as one layer of Hono's dispatch behave as when each had its own layer:
// in order, downstream once, a throw (synchronous or from a promise) rendered by the app's error handler with what
// the members before it set.
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../src/core/types.js';
import { errorShape, oneLayer } from '../src/core/http.js';

function appWith(layer: ReturnType<typeof oneLayer>) {
  const seen: string[] = [];
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    await next();
    seen.push(`outer after ${c.res.status}`);
  });
  app.onError((err, c) => c.json({ error: err.message, shape: c.get('errorShape') ?? null }, 418));
  app.get('/x/:id', layer, (c) => {
    seen.push(`handler ${c.req.param('id')}`);
    return c.json({ shape: c.get('errorShape') });
  });
  return { app, seen };
}

const mark = (seen: () => string[], name: string) =>
  createMiddleware<AppEnv>((_c, next) => {
    seen().push(name);
    return next();
  });

describe('oneLayer', () => {
  it('runs its members in order, then the route, once', async () => {
    let log: string[] = [];
    const { app, seen } = appWith(oneLayer(errorShape('env'), mark(() => log, 'a'), mark(() => log, 'b')));
    log = seen;
    const res = await app.request('/x/42');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ shape: 'env' });
    expect(seen).toEqual(['a', 'b', 'handler 42', 'outer after 200']);
  });

  it('renders a member’s throw, synchronous or async, through the error handler with the shape set before it', async () => {
    const sync = createMiddleware<AppEnv>(() => {
      throw new Error('sync refusal');
    });
    const later = createMiddleware<AppEnv>(() => Promise.resolve().then(() => {
      throw new Error('async refusal');
    }));
    for (const [member, msg] of [[sync, 'sync refusal'], [later, 'async refusal']] as const) {
      const { app, seen } = appWith(oneLayer(errorShape('iga'), member));
      const res = await app.request('/x/1');
      expect(res.status).toBe(418);
      expect(await res.json()).toEqual({ error: msg, shape: 'iga' });
      expect(seen).toEqual(['outer after 418']);
    }
  });

  it('is the member itself when there is one', () => {
    const m = errorShape('crest');
    expect(oneLayer(m)).toBe(m);
  });
});
