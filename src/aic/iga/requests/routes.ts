// HTTP surface of IGA access requests (S3 L3714–7180; recording iga-request-types-and-forms): requests, user
// views, approvals, catalog, request types, request forms, form assignments and workflows.
import { igaListQuery } from '../../../core/crest.js';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../../core/types.js';
import type { Environment } from '../../../environment.js';
import { aicAuth } from '../../../core/auth.js';
import { Forbidden, Invalid } from '../../../core/errors.js';
import { errorShape, fastOpenapi, jsonText, oneLayer, productMessageHook, rawQuery } from '../../../core/http.js';
import { keptView } from '../../../core/viewCache.js';
import { auditActivity } from '../../../core/audit.js';
import { governance, indexes } from '../../governance/service.js';
import * as cfg from './config.js';
import * as svc from './service.js';
import { listQuery, intParam, project, sortBy, type ListParams } from './query.js';
import { filterBy } from '../targetFilter.js';
import { assignmentBody, objectBody, patchBody, type AccessRequest, type AssignmentBody, type JsonObject, type PatchOp } from './model.js';
import { escapeHtml } from '../../../core/html.js';
import { lazy } from '../../../core/lazy.js';

type C = Context<AppEnv>;
/** Domain errors of these routes answer IGA's `{"message"}` (aic/errors.ts). */
const IGA_ERRORS = errorShape('iga');
/** Tokens with the fr:iga:* scope (governance administrators are checked per endpoint where the product does). */
const IGA_SCOPE = () => [oneLayer(IGA_ERRORS, aicAuth({ anyOf: ['fr:iga:*'] }))];
/** Any valid token: end-user endpoints act as the token's user. */
const ANY_TOKEN = () => [oneLayer(IGA_ERRORS, aicAuth({}))];

const listQueryParams = lazy(() =>
  igaListQuery().extend({
    _action: z.string().optional(),
    _useLowLevelApi: z.string().optional(),
    _queryString: z.string().optional(),
    _ignoreRequestable: z.string().optional(),
    actorStatus: z.string().optional(),
    phaseName: z.string().optional(),
    userId: z.string().optional(),
    runPreventativeScan: z.string().optional(),
  }),
);

const jsonSchema = lazy(() => z.record(z.string(), z.unknown()));
const okJson = (description: string) => ({ 200: { description, content: { 'application/json': { schema: jsonSchema() } } } });
const errJson = lazy(() => ({ content: { 'application/json': { schema: z.object({ message: z.string() }).openapi('IgaError') } } }));
const responses = (description: string) => ({ ...okJson(description), 400: { description: 'Invalid request', ...errJson() }, 403: { description: 'Not allowed', ...errJson() }, 404: { description: 'Not found', ...errJson() } });

/** A route of this surface; `body` declares its JSON body (required: an absent body is checked as `{}`). */
function route<B extends z.ZodTypeAny = z.ZodUndefined>(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, summary: string, middleware: typeof IGA_SCOPE, params?: Record<string, string>, body?: B) {
  return createRoute({
    method,
    path,
    summary,
    tags: ['IGA access requests'],
    middleware: middleware(),
    request: {
      query: listQueryParams(),
      ...(params ? { params: z.object(Object.fromEntries(Object.keys(params).map((k) => [k, z.string().openapi({ description: params[k] })]))) } : {}),
      ...(body ? { body: { content: { 'application/json': { schema: body as B } }, required: true } } : {}),
    },
    responses: responses(summary),
  });
}

/** The body schemas carry the service's own sentences: a failure is IGA's `{"message"}` with them as written. */
const hook = productMessageHook('iga');
/** The validated body (the routes are built by `route`, so their body type is not inferred here). */
const bodyOf = (c: C) => (c.req.valid as (t: 'json') => unknown)('json');
const objectOf = (c: C) => bodyOf(c) as JsonObject;

const P = (c: C, name: string): string => c.req.param(name) ?? '';
const q = (c: C) => c.req.query() as ListParams & Record<string, string | undefined>;

