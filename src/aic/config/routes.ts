// HTTP for promotable config. IDM: /openidm/config[/{id}] (ids contain '/', so these are plain Hono routes with a
// regex segment rather than zod-openapi routes). AM: a subset of the real realm paths (docs/promotion.md).
import type { EnvApp } from '../../core/types.js';
import type { AmKind } from './model.js';
import { deleteAmConfig, deleteIdmConfig, getAmConfig, getIdmConfig, idmView, listAmConfig, listIdmConfig, putAmConfig, putIdmConfig } from './service.js';
import { AM_READ, IDM_READ, ctx, document, jsonObject, objectFilter, queryResult, realmGuard, send } from './http.js';
import { journeyRoutes } from './journeyRoutes.js';
import { amEntityRoutes } from './amRoutes.js';

export function configRoutes(app: EnvApp): void {
  journeyRoutes(app);
  document(app, 'get', '/openidm/config', 'List IDM config ids, or query objects with _queryFilter', 'fr:idm:*');
  for (const m of ['get', 'put', 'delete'] as const) document(app, m, '/openidm/config/{id}', `${m.toUpperCase()} an IDM config object (id may contain "/")`, 'fr:idm:*');
  // IDM: GET /openidm/config lists config ids; with _queryFilter returns the objects
  app.get('/openidm/config', IDM_READ, (c) => {
    const filter = c.req.query('_queryFilter');
    const all = listIdmConfig(c.get('env'));
    if (filter === undefined) {
      return send(c, { _id: '', configurations: all.map(({ id }) => ({ _id: id, pid: id, factoryPid: id.includes('/') ? id.slice(0, id.indexOf('/')) : null })) });
    }
    const match = objectFilter(filter);
    return send(c, queryResult(all.map(({ id, value }) => idmView(id, value)).filter(match)));
  });
  app.get('/openidm/config/:id{.+}', IDM_READ, (c) => send(c, getIdmConfig(c.get('env'), c.req.param('id')!)));
  app.put('/openidm/config/:id{.+}', IDM_READ, async (c) => {
    const res = putIdmConfig(c.get('env'), ctx(c), c.req.param('id')!, await jsonObject(c));
    return send(c, res.value, 200);
  });
  app.delete('/openidm/config/:id{.+}', IDM_READ, (c) => send(c, deleteIdmConfig(c.get('env'), ctx(c), c.req.param('id')!)));

  const am: Array<[AmKind, string]> = [
    ['scripts', 'scripts'],
    ['trees', 'realm-config/authentication/authenticationtrees/trees'],
    ['oauth2Clients', 'realm-config/agents/OAuth2Client'],
  ];
  for (const [kind, sub] of am) {
    const base = `/am/json/realms/root/realms/:realm/${sub}`;
    const docBase = `/am/json/realms/root/realms/{realm}/${sub}`;
    document(app, 'get', docBase, `Query AM ${kind}`, 'fr:am:*');
    for (const m of ['get', 'put', 'delete'] as const) document(app, m, `${docBase}/{id}`, `${m.toUpperCase()} one of AM ${kind}`, 'fr:am:*');
    // issue 19 item 9: only the tenant's realms exist
    app.use(base, AM_READ, realmGuard);
    app.use(`${base}/*`, AM_READ, realmGuard);
    app.get(base, AM_READ, (c) => {
      const match = objectFilter(c.req.query('_queryFilter') ?? 'true');
      return send(c, queryResult(listAmConfig(c.get('env'), c.req.param('realm')!, kind).filter(match)));
    });
    app.get(`${base}/:id`, AM_READ, (c) => send(c, getAmConfig(c.get('env'), c.req.param('realm')!, kind, c.req.param('id')!)));
    app.put(`${base}/:id`, AM_READ, async (c) => {
      const res = putAmConfig(c.get('env'), ctx(c), c.req.param('realm')!, kind, c.req.param('id')!, await jsonObject(c));
      return send(c, res.value, res.created ? 201 : 200);
    });
    app.delete(`${base}/:id`, AM_READ, (c) => send(c, deleteAmConfig(c.get('env'), ctx(c), c.req.param('realm')!, kind, c.req.param('id')!)));
  }
  // after every specific AM route: the generic AM configuration surface answers what they did not
  amEntityRoutes(app);
}
