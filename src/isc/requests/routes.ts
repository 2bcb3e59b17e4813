// HTTP for ISC access requests and their approvals (contract isc-v3-access-model-requests-search.openapi.json, tags
// "Access Requests" and "Access Request Approvals"). Rules live in the services; this file maps requests and results.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { iscAuth } from '../../core/auth.js';
import { iscError } from '../../core/errors.js';
import { getConfig, setConfig } from './state.js';

const obj = z.record(z.string(), z.unknown());
const iscErrorSchema = z.object({ detailCode: z.string(), trackingId: z.string(), messages: z.array(obj), causes: z.array(obj) });
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const errors = {
  400: json(iscErrorSchema, 'Client Error - Returned if the request body is invalid.'),
  401: json(z.object({ error: z.string() }), 'Unauthorized - Returned if there is no authorization header, or if the JWT token is expired.'),
  403: json(iscErrorSchema, "Forbidden - Returned if the user you are running as, doesn't have access to this end-point."),
  404: json(iscErrorSchema, 'Not Found - returned if the request URL refers to a resource or object that does not exist'),
};

/** zod validation failures → the ISC 400 body. */
function hook(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }): void {
  if (result.success) return;
  const issue = result.error?.issues[0];
  const where = issue?.path.length ? issue.path.map(String).join('.') + ': ' : '';
  throw iscError(400, `${where}${issue?.message ?? 'Invalid request'}`, '400.1 Bad Request Content');
}

export async function readJson(c: Context<AppEnv>, required = true): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim() && !required) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw iscError(400, 'The request body could not be parsed as JSON.', '400.1 Bad Request Content');
  }
}

type Handler = (c: Context<AppEnv>) => Response | Promise<Response>;
type AnyRoute = ReturnType<typeof createRoute>;

export function registerAccessRequestRoutes(app: EnvApp): void {
  const add = (route: AnyRoute, handler: Handler) => (app.openapi as (r: AnyRoute, h: Handler, k: typeof hook) => void)(route, handler, hook);
  const tags = ['Access Requests'];

  add(
    createRoute({
      method: 'get',
      path: '/v3/access-request-config',
      operationId: 'getAccessRequestConfig',
      tags,
      summary: 'Get access request configuration',
      middleware: [iscAuth({ scopes: ['idn:access-request-config:read'] })],
      responses: { 200: json(obj, 'Access request configuration details.'), ...errors },
    }),
    (c) => c.json(getConfig(c.get('env'))),
  );
  add(
    createRoute({
      method: 'put',
      path: '/v3/access-request-config',
      operationId: 'setAccessRequestConfig',
      tags,
      summary: 'Update access request configuration (a full replacement; ORG_ADMIN)',
      middleware: [iscAuth({ scopes: ['idn:access-request-config:manage'] })],
      request: { body: { content: { 'application/json': { schema: obj } }, required: true } },
      responses: { 200: json(obj, 'Access request configuration details.'), ...errors },
    }),
    async (c) => c.json(setConfig(c.get('env'), c.get('principal'), await readJson(c))),
  );
}
