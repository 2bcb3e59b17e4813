// HTTP for journey nodes (recording am-scripts-journeys-nodes: NodeApi, NodeOps): `…/authenticationtrees/nodes`
// with `_action=nextdescendents|getAllTypes`, `/{type}` queries and actions, `/{type}/{id}` and the version-aware
// `/{type}/{version}/{id}` form (recording version-aware-node-api: `PageNode/2.0/<id>`).
import type { EnvApp } from '../../core/types.js';
import { crestError } from '../../core/errors.js';
import { AM_READ, ctx, document, jsonObject, objectFilter, queryResult, realmGuard, send } from './http.js';
import { allNodes, deleteNode, getNode, nodeTypeOf, nodesByType, nodeTypes, putNode } from './nodes.js';

const BASE = '/am/json/realms/root/realms/:realm/realm-config/authentication/authenticationtrees/nodes';
const DOC = '/am/json/realms/root/realms/{realm}/realm-config/authentication/authenticationtrees/nodes';
const VERSION = /^\d+\.\d+$/;

// an action the resource does not offer (the emulator's convention for every CREST route: 400, as svcacct answers)
export const unknownAction = (action: string | undefined) => crestError(400, `Unsupported action ${action ?? ''}`.trim());

export function journeyRoutes(app: EnvApp): void {
  document(app, 'post', DOC, 'Node actions: nextdescendents (every node), getAllTypes', 'fr:am:*');
  document(app, 'get', `${DOC}/{type}`, 'Query the nodes of a type', 'fr:am:*');
  for (const m of ['get', 'put', 'delete'] as const) document(app, m, `${DOC}/{type}/{id}`, `${m.toUpperCase()} a node (also /{type}/{version}/{id})`, 'fr:am:*');

  app.use(BASE, AM_READ, realmGuard);
  app.use(`${BASE}/*`, AM_READ, realmGuard);

  app.post(BASE, (c) => {
    const action = c.req.query('_action');
    if (action === 'nextdescendents') return send(c, { result: allNodes(c.get('env'), c.req.param('realm')!) });
    if (action === 'getAllTypes') return send(c, { result: nodeTypes });
    throw unknownAction(action);
  });
  app.get(`${BASE}/:type`, (c) => {
    const match = objectFilter(c.req.query('_queryFilter') ?? 'true');
    return send(c, queryResult(nodesByType(c.get('env'), c.req.param('realm')!, c.req.param('type')!).filter(match)));
  });
  app.post(`${BASE}/:type`, (c) => {
    const action = c.req.query('_action');
    if (action === 'getType') return send(c, nodeTypeOf(c.req.param('type')!));
    throw unknownAction(action);
  });
  // `/{type}/{version}` with a query lists that version's nodes; otherwise the segment is a node id
  app.get(`${BASE}/:type/:id`, (c) => {
    const { realm, type, id } = c.req.param() as { realm: string; type: string; id: string };
    if (VERSION.test(id) && c.req.query('_queryFilter') !== undefined) {
      const match = objectFilter(c.req.query('_queryFilter')!);
      return send(c, queryResult(nodesByType(c.get('env'), realm, type).filter((n) => (n._type as { version?: string }).version === id).filter(match)));
    }
    return send(c, getNode(c.get('env'), realm, type, id));
  });
  app.post(`${BASE}/:type/:version`, (c) => {
    const action = c.req.query('_action');
    if (action === 'getType') return send(c, { ...nodeTypeOf(c.req.param('type')!), _id: c.req.param('version') });
    throw unknownAction(action);
  });
  app.put(`${BASE}/:type/:id`, async (c) => {
    const { realm, type, id } = c.req.param() as { realm: string; type: string; id: string };
    const res = putNode(c.get('env'), ctx(c), realm, type, id, await jsonObject(c));
    return send(c, res.value, res.created ? 201 : 200);
  });
  app.delete(`${BASE}/:type/:id`, (c) => {
    const { realm, type, id } = c.req.param() as { realm: string; type: string; id: string };
    return send(c, deleteNode(c.get('env'), ctx(c), realm, type, id));
  });
  // version-aware form: the version sits between the type and the id
  app.get(`${BASE}/:type/:version/:id`, (c) => {
    const { realm, type, version, id } = c.req.param() as Record<string, string>;
    const n = getNode(c.get('env'), realm, type, id);
    if ((n._type as { version?: string }).version !== version) throw crestError(404, 'Not Found');
    return send(c, n);
  });
  app.put(`${BASE}/:type/:version/:id`, async (c) => {
    const { realm, type, version, id } = c.req.param() as Record<string, string>;
    if (!VERSION.test(version)) throw crestError(404, 'Not Found');
    const res = putNode(c.get('env'), ctx(c), realm, type, id, await jsonObject(c), version);
    return send(c, res.value, res.created ? 201 : 200);
  });
  app.delete(`${BASE}/:type/:version/:id`, (c) => {
    const { realm, type, id } = c.req.param() as Record<string, string>;
    return send(c, deleteNode(c.get('env'), ctx(c), realm, type, id));
  });
}
