// Read-only HTTP views of the governance data (issue 7 "Data the reviews are about"): IGA lists of applications,
// entitlements, accounts and a user's grants (S3 L73, L7190, L8853, L17582), and the users themselves at
// /openidm/managed/alpha_user with CREST _queryFilter/_pageSize/_fields (S4 L6155–6240, L15130–15200).
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { aicAuth } from '../../core/auth.js';
import { Invalid } from '../../core/errors.js';
import { IGA_HEADERS, errorShape, oneLayer, send } from '../../core/http.js';
import { compileQueryFilter, dottedPaths, QueryFilterError, parseQueryFilterParam, matchesFilter } from '../../core/queryFilter.js';
import { PagingError, crestQueryResponse, pageOf, parsePageRequest, igaListQuery } from '../../core/crest.js';
import type { Application, Entitlement, Grant, Role, User } from './model.js';
import { assertMayView, findUser, getUser, governance, indexes } from './service.js';
import { lazy } from '../../core/lazy.js';

const TAG = ['IGA governance data'];
const obj = lazy(() => z.record(z.string(), z.unknown()));
const json = (schema: z.ZodTypeAny) => ({ description: 'OK', content: { 'application/json': { schema } } });

/** The IGA views answer IGA's `{message}` for domain errors (aic/errors.ts); the IDM user views keep CREST. */
const iga = [oneLayer(errorShape('iga'), aicAuth({ anyOf: ['fr:iga:*', 'fr:idm:*'] }))];
const idm = aicAuth({ anyOf: ['fr:idm:*', 'fr:iga:*'] });

// ------------------------------------------------------------------ renderers (the product's shapes)

const userRef = (u: User) => ({ id: u._id, userName: u.userName, mail: u.mail, givenName: u.givenName, sn: u.sn });

function appView(env: Environment, a: Application) {
  return {
    authoritative: false,
    connectorId: a.name.replace(/\s+/g, ''),
    description: a.description,
    icon: a.icon,
    id: a.id,
    name: a.name,
    templateName: a.templateName,
    templateVersion: a.templateVersion,
    objectTypes: [{ name: '__ACCOUNT__' }, { name: '__GROUP__', accountAttribute: 'memberOf' }],
  };
}

function owners(env: Environment, ids: string[]) {
  return ids.map((id) => findUser(env, id)).filter((u): u is User => !!u).map(userRef);
}

function applicationEntry(env: Environment, a: Application) {
  return { application: appView(env, a), applicationOwner: owners(env, a.ownerIds), id: a.id };
}

function entitlementEntry(env: Environment, e: Entitlement) {
  const ix = indexes(governance(env));
  const a = ix.applications.get(e.applicationId);
  return {
    application: a ? appView(env, a) : null,
    applicationOwner: a ? owners(env, a.ownerIds) : [],
    descriptor: { idx: { '/entitlement': { displayName: e.name } } },
    entitlement: { description: e.description, __NAME__: e.name, _id: e.id },
    glossary: { idx: { '/entitlement': { description: e.description, requestable: e.requestable, entitlementOwner: e.ownerIds.map((o) => `managed/user/${o}`) } } },
    id: e.id,
    item: { type: 'entitlementGrant', objectType: '__GROUP__', accountAttribute: 'memberOf' },
    entitlementOwner: owners(env, e.ownerIds),
  };
}

const ITEM_TYPE: Record<Grant['type'], string> = { account: 'accountGrant', entitlement: 'entitlementGrant', role: 'roleMembership' };

