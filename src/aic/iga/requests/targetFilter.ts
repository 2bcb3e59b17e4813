// IGA `targetFilter` (S3 L5840–5870, L6200–6230): `{operator, operand}` trees with AND/OR/NOT over leaf
// comparisons `{targetName: "user.userName", targetValue: "ljones"}`. String comparisons ignore case; a dotted
// path that meets an array matches element by element.
import { igaError } from '../../../core/errors.js';

export interface TargetFilter {
  operator: string;
  operand: unknown;
}

function resolve(obj: unknown, path: string[]): unknown[] {
  if (path.length === 0) return Array.isArray(obj) ? obj : [obj];
  if (Array.isArray(obj)) return obj.flatMap((o) => resolve(o, path));
  if (!obj || typeof obj !== 'object') return [];
  return resolve((obj as Record<string, unknown>)[path[0]!], path.slice(1));
}

const lc = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

function leaf(op: string, obj: unknown, operand: unknown): boolean {
  if (!operand || typeof operand !== 'object') throw igaError(400, `Invalid targetFilter operand for operator ${op}`);
  const { targetName, targetValue } = operand as { targetName?: unknown; targetValue?: unknown };
  if (typeof targetName !== 'string') throw igaError(400, `Invalid targetFilter: targetName is required for operator ${op}`);
  const values = resolve(obj, targetName.split('.'));
  const want = lc(targetValue);
  switch (op) {
    case 'EQUALS':
      return values.some((v) => lc(v) === want);
    case 'CONTAINS':
      return values.some((v) => typeof v === 'string' && typeof want === 'string' && v.toLowerCase().includes(want));
    case 'STARTS_WITH':
      return values.some((v) => typeof v === 'string' && typeof want === 'string' && v.toLowerCase().startsWith(want));
    case 'EXISTS':
      return values.some((v) => v !== undefined && v !== null);
    case 'GT':
      return values.some((v) => v !== undefined && v !== null && (v as never) > (targetValue as never));
    case 'GTE':
      return values.some((v) => v !== undefined && v !== null && (v as never) >= (targetValue as never));
    case 'LT':
      return values.some((v) => v !== undefined && v !== null && (v as never) < (targetValue as never));
    case 'LTE':
      return values.some((v) => v !== undefined && v !== null && (v as never) <= (targetValue as never));
    default:
      throw igaError(400, `Invalid targetFilter operator: ${op}`);
  }
}

/** Validate and evaluate a targetFilter against an object; an absent filter matches everything. */
export function matchesTargetFilter(filter: unknown, obj: unknown): boolean {
  if (filter === undefined || filter === null) return true;
  if (typeof filter !== 'object') throw igaError(400, 'Invalid targetFilter');
  const { operator, operand } = filter as TargetFilter;
  const op = String(operator ?? '').toUpperCase();
  switch (op) {
    case 'AND':
      return (Array.isArray(operand) ? operand : [operand]).every((f) => matchesTargetFilter(f, obj));
    case 'OR':
      return (Array.isArray(operand) ? operand : [operand]).some((f) => matchesTargetFilter(f, obj));
    case 'NOT':
      return !matchesTargetFilter(Array.isArray(operand) ? operand[0] : operand, obj);
    case 'ALL':
    case 'TRUE':
      return true;
    default:
      return leaf(op, obj, operand);
  }
}

const LEAF_OPS = new Set(['EQUALS', 'CONTAINS', 'STARTS_WITH', 'EXISTS', 'GT', 'GTE', 'LT', 'LTE']);

/** Check a whole targetFilter tree up front (evaluation short-circuits and may never reach a bad branch). */
export function validateTargetFilter(filter: unknown): void {
  if (filter === undefined || filter === null) return;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw igaError(400, 'Invalid targetFilter');
  const { operator, operand } = filter as TargetFilter;
  const op = String(operator ?? '').toUpperCase();
  if (op === 'AND' || op === 'OR' || op === 'NOT') {
    const list = Array.isArray(operand) ? operand : [operand];
    if (list.length === 0) throw igaError(400, `Invalid targetFilter: ${op} needs operands`);
    list.forEach(validateTargetFilter);
    return;
  }
  if (op === 'ALL' || op === 'TRUE') return;
  if (!LEAF_OPS.has(op)) throw igaError(400, `Invalid targetFilter operator: ${String(operator)}`);
  if (!operand || typeof operand !== 'object' || typeof (operand as { targetName?: unknown }).targetName !== 'string') throw igaError(400, `Invalid targetFilter: targetName is required for operator ${op}`);
}
