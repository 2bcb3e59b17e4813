// The journal of a persistent environment (docs/persistence.md): a snapshot `<env>.json` (the state document plus the
// generation it starts) and `<env>.journal`, a header line naming that generation followed by one line per flush —
// a JSON array of the changed paths' final values. A flush is one append; a torn last line (a flush the process
// was killed in, never acknowledged) is ignored as a whole, so no request is ever half-applied.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { StateDoc } from './store.js';

/** The top-level key of a snapshot that names the journal generation it starts (stripped on load). */
export const GENERATION_KEY = '__journalGeneration';

/** One change: the value now at path `p`, or (no `v`) its deletion. */
export interface Entry {
  p: string[];
  v?: unknown;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Drop every path a prefix of which is itself changed (the prefix's value carries it). */
export function collapse(paths: string[][]): string[][] {
  interface Trie {
    end?: boolean;
    kids?: Map<string, Trie>;
  }
  const root: Trie = {};
  const out: string[][] = [];
  for (const path of [...paths].sort((a, b) => a.length - b.length)) {
    let t = root;
    let covered = false;
    for (const k of path) {
      if (t.end) {
        covered = true;
        break;
      }
      t.kids ??= new Map();
      let next = t.kids.get(k);
      if (!next) t.kids.set(k, (next = {}));
      t = next;
    }
    if (covered || t.end) continue;
    t.end = true;
    out.push(path);
  }
  return out;
}

/** A changed path read against the document now: its value, or its deletion where the parent lacks the key. */
export function resolve(doc: StateDoc, path: string[]): Entry {
  let cur: unknown = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    if (!hasOwn(cur as object, k)) return { p: path.slice(0, i + 1) };
    const next = (cur as Record<string, unknown>)[k];
    if (!isObject(next)) return { p: path.slice(0, i + 1), v: next };
    cur = next;
  }
  const last = path[path.length - 1]!;
  return hasOwn(cur as object, last) ? { p: path, v: (cur as Record<string, unknown>)[last] } : { p: path };
}

/** Apply one entry to a document being loaded (array `length` entries truncate or extend like the original did). */
export function apply(doc: StateDoc, e: Entry): void {
  let cur: Record<string, unknown> = doc;
  for (let i = 0; i < e.p.length - 1; i++) {
    const k = e.p[i]!;
    if (!isObject(cur[k]) || !hasOwn(cur, k)) define(cur, k, {});
    cur = cur[k] as Record<string, unknown>;
  }
  const last = e.p[e.p.length - 1]!;
  if (!('v' in e)) delete cur[last];
  else if (Array.isArray(cur) && last === 'length') cur.length = e.v as number;
  else define(cur, last, e.v);
}

function define(o: Record<string, unknown>, k: string, v: unknown): void {
  // defineProperty, not assignment: a key named __proto__ is data in JSON, never the prototype
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/** One flush as one journal line. */
export function batchLine(doc: StateDoc, paths: string[][]): string {
  return JSON.stringify(collapse(paths).map((p) => resolve(doc, p))) + '\n';
}

export function headerLine(generation: string): string {
  return JSON.stringify({ generation }) + '\n';
}

export interface Loaded {
  doc: StateDoc;
  generation: string | undefined;
  snapshotBytes: number;
  journalBytes: number;
  /** Flushes replayed from the journal. */
  replayed: number;
}

/**
 * Read a snapshot and replay the journal of its generation: a journal of another generation (a kill between the
 * snapshot's rename and the journal's switch) is stale and ignored, as is a torn last line. A snapshot without a
 * generation (a data dir written before the journal existed) loads as it is.
 */
export function loadFiles(snapshotFile: string, journalFile: string): Loaded | undefined {
  if (!existsSync(snapshotFile)) return undefined;
  const doc = JSON.parse(readFileSync(snapshotFile, 'utf8')) as StateDoc;
  const generation = typeof doc[GENERATION_KEY] === 'string' ? (doc[GENERATION_KEY] as string) : undefined;
  delete doc[GENERATION_KEY];
  const loaded: Loaded = { doc, generation, snapshotBytes: statSync(snapshotFile).size, journalBytes: 0, replayed: 0 };
  if (generation === undefined || !existsSync(journalFile)) return loaded;
  const text = readFileSync(journalFile, 'utf8');
  const lines = text.split('\n');
  // the last element is '' when the file ends with a complete line; anything else is a torn flush
  lines.pop();
  let header: { generation?: unknown };
  try {
    header = JSON.parse(lines[0] ?? '') as { generation?: unknown };
  } catch {
    return loaded;
  }
  if (header.generation !== generation) return loaded;
  loaded.journalBytes = Buffer.byteLength(text);
  for (const line of lines.slice(1)) {
    let batch: Entry[];
    try {
      batch = JSON.parse(line) as Entry[];
    } catch {
      break; // only a failed append leaves a broken line; nothing after it was acknowledged on top of it
    }
    for (const e of batch) apply(doc, e);
    loaded.replayed++;
  }
  return loaded;
}