/** End-user endpoints act as the token's user; administrators may look at anyone. */
function assertSelfOrAdmin(c: C, userId: string): void {
  const p = c.get('principal');
  if (p.type === 'user' ? p.id !== userId && !svc.isAdmin(c.get('env'), p) : !svc.isAdmin(c.get('env'), p)) throw new Forbidden(`User ${p.id} is not authorized to view requests of user ${userId}`);
}

/** The admin search over every request: governance administrators only (an end user's token may carry fr:iga:* too). */
function assertAdmin(c: C): void {
  if (!svc.isAdmin(c.get('env'), c.get('principal'))) throw new Forbidden('User is not authorized to search all requests');
}

/** Search results of the user and approvals views (S3 L5560, L6090: result, searchAfterKey, totalCount, resultCount). */
function requestPage(list: AccessRequest[], query: ListParams, targetFilter: unknown) {
  const matched = filterBy(list, targetFilter);
  const page = listQuery(sortBy(matched, query._sortKeys ?? 'metadata.createdDate', query._sortDir ?? (query._sortKeys ? undefined : 'desc')), { ...query, _sortKeys: undefined, _sortBy: undefined }, svc.requestView);
  const last = page.result[page.result.length - 1] as JsonObject | undefined;
  return { result: page.result, searchAfterKey: last ? [String(last.id ?? '')] : [], totalCount: page.totalCount, resultCount: page.resultCount };
}

/**
 * A page of the admin search over every request, as JSON (the key of its kept views is the query itself):
 * `{result, searchAfterKey, totalCount, resultCount}`, the key null on an empty page
 * (test/reference/recordings/iga-workflows.frodo.json), else the last entry's id as the user views give it (S3 L5526).
 */
function searchPage(c: C): string {
  const query = q(c); // c.req.query() parses the URL on each call
  const page = listQuery(svc.allRequests(c.get('env')), { ...query, _sortKeys: query._sortKeys ?? undefined }, svc.requestView);
  const last = page.result[page.result.length - 1] as JsonObject | undefined;
  return JSON.stringify({ result: page.result, searchAfterKey: last ? [String(last.id ?? '')] : null, totalCount: page.totalCount, resultCount: page.resultCount });
}

const ACTIONS = new Set(['approve', 'reject', 'comment', 'cancel', 'reassign', 'update', 'modify']);

// ---- catalog (S3 L8072–8330) ---------------------------------------------------------------------------------

function catalogItems(env: Environment, includeNonRequestable: boolean): JsonObject[] {
  const g = governance(env);
  const ix = indexes(g);
  const out: JsonObject[] = [];
  for (const a of g.applications) out.push({ id: a.id, item: { type: 'accountGrant' }, application: svc.appView(a), applicationOwner: svc.owners(g, a.ownerIds) });
  for (const e of g.entitlements) {
    if (!e.requestable && !includeNonRequestable) continue;
    const app = ix.applications.get(e.applicationId);
    out.push({
      id: e.id,
      item: { type: 'entitlementGrant' },
      descriptor: { idx: { '/entitlement': { displayName: e.name } } },
      glossary: { idx: { '/entitlement': { requestable: e.requestable } } },
      entitlement: { _id: e.id, displayName: e.name, description: e.description },
      assignment: { id: e.id, name: e.name, description: e.description, type: '__ENTITLEMENT__' },
      ...(app ? { application: svc.appView(app), applicationOwner: svc.owners(g, app.ownerIds) } : {}),
      entitlementOwner: svc.owners(g, e.ownerIds),
    });
  }
  for (const r of g.roles) {
    if (!r.requestable && !includeNonRequestable) continue;
    out.push({ id: r.id, item: { type: 'roleMembership' }, role: svc.roleView(r), roleOwner: svc.owners(g, r.ownerIds), glossary: { idx: { '/role': { requestable: r.requestable } } } });
  }
  return out;
}

