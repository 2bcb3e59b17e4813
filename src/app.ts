// Composes one product's Hono app (shared by all its environments): common middleware, the control plane, then each
// area's routes. The environment a request is for travels in its fetch bindings (c.env.environment), not in the app.
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { Context } from 'hono';
import type { AnyArea, AppEnv, EnvApp, EnvBindings } from './core/types.js';
import { ApiError, DomainError, adminError, productError, type Product } from './core/errors.js';
import { aicWireError } from './aic/errors.js';
import { iscWireError } from './isc/shared/errors.js';
import { transactionIdFor } from './core/ids.js';
import { notJsonError, validationHook, type ErrorShape } from './core/http.js';
import { requestHeader } from './core/requestHeader.js';
import type { Environment, ProductName } from './environment.js';
import type { Emulator } from './emulator.js';
import { adminApp } from './admin/routes.js';
import { faultMiddleware } from './admin/faults.js';
import { requestLimits, wireError as pathWireError } from './core/limits.js';
import { methodIndex } from './core/methods.js';
import { controlPlaneGuard } from './admin/guard.js';
import { CachingRouter } from './core/router.js';
import { stampTransactionId } from './core/response.js';
import { HEALTH_PATH, HEALTHY } from './core/health.js';

/** A service's domain error in the wire format of the route's error shape: one mapping per product. */
export function wireError(shape: ErrorShape, err: DomainError): ApiError {
  if (shape === 'isc') return iscWireError(err);
  if (shape === 'admin') return adminError(err.status, err.message);
  return aicWireError(shape, err);
}

/** Render an ApiError, a domain error (or anything thrown) in the product's own format; never a stack trace. */
export function renderError(product: Product, err: unknown, c: Context<AppEnv>): Response {
  let apiErr: ApiError;
  if (err instanceof ApiError) apiErr = err;
  else if (err instanceof DomainError) apiErr = wireError(c.get('errorShape') ?? (product === 'aic' ? 'crest' : 'isc'), err);
  else if (err instanceof HTTPException) {
    // Hono's JSON validator refusing an unparsable body: the route's own "not JSON" answer (core/http BODY_ERRORS)
    if (err.status === 400 && /json/i.test(err.message)) apiErr = notJsonError(c.get('errorShape') ?? (product === 'aic' ? 'crest' : 'isc'));
    else apiErr = productError(product, err.status as ApiError['status'], err.message || 'Bad Request');
  } else {
    console.error(`[emulator] ${c.req.method} ${c.req.path} failed:`, err);
    // S2 500 example: ISC says "An internal fault occurred."
    apiErr = productError(product, 500, product === 'isc' ? 'An internal fault occurred.' : 'An internal error occurred');
  }
  for (const [k, v] of Object.entries(apiErr.headers)) c.header(k, v);
  return c.json(apiErr.body as object, apiErr.status);
}

/**
 * The app of one product, built once per emulator and shared by the product's environments (issue #17: one build
 * instead of one per environment). Nothing here may hold an environment: every request carries its own in its
 * bindings (server.ts dispatcher on a listener, environmentApp() in-process), and the first middleware sets c.get('env').
 */
export function buildApp(emulator: Emulator, product: ProductName, areas: readonly AnyArea[], deferRoutes?: (register: () => void) => void): EnvApp {
  // zod failures become the product's 400 (routes of another error shape pass their own hook)
  const router = new CachingRouter<never>();
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook(product === 'aic' ? 'crest' : 'isc'), router });

  app.use('*', (c, next) => {
    const bindings = c.env as EnvBindings;
    const env = bindings.environment;
    c.set('env', env);
    // AIC echoes the caller's transaction id (recordings: frodo-… in and out) or makes one (S4 L6100–6150)
    const txId = transactionIdFor(requestHeader(c, 'x-forgerock-transactionid'));
    c.set('txId', txId);
    // on a listener the header goes on the Node response (core/response.ts EmulatorResponse puts it first into writeHead's
    // headers), so Hono builds no Headers object and @hono/node-server stays on its fast path; in-process, on the
    // context
    if (product === 'aic' && !stampTransactionId(bindings.outgoing, txId)) c.header('x-forgerock-transactionid', txId);
    env.tick();
    // a write on a persistent store is flushed before the response goes out; anything else passes synchronously (no
    // promise of its own)
    // (next() is synchronous when the rest of the chain is: core/router.ts composeChain)
    if (env.store.persistent && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const done = next() as unknown;
      return done instanceof Promise ? done.then(() => env.store.flush()) : env.store.flush();
    }
    return next();
  });
  const onError = (err: Error, c: Context): Response => renderError(product, err, c as Context<AppEnv>);
  app.onError(onError);
  let methodsOf: ((path: string) => string[]) | undefined;
  const notFound = (c: Context): Response => {
    // a path some route serves, called with another method: 405 with Allow (the route table is read once, on a miss)
    const allowed = (methodsOf ??= methodIndex(app.routes))(c.req.path);
    if (allowed.length && !allowed.includes(c.req.method)) {
      c.header('allow', allowed.join(', '));
      return renderError(product, pathWireError(product, c.req.path, 405, 'Method Not Allowed'), c as Context<AppEnv>);
    }
    const msg = product === 'aic' ? `Resource '${c.req.path.replace(/^\//, '')}' not found` : `The requested resource ${c.req.path} was not found.`;
    return renderError(product, productError(product, 404, msg), c as Context<AppEnv>);
  };
  app.notFound(notFound);
  // every match of several handlers runs as one composed handler on Hono's single-handler fast path (issue #17)
  router.compose({ onError, notFound });

  // the control plane refuses foreign Hosts, cross-origin callers and non-JSON bodies before anything reads them
  if (emulator.admin) app.use('/__emulator/*', controlPlaneGuard(emulator));
  // size and depth limits before anything reads a body (bodiless requests pass straight through)
  app.use('*', requestLimits(product, emulator.bodyLimits));
  for (const area of areas) area.middleware?.(app);
  app.use('*', faultMiddleware(emulator.faults));
  if (emulator.admin) {
    app.get('/__emulator/', (c) => c.redirect('/__emulator/ui'));
    app.route('/__emulator', adminApp(emulator));
  }
  // S4 L4692–4702: public health check, 200 "OK" when healthy (a fault rule makes it 503 "Service Unavailable"); on a
  // listener a plain GET of it is answered before the app (core/health.ts)
  app.get(HEALTH_PATH, (c) => c.text(HEALTHY));
  // the product routes, last: now, or when the caller registers them (Emulator.appOf: a health check needs none of
  // them; issue #17: start-up)
  const register = () => {
    for (const area of areas) area.routes?.(app);
  };
  if (deferRoutes) deferRoutes(register);
  else register();
  return app;
}

/**
 * One environment's view of its product's shared app, for in-process calls (`env.app.request()`, `env.app.fetch()`):
 * the same routes, OpenAPI registry and route table, with the environment put in every request's bindings. Hono's
 * fetch and request are arrow properties bound to the shared app, so the view replaces both.
 */
export function environmentApp(shared: EnvApp, env: Environment): EnvApp {
  const own: EnvBindings = { environment: env }; // read-only to the app: one object serves every bindings-less call
  const bind = (b: unknown): EnvBindings => (b === undefined ? own : { ...(b as object), environment: env });
  const view = Object.create(shared) as EnvApp;
  view.fetch = (req, b, ctx) => shared.fetch(req, bind(b), ctx);
  view.request = (input, init, b, ctx) => shared.request(input, init, bind(b), ctx);
  return view;
}
