// HTTP for ISC access requests and their approvals (contract isc-v3-access-model-requests-search.openapi.json, tags
// "Access Requests" and "Access Request Approvals"). Rules live in the services; this file maps requests and results.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { iscAuth } from '../../core/auth.js';
import { jsonBody } from '../../core/http.js';
import { iscErrors as errors, json, listQuery, routeAdder, withTotal } from '../shared/routes.js';
import { getConfig, setConfig } from './state.js';
import { parsePaging } from '../shared/filters.js';
import { cancelAccessRequest, createAccessRequest, listAccessRequestStatus } from './service.js';
import { approvalSummary, approve, forward, listCompletedApprovals, listPendingApprovals, reject } from './approvals.js';
import { lazy } from '../../core/lazy.js';

const obj = lazy(() => z.record(z.string(), z.unknown()));
const accepted = lazy(() => json(obj(), 'Accepted - Returned if the request was successfully accepted into the system.'));

function list(c: Context<AppEnv>, res: { rows: unknown[]; total: number }, count: boolean): Response {
  withTotal(c, count, res.total);
  return c.json(res.rows);
}

export function registerAccessRequestRoutes(app: EnvApp): void {
  const add = routeAdder(app);
  const tags = ['Access Requests'];
  const approvalTags = ['Access Request Approvals'];

  // ---- access requests (contract security.userAuth per operation)
  add(
    createRoute({
      method: 'post',
      path: '/v3/access-requests',
      operationId: 'createAccessRequest',
      tags,
      summary: 'Submit an access request (asynchronous: 202, then approvals and provisioning on the clock)',
      middleware: [iscAuth({ scopes: ['idn:access-request:manage', 'idn:access-request-self:manage'] })],
      request: { body: { content: { 'application/json': { schema: obj() } }, required: true } },
      responses: { 202: accepted(), ...errors() },
    }),
    async (c) => c.json(createAccessRequest(c.get('env'), c.get('actor'), await jsonBody(c, 'isc', { required: true })), 202),
  );
  add(
    createRoute({
      method: 'post',
      path: '/v3/access-requests/cancel',
      operationId: 'cancelAccessRequest',
      tags,
      summary: 'Cancel an access request that has not passed its approval step (requester or ORG_ADMIN)',
      middleware: [iscAuth({ scopes: ['idn:access-request:manage'] })],
      request: { body: { content: { 'application/json': { schema: obj() } }, required: true } },
      responses: { 202: accepted(), ...errors() },
    }),
    async (c) => {
      cancelAccessRequest(c.get('env'), c.get('actor'), await jsonBody(c, 'isc', { required: true }));
      return c.json({}, 202);
    },
  );
  add(
    createRoute({
      method: 'get',
      path: '/v3/access-request-status',
      operationId: 'listAccessRequestStatus',
      tags,
      summary: 'Access request status (own requests; ORG_ADMIN for others)',
      middleware: [iscAuth({ scopes: ['idn:access-request-status:read'] })],
      request: { query: listQuery().extend({ 'requested-for': z.string().optional(), 'requested-by': z.string().optional(), 'regarding-identity': z.string().optional(), 'assigned-to': z.string().optional(), 'request-state': z.string().optional() }) },
      responses: { 200: json(z.array(obj()), 'List of requested item status.'), ...errors() },
    }),
    (c) => {
      const q = c.req.query();
      const paging = parsePaging(q);
      const res = listAccessRequestStatus(c.get('env'), c.get('principal'), { requestedFor: q['requested-for'], requestedBy: q['requested-by'], regardingIdentity: q['regarding-identity'], assignedTo: q['assigned-to'], requestState: q['request-state'], filters: q.filters, sorters: q.sorters }, paging);
      return list(c, res, paging.count);
    },
  );

  // ---- approvals
  const approvalsRead = [iscAuth({ scopes: ['idn:access-request-approvals:read'] })];
  const approvalsManage = [iscAuth({ scopes: ['idn:access-request-approvals:manage'] })];
  for (const [path, operationId, fn] of [
    ['pending', 'listPendingApprovals', listPendingApprovals],
    ['completed', 'listCompletedApprovals', listCompletedApprovals],
  ] as const) {
    add(
      createRoute({
        method: 'get',
        path: `/v3/access-request-approvals/${path}`,
        operationId,
        tags: approvalTags,
        summary: `${path === 'pending' ? 'Pending' : 'Completed'} access request approvals (owner-id: me or, for ORG_ADMIN, anyone)`,
        middleware: approvalsRead,
        request: { query: listQuery().extend({ 'owner-id': z.string().optional() }) },
        responses: { 200: json(z.array(obj()), `List of ${path} approvals.`), ...errors() },
      }),
      (c) => {
        const q = c.req.query();
        const paging = parsePaging(q);
        return list(c, fn(c.get('env'), c.get('principal'), { ownerId: q['owner-id'], filters: q.filters, sorters: q.sorters }, paging), paging.count);
      },
    );
  }
  add(
    createRoute({
      method: 'get',
      path: '/v3/access-request-approvals/approval-summary',
      operationId: 'getAccessRequestApprovalSummary',
      tags: approvalTags,
      summary: 'Numbers of pending, approved and rejected approvals',
      middleware: approvalsRead,
      request: { query: z.object({ 'owner-id': z.string().optional(), 'from-date': z.string().optional() }) },
      responses: { 200: json(obj(), 'Number of pending, approved, rejected access requests approvals.'), ...errors() },
    }),
    (c) => c.json(approvalSummary(c.get('env'), c.get('principal'), { ownerId: c.req.query('owner-id'), fromDate: c.req.query('from-date') })),
  );
  for (const [action, fn, required] of [
    ['approve', approve, false],
    ['reject', reject, true],
    ['forward', forward, true],
  ] as const) {
    add(
      createRoute({
        method: 'post',
        path: `/v3/access-request-approvals/{approvalId}/${action}`,
        operationId: `${action}AccessRequest`,
        tags: approvalTags,
        summary: `${action[0]!.toUpperCase()}${action.slice(1)} an access request approval (its owner or ORG_ADMIN)`,
        middleware: approvalsManage,
        request: { params: z.object({ approvalId: z.string() }), body: { content: { 'application/json': { schema: obj() } }, required } },
        responses: { 202: accepted(), ...errors() },
      }),
      async (c) => {
        fn(c.get('env'), c.get('actor'), c.req.param('approvalId')!, await jsonBody(c, 'isc', { required }));
        return c.json({}, 202);
      },
    );
  }

  add(
    createRoute({
      method: 'get',
      path: '/v3/access-request-config',
      operationId: 'getAccessRequestConfig',
      tags,
      summary: 'Get access request configuration',
      middleware: [iscAuth({ scopes: ['idn:access-request-config:read'] })],
      responses: { 200: json(obj(), 'Access request configuration details.'), ...errors() },
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
      request: { body: { content: { 'application/json': { schema: obj() } }, required: true } },
      responses: { 200: json(obj(), 'Access request configuration details.'), ...errors() },
    }),
    async (c) => c.json(setConfig(c.get('env'), c.get('principal'), await jsonBody(c, 'isc', { required: true }))),
  );
}
