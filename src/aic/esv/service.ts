// ESV domain rules (SPEC §2, S4 L1221–2070) as plain functions over the environment's state and clock.
// Errors are ApiErrors carrying the environment API's `{code,message}` body (recordings esv-*.json).
import type { RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { envError } from '../../core/errors.js';
import { auditActivity } from '../../core/audit.js';
import { esvReferences } from '../config/references.js';
import { compareKeys } from '../../core/crest.js';
import {
  ENCODINGS,
  EXPRESSION_TYPES,
  type Encoding,
  type EsvState,
  type ExpressionType,
  type Secret,
  type SecretVersion,
  type Variable,
} from './model.js';

export const RESTART_JOB = 'esv.restart';
/** S4 L1545–1550: `esv-` prefix, alphanumerics, `-` and `_`, at most 124 characters including the prefix. */
const NAME = /^esv-[A-Za-z0-9_-]+$/;
const MAX_NAME = 124;
/** S4 L1239 / L1437: values must not exceed 65535 bytes. */
export const MAX_VALUE_BYTES = 65535;


// ---------------------------------------------------------------- messages (recorded ones cite their recording)

export const MSG = {
  // recording esv-variables: GET/DELETE/setDescription of a missing variable
  variableNotFound: 'The variable does not exist',
  // recording esv-secrets: GET secret, GET versions, changestatus of a missing secret
  secretNotFound: 'The secret does not exist or does not have a version',
  // recording esv-secrets: POST …/versions?_action=create on a missing secret
  versionCreateFailed: 'Failed to create secret version',
  // recording esv-secrets: GET …/versions/2 of a missing secret
  versionGetFailed: 'Failed to get secret version',
  // recording esv-secrets: PUT on an existing secret
  secretExists: 'Failed to create secret, the secret already exists',
  // recording esv-variables: PUT of a new variable without expressionType
  typeRequired: 'Variable type required; expressionType cannot be empty when creating new variables',
  // emulator's wording where no recording shows the real one (docs/esv.md "Error messages")
  // third-party report of a live tenant (docs/esv.md "Error messages")
  typeImmutable: 'Changing the type of an existing variable is not permitted',
  disableLatest: 'Cannot disable latest secret version',
  restartInProgress: 'Restart already in progress',
  changesDuringRestart: 'ESV changes are not allowed while a restart is in progress',
} as const;

// ---------------------------------------------------------------- state access and indexes

export function esvState(env: Environment): EsvState {
  return env.slice<EsvState>('esv');
}

// name → object, per list (WeakMap: seeding/reset replaces the lists, dropping stale indexes)
const indexes = new WeakMap<object, Map<string, Variable | Secret>>();

function indexOf<T extends Variable | Secret>(list: T[]): Map<string, T> {
  let idx = indexes.get(list) as Map<string, T> | undefined;
  if (!idx) {
    idx = new Map(list.map((x) => [x._id, x]));
    indexes.set(list, idx as Map<string, Variable | Secret>);
  }
  return idx;
}

/** Insert keeping the list sorted by _id (the order GET lists them in, recordings esv-*). */
function insertSorted<T extends Variable | Secret>(list: T[], item: T): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(list[mid]!._id, item._id) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
  indexOf(list).set(item._id, item);
}

function removeFrom<T extends Variable | Secret>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
  indexOf(list).delete(item._id);
}

export function findVariable(env: Environment, name: string): Variable | undefined {
  return indexOf(esvState(env).variables).get(name);
}

export function findSecret(env: Environment, name: string): Secret | undefined {
  return indexOf(esvState(env).secrets).get(name);
}

/**
 * S4 L1551–1566: an ESV named like a legacy one (`esv-<hash>-<name>`) also exists as `byos-<hash>-<name>`;
 * both names resolve to the same ESV. The alias is derived from the name, so it appears and disappears with it.
 */
const LEGACY_SHAPE = /^esv-([0-9a-f]{10})-([A-Za-z0-9_-]+)$/;

export function legacyAlias(name: string): string | undefined {
  const m = LEGACY_SHAPE.exec(name);
  return m ? `byos-${m[1]}-${m[2]}` : undefined;
}

/** The ESV name a reference resolves to (`byos-<hash>-<name>` → `esv-<hash>-<name>`). */
export function canonicalName(name: string): string {
  if (name.startsWith('byos-')) {
    const esv = `esv-${name.slice(5)}`;
    if (legacyAlias(esv) === name) return esv;
  }
  return name;
}

