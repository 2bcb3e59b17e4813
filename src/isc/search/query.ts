// Elasticsearch `query_string` semantics over JSON documents (contract Search.query.query; ISC search uses ES):
// parsed by liqe (a maintained Lucene parser), evaluated here with ES's rules: a term without a field matches any
// field, adjacent clauses are OR-ed (default_operator OR), unquoted terms match a word of an analysed value,
// "phrases" match a run of words, `*`/`?` wildcards, `field:*` means "exists", and ranges compare dates with ES date
// math (`created:[now-90d TO now]`). Two ES forms liqe does not parse are rewritten before parsing: date/open ranges
// (bounds become epoch milliseconds) and `field:(a OR b)` (each bare term gets the field).
import { parse, type LiqeQuery } from 'liqe';
import { re2, type RE2JS } from '../../core/re2.js';
import { badRequest } from '../shared/errors.js';

export type Doc = Record<string, unknown>;

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, H: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_592_000_000, y: 31_536_000_000 };
const OPEN = 1e15;

/** A range bound as epoch ms (dates, `now±Nu` on the emulator clock) or a plain number; `*` is open. */
function bound(raw: string, now: number, low: boolean): number {
  if (raw === '*') return low ? -OPEN : OPEN;
  const m = /^now(?:([+-])(\d+)([smhHdwMy]))?(?:\/[smhHdwMy])?$/.exec(raw);
  if (m) return m[1] ? now + (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3]!]! : now;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const t = Date.parse(raw.replace(/^"|"$/g, ''));
  if (Number.isNaN(t)) throw badRequest(`Invalid query: bad range bound ${raw}`);
  return t;
}

function splitTerms(inner: string): string[] {
  return inner.match(/"(?:\\.|[^"\\])*"|\S+/g) ?? [];
}

/** ES forms liqe does not parse → equivalent liqe. */
function rewrite(src: string, now: number): string {
  let out = src.replace(/([A-Za-z_@][\w.]*):([[{])\s*("[^"]*"|\S+)\s+TO\s+("[^"]*"|\S+?)\s*([\]}])/g, (_m, field: string, open: string, lo: string, hi: string, close: string) => `${field}:${open}${bound(lo, now, true)} TO ${bound(hi, now, false)}${close}`);
  out = out.replace(/([A-Za-z_@][\w.]*):\(([^()]*)\)/g, (_m, field: string, inner: string) => {
    const terms = splitTerms(inner).map((t) => (/^(AND|OR|NOT|&&|\|\|)$/.test(t) ? t : t.startsWith('-') ? `-${field}:${t.slice(1)}` : `${field}:${t}`));
    return `(${terms.join(' ')})`;
  });
  return out;
}

/** Values at a dotted path, descending through arrays. */
export function valuesAt(doc: unknown, path: readonly string[]): unknown[] {
  let cur: unknown[] = [doc];
  for (const part of path) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (Array.isArray(c)) for (const x of c) next.push((x as Doc | null)?.[part]);
      else if (c && typeof c === 'object') next.push((c as Doc)[part]);
    }
    cur = next.flatMap((x) => (Array.isArray(x) ? x : [x]));
  }
  return cur.filter((x) => x !== undefined && x !== null);
}

/** Every scalar value in the document (a term without a field searches them all). */
function allValues(v: unknown, out: unknown[] = []): unknown[] {
  if (v === null || v === undefined) return out;
  if (Array.isArray(v)) for (const x of v) allValues(x, out);
  else if (typeof v === 'object') for (const x of Object.values(v as Doc)) allValues(x, out);
  else out.push(v);
  return out;
}

// Patterns from the query (regexes, wildcards) run on RE2 (re2js: linear time, no backtracking), as Lucene runs them on
// automata: a pattern such as `/(.*.*)*Q/` cannot stall the process
function wildcard(pattern: string): RE2JS {
  const R = re2();
  return R.compile('^' + pattern.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : R.quote(ch))).join('') + '$', R.DOTALL);
}

