// Script types (recording platform-realms-roles-config, ScriptTypeOps and ConfigOps global export): the scripting
// contexts AM knows, their engine configuration and their bindings. The recorded values are AM's constants
// (data/scriptTypes.ts); a PUT of an engine configuration is stored in the environment's global config and wins.
import { createRequire } from 'node:module';
import type { Environment } from '../../environment.js';
import type { AuditContext } from '../../core/audit.js';
import { NotFound } from '../../core/errors.js';
import { contentRev } from '../../core/crest.js';
import type { JsonObject } from './model.js';
import { configOf } from './service.js';
import { getEntity, putEntity } from './amEntities.js';
import { SCRIPT_TYPES_GZ_B64 } from './data/scriptTypes.js';

interface ScriptTypeData {
  contexts: JsonObject[];
  engineConfiguration: Record<string, JsonObject>;
  context: Record<string, JsonObject>;
}

let data: ScriptTypeData | undefined;
/** Decoded once, on the first script-type request (module-level: immutable product constants, not state). node:zlib
 *  is loaded then too: loading it at start-up took 1–3 ms (issue #17, start-up). */
function recorded(): ScriptTypeData {
  if (data) return data;
  const { gunzipSync } = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
  return (data = JSON.parse(gunzipSync(Buffer.from(SCRIPT_TYPES_GZ_B64, 'base64')).toString('utf8')) as ScriptTypeData);
}

const enginePath = (id: string) => `services/scripting/contexts/${id}/engineConfiguration`;

export function listScriptTypes(): JsonObject[] {
  return recorded().contexts.map((c) => ({ _id: c._id, _rev: contentRev(c), ...c }));
}

function known(id: string): void {
  // AM: an unknown scripting context
  if (!recorded().contexts.some((c) => c._id === id)) throw new NotFound('Not Found');
}

export function getScriptType(id: string): JsonObject {
  known(id);
  const c = recorded().contexts.find((x) => x._id === id)!;
  return { _id: id, _rev: contentRev(c), ...c };
}

/** `GET …/contexts/{id}/engineConfiguration`: the environment's own if written, else AM's; 404 where AM has none. */
export function getEngineConfiguration(env: Environment, id: string): JsonObject {
  known(id);
  if (configOf(env).amGlobal?.[enginePath(id)]) return getEntity(env, null, enginePath(id));
  const rec = recorded().engineConfiguration[id];
  // recording: AUTHENTICATION_CLIENT_SIDE has no engine configuration (404)
  if (!rec) throw new NotFound('Not Found');
  return { ...rec, _rev: contentRev(rec) };
}

export function putEngineConfiguration(env: Environment, ctx: AuditContext, id: string, body: JsonObject): JsonObject {
  known(id);
  return putEntity(env, ctx, null, enginePath(id), { ...body, _id: 'engineConfiguration' }).value;
}

/** `GET /am/json/contexts/{id}`: the bindings and allow lists a script of that type sees. */
export function getScriptContext(id: string): JsonObject {
  const c = recorded().context[id];
  if (!c) throw new NotFound('Not Found');
  return c;
}