/** A grant as IGA lists it (S3 L17582 grants, L7190 accounts): keys, user, application/entitlement/role, relationship. */
function grantEntry(env: Environment, g: Grant) {
  const ix = indexes(governance(env));
  const u = ix.users.get(g.userId);
  const ent = g.type === 'entitlement' ? ix.entitlements.get(g.assignmentId) : undefined;
  const appId = g.type === 'account' ? g.assignmentId : ent?.applicationId;
  const app: Application | undefined = appId ? ix.applications.get(appId) : undefined;
  const role: Role | undefined = g.type === 'role' ? ix.roles.get(g.assignmentId) : undefined;
  return {
    id: g.id,
    item: { type: ITEM_TYPE[g.type] },
    keys: {
      type: ITEM_TYPE[g.type],
      userId: g.userId,
      ...(appId ? { applicationId: appId } : {}),
      ...(ent ? { entitlementId: ent.id } : {}),
      ...(role ? { roleId: role.id } : {}),
    },
    user: u ? userRef(u) : { id: g.userId },
    ...(app ? { application: appView(env, app), applicationOwner: owners(env, app.ownerIds) } : {}),
    ...(ent ? { entitlement: { description: ent.description, __NAME__: ent.name, _id: ent.id }, descriptor: { idx: { '/entitlement': { displayName: ent.name } } } } : {}),
    ...(g.type === 'account' && app && u ? { account: { __NAME__: u.userName, _id: `${app.id}-${u._id}`, email: u.mail }, descriptor: { idx: { '/account': { displayName: u.userName } } } } : {}),
    ...(role ? { role: { id: role.id, name: role.name, description: role.description } } : {}),
    relationship: { properties: { grantTypes: [{ grantType: g.grantType, ...(g.roleId ? { roleId: g.roleId } : {}) }] }, temporalConstraints: [] },
    metadata: { createdDate: g.grantDate, modifiedDate: g.grantDate },
  };
}

// ------------------------------------------------------------------ IGA list plumbing

const listQuery = lazy(() =>
  igaListQuery().extend({
    queryString: z.string().optional(),
    grantType: z.string().optional(),
  }),
);
type ListQuery = z.infer<ReturnType<typeof listQuery>>;

// dotted IGA paths may step into slash-named properties (`descriptor.idx./entitlement.displayName`); CREST paths use `/`
const at = (o: unknown, path: string): unknown =>
  (path.includes('.') ? path.split('.') : path.split('/')).filter(Boolean).reduce<unknown>((a, k) => (a && typeof a === 'object' ? (a as Record<string, unknown>)[k] : undefined), o);

function int(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v)) throw new Invalid(`Invalid ${name}: ${v}`);
  return Number(v);
}

/** Filter (CREST _queryFilter), sort, page and project an IGA list: `{result, searchAfterKey, totalCount, resultCount}`. */
function igaList(rows: Record<string, unknown>[], q: ListQuery, defaultSort: string, text?: (r: Record<string, unknown>) => string) {
  let list = rows;
  if (q._queryFilter) {
    const f = dottedPaths(parseQueryFilterParam(q._queryFilter, (m) => new Invalid(m)));
    list = list.filter((r) => matchesFilter(f, r));
  }
  if (q.queryString && text) {
    const s = q.queryString.toLowerCase();
    list = list.filter((r) => text(r).toLowerCase().includes(s));
  }
  const key = q._sortKeys || defaultSort;
  const dir = q._sortDir === 'desc' ? -1 : 1;
  const numeric = q._sortType === 'integer';
  const sv = (r: Record<string, unknown>) => at(r, key);
  list = [...list].sort((a, b) => {
    const x = sv(a);
    const y = sv(b);
    const c = numeric ? Number(x) - Number(y) : String(x ?? '').localeCompare(String(y ?? ''));
    return c * dir || String(a.id).localeCompare(String(b.id));
  });
  const size = int(q._pageSize, '_pageSize', 10);
  let start = int(q._pagedResultsOffset, '_pagedResultsOffset', 0);
  if (q._searchAfter) {
    const [v, id] = q._searchAfter.split(',');
    const i = list.findIndex((r) => String(sv(r) ?? '') === v && (id === undefined || r.id === id));
    start = i >= 0 ? i + 1 : start;
  }
  const page = list.slice(start, start + size);
  const fields = q._fields?.split(',').map((f) => f.trim()).filter(Boolean);
  const last = page[page.length - 1];
  return {
    // `*` means every field (issue 15), as on every CREST endpoint
    result: fields?.length && !fields.includes('*') ? page.map((r) => Object.fromEntries(['id', ...fields].filter((f) => f in r).map((f) => [f, r[f]]))) : page,
    searchAfterKey: last ? [String(sv(last) ?? ''), String(last.id)] : [],
    totalCount: list.length,
    resultCount: page.length,
  };
}

