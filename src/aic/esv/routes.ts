// ESV HTTP surface (SPEC §2): /environment/variables, /environment/secrets (+ versions), /environment/startup,
// /environment/count, /environment/release. HTTP only: rules live in service.ts.
import { createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, EnvApp, RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { aicAuth } from '../../core/auth.js';
import { Invalid } from '../../core/errors.js';
import { checkJsonBodyNow, errorShape, fastOpenapi, jsonBody, jsonText, oneLayer, productMessageHook, rawQuery, validationHook } from '../../core/http.js';
import { keptView } from '../../core/viewCache.js';
import { raw } from '../../core/tracking.js';
import { PagingError, envQueryResponse, pageOf, parsePageRequest, parseTotalPolicy } from '../../core/crest.js';
import { matchesFilter, parseQueryFilterParam } from '../../core/queryFilter.js';
import { assertEsvWritable } from '../promotion/guard.js';
import {
  changeStatusBody,
  descriptionBody,
  errorBody,
  pagedOf,
  putSecretBody,
  putVariableBody,
  secretView as secretSchema,
  variableView as variableSchema,
  versionCreateBody,
  versionView as versionSchema,
  type Secret,
  type Variable,
} from './model.js';
import * as svc from './service.js';
import { lazy } from '../../core/lazy.js';

const READ = 'fr:idc:esv:read';
const UPDATE = 'fr:idc:esv:update';
const RESTART = 'fr:idc:esv:restart';

/**
 * Every ESV endpoint: S4 L3140 — while the environment is locked for a promotion the ESV API is blocked (reads too);
 * a finished restart is applied first; a body that is not JSON gets the environment API's `{code,message}` 400.
 */
const notLockedForPromotion = createMiddleware<AppEnv>((c, next) => {
  const env = c.get('env');
  assertEsvWritable(env);
  svc.settleRestart(env);
  if (c.req.method === 'PUT' || c.req.method === 'POST') {
    // a body the limits middleware read is checked without a promise (issue #17), else read and checked as before
    if (checkJsonBodyNow(c, 'env')) return next();
    return jsonBody(c, 'env').then(() => next());
  }
  // reads: synchronous, no promise of their own
  return next();
});

/** Domain errors of the ESV service answer in the environment API's `{code, message}` (aic/errors.ts). */
const ENV_ERRORS = errorShape('env');
const guard = (scope: string | string[]): MiddlewareHandler<AppEnv>[] => [oneLayer(ENV_ERRORS, aicAuth({ anyOf: Array.isArray(scope) ? scope : [scope] }), notLockedForPromotion)];

/** zod failures in the environment API's own body (recordings esv-*: `{"code":400,"message":…}`). */
const hook = validationHook('env');
/** Bodies and actions are checked by schemas carrying the service's sentences (model.ts): the 400 shows them as written. */
const bodyHook = productMessageHook('env');

const json = (schema: z.ZodTypeAny, description: string) => ({ content: { 'application/json': { schema } }, description });
// the shared schemas of the routes, built when they first register (issue #17: start-up)
const errors = lazy(() => ({
  400: json(errorBody(), 'Invalid request'),
  401: { description: 'Missing or invalid access token' },
  403: { description: 'The token lacks the required scope' },
  404: json(errorBody(), 'Not found'),
  409: json(errorBody(), 'Environment locked for a promotion'),
}));
const nameParam = lazy(() => z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'esv-smtp-host' }) }));
const versionParams = lazy(() => nameParam().extend({ version: z.string().openapi({ param: { name: 'version', in: 'path' }, example: '2' }) }));
const listQuery = lazy(() =>
  z.object({
    _pageSize: z.string().optional(),
    _pagedResultsCookie: z.string().optional(),
    _pagedResultsOffset: z.string().optional(),
    _queryFilter: z.string().optional(),
    _totalPagedResultsPolicy: z.enum(['NONE', 'EXACT', 'ESTIMATE']).optional(),
    /** Only ESVs waiting for a restart (live-tenant report; frodo's "check for updates" filters `loaded` instead). */
    _onlyPending: z.enum(['true', 'false']).optional(),
  }),
);
const pendingOnly = (c: Context<AppEnv>) => c.req.query('_onlyPending') === 'true';
const actionQuery = (action: string) =>
  z.object({
    _action: z
      .string({ error: 'Missing _action parameter' })
      .refine((a) => a === action, { error: (iss) => `Unsupported action ${String(iss.input)}` })
      .openapi({ example: action }),
  });
