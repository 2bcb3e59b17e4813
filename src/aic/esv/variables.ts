// ESV variables: read, create or update (PUT), description, delete (refused while a placeholder or script refers to it).
import type { RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { auditActivity } from '../../core/audit.js';
import { raw } from '../../core/tracking.js';
import type { ExpressionType, PutVariableInput, Variable } from './model.js';
import { deleteEntry, describeEntry } from './entries.js';
import { assertNotRestarting } from './restart.js';
import { changedBy, esvState, findVariable, insertSorted, MSG, nanoStamp } from './state.js';
import { ANY_TEXT, compactBase64, decodeBase64, expressionProblem, nameError, validName, variableView } from './values.js';

// ---------------------------------------------------------------- variables

export function getVariable(env: Environment, name: string): Variable {
  const v = findVariable(env, name);
  if (!v) throw new NotFound(MSG.variableNotFound);
  return v;
}

/** PUT /environment/variables/{name}: create or update (SPEC §2). */
export function putVariable(env: Environment, actor: RequestActor, name: string, body: PutVariableInput): { variable: Variable; created: boolean } {
  if (!validName(name)) throw nameError('variable', name);
  assertNotRestarting(env);
  const existing = findVariable(env, name);
  // pure reads of the stored variable go to the raw object (no change-tracking proxy trap per field; issue #17)
  const current = existing && raw(existing);
  // the body's fields are checked by its schema (model.ts putVariableBody)
  const type = body.expressionType;
  let expressionType: ExpressionType | '';
  if (!current) {
    // recording esv-variables: creating without expressionType is refused
    if (!type) throw new Invalid(MSG.typeRequired);
    expressionType = type;
  } else {
    expressionType = current.expressionType;
    // S4 L1262: "set when the ESV variable is created, and it cannot be modified" (legacy '' may be set once)
    if (type && type !== current.expressionType) {
      if (current.expressionType !== '') throw new Invalid(MSG.typeImmutable);
      expressionType = type;
    }
  }
  // the body's schema checked the value is base64; only some types read the decoded value
  if (!ANY_TEXT.has(expressionType)) {
    const problem = expressionProblem(expressionType, decodeBase64(body.valueBase64)!.toString('utf8'));
    if (problem) throw new Invalid(`Invalid value for expressionType ${expressionType}: the decoded value must be ${problem}`);
  }

  // views read the raw objects (pure reads: no change-tracking proxy trap per field)
  const before = current ? auditView(current) : undefined;
  const st = esvState(env);
  const variable: Variable = {
    _id: name,
    description: typeof body.description === 'string' ? body.description : (current?.description ?? ''),
    expressionType,
    valueBase64: compactBase64(body.valueBase64),
    lastChangeDate: nanoStamp(env, name),
    lastChangedBy: changedBy(actor),
    // SPEC §2: not loaded until services restart
    loaded: false,
  };
  if (existing) assignChanged(existing, variable);
  else insertSorted(st.variables, variable);
  env.changed();
  const saved = existing ?? variable;
  const after = keepAuditView(raw(saved));
  auditActivity(env, actor, {
    objectId: `environment/variables/${name}`,
    operation: existing ? 'UPDATE' : 'CREATE',
    before,
    after,
    changedFields: existing ? changed(before!, after) : [],
  });
  return { variable: saved, created: !existing };
}

export function setVariableDescription(env: Environment, actor: RequestActor, name: string, description: string): void {
  describeEntry(env, actor, 'variable', getVariable(env, name), description);
}

export function deleteVariable(env: Environment, actor: RequestActor, name: string): Variable {
  return deleteEntry(env, actor, 'variable', getVariable(env, name));
}

// The audit view of each variable as its last write left it (issue #17): the next write's `before` is that same object
// while the variable has not changed since, so a run of writes keeps one view per write in the log instead of two.
// Views in the log are never changed (the log renders them; nothing writes to them).
type View = ReturnType<typeof variableView>;
const lastViews = new WeakMap<Variable, { stamp: string; view: View }>();

/** variableView(v), the one kept from v's last write when v still reads the same (every field the view copies). */
function auditView(v: Variable): View {
  const kept = lastViews.get(v);
  if (kept !== undefined) {
    const w = kept.view;
    // the same stamp gives the same micro stamp; the other fields are copied as they are
    if (kept.stamp === v.lastChangeDate && w._id === v._id && w.description === v.description && w.expressionType === v.expressionType && w.lastChangedBy === v.lastChangedBy && w.loaded === v.loaded && w.valueBase64 === v.valueBase64) return w;
  }
  return variableView(v);
}

/** variableView(v) of a variable just written, kept for its next write's `before` (auditView). */
function keepAuditView(v: Variable): View {
  const view = variableView(v);
  const kept = lastViews.get(v);
  if (kept === undefined) lastViews.set(v, { stamp: v.lastChangeDate, view });
  else {
    kept.stamp = v.lastChangeDate;
    kept.view = view;
  }
  return view;
}

/**
 * `Object.assign(existing, update)` writing only the fields whose value differs (compared on the raw object): with a
 * data dir each write goes through the change-tracking proxy, which records nothing for an unchanged value anyway.
 */
function assignChanged(existing: Variable, update: Variable): void {
  const now = raw(existing) as unknown as Record<string, unknown>;
  const target = existing as unknown as Record<string, unknown>;
  for (const k in update) {
    const v = (update as unknown as Record<string, unknown>)[k];
    if (!Object.is(now[k], v) || !Object.prototype.hasOwnProperty.call(now, k)) target[k] = v;
  }
}

function changed(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k in b) {
    // the same value is the same JSON: only different ones are serialized to compare
    if (k !== 'lastChangeDate' && a[k] !== b[k] && JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push(k);
  }
  return out;
}
