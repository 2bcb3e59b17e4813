// HTTP for the access model (contracts isc-v3-access-model-requests-search.openapi.json and
// isc-beta-identities-entitlements.openapi.json): each route declares the contract's scopes (`security.userAuth`) and
// user levels (`x-sailpoint-userLevels`); rules live in queries.ts / writes.ts / requestable.ts.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { iscAuth } from '../../core/auth.js';
import { jsonBody } from '../../core/http.js';
import { iscErrors as errors, json, routeAdder, withTotal, type Handler } from '../shared/routes.js';
import { requireLevel } from '../shared/levels.js';
import type { Paging } from '../shared/filters.js';
import * as Q from './queries.js';
import { listRequestableObjects } from './requestable.js';
import { createAccessProfile, createRole, deleteAccessProfile, deleteAccessProfilesInBulk, deleteRole, deleteRolesInBulk, patchAccessProfile, patchRole, setAccountEnabled } from './writes.js';
import { lazy } from '../../core/lazy.js';

const obj = lazy(() => z.record(z.string(), z.unknown()));
type Listed = { rows: unknown[]; total: number; paging: Paging };

interface Op {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  /** contract security.userAuth: the token needs one of them */
  scopes: string[];
  /** contract x-sailpoint-userLevels ([]: none declared) */
  levels: string[];
  status?: 200 | 201 | 202 | 204;
}

