// Journey nodes (recording am-scripts-journeys-nodes: NodeApi, NodeOps, JourneyOps): each node lives at
// `…/authenticationtrees/nodes/{type}/{id}` with its type in `_type`; AM adds `_rev` and the node's `_outcomes`
// on every read. Page nodes list their inner nodes in `nodes`, which are nodes of their own. No HTTP here.
import type { Environment } from '../../environment.js';
import type { AuditContext } from '../../core/audit.js';
import { auditActivity } from '../../core/audit.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { contentRev } from '../../core/crest.js';
import { assertConfigWritable } from '../promotion/guard.js';
import type { JsonObject } from './model.js';
import { configOf, realmOf } from './service.js';
import NODE_TYPES from './data/nodeTypes.json' with { type: 'json' };
import NODE_OUTCOMES from './data/nodeOutcomes.json' with { type: 'json' };
import { clone } from '../../core/clone.js';

interface Outcome {
  id: string;
  displayName: string;
}

/** recording NodeApi/getNodeTypes: `POST …/nodes?_action=getAllTypes`, the tenant's node types (vendored). */
export const nodeTypes: ReadonlyArray<{ _id: string; name: string; collection: boolean; tags?: string[]; help?: string }> = NODE_TYPES;
const observed = NODE_OUTCOMES as Record<string, { name: string; version: string; outcomes: Outcome[] }>;
const typeNames = new Map(nodeTypes.map((t) => [t._id, t.name]));

// recording NodeApi getNode/deleteNode: an unknown node id
const notFound = () => new NotFound('Not Found');

/** A node type's display name: the catalogue's, else the one recorded on a node, else the id (custom nodes). */
function typeName(type: string): string {
  return typeNames.get(type) ?? observed[type]?.name ?? type;
}

/**
 * What AM computes as a node's outcomes: a scripted decision node's configured `outcomes`, a page node's last inner
 * node's outcomes (recordings: PageNode `_outcomes` equal its last child's), the recorded static outcomes of the type,
 * else AM's single `outcome`.
 */
function outcomesOf(nodes: Record<string, JsonObject>, node: JsonObject, type: string, depth = 0): Outcome[] {
  if (Array.isArray(node.outcomes) && node.outcomes.every((o) => typeof o === 'string')) return (node.outcomes as string[]).map((o) => ({ id: o, displayName: o }));
  if (type === 'PageNode' && Array.isArray(node.nodes) && node.nodes.length && depth < 2) {
    const last = node.nodes[node.nodes.length - 1] as JsonObject;
    const inner = nodes[String(last._id)];
    if (inner) return outcomesOf(nodes, inner, String(last.nodeType ?? typeOf(inner)), depth + 1);
    // the inner node is not written yet: its type's outcomes
    if (typeof last.nodeType === 'string') return observed[last.nodeType]?.outcomes ?? [{ id: 'outcome', displayName: 'Outcome' }];
  }
  return observed[type]?.outcomes ?? [{ id: 'outcome', displayName: 'Outcome' }];
}

function typeOf(node: JsonObject): string {
  return String((node._type as JsonObject | undefined)?._id ?? '');
}

function nodeView(nodes: Record<string, JsonObject>, id: string, stored: JsonObject): JsonObject {
  const { _id: _i, _type, ...attrs } = stored;
  const type = typeOf(stored);
  return { _id: id, _rev: contentRev(stored), ...attrs, _type, _outcomes: outcomesOf(nodes, stored, type) };
}

function nodesOf(env: Environment, realm: string): Record<string, JsonObject> {
  return realmOf(configOf(env), realm, false)?.nodes ?? {};
}

export function getNode(env: Environment, realm: string, type: string, id: string): JsonObject {
  const nodes = nodesOf(env, realm);
  const n = nodes[id];
  if (!n || typeOf(n) !== type) throw notFound();
  return nodeView(nodes, id, n);
}

/** `GET …/nodes/{type}?_queryFilter=true` (recording getNodesByType). */
export function nodesByType(env: Environment, realm: string, type: string): JsonObject[] {
  const nodes = nodesOf(env, realm);
  return Object.keys(nodes)
    .sort()
    .filter((id) => typeOf(nodes[id]!) === type)
    .map((id) => nodeView(nodes, id, nodes[id]!));
}

/** `POST …/nodes?_action=nextdescendents` (recording getNodes): every node of the realm. */
export function allNodes(env: Environment, realm: string): JsonObject[] {
  const nodes = nodesOf(env, realm);
  return Object.keys(nodes)
    .sort()
    .map((id) => nodeView(nodes, id, nodes[id]!));
}

const READ_ONLY = new Set(['_id', '_rev', '_type', '_outcomes']);

/** `PUT …/nodes/{type}/{id}`: create (201) or replace (200); the type comes from the path, attributes from the body. */
export function putNode(env: Environment, ctx: AuditContext, realm: string, type: string, id: string, body: JsonObject, version = '1.0'): { created: boolean; value: JsonObject } {
  assertConfigWritable(env);
  const r = realmOf(configOf(env), realm, true)!;
  const before = r.nodes[id];
  // AM: a node id is bound to its type; writing it under another type is a different resource that exists already
  if (before && typeOf(before) !== type) throw new Invalid(`Node ${id} exists with type ${typeOf(before)}`);
  if (type === 'PageNode' && body.nodes !== undefined && !validInnerNodes(body.nodes)) throw new Invalid('Data validation failed for the attribute, Nodes');
  const attrs = Object.fromEntries(Object.entries(body).filter(([k]) => !READ_ONLY.has(k)));
  const stored: JsonObject = { _type: { _id: type, name: typeName(type), collection: true, version: bodyVersion(body) ?? version }, ...clone(attrs) };
  r.nodes[id] = stored;
  env.changed();
  auditActivity(env, ctx, { source: 'am-config', objectId: `realms/${realm}/nodes/${type}/${id}`, operation: before ? 'UPDATE' : 'CREATE', before, after: stored });
  return { created: !before, value: nodeView(r.nodes, id, stored) };
}

function bodyVersion(body: JsonObject): string | undefined {
  const v = (body._type as JsonObject | undefined)?.version;
  return typeof v === 'string' ? v : undefined;
}

function validInnerNodes(v: unknown): boolean {
  return Array.isArray(v) && v.every((n) => n && typeof n === 'object' && typeof (n as JsonObject)._id === 'string' && typeof (n as JsonObject).nodeType === 'string');
}

export function deleteNode(env: Environment, ctx: AuditContext, realm: string, type: string, id: string): JsonObject {
  assertConfigWritable(env);
  const r = realmOf(configOf(env), realm, false);
  const before = r?.nodes[id];
  if (!r || !before || typeOf(before) !== type) throw notFound();
  const view = nodeView(r.nodes, id, before);
  delete r.nodes[id];
  env.changed();
  auditActivity(env, ctx, { source: 'am-config', objectId: `realms/${realm}/nodes/${type}/${id}`, operation: 'DELETE', before });
  return view;
}

/** `POST …/nodes/{type}?_action=getType` (recording version-aware-node-api): the type as the catalogue lists it. */
export function nodeTypeOf(type: string): JsonObject {
  const t = nodeTypes.find((x) => x._id === type);
  if (!t) throw notFound();
  return { ...t };
}
