// HTTP for AIC authentication: AM's token endpoint and jwk_uri, IDM's managed/svcacct, and log API keys.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { aicAuth } from '../../core/auth.js';
import { auditActivity } from '../../core/audit.js';
import { JSON_UTF8, jsonBody, send } from '../../core/http.js';
import { crestError } from '../../core/errors.js';
import type { Environment } from '../../environment.js';
import { accessToken, introspect, revoke } from './service.js';
import { createServiceAccount, deleteServiceAccount, notFound, patchServiceAccount, queryServiceAccounts, replaceServiceAccount, svcacctView } from './svcacct.js';
import { findServiceAccount } from './service.js';
import type { ServiceAccount } from './model.js';
import { exchangeCode } from './session.js';
import { createLogApiKey, deleteLogApiKey, getLogApiKey, listLogApiKeys } from './keys.js';
import { publishedJwks } from './jwks.js';
import { lazy } from '../../core/lazy.js';

/** S4 L14060 (root realm) plus the realm paths clients also use. */
export const TOKEN_PATHS = ['/am/oauth2/access_token', '/am/oauth2/realms/root/access_token', '/am/oauth2/realms/root/realms/alpha/access_token', '/am/oauth2/alpha/access_token'];
const JWK_PATHS = ['/am/oauth2/connect/jwk_uri', '/am/oauth2/realms/root/connect/jwk_uri', '/am/oauth2/realms/root/realms/alpha/connect/jwk_uri', '/am/oauth2/alpha/connect/jwk_uri'];

const IDM = aicAuth({ anyOf: ['fr:idm:*'] });
/** Log API keys are tenant settings: any token that can administer AM or IDM may manage them (docs/auth.md). */
const KEY_ADMIN = aicAuth({ anyOf: ['fr:idm:*', 'fr:am:*'] });

// built when the routes first register (issue #17: start-up)
const schemas = lazy(() => {
  const json = z.record(z.string(), z.unknown());
  const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string() }).openapi('OAuth2Error');
  const crestErrorSchema = z.object({ code: z.number(), reason: z.string(), message: z.string() }).openapi('CrestError');
  const tokenForm = z
    .object({
      grant_type: z.string().optional(),
      client_id: z.string().optional(),
      client_secret: z.string().optional(),
      assertion: z.string().optional(),
      scope: z.string().optional(),
      username: z.string().optional(),
      password: z.string().optional(),
      refresh_token: z.string().optional(),
    })
    .loose();
  return { json, oauthErrorSchema, crestErrorSchema, tokenForm };
});

/** The URLs a client may have put in the assertion's `aud`: this endpoint as reached, and as the environment's URL. */
const etag = (rev: string | undefined) => ({ etag: `"${rev ?? '1'}"`, 'cache-control': 'no-store' });

function audiences(c: Context<AppEnv>, env: Environment): string[] {
  const url = new URL(c.req.url);
  const origins = new Set([url.origin, env.url]);
  const fwdHost = c.req.header('x-forwarded-host');
  if (fwdHost) origins.add(`${c.req.header('x-forwarded-proto') ?? url.protocol.replace(':', '')}://${fwdHost.split(',')[0]!.trim()}`);
  const host = c.req.header('host');
  if (host) origins.add(`${url.protocol}//${host}`);
  const paths = new Set([url.pathname, TOKEN_PATHS[0]!, TOKEN_PATHS[1]!]);
  return [...origins].flatMap((o) => [...paths].map((p) => o + p));
}

