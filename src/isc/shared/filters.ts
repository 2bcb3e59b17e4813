// ISC V3 standard collection parameters: `filters` (e.g. `campaign.id in ("a","b") and completed eq false`), `sorters`
// (`name,-due`), `limit` (0..250), `offset`, `count` (contract components/parameters; developer.sailpoint.com
// standard-collection-parameters). Only the fields/operators each operation lists are accepted; anything else → 400.
import { Invalid } from '../../core/errors.js';

export type FilterOp = 'eq' | 'ne' | 'in' | 'ca' | 'sw' | 'co' | 'gt' | 'ge' | 'lt' | 'le' | 'isnull' | 'pr';
type Value = string | number | boolean | null;

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; expr: FilterNode }
  | { kind: 'cmp'; field: string; op: FilterOp; value: Value | Value[] | undefined };

const OPS = new Set<FilterOp>(['eq', 'ne', 'in', 'ca', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'isnull', 'pr']);

type Token = { t: 'word'; v: string } | { t: 'str'; v: string } | { t: '(' } | { t: ')' } | { t: ',' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      out.push({ t: ch });
      i++;
    } else if (ch === '"') {
      let v = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        v += src[i++];
      }
      if (src[i] !== '"') throw new Invalid(`Invalid filter: unterminated string in "${src}"`);
      i++;
      out.push({ t: 'str', v });
    } else {
      let v = '';
      while (i < src.length && !/[\s(),"]/.test(src[i]!)) v += src[i++];
      out.push({ t: 'word', v });
    }
  }
  return out;
}

const MAX_FILTER_DEPTH = 64;
const MAX_FILTER_TERMS = 512;

/** Parse an ISC filter expression; `and` binds tighter than `or`. */
export function parseFilter(src: string): FilterNode {
  const toks = tokenize(src);
  let p = 0;
  // the parser and the evaluators recurse per nesting level and per chained term: both are bounded
  let depth = 0;
  let terms = 0;
  const fail = (): never => {
    throw new Invalid(`Invalid filter expression: ${src}`);
  };
  const peekWord = (w: string) => {
    const t = toks[p];
    return t?.t === 'word' && t.v.toLowerCase() === w;
  };
  const value = (): Value => {
    const t = toks[p++];
    if (!t) return fail();
    if (t.t === 'str') return t.v;
    if (t.t !== 'word') return fail();
    if (t.v === 'true') return true;
    if (t.v === 'false') return false;
    if (t.v === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(t.v)) return Number(t.v);
    return fail();
  };
  const primary = (): FilterNode => {
    if (++terms > MAX_FILTER_TERMS) fail();
    if (peekWord('not')) {
      p++;
      if (++depth > MAX_FILTER_DEPTH) fail();
      const expr = primary();
      depth--;
      return { kind: 'not', expr };
    }
    if (toks[p]?.t === '(') {
      p++;
      if (++depth > MAX_FILTER_DEPTH) fail();
      const e = orExpr();
      depth--;
      if (toks[p++]?.t !== ')') fail();
      return e;
    }
    const f = toks[p++];
    if (!f || f.t !== 'word') return fail();
    const o = toks[p++];
    if (!o || o.t !== 'word' || !OPS.has(o.v.toLowerCase() as FilterOp)) return fail();
    const op = o.v.toLowerCase() as FilterOp;
    if (op === 'isnull' || op === 'pr') return { kind: 'cmp', field: f.v, op, value: undefined };
    if (op === 'in' || op === 'ca') {
      if (toks[p++]?.t !== '(') fail();
      const vals: Value[] = [value()];
      while (toks[p]?.t === ',') {
        p++;
        vals.push(value());
      }
      if (toks[p++]?.t !== ')') fail();
      return { kind: 'cmp', field: f.v, op, value: vals };
    }
    return { kind: 'cmp', field: f.v, op, value: value() };
  };
  const andExpr = (): FilterNode => {
    let l = primary();
    while (peekWord('and')) {
      p++;
      l = { kind: 'and', left: l, right: primary() };
    }
    return l;
  };
  const orExpr = (): FilterNode => {
    let l = andExpr();
    while (peekWord('or')) {
      p++;
      l = { kind: 'or', left: l, right: andExpr() };
    }
    return l;
  };
  const node = orExpr();
  if (p !== toks.length) fail();
  return node;
}

/** field → allowed operators (as the contract lists them per operation). */
export type FilterSpec = Record<string, FilterOp[]>;

function check(node: FilterNode, spec: FilterSpec): void {
  if (node.kind === 'and' || node.kind === 'or') {
    check(node.left, spec);
    check(node.right, spec);
  } else if (node.kind === 'not') check(node.expr, spec);
  else if (node.kind === 'cmp') {
    // own fields of the operation's table only (`constructor`, `toString` are no filter fields)
    const ops = Object.prototype.hasOwnProperty.call(spec, node.field) ? spec[node.field] : undefined;
    if (!ops) throw new Invalid(`Invalid filter field: ${node.field}`);
    if (!ops.includes(node.op)) throw new Invalid(`Filter operator ${node.op} is not supported for field ${node.field}`);
  }
}

