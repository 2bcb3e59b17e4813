// HTTP for ISC authentication: /oauth/token, /oauth/authorize (minimal consent page + login_hint shortcut),
// and /v3/personal-access-tokens.
import { createRoute, z } from '@hono/zod-openapi';
import type { EnvApp } from '../../core/types.js';
import { iscAuth } from '../../core/auth.js';
import { JSON_UTF8, jsonBody, send } from '../../core/http.js';
import { identities } from '../identities/service.js';
import { authorize, iscTenantId, iscToken, type AuthorizeRequest } from './service.js';
import { createPat, deletePat, listPats, patchPat } from './pats.js';
import { escapeHtml } from '../../core/html.js';
import { iscErrors, json as jsonResponse } from '../shared/routes.js';
import { lazy } from '../../core/lazy.js';

const json = lazy(() => z.record(z.string(), z.unknown()));
const tokenForm = lazy(() =>
  z
    .object({
      grant_type: z.string().optional(),
      client_id: z.string().optional(),
      client_secret: z.string().optional(),
      code: z.string().optional(),
      redirect_uri: z.string().optional(),
      refresh_token: z.string().optional(),
      code_verifier: z.string().optional(),
    })
    .loose(),
);
const oauthError = lazy(() => z.object({ error: z.string(), error_description: z.string() }).openapi('IscOAuthError'));
const patResponses = lazy(() => ({ 200: jsonResponse(json(), 'OK'), ...iscErrors() }));