export function aicOAuthRoutes(app: EnvApp): void {
  const { json, oauthErrorSchema, crestErrorSchema, tokenForm } = schemas();
  for (const path of TOKEN_PATHS) {
    const route = createRoute({
      method: 'post',
      path,
      tags: ['AM OAuth2'],
      summary: 'Get an access token (JWT bearer for service accounts, client credentials, password, refresh token)',
      // the form (grant_type, client_id, client_secret, assertion, scope, username, password, refresh_token, code,
      // redirect_uri, code_verifier) is parsed by the handler: a body of another type must get an OAuth2 error, not a 415
      description: `Form parameters: ${Object.keys(tokenForm.shape).join(', ')}, code, redirect_uri, code_verifier.`,
      responses: {
        200: { description: 'Access token', content: { 'application/json': { schema: json } } },
        400: { description: 'OAuth2 error', content: { 'application/json': { schema: oauthErrorSchema } } },
        401: { description: 'Client authentication failed (Basic)', content: { 'application/json': { schema: oauthErrorSchema } } },
      },
    });
    app.openapi(
      route,
      async (c) => {
        const env = c.get('env');
        const raw = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        const params: Record<string, string> = {};
        for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') params[k] = v;
        const req = { params, authorization: c.req.header('authorization'), audiences: audiences(c, env) };
        const res = await (params.grant_type === 'authorization_code' ? exchangeCode(env, req) : accessToken(env, req));
        return send(c, res, 200, { ...JSON_UTF8, 'cache-control': 'no-store', pragma: 'no-cache' });
      },
      () => undefined,
    );
  }

  // RFC 7662 introspection and RFC 7009 revocation, as AM exposes them next to the token endpoint
  for (const [suffix, op, summary] of [
    ['introspect', introspect, 'Introspect a token (client authentication required)'],
    ['token/revoke', revoke, 'Revoke an access or refresh token'],
  ] as const) {
    for (const prefix of ['/am/oauth2', '/am/oauth2/realms/root', '/am/oauth2/realms/root/realms/alpha']) {
      app.openapi(
        createRoute({
          method: 'post',
          path: `${prefix}/${suffix}`,
          tags: ['AM OAuth2'],
          summary,
          description: 'Form parameters: token, client_id, client_secret (or Basic).',
          responses: {
            200: { description: 'Result', content: { 'application/json': { schema: json } } },
            400: { description: 'OAuth2 error', content: { 'application/json': { schema: oauthErrorSchema } } },
            401: { description: 'Client authentication failed (Basic)', content: { 'application/json': { schema: oauthErrorSchema } } },
          },
        }),
        async (c) => {
          const env = c.get('env');
          const raw = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
          const params: Record<string, string> = {};
          for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') params[k] = v;
          const res = await op(env, { params, authorization: c.req.header('authorization'), audiences: [] });
          return send(c, res, 200, { ...JSON_UTF8, 'cache-control': 'no-store', pragma: 'no-cache' });
        },
        () => undefined,
      );
    }
  }

  for (const path of JWK_PATHS) {
    const route = createRoute({
      method: 'get',
      path,
      tags: ['AM OAuth2'],
      summary: 'Public keys of the OAuth2 provider',
      responses: { 200: { description: 'JWK set', content: { 'application/json': { schema: z.object({ keys: z.array(json) }) } } } },
    });
    app.openapi(route, async (c) => send(c, await publishedJwks(c.get('env')), 200, JSON_UTF8));
  }

  // OAuth/OIDC discovery, so libraries that discover endpoints (openid-client, …) find the token endpoint and jwk_uri
  for (const [prefix, realmPath] of [['/am/oauth2', ''], ['/am/oauth2/realms/root', '/realms/root'], ['/am/oauth2/realms/root/realms/alpha', '/realms/root/realms/alpha']] as const) {
    app.openapi(
      createRoute({
        method: 'get',
        path: `${prefix}/.well-known/openid-configuration`,
        tags: ['AM OAuth2'],
        summary: 'OpenID Provider configuration (discovery)',
        responses: { 200: { description: 'Discovery document', content: { 'application/json': { schema: json } } } },
      }),
      (c) => {
        const env = c.get('env');
        const base = `${new URL(c.req.url).origin}/am/oauth2${realmPath}`;
        return send(c, {
          issuer: realmPath ? `${env.url}/am/oauth2${realmPath}` : env.tokens.issuer,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/access_token`,
          jwks_uri: `${base}/connect/jwk_uri`,
          grant_types_supported: ['urn:ietf:params:oauth:grant-type:jwt-bearer', 'client_credentials', 'password', 'refresh_token'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
          response_types_supported: ['token'],
          scopes_supported: ['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*', 'fr:idc:esv:read', 'fr:idc:esv:update', 'fr:idc:esv:restart', 'fr:idc:promotion:*', 'fr:idc:release:*', 'fr:iga:*'],
          id_token_signing_alg_values_supported: ['RS256'],
          subject_types_supported: ['public'],
        }, 200, JSON_UTF8);
      },
    );
  }

  // ---------------------------------------------------------------- managed/svcacct (fr:idm:*)
  const idParam = z.object({ id: z.string() });
  const svcResponses = {
    200: { description: 'Service account', content: { 'application/json': { schema: json } } },
    401: { description: 'No or invalid token', content: { 'application/json': { schema: crestErrorSchema } } },
    403: { description: 'Insufficient scope', content: { 'application/json': { schema: crestErrorSchema } } },
    404: { description: 'Not found', content: { 'application/json': { schema: crestErrorSchema } } },
  } as const;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/openidm/managed/svcacct',
      tags: ['IDM service accounts'],
      summary: 'Create a service account (_action=create)',
      middleware: [IDM] as const,
      request: { query: z.object({ _action: z.string().optional() }).loose(), body: { content: { 'application/json': { schema: json } }, required: false } },
      responses: { ...svcResponses, 201: { description: 'Created', content: { 'application/json': { schema: json } } } },
    }),
    async (c) => {
      const env = c.get('env');
      const action = c.req.query('_action');
      if (action !== 'create') throw crestError(400, `Unsupported action ${action ?? ''}`.trim());
      const sa = createServiceAccount(env, await jsonBody(c, 'crest'));
      const view = svcacctView(sa);
      auditActivity(env, c.get('actor'), { objectId: `managed/svcacct/${sa._id}`, operation: 'CREATE', after: view });
      // recording ServiceAccountOps/createServiceAccount: 201 with etag and location
      return send(c, view, 201, { ...JSON_UTF8, ...etag(sa._rev), location: `${new URL(c.req.url).origin}/openidm/managed/svcacct/${sa._id}` });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/openidm/managed/svcacct',
      tags: ['IDM service accounts'],
      summary: 'Query service accounts',
      middleware: [IDM] as const,
      request: { query: z.object({ _queryFilter: z.string().optional(), _pageSize: z.string().optional(), _pagedResultsOffset: z.string().optional(), _fields: z.string().optional() }).loose() },
      responses: svcResponses,
    }),
    (c) => send(c, queryServiceAccounts(c.get('env'), c.req.query()), 200, { ...JSON_UTF8, 'cache-control': 'no-store' }),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/openidm/managed/svcacct/{id}',
      tags: ['IDM service accounts'],
      summary: 'Read a service account',
      middleware: [IDM] as const,
      request: { params: idParam },
      responses: svcResponses,
    }),
    (c) => {
      const sa = findServiceAccount(c.get('env'), c.req.param('id'));
      if (!sa) throw notFound(c.req.param('id'));
      return send(c, svcacctView(sa, c.req.query('_fields')?.split(',')), 200, { ...JSON_UTF8, ...etag(sa._rev) });
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/openidm/managed/svcacct/{id}',
      tags: ['IDM service accounts'],
      summary: 'Replace (or create with this id) a service account',
      middleware: [IDM] as const,
      request: { params: idParam, body: { content: { 'application/json': { schema: json } }, required: false } },
      responses: { ...svcResponses, 201: { description: 'Created', content: { 'application/json': { schema: json } } } },
    }),
    async (c) => {
      const env = c.get('env');
      const id = c.req.param('id');
      const body = await jsonBody(c, 'crest');
      const before = findServiceAccount(env, id);
      if (!before) {
        const sa = createServiceAccount(env, body, id);
        auditActivity(env, c.get('actor'), { objectId: `managed/svcacct/${id}`, operation: 'CREATE', after: svcacctView(sa) });
        return send(c, svcacctView(sa), 201, { ...JSON_UTF8, ...etag(sa._rev), location: `${new URL(c.req.url).origin}/openidm/managed/svcacct/${id}` });
      }
      if (c.req.header('if-none-match') === '*') throw crestError(412, `Object managed/svcacct/${id} already exists`);
      const beforeView = svcacctView(before);
      return changedAnswer(c, 'UPDATE', beforeView, replaceServiceAccount(env, id, body, c.req.header('if-match')));
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/openidm/managed/svcacct/{id}',
      tags: ['IDM service accounts'],
      summary: 'Patch a service account (e.g. accountStatus Inactive)',
      middleware: [IDM] as const,
      request: { params: idParam, body: { content: { 'application/json': { schema: z.array(json) } }, required: false } },
      responses: svcResponses,
    }),
    async (c) => {
      const env = c.get('env');
      const id = c.req.param('id');
      const before = findServiceAccount(env, id);
      if (!before) throw notFound(id);
      const beforeView = svcacctView(before);
      return changedAnswer(c, 'PATCH', beforeView, patchServiceAccount(env, id, await jsonBody(c, 'crest'), c.req.header('if-match')));
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/openidm/managed/svcacct/{id}',
      tags: ['IDM service accounts'],
      summary: 'Delete a service account (its tokens stop working at once)',
      middleware: [IDM] as const,
      request: { params: idParam },
      responses: svcResponses,
    }),
    (c) => {
      const env = c.get('env');
      const sa = deleteServiceAccount(env, c.req.param('id'), c.req.header('if-match'));
      auditActivity(env, c.get('actor'), { objectId: `managed/svcacct/${sa._id}`, operation: 'DELETE', before: svcacctView(sa) });
      return send(c, svcacctView(sa), 200, { ...JSON_UTF8, ...etag(sa._rev) });
    },
  );

  // recording ServiceAccountOps/isServiceAccountsFeatureAvailable: how clients (Frodo) detect service-account support
  app.openapi(
    createRoute({
      method: 'get',
      path: '/feature',
      tags: ['IDM service accounts'],
      summary: 'Installed tenant features (service-accounts)',
      request: { query: z.object({ _queryFilter: z.string().optional() }).loose() },
      responses: { 200: { description: 'Features', content: { 'application/json': { schema: json } } } },
    }),
    (c) => c.body(JSON.stringify({ result: [{ _id: 'service-accounts', installedVersion: '1', availableVersions: ['1'] }] }), 200, { 'content-type': 'application/json; charset=utf-8' }) as never,
  );

  // ---------------------------------------------------------------- log API keys
  app.openapi(
    createRoute({
      method: 'post',
      path: '/keys',
      tags: ['Log API keys'],
      summary: 'Create a log API key (_action=create); the secret is returned only here',
      middleware: [KEY_ADMIN] as const,
      request: { query: z.object({ _action: z.string().optional() }).loose(), body: { content: { 'application/json': { schema: z.object({ name: z.string() }) } }, required: false } },
      responses: { ...svcResponses, 201: { description: 'Created', content: { 'application/json': { schema: json } } } },
    }),
    async (c) => {
      const env = c.get('env');
      if (c.req.query('_action') !== 'create') throw crestError(400, `Unsupported action ${c.req.query('_action') ?? ''}`.trim());
      const key = createLogApiKey(env, await jsonBody(c, 'crest'));
      auditActivity(env, c.get('actor'), { objectId: `keys/${key._id}`, operation: 'CREATE', after: { _id: key._id, name: key.name } });
      return send(c, key, 201, JSON_UTF8);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/keys', tags: ['Log API keys'], summary: 'List log API keys (no secrets)', middleware: [KEY_ADMIN] as const, responses: svcResponses }),
    (c) => send(c, listLogApiKeys(c.get('env')), 200, JSON_UTF8),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/keys/{id}', tags: ['Log API keys'], summary: 'Read a log API key (no secret)', middleware: [KEY_ADMIN] as const, request: { params: idParam }, responses: svcResponses }),
    (c) => send(c, getLogApiKey(c.get('env'), c.req.param('id')), 200, JSON_UTF8),
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/keys/{id}', tags: ['Log API keys'], summary: 'Delete a log API key', middleware: [KEY_ADMIN] as const, request: { params: idParam }, responses: svcResponses }),
    (c) => {
      const env = c.get('env');
      const key = deleteLogApiKey(env, c.req.param('id'));
      auditActivity(env, c.get('actor'), { objectId: `keys/${key._id}`, operation: 'DELETE', before: key });
      return send(c, key, 200, JSON_UTF8);
    },
  );
}

/** An audited change to a service account (its views before and after, the fields that changed), answered with its new view and ETag. */
function changedAnswer(c: Context<AppEnv>, operation: 'UPDATE' | 'PATCH', before: Record<string, unknown>, sa: ServiceAccount): never {
  const after = svcacctView(sa);
  auditActivity(c.get('env'), c.get('actor'), { objectId: `managed/svcacct/${sa._id}`, operation, before, after, changedFields: changed(before, after) });
  return send(c, after, 200, { ...JSON_UTF8, ...etag(sa._rev) });
}

function changed(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys(b).filter((k) => k !== '_rev' && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
