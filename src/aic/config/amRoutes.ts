// HTTP for the AM configuration surface beyond scripts, journeys, nodes and OAuth2 clients (amEntities.ts,
// scriptTypes.ts): realm services/agents/webhooks/…, the root realm (refused in the cloud), global services,
// script types and custom node types. Registered after the specific routes, so those answer first.
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { ApiError, crestError } from '../../core/errors.js';
import { unknownAction } from './journeyRoutes.js';
import { AM_READ, ctx, document, jsonObject, objectFilter, queryResult, realmGuard, send } from './http.js';
import { CLOUD_FORBIDDEN_MESSAGE, assertAvailable, catalogue, deleteEntity, descendants, getEntity, isCollection, isRealmEntityPath, putEntity, queryEntities } from './amEntities.js';
import { getEngineConfiguration, getScriptContext, getScriptType, listScriptTypes, putEngineConfiguration } from './scriptTypes.js';

const REALM = '/am/json/realms/root/realms/:realm';
const GLOBAL = '/am/json/global-config';
const CUSTOM_NODES = 'node-designer/node-type';

/** The path below `prefix`, without a trailing slash (frodo posts to `circlesoftrust/?_action=create`). */
function below(c: Context<AppEnv>, prefix: string): string {
  return c.req.path.slice(prefix.length + 1).replace(/\/+$/, '');
}

// the product's answer for a path outside the surface (app.ts notFound uses the same words)
const unknownPath = (c: Context<AppEnv>) => crestError(404, `Resource '${c.req.path.replace(/^\//, '')}' not found`);

/** Methods an entity store answers (HEAD from GET, as Hono does for declared GET routes). */
const ENTITY_METHODS = ['DELETE', 'GET', 'HEAD', 'POST', 'PUT'];
const READ_METHODS = ['GET', 'HEAD'];

// issue #19 item 9 (core/methods.ts, app.ts notFound): a path these catch-alls serve, called with another method,
// answers 405 with `Allow` in the CREST body, as declared routes do
const notAllowed = (allowed: string[]) => new ApiError(405, crestError(405, 'Method Not Allowed').body, { allow: allowed.join(', ') });

/** GET, PUT, DELETE and POST actions over one store (a realm's, or the global one). */
function entityHandlers(c: Context<AppEnv>, realm: string | null, path: string): Response | Promise<Response> {
  const env = c.get('env');
  switch (c.req.method) {
    case 'GET':
    case 'HEAD': {
      const cat = realm !== null ? catalogue(path) : undefined;
      if (cat) return send(c, queryResult(cat as Record<string, unknown>[]));
      if (isCollection(path) || (realm === null && path === CUSTOM_NODES)) {
        const match = objectFilter(c.req.query('_queryFilter') ?? 'true');
        return send(c, queryResult(queryEntities(env, realm, path).filter(match)));
      }
      return send(c, getEntity(env, realm, path));
    }
    case 'PUT':
      return jsonObject(c).then((body) => {
        const res = putEntity(env, ctx(c), realm, path, body);
        return send(c, res.value, res.created ? 201 : 200);
      });
    case 'DELETE':
      return send(c, deleteEntity(env, ctx(c), realm, path));
    case 'POST': {
      const action = c.req.query('_action');
      if (action === 'nextdescendents') return send(c, { result: descendants(env, realm, path) });
      if (action === 'create' && isCollection(path)) {
        return jsonObject(c).then((body) => {
          const id = typeof body._id === 'string' && body._id ? body._id : crypto.randomUUID();
          // recording JourneyOps import: creating what exists
          if (queryEntities(env, realm, path).some((e) => e._id === id)) throw crestError(409, 'Unable to save config: Service already exists');
          return send(c, putEntity(env, ctx(c), realm, `${path}/${id}`, body).value, 201);
        });
      }
      throw unknownAction(action);
    }
    default:
      throw notAllowed(ENTITY_METHODS);
  }
}

export function amEntityRoutes(app: EnvApp): void {
  document(app, 'get', '/am/json/realms/root/realms/{realm}/{path}', 'AM realm configuration: services, agents, webhooks, secret stores, SAML, policies (query collections with _queryFilter)', 'fr:am:*');
  document(app, 'post', '/am/json/global-config/services', 'Global services (_action=nextdescendents)', 'fr:am:*');
  document(app, 'get', '/am/json/global-config/services/scripting/contexts', 'Script types (scripting contexts)', 'fr:am:*');
  document(app, 'get', '/am/json/global-config/services/scripting/contexts/{id}/engineConfiguration', 'A script type\'s engine configuration', 'fr:am:*');
  document(app, 'get', '/am/json/contexts/{id}', 'A script type\'s bindings and allow lists', 'fr:am:*');

  app.all(`${REALM}/*`, AM_READ, realmGuard, (c) => {
    const path = below(c, `/am/json/realms/root/realms/${c.req.param('realm')}`);
    if (!isRealmEntityPath(path) && !catalogue(path)) throw unknownPath(c);
    assertAvailable(path);
    return entityHandlers(c, c.req.param('realm')!, path);
  });
  // recording ConfigOps Cloud-Tests 3: the root realm's policy sets and resource types can be read; the rest of its
  // configuration is refused in the cloud with 403 (frodo skips it)
  app.all('/am/json/realms/root/*', AM_READ, (c) => {
    const path = below(c, '/am/json/realms/root');
    if (['policies', 'applications', 'resourcetypes'].includes(path)) {
      if (!READ_METHODS.includes(c.req.method)) throw notAllowed(READ_METHODS);
      return send(c, queryResult(queryEntities(c.get('env'), 'root', path)));
    }
    if (path.startsWith('realm-config/') || path === 'scripts' || path.startsWith('scripts/')) throw crestError(403, CLOUD_FORBIDDEN_MESSAGE);
    throw unknownPath(c);
  });

  app.get(`${GLOBAL}/services/scripting/contexts`, AM_READ, (c) => {
    const match = objectFilter(c.req.query('_queryFilter') ?? 'true');
    return send(c, queryResult(listScriptTypes().filter(match)));
  });
  app.get(`${GLOBAL}/services/scripting/contexts/:id`, AM_READ, (c) => send(c, getScriptType(c.req.param('id'))));
  app.get(`${GLOBAL}/services/scripting/contexts/:id/engineConfiguration`, AM_READ, (c) => send(c, getEngineConfiguration(c.get('env'), c.req.param('id'))));
  app.put(`${GLOBAL}/services/scripting/contexts/:id/engineConfiguration`, AM_READ, async (c) => send(c, putEngineConfiguration(c.get('env'), ctx(c), c.req.param('id'), await jsonObject(c))));
  app.get('/am/json/contexts/:id', AM_READ, (c) => send(c, getScriptContext(c.req.param('id'))));
  app.all(`${GLOBAL}/services`, AM_READ, (c) => entityHandlers(c, null, 'services'));
  app.all(`${GLOBAL}/services/*`, AM_READ, (c) => entityHandlers(c, null, below(c, GLOBAL)));
  // custom (node designer) node types, kept with the global configuration
  app.all(`/am/json/${CUSTOM_NODES}`, AM_READ, (c) => entityHandlers(c, null, CUSTOM_NODES));
  app.all(`/am/json/${CUSTOM_NODES}/:id`, AM_READ, (c) => {
    if (c.req.method === 'POST' && c.req.query('_action') === 'journeys') return send(c, {});
    return entityHandlers(c, null, `${CUSTOM_NODES}/${c.req.param('id')}`);
  });
}