// ------------------------------------------------------------------ alpha_user (IDM CREST)

function alphaUser(u: User, fields?: string[]): Record<string, unknown> {
  const full: Record<string, unknown> = {
    _id: u._id,
    _rev: '1',
    userName: u.userName,
    givenName: u.givenName,
    sn: u.sn,
    mail: u.mail,
    accountStatus: u.accountStatus,
    ...(u.telephoneNumber ? { telephoneNumber: u.telephoneNumber } : {}),
    ...(u.city ? { city: u.city } : {}),
    ...(u.country ? { country: u.country } : {}),
  };
  const manager = u.manager ? { _ref: `managed/alpha_user/${u.manager}`, _refResourceCollection: 'managed/alpha_user', _refResourceId: u.manager, _refProperties: { _id: `${u._id}-manager`, _rev: '1' } } : null;
  if (!fields?.length) return full;
  // S4 IDM: _fields picks properties; relationship fields (manager) only when asked for; _id/_rev always
  const out: Record<string, unknown> = { _id: u._id, _rev: '1' };
  for (const f of fields) {
    if (f === '*') Object.assign(out, full);
    else if (f === 'manager' || f === 'manager/*') out.manager = manager;
    else if (f in full) out[f] = full[f];
  }
  return out;
}

function forFilter(u: User): Record<string, unknown> {
  return { ...alphaUser(u), manager: u.manager ? { _ref: `managed/alpha_user/${u.manager}`, _refResourceId: u.manager } : null };
}