/** Contract with promotion: does a variable or secret of this name (or its legacy byos- alias) exist? */
export function esvExists(env: Environment, name: string): boolean {
  const n = canonicalName(name);
  return !!(findVariable(env, n) || findSecret(env, n));
}

// ---------------------------------------------------------------- timestamps

// FNV-1a: deterministic sub-millisecond digits for a timestamp
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Now, with nanosecond precision as the ESV service writes it (recording esv-variables PUT:
 * "2024-07-05T15:22:25.72447206Z"): the clock's milliseconds plus deterministic sub-millisecond digits.
 */
export function nanoStamp(env: Environment, salt: string): string {
  const ms = env.clock.now();
  const counter = env.memory('esv.nanoStamp', () => ({ seq: 0 }));
  const seq = ++counter.seq;
  const sub = String(fnv(`${env.name}|${salt}|${ms}|${seq}`) % 1_000_000).padStart(6, '0');
  const iso = new Date(ms).toISOString(); // …T12:00:00.123Z
  return trimFraction(`${iso.slice(0, 19)}.${iso.slice(20, 23)}${sub}`);
}

/** `YYYY-MM-DDTHH:MM:SS.fffffffff` → trailing zeros (and an all-zero fraction) dropped, plus `Z` (Go RFC3339Nano). */
function trimFraction(s: string): string {
  const dot = s.indexOf('.');
  if (dot < 0) return `${s}Z`;
  const frac = s.slice(dot + 1).replace(/0+$/, '');
  return frac ? `${s.slice(0, dot)}.${frac}Z` : `${s.slice(0, dot)}Z`;
}

/** Reads show microseconds (recording: PUT "…05.56571647Z", later GET "…05.565716Z"). */
export function microStamp(stamp: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(stamp);
  if (!m) return stamp;
  return trimFraction(`${m[1]}.${(m[2] ?? '').slice(0, 6)}`);
}

/** A fresh timestamp at microsecond precision (version createDate, recording esv-secrets). */
function microNow(env: Environment, salt: string): string {
  return microStamp(nanoStamp(env, salt));
}

/**
 * Who `lastChangedBy` names: the principal's name — a service account's name, an admin's username — as tenants
 * recorded since 2024-07 show it (recordings esv-*: "Frodo-SA-1701393386423", "phales@trivir.com"; older ones show
 * ids). Tokens without a name (control-plane tokens) fall back to the subject.
 */
function changedBy(actor: RequestActor): string {
  return actor.principal.name ?? actor.principal.id;
}

// ---------------------------------------------------------------- views (keys in the service's order)

export function variableView(v: Variable, precise = false) {
  return {
    _id: v._id,
    description: v.description,
    expressionType: v.expressionType,
    lastChangeDate: precise ? v.lastChangeDate : microStamp(v.lastChangeDate),
    lastChangedBy: v.lastChangedBy,
    loaded: v.loaded,
    valueBase64: v.valueBase64,
  };
}

export function secretView(s: Secret, precise = false) {
  return {
    _id: s._id,
    activeVersion: s.activeVersion,
    description: s.description,
    encoding: s.encoding,
    lastChangeDate: precise ? s.lastChangeDate : microStamp(s.lastChangeDate),
    lastChangedBy: s.lastChangedBy,
    loaded: s.loaded,
    loadedVersion: s.loadedVersion,
    useInPlaceholders: s.useInPlaceholders,
  };
}

/** A version's `loaded`: recordings show false even for the loaded version of a useInPlaceholders=false secret. */
export function versionView(s: Secret, v: SecretVersion) {
  return {
    createDate: microStamp(v.createDate),
    loaded: s.useInPlaceholders && s.loaded && s.loadedVersion === v.version,
    status: v.status,
    version: v.version,
  };
}

// ---------------------------------------------------------------- validation

export function validName(name: string): boolean {
  return name.length <= MAX_NAME && NAME.test(name);
}

function nameError(kind: 'variable' | 'secret', name: string) {
  return envError(
    400,
    `Invalid ${kind} name ${JSON.stringify(name)}: names must start with esv-, contain only alphanumeric characters, hyphens and underscores, and be at most ${MAX_NAME} characters`,
  );
}

