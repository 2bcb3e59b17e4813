// Lookups by key over a state list, built through one helper (DESIGN.md "Hot paths stay cheap"): the index hangs
// off the list object itself, so reset and seed — which replace the lists — drop it with the old state, and it is
// rebuilt when the list's length changes (an item added or removed). Replacing an item in place keeps the length:
// call dropIndex(list) after such a change.

interface Built<T> {
  n: number;
  map: Map<string, T>;
}

const built = new WeakMap<readonly unknown[], Map<(item: never) => string, Built<unknown>>>();

/** `list` indexed by `keyOf` (pass a module-level function: the index is cached per list and per keyOf). */
export function indexBy<T>(list: readonly T[], keyOf: (item: T) => string): Map<string, T> {
  let byKey = built.get(list);
  if (!byKey) built.set(list, (byKey = new Map()));
  let ix = byKey.get(keyOf as (item: never) => string) as Built<T> | undefined;
  if (!ix || ix.n !== list.length) {
    ix = { n: list.length, map: new Map(list.map((item) => [keyOf(item), item])) };
    byKey.set(keyOf as (item: never) => string, ix as Built<unknown>);
  }
  return ix.map;
}

/** Forget the indexes of `list` (after replacing an item in place). */
export function dropIndex(list: readonly unknown[]): void {
  built.delete(list);
}
