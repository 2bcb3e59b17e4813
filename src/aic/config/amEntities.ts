// The rest of AM's configuration surface that admin clients export and import (recording platform-realms-roles-config:
// AmConfigOps, ServiceOps, ConfigOps Cloud-Tests exportFullConfiguration): realm services, agents, webhooks, secret
// stores, SAML entities, policies, and global services. Stored by path (`realm-config/services/oauth-oidc`); a
// collection's query lists the items below its path, `nextdescendents` the direct children. Product catalogues
// (condition types, subject types, …) are AM constants, vendored from the recording. No HTTP here.
import type { Environment } from '../../environment.js';
import type { AuditContext } from '../../core/audit.js';
import { auditActivity } from '../../core/audit.js';
import { Forbidden, NotFound } from '../../core/errors.js';
import { contentRev } from '../../core/crest.js';
import { assertConfigWritable } from '../promotion/guard.js';
import type { JsonObject } from './model.js';
import { configOf, realmOf } from './service.js';
import CATALOGUES from './data/amCatalogues.json' with { type: 'json' };
import { clone } from '../../core/clone.js';

const AGENT_TYPES = ['WebAgent', 'J2EEAgent', '2.2_Agent', 'SharedAgent', 'RemoteConsentAgent', 'SoftwarePublisher', 'IdentityGatewayAgent', 'TrustedJwtIssuer', 'AIAgent', 'OAuth2Thing'];

/** Realm paths that are collections of items (queried with `_queryFilter`), as the recordings show them. */
const REALM_COLLECTIONS = new Set([
  'realm-config/authentication/chains',
  'realm-config/webhooks',
  'realm-config/federation/entityproviders/ws',
  'realm-config/federation/circlesoftrust',
  'realm-config/saml2',
  'realm-config/secrets/stores/GoogleSecretManagerSecretStoreProvider/ESV/mappings',
  'policies',
  'applications',
  'resourcetypes',
  'libraries',
  ...AGENT_TYPES.map((t) => `realm-config/agents/${t}`),
]);
/** Realm paths whose children are listed with `_action=nextdescendents`. */
const REALM_PARENTS = new Set(['realm-config/agents/groups', 'realm-config/authentication/modules', 'realm-config/secrets', 'realm-config/services']);
/** recording: what the cloud tenant refuses with 403 "This operation is not available…" (frodo skips them). */
const CLOUD_FORBIDDEN = new Set(['realm-config/services/DataStoreService', 'realm-config/services/id-repositories']);
export const CLOUD_FORBIDDEN_MESSAGE = 'This operation is not available in PingOne Advanced Identity Cloud.';

export type Catalogue = keyof typeof CATALOGUES;
export function catalogue(path: string): unknown[] | undefined {
  return (CATALOGUES as Record<string, unknown[]>)[path];
}

/** Whether a path below a realm belongs to the configuration surface the emulator holds. */
export function isRealmEntityPath(path: string): boolean {
  if (REALM_COLLECTIONS.has(path) || REALM_PARENTS.has(path) || path === 'realm-config/authentication') return true;
  if (path.startsWith('realm-config/services/') || path.startsWith('realm-config/secrets/stores/')) return true;
  return [...REALM_COLLECTIONS, ...REALM_PARENTS].some((c) => path.startsWith(`${c}/`));
}

export function assertAvailable(path: string): void {
  if (CLOUD_FORBIDDEN.has(path) || [...CLOUD_FORBIDDEN].some((p) => path.startsWith(`${p}/`))) throw new Forbidden(CLOUD_FORBIDDEN_MESSAGE);
}

export function isCollection(path: string): boolean {
  return REALM_COLLECTIONS.has(path);
}

/** Where a scope's entities live: a realm's `entities`, or the global configuration. */
function storeOf(env: Environment, realm: string | null, create: boolean): Record<string, JsonObject> | undefined {
  const config = configOf(env);
  if (realm === null) return (config.amGlobal ??= {});
  return realmOf(config, realm, create)?.entities;
}

function view(path: string, stored: JsonObject): JsonObject {
  const { _id, ...rest } = stored;
  return { _id: _id ?? path.slice(path.lastIndexOf('/') + 1), _rev: contentRev(stored), ...rest };
}

/** Items below `path` (any depth: `realm-config/saml2` lists `hosted/<id>` and `remote/<id>`). */
export function queryEntities(env: Environment, realm: string | null, path: string): JsonObject[] {
  const store = storeOf(env, realm, false) ?? {};
  const prefix = `${path}/`;
  return Object.keys(store)
    .filter((k) => k.startsWith(prefix))
    .sort()
    // recording JourneyOps import: SAML entities answer their `location` (hosted|remote) in a query
    .map((k) => (path === 'realm-config/saml2' ? { ...view(k, store[k]!), location: k.split('/')[2] } : view(k, store[k]!)));
}

/** `_action=nextdescendents`: the direct children of `path`, each with its `_type` (recording ServiceOps). */
export function descendants(env: Environment, realm: string | null, path: string): JsonObject[] {
  const store = storeOf(env, realm, false) ?? {};
  const prefix = `${path}/`;
  // a service's sub-configuration sits two levels down (`<service>/<type>/<id>`); elsewhere children are direct
  const isService = realm === null ? path.split('/').length === 2 : path.startsWith('realm-config/services/');
  const depth = isService ? 2 : 1;
  return Object.keys(store)
    .filter((k) => k.startsWith(prefix) && k.slice(prefix.length).split('/').length === depth)
    .sort()
    // recording ServiceOps getListOfServices: a child is named by its own path segment (a service's `_id` reads ""),
    // without a revision
    .map((k) => {
      const { _rev: _r, ...item } = view(k, store[k]!);
      return { ...item, _id: k.slice(k.lastIndexOf('/') + 1) };
    });
}

export function getEntity(env: Environment, realm: string | null, path: string): JsonObject {
  const v = storeOf(env, realm, false)?.[path];
  // AM CREST: an unknown resource
  if (!v) throw new NotFound('Not Found');
  return view(path, v);
}

export function putEntity(env: Environment, ctx: AuditContext, realm: string | null, path: string, body: JsonObject): { created: boolean; value: JsonObject } {
  assertConfigWritable(env);
  const store = storeOf(env, realm, true)!;
  const before = store[path];
  const { _rev: _r, ...value } = body;
  // the type AM reports for a service or item stays what it was (clients send it back unchanged on import)
  store[path] = clone({ ...value, ...(before?._type ? { _type: before._type } : {}) });
  env.changed();
  auditActivity(env, ctx, { source: 'am-config', objectId: realm === null ? `global-config/${path}` : `realms/${realm}/${path}`, operation: before ? 'UPDATE' : 'CREATE', before, after: store[path] });
  return { created: !before, value: view(path, store[path]!) };
}

export function deleteEntity(env: Environment, ctx: AuditContext, realm: string | null, path: string): JsonObject {
  assertConfigWritable(env);
  const store = storeOf(env, realm, false);
  const before = store?.[path];
  if (!store || !before) throw new NotFound('Not Found');
  for (const k of Object.keys(store)) if (k === path || k.startsWith(`${path}/`)) delete store[k];
  env.changed();
  auditActivity(env, ctx, { source: 'am-config', objectId: realm === null ? `global-config/${path}` : `realms/${realm}/${path}`, operation: 'DELETE', before });
  return view(path, before);
}
