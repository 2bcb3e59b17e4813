// HTTP for ISC certifications (contract isc-v3-certifications-access-requests.openapi.json), on /v3 and /beta, and
// POST /v3/search for the `events` index. Rules live in service.ts; this file maps requests and results.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { iscAuth } from '../../core/auth.js';
import { iscErrors as errors, json, listQuery, withTotal, routeAdder } from '../shared/routes.js';
import { parsePaging } from '../shared/filters.js';
import { jsonText, rawQuery } from '../../core/http.js';
import { keptView } from '../../core/viewCache.js';
import type { Principal } from '../../core/auth.js';
import { accessReviewItem, accessSummaryDto, certificationTask, decisionSummaryDto, identitySummaryDto, identityCertificationDto, identityReference, reviewDecisionBody, reviewReassignBody } from './dto.js';
import { certificationFor, decide, decisionSummary, getIdentitySummary, getTask, listAccessSummaries, listIdentitySummaries, listItemPermissions, isCertAdmin, listCertifications, listItems, listReviewers, listTasks, reassign, reassignAsync, renderCertification, signOff } from './service.js';
import type { ReviewDecision, ReviewReassign } from './model.js';
import { AREA } from './state.js';
import { lazy } from '../../core/lazy.js';

const idParam = lazy(() => z.object({ id: z.string() }));

/** The kept lists' group of a caller (core/viewCache.ts): who they are and whether they see every certification. */
const groups = new WeakMap<Principal, string>();
function callerGroup(p: Principal): string {
  let g = groups.get(p);
  if (g === undefined) groups.set(p, (g = `${p.id}\n${isCertAdmin(p)}`));
  return g;
}

/** A page of the caller's certifications: X-Total-Count's parts and the rows as JSON. */
function certificationsPage(c: Context<AppEnv>): { count: boolean; total: number; text: string } {
  const env = c.get('env');
  const q = c.req.query();
  const paging = parsePaging(q);
  const res = listCertifications(env, c.get('principal'), { reviewerIdentity: q['reviewer-identity'], filters: q.filters, sorters: q.sorters }, paging);
  return { count: paging.count, total: res.total, text: JSON.stringify(res.rows) };
}

