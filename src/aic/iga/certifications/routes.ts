// HTTP for IGA certifications (S3 L356–3713). Admin endpoints need fr:iga:* (and, for user tokens, a governance
// administrator); reviewer endpoints act as the token's identity. Errors are IGA `{"message"}` bodies.
import { createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, EnvApp } from '../../../core/types.js';
import { aicAuth } from '../../../core/auth.js';
import { Forbidden, Invalid } from '../../../core/errors.js';
import { emptyJsonBodyAsObject, IGA_HEADERS, jsonObject, productMessageHook, send, validationHook } from '../../../core/http.js';
import { DECLARED_FIELDS, bulkActionParams, campaignQueryChecks, myTasksQuery, singleActionParams, startCampaignBody } from './model.js';
import * as svc from './service.js';
import { lazy } from '../../../core/lazy.js';

const TAG = ['IGA certifications'];
const obj = lazy(() => z.record(z.string(), z.unknown()));
const json = (schema: z.ZodTypeAny, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const errorBody = lazy(() => z.object({ message: z.string() }).openapi('IgaError'));
const actionResult = lazy(() => z.object({ message: z.string(), idsNotActedOn: z.array(z.string()) }).openapi('IgaActionResult'));

/** Validation failures in the IGA body shape. */
const hook = validationHook('iga');
/** Routes whose declared fields carry the product's sentences (model.ts): those answer `{"message"}` as written. */
const declaredHook = productMessageHook('iga', DECLARED_FIELDS);

const admin = aicAuth({ anyOf: ['fr:iga:*'] });
/** A user token reaches admin endpoints only as a governance administrator. */
const adminAuth = createMiddleware<AppEnv>(async (c, next) =>
  admin(c, async () => {
    if (!svc.isGovernanceAdmin(c.get('env'), c.get('principal'))) throw new Forbidden('User is not authorized to perform this operation.');
    await next();
  }),
);
const reviewer = aicAuth();

function int(v: string | undefined, name: string, dflt: number, max = 10_000): number {
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v)) throw new Invalid(`Invalid ${name}: ${v}`);
  return Math.min(Number(v), max);
}
const bool = (v: string | undefined) => v === 'true';

const T = '/iga/governance/certification/template';
const A = '/iga/governance/certification/admin/certification';
const R = '/iga/governance/certification/certification';
const idParam = lazy(() => z.object({ id: z.string() }));
const certParam = lazy(() => z.object({ certId: z.string() }));
const templateBody = lazy(() => ({ content: { 'application/json': { schema: obj().openapi('CertificationTemplate') } } }));

