// RFC 6902 JSON Patch (add, replace, remove, test) as ISC PATCH endpoints take it (`application/json-patch+json`):
// applied to a copy, so a failing operation leaves the target unchanged. Errors are the ISC 400.
import { badRequest } from './errors.js';

type Json = unknown;

function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) throw badRequest(`Invalid patch path: ${String(path)}`);
  return path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function applyJsonPatch<T>(target: T, ops: unknown): T {
  if (!Array.isArray(ops) || !ops.length) throw badRequest('The request body must be a non-empty JSON Patch array.');
  const doc = structuredClone(target) as Json;
  const root = { v: doc } as Record<string, Json>;
  for (const raw of ops) {
    if (!raw || typeof raw !== 'object') throw badRequest('Invalid patch operation');
    const op = raw as { op?: unknown; path?: unknown; value?: unknown };
    const path = ['v', ...pointer(op.path)];
    let parent: Json = root;
    for (const p of path.slice(0, -1)) {
      const next = Array.isArray(parent) ? parent[Number(p)] : (parent as Record<string, Json>)[p];
      if (next === null || typeof next !== 'object') throw badRequest(`Invalid patch path: ${String(op.path)}`);
      parent = next;
    }
    const key = path[path.length - 1]!;
    if (op.op === 'add' || op.op === 'replace') {
      if (!('value' in op)) throw badRequest(`Patch operation ${op.op} needs a value`);
      if (Array.isArray(parent)) {
        const i = key === '-' ? parent.length : Number(key);
        if (!Number.isInteger(i) || i < 0 || i > parent.length || (op.op === 'replace' && i >= parent.length)) throw badRequest(`Invalid patch path: ${String(op.path)}`);
        if (op.op === 'add') parent.splice(i, 0, op.value);
        else parent[i] = op.value;
      } else (parent as Record<string, Json>)[key] = op.value;
    } else if (op.op === 'remove') {
      if (Array.isArray(parent)) {
        const i = Number(key);
        if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw badRequest(`Invalid patch path: ${String(op.path)}`);
        parent.splice(i, 1);
      } else delete (parent as Record<string, Json>)[key];
    } else if (op.op === 'test') {
      const actual = Array.isArray(parent) ? parent[Number(key)] : (parent as Record<string, Json>)[key];
      if (JSON.stringify(actual) !== JSON.stringify(op.value)) throw badRequest(`Patch test failed at ${String(op.path)}`);
    } else throw badRequest(`Unsupported patch operation: ${String(op.op)}`);
  }
  return root.v as T;
}
