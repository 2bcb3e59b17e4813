// HTTP for /v3/oauth-clients (contract isc-v3-access-model-requests-search.openapi.json, tag "OAuth Clients").
// Rules live in clients.ts.
import { createRoute, z } from '@hono/zod-openapi';
import type { EnvApp } from '../../core/types.js';
import { iscAuth } from '../../core/auth.js';
import { JSON_UTF8, jsonBody, send } from '../../core/http.js';
import { iscErrors as responses, json as jsonResponse } from '../shared/routes.js';
import { createOauthClient, deleteOauthClient, getOauthClient, listOauthClients, patchOauthClient } from './clients.js';
import { lazy } from '../../core/lazy.js';

const json = lazy(() => z.record(z.string(), z.unknown()));
const ok = (description: string, schema: z.ZodType = json()) => ({ 200: jsonResponse(schema, description), ...responses() });

export function iscOAuthClientRoutes(app: EnvApp): void {
  // contract security.userAuth of each oauth-clients operation
  const read = iscAuth({ scopes: ['sp:oauth-client:read', 'sp:oauth-client:manage'] });
  const manage = iscAuth({ scopes: ['sp:oauth-client:manage'] });
  const tags = ['OAuth Clients'];
  const idParam = z.object({ id: z.string() });

  app.openapi(
    createRoute({ method: 'get', path: '/v3/oauth-clients', operationId: 'listOauthClients', tags, summary: 'List OAuth clients', middleware: [read] as const, request: { query: z.object({ filters: z.string().optional() }).loose() }, responses: ok('List of OAuth clients.', z.array(json())) }),
    (c) => send(c, listOauthClients(c.get('env'), c.get('principal')), 200, JSON_UTF8),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/v3/oauth-clients', operationId: 'createOauthClient', tags, summary: 'Create an OAuth client (the only time its secret is shown)', middleware: [manage] as const, request: { body: { content: { 'application/json': { schema: json() } }, required: true } }, responses: ok('Request succeeded.') }),
    async (c) => send(c, createOauthClient(c.get('env'), c.get('principal'), await jsonBody(c, 'isc', { required: true })), 200, JSON_UTF8),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/v3/oauth-clients/{id}', operationId: 'getOauthClient', tags, summary: 'Get an OAuth client', middleware: [read] as const, request: { params: idParam }, responses: ok('Request succeeded.') }),
    (c) => send(c, getOauthClient(c.get('env'), c.get('principal'), c.req.param('id')), 200, JSON_UTF8),
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/v3/oauth-clients/{id}', operationId: 'patchOauthClient', tags, summary: 'Patch an OAuth client (disabling it revokes its tokens)', middleware: [manage] as const, request: { params: idParam, body: { content: { 'application/json-patch+json': { schema: z.array(json()) } }, required: true } }, responses: ok("The OAuth client's new representation.") }),
    async (c) => send(c, patchOauthClient(c.get('env'), c.get('principal'), c.req.param('id'), await jsonBody(c, 'isc', { required: true })), 200, JSON_UTF8),
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/v3/oauth-clients/{id}', operationId: 'deleteOauthClient', tags, summary: 'Delete an OAuth client (its live tokens stop working)', middleware: [manage] as const, request: { params: idParam }, responses: { 204: { description: 'No content.' }, ...responses() } }),
    (c) => {
      deleteOauthClient(c.get('env'), c.get('principal'), c.req.param('id'));
      return c.body(null, 204) as never;
    },
  );
}