export function iscOAuthRoutes(app: EnvApp): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/oauth/token',
      tags: ['OAuth'],
      summary: 'Access token: client_credentials (API client or PAT), authorization_code, refresh_token',
      // urlencoded, multipart or query parameters, parsed by the handler (no media-type gate: errors stay OAuth2 bodies)
      description: `Parameters (form body or query): ${Object.keys(tokenForm().shape).join(', ')}.`,
      responses: {
        200: { description: 'Access token', content: { 'application/json': { schema: json() } } },
        400: { description: 'OAuth2 error', content: { 'application/json': { schema: oauthError() } } },
        401: { description: 'Bad client credentials / user disabled', content: { 'application/json': { schema: oauthError() } } },
      },
    }),
    async (c) => {
      // SDKs send the parameters as a urlencoded or multipart body, scripts often as query parameters
      const params: Record<string, string> = { ...c.req.query() };
      const ct = c.req.header('content-type') ?? '';
      if (/form-data|x-www-form-urlencoded/i.test(ct)) {
        const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params[k] = v;
      }
      const res = await iscToken(c.get('env'), { params, authorization: c.req.header('authorization') });
      return send(c, res, 200, { ...JSON_UTF8, 'cache-control': 'no-store', pragma: 'no-cache' });
    },
    () => undefined,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/oauth/authorize',
      tags: ['OAuth'],
      summary: 'Authorization-code login: a consent page listing identities, or login_hint=<identity> to redirect at once',
      request: {
        query: z
          .object({
            client_id: z.string().optional(),
            response_type: z.string().optional(),
            redirect_uri: z.string().optional(),
            state: z.string().optional(),
            scope: z.string().optional(),
            login_hint: z.string().optional(),
            code_challenge: z.string().optional(),
            code_challenge_method: z.string().optional(),
          })
          .loose(),
      },
      responses: {
        200: { description: 'Consent page', content: { 'text/html': { schema: z.string() } } },
        302: { description: 'Redirect back with code (or error)' },
        400: { description: 'Invalid client or redirect', content: { 'application/json': { schema: oauthError() } } },
      },
    }),
    (c) => {
      const env = c.get('env');
      const q = c.req.query() as AuthorizeRequest;
      const out = authorize(env, q, () => identities(env));
      if (out.kind === 'error') return send(c, { error: out.error, error_description: out.description }, 400, JSON_UTF8);
      if (out.kind === 'redirect') return c.redirect(out.location, 302) as never;
      const base = new URL(c.req.url);
      const rows = out.identities
        .map((i) => {
          const u = new URL(base);
          u.searchParams.set('login_hint', i.id);
          return `<li><a href="${escapeHtml(u.pathname + u.search)}">${escapeHtml(i.displayName ?? i.name)}</a> <small>${escapeHtml(i.name)}${i.authorities.length ? ` · ${escapeHtml(i.authorities.join(', '))}` : ''}</small></li>`;
        })
        .join('\n');
      const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in – ${escapeHtml(env.emulator.fixture.isc.tenant)}</title></head>
<body><h1>Sign in to ${escapeHtml(env.emulator.fixture.isc.tenant)}</h1>
<p><strong>${escapeHtml(out.client.name)}</strong> asks to act as you. Choose the identity to log in as (emulator: no password).</p>
<ul>
${rows}
</ul></body></html>`;
      return c.html(html) as never;
    },
  );

  // developer.sailpoint.com "Find Your Tenant's OAuth Details": where to authorize and get tokens
  app.openapi(
    createRoute({
      method: 'get',
      path: '/oauth/info',
      tags: ['OAuth'],
      summary: "The tenant's OAuth details (authorize and token endpoints)",
      responses: { 200: { description: 'OAuth info', content: { 'application/json': { schema: json() } } } },
    }),
    (c) => {
      const env = c.get('env');
      const origin = new URL(c.req.url).origin;
      return send(c, { tenantId: iscTenantId(env), tenantName: env.emulator.fixture.isc.tenant, authorizeEndpoint: `${origin}/oauth/authorize`, tokenEndpoint: `${origin}/oauth/token` }, 200, JSON_UTF8);
    },
  );

  // ---------------------------------------------------------------- personal access tokens
  // contract security.userAuth of each personal-access-tokens operation
  const readAuth = iscAuth({ scopes: ['sp:my-personal-access-tokens:read', 'sp:all-personal-access-tokens:read'] });
  const createAuth = iscAuth({ scopes: ['sp:my-personal-access-tokens:manage', 'sp:all-personal-access-tokens:manage'] });
  const patchAuth = iscAuth({ scopes: ['sp:my-personal-access-tokens:manage'] });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v3/personal-access-tokens',
      tags: ['Personal Access Tokens'],
      summary: 'List personal access tokens',
      middleware: [readAuth] as const,
      request: { query: z.object({ 'owner-id': z.string().optional(), filters: z.string().optional() }).loose() },
      responses: patResponses(),
    }),
    (c) => send(c, listPats(c.get('env'), c.get('principal'), c.req.query('owner-id'), c.req.query('filters')), 200, JSON_UTF8),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v3/personal-access-tokens',
      tags: ['Personal Access Tokens'],
      summary: 'Create a personal access token (the only time its secret is shown)',
      middleware: [createAuth] as const,
      request: { body: { content: { 'application/json': { schema: json() } }, required: true } },
      responses: patResponses(),
    }),
    async (c) => send(c, createPat(c.get('env'), c.get('principal'), await jsonBody(c, 'isc', { required: true })), 200, JSON_UTF8),
  );
  const idParam = z.object({ id: z.string() });
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v3/personal-access-tokens/{id}',
      tags: ['Personal Access Tokens'],
      summary: 'Patch name or scope of a personal access token',
      middleware: [patchAuth] as const,
      request: { params: idParam, body: { content: { 'application/json-patch+json': { schema: z.array(json()) } }, required: true } },
      responses: patResponses(),
    }),
    async (c) => send(c, patchPat(c.get('env'), c.get('principal'), c.req.param('id'), await jsonBody(c, 'isc', { required: true })), 200, JSON_UTF8),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v3/personal-access-tokens/{id}',
      tags: ['Personal Access Tokens'],
      summary: 'Delete a personal access token (its live access tokens stop working)',
      middleware: [createAuth] as const,
      request: { params: idParam },
      responses: { ...patResponses(), 204: { description: 'Deleted' } },
    }),
    (c) => {
      deletePat(c.get('env'), c.get('principal'), c.req.param('id'));
      return c.body(null, 204) as never;
    },
  );
}
