// HTTP for /openidm/internal/role, /openidm/system?_action=testConnectorServers and /openidm/script?_action=eval.
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { crestError } from '../../core/errors.js';
import { selectFields } from '../../core/crest.js';
import { realmExists } from '../tenant/service.js';
import { IDM_READ, ctx, document, jsonObject, objectFilter, queryResult, send } from '../config/http.js';
import { realmApplications, createInternalRole, deleteInternalRole, getInternalRole, listInternalRoles, putInternalRole, testConnectorServers } from './service.js';

const fields = (c: Context<AppEnv>) => c.req.query('_fields');

export function idmRoutes(app: EnvApp): void {
  document(app, 'get', '/openidm/internal/role', 'Query internal roles (_queryFilter, _fields, _pageSize)', 'fr:idm:*');
  for (const m of ['get', 'put', 'delete'] as const) document(app, m, '/openidm/internal/role/{id}', `${m.toUpperCase()} an internal role`, 'fr:idm:*');
  document(app, 'post', '/openidm/system', 'System actions: testConnectorServers', 'fr:idm:*');
  document(app, 'post', '/openidm/script', 'Script evaluation (_action=eval): not available in the emulator (501)', 'fr:idm:*');

  app.get('/openidm/internal/role', IDM_READ, (c) => {
    const q = c.req.query('_queryFilter');
    // IDM: a collection read needs a query
    if (q === undefined) throw crestError(400, 'The request could not be processed because it did not specify a query expression, query filter, or query ID');
    const match = objectFilter(q);
    const size = Number(c.req.query('_pageSize') ?? 0) || 0;
    const all = listInternalRoles(c.get('env')).filter(match);
    return send(c, queryResult((size > 0 ? all.slice(0, size) : all).map((r) => selectFields(r, fields(c), ['_id', '_rev']))));
  });
  app.post('/openidm/internal/role', IDM_READ, async (c) => {
    if (c.req.query('_action') !== 'create') throw crestError(400, `Unsupported action ${c.req.query('_action') ?? ''}`.trim());
    return send(c, createInternalRole(c.get('env'), ctx(c), await jsonObject(c)), 201);
  });
  app.get('/openidm/internal/role/:id', IDM_READ, (c) => send(c, selectFields(getInternalRole(c.get('env'), c.req.param('id')), fields(c), ['_id', '_rev'])));
  app.put('/openidm/internal/role/:id', IDM_READ, async (c) => {
    const res = putInternalRole(c.get('env'), ctx(c), c.req.param('id'), await jsonObject(c));
    return send(c, res.value, res.created ? 201 : 200);
  });
  app.delete('/openidm/internal/role/:id', IDM_READ, (c) => send(c, deleteInternalRole(c.get('env'), ctx(c), c.req.param('id'))));

  document(app, 'get', '/openidm/managed/{realm}_application', 'Query a realm\'s applications (alpha: the governance applications)', 'fr:idm:*');
  app.get('/openidm/managed/:object{[a-z0-9]+_application}', IDM_READ, (c) => {
    const realm = c.req.param('object')!.replace(/_application$/, '');
    // a realm the tenant does not have has no managed objects
    if (realm === 'root' || !realmExists(c.get('env'), realm)) throw crestError(404, `Resource 'openidm/managed/${realm}_application' not found`);
    const match = objectFilter(c.req.query('_queryFilter') ?? 'true');
    return send(c, queryResult(realmApplications(c.get('env'), realm).filter(match).map((a) => selectFields(a, fields(c), ['_id', '_rev']))));
  });

  app.post('/openidm/system', IDM_READ, (c) => {
    const action = c.req.query('_action');
    if (action === 'testConnectorServers') return send(c, testConnectorServers(c.get('env')));
    throw crestError(400, `Unsupported action ${action ?? ''}`.trim());
  });
  // issue 15: the emulator runs no scripts. IDM answers an action it does not provide with CREST's 501, so frodo's
  // `--include-active-values` (which evaluates a script to read ESV secret values) fails with that body, not a 404
  app.post('/openidm/script', IDM_READ, (c) => {
    const action = c.req.query('_action');
    if (action === 'eval' || action === 'compile') throw crestError(501, `Action ${action} is not supported: the emulator does not evaluate scripts`);
    throw crestError(400, `Unsupported action ${action ?? ''}`.trim());
  });
}
