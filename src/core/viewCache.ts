// Answers of a read kept while an environment's state is unchanged (issue #17): a list or a document is viewed,
// filtered, paged and serialized once per state change instead of once per request. Validity is the store's version
// (EnvStore.version: every write notes itself through env.changed(), a job, reset, seed or restore), so any write
// drops every kept answer of the environment; reset and seed also forget them (env.memory). Keep only answers that
// are a function of the state and of the key: the key (with its group) must name everything else the answer depends
// on (the query, the caller where the answer depends on who asks). Errors are never kept (build throws, nothing is
// stored).
import type { Environment } from '../environment.js';

interface Kept {
  version: number;
  /** Answers by group, then key (a group is a string kept by the caller: its hash is not computed per request). */
  groups: Map<string, Map<string, unknown>>;
  size: number;
}

/** At most this many answers per environment and area (distinct queries); more start over. */
const LIMIT = 64;

/** env.memory keys by area (made once: no key string built per request). */
const MEMORY_KEYS = new Map<string, string>();

const fresh = (): Kept => ({ version: -1, groups: new Map(), size: 0 });

/**
 * The answer `build(arg)` gives for `key` in `area`, built once while the environment's state holds the same version.
 * An undefined key (core/http.ts rawQuery of an odd URL) builds every time. `group` (default '') is a further part of
 * the key, for answers that depend on more than the key (who asks). `arg` lets a caller pass what the build reads
 * (the request's context) to a function made once, instead of a closure made per request.
 */
export function keptView<T, A = undefined>(env: Environment, area: string, key: string | undefined, build: (arg: A) => T, group = '', arg?: A): T {
  if (key === undefined) return build(arg as A);
  let memoryKey = MEMORY_KEYS.get(area);
  if (memoryKey === undefined) MEMORY_KEYS.set(area, (memoryKey = `viewCache.${area}`));
  const kept = env.memory(memoryKey, fresh);
  const version = env.store.version;
  let answers: Map<string, unknown> | undefined;
  if (kept.version !== version) {
    kept.version = version;
    kept.groups.clear();
    kept.size = 0;
  } else {
    answers = kept.groups.get(group);
    const hit = answers?.get(key);
    if (hit !== undefined) return hit as T;
  }
  const answer = build(arg as A);
  // build() wrote (a job came due, a settle): which state the answer saw is not known, so it is not kept
  if (env.store.version !== version) return answer;
  if (kept.size >= LIMIT) {
    kept.groups.clear();
    kept.size = 0;
    answers = undefined;
  }
  answers ??= kept.groups.get(group);
  if (answers === undefined) kept.groups.set(group, (answers = new Map()));
  answers.set(key, answer);
  kept.size++;
  return answer;
}
