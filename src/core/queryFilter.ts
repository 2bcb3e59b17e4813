// CREST `_queryFilter` parser and in-memory evaluator, shared by every CREST-style endpoint
// (/monitoring/logs, /openidm/..., /environment/variables, IGA). Grammar (CREST query filter, S4 L6155–6240):
//
//   Expr        = OrExpr
//   OrExpr      = AndExpr ( 'or' AndExpr )*
//   AndExpr     = NotExpr ( 'and' NotExpr )*
//   NotExpr     = '!' PrimaryExpr | PrimaryExpr
//   PrimaryExpr = '(' Expr ')' | Pointer OpName JsonValue | Pointer 'pr' | 'true' | 'false'
//   OpName      = eq | co | sw | gt | ge | lt | le
//   JsonValue   = "string" | 'string' | number | true | false | null
//   Pointer     = JSON pointer (`/payload/level`, `~1` = '/', `~0` = '~') or a bare field (`level`, `a/b`)
//
// Evaluation follows CREST's JsonValueFilterVisitor: string comparisons ignore case, a comparison only matches
// values of a compatible type (string/string, number/number, boolean/boolean), and arrays met anywhere along the
// pointer are matched element by element without an index (S4 L6200–6240: `/payload/entries/info/nodeType`).
import { crestError, type ApiError } from './errors.js';

export type FilterValue = string | number | boolean | null;
export type ComparisonOp = 'eq' | 'co' | 'sw' | 'gt' | 'ge' | 'lt' | 'le';

export type QueryFilter =
  | { type: 'literal'; value: boolean }
  | { type: 'and'; operands: QueryFilter[] }
  | { type: 'or'; operands: QueryFilter[] }
  | { type: 'not'; operand: QueryFilter }
  | { type: 'pr'; pointer: string; path: string[] }
  | { type: 'cmp'; op: ComparisonOp; pointer: string; path: string[]; value: FilterValue };

/** A malformed filter: `position` is the 0-based character offset where parsing failed. */
export class QueryFilterError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly filter: string,
  ) {
    super(message);
    this.name = 'QueryFilterError';
  }
}

const OPS = new Set<string>(['eq', 'co', 'sw', 'gt', 'ge', 'lt', 'le']);

interface Token {
  kind: 'lparen' | 'rparen' | 'not' | 'string' | 'word' | 'end';
  text: string;
  /** Decoded value for quoted strings. */
  value?: string;
  pos: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(') {
      out.push({ kind: 'lparen', text: ch, pos: i++ });
      continue;
    }
    if (ch === ')') {
      out.push({ kind: 'rparen', text: ch, pos: i++ });
      continue;
    }
    if (ch === '!') {
      out.push({ kind: 'not', text: ch, pos: i++ });
      continue;
    }
    if (ch === '"' || ch === "'") {
      const start = i;
      let value = '';
      i++;
      let closed = false;
      while (i < n) {
        const c = src[i]!;
        if (c === '\\') {
          const e = src[i + 1];
          if (e === undefined) throw new QueryFilterError(`unterminated escape sequence at position ${i}`, i, src);
          const simple: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e in simple) {
            value += simple[e];
            i += 2;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
            i += 6;
          } else throw new QueryFilterError(`invalid escape sequence '\\${e}' at position ${i}`, i, src);
          continue;
        }
        if (c === ch) {
          closed = true;
          i++;
          break;
        }
        value += c;
        i++;
      }
      if (!closed) throw new QueryFilterError(`unterminated quoted string starting at position ${start}`, start, src);
      out.push({ kind: 'string', text: src.slice(start, i), value, pos: start });
      continue;
    }
    const start = i;
    while (i < n && !/\s/.test(src[i]!) && src[i] !== '(' && src[i] !== ')') i++;
    out.push({ kind: 'word', text: src.slice(start, i), pos: start });
  }
  out.push({ kind: 'end', text: '', pos: n });
  return out;
}