// required: an absent body is checked as `{}` (the fields it lacks get their messages) rather than skipped
const body = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const tags = ['ESVs'];

function listPage<T extends { _id: string }>(c: Context<AppEnv>, items: T[], view: (x: T) => Record<string, unknown>) {
  const q = c.req.query();
  let req;
  let policy;
  try {
    req = parsePageRequest(q);
    policy = parseTotalPolicy(q._totalPagedResultsPolicy);
  } catch (e) {
    if (e instanceof PagingError) throw new Invalid(e.message);
    throw e;
  }
  let views = items.map(view);
  if (q._queryFilter !== undefined && q._queryFilter !== '') {
    const filter = parseQueryFilterParam(q._queryFilter, (message) => new Invalid(message));
    views = views.filter((v) => matchesFilter(filter, v));
  }
  return envQueryResponse(pageOf(views, req, (v) => String(v._id)), policy);
}

/** What the variable and secret routes differ in: the same five operations over two lists (recordings esv-*). */
const KINDS = [
  {
    noun: 'variable', plural: 'variables', schema: variableSchema, listName: 'EsvVariableList', listDescription: 'Variables, sorted by _id',
    list: (env: Environment) => svc.esvState(env).variables as Array<Variable | Secret>,
    pending: (x: Variable | Secret) => svc.variablePending(x as Variable),
    view: (x: Variable | Secret) => svc.variableView(x as Variable),
    get: svc.getVariable as (env: Environment, name: string) => Variable | Secret,
    remove: svc.deleteVariable as (env: Environment, actor: RequestActor, name: string) => Variable | Secret,
    describe: svc.setVariableDescription,
  },
  {
    noun: 'secret', plural: 'secrets', schema: secretSchema, listName: 'EsvSecretList', listDescription: 'Secrets, sorted by _id (never their values)',
    list: (env: Environment) => svc.esvState(env).secrets as Array<Variable | Secret>,
    pending: (x: Variable | Secret) => svc.secretPending(x as Secret),
    view: (x: Variable | Secret) => svc.secretView(x as Secret),
    get: svc.getSecret as (env: Environment, name: string) => Variable | Secret,
    remove: svc.deleteSecret as (env: Environment, actor: RequestActor, name: string) => Variable | Secret,
    describe: svc.setSecretDescription,
  },
] as const;