export function registerCertificationRoutes(app: EnvApp): void {
  const add = routeAdder(app);
  for (const prefix of ['/v3', '/beta'] as const) {
    const op = (name: string) => (prefix === '/v3' ? name : `${name}Beta`);
    const tags = [prefix === '/v3' ? 'Certifications' : 'Certifications (beta)'];
    // contract security.userAuth per operation: reads need idn:campaign:read, changes idn:campaign:manage
    const readScope = [iscAuth({ scopes: ['idn:campaign:read'] })];
    const manageScope = [iscAuth({ scopes: ['idn:campaign:manage'] })];

    add(
      createRoute({
        method: 'get',
        path: `${prefix}/certifications`,
        operationId: op('listIdentityCertifications'),
        tags,
        summary: 'List identity campaign certifications',
        middleware: readScope,
        request: { query: listQuery().extend({ 'reviewer-identity': z.string().optional() }) },
        responses: { 200: json(z.array(identityCertificationDto()), 'List of identity campaign certifications.'), ...errors() },
      }),
      (c) => {
        // the page as JSON, made once per state change, caller and query (core/viewCache.ts): what a caller sees
        // depends on who they are (admin or reviewer, `reviewer-identity=me`)
        const page = keptView(c.get('env'), AREA, rawQuery(c), certificationsPage, callerGroup(c.get('principal')), c);
        withTotal(c, page.count, page.total);
        return jsonText(c, page.text);
      },
    );

    add(
      createRoute({
        method: 'get',
        path: `${prefix}/certifications/{id}`,
        operationId: op('getIdentityCertification'),
        tags,
        summary: 'Identity certification by id',
        middleware: readScope,
        request: { params: idParam() },
        responses: { 200: json(identityCertificationDto(), 'An identity campaign certification object'), ...errors() },
      }),
      (c) => {
        const env = c.get('env');
        return c.json(renderCertification(env, certificationFor(env, c.get('principal'), c.req.param('id')!)));
      },
    );

    add(
      createRoute({
        method: 'get',
        path: `${prefix}/certifications/{id}/access-review-items`,
        operationId: op('listIdentityAccessReviewItems'),
        tags,
        summary: 'List of access review items',
        middleware: readScope,
        request: { params: idParam(), query: listQuery().extend({ entitlements: z.string().optional(), 'access-profiles': z.string().optional(), roles: z.string().optional() }) },
        responses: { 200: json(z.array(accessReviewItem()), 'A list of access review items'), ...errors() },
      }),
      (c) => {
        const env = c.get('env');
        const cert = certificationFor(env, c.get('principal'), c.req.param('id')!);
        const q = c.req.query();
        const paging = parsePaging(q);
        const res = listItems(env, cert, { filters: q.filters, sorters: q.sorters, entitlements: q.entitlements, accessProfiles: q['access-profiles'], roles: q.roles }, paging);
        withTotal(c, paging.count, res.total);
        return c.json(res.rows);
      },
    );

    add(
      createRoute({
        method: 'get',
        path: `${prefix}/certifications/{certificationId}/access-review-items/{itemId}/permissions`,
        operationId: op('getIdentityCertificationItemPermissions'),
        tags,
        summary: 'Permissions for entitlement certification item',
        middleware: readScope,
        request: { params: z.object({ certificationId: z.string(), itemId: z.string() }), query: listQuery() },
        responses: { 200: json(z.array(z.object({ rights: z.array(z.string()), target: z.string() }).openapi('PermissionDto')), 'A list of permissions associated with the given itemId'), ...errors() },
      }),
      (c) => {
        const env = c.get('env');
        const cert = certificationFor(env, c.get('principal'), c.req.param('certificationId')!);
        const q = c.req.query();
        const paging = parsePaging(q);
        const res = listItemPermissions(cert, c.req.param('itemId')!, { filters: q.filters }, paging);
        withTotal(c, paging.count, res.total);
        return c.json(res.rows);
      },
    );

    add(
      createRoute({
        method: 'get',
        path: `${prefix}/certifications/{id}/reviewers`,
        operationId: op('listCertificationReviewers'),
        tags,
        summary: 'List of reviewers for certification',
        middleware: readScope,
        request: { params: idParam(), query: listQuery() },
        responses: { 200: json(z.array(identityReference()), 'A list of reviewers'), ...errors() },
      }),
      (c) => {
        const env = c.get('env');
        const cert = certificationFor(env, c.get('principal'), c.req.param('id')!);
        const q = c.req.query();
        const paging = parsePaging(q);
        const res = listReviewers(env, cert, { filters: q.filters, sorters: q.sorters }, paging);
        withTotal(c, paging.count, res.total);
        return c.json(res.rows);
      },
    );

    add(
      createRoute({
        method: 'get',
        path: `${prefix}/certifications/{id}/decision-summary`,
        operationId: op('getIdentityDecisionSummary'),
        tags,
        summary: 'Summary of certification decisions',
        middleware: readScope,
        request: { params: idParam(), query: z.object({ filters: z.string().optional() }) },
        responses: { 200: json(decisionSummaryDto(), 'Summary of the decisions made'), ...errors() },
      }),
      (c) => {
        const env = c.get('env');
        const cert = certificationFor(env, c.get('principal'), c.req.param('id')!);
        return c.json(decisionSummary(cert, c.req.query('filters')));
      },
    );

    add(
      createRoute({
        method: 'get',
        path: `${prefix}/certifications/{id}/identity-summaries`,
        operationId: op('getIdentitySummaries'),
        tags,
        summary: 'Identity summaries for campaign certification',
        middleware: readScope,
        request: { params: idParam(), query: listQuery() },
        responses: { 200: json(z.array(identitySummaryDto()), 'List of identity summaries'), ...errors() },
      }),
      (c) => {
        const env = c.get('env');
        const cert = certificationFor(env, c.get('principal'), c.req.param('id')!);
        const q = c.req.query();
        const paging = parsePaging(q);
        const res = listIdentitySummaries(env, cert, { filters: q.filters, sorters: q.sorters }, paging);
        withTotal(c, paging.count, res.total);
        return c.json(res.rows);
      },
    );

    add(
      createRoute({
        method: 'get',
        path: `${prefix}/certifications/{id}/identity-summaries/{identitySummaryId}`,
        operationId: op('getIdentitySummary'),
        tags,
        summary: 'Summary for identity',
        middleware: readScope,
        request: { params: z.object({ id: z.string(), identitySummaryId: z.string() }) },
        responses: { 200: json(identitySummaryDto(), 'An identity summary'), ...errors() },
      }),
      (c) => {
        const env = c.get('env');
        const cert = certificationFor(env, c.get('principal'), c.req.param('id')!);
        return c.json(getIdentitySummary(env, cert, c.req.param('identitySummaryId')!));
      },
    );

    add(
      createRoute({
        method: 'get',
        path: `${prefix}/certifications/{id}/access-summaries/{type}`,
        operationId: op('getIdentityAccessSummaries'),
        tags,
        summary: 'Access summaries',
        middleware: readScope,
        request: { params: z.object({ id: z.string(), type: z.string() }), query: listQuery() },
        responses: { 200: json(z.array(accessSummaryDto()), 'List of access summaries'), ...errors() },
      }),
      (c) => {
        const env = c.get('env');
        const cert = certificationFor(env, c.get('principal'), c.req.param('id')!);
        const q = c.req.query();
        const paging = parsePaging(q);
        const res = listAccessSummaries(cert, c.req.param('type')!, { filters: q.filters, sorters: q.sorters }, paging);
        withTotal(c, paging.count, res.total);
        return c.json(res.rows);
      },
    );

    add(
      createRoute({
        method: 'post',
        path: `${prefix}/certifications/{id}/decide`,
        operationId: op('makeIdentityDecision'),
        tags,
        summary: 'Decide on a certification item',
        middleware: manageScope,
        request: { params: idParam(), body: { required: true, content: { 'application/json': { schema: reviewDecisionBody() } } } },
        responses: { 200: json(identityCertificationDto(), 'An identity campaign certification object'), ...errors() },
      }),
      (c) => {
        const body = (c.req as unknown as { valid(t: 'json'): ReviewDecision[] }).valid('json');
        return c.json(decide(c.get('env'), c.get('actor'), c.req.param('id')!, body));
      },
    );

    add(
      createRoute({
        method: 'post',
        path: `${prefix}/certifications/{id}/reassign`,
        operationId: op('reassignIdentityCertifications'),
        tags,
        summary: 'Reassign identities or items',
        middleware: manageScope,
        request: { params: idParam(), body: { required: true, content: { 'application/json': { schema: reviewReassignBody() } } } },
        responses: { 200: json(identityCertificationDto(), 'An identity campaign certification details after completing the reassignment.'), ...errors() },
      }),
      (c) => {
        const body = (c.req as unknown as { valid(t: 'json'): ReviewReassign }).valid('json');
        return c.json(reassign(c.get('env'), c.get('actor'), c.req.param('id')!, body));
      },
    );

    add(
      createRoute({
        method: 'post',
        path: `${prefix}/certifications/{id}/reassign-async`,
        operationId: op('submitReassignCertsAsync'),
        tags,
        summary: 'Reassign certifications asynchronously',
        middleware: manageScope,
        request: { params: idParam(), body: { required: true, content: { 'application/json': { schema: reviewReassignBody() } } } },
        responses: { 200: json(certificationTask(), 'A certification task object for the reassignment which can be queried for status.'), ...errors() },
      }),
      (c) => {
        const body = (c.req as unknown as { valid(t: 'json'): ReviewReassign }).valid('json');
        return c.json(reassignAsync(c.get('env'), c.get('actor'), c.req.param('id')!, body));
      },
    );

    add(
      createRoute({
        method: 'post',
        path: `${prefix}/certifications/{id}/sign-off`,
        operationId: op('signOffIdentityCertification'),
        tags,
        summary: 'Finalize identity certification decisions',
        middleware: manageScope,
        request: { params: idParam() },
        responses: { 200: json(identityCertificationDto(), 'An identity campaign certification object'), ...errors() },
      }),
      (c) => c.json(signOff(c.get('env'), c.get('actor'), c.req.param('id')!)),
    );

    add(
      createRoute({
        method: 'get',
        path: `${prefix}/certification-tasks`,
        operationId: op('getPendingCertificationTasks'),
        tags,
        summary: 'List of pending certification tasks',
        middleware: readScope,
        request: { query: listQuery().extend({ 'reviewer-identity': z.string().optional() }) },
        responses: { 200: json(z.array(certificationTask()), 'A list of pending certification tasks'), ...errors() },
      }),
      (c) => {
        const q = c.req.query();
        const paging = parsePaging(q);
        const res = listTasks(c.get('env'), c.get('principal'), { reviewerIdentity: q['reviewer-identity'], filters: q.filters }, paging);
        withTotal(c, paging.count, res.total);
        return c.json(res.rows);
      },
    );

    add(
      createRoute({
        method: 'get',
        path: `${prefix}/certification-tasks/{id}`,
        operationId: op('getCertificationTask'),
        tags,
        summary: 'Certification task by id',
        middleware: readScope,
        request: { params: idParam() },
        responses: { 200: json(certificationTask(), 'A certification task'), ...errors() },
      }),
      (c) => c.json(getTask(c.get('env'), c.get('principal'), c.req.param('id')!)),
    );
  }
}
