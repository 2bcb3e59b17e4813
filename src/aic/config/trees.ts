// Journey (authentication tree) rules as AM enforces them on PUT (recording am-scripts-journeys-nodes:
// TreeApi/putTree cases 2–5: unknown attribute, no entry node, nodes that are not node references).
import { Invalid } from '../../core/errors.js';
import type { JsonObject } from './model.js';

// recording putTree 3: `validAttributes`; journeys exported by newer tenants also carry these flags (JourneyOps imports)
const VALID = ['description', 'enabled', 'entryNodeId', 'identityResource', 'innerTreeOnly', 'nodes', 'staticNodes', 'uiConfig'];
const ALSO_ACCEPTED = new Set(['_id', '_rev', 'mustRun', 'noSession', 'transactionalOnly']);

/** Validates a journey as AM does, and fills AM's defaults (recording putTree 1: `innerTreeOnly` false when absent). */
export function validateTree(body: JsonObject): void {
  for (const k of Object.keys(body)) {
    if (!VALID.includes(k) && !ALSO_ACCEPTED.has(k)) throw new Invalid('Invalid attribute specified.', { validAttributes: VALID });
  }
  const nodes = body.nodes ?? {};
  if (typeof nodes !== 'object' || nodes === null || Array.isArray(nodes) || !Object.values(nodes).every((n) => n && typeof n === 'object' && !Array.isArray(n))) {
    throw new Invalid('Data validation failed for the attribute, Nodes');
  }
  // recording putTree 4: a journey without an entry node; the entry node itself may be written after the journey
  // (recording getTree 1: FrodoTestTree1 enters at a node its `nodes` map does not list)
  const entry = body.entryNodeId;
  if (typeof entry !== 'string' || !entry) throw new Invalid('Node with ID entryNodeId must exist in the tree.');
  body.innerTreeOnly ??= false;
}