function cmp(actual: unknown, op: FilterOp, expected: Value | Value[] | undefined): boolean {
  const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
  const a = norm(actual);
  switch (op) {
    case 'eq':
      return a === norm(expected);
    case 'ne':
      return a !== norm(expected);
    case 'in':
      return (expected as Value[]).some((v) => norm(v) === a);
    case 'ca':
      // contains all: the array field holds every listed value
      return Array.isArray(actual) && (expected as Value[]).every((v) => actual.some((x) => norm(x) === norm(v)));
    case 'sw':
      return typeof a === 'string' && a.startsWith(String(norm(expected)));
    case 'co':
      return typeof a === 'string' && a.includes(String(norm(expected)));
    case 'gt':
      return (a as number) > (norm(expected) as number);
    case 'ge':
      return (a as number) >= (norm(expected) as number);
    case 'lt':
      return (a as number) < (norm(expected) as number);
    case 'le':
      return (a as number) <= (norm(expected) as number);
    case 'isnull':
      return actual === null || actual === undefined;
    case 'pr':
      return actual !== null && actual !== undefined;
  }
}

function evaluate<T>(node: FilterNode, row: T, get: (row: T, field: string) => unknown): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, row, get) && evaluate(node.right, row, get);
    case 'or':
      return evaluate(node.left, row, get) || evaluate(node.right, row, get);
    case 'not':
      return !evaluate(node.expr, row, get);
    case 'cmp':
      return cmp(get(row, node.field), node.op, node.value);
  }
}

/** A predicate for `filters` (undefined/empty: everything), validated against the operation's spec. */
export function compileFilter<T>(src: string | undefined, spec: FilterSpec, get: (row: T, field: string) => unknown): (row: T) => boolean {
  if (!src || !src.trim()) return () => true;
  const node = parseFilter(src);
  check(node, spec);
  return (row) => evaluate(node, row, get);
}

/** A comparator for `sorters` ("name,-due"); unknown fields → 400. */
export function compileSorters<T>(src: string | undefined, allowed: string[], get: (row: T, field: string) => unknown): ((a: T, b: T) => number) | undefined {
  if (!src || !src.trim()) return undefined;
  const keys = src.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (s.startsWith('-') ? { f: s.slice(1), dir: -1 } : { f: s.replace(/^\+/, ''), dir: 1 }));
  for (const k of keys) if (!allowed.includes(k.f)) throw new Invalid(`Invalid sorter field: ${k.f}`);
  return (a, b) => {
    for (const k of keys) {
      const x = get(a, k.f);
      const y = get(b, k.f);
      if (x === y) continue;
      if (x === null || x === undefined) return 1 * k.dir;
      if (y === null || y === undefined) return -1 * k.dir;
      const c = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : (x as number) < (y as number) ? -1 : 1;
      if (c) return c * k.dir;
    }
    return 0;
  };
}

export interface Paging {
  limit: number;
  offset: number;
  count: boolean;
}

/** limit 0..maxLimit (default 250; search allows up to 10000), offset ≥ 0, count true|false. */
export function parsePaging(q: Record<string, string | undefined>, maxLimit = 250): Paging {
  const int = (name: string, def: number, max: number) => {
    const raw = q[name];
    if (raw === undefined || raw === '') return def;
    if (!/^\d+$/.test(raw)) throw new Invalid(`Invalid value for query parameter ${name}: ${raw}`);
    const n = Number(raw);
    if (n > max) throw new Invalid(`${name} must be less than or equal to ${max}`);
    return n;
  };
  // contract: count is a boolean; case-insensitive, as the PowerShell SDK sends `count=True`
  const countRaw = q.count?.toLowerCase();
  if (countRaw !== undefined && countRaw !== 'true' && countRaw !== 'false') throw new Invalid(`Invalid value for query parameter count: ${q.count}`);
  return { limit: int('limit', Math.min(250, maxLimit), maxLimit), offset: int('offset', 0, Number.MAX_SAFE_INTEGER), count: countRaw === 'true' };
}

/** Apply paging; returns the page and the total (for X-Total-Count). */
export function page<T>(rows: T[], p: Paging): { rows: T[]; total: number } {
  return { rows: rows.slice(p.offset, p.offset + p.limit), total: rows.length };
}

/** How a collection operation reads its standard parameters (contract: each operation's filters/sorters lists). */
export interface CollectionSpec<T> {
  filters: FilterSpec;
  sorters: string[];
  /** A field of a row as filters and sorters name it (default: the dotted path). */
  get?: (row: T, field: string) => unknown;
  /** Largest `limit` (default 250; GET /v3/roles: 50). */
  maxLimit?: number;
}

/** Dotted-path read (`owner.id`). */
export function pathValue(row: unknown, field: string): unknown {
  let cur: unknown = row;
  for (const part of field.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** filters → sorters → paging over rows, per the ISC standard collection parameters. */
export function collect<T>(rows: readonly T[], q: Record<string, string | undefined>, spec: CollectionSpec<T>): { rows: T[]; total: number; paging: Paging } {
  const paging = parsePaging(q, spec.maxLimit);
  const get = spec.get ?? ((r: T, f: string) => pathValue(r, f));
  const keep = compileFilter(q.filters, spec.filters, get);
  const order = compileSorters(q.sorters, spec.sorters, get);
  let out = rows.filter(keep);
  if (order) out = out.sort(order);
  const p = page(out, paging);
  return { ...p, paging };
}
