// Journey (authentication tree) rules as AM enforces them on PUT (recording am-scripts-journeys-nodes:
// TreeApi/putTree cases 2–5: unknown attribute, no entry node, nodes that are not node references).
import { crestError } from '../../core/errors.js';
import type { JsonObject } from './model.js';

// recording putTree 3: `validAttributes`; journeys exported by newer tenants also carry these flags (JourneyOps imports)
const VALID = ['description', 'enabled', 'entryNodeId', 'identityResource', 'innerTreeOnly', 'nodes', 'staticNodes', 'uiConfig'];
const ALSO_ACCEPTED = new Set(['_id', '_rev', 'mustRun', 'noSession', 'transactionalOnly']);

/** The static success and failure nodes every journey may point at. */
export const STATIC_NODES = new Set(['70e691a5-1e33-4ac3-a356-e7b6d60d92e0', 'e301438c-0bd0-429c-ab0c-66126501069a', 'startNode']);

export function validateTree(body: JsonObject): void {
  for (const k of Object.keys(body)) {
    if (!VALID.includes(k) && !ALSO_ACCEPTED.has(k)) throw crestError(400, 'Invalid attribute specified.', { validAttributes: VALID });
  }
  const nodes = body.nodes ?? {};
  if (typeof nodes !== 'object' || nodes === null || Array.isArray(nodes) || !Object.values(nodes).every((n) => n && typeof n === 'object' && !Array.isArray(n))) {
    throw crestError(400, 'Data validation failed for the attribute, Nodes');
  }
  const entry = body.entryNodeId;
  if (typeof entry !== 'string' || !entry) throw crestError(400, 'Node with ID entryNodeId must exist in the tree.');
  if (!(entry in (nodes as JsonObject)) && !STATIC_NODES.has(entry)) throw crestError(400, `Node with ID ${entry} must exist in the tree.`);
}