export function esvRoutes(app: EnvApp): void {
  // query and path parameters checked without a zod-openapi validator layer each (core/http.ts fastOpenapi)
  const openapi = fastOpenapi(app);
  // ------------------------------------------------------------ variables and secrets: list, read, delete, describe
  for (const kind of KINDS) {
    const path = `/environment/${kind.plural}`;
    // one ESV as JSON (made once per kind: the kept view gets the request as its argument, no closure per request)
    const documentJson = (c: Context<AppEnv>): string => JSON.stringify(kind.view(kind.get(c.get('env'), (c.req.valid('param' as never) as { name: string }).name)));
    openapi(
      createRoute({
        method: 'get', path, tags, summary: `List ${kind.plural}`, middleware: guard(READ),
        request: { query: listQuery() },
        responses: { 200: json(pagedOf(kind.schema(), kind.listName), kind.listDescription), ...errors() },
      }),
      (c) => {
        const env = c.get('env');
        // the page as JSON, made once per state change and query (core/viewCache.ts)
        const query = rawQuery(c);
        const text = keptView(env, 'esv', query === undefined ? undefined : `${kind.plural}?${query}`, () => {
          const all = kind.list(env);
          return JSON.stringify(listPage(c, pendingOnly(c) ? all.filter(kind.pending) : all, kind.view));
        });
        return jsonText(c, text, 200);
      },
      hook,
    );
    openapi(
      createRoute({
        method: 'get', path: `${path}/{name}`, tags, summary: `Read a ${kind.noun}${kind.noun === 'secret' ? ' (metadata only)' : ''}`, middleware: guard(READ),
        request: { params: nameParam() },
        responses: { 200: json(kind.schema(), `The ${kind.noun}`), ...errors() },
      }),
      (c) => {
        // the document as JSON, made once per state change (core/viewCache.ts), kept under its name in the kind's
        // group; a missing one throws, nothing is kept
        return jsonText(c, keptView(c.get('env'), 'esv', c.req.valid('param').name, documentJson, kind.noun, c as Context<AppEnv>), 200);
      },
      hook,
    );
    openapi(
      createRoute({
        method: 'delete', path: `${path}/{name}`, tags, summary: `Delete a ${kind.noun}`, middleware: guard(UPDATE),
        request: { params: nameParam() },
        responses: { 200: json(kind.schema(), `The deleted ${kind.noun}`), ...errors() },
      }),
      (c) => c.json(kind.view(kind.remove(c.get('env'), c.get('actor'), c.req.valid('param').name)), 200),
      hook,
    );
    openapi(
      createRoute({
        method: 'post', path: `${path}/{name}`, tags, summary: `${kind.noun === 'secret' ? 'Secret' : 'Variable'} actions (_action=setDescription)`, middleware: guard(UPDATE),
        request: { params: nameParam(), query: actionQuery('setDescription'), body: body(descriptionBody()) },
        responses: { 200: { description: 'Done (empty body)' }, ...errors() },
      }),
      (c) => {
        kind.describe(c.get('env'), c.get('actor'), c.req.valid('param').name, c.req.valid('json').description);
        // recordings esv-variables, esv-secrets: 200 with no body and no content-type
        return c.body(null, 200);
      },
      bodyHook,
    );
  }
  openapi(
    createRoute({
      method: 'put', path: '/environment/variables/{name}', tags, summary: 'Create or update a variable', middleware: guard(UPDATE),
      request: { params: nameParam(), body: body(putVariableBody()) },
      responses: { 200: json(variableSchema(), 'The variable as stored'), ...errors() },
    }),
    (c) => {
      const { variable } = svc.putVariable(c.get('env'), c.get('actor'), c.req.valid('param').name, c.req.valid('json'));
      // the view reads the raw object: the same values without a change-tracking proxy trap per field (issue #17)
      return c.json(svc.variableView(raw(variable), true), 200);
    },
    bodyHook,
  );
  openapi(
    createRoute({
      method: 'put', path: '/environment/secrets/{name}', tags, summary: 'Create a secret (version 1)', middleware: guard(UPDATE),
      request: { params: nameParam(), body: body(putSecretBody()) },
      responses: { 200: json(secretSchema(), 'The created secret'), ...errors() },
    }),
    (c) => c.json(svc.secretView(svc.createSecret(c.get('env'), c.get('actor'), c.req.valid('param').name, c.req.valid('json')), true), 200),
    bodyHook,
  );

  // ------------------------------------------------------------ secret versions
  openapi(
    createRoute({
      method: 'get', path: '/environment/secrets/{name}/versions', tags, summary: 'List versions, newest first', middleware: guard(READ),
      request: { params: nameParam() },
      responses: { 200: json(z.array(versionSchema()), 'Versions (never their values)'), ...errors() },
    }),
    (c) => {
      const s = svc.getSecret(c.get('env'), c.req.valid('param').name);
      return c.json(s.versions.map((v) => svc.versionView(s, v)), 200);
    },
    hook,
  );
  openapi(
    createRoute({
      method: 'post', path: '/environment/secrets/{name}/versions', tags, summary: 'Create a version (_action=create)', middleware: guard(UPDATE),
      request: { params: nameParam(), query: actionQuery('create'), body: body(versionCreateBody()) },
      responses: { 200: json(versionSchema(), 'The new version'), ...errors() },
    }),
    (c) => {
      const { secret, version } = svc.createVersion(c.get('env'), c.get('actor'), c.req.valid('param').name, c.req.valid('json').valueBase64);
      return c.json(svc.versionView(secret, version), 200);
    },
    bodyHook,
  );
  openapi(
    createRoute({
      method: 'get', path: '/environment/secrets/{name}/versions/{version}', tags, summary: 'Read a version', middleware: guard(READ),
      request: { params: versionParams() },
      responses: { 200: json(versionSchema(), 'The version'), ...errors() },
    }),
    (c) => {
      const p = c.req.valid('param');
      const { secret, version } = svc.getVersion(c.get('env'), p.name, p.version);
      return c.json(svc.versionView(secret, version), 200);
    },
    hook,
  );
  openapi(
    createRoute({
      method: 'delete', path: '/environment/secrets/{name}/versions/{version}', tags, summary: 'Destroy a version', middleware: guard(UPDATE),
      request: { params: versionParams() },
      responses: { 200: json(versionSchema(), 'The version, now DESTROYED'), ...errors() },
    }),
    (c) => {
      const p = c.req.valid('param');
      const { secret, version } = svc.destroyVersion(c.get('env'), c.get('actor'), p.name, p.version);
      return c.json(svc.versionView(secret, version), 200);
    },
    hook,
  );
  openapi(
    createRoute({
      method: 'post', path: '/environment/secrets/{name}/versions/{version}', tags, summary: 'Enable or disable a version (_action=changestatus)', middleware: guard(UPDATE),
      request: { params: versionParams(), query: actionQuery('changestatus'), body: body(changeStatusBody()) },
      responses: { 200: json(versionSchema(), 'The version'), ...errors() },
    }),
    (c) => {
      const p = c.req.valid('param');
      const { secret, version } = svc.changeVersionStatus(c.get('env'), c.get('actor'), p.name, p.version, c.req.valid('json').status);
      return c.json(svc.versionView(secret, version), 200);
    },
    bodyHook,
  );

  // ------------------------------------------------------------ restart, count, release
  openapi(
    createRoute({
      method: 'get', path: '/environment/startup', tags, summary: 'Restart status', middleware: guard([READ, RESTART]),
      responses: { 200: json(z.object({ restartStatus: z.enum(['ready', 'restarting']) }), 'Status'), ...errors() },
    }),
    (c) => c.json({ restartStatus: svc.restartStatus(c.get('env')) }, 200),
    hook,
  );
  openapi(
    createRoute({
      method: 'post', path: '/environment/startup', tags, summary: 'Restart services to load ESV changes (_action=restart)', middleware: guard(RESTART),
      request: { query: actionQuery('restart') },
      responses: { 200: json(z.object({ restartStatus: z.literal('restarting') }), 'Restart started'), ...errors() },
    }),
    (c) => c.json(svc.requestRestart(c.get('env'), c.get('actor')), 200),
    bodyHook,
  );
  openapi(
    createRoute({
      method: 'get', path: '/environment/count', tags, summary: 'Number of secrets and variables (_onlyPending=true: waiting for a restart)', middleware: guard(READ),
      request: { query: z.object({ _onlyPending: z.enum(['true', 'false']).optional() }) },
      responses: { 200: json(z.object({ secrets: z.number(), variables: z.number() }), 'Counts'), ...errors() },
    }),
    (c) => c.json(svc.esvCount(c.get('env'), pendingOnly(c)), 200),
    hook,
  );
  openapi(
    createRoute({
      method: 'get', path: '/environment/release', tags: ['Release'], summary: 'Release information',
      // S4 L775–800: fr:idc:release:* ; not an ESV endpoint, so not blocked by a promotion lock
      middleware: [aicAuth({ anyOf: ['fr:idc:release:*'] })] as MiddlewareHandler<AppEnv>[],
      responses: { 200: json(z.object({ currentVersion: z.string(), nextUpgrade: z.string().optional() }), 'Release'), 401: errors()[401], 403: errors()[403] },
    }),
    (c) => {
      const r = svc.esvState(c.get('env')).release;
      return c.json(r.nextUpgrade ? { currentVersion: r.currentVersion, nextUpgrade: r.nextUpgrade } : { currentVersion: r.currentVersion }, 200);
    },
    hook,
  );
}
