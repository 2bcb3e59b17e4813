// RFC 6902 JSON Patch over plain JSON documents (ISC PATCH endpoints take `application/json-patch+json`, contract
// JsonPatchOperation). Pure: the input is not modified; a bad operation throws JsonPatchError and each product maps it
// to its own 400 body. Which paths an endpoint lets through is the caller's rule, checked before applying.

export class JsonPatchError extends Error {}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Validate the shape of a patch document (an array of operations). */
export function parseJsonPatch(body: unknown): JsonPatchOp[] {
  if (!Array.isArray(body) || !body.length) throw new JsonPatchError('The request body must be a non-empty JSON Patch array.');
  return body.map((raw, i) => {
    const op = raw as Partial<JsonPatchOp> | null;
    if (!op || typeof op !== 'object' || typeof op.op !== 'string' || !OPS.has(op.op)) throw new JsonPatchError(`Operation ${i}: 'op' must be one of add, remove, replace, move, copy, test.`);
    if (typeof op.path !== 'string' || (op.path !== '' && !op.path.startsWith('/'))) throw new JsonPatchError(`Operation ${i}: 'path' must be a JSON Pointer.`);
    if ((op.op === 'move' || op.op === 'copy') && (typeof op.from !== 'string' || (op.from !== '' && !op.from.startsWith('/')))) throw new JsonPatchError(`Operation ${i}: 'from' must be a JSON Pointer.`);
    if ((op.op === 'add' || op.op === 'replace' || op.op === 'test') && !('value' in op)) throw new JsonPatchError(`Operation ${i}: 'value' is required for ${op.op}.`);
    for (const pointer of [op.path, op.from]) if (typeof pointer === 'string' && pointerTokens(pointer).some(isUnsafeKey)) throw new JsonPatchError(`Path ${pointer} does not exist.`);
    return op as JsonPatchOp;
  });
}

/**
 * A key no JSON document of the emulator has, whose assignment would reach an object's prototype (`__proto__`) or
 * its constructor: a patch naming one is refused as a path that does not exist, whatever the document.
 */
export function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** `/a/b~1c` → ['a', 'b/c'] */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, tokens: string[], pointer: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    // own members only: a patch walks the document, never what it inherits
    if (Array.isArray(cur)) cur = /^(0|[1-9]\d*)$/.test(t) ? cur[Number(t)] : undefined;
    else if (cur && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, t)) cur = (cur as Record<string, unknown>)[t];
    else cur = undefined;
    if (cur === undefined || cur === null || typeof cur !== 'object') throw new JsonPatchError(`Path ${pointer} does not exist.`);
  }
  return { parent: cur as Container, key: tokens[tokens.length - 1]! };
}

function arrayIndex(arr: unknown[], key: string, pointer: string, forAdd: boolean): number {
  if (forAdd && key === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(key)) throw new JsonPatchError(`Invalid array index in ${pointer}.`);
  const i = Number(key);
  if (i > arr.length || (!forAdd && i === arr.length)) throw new JsonPatchError(`Array index out of bounds in ${pointer}.`);
  return i;
}

function get(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const t of pointerTokens(pointer)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (cur && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, t)) cur = (cur as Record<string, unknown>)[t];
    else throw new JsonPatchError(`Path ${pointer} does not exist.`);
    if (cur === undefined) throw new JsonPatchError(`Path ${pointer} does not exist.`);
  }
  return cur;
}

function remove(doc: unknown, pointer: string): unknown {
  const tokens = pointerTokens(pointer);
  if (!tokens.length) throw new JsonPatchError('The document root cannot be removed.');
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, pointer, false), 1)[0];
  if (!Object.prototype.hasOwnProperty.call(parent, key)) throw new JsonPatchError(`Path ${pointer} does not exist.`);
  const old = parent[key];
  delete parent[key];
  return old;
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = pointerTokens(pointer);
  if (!tokens.length) return value;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, pointer, true), 0, value);
  else parent[key] = value;
  return doc;
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** Apply the operations in order to a copy of `doc`; any failure aborts the whole patch (RFC 6902 §5). */
export function applyJsonPatch<T>(doc: T, ops: JsonPatchOp[]): T {
  let out: unknown = clone(doc);
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        out = add(out, op.path, clone(op.value));
        break;
      case 'remove':
        remove(out, op.path);
        break;
      case 'replace':
        get(out, op.path);
        if (op.path === '') out = clone(op.value);
        else {
          remove(out, op.path);
          out = add(out, op.path, clone(op.value));
        }
        break;
      case 'move': {
        if (op.path.startsWith(`${op.from}/`)) throw new JsonPatchError(`Cannot move ${op.from} into its own child ${op.path}.`);
        const v = get(out, op.from!);
        remove(out, op.from!);
        out = add(out, op.path, v);
        break;
      }
      case 'copy':
        out = add(out, op.path, clone(get(out, op.from!)));
        break;
      case 'test':
        if (JSON.stringify(get(out, op.path)) !== JSON.stringify(op.value)) throw new JsonPatchError(`Test failed at ${op.path}.`);
        break;
    }
  }
  return out as T;
}