/** Split a JSON pointer (or bare field) into unescaped segments. */
export function pointerPath(pointer: string): string[] {
  const body = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  if (body === '') return [];
  return body.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Parenthesis nesting a filter may use: the parser and the evaluator recurse per level, so depth must be bounded. */
export const MAX_FILTER_DEPTH = 256;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
  ) {}

  private peek(): Token {
    return this.toks[this.i]!;
  }
  private next(): Token {
    return this.toks[this.i++]!;
  }
  private fail(msg: string, tok: Token): never {
    throw new QueryFilterError(`${msg} at position ${tok.pos}`, tok.pos, this.src);
  }
  private isKeyword(tok: Token, kw: string): boolean {
    return tok.kind === 'word' && tok.text.toLowerCase() === kw;
  }

  parse(): QueryFilter {
    if (this.peek().kind === 'end') this.fail('empty query filter', this.peek());
    const f = this.or();
    const t = this.peek();
    if (t.kind !== 'end') this.fail(`unexpected '${t.text}'`, t);
    return f;
  }

  private or(): QueryFilter {
    const operands = [this.and()];
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      operands.push(this.and());
    }
    return operands.length === 1 ? operands[0]! : { type: 'or', operands };
  }

  private and(): QueryFilter {
    const operands = [this.not()];
    while (this.isKeyword(this.peek(), 'and')) {
      this.next();
      operands.push(this.not());
    }
    return operands.length === 1 ? operands[0]! : { type: 'and', operands };
  }

  private not(): QueryFilter {
    if (this.peek().kind === 'not') {
      this.next();
      return { type: 'not', operand: this.primary() };
    }
    return this.primary();
  }

  private primary(): QueryFilter {
    const t = this.next();
    if (t.kind === 'lparen') {
      if (++this.depth > MAX_FILTER_DEPTH) this.fail(`query filter nested deeper than ${MAX_FILTER_DEPTH} levels`, t);
      const f = this.or();
      this.depth--;
      const close = this.next();
      if (close.kind !== 'rparen') this.fail(close.kind === 'end' ? "missing ')'" : `expected ')' but found '${close.text}'`, close);
      return f;
    }
    if (t.kind === 'end') this.fail('unexpected end of filter', t);
    if (t.kind !== 'word') this.fail(`expected a field, 'true', 'false', '!' or '(' but found '${t.text}'`, t);
    const lower = t.text.toLowerCase();
    const after = this.peek();
    const nextIsOperator = after.kind === 'word' && (OPS.has(after.text.toLowerCase()) || after.text.toLowerCase() === 'pr');
    if ((lower === 'true' || lower === 'false') && !nextIsOperator) return { type: 'literal', value: lower === 'true' };
    if (lower === 'and' || lower === 'or') this.fail(`unexpected '${t.text}'`, t);
    const pointer = t.text;
    const path = pointerPath(pointer);
    const opTok = this.next();
    if (opTok.kind !== 'word') this.fail(opTok.kind === 'end' ? 'missing operator after field' : `expected an operator but found '${opTok.text}'`, opTok);
    const op = opTok.text.toLowerCase();
    if (op === 'pr') return { type: 'pr', pointer, path };
    if (!OPS.has(op)) this.fail(`unknown operator '${opTok.text}'`, opTok);
    const v = this.next();
    return { type: 'cmp', op: op as ComparisonOp, pointer, path, value: this.value(v) };
  }

  private value(v: Token): FilterValue {
    if (v.kind === 'string') return v.value!;
    if (v.kind === 'end') this.fail('missing value after operator', v);
    if (v.kind !== 'word') this.fail(`expected a value but found '${v.text}'`, v);
    const lower = v.text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(v.text)) return Number(v.text);
    return this.fail(`invalid value '${v.text}' (strings must be quoted)`, v);
  }
}

/** Parse a CREST filter expression; throws QueryFilterError (with the failing position) when malformed. */
export function parseQueryFilter(text: string): QueryFilter {
  return new Parser(text, tokenize(text)).parse();
}

/** Every value the path reaches, with arrays expanded element by element (no index needed). */
function resolve(obj: unknown, path: string[]): unknown[] {
  let current: unknown[] = [obj];
  for (const seg of path) {
    const nextVals: unknown[] = [];
    for (const v of current) {
      if (Array.isArray(v)) {
        // an explicit index still works (JSON pointer), and each element is searched without one
        if (/^\d+$/.test(seg) && Number(seg) < v.length) nextVals.push(v[Number(seg)]);
        for (const el of v) if (el !== null && typeof el === 'object' && !Array.isArray(el) && seg in el) nextVals.push((el as Record<string, unknown>)[seg]);
      } else if (v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, seg)) {
        nextVals.push((v as Record<string, unknown>)[seg]);
      }
    }
    current = nextVals;
    if (current.length === 0) return current;
  }
  const out: unknown[] = [];
  for (const v of current) {
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
}

