// RFC 6902 JSON Patch as ISC PATCH endpoints take it (`application/json-patch+json`): core/jsonPatch.ts applied to a
// copy, so a failing operation leaves the target unchanged; its errors become the ISC 400.
import { applyJsonPatch as apply, JsonPatchError, parseJsonPatch, type JsonPatchOp } from '../../core/jsonPatch.js';
import { badRequest } from './errors.js';

/** Validate a patch document (a non-empty array of operations) in the ISC error shape. */
export function parsePatch(ops: unknown): JsonPatchOp[] {
  try {
    return parseJsonPatch(ops);
  } catch (err) {
    if (err instanceof JsonPatchError) throw badRequest(err.message);
    throw err;
  }
}

/** Apply the patch document `ops` to a copy of `target`. */
export function applyJsonPatch<T>(target: T, ops: unknown): T {
  const parsed = parsePatch(ops);
  try {
    return apply(target, parsed);
  } catch (err) {
    if (err instanceof JsonPatchError) throw badRequest(err.message);
    throw err;
  }
}
