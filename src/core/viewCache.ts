// Answers of a read kept while an environment's state is unchanged (issue #17): a list or a document is viewed,
// filtered, paged and serialized once per state change instead of once per request. Validity is the store's version
// (EnvStore.version: every write notes itself through env.changed(), a job, reset, seed or restore), so any write
// drops every kept answer of the environment; reset and seed also forget them (env.memory). Keep only answers that
// are a function of the state and of the key: the key must name everything else the answer depends on (the query,
// the caller where the answer depends on who asks). Errors are never kept (build throws, nothing is stored).
import type { Environment } from '../environment.js';

interface Kept {
  version: number;
  answers: Map<string, unknown>;
}

/** At most this many answers per environment and area (distinct queries); more start over. */
const LIMIT = 64;

/**
 * The answer `build()` gives for `key` in `area`, built once while the environment's state holds the same version.
 * An undefined key (core/http.ts rawQuery of an odd URL) builds every time.
 */
export function keptView<T>(env: Environment, area: string, key: string | undefined, build: () => T): T {
  if (key === undefined) return build();
  const kept = env.memory(`viewCache.${area}`, (): Kept => ({ version: -1, answers: new Map() }));
  const version = env.store.version;
  if (kept.version !== version) {
    kept.version = version;
    kept.answers.clear();
  } else {
    const hit = kept.answers.get(key);
    if (hit !== undefined) return hit as T;
  }
  const answer = build();
  // build() wrote (a job came due, a settle): which state the answer saw is not known, so it is not kept
  if (env.store.version !== version) return answer;
  if (kept.answers.size >= LIMIT) kept.answers.clear();
  kept.answers.set(key, answer);
  return answer;
}