export function certificationRoutes(app: EnvApp): void {
  // keep campaign expiry current for every certification request (only active campaigns are looked at)
  app.use('/iga/governance/certification/*', async (c, next) => {
    c.set('errorShape', 'iga'); // domain errors answer IGA's `{"message"}` (aic/errors.ts)
    emptyJsonBodyAsObject(c);
    svc.sweep(c.get('env'));
    await next();
    // errors rendered by the app carry the IGA headers too (recording: 400/404 `application/json; charset=utf-8`)
    if (c.res.headers.get('content-type') === 'application/json') {
      c.res.headers.set('content-type', 'application/json; charset=utf-8');
      c.res.headers.set('cache-control', 'no-store');
    }
  });

  // ------------------------------------------------------------ templates
  app.openapi(
    createRoute({
      method: 'get', path: T, tags: TAG, middleware: [adminAuth] as const,
      summary: 'Query certification templates (event-based templates excluded)',
      request: { query: z.object({ queryString: z.string().optional(), pageSize: z.string().optional(), pageNumber: z.string().optional(), searchAfter: z.string().optional(), sortBy: z.string().optional(), sortDesc: z.string().optional(), certificationType: z.string().optional() }) },
      responses: { 200: json(obj()), 400: json(errorBody()) },
    }),
    (c) => {
      const q = c.req.valid('query');
      return send(c, svc.listTemplates(c.get('env'), {
        queryString: q.queryString, pageSize: int(q.pageSize, 'pageSize', 10), pageNumber: int(q.pageNumber, 'pageNumber', 0, 1e9),
        sortBy: q.sortBy || 'name', sortDesc: bool(q.sortDesc), certificationType: q.certificationType, searchAfter: q.searchAfter,
      }), 200, IGA_HEADERS);
    },
    hook,
  );

  app.openapi(
    createRoute({ method: 'post', path: T, tags: TAG, middleware: [adminAuth] as const, summary: 'Create a certification template', request: { body: templateBody() }, responses: { 200: json(obj()), 400: json(errorBody()) } }),
    async (c) => send(c, svc.createTemplate(c.get('env'), c.get('actor'), await jsonObject(c, 'iga')), 200, IGA_HEADERS),
    hook,
  );

  app.openapi(
    createRoute({
      method: 'post', path: `${T}/search`, tags: TAG, middleware: [adminAuth] as const, summary: 'Search certification templates with a targetFilter (all templates)',
      request: { query: z.object({ pageSize: z.string().optional(), pageNumber: z.string().optional() }), body: { required: false, content: { 'application/json': { schema: z.object({ targetFilter: obj().optional() }).passthrough() } } } },
      responses: { 200: json(obj()), 400: json(errorBody()) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const body = await jsonObject(c, 'iga');
      return send(c, svc.searchTemplates(c.get('env'), body.targetFilter, int(q.pageSize, 'pageSize', 10), int(q.pageNumber, 'pageNumber', 0, 1e9)), 200, IGA_HEADERS);
    },
    hook,
  );

  app.openapi(
    createRoute({ method: 'get', path: `${T}/{id}`, tags: TAG, middleware: [adminAuth] as const, summary: 'Read a certification template', request: { params: idParam() }, responses: { 200: json(obj()), 404: json(errorBody()) } }),
    (c) => send(c, svc.readView(svc.getTemplate(c.get('env'), c.req.valid('param').id)), 200, IGA_HEADERS),
    hook,
  );

  app.openapi(
    createRoute({ method: 'put', path: `${T}/{id}`, tags: TAG, middleware: [adminAuth] as const, summary: 'Update a certification template', request: { params: idParam(), body: templateBody() }, responses: { 200: json(obj()), 400: json(errorBody()), 404: json(errorBody()) } }),
    async (c) => send(c, svc.updateTemplate(c.get('env'), c.get('actor'), c.req.valid('param').id, await jsonObject(c, 'iga')), 200, IGA_HEADERS),
    hook,
  );

  app.openapi(
    createRoute({ method: 'delete', path: `${T}/{id}`, tags: TAG, middleware: [adminAuth] as const, summary: 'Delete a certification template', request: { params: idParam() }, responses: { 200: json(obj()), 404: json(errorBody()) } }),
    (c) => send(c, svc.deleteTemplate(c.get('env'), c.get('actor'), c.req.valid('param').id), 200, IGA_HEADERS),
    hook,
  );

  app.openapi(
    createRoute({ method: 'post', path: `${T}/{id}/duplicate`, tags: TAG, middleware: [adminAuth] as const, summary: 'Duplicate a certification template', request: { params: idParam() }, responses: { 200: json(errorBody()), 404: json(errorBody()) } }),
    (c) => send(c, svc.duplicateTemplate(c.get('env'), c.get('actor'), c.req.valid('param').id), 200, IGA_HEADERS),
    hook,
  );

  // ------------------------------------------------------------ campaigns (admin)
  app.openapi(
    createRoute({
      method: 'post', path: '/iga/governance/certification', tags: TAG, middleware: [adminAuth] as const,
      summary: 'Start a campaign from a template (what the template schedule script posts: {templateId})',
      // required: an absent body is checked as `{}` (templateId is required.)
      request: { body: { content: { 'application/json': { schema: startCampaignBody() } }, required: true } },
      responses: { 200: json(obj()), 400: json(errorBody()), 404: json(errorBody()) },
    }),
    (c) => {
      const body = c.req.valid('json') as z.infer<ReturnType<typeof startCampaignBody>> & Record<string, unknown>;
      const env = c.get('env');
      const overrides: Record<string, unknown> = {};
      for (const k of ['name', 'description']) if (typeof body[k] === 'string') overrides[k] = body[k];
      return send(c, svc.campaignView(env, svc.startCampaign(env, c.get('actor'), body.templateId, overrides)), 200, IGA_HEADERS);
    },
    declaredHook,
  );

  app.openapi(
    createRoute({ method: 'post', path: '/iga/governance/certification/{certId}/activate', tags: TAG, middleware: [adminAuth] as const, summary: 'Activate a staged campaign', request: { params: certParam() }, responses: { 200: json(obj()), 400: json(errorBody()), 404: json(errorBody()) } }),
    (c) => {
      const env = c.get('env');
      return send(c, svc.campaignView(env, svc.activateCampaign(env, c.get('actor'), c.req.valid('param').certId), true), 200, IGA_HEADERS);
    },
    hook,
  );

  app.openapi(
    createRoute({
      method: 'get', path: A, tags: TAG, middleware: [adminAuth] as const, summary: 'Query certification campaigns',
      request: { query: z.object({ queryString: z.string().optional(), status: campaignQueryChecks().status, certificationType: z.string().optional(), _pageSize: z.string().optional(), _pagedResultsOffset: z.string().optional(), _sortKeys: z.string().optional(), _sortDir: campaignQueryChecks()._sortDir, _sortType: z.string().optional(), _searchAfter: z.string().optional() }) },
      responses: { 200: json(obj()), 400: json(errorBody()) },
    }),
    (c) => {
      const q = c.req.valid('query');
      return send(c, svc.listCampaigns(c.get('env'), {
        queryString: q.queryString, status: q.status, certificationType: q.certificationType,
        pageSize: int(q._pageSize, '_pageSize', 10), offset: int(q._pagedResultsOffset, '_pagedResultsOffset', 0, 1e9),
        sortKeys: q._sortKeys || 'name', sortDir: q._sortDir || 'asc', sortType: q._sortType, searchAfter: q._searchAfter,
      }), 200, IGA_HEADERS);
    },
    declaredHook,
  );

  app.openapi(
    createRoute({ method: 'get', path: `${A}/{certId}`, tags: TAG, middleware: [adminAuth] as const, summary: 'Read a campaign (with totals)', request: { params: certParam() }, responses: { 200: json(obj()), 404: json(errorBody()) } }),
    (c) => {
      const env = c.get('env');
      return send(c, svc.campaignView(env, svc.getCampaign(env, c.req.valid('param').certId), true), 200, IGA_HEADERS);
    },
    hook,
  );

  app.openapi(
    createRoute({
      method: 'get', path: `${A}/{certId}/tasks`, tags: TAG, middleware: [adminAuth] as const, summary: 'Reviewer tasks of a campaign',
      request: { params: certParam(), query: z.object({ queryString: z.string().optional(), _pageSize: z.string().optional(), _pageNumber: z.string().optional(), sortBy: z.string().optional(), _sortDir: z.string().optional() }) },
      responses: { 200: json(obj()), 404: json(errorBody()) },
    }),
    (c) => {
      const q = c.req.valid('query');
      return send(c, svc.campaignTasks(c.get('env'), c.req.valid('param').certId, { queryString: q.queryString, pageSize: int(q._pageSize, '_pageSize', 10), pageNumber: int(q._pageNumber, '_pageNumber', 0, 1e9), sortBy: q.sortBy || 'actor.userName', sortDir: q._sortDir || 'asc' }), 200, IGA_HEADERS);
    },
    hook,
  );

  app.openapi(
    createRoute({
      method: 'post', path: `${A}/{certId}/update-deadline`, tags: TAG, middleware: [adminAuth] as const, summary: 'Update a campaign deadline',
      request: { params: certParam(), body: { content: { 'application/json': { schema: z.object({ newDeadline: z.string() }).passthrough() } } } },
      responses: { 200: json(obj()), 400: json(errorBody()), 404: json(errorBody()) },
    }),
    async (c) => {
      const env = c.get('env');
      const body = await jsonObject(c, 'iga');
      return send(c, svc.campaignView(env, svc.updateDeadline(env, c.get('actor'), c.req.valid('param').certId, body.newDeadline), true), 200, IGA_HEADERS);
    },
    hook,
  );

  app.openapi(
    createRoute({ method: 'post', path: `${A}/{certId}/cancel`, tags: TAG, middleware: [adminAuth] as const, summary: 'Cancel a campaign', request: { params: certParam() }, responses: { 200: json(obj()), 400: json(errorBody()), 404: json(errorBody()) } }),
    (c) => {
      const env = c.get('env');
      return send(c, svc.campaignView(env, svc.cancelCampaign(env, c.get('actor'), c.req.valid('param').certId), true), 200, IGA_HEADERS);
    },
    hook,
  );

  // ------------------------------------------------------------ reviewer work
  app.openapi(
    createRoute({
      method: 'get', path: `${R}/items`, tags: TAG, middleware: [reviewer] as const, summary: "The caller's review tasks",
      request: { query: myTasksQuery() },
      responses: { 200: json(obj()), 400: json(errorBody()) },
    }),
    (c) => send(c, svc.myTasks(c.get('env'), c.get('principal'), c.req.valid('query').status), 200, IGA_HEADERS),
    declaredHook,
  );

  const itemQuery = z.object({
    targetId: z.string().optional(), _pageSize: z.string().optional(), _pageNumber: z.string().optional(), _pagedResultsOffset: z.string().optional(), _searchAfter: z.string().optional(),
    status: z.string().optional(), decision: z.string().optional(), ownerId: z.string().optional(), user: z.string().optional(), resource: z.string().optional(),
    application: z.string().optional(), actorId: z.string().optional(), primaryReviewerId: z.string().optional(), primaryReviwerId: z.string().optional(),
    'user.userName': z.string().optional(), itemType: z.string().optional(), account: z.string().optional(), groupBy: z.string().optional(),
    appendUserPermissions: z.string().optional(), taskStatus: z.string().optional(), getCount: z.string().optional(), isAdmin: z.string().optional(),
    _sortKeys: z.string().optional(), _sortDir: z.string().optional(), _fields: z.string().optional(), _sortType: z.string().optional(),
  });
  const toItemQuery = (q: z.infer<typeof itemQuery>): svc.ItemQuery => {
    const pageSize = int(q._pageSize, '_pageSize', 10);
    return {
      status: q.status, decision: q.decision, user: q.user, userName: q['user.userName'], application: q.application, resource: q.resource,
      actorId: q.actorId, primaryReviewerId: q.primaryReviewerId ?? q.primaryReviwerId, itemType: q.itemType, targetId: q.targetId, taskStatus: q.taskStatus,
      isAdmin: bool(q.isAdmin), appendUserPermissions: bool(q.appendUserPermissions), pageSize,
      offset: q._pagedResultsOffset !== undefined ? int(q._pagedResultsOffset, '_pagedResultsOffset', 0, 1e9) : int(q._pageNumber, '_pageNumber', 0, 1e9) * pageSize,
      sortKeys: q._sortKeys, sortDir: q._sortDir === 'desc' ? 'desc' : 'asc', searchAfter: q._searchAfter || undefined,
    };
  };

  app.openapi(
    createRoute({ method: 'get', path: `${R}/{certId}/items`, tags: TAG, middleware: [reviewer] as const, summary: 'Line items of a campaign visible to the caller', request: { params: certParam(), query: itemQuery }, responses: { 200: json(obj()), 404: json(errorBody()) } }),
    (c) => {
      const q = c.req.valid('query');
      const res = svc.queryItems(c.get('env'), c.get('principal'), c.req.valid('param').certId, toItemQuery(q));
      // S3 L2960 getCount: only the count of matching items
      if (bool(q.getCount)) return send(c, { count: res.totalHits }, 200, IGA_HEADERS);
      return send(c, res, 200, IGA_HEADERS);
    },
    hook,
  );

  app.openapi(
    createRoute({
      method: 'post', path: `${R}/{certId}/items/search`, tags: TAG, middleware: [reviewer] as const, summary: 'Search line items with a targetFilter',
      request: { params: certParam(), query: itemQuery, body: { content: { 'application/json': { schema: z.object({ targetFilter: obj().optional() }).passthrough() } } } },
      responses: { 200: json(obj()), 400: json(errorBody()), 404: json(errorBody()) },
    }),
    async (c) => {
      const body = await jsonObject(c, 'iga');
      return send(c, svc.searchItems(c.get('env'), c.get('principal'), c.req.valid('param').certId, body.targetFilter, toItemQuery(c.req.valid('query'))), 200, IGA_HEADERS);
    },
    hook,
  );

  app.openapi(
    createRoute({
      method: 'post', path: `${R}/{certId}/items/{action}`, tags: TAG, middleware: [reviewer] as const,
      summary: 'Act on several line items (certify, revoke, exception, comment, forward, signoff)',
      request: {
        params: bulkActionParams(), query: z.object({ selectAllActorId: z.string().optional() }),
        body: { content: { 'application/json': { schema: z.object({ ids: z.array(z.string()).optional(), comment: z.string().optional(), newActorId: z.string().optional() }).passthrough() } } },
      },
      responses: { 200: json(actionResult()), 400: json(errorBody()), 404: json(errorBody()) },
    }),
    async (c) => {
      const { certId, action } = c.req.valid('param');
      const body = (await jsonObject(c, 'iga')) as svc.ActionBody;
      const selectAll = c.req.valid('query').selectAllActorId;
      return send(c, svc.actOnItems(c.get('env'), c.get('actor'), certId, action, body, selectAll || undefined), 200, IGA_HEADERS);
    },
    declaredHook,
  );

  app.openapi(
    createRoute({
      method: 'post', path: `${R}/{certId}/items/{lineItemId}/{action}`, tags: TAG, middleware: [reviewer] as const,
      summary: 'Act on one line item (certify, revoke, exception, comment, reassign, forward)',
      request: {
        params: singleActionParams(),
        body: { content: { 'application/json': { schema: z.object({ comment: z.string().optional(), newActorId: z.string().optional(), permissions: z.record(z.string(), z.boolean()).optional() }).passthrough() } } },
      },
      responses: { 200: json(actionResult()), 400: json(errorBody()), 403: json(errorBody()), 404: json(errorBody()) },
    }),
    async (c) => {
      const { certId, lineItemId, action } = c.req.valid('param');
      return send(c, svc.actOnItem(c.get('env'), c.get('actor'), certId, lineItemId, action, (await jsonObject(c, 'iga')) as svc.ActionBody), 200, IGA_HEADERS);
    },
    declaredHook,
  );
}
