// IGA target filters (S3 L356–1830 template `targetFilter`; recording iga-certification-templates: template search
// body `{"targetFilter":{"operator":"EQUALS","operand":{"targetName":"name","targetValue":"…"}}}`).
// Operators: ALL, AND, OR, NOT, EQUALS, CONTAINS, STARTS_WITH, ENDS_WITH, EXISTS, GT, GTE, LT, LTE.
// Strings compare case-insensitively; `managed/user/<id>` and a bare id compare equal.

export interface IgaFilter {
  operator: string;
  operand?: unknown;
}

export class IgaFilterError extends Error {}

const norm = (v: unknown): unknown => (typeof v === 'string' ? v.replace(/^managed\/(alpha_)?(user|role|application)\//, '').toLowerCase() : v);

function valuesAt(obj: unknown, path: string): unknown[] {
  let cur: unknown[] = [obj];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (c === null || c === undefined) continue;
      const v = Array.isArray(c) ? c.flatMap((x) => (x && typeof x === 'object' ? [(x as Record<string, unknown>)[key]] : [])) : typeof c === 'object' ? [(c as Record<string, unknown>)[key]] : [];
      for (const x of v) {
        if (Array.isArray(x)) next.push(...x);
        else if (x !== undefined) next.push(x);
      }
    }
    cur = next;
  }
  return cur;
}

function cmp(op: string, actual: unknown, expected: unknown): boolean {
  const a = norm(actual);
  const e = norm(expected);
  switch (op) {
    case 'EQUALS':
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
    case 'LTE':
      return typeof a === typeof e && (a as number) <= (e as number);
    default:
      throw new IgaFilterError(`Unsupported operator ${op}`);
  }
}

/** Does `obj` match the filter? A missing or empty filter matches everything. */
export function matchesIgaFilter(filter: unknown, obj: unknown): boolean {
  if (filter === undefined || filter === null) return true;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new IgaFilterError('Invalid filter');
  const f = filter as IgaFilter;
  const op = String(f.operator ?? '').toUpperCase();
  const list = Array.isArray(f.operand) ? f.operand : f.operand === undefined ? [] : [f.operand];
  switch (op) {
    case 'ALL':
      return true;
    case 'AND':
      return list.every((o) => matchesIgaFilter(o, obj));
    case 'OR':
      return list.length === 0 ? true : list.some((o) => matchesIgaFilter(o, obj));
    case 'NOT':
      return !list.every((o) => matchesIgaFilter(o, obj));
    case 'EXISTS': {
      const o = f.operand as { targetName?: string };
      if (!o || typeof o.targetName !== 'string') throw new IgaFilterError('EXISTS needs operand.targetName');
      return valuesAt(obj, o.targetName).some((v) => v !== null && v !== '');
    }
    case 'EQUALS':
    case 'CONTAINS':
    case 'STARTS_WITH':
    case 'ENDS_WITH':
    case 'GT':
    case 'GTE':
    case 'LT':
    case 'LTE': {
      const o = f.operand as { targetName?: string; targetValue?: unknown };
      if (!o || typeof o !== 'object' || typeof o.targetName !== 'string') throw new IgaFilterError(`${op} needs operand.targetName`);
      return valuesAt(obj, o.targetName).some((v) => cmp(op, v, o.targetValue));
    }
    default:
      throw new IgaFilterError(`Unsupported operator ${String(f.operator)}`);
  }
}

/** Validate a filter's structure up front (so bad input is a 400 before any state changes). */
export function checkIgaFilter(filter: unknown): void {
  matchesIgaFilter(filter, {});
}