function compatible(a: unknown, b: FilterValue): boolean {
  if (b === null) return a === null;
  return typeof a === typeof b;
}

function compare(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  return (a as number) - (b as number);
}

function matchCmp(op: ComparisonOp, actual: unknown, expected: FilterValue): boolean {
  if (!compatible(actual, expected)) return false;
  if (expected === null) return op === 'eq' || op === 'ge' || op === 'le';
  const a = actual as string | number | boolean;
  switch (op) {
    case 'eq':
      return compare(a, expected) === 0;
    case 'co':
      return typeof a === 'string' ? a.toLowerCase().includes((expected as string).toLowerCase()) : compare(a, expected) === 0;
    case 'sw':
      return typeof a === 'string' ? a.toLowerCase().startsWith((expected as string).toLowerCase()) : compare(a, expected) === 0;
    case 'gt':
      return compare(a, expected) > 0;
    case 'ge':
      return compare(a, expected) >= 0;
    case 'lt':
      return compare(a, expected) < 0;
    case 'le':
      return compare(a, expected) <= 0;
  }
}

/** Evaluate a parsed filter against a JSON value. */
export function matchesFilter(filter: QueryFilter, obj: unknown): boolean {
  switch (filter.type) {
    case 'literal':
      return filter.value;
    case 'and':
      return filter.operands.every((f) => matchesFilter(f, obj));
    case 'or':
      return filter.operands.some((f) => matchesFilter(f, obj));
    case 'not':
      return !matchesFilter(filter.operand, obj);
    case 'pr':
      return resolve(obj, filter.path).some((v) => v !== undefined && v !== null);
    case 'cmp':
      return resolve(obj, filter.path).some((v) => matchCmp(filter.op, v, filter.value));
  }
}

/**
 * The filter with each bare field named with dots (`decision.status`) read as a path of fields, as IGA's search names
 * them (test/reference/recordings/iga-workflows.frodo.json: `workflow.id eq "…" and decision.status eq "in-progress"`);
 * JSON pointers (`/decision/status`) are unchanged.
 */
export function dottedPaths(filter: QueryFilter): QueryFilter {
  switch (filter.type) {
    case 'literal':
      return filter;
    case 'and':
    case 'or':
      return { type: filter.type, operands: filter.operands.map(dottedPaths) };
    case 'not':
      return { type: 'not', operand: dottedPaths(filter.operand) };
    case 'pr':
    case 'cmp':
      return !filter.pointer.startsWith('/') && filter.path.length === 1 && filter.path[0]!.includes('.') ? { ...filter, path: filter.path[0]!.split('.') } : filter;
  }
}

/** Parse once, evaluate many times. Throws QueryFilterError when malformed. */
export function compileQueryFilter(text: string): (obj: unknown) => boolean {
  const f = parseQueryFilter(text);
  return (obj) => matchesFilter(f, obj);
}

/** The AIC/CREST 400 for a malformed `_queryFilter` (names the position). */
export function queryFilterApiError(err: QueryFilterError, param = '_queryFilter'): ApiError {
  return crestError(400, `Invalid ${param} '${err.filter}': ${err.message}`);
}

/**
 * Parse a `_queryFilter` request parameter, throwing the CREST 400 ApiError when malformed. Pass `errorFor` to
 * render the error in another product body (an envError, or a domain error such as `new Invalid(message)`).
 */
export function parseQueryFilterParam(text: string, errorFor?: (message: string, err: QueryFilterError) => Error): QueryFilter {
  try {
    return parseQueryFilter(text);
  } catch (e) {
    if (e instanceof QueryFilterError) {
      if (errorFor) throw errorFor(`Invalid _queryFilter '${e.filter}': ${e.message}`, e);
      throw queryFilterApiError(e);
    }
    throw e;
  }
}