const WORDS = /[\s_.,:;/()\-"'@]+/;

/** `pattern`: the compiled wildcard of an unquoted value with `*` or `?` (prepare). */
function matchLiteral(actual: unknown, value: string, quoted: boolean, pattern: RE2JS | undefined): boolean {
  const a = String(actual).toLowerCase();
  const v = value.toLowerCase();
  if (a === v) return true;
  if (quoted) {
    // a phrase: a run of the value's words
    const words = a.split(WORDS).filter(Boolean).join(' ');
    const phrase = v.split(WORDS).filter(Boolean).join(' ');
    return phrase.length > 0 && ` ${words} `.includes(` ${phrase} `);
  }
  if (pattern) return pattern.matches(a) || a.split(WORDS).some((w) => pattern.matches(w));
  return a.split(WORDS).includes(v);
}

/** One document's values for terms without a field, and their lower-cased values and words, made once per document. */
interface Implicit {
  values: unknown[];
  terms?: Set<string>;
}

function termsOf(implicit: Implicit): Set<string> {
  if (!implicit.terms) {
    implicit.terms = new Set();
    for (const v of implicit.values) {
      const a = String(v).toLowerCase();
      implicit.terms.add(a);
      for (const w of a.split(WORDS)) implicit.terms.add(w);
    }
  }
  return implicit.terms;
}

// ES's indices.query.bool.max_clause_count: a query with more clauses is refused
const MAX_CLAUSES = 1024;
// the compiled pattern of each regex, and of each unquoted value with a wildcard, of a parsed query (compiled once per
// query, not per document; keys die with the query)
const PATTERNS = new WeakMap<object, RE2JS>();

/** Count the clauses of a parsed query and compile its patterns; a bad regex or too many clauses → the ISC 400. */
function prepare(q: LiqeQuery, src: string): void {
  let clauses = 0;
  const walk = (n: LiqeQuery): void => {
    switch (n.type) {
      case 'Tag':
        if (++clauses > MAX_CLAUSES) throw badRequest(`Invalid query: more than ${MAX_CLAUSES} clauses`);
        if (n.expression.type === 'RegexExpression') {
          const m = /^\/(.*)\/([a-z]*)$/s.exec(n.expression.value);
          const R = re2();
          try {
            PATTERNS.set(n.expression, R.compile(m ? m[1]! : n.expression.value, m?.[2]?.includes('i') ? R.CASE_INSENSITIVE : 0));
          } catch {
            throw badRequest(`Invalid query: ${src}`);
          }
        } else if (n.expression.type === 'LiteralExpression' && !n.expression.quoted && typeof n.expression.value === 'string') {
          const v = n.expression.value.toLowerCase();
          if (v.includes('*') || v.includes('?')) PATTERNS.set(n.expression, wildcard(v));
        }
        return;
      case 'LogicalExpression':
        walk(n.left);
        walk(n.right);
        return;
      case 'UnaryOperator':
        walk(n.operand);
        return;
      case 'ParenthesizedExpression':
        walk(n.expression);
        return;
      case 'EmptyExpression':
        return;
    }
  };
  walk(q);
}

function asNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return NaN;
  const s = String(v);
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return Date.parse(s);
}

type Tag = Extract<LiqeQuery, { type: 'Tag' }>;

function matchTag(tag: Tag, doc: Doc, defaults: readonly string[] | undefined, cache: { implicit?: Implicit }): boolean {
  const implicit = (): Implicit => (cache.implicit ??= { values: defaults?.length ? defaults.flatMap((f) => valuesAt(doc, f.split('.'))) : allValues(doc) });
  const values = tag.field.type === 'ImplicitField' ? implicit().values : valuesAt(doc, tag.field.path ?? tag.field.name.split('.'));
  const expr = tag.expression;
  const op = tag.operator?.operator ?? ':';
  if (expr.type === 'EmptyExpression') return false;
  if (expr.type === 'RangeExpression') {
    const { min, max, minInclusive, maxInclusive } = expr.range;
    return values.some((v) => {
      const n = asNumber(v);
      if (Number.isNaN(n)) return false;
      return (minInclusive ? n >= min : n > min) && (maxInclusive ? n <= max : n < max);
    });
  }
  if (expr.type === 'RegexExpression') {
    const re = PATTERNS.get(expr)!;
    return values.some((v) => re.matcher(String(v)).find());
  }
  const value = expr.value;
  if (op !== ':') {
    const want = typeof value === 'number' ? value : asNumber(value);
    return values.some((v) => {
      const n = asNumber(v);
      if (Number.isNaN(n) || Number.isNaN(want)) return false;
      return op === ':=' ? n === want : op === ':>' ? n > want : op === ':>=' ? n >= want : op === ':<' ? n < want : n <= want;
    });
  }
  if (value === '*' && !expr.quoted) return tag.field.type === 'ImplicitField' ? true : values.length > 0;
  if (value === null) return values.length === 0;
  const text = String(value);
  // a plain term without a field: one lookup in the document's values and words
  if (tag.field.type === 'ImplicitField' && !expr.quoted && !text.includes('*') && !text.includes('?')) return termsOf(implicit()).has(text.toLowerCase());
  const pattern = PATTERNS.get(expr);
  return values.some((v) => matchLiteral(v, text, expr.quoted, pattern));
}

function evaluate(q: LiqeQuery, doc: Doc, d: readonly string[] | undefined, cache: { implicit?: Implicit }): boolean {
  switch (q.type) {
    case 'Tag':
      return matchTag(q, doc, d, cache);
    case 'LogicalExpression': {
      // ES query_string default_operator is OR: adjacent clauses without an operator are OR-ed
      const and = q.operator.type === 'BooleanOperator' && q.operator.operator === 'AND';
      return and ? evaluate(q.left, doc, d, cache) && evaluate(q.right, doc, d, cache) : evaluate(q.left, doc, d, cache) || evaluate(q.right, doc, d, cache);
    }
    case 'UnaryOperator':
      return !evaluate(q.operand, doc, d, cache);
    case 'ParenthesizedExpression':
      return evaluate(q.expression, doc, d, cache);
    case 'EmptyExpression':
      return true;
  }
}

/**
 * A predicate for a query_string (empty or absent: every document). `defaultFields` (contract Query.fields) are the
 * fields a term without a field searches (default: all of them). Syntax errors → the ISC 400.
 */
export function compileQuery(src: string | undefined, now: number, defaultFields?: readonly string[]): (doc: Doc) => boolean {
  const q = src?.trim();
  if (!q || q === '*') return () => true;
  let ast: LiqeQuery;
  try {
    ast = parse(rewrite(q, now));
  } catch (err) {
    if (err instanceof Error && 'status' in err) throw err;
    throw badRequest(`Invalid query: ${q}`);
  }
  prepare(ast, q);
  return (doc) => evaluate(ast, doc, defaultFields, {});
}
