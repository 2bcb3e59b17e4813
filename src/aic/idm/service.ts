// IDM rules for internal roles (CREST object semantics as IDM answers them: `_id`, `_rev`, 404 "Object … not found
// in internal/role"), the connector-server test derived from the connector info provider configuration, and the
// script-evaluation refusal. No HTTP here.
import { randomUUID } from 'node:crypto';
import type { Environment } from '../../environment.js';
import type { AuditContext } from '../../core/audit.js';
import { auditActivity } from '../../core/audit.js';
import { Forbidden, Invalid, NotFound, PreconditionFailed } from '../../core/errors.js';
import { contentRev } from '../../core/crest.js';
import { assertConfigWritable } from '../promotion/guard.js';
import { configOf } from '../config/service.js';
import { governance } from '../governance/service.js';
import { DEFAULT_INTERNAL_ROLES, type IdmState, type JsonObject } from './model.js';
import { clone } from '../../core/clone.js';

export function idmOf(env: Environment): IdmState {
  let s = env.state.idm as IdmState | undefined;
  if (!s) env.state.idm = s = { internalRoles: clone(DEFAULT_INTERNAL_ROLES) };
  return s;
}

// IDM: an unknown object in a resource collection
const notFound = (id: string) => new NotFound(`Object ${id} not found in internal/role`);

export function roleView(id: string, r: JsonObject): JsonObject {
  return { _id: id, _rev: contentRev(r), privileges: r.privileges ?? [], condition: r.condition ?? null, name: r.name, description: r.description ?? '', temporalConstraints: r.temporalConstraints ?? [] };
}

export function listInternalRoles(env: Environment): JsonObject[] {
  const roles = idmOf(env).internalRoles;
  return Object.keys(roles).map((id) => roleView(id, roles[id]!));
}

export function getInternalRole(env: Environment, id: string): JsonObject {
  const r = idmOf(env).internalRoles[id];
  if (!r) throw notFound(id);
  return roleView(id, r);
}

function validate(body: JsonObject): JsonObject {
  // IDM policy: an internal role needs a name
  if (typeof body.name !== 'string' || !body.name) throw new Forbidden('Policy validation failed', { result: false, failedPolicyRequirements: [{ property: 'name', policyRequirements: [{ policyRequirement: 'REQUIRED' }] }] });
  if (body.privileges !== undefined && !Array.isArray(body.privileges)) throw new Invalid('privileges must be an array');
  const { _id: _i, _rev: _r, ...rest } = body;
  return clone(rest);
}

export function putInternalRole(env: Environment, ctx: AuditContext, id: string, body: JsonObject): { created: boolean; value: JsonObject } {
  assertConfigWritable(env);
  const roles = idmOf(env).internalRoles;
  const before = roles[id];
  roles[id] = validate(body);
  env.changed();
  auditActivity(env, ctx, { objectId: `internal/role/${id}`, operation: before ? 'UPDATE' : 'CREATE', before: before ? roleView(id, before) : undefined, after: roleView(id, roles[id]!) });
  return { created: !before, value: roleView(id, roles[id]!) };
}

export function createInternalRole(env: Environment, ctx: AuditContext, body: JsonObject): JsonObject {
  const id = typeof body._id === 'string' && body._id ? body._id : randomUUID();
  if (idmOf(env).internalRoles[id]) throw new PreconditionFailed(`Object internal/role/${id} already exists`);
  return putInternalRole(env, ctx, id, body).value;
}

export function deleteInternalRole(env: Environment, ctx: AuditContext, id: string): JsonObject {
  assertConfigWritable(env);
  const roles = idmOf(env).internalRoles;
  const before = roles[id];
  if (!before) throw notFound(id);
  delete roles[id];
  env.changed();
  auditActivity(env, ctx, { objectId: `internal/role/${id}`, operation: 'DELETE', before: roleView(id, before) });
  return roleView(id, before);
}

/**
 * `POST /openidm/system?_action=testConnectorServers` (recording IdmSystemOps/testConnectorServers): one entry per
 * remote connector client and client group configured in `provisioner.openicf.connectorinfoprovider`; a client
 * answers ok unless it is disabled there.
 */
export function testConnectorServers(env: Environment): { openicf: Array<{ name: string; type: string; ok: boolean }> } {
  const provider = configOf(env).idm['provisioner.openicf.connectorinfoprovider'] ?? {};
  const list = (key: string, type: string) =>
    (Array.isArray(provider[key]) ? (provider[key] as JsonObject[]) : []).filter((c) => typeof c?.name === 'string').map((c) => ({ name: c.name as string, type, ok: c.enabled !== false }));
  return { openicf: [...list('remoteConnectorClientsGroups', 'remoteConnectorClientsGroup'), ...list('remoteConnectorClients', 'remoteConnectorClient')] };
}

/**
 * `managed/<realm>_application` as frodo's application export reads it (recording ConfigOps Cloud-Tests 4:
 * `_fields=authoritative,connectorId,…`): the alpha realm's applications are the governance area's; bravo has none.
 */
export function realmApplications(env: Environment, realm: string): JsonObject[] {
  if (realm !== 'alpha') return [];
  return governance(env).applications.map((a) => ({
    _id: a.id,
    _rev: contentRev(a),
    authoritative: false,
    connectorId: '',
    description: a.description,
    icon: a.icon,
    mappingNames: [],
    name: a.name,
    ssoEntities: {},
    templateName: a.templateName,
    templateVersion: a.templateVersion,
    uiConfig: {},
    url: '',
  }));
}
