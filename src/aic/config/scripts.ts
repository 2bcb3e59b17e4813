// AM scripts on the wire (recording am-scripts-journeys-nodes: ScriptOps getScript/putScript): `script` travels
// Base64-encoded in both directions; the emulator stores the decoded text, so the ESV delete guard, promotion's
// placeholder checks and fixtures all read plain JavaScript. AM stamps who created and last modified a script.
import { Invalid } from '../../core/errors.js';
import type { JsonObject } from './model.js';

/** Strict Base64 (standard alphabet, optional padding): a round trip through Buffer must give the input back. */
export function decodeBase64Strict(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 === 1) return undefined;
  const buf = Buffer.from(compact, 'base64');
  if (buf.toString('base64').replace(/=+$/, '') !== compact.replace(/=+$/, '')) return undefined;
  return buf.toString('utf8');
}

/** The stored script → the wire form: `script` Base64-encoded. */
export function scriptToWire(stored: JsonObject): JsonObject {
  return typeof stored.script === 'string' ? { ...stored, script: Buffer.from(stored.script, 'utf8').toString('base64') } : stored;
}

/**
 * A PUT body → the stored script: `script` decoded (400 when it is not Base64), AM's metadata kept from the stored
 * version (creation) and stamped for this write (modification), `id=<subject>,ou=user,ou=am-config` as recorded.
 */
export function scriptFromWire(body: JsonObject, before: JsonObject | undefined, subject: string, now: number): JsonObject {
  const out: JsonObject = { ...body };
  if (out.script !== undefined) {
    const decoded = typeof out.script === 'string' ? decodeBase64Strict(out.script) : undefined;
    // AM rejects a script body it cannot decode before storing anything
    if (decoded === undefined) throw new Invalid('Script is not Base64 encoded');
    out.script = decoded;
  }
  const by = `id=${subject},ou=user,ou=am-config`;
  out.createdBy = before?.createdBy ?? by;
  out.creationDate = before?.creationDate ?? now;
  out.lastModifiedBy = by;
  out.lastModifiedDate = now;
  return out;
}
