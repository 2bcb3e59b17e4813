// Lookups by key over a state list, built through one helper (DESIGN.md "Hot paths stay cheap"): the index hangs
// off the list object itself, so reset and seed — which replace the lists — drop it with the old state, and it is
// rebuilt when the list's length changes (an item added or removed). Replacing an item in place keeps the length:
// call dropIndex(list) after such a change. groupBy and orderOf follow appends instead of rebuilding: only the new
// tail is indexed (read back from the list, so with a data dir they hold the tracking view: docs/persistence.md).

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

interface Grouped<T> {
  n: number;
  map: Map<string, T[]>;
}

const grouped = new WeakMap<readonly unknown[], Map<unknown, Grouped<unknown>>>();

/** The cached index of `list` under `key`, brought up to date with appended items (rebuilt when the list shrank). */
function followed<T, I extends { n: number }>(list: readonly T[], key: unknown, fresh: () => I, add: (ix: I, item: T, at: number) => void): I {
  let perList = grouped.get(list) as Map<unknown, I> | undefined;
  if (!perList) grouped.set(list, (perList = new Map()) as Map<unknown, Grouped<unknown>>);
  let ix = perList.get(key);
  if (!ix || ix.n > list.length) perList.set(key, (ix = fresh()));
  for (; ix.n < list.length; ix.n++) add(ix, list[ix.n]!, ix.n);
  return ix;
}

/**
 * `list` grouped by `keysOf` (pass a module-level function): each item under each of its keys once, every group in
 * list order. Appends are indexed as they come; call dropIndex(list) after changing an item's keys in place.
 */
export function groupBy<T>(list: readonly T[], keysOf: (item: T) => Iterable<string>): Map<string, readonly T[]> {
  const fresh = (): Grouped<T> => ({ n: 0, map: new Map() });
  return followed(list, keysOf, fresh, (ix, item) => {
    for (const k of new Set(keysOf(item))) {
      const rows = ix.map.get(k);
      if (rows) rows.push(item);
      else ix.map.set(k, [item]);
    }
  }).map;
}

const positions = Symbol('positions');

/** Each item's position in `list` (to merge groups back into list order); follows appends like groupBy. */
export function orderOf<T>(list: readonly T[]): Map<T, number> {
  const fresh = () => ({ n: 0, pos: new Map<T, number>() });
  return followed(list, positions, fresh, (ix, item, at) => ix.pos.set(item, at)).pos;
}

/** Forget the indexes of `list` (after replacing an item in place). */
export function dropIndex(list: readonly unknown[]): void {
  built.delete(list);
  grouped.delete(list);
}
