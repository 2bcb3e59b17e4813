// The emulator's own control plane under /__emulator (issue "Foundation" §7): JSON in and out.
// Areas add their own control routes (faults, identity lifecycle, token minting) through Area.adminRoutes.
import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppEnv, EnvApp } from '../core/types.js';
import { ApiError, DomainError, adminError } from '../core/errors.js';
import { adminBody, parseJsonText } from '../core/http.js';
import type { Emulator } from '../emulator.js';
import type { Environment } from '../environment.js';
import { FixtureError, TopologyError } from '../fixtures/load.js';
import { credentials, listEnvironments } from './service.js';
import { openApiDocument } from '../openapi.js';
import { faultRuleInput } from './faults.js';
import { eventStream } from './events.js';
import { registerConsole } from './ui/routes.js';
import { lazy } from '../core/lazy.js';
import { MAX_TIMESTAMP_MS } from '../core/timestamps.js';

const resetBody = lazy(() => z.object({ env: z.string().optional() }));
const clockBody = lazy(() =>
  z.object({ advanceMs: z.number().finite().optional(), frozen: z.boolean().optional(), scale: z.number().finite().positive().max(1_000_000).optional() }).strict(),
);

export function adminApp(emulator: Emulator): EnvApp {
  const admin = new OpenAPIHono<AppEnv>();
  admin.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.body as object, err.status);
    if (err instanceof DomainError) return c.json({ error: err.message }, err.status);
    if (err instanceof FixtureError) return c.json({ error: 'invalid fixture', details: err.issues }, 400);
    if (err instanceof TopologyError) return c.json({ error: err.message }, 409);
    console.error('[emulator] control plane error:', err);
    return c.json({ error: 'internal error' }, 500);
  });
  admin.notFound((c) => c.json({ error: `no control-plane route ${c.req.method} ${c.req.path}` }, 404));

  const pickEnv = (name: string | undefined): Environment | undefined => {
    if (name === undefined) return undefined;
    const e = emulator.env(name);
    if (!e) throw adminError(404, `no environment ${name}`);
    return e;
  };

  // the inspector page (relative links resolve under /__emulator/)
  admin.get('/', (c) => c.redirect('/__emulator/ui'));
  admin.get('/events', (c) => eventStream(c, emulator));
  registerConsole(admin, emulator);
  admin.get('/environments', (c) => c.json(listEnvironments(emulator)));
  admin.get('/credentials', (c) => c.json(credentials(emulator)));

  admin.post('/reset', async (c) => {
    // the environment by `?env=` or by a JSON body's `env` (what clients that post a body expect); both must agree
    const body = await adminBody(c, resetBody());
    const query = c.req.query('env');
    if (query !== undefined && body.env !== undefined && query !== body.env) throw adminError(400, `env ${query} in the query and ${body.env} in the body disagree`);
    const target = pickEnv(query ?? body.env);
    await emulator.reset(target?.name);
    return c.json({ reset: target ? [target.name] : emulator.environments.map((e) => e.name) });
  });

  admin.get('/snapshot', (c) => c.json(emulator.snapshot()));

  admin.post('/seed', async (c) => {
    const text = await c.req.text();
    parseJsonText(text, 'admin', { required: true });
    await emulator.seed(text);
    return c.json({ seeded: emulator.environments.map((e) => e.name) });
  });

  admin.get('/clock', (c) => c.json(emulator.clock.state()));
  admin.post('/clock', async (c) => {
    const body = await adminBody(c, clockBody());
    // the clock stays within what a timestamp can say: 1970-01-01 to 9999-12-31 (ISO 8601's four-digit years)
    if (body.advanceMs !== undefined) {
      const target = emulator.clock.now() + body.advanceMs;
      if (!(target >= 0 && target <= MAX_TIMESTAMP_MS)) throw adminError(400, `advanceMs would move the clock to ${target} ms, outside 1970-01-01T00:00:00.000Z … 9999-12-31T23:59:59.999Z`);
    }
    if (body.frozen !== undefined) emulator.clock.setFrozen(body.frozen);
    if (body.scale !== undefined) emulator.clock.setScale(body.scale);
    if (body.advanceMs !== undefined) emulator.clock.advance(body.advanceMs);
    emulator.changes.notify('*', 'clock');
    emulator.tick();
    for (const e of emulator.environments) e.changed(); // persist the new emulator time with a data dir
    await emulator.flush();
    return c.json(emulator.clock.state());
  });

  // POST /token: each product's oauth area (admin/token.ts)

  // Generic fault injection: { env?, method?, path, status?, body?, headers?, delayMs?, times? }
  admin.get('/faults', (c) => c.json({ faults: emulator.faults.list() }));
  admin.post('/faults', async (c) => {
    const input = await adminBody(c, faultRuleInput());
    if (input.env !== undefined) pickEnv(input.env);
    let rule;
    try {
      rule = emulator.faults.add(input);
    } catch {
      throw adminError(400, `path is not a valid regular expression: ${input.path}`);
    }
    emulator.changes.notify('*', 'faults');
    return c.json(rule, 201);
  });
  admin.delete('/faults/:id', (c) => {
    if (!emulator.faults.remove(c.req.param('id'))) throw adminError(404, `no fault ${c.req.param('id')}`);
    emulator.changes.notify('*', 'faults');
    return c.body(null, 204);
  });
  admin.delete('/faults', (c) => {
    emulator.faults.clear();
    emulator.changes.notify('*', 'faults');
    return c.body(null, 204);
  });

  admin.get('/openapi.json', (c) => {
    const product = c.req.query('product') ?? c.get('env').product;
    const source = product === 'isc' ? emulator.isc : product === 'aic' ? emulator.aicEnvironments[0] : undefined;
    if (!source) throw adminError(404, `no product ${product}`);
    return c.json(openApiDocument(source));
  });

  const registered = new Set<string>();
  for (const e of emulator.environments) {
    for (const area of e.areas) {
      if (!area.adminRoutes || registered.has(area.name)) continue;
      registered.add(area.name);
      area.adminRoutes(admin, emulator);
    }
  }
  return admin;
}
