// What variables and secrets share: the change stamp, the description action and deletion, which is refused while a
// configuration placeholder or a script refers to the ESV (S4 L1535–1544).
import type { RequestActor } from '../../core/types.js';
import type { Environment } from '../../environment.js';
import { Invalid } from '../../core/errors.js';
import { auditActivity } from '../../core/audit.js';
import { esvReferences } from '../config/references.js';
import type { Secret, Variable } from './model.js';
import { assertNotRestarting } from './restart.js';
import { changedBy, esvState, nanoStamp, removeFrom } from './state.js';
import { secretView, variableView } from './values.js';

export type EntryKind = 'variable' | 'secret';
type Entry<K extends EntryKind> = K extends 'variable' ? Variable : Secret;

const view = (kind: EntryKind, entry: Variable | Secret) => (kind === 'variable' ? variableView(entry as Variable) : secretView(entry as Secret));
const objectId = (kind: EntryKind, entry: Variable | Secret) => `environment/${kind}s/${entry._id}`;

/** Stamp a change: lastChangeDate (nanosecond precision) and lastChangedBy, then persist. */
export function touch(env: Environment, entry: Variable | Secret, actor: RequestActor): void {
  entry.lastChangeDate = nanoStamp(env, entry._id);
  entry.lastChangedBy = changedBy(actor);
  env.changed();
}

/** POST …?_action=setDescription (recordings esv-variables, esv-secrets: 200, no body). */
export function describeEntry<K extends EntryKind>(env: Environment, actor: RequestActor, kind: K, entry: Entry<K>, description: string): void {
  assertNotRestarting(env);
  const before = view(kind, entry);
  entry.description = description;
  touch(env, entry, actor);
  auditActivity(env, actor, { objectId: objectId(kind, entry), operation: 'ACTION', before, after: view(kind, entry), changedFields: ['description'], details: { action: 'setDescription' } });
}

/** DELETE: answers the deleted entry. */
export function deleteEntry<K extends EntryKind>(env: Environment, actor: RequestActor, kind: K, entry: Entry<K>): Entry<K> {
  assertNotRestarting(env);
  assertUnreferenced(env, kind, entry._id);
  const st = esvState(env);
  if (kind === 'variable') removeFrom(st.variables, entry as Variable);
  else removeFrom(st.secrets, entry as Secret);
  env.changed();
  auditActivity(env, actor, { objectId: objectId(kind, entry), operation: 'DELETE', before: view(kind, entry) });
  return entry;
}

/** S4 L1535–1544: an ESV referenced by a configuration placeholder or script cannot be deleted. */
export function assertUnreferenced(env: Environment, kind: EntryKind, name: string): void {
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

