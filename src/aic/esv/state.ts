// ESV state: the environment's variable and secret lists (sorted by _id, indexed by name), legacy aliases, the recorded
// messages, and the service's timestamps (nanosecond stamps as the ESV service writes them).
import type { RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { compareKeys } from '../../core/crest.js';
import { flat } from '../../core/ids.js';
import { isoString } from '../../core/clock.js';
import type { EsvState, Secret, Variable } from './model.js';

export const RESTART_JOB = 'esv.restart';
/** S4 L1545–1550: `esv-` prefix, alphanumerics, `-` and `_`, at most 124 characters including the prefix. */
export const NAME = /^esv-[A-Za-z0-9_-]+$/;
export const MAX_NAME = 124;
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
export function insertSorted<T extends Variable | Secret>(list: T[], item: T): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(list[mid]!._id, item._id) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
  // the element as the list hands it out (with a data dir, the change-tracking view: docs/persistence.md)
  indexOf(list).set(item._id, list[lo]!);
}

export function removeFrom<T extends Variable | Secret>(list: T[], item: T): void {
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

/**
 * Now, with nanosecond precision as the ESV service writes it (recording esv-variables PUT:
 * "2024-07-05T15:22:25.72447206Z"): the clock's milliseconds plus deterministic sub-millisecond digits.
 */
export function nanoStamp(env: Environment, salt: string): string {
  const ms = env.clock.now();
  const counter = env.memory('esv.nanoStamp', newCounter);
  const seq = ++counter.seq;
  // fnv1a(`${env.name}|${salt}|${ms}|${seq}`), hashed piece by piece without building that text (issue #17)
  let h = fnv1aStep(FNV_OFFSET, env.name);
  h = fnv1aStep(Math.imul(h ^ 124, FNV_PRIME), salt);
  h = fnv1aStep(Math.imul(h ^ 124, FNV_PRIME), String(ms));
  h = fnv1aStep(Math.imul(h ^ 124, FNV_PRIME), String(seq));
  const sub = String((h >>> 0) % 1_000_000).padStart(6, '0');
  const iso = isoString(ms); // …T12:00:00.123Z
  const head = iso.slice(0, 19);
  const millis = iso.slice(20, 23);
  const stamp = flat(trimFraction(`${head}.${millis}${sub}`));
  // what a read shows of it (microStamp), known here without parsing it back: the first 6 digits of the fraction
  // (a four-digit year, the only form microStamp reads). Kept for the write's own views, not added to the memo.
  if (iso.length === 24) {
    lastStamp = stamp;
    lastMicro = flat(trimFraction(`${head}.${millis}${sub.slice(0, 3)}`));
  }
  return stamp;
}

const newCounter = (): { seq: number } => ({ seq: 0 });
// FNV-1a (core/ids.ts fnv1a) continued over one more piece: `h` as the loop leaves it (before the final `>>> 0`)
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
function fnv1aStep(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** `YYYY-MM-DDTHH:MM:SS.fffffffff` → trailing zeros (and an all-zero fraction) dropped, plus `Z` (Go RFC3339Nano). */
function trimFraction(s: string): string {
  const dot = s.indexOf('.');
  if (dot < 0) return `${s}Z`;
  let end = s.length;
  while (end > dot + 1 && s.charCodeAt(end - 1) === 48 /* 0 */) end--;
  return end > dot + 1 ? `${s.slice(0, end)}Z` : `${s.slice(0, dot)}Z`;
}

/** Reads show microseconds (recording: PUT "…05.56571647Z", later GET "…05.565716Z"). */
export function microStamp(stamp: string): string {
  if (stamp === lastStamp) return lastMicro;
  let out = MICRO.get(stamp);
  if (out === undefined) {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(stamp);
    out = m ? trimFraction(`${m[1]}.${(m[2] ?? '').slice(0, 6)}`) : stamp;
    remember(stamp, out);
  }
  return out;
}

function remember(stamp: string, micro: string): void {
  if (MICRO.size >= MICRO_LIMIT) MICRO.clear();
  MICRO.set(stamp, micro);
}
// microStamp is a pure function of its text, read for every ESV in every view: a bounded memo by stamp (issue #17)
const MICRO = new Map<string, string>();
const MICRO_LIMIT = 4096;
// the stamp nanoStamp made last and its microStamp
let lastStamp = '';
let lastMicro = '';

/** A fresh timestamp at microsecond precision (version createDate, recording esv-secrets). */
export function microNow(env: Environment, salt: string): string {
  return microStamp(nanoStamp(env, salt));
}

/**
 * Who `lastChangedBy` names: the principal's name — a service account's name, an admin's username — as tenants
 * recorded since 2024-07 show it (recordings esv-*: "Frodo-SA-1701393386423", "phales@trivir.com"; older ones show
 * ids). Tokens without a name (control-plane tokens) fall back to the subject.
 */
export function changedBy(actor: RequestActor): string {
  return actor.principal.name ?? actor.principal.id;
}