export function registerRoutes(app: EnvApp): void {
  // query and path parameters checked without a zod-openapi validator layer each (core/http.ts fastOpenapi)
  const openapi = fastOpenapi(app);
  // ---- requests ------------------------------------------------------------------------------------------
  openapi(route('get', '/iga/governance/requests', 'Search access requests (admin)', IGA_SCOPE), (c) => {
    assertAdmin(c);
    // the page as JSON, made once per state change and query (core/viewCache.ts): every administrator sees the same
    return jsonText(c, keptView(c.get('env'), 'igaRequests', rawQuery(c), searchPage, '', c), 200);
  });

  // S3 L3724: create or validate requests for users × catalog items
  openapi(route('post', '/iga/governance/requests', 'Create or validate requests for users × catalog items', ANY_TOKEN, undefined, objectBody()), (c) => {
    const env = c.get('env');
    // S3 L3733: the documented parameter is `action` (create | validate); `_action` works alike
    const action = q(c)._action ?? q(c).action ?? 'create';
    const b = objectOf(c);
    if (action === 'search') {
      assertAdmin(c);
      const list = filterBy(svc.allRequests(env), b.targetFilter);
      return c.json(listQuery(list, q(c), svc.requestView), 200);
    }
    if (action !== 'create' && action !== 'validate') throw new Invalid(`Invalid action: ${action}`);
    const res = svc.bulkRequests(env, b, action === 'validate', { ctx: c.get('actor'), principal: c.get('principal') });
    return c.json(res, (res.errors.length ? 400 : 200) as 200);
  }, hook);

  // POST /requests/{requestTypeId} (create, ?_action=validate|publish) and POST /requests/{requestId}?_action=approve|…
  openapi(route('post', '/iga/governance/requests/{id}', 'Create a request of a type, or act on a request', ANY_TOKEN, { id: 'requestTypeId (create/validate) or requestId (actions)' }, objectBody()), (c) => {
    const env = c.get('env');
    const id = P(c, 'id');
    const action = q(c)._action;
    if (action && ACTIONS.has(action)) {
      const b = objectOf(c);
      const r = svc.actOnRequest(env, id, action as svc.RequestAction, b, q(c).phaseName, c.get('actor'));
      return c.json(svc.requestView(r), 200);
    }
    if (action && action !== 'create' && action !== 'publish' && action !== 'validate') throw new Invalid(`Invalid action: ${action}`);
    const b = objectOf(c);
    if (action === 'validate') {
      const v = svc.validateRequest(env, id, b);
      return c.json({ errors: v.errors, comments: v.comments }, (v.errors.length ? 400 : 200) as 200);
    }
    const r = svc.createRequest(env, id, b, { ctx: c.get('actor'), principal: c.get('principal') });
    return c.json(svc.requestView(r), 200);
  }, hook);

  openapi(route('get', '/iga/governance/requests/{requestId}', 'Read an access request', ANY_TOKEN, { requestId: 'Request id' }), (c) => {
    const env = c.get('env');
    const r = svc.getRequest(env, P(c, 'requestId'));
    const p = c.get('principal');
    if (!svc.canView(env, r, p)) throw new Forbidden(`User ${p.id} is not authorized to view request ${r.id}`);
    return c.json(project(svc.requestView(r), q(c)._fields) as JsonObject, 200);
  });

  openapi(route('put', '/iga/governance/requests/{requestId}', 'Replace the request payload', ANY_TOKEN, { requestId: 'Request id' }, objectBody()), (c) => {
    const r = svc.replaceRequestBody(c.get('env'), P(c, 'requestId'), objectOf(c), c.get('actor'));
    return c.json(svc.requestView(r), 200);
  }, hook);

  openapi(route('patch', '/iga/governance/requests/{requestId}', 'Patch the request payload', ANY_TOKEN, { requestId: 'Request id' }, patchBody()), (c) => {
    const env = c.get('env');
    const r = svc.getRequest(env, P(c, 'requestId'));
    const patched = cfg.applyPatch({ request: r.request } as JsonObject, bodyOf(c) as PatchOp[]);
    const out = svc.replaceRequestBody(env, r.id, (patched.request ?? {}) as JsonObject, c.get('actor'));
    return c.json(svc.requestView(out), 200);
  }, hook);

  // ---- user views (S3 L5489–6500) ------------------------------------------------------------------------------
  openapi(route('get', '/iga/governance/user/{userId}/requests', "A user's requests", ANY_TOKEN, { userId: 'User id' }), (c) => {
    const userId = P(c, 'userId');
    assertSelfOrAdmin(c, userId);
    return c.json(requestPage(svc.userRequests(c.get('env'), userId), q(c), undefined), 200);
  });

  openapi(route('post', '/iga/governance/user/{userId}/requests', "Search a user's requests (targetFilter)", ANY_TOKEN, { userId: 'User id' }, objectBody()), (c) => {
    const userId = P(c, 'userId');
    if ((q(c)._action ?? 'search') !== 'search') throw new Invalid(`Invalid action: ${q(c)._action}`);
    assertSelfOrAdmin(c, userId);
    const b = objectOf(c);
    return c.json(requestPage(svc.userRequests(c.get('env'), userId), q(c), b.targetFilter), 200);
  }, hook);

  const approvals = async (c: C, targetFilter: unknown) => {
    const userId = P(c, 'userId');
    assertSelfOrAdmin(c, userId);
    const status = q(c).actorStatus === 'inactive' ? 'inactive' : 'active';
    return c.json(requestPage(svc.userApprovals(c.get('env'), userId, status), q(c), targetFilter), 200);
  };
  openapi(route('post', '/iga/governance/user/{userId}/approvals', 'Requests the user must decide (directly or through a role)', ANY_TOKEN, { userId: 'User id' }, objectBody()), (c) => {
    if ((q(c)._action ?? 'search') !== 'search') throw new Invalid(`Invalid action: ${q(c)._action}`);
    return approvals(c, objectOf(c).targetFilter);
  }, hook);
  openapi(route('get', '/iga/governance/user/{userId}/approvals', 'Requests the user must decide', ANY_TOKEN, { userId: 'User id' }), (c) => approvals(c, undefined));

  // ---- catalog -----------------------------------------------------------------------------------------------
  const catalog = (c: C, targetFilter: unknown) => {
    const items = filterBy(catalogItems(c.get('env'), q(c)._ignoreRequestable === 'true'), targetFilter);
    const page = listQuery(items, q(c));
    return c.json({ result: page.result, totalCount: page.totalCount, resultCount: page.resultCount }, 200);
  };
  openapi(route('get', '/iga/governance/catalog', 'Requestable applications, entitlements and roles', ANY_TOKEN), (c) => catalog(c, undefined));
  openapi(route('post', '/iga/governance/catalog', 'Search the catalog (targetFilter)', ANY_TOKEN, undefined, objectBody()), (c) => catalog(c, objectOf(c).targetFilter), hook);
  openapi(route('post', '/iga/governance/catalog/search', 'Search the catalog (targetFilter)', ANY_TOKEN, undefined, objectBody()), (c) => catalog(c, objectOf(c).targetFilter), hook);

  // ---- request types (S3 L6870–7180) ------------------------------------------------------------------------------
  openapi(route('get', '/iga/governance/requestTypes', 'List request types', IGA_SCOPE), (c) => c.json(listQuery(cfg.allRequestTypes(c.get('env')), q(c), cfg.requestTypeView), 200));

  openapi(route('post', '/iga/governance/requestTypes', 'Create a request type', IGA_SCOPE, undefined, objectBody()), (c) => {
    const env = c.get('env');
    const { doc, raw } = cfg.createRequestType(env, objectOf(c));
    auditActivity(env, c.get('actor'), { objectId: `governance/requestTypes/${doc.id}`, operation: 'CREATE' });
    return c.json(raw ? cfg.requestTypeRaw(doc) : cfg.requestTypeView(doc), 200);
  }, hook);

  openapi(route('get', '/iga/governance/requestTypes/{id}', 'Read a request type', IGA_SCOPE, { id: 'Request type id' }), (c) => c.json(cfg.requestTypeView(cfg.getRequestType(c.get('env'), P(c, 'id'))), 200));

  openapi(route('put', '/iga/governance/requestTypes/{id}', 'Replace a request type', IGA_SCOPE, { id: 'Request type id' }, objectBody()), (c) => {
    const env = c.get('env');
    const doc = cfg.replaceRequestType(env, P(c, 'id'), objectOf(c));
    auditActivity(env, c.get('actor'), { objectId: `governance/requestTypes/${doc.id}`, operation: 'UPDATE' });
    return c.json(cfg.requestTypeView(doc), 200);
  }, hook);

  openapi(route('patch', '/iga/governance/requestTypes/{id}', 'Patch a request type', IGA_SCOPE, { id: 'Request type id' }, patchBody()), (c) => {
    const env = c.get('env');
    const doc = cfg.patchRequestType(env, P(c, 'id'), bodyOf(c) as PatchOp[]);
    auditActivity(env, c.get('actor'), { objectId: `governance/requestTypes/${doc.id}`, operation: 'PATCH' });
    // recording: `_useLowLevelApi=true` answers the stored form (schema references, no metadata)
    return c.json(q(c)._useLowLevelApi === 'true' ? cfg.requestTypeRaw(doc) : cfg.requestTypeView(doc), 200);
  }, hook);

  openapi(route('delete', '/iga/governance/requestTypes/{id}', 'Delete a custom request type', IGA_SCOPE, { id: 'Request type id' }), (c) => {
    const env = c.get('env');
    const doc = cfg.deleteRequestType(env, P(c, 'id'));
    auditActivity(env, c.get('actor'), { objectId: `governance/requestTypes/${doc.id}`, operation: 'DELETE' });
    return c.json(cfg.requestTypeView(doc), 200);
  });

  // ---- request forms (S3 L6516–6780) -----------------------------------------------------------------------------
  openapi(route('get', '/iga/governance/requestForms', 'List request forms', IGA_SCOPE), (c) => c.json(listQuery(cfg.requestsState(c.get('env')).requestForms, q(c)), 200));

  openapi(route('post', '/iga/governance/requestForms', 'Create a request form', IGA_SCOPE, undefined, objectBody()), (c) => {
    const env = c.get('env');
    const form = cfg.createForm(env, objectOf(c));
    auditActivity(env, c.get('actor'), { objectId: `governance/requestForms/${form.id}`, operation: 'CREATE' });
    return c.json(form, 200);
  }, hook);

  const readForm = route('get', '/iga/governance/requestForms/{id}', 'Read a request form', IGA_SCOPE, { id: 'Form id' });
  // recording: an unknown form is a text/html 404
  const formResponses = { ...readForm.responses, 404: { description: 'No such form: "Object not found with ID: <id>"', content: { 'text/html': { schema: z.string() } } } };
  openapi({ ...readForm, responses: formResponses }, (c) => {
    const id = P(c, 'id');
    const form = cfg.findForm(c.get('env'), id);
    // recording: an unknown form is a text/html 404 "Object not found with ID: <id>"
    if (!form) return c.body(`Object not found with ID: ${escapeHtml(id)}`, 404, { 'content-type': 'text/html; charset=utf-8' }) as never;
    return c.json(form, 200);
  });

  openapi(route('put', '/iga/governance/requestForms/{id}', 'Create or replace a request form', IGA_SCOPE, { id: 'Form id' }, objectBody()), (c) => {
    const env = c.get('env');
    const form = cfg.putForm(env, P(c, 'id'), objectOf(c));
    auditActivity(env, c.get('actor'), { objectId: `governance/requestForms/${form.id}`, operation: 'UPDATE' });
    return c.json(form, 200);
  }, hook);

  openapi(route('patch', '/iga/governance/requestForms/{id}', 'Patch a request form', IGA_SCOPE, { id: 'Form id' }, patchBody()), (c) => {
    const env = c.get('env');
    const form = cfg.patchForm(env, P(c, 'id'), bodyOf(c) as PatchOp[]);
    auditActivity(env, c.get('actor'), { objectId: `governance/requestForms/${form.id}`, operation: 'PATCH' });
    return c.json(form, 200);
  }, hook);

  openapi(route('delete', '/iga/governance/requestForms/{id}', 'Delete a request form', IGA_SCOPE, { id: 'Form id' }), (c) => {
    const env = c.get('env');
    const form = cfg.deleteForm(env, P(c, 'id'));
    auditActivity(env, c.get('actor'), { objectId: `governance/requestForms/${form.id}`, operation: 'DELETE' });
    return c.json(form, 200);
  });

  // ---- form assignments (S3 L6782–6870) ---------------------------------------------------------------------------
  openapi(route('get', '/iga/governance/requestFormAssignments', 'List form assignments', IGA_SCOPE), (c) => c.json(listQuery(cfg.requestsState(c.get('env')).requestFormAssignments, q(c)), 200));

  openapi(route('post', '/iga/governance/requestFormAssignments', 'Assign or unassign a form', IGA_SCOPE, undefined, assignmentBody()), (c) => {
    const env = c.get('env');
    const action = q(c)._action;
    const b = bodyOf(c) as AssignmentBody;
    if (action === 'assign') {
      const a = cfg.assignForm(env, b);
      auditActivity(env, c.get('actor'), { objectId: `governance/requestFormAssignments/${a.objectId}`, operation: 'ACTION', details: { action, formId: a.formId } });
      return c.json(a, 200);
    }
    if (action === 'unassign') {
      const a = cfg.unassignForm(env, b);
      auditActivity(env, c.get('actor'), { objectId: `governance/requestFormAssignments/${a.objectId}`, operation: 'ACTION', details: { action, formId: a.formId } });
      return c.json(a, 200);
    }
    throw new Invalid(`Invalid action: ${action ?? ''}`);
  }, hook);

  // ---- workflows (recording: GET /iga/governance/workflow, /workflow/{id}/draft|published) ---------------------------
  openapi(route('get', '/iga/governance/workflow', 'List workflows (drafts and published)', IGA_SCOPE), (c) => {
    // S4 L40590–40592: `_queryString` matches the workflow's displayName, description and name
    const qs = (q(c)._queryString ?? '').toLowerCase();
    const list = cfg.allWorkflows(c.get('env')).filter((w) => !qs || [w.displayName, w.description, w.name].some((v) => String(v ?? '').toLowerCase().includes(qs)));
    // test/reference/recordings/iga-workflows.frodo.json: `_pagedResultsOffset=1` answers every workflow (29 of 29), so
    // the offset counts records from 1 (0 reads as 1)
    const offset = Math.max(0, intParam(q(c)._pagedResultsOffset, '_pagedResultsOffset', 0) - 1);
    const size = intParam(q(c)._pageSize, '_pageSize', 10000);
    const page = list.slice(offset, offset + (size || list.length));
    const last = page[page.length - 1];
    return c.json({ ...(last ? { searchAfterKey: Buffer.from(`${last.status}|${last.id}`).toString('base64') } : {}), resultCount: page.length, totalCount: list.length, result: page }, 200);
  });

  for (const status of ['draft', 'published'] as const) {
    openapi(route('get', `/iga/governance/workflow/{id}/${status}`, `Read the ${status} workflow`, IGA_SCOPE, { id: 'Workflow id' }), (c) => c.json(cfg.getWorkflow(c.get('env'), P(c, 'id'), status), 200));
    openapi(route('delete', `/iga/governance/workflow/{id}/${status}`, `Delete the ${status} workflow`, IGA_SCOPE, { id: 'Workflow id' }), (c) => {
      const env = c.get('env');
      const w = cfg.deleteWorkflow(env, P(c, 'id'), status);
      auditActivity(env, c.get('actor'), { objectId: `governance/workflow/${w.id}/${status}`, operation: 'DELETE' });
      return c.json(w, 200);
    });
  }
  openapi(route('put', '/iga/governance/workflow/{id}/draft', 'Create or replace a workflow draft', IGA_SCOPE, { id: 'Workflow id' }, objectBody()), (c) => {
    const env = c.get('env');
    const w = cfg.putWorkflowDraft(env, P(c, 'id'), objectOf(c));
    auditActivity(env, c.get('actor'), { objectId: `governance/workflow/${w.id}/draft`, operation: 'UPDATE' });
    return c.json(w, 200);
  }, hook);
  openapi(route('post', '/iga/governance/workflow/{id}/draft', 'Publish a workflow draft (_action=publish)', IGA_SCOPE, { id: 'Workflow id' }), (c) => {
    if (q(c)._action !== 'publish') throw new Invalid(`Invalid action: ${q(c)._action ?? ''}`);
    const env = c.get('env');
    const w = cfg.publishWorkflow(env, P(c, 'id'));
    auditActivity(env, c.get('actor'), { objectId: `governance/workflow/${w.id}/published`, operation: 'ACTION', details: { action: 'publish' } });
    return c.json(w, 200);
  });
}