export function registerAccessRoutes(app: EnvApp): void {
  const register = routeAdder(app);
  const add = (op: Op, handler: Handler, response: z.ZodType = obj()) => {
    const hasId = op.path.includes('{id}');
    const route = createRoute({
      method: op.method,
      path: op.path,
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      middleware: [iscAuth({ scopes: op.scopes })],
      request: hasId ? { params: z.object({ id: z.string() }) } : {},
      responses: { [op.status ?? 200]: op.status === 204 ? { description: 'No content.' } : json(response, op.summary), ...errors() },
    });
    register(route, (c) => {
      requireLevel(c.get('principal'), op.levels);
      return handler(c);
    });
  };
  const list = (op: Op, fn: (c: Context<AppEnv>) => Listed) =>
    add(op, (c) => {
      const res = fn(c);
      withTotal(c, res.paging.count, res.total);
      return c.json(res.rows);
    }, z.array(obj()));
  const id = (c: Context<AppEnv>) => c.req.param('id')!;
  const env = (c: Context<AppEnv>) => c.get('env');

  // ---- identities ----
  list({ method: 'get', path: '/v3/public-identities', operationId: 'getPublicIdentities', tag: 'Public Identities', summary: 'Get list of public identities', scopes: ['sp:scopes:default'], levels: ['USER'] }, (c) => Q.listPublicIdentities(env(c), c.req.query()));
  const identityScopes = ['idn:identity:read', 'idn:identity:manage'];
  list({ method: 'get', path: '/beta/identities', operationId: 'listIdentities', tag: 'Identities (beta)', summary: 'List identities', scopes: identityScopes, levels: [] }, (c) => Q.listIdentities(env(c), c.req.query()));
  add({ method: 'get', path: '/beta/identities/{id}', operationId: 'getIdentity', tag: 'Identities (beta)', summary: 'Identity details', scopes: identityScopes, levels: [] }, (c) => c.json(Q.getIdentity(env(c), id(c))));

  // ---- sources ----
  const sourceLevels = ['ORG_ADMIN', 'SOURCE_ADMIN', 'SOURCE_SUBADMIN'];
  const sourceScopes = ['idn:sources:read', 'idn:sources:manage'];
  list({ method: 'get', path: '/v3/sources', operationId: 'listSources', tag: 'Sources', summary: 'Lists all sources in IdentityNow.', scopes: sourceScopes, levels: [...sourceLevels, 'ROLE_SUBADMIN'] }, (c) => Q.listSources(env(c), c.req.query()));
  add({ method: 'get', path: '/v3/sources/{id}', operationId: 'getSource', tag: 'Sources', summary: 'Get source by ID', scopes: sourceScopes, levels: sourceLevels }, (c) => c.json(Q.getSource(env(c), id(c))));

  // ---- accounts ----
  const accountLevels = ['ORG_ADMIN', 'SOURCE_ADMIN', 'SOURCE_SUBADMIN', 'HELPDESK'];
  const accountScopes = ['idn:accounts:read', 'idn:accounts:manage'];
  list({ method: 'get', path: '/v3/accounts', operationId: 'listAccounts', tag: 'Accounts', summary: 'Accounts List', scopes: accountScopes, levels: accountLevels }, (c) => Q.listAccounts(env(c), c.req.query()));
  add({ method: 'get', path: '/v3/accounts/{id}', operationId: 'getAccount', tag: 'Accounts', summary: 'Account Details', scopes: accountScopes, levels: accountLevels }, (c) => c.json(Q.getAccount(env(c), id(c))));
  list({ method: 'get', path: '/v3/accounts/{id}/entitlements', operationId: 'getAccountEntitlements', tag: 'Accounts', summary: 'Account Entitlements', scopes: accountScopes, levels: accountLevels }, (c) => Q.listAccountEntitlements(env(c), id(c), c.req.query()));
  for (const [action, enabled, levels] of [['enable', true, accountLevels], ['disable', false, []]] as const) {
    add({ method: 'post', path: `/v3/accounts/{id}/${action}`, operationId: `${action}Account`, tag: 'Accounts', summary: `${action === 'enable' ? 'Enable' : 'Disable'} Account`, scopes: ['idn:accounts-state:manage'], levels: [...levels], status: 202 }, async (c) => {
        await jsonBody(c, 'isc'); // an optional body, but JSON when present
        return c.json(setAccountEnabled(env(c), id(c), enabled, c.get('principal')), 202);
      });
  }

  // ---- entitlements (beta) ----
  list({ method: 'get', path: '/beta/entitlements', operationId: 'listEntitlements', tag: 'Entitlements (beta)', summary: 'Gets a list of entitlements.', scopes: ['idn:entitlement:read', 'idn:entitlement:manage'], levels: ['Any'] }, (c) => Q.listEntitlements(env(c), c.req.query()));
  add({ method: 'get', path: '/beta/entitlements/{id}', operationId: 'getEntitlement', tag: 'Entitlements (beta)', summary: 'Get an entitlement', scopes: ['idn:entitlement:read', 'idn:entitlement:update', 'idn:entitlement:manage'], levels: ['ORG_ADMIN', 'SOURCE_ADMIN'] }, (c) => c.json(Q.getEntitlement(env(c), id(c))));

  // ---- access profiles ----
  const apRead = ['ORG_ADMIN', 'ROLE_ADMIN', 'ROLE_SUBADMIN', 'SOURCE_ADMIN', 'SOURCE_SUBADMIN'];
  const apManage = ['ORG_ADMIN', 'SOURCE_ADMIN', 'SOURCE_SUBADMIN'];
  const tagAp = 'Access Profiles';
  list({ method: 'get', path: '/v3/access-profiles', operationId: 'listAccessProfiles', tag: tagAp, summary: 'List Access Profiles', scopes: ['idn:access-profile:read'], levels: apRead }, (c) => Q.listAccessProfiles(env(c), c.req.query()));
  add({ method: 'get', path: '/v3/access-profiles/{id}', operationId: 'getAccessProfile', tag: tagAp, summary: 'Get an Access Profile', scopes: ['idn:access-profile:read'], levels: apRead }, (c) => c.json(Q.getAccessProfile(env(c), id(c))));
  list({ method: 'get', path: '/v3/access-profiles/{id}/entitlements', operationId: 'getAccessProfileEntitlements', tag: tagAp, summary: "List Access Profile's Entitlements", scopes: ['idn:access-profile:read'], levels: apManage }, (c) => Q.listAccessProfileEntitlements(env(c), id(c), c.req.query()));
  add({ method: 'post', path: '/v3/access-profiles', operationId: 'createAccessProfile', tag: tagAp, summary: 'Create Access Profile', scopes: ['idn:access-profile:manage'], levels: apRead, status: 201 }, async (c) => c.json(createAccessProfile(env(c), await jsonBody(c, 'isc', { required: true }), c.get('principal')), 201));
  add({ method: 'patch', path: '/v3/access-profiles/{id}', operationId: 'patchAccessProfile', tag: tagAp, summary: 'Patch a specified Access Profile', scopes: ['idn:access-profile:manage'], levels: apManage }, async (c) => c.json(patchAccessProfile(env(c), id(c), await jsonBody(c, 'isc', { required: true }), c.get('principal'))));
  add({ method: 'post', path: '/v3/access-profiles/bulk-delete', operationId: 'deleteAccessProfilesInBulk', tag: tagAp, summary: 'Delete Access Profile(s)', scopes: ['idn:access-profile:manage'], levels: apManage, status: 202 }, async (c) => {
    const res = deleteAccessProfilesInBulk(env(c), await jsonBody(c, 'isc', { required: true }));
    return c.json(res.body, res.status);
  });
  add({ method: 'delete', path: '/v3/access-profiles/{id}', operationId: 'deleteAccessProfile', tag: tagAp, summary: 'Delete the specified Access Profile', scopes: ['idn:access-profile:manage'], levels: apManage, status: 204 }, (c) => {
    deleteAccessProfile(env(c), id(c));
    return c.body(null, 204);
  });

  // ---- roles ----
  const roleLevels = ['ORG_ADMIN', 'ROLE_ADMIN', 'ROLE_SUBADMIN'];
  const roleRead = ['idn:role-unchecked:read', 'idn:role-unchecked:manage', 'idn:role-checked:manage', 'idn:role-checked:read'];
  const roleManage = ['idn:role-unchecked:manage', 'idn:role-checked:manage'];
  list({ method: 'get', path: '/v3/roles', operationId: 'listRoles', tag: 'Roles', summary: 'List Roles', scopes: roleRead, levels: roleLevels }, (c) => Q.listRoles(env(c), c.req.query()));
  add({ method: 'get', path: '/v3/roles/{id}', operationId: 'getRole', tag: 'Roles', summary: 'Get a Role', scopes: roleRead, levels: roleLevels }, (c) => c.json(Q.getRole(env(c), id(c))));
  list({ method: 'get', path: '/v3/roles/{id}/assigned-identities', operationId: 'getRoleAssignedIdentities', tag: 'Roles', summary: 'List Identities assigned a Role', scopes: roleRead, levels: [] }, (c) => Q.listRoleAssignedIdentities(env(c), id(c), c.req.query()));
  add({ method: 'post', path: '/v3/roles', operationId: 'createRole', tag: 'Roles', summary: 'Create a Role', scopes: roleManage, levels: roleLevels, status: 201 }, async (c) => c.json(createRole(env(c), await jsonBody(c, 'isc', { required: true }), c.get('principal')), 201));
  add({ method: 'patch', path: '/v3/roles/{id}', operationId: 'patchRole', tag: 'Roles', summary: 'Patch a specified Role', scopes: roleManage, levels: roleLevels }, async (c) => c.json(patchRole(env(c), id(c), await jsonBody(c, 'isc', { required: true }), c.get('principal'))));
  add({ method: 'post', path: '/v3/roles/bulk-delete', operationId: 'deleteBulkRoles', tag: 'Roles', summary: 'Delete Role(s)', scopes: roleManage, levels: roleLevels, status: 202 }, async (c) => c.json(deleteRolesInBulk(env(c), await jsonBody(c, 'isc', { required: true })), 202));
  add({ method: 'delete', path: '/v3/roles/{id}', operationId: 'deleteRole', tag: 'Roles', summary: 'Delete a Role', scopes: roleManage, levels: roleLevels, status: 204 }, (c) => {
    deleteRole(env(c), id(c));
    return c.body(null, 204);
  });

  // ---- requestable objects (any authenticated identity for itself; admins for anyone) ----
  list({ method: 'get', path: '/v3/requestable-objects', operationId: 'listRequestableObjects', tag: 'Requestable Objects', summary: 'Requestable Objects List', scopes: ['idn:requestable-objects:read'], levels: [] }, (c) => listRequestableObjects(env(c), c.get('principal'), c.req.query()));
}