/** Strict standard base64 (padding required); undefined when invalid. */
export function decodeBase64(value: string): Buffer | undefined {
  const compact = value.replace(/\s+/g, '');
  if (!isBase64(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** Standard padded base64, checked in one loop (a regex over a multi-megabyte value overflows the regex engine's stack). */
function isBase64(text: string): boolean {
  const n = text.length;
  if (n % 4 !== 0) return false;
  const pad = n > 0 && text.charCodeAt(n - 1) === 61 /* = */ ? (text.charCodeAt(n - 2) === 61 ? 2 : 1) : 0;
  for (let i = 0; i < n - pad; i++) {
    const ch = text.charCodeAt(i);
    const ok = (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || (ch >= 48 && ch <= 57) || ch === 43 || ch === 47;
    if (!ok) return false;
  }
  return true;
}

function decodeValue(valueBase64: unknown, required: boolean, allowEmpty: boolean): Buffer {
  if (valueBase64 === undefined || valueBase64 === null) {
    if (required) throw envError(400, 'valueBase64 is required');
    return Buffer.alloc(0);
  }
  if (typeof valueBase64 !== 'string') throw envError(400, 'valueBase64 must be a base64 encoded string');
  const buf = decodeBase64(valueBase64);
  if (!buf) throw envError(400, 'valueBase64 is not valid base64');
  if (!allowEmpty && buf.length === 0) throw envError(400, 'valueBase64 cannot be empty');
  // S4 L1239, L1437: at most 65535 bytes
  if (buf.length > MAX_VALUE_BYTES) throw envError(400, `The value exceeds the maximum size of ${MAX_VALUE_BYTES} bytes`);
  return buf;
}

const INT = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** S4 L1262–1380: the decoded value must parse as the variable's expressionType. Returns what is wrong, if anything. */
export function expressionProblem(type: ExpressionType | '', text: string): string | undefined {
  const t = text.trim();
  const json = (): unknown => {
    try {
      return JSON.parse(t);
    } catch {
      return undefined;
    }
  };
  switch (type) {
    case '':
    case 'string':
    case 'list': // comma-separated list: any text is a list of one or more items
    case 'base64encodedinlined': // inlined as is (no recorded constraint)
      return undefined;
    case 'int': {
      // IDM's $int is a 32-bit integer
      if (!INT.test(t)) return 'an integer';
      const n = Number(t);
      return n >= -2147483648 && n <= 2147483647 ? undefined : 'an integer between -2147483648 and 2147483647';
    }
    case 'number':
      return NUMBER.test(t) && Number.isFinite(Number(t)) ? undefined : 'a number';
    case 'bool':
      return /^(true|false)$/i.test(t) ? undefined : 'true or false';
    case 'array':
      return Array.isArray(json()) ? undefined : 'a JSON array';
    case 'object': {
      const v = json();
      return v && typeof v === 'object' && !Array.isArray(v) ? undefined : 'a JSON object';
    }
    case 'keyvaluelist': {
      // recording esv-variables: {"k1":"v1","k2":"v2","k3":"v3"}
      const v = json();
      return v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x !== 'object')
        ? undefined
        : 'a JSON object of keys and values';
    }
  }
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----/;

/** S4 L1460–1480 and "Generate an AES or HMAC key": what each encoding expects in the decoded value. */
export function encodingProblem(encoding: Encoding, value: Buffer): string | undefined {
  const text = value.toString('utf8');
  switch (encoding) {
    case 'generic':
      return undefined;
    case 'pem': {
      const m = PEM.exec(text);
      if (!m || !decodeBase64(m[2]!.replace(/\s+/g, ''))?.length) return 'a PEM encoded key or certificate (-----BEGIN …----- base64 -----END …-----)';
      return undefined;
    }
    case 'base64aes': {
      const key = decodeBase64(text.trim());
      return key && [16, 24, 32].includes(key.length) ? undefined : 'a base64 encoded 128, 192 or 256-bit AES key';
    }
    case 'base64hmac': {
      const key = decodeBase64(text.trim());
      return key && key.length > 0 ? undefined : 'a base64 encoded HMAC key';
    }
  }
}

// ---------------------------------------------------------------- restart (S4 L1743–1760 "Apply updates")

/** Finish a restart whose time has come: every ESV is loaded, secrets at their active version. */
export function settleRestart(env: Environment): void {
  const st = esvState(env);
  if (!st || st.restart.restartStatus !== 'restarting') return;
  const due = st.restart.completesAt ? Date.parse(st.restart.completesAt) : 0;
  if (env.clock.now() < due) return;
  for (const v of st.variables) v.loaded = true;
  for (const s of st.secrets) {
    s.loaded = true;
    s.loadedVersion = s.activeVersion;
  }
  st.restart.restartStatus = 'ready';
  env.changed();
  env.log('idm-core', { message: 'ESV restart completed: configuration reloaded', variables: st.variables.length, secrets: st.secrets.length });
}

/** Contract with promotion: 'ready' | 'restarting' (derived from the clock, so it never sticks). */
export function restartStatus(env: Environment): 'ready' | 'restarting' {
  settleRestart(env);
  return esvState(env).restart.restartStatus;
}

/** Contract with promotion: start the same asynchronous restart as POST /environment/startup?_action=restart (no-op if one runs). */
/**
 * Start the asynchronous workload restart (ESVs become loaded when it completes). `at` back-dates the start for a
 * caller settling work late (a promotion resumed after a process restart restarts when the clock says it did).
 */
export function restartWorkloads(env: Environment, at: number = env.clock.now()): void {
  if (restartStatus(env) === 'restarting') return;
  const st = esvState(env);
  const start = Math.min(at, env.clock.now());
  const due = start + st.restart.durationMs;
  st.restart = { ...st.restart, restartStatus: 'restarting', startedAt: new Date(start).toISOString(), completesAt: new Date(due).toISOString() };
  env.jobs.schedule(RESTART_JOB, due, {});
  env.changed();
}

/** POST /environment/startup?_action=restart: a second restart while one runs is refused. */
export function requestRestart(env: Environment, actor: RequestActor): { restartStatus: 'restarting' } {
  if (restartStatus(env) === 'restarting') throw envError(400, MSG.restartInProgress);
  restartWorkloads(env);
  auditActivity(env, actor, { objectId: 'environment/startup', operation: 'ACTION', details: { action: 'restart' } });
  return { restartStatus: 'restarting' };
}

/** S4 L1743: while updates are applied, further ESV changes are prevented. */
function assertNotRestarting(env: Environment): void {
  if (restartStatus(env) === 'restarting') throw envError(400, MSG.changesDuringRestart);
}

// ---------------------------------------------------------------- variables

export function getVariable(env: Environment, name: string): Variable {
  const v = findVariable(env, name);
  if (!v) throw envError(404, MSG.variableNotFound);
  return v;
}

export interface PutVariableInput {
  valueBase64?: unknown;
  description?: unknown;
  expressionType?: unknown;
}

/** PUT /environment/variables/{name}: create or update (SPEC §2). */
export function putVariable(env: Environment, actor: RequestActor, name: string, body: PutVariableInput): { variable: Variable; created: boolean } {
  if (!validName(name)) throw nameError('variable', name);
  assertNotRestarting(env);
  const existing = findVariable(env, name);
  const type = body.expressionType;
  if (type !== undefined && type !== null && type !== '' && (typeof type !== 'string' || !(EXPRESSION_TYPES as readonly string[]).includes(type))) {
    throw envError(400, `Invalid expressionType ${JSON.stringify(type)}; expected one of ${EXPRESSION_TYPES.join(', ')}`);
  }
  if (body.description !== undefined && body.description !== null && typeof body.description !== 'string') throw envError(400, 'description must be a string');
  let expressionType: ExpressionType | '';
  if (!existing) {
    // recording esv-variables: creating without expressionType is refused
    if (!type) throw envError(400, MSG.typeRequired);
    expressionType = type as ExpressionType;
  } else {
    expressionType = existing.expressionType;
    // S4 L1262: "set when the ESV variable is created, and it cannot be modified" (legacy '' may be set once)
    if (type && type !== existing.expressionType) {
      if (existing.expressionType !== '') throw envError(400, MSG.typeImmutable);
      expressionType = type as ExpressionType;
    }
  }
  const value = decodeValue(body.valueBase64, true, true);
  const problem = expressionProblem(expressionType, value.toString('utf8'));
  if (problem) throw envError(400, `Invalid value for expressionType ${expressionType}: the decoded value must be ${problem}`);

  const before = existing ? variableView(existing) : undefined;
  const st = esvState(env);
  const variable: Variable = {
    _id: name,
    description: typeof body.description === 'string' ? body.description : (existing?.description ?? ''),
    expressionType,
    valueBase64: (body.valueBase64 as string).replace(/\s+/g, ''),
    lastChangeDate: nanoStamp(env, name),
    lastChangedBy: changedBy(actor),
    // SPEC §2: not loaded until services restart
    loaded: false,
  };
  if (existing) Object.assign(existing, variable);
  else insertSorted(st.variables, variable);
  env.changed();
  const saved = existing ?? variable;
  auditActivity(env, actor, {
    objectId: `environment/variables/${name}`,
    operation: existing ? 'UPDATE' : 'CREATE',
    before,
    after: variableView(saved),
    changedFields: existing ? changed(before!, variableView(saved)) : [],
  });
  return { variable: saved, created: !existing };
}

export function setVariableDescription(env: Environment, actor: RequestActor, name: string, description: unknown): void {
  const v = getVariable(env, name);
  if (typeof description !== 'string') throw envError(400, 'description is required');
  assertNotRestarting(env);
  const before = variableView(v);
  v.description = description;
  v.lastChangeDate = nanoStamp(env, name);
  v.lastChangedBy = changedBy(actor);
  env.changed();
  auditActivity(env, actor, { objectId: `environment/variables/${name}`, operation: 'ACTION', before, after: variableView(v), changedFields: ['description'], details: { action: 'setDescription' } });
}

export function deleteVariable(env: Environment, actor: RequestActor, name: string): Variable {
  const v = getVariable(env, name);
  assertNotRestarting(env);
  assertUnreferenced(env, 'variable', name);
  removeFrom(esvState(env).variables, v);
  env.changed();
  auditActivity(env, actor, { objectId: `environment/variables/${name}`, operation: 'DELETE', before: variableView(v) });
  return v;
}

/** S4 L1535–1544: an ESV referenced by a configuration placeholder or script cannot be deleted. */
function assertUnreferenced(env: Environment, kind: 'variable' | 'secret', name: string): void {
  const dotted = name.replace(/-/g, '.');
  const refs = esvReferences(env, name);
  if (refs.length) {
    throw envError(
      400,
      `Cannot delete the ${kind} ${name}: it is referenced by the configuration placeholder &{${dotted}} at ${refs[0]}${refs.length > 1 ? ` (and ${refs.length - 1} more)` : ''}; remove the placeholder first`,
    );
  }
  const scripts = scriptReferences(env, name);
  if (scripts.length) {
    throw envError(400, `Cannot delete the ${kind} ${name}: it is referenced as ${dotted} by the script at ${scripts[0]}; remove the reference first`);
  }
}

/**
 * Scripts naming the ESV (S4 L1776–1800: `systemEnv.getProperty("esv.my.variable")`, `identityServer.getProperty(…)`;
 * "even within comments" counts). Looks at the script texts of the environment's configuration (`script`/`source`
 * strings), only when a delete needs it.
 */
export function scriptReferences(env: Environment, name: string): string[] {
  const config = env.state.config;
  if (!config) return [];
  const dotted = name.replace(/-/g, '.').replace(/[.]/g, '\\.');
  const mention = new RegExp(`(?<![A-Za-z0-9_.-])${dotted}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9_])`);
  const out: string[] = [];
  const walk = (value: unknown, path: string, key: string): void => {
    if (typeof value === 'string') {
      if ((key === 'script' || key === 'source') && mention.test(value)) out.push(path);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}/${i}`, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}/${k}`, k);
  };
  walk(config, '', '');
  return out;
}

function changed(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys(b).filter((k) => k !== 'lastChangeDate' && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

// ---------------------------------------------------------------- secrets

export function getSecret(env: Environment, name: string): Secret {
  const s = findSecret(env, name);
  if (!s) throw envError(404, MSG.secretNotFound);
  return s;
}

export interface PutSecretInput {
  valueBase64?: unknown;
  description?: unknown;
  encoding?: unknown;
  useInPlaceholders?: unknown;
}

/** PUT /environment/secrets/{name}: creation only; new values go in versions (SPEC §2). */
export function createSecret(env: Environment, actor: RequestActor, name: string, body: PutSecretInput): Secret {
  if (!validName(name)) throw nameError('secret', name);
  if (findSecret(env, name)) throw envError(400, MSG.secretExists);
  assertNotRestarting(env);
  const encoding = body.encoding ?? 'generic';
  if (typeof encoding !== 'string' || !(ENCODINGS as readonly string[]).includes(encoding)) {
    throw envError(400, `Invalid encoding ${JSON.stringify(encoding)}; expected one of ${ENCODINGS.join(', ')}`);
  }
  const useInPlaceholders = body.useInPlaceholders ?? true;
  if (typeof useInPlaceholders !== 'boolean') throw envError(400, 'useInPlaceholders must be a boolean');
  if (body.description !== undefined && body.description !== null && typeof body.description !== 'string') throw envError(400, 'description must be a string');
  const value = decodeValue(body.valueBase64, true, false);
  const problem = encodingProblem(encoding as Encoding, value);
  if (problem) throw envError(400, `Invalid value for encoding ${encoding}: the decoded value must be ${problem}`);
  const stamp = nanoStamp(env, name);
  const secret: Secret = {
    _id: name,
    description: typeof body.description === 'string' ? body.description : '',
    encoding: encoding as Encoding,
    useInPlaceholders,
    activeVersion: '1',
    // recording esv-secrets: useInPlaceholders=false secrets are loaded at once (secret store, no restart needed)
    loaded: !useInPlaceholders,
    loadedVersion: useInPlaceholders ? '' : '1',
    lastChangeDate: stamp,
    lastChangedBy: changedBy(actor),
    // S4 L1447: the first version is created enabled
    versions: [{ version: '1', createDate: microStamp(stamp), status: 'ENABLED', valueBase64: (body.valueBase64 as string).replace(/\s+/g, '') }],
  };
  insertSorted(esvState(env).secrets, secret);
  env.changed();
  auditActivity(env, actor, { objectId: `environment/secrets/${name}`, operation: 'CREATE', after: secretView(secret) });
  return secret;
}

export function setSecretDescription(env: Environment, actor: RequestActor, name: string, description: unknown): void {
  const s = getSecret(env, name);
  if (typeof description !== 'string') throw envError(400, 'description is required');
  assertNotRestarting(env);
  const before = secretView(s);
  s.description = description;
  touch(env, s, actor);
  auditActivity(env, actor, { objectId: `environment/secrets/${name}`, operation: 'ACTION', before, after: secretView(s), changedFields: ['description'], details: { action: 'setDescription' } });
}

export function deleteSecret(env: Environment, actor: RequestActor, name: string): Secret {
  const s = getSecret(env, name);
  assertNotRestarting(env);
  assertUnreferenced(env, 'secret', name);
  removeFrom(esvState(env).secrets, s);
  env.changed();
  auditActivity(env, actor, { objectId: `environment/secrets/${name}`, operation: 'DELETE', before: secretView(s) });
  return s;
}

function touch(env: Environment, s: Secret, actor: RequestActor): void {
  s.lastChangeDate = nanoStamp(env, s._id);
  s.lastChangedBy = changedBy(actor);
  env.changed();
}

/** Versions still holding a value (not DESTROYED), newest first. */
function liveVersions(s: Secret): SecretVersion[] {
  return s.versions.filter((v) => v.status !== 'DESTROYED');
}

/** The active version follows the latest live one (S4 L1447–1457). */
function recomputeActive(s: Secret): void {
  s.activeVersion = liveVersions(s)[0]?.version ?? '';
  if (!s.useInPlaceholders) {
    s.loaded = true;
    s.loadedVersion = s.activeVersion;
  } else if (s.loadedVersion !== s.activeVersion) {
    s.loaded = false;
  }
}

export function listVersions(env: Environment, name: string): SecretVersion[] {
  return getSecret(env, name).versions;
}

export function getVersion(env: Environment, name: string, version: string): { secret: Secret; version: SecretVersion } {
  const s = findSecret(env, name);
  const v = s?.versions.find((x) => x.version === version);
  if (!s || !v) throw envError(404, MSG.versionGetFailed);
  return { secret: s, version: v };
}

/** POST …/versions?_action=create (S4 L1437: the value must differ from the latest version's). */
export function createVersion(env: Environment, actor: RequestActor, name: string, valueBase64: unknown): { secret: Secret; version: SecretVersion } {
  const s = findSecret(env, name);
  if (!s) throw envError(404, MSG.versionCreateFailed);
  assertNotRestarting(env);
  const value = decodeValue(valueBase64, true, false);
  const problem = encodingProblem(s.encoding, value);
  if (problem) throw envError(400, `Invalid value for encoding ${s.encoding}: the decoded value must be ${problem}`);
  const latest = liveVersions(s)[0];
  if (latest && decodeBase64(latest.valueBase64)?.equals(value)) {
    throw envError(400, 'Failed to create secret version: the value must be different from the value of the latest version');
  }
  const next = String(s.versions.reduce((m, v) => Math.max(m, Number(v.version) || 0), 0) + 1);
  const version: SecretVersion = { version: next, createDate: microNow(env, `${name}/${next}`), status: 'ENABLED', valueBase64: (valueBase64 as string).replace(/\s+/g, '') };
  s.versions.unshift(version);
  recomputeActive(s);
  touch(env, s, actor);
  auditActivity(env, actor, { objectId: `environment/secrets/${name}/versions/${next}`, operation: 'CREATE', after: versionView(s, version) });
  return { secret: s, version };
}

/** POST …/versions/{v}?_action=changestatus (S4 L1455: the latest version cannot be disabled). */
export function changeVersionStatus(env: Environment, actor: RequestActor, name: string, version: string, status: unknown): { secret: Secret; version: SecretVersion } {
  const s = findSecret(env, name);
  const v = s?.versions.find((x) => x.version === version);
  if (!s || !v) throw envError(404, MSG.secretNotFound);
  assertNotRestarting(env);
  if (status !== 'ENABLED' && status !== 'DISABLED') throw envError(400, `Invalid status ${JSON.stringify(status ?? null)}; expected ENABLED or DISABLED`);
  if (v.status === 'DESTROYED') throw envError(400, `Version ${version} of secret ${name} is destroyed; its status cannot be changed`);
  if (status === 'DISABLED' && liveVersions(s)[0] === v) throw envError(400, MSG.disableLatest);
  const before = versionView(s, v);
  v.status = status;
  touch(env, s, actor);
  auditActivity(env, actor, { objectId: `environment/secrets/${name}/versions/${version}`, operation: 'ACTION', before, after: versionView(s, v), details: { action: 'changestatus', status } });
  return { secret: s, version: v };
}

/** DELETE …/versions/{v}: the version becomes DESTROYED (recording esv-secrets); S4 L1457 guards the latest. */
export function destroyVersion(env: Environment, actor: RequestActor, name: string, version: string): { secret: Secret; version: SecretVersion } {
  const s = findSecret(env, name);
  const v = s?.versions.find((x) => x.version === version);
  if (!s || !v) throw envError(404, MSG.secretNotFound);
  assertNotRestarting(env);
  if (v.status === 'DESTROYED') throw envError(400, `Version ${version} of secret ${name} is already destroyed`);
  const live = liveVersions(s);
  if (live[0] === v) {
    const previous = live[1];
    // S4 L1451: a secret always keeps at least one enabled version
    if (!previous) throw envError(400, 'The only version of a secret cannot be deleted');
    // S4 L1457: the latest version cannot be deleted if the previous one is disabled
    if (previous.status === 'DISABLED') throw envError(400, 'The latest version of a secret cannot be deleted when the previous version is disabled');
  }
  const before = versionView(s, v);
  v.status = 'DESTROYED';
  v.valueBase64 = '';
  recomputeActive(s);
  touch(env, s, actor);
  auditActivity(env, actor, { objectId: `environment/secrets/${name}/versions/${version}`, operation: 'DELETE', before, after: versionView(s, v) });
  return { secret: s, version: v };
}

// ---------------------------------------------------------------- count, release

/** ESVs changed since the last restart: variables not loaded; placeholder secrets whose active version is not loaded. */
export function variablePending(v: Variable): boolean {
  return !v.loaded;
}

export function secretPending(s: Secret): boolean {
  return s.useInPlaceholders && (!s.loaded || s.loadedVersion !== s.activeVersion);
}

/** GET /environment/count[?_onlyPending=true]. */
export function esvCount(env: Environment, onlyPending = false): { secrets: number; variables: number } {
  const st = esvState(env);
  if (!onlyPending) return { secrets: st.secrets.length, variables: st.variables.length };
  return { secrets: st.secrets.filter(secretPending).length, variables: st.variables.filter(variablePending).length };
}
