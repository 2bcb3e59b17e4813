// ESV variables: read, create or update (PUT), description, delete (refused while a placeholder or script refers to it).
import type { RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { auditActivity } from '../../core/audit.js';
import { esvReferences } from '../config/references.js';
import { EXPRESSION_TYPES, type ExpressionType, type Variable } from './model.js';
import { assertNotRestarting } from './restart.js';
import { changedBy, esvState, findVariable, insertSorted, MSG, nanoStamp, removeFrom } from './state.js';
import { decodeValue, expressionProblem, nameError, validName, variableView } from './values.js';

// ---------------------------------------------------------------- variables

export function getVariable(env: Environment, name: string): Variable {
  const v = findVariable(env, name);
  if (!v) throw new NotFound(MSG.variableNotFound);
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
    throw new Invalid(`Invalid expressionType ${JSON.stringify(type)}; expected one of ${EXPRESSION_TYPES.join(', ')}`);
  }
  if (body.description !== undefined && body.description !== null && typeof body.description !== 'string') throw new Invalid('description must be a string');
  let expressionType: ExpressionType | '';
  if (!existing) {
    // recording esv-variables: creating without expressionType is refused
    if (!type) throw new Invalid(MSG.typeRequired);
    expressionType = type as ExpressionType;
  } else {
    expressionType = existing.expressionType;
    // S4 L1262: "set when the ESV variable is created, and it cannot be modified" (legacy '' may be set once)
    if (type && type !== existing.expressionType) {
      if (existing.expressionType !== '') throw new Invalid(MSG.typeImmutable);
      expressionType = type as ExpressionType;
    }
  }
  const value = decodeValue(body.valueBase64, true, true);
  const problem = expressionProblem(expressionType, value.toString('utf8'));
  if (problem) throw new Invalid(`Invalid value for expressionType ${expressionType}: the decoded value must be ${problem}`);

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
  if (typeof description !== 'string') throw new Invalid('description is required');
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
export function assertUnreferenced(env: Environment, kind: 'variable' | 'secret', name: string): void {
  const dotted = name.replace(/-/g, '.');
  const refs = esvReferences(env, name);
  if (refs.length) {
    const more = refs.length > 1 ? ` (and ${refs.length - 1} more)` : '';
    throw new Invalid(`Cannot delete the ${kind} ${name}: it is referenced by the configuration placeholder &{${dotted}} at ${refs[0]}${more}; remove the placeholder first`);
  }
  const scripts = scriptReferences(env, name);
  if (scripts.length) {
    throw new Invalid(`Cannot delete the ${kind} ${name}: it is referenced as ${dotted} by the script at ${scripts[0]}; remove the reference first`);
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
