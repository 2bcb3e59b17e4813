// The IGA `targetFilter` language, one module for every IGA area (certification templates, line items, access
// requests, approvals, catalog). A filter is a tree `{operator, operand}`:
// - S3 L493–517 (template targetFilter): `ALL` matches everything; S3 L613–620: `OR` over leaf comparisons;
//   S3 L1618–1625, L1806–1813: `AND`/`CONTAINS`/`EQUALS` with `{targetName, targetValue}` operands.
// - test/reference/recordings/iga-certification-templates.json (frodo's template create/import): the real tenant
//   accepts `{"operator":"OR","operand":[]}` (an empty branch: no restriction), `NOT` over a one-element array, and
//   the leaf operators ENDS_WITH, STARTS_WITH, EXISTS, GT, GTE, LT, LTE.
// One meaning each (the two former copies differed; docs/architecture.md "targetFilter"): an empty AND/OR matches
// everything; NOT negates its operand (an array operand is read as their AND); strings compare case-insensitively and
// a `managed/user/<id>` reference equals the bare id; a dotted path that meets an array matches element by element;
// ordering operators compare values of the same type only; TRUE is kept as a synonym of ALL.
// validateTargetFilter walks the whole tree, so a bad branch is a 400 even where evaluation would short-circuit.
import { Invalid } from '../../core/errors.js';

export interface TargetFilter {
  operator: string;
  operand?: unknown;
}

/** A malformed filter: a domain error (400), rendered as IGA's `{"message":"Invalid targetFilter: <reason>"}`. */
export class TargetFilterError extends Invalid {
  constructor(reason: string) {
    super(`Invalid targetFilter: ${reason}`);
  }
}

const BRANCH = new Set(['AND', 'OR', 'NOT']);
const CONSTANT = new Set(['ALL', 'TRUE']);
const COMPARE = new Set(['EQUALS', 'CONTAINS', 'STARTS_WITH', 'ENDS_WITH', 'GT', 'GTE', 'LT', 'LTE']);

const opOf = (f: TargetFilter) => String(f.operator ?? '').toUpperCase();
const operands = (operand: unknown): unknown[] => (Array.isArray(operand) ? operand : operand === undefined ? [] : [operand]);

/** Every value a dotted path reaches; arrays on the way are walked element by element. */
function valuesAt(obj: unknown, path: string): unknown[] {
  let cur: unknown[] = [obj];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (c === null || c === undefined) continue;
      // own fields only: `constructor` or `toString` name nothing in a document
      const own = (x: object): unknown[] => (Object.hasOwn(x, key) ? [(x as Record<string, unknown>)[key]] : [undefined]);
      const v = Array.isArray(c) ? c.flatMap((x) => (x && typeof x === 'object' ? own(x) : [])) : typeof c === 'object' ? own(c as object) : [];
      for (const x of v) {
        if (Array.isArray(x)) next.push(...x);
        else if (x !== undefined) next.push(x);
      }
    }
    cur = next;
  }
  return cur;
}

/** Case-insensitive strings; `managed/(alpha_)user|role|application/<id>` compares equal to `<id>`. */
const norm = (v: unknown): unknown => (typeof v === 'string' ? v.replace(/^managed\/(alpha_)?(user|role|application)\//, '').toLowerCase() : v);

function compare(op: string, actual: unknown, expected: unknown): boolean {
  const a = norm(actual);
  const e = norm(expected);
  switch (op) {
    case 'EQUALS':
      // a boolean attribute matches "true"/"false" as sent by the admin UI
      if (typeof a === 'boolean' && typeof e === 'string') return String(a) === e;
      return a === e;
    case 'CONTAINS':
      return typeof a === 'string' && typeof e === 'string' && a.includes(e);
    case 'STARTS_WITH':
      return typeof a === 'string' && typeof e === 'string' && a.startsWith(e);
    case 'ENDS_WITH':
      return typeof a === 'string' && typeof e === 'string' && a.endsWith(e);
    case 'GT':
      return typeof a === typeof e && (a as number) > (e as number);
    case 'GTE':
      return typeof a === typeof e && (a as number) >= (e as number);
    case 'LT':
      return typeof a === typeof e && (a as number) < (e as number);
    default: // LTE
      return typeof a === typeof e && (a as number) <= (e as number);
  }
}

/** Check the whole tree: every node an object with a known operator, every leaf with a string `targetName`. */
export function validateTargetFilter(filter: unknown): void {
  if (filter === undefined || filter === null) return;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new TargetFilterError('a filter is an object {operator, operand}');
  const f = filter as TargetFilter;
  const op = opOf(f);
  if (CONSTANT.has(op)) return;
  if (BRANCH.has(op)) {
    const list = operands(f.operand);
    if (op === 'NOT' && !list.length) throw new TargetFilterError('NOT needs an operand');
    for (const o of list) {
      if (o === null || o === undefined) throw new TargetFilterError(`${op} operands must be filters`);
      validateTargetFilter(o);
    }
    return;
  }
  if (!COMPARE.has(op) && op !== 'EXISTS') throw new TargetFilterError(`Unsupported operator ${String(f.operator)}`);
  const o = f.operand as { targetName?: unknown } | undefined;
  if (!o || typeof o !== 'object' || typeof o.targetName !== 'string') throw new TargetFilterError(`${op} needs operand.targetName`);
}

/** Does `obj` match? An absent filter matches everything. Validate first (validateTargetFilter): this assumes a well-formed tree. */
export function matchesTargetFilter(filter: unknown, obj: unknown): boolean {
  if (filter === undefined || filter === null) return true;
  const f = filter as TargetFilter;
  const op = opOf(f);
  switch (op) {
    case 'ALL':
    case 'TRUE':
      return true;
    case 'AND':
      return operands(f.operand).every((o) => matchesTargetFilter(o, obj));
    case 'OR': {
      const list = operands(f.operand);
      return !list.length || list.some((o) => matchesTargetFilter(o, obj));
    }
    case 'NOT':
      return !operands(f.operand).every((o) => matchesTargetFilter(o, obj));
    case 'EXISTS':
      return valuesAt(obj, (f.operand as { targetName: string }).targetName).some((v) => v !== null && v !== '');
    default: {
      const o = f.operand as { targetName: string; targetValue?: unknown };
      return valuesAt(obj, o.targetName).some((v) => compare(op, v, o.targetValue));
    }
  }
}

/** The items of `list` that match `filter`, after validating it (TargetFilterError when malformed). */
export function filterBy<T>(list: readonly T[], filter: unknown): T[] {
  validateTargetFilter(filter);
  return filter === undefined || filter === null ? [...list] : list.filter((x) => matchesTargetFilter(filter, x));
}