export function governanceRoutes(app: EnvApp): void {
  const userParam = z.object({ userId: z.string() });

  const grantList = (type: Grant['type'] | undefined) => (c: Context<AppEnv>) => {
    const { userId } = c.req.param() as { userId: string };
    assertMayView(c.get('env'), c.get('principal'), userId);
    const q = c.req.query() as ListQuery;
    const env = c.get('env');
    const ix = indexes(governance(env));
    const want = type ?? (q.grantType as Grant['type'] | undefined);
    if (want && !['account', 'entitlement', 'role'].includes(want)) throw new Invalid(`Invalid grantType: ${want}`);
    const rows = (ix.grantsByUser.get(userId) ?? []).filter((g) => !want || g.type === want).map((g) => grantEntry(env, g) as Record<string, unknown>);
    const text = (r: Record<string, unknown>) => [at(r, 'application.name'), at(r, 'entitlement.__NAME__'), at(r, 'role.name')].filter(Boolean).join(' ');
    return send(c, igaList(rows, q, 'metadata.createdDate', text), 200, IGA_HEADERS);
  };

  for (const [suffix, type] of [['grants', undefined], ['applications', 'account'], ['entitlements', 'entitlement'], ['roles', 'role']] as const) {
    app.openapi(
      createRoute({ method: 'get', path: `/iga/governance/user/{userId}/${suffix}`, tags: TAG, middleware: iga, summary: `A user's ${suffix === 'grants' ? 'grants' : suffix}`, request: { params: userParam, query: listQuery() }, responses: { 200: json(obj()) } }),
      grantList(type) as never,
    );
  }

  // the IGA catalogues: one list each, filtered, sorted by the product's default key and searched by its text
  type Row = Record<string, unknown>;
  const catalogues: Array<{ path: string; summary: string; rows: (env: Environment) => Row[]; sort: string; text: (r: Row) => string }> = [
    { path: 'application', summary: 'Applications', rows: (env) => governance(env).applications.map((a) => applicationEntry(env, a)), sort: 'application.name', text: (r) => String(at(r, 'application.name')) },
    { path: 'entitlement', summary: 'Entitlements', rows: (env) => governance(env).entitlements.map((e) => entitlementEntry(env, e)), sort: 'descriptor.idx./entitlement.displayName', text: (r) => String(at(r, 'entitlement.__NAME__')) },
    {
      path: 'account', summary: 'Accounts across applications',
      rows: (env) => governance(env).grants.filter((g) => g.type === 'account').map((g) => grantEntry(env, g) as Row),
      sort: 'user.userName', text: (r) => `${String(at(r, 'user.userName'))} ${String(at(r, 'application.name'))}`,
    },
  ];
  for (const cat of catalogues) {
    app.openapi(
      createRoute({ method: 'get', path: `/iga/governance/${cat.path}`, tags: TAG, middleware: iga, summary: cat.summary, request: { query: listQuery() }, responses: { 200: json(obj()) } }),
      (c) => send(c, igaList(cat.rows(c.get('env')), c.req.valid('query'), cat.sort, cat.text), 200, IGA_HEADERS),
    );
  }

  // ---------------------------------------------------------------- /openidm/managed/alpha_user
  const crestQuery = z.object({
    _queryFilter: z.string().optional(),
    _queryId: z.string().optional(),
    _pageSize: z.string().optional(),
    _pagedResultsCookie: z.string().optional(),
    _pagedResultsOffset: z.string().optional(),
    _fields: z.string().optional(),
    _sortKeys: z.string().optional(),
    _totalPagedResultsPolicy: z.string().optional(),
  });

  app.openapi(
    createRoute({ method: 'get', path: '/openidm/managed/alpha_user', tags: TAG, middleware: [idm] as const, summary: 'Query users (CREST)', request: { query: crestQuery }, responses: { 200: json(obj()) } }),
    (c) => {
      const q = c.req.valid('query');
      const env = c.get('env');
      let match: (o: unknown) => boolean;
      if (q._queryId === 'query-all-ids' || q._queryId === 'query-all') match = () => true;
      else if (q._queryFilter !== undefined) {
        try {
          match = compileQueryFilter(q._queryFilter);
        } catch (e) {
          if (e instanceof QueryFilterError) throw new Invalid(`Invalid _queryFilter '${e.filter}': ${e.message}`);
          throw e;
        }
      } else throw new Invalid('The request could not be processed because it did not specify a query expression');
      let users = governance(env).users.filter((u) => match(forFilter(u)));
      const sortKeys = q._sortKeys?.split(',').filter(Boolean) ?? [];
      if (sortKeys.length) {
        users = [...users].sort((a, b) => {
          for (const k of sortKeys) {
            const desc = k.startsWith('-');
            const f = k.replace(/^[-+]/, '') as keyof User;
            const c2 = String(a[f] ?? '').localeCompare(String(b[f] ?? ''));
            if (c2) return desc ? -c2 : c2;
          }
          return 0;
        });
      } else users = [...users].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
      let page;
      try {
        page = pageOf(users, parsePageRequest(q), sortKeys.length ? undefined : (u) => u._id);
      } catch (e) {
        if (e instanceof PagingError) throw new Invalid(e.message);
        throw e;
      }
      const fields = q._fields?.split(',').map((f) => f.trim()).filter(Boolean);
      const policy = q._totalPagedResultsPolicy === 'EXACT' ? 'EXACT' : q._totalPagedResultsPolicy === 'ESTIMATE' ? 'ESTIMATE' : 'NONE';
      const body = crestQueryResponse({ ...page, result: page.result.map((u) => alphaUser(u, fields)) as never }, policy);
      return c.json(body);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/openidm/managed/alpha_user/{id}', tags: TAG, middleware: [idm] as const, summary: 'Read a user (CREST)', request: { params: z.object({ id: z.string() }), query: z.object({ _fields: z.string().optional() }) }, responses: { 200: json(obj()) } }),
    (c) => {
      const { id } = c.req.valid('param');
      const u = getUser(c.get('env'), id);
      const fields = c.req.valid('query')._fields?.split(',').map((f) => f.trim()).filter(Boolean);
      return c.json(alphaUser(u, fields));
    },
  );
}
