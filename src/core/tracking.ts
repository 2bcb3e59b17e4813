// Change tracking for persistent environments (docs/persistence.md): the store hands out a Proxy over the raw state
// document; every write through it records the full path of the property it changed, so a flush journals only what
// changed. Values are stored raw (proxies are unwrapped on the way in): the raw document never holds a proxy.

/** Whether any tracker was ever made in this process (in memory none is: clone() stays structuredClone). */
export const tracking = { active: false };

/** proxy → its raw target, for every tracker (raw() and clone() unwrap through it). */
const targets = new WeakMap<object, object>();

/** The raw object behind a tracking proxy (anything else is returned as is). */
export function raw<T>(value: T): T {
  // no tracker made yet (in memory, ever): nothing is a proxy, and no WeakMap lookup per call (issue #17)
  if (!tracking.active) return value;
  if (typeof value === 'object' && value !== null) {
    const t = targets.get(value);
    if (t) return t as T;
  }
  return value;
}

/** Plain objects and arrays are tracked; anything else (a Date, a Map) is handed out as is. */
function trackable(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A value about to be stored: a proxy becomes its target; a fresh object has proxies inside it replaced too. */
function toRaw(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const t = targets.get(value);
  if (t) return t;
  if (trackable(value)) stripProxies(value as Record<string, unknown>);
  return value;
}

function stripProxies(o: Record<string, unknown>): void {
  for (const k of Object.keys(o)) {
    const c = o[k];
    if (typeof c !== 'object' || c === null) continue;
    const t = targets.get(c);
    if (t) o[k] = t;
    else if (trackable(c)) stripProxies(c as Record<string, unknown>);
  }
}

/** Where a raw object was last seen in the document: its parent's node and its key there (the root has none). */
interface Node {
  parent: Node | undefined;
  key: string;
  proxy: object;
}

const SEP = '\u0001';

type Search = 'indexOf' | 'lastIndexOf' | 'includes';
const SEARCHES = new Set<string | symbol>(['indexOf', 'lastIndexOf', 'includes']);
function searchRaw(target: unknown[], key: Search) {
  const fn = Array.prototype[key] as (this: unknown[], x: unknown, ...r: number[]) => unknown;
  return (item: unknown, ...rest: number[]) => fn.call(target, raw(item), ...rest);
}

export class Tracker {
  /** raw object → its node (one proxy per object: identity is stable across reads). */
  private readonly nodes = new WeakMap<object, Node>();
  /** Changed paths, keyed by their joined form (a path changed twice is recorded once). */
  private dirty = new Map<string, string[]>();
  readonly proxy: object;

  constructor(readonly root: object) {
    tracking.active = true;
    this.proxy = this.node(root, undefined, '').proxy;
  }

  get changed(): boolean {
    return this.dirty.size > 0;
  }

  /** The paths changed since the last take(), cleared. */
  take(): string[][] {
    const paths = [...this.dirty.values()];
    this.dirty = new Map();
    return paths;
  }

  private node(target: object, parent: Node | undefined, key: string): Node {
    let n = this.nodes.get(target);
    if (!n) {
      n = { parent, key, proxy: new Proxy(target, this.handler) };
      this.nodes.set(target, n);
      targets.set(n.proxy, target);
    } else if (parent) {
      // moved (an array shift, a sort) or read through another path: the last place it was seen wins
      n.parent = parent;
      n.key = key;
    }
    return n;
  }

  private record(target: object, key: string): void {
    const path = [key];
    let n = this.nodes.get(target);
    for (let depth = 0; n && n.parent && depth < 256; depth++, n = n.parent) path.push(n.key);
    path.reverse();
    this.dirty.set(path.join(SEP), path);
  }

  /** A stored object's node follows it to where it was just put. */
  private moved(target: object, key: string, value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    const n = this.nodes.get(value);
    if (n) {
      n.parent = this.nodes.get(target);
      n.key = key;
    }
  }

  private readonly handler: ProxyHandler<object> = {
    get: (target, key) => {
      const v = (target as Record<string | symbol, unknown>)[key];
      // a search by identity finds an element whether the caller holds it raw or as handed out
      if (typeof v === 'function' && Array.isArray(target) && SEARCHES.has(key)) return searchRaw(target, key as Search);
      if (typeof key === 'symbol' || !trackable(v)) return v;
      return this.node(v, this.nodes.get(target), key).proxy;
    },
    set: (target, key, value) => {
      if (typeof key === 'symbol') return Reflect.set(target, key, value);
      const v = toRaw(value);
      const t = target as Record<string, unknown>;
      // an unchanged value (a sort that moves nothing, `length` already right after an index write) is no change
      if (Object.is(t[key], v) && (v !== undefined || Object.prototype.hasOwnProperty.call(t, key))) return true;
      const ok = Reflect.set(target, key, v);
      this.moved(target, key, v);
      this.record(target, key);
      return ok;
    },
    deleteProperty: (target, key) => {
      if (typeof key === 'symbol' || !Object.prototype.hasOwnProperty.call(target, key)) return Reflect.deleteProperty(target, key);
      const ok = Reflect.deleteProperty(target, key);
      this.record(target, key);
      return ok;
    },
    defineProperty: (target, key, desc) => {
      if (typeof key === 'symbol') return Reflect.defineProperty(target, key, desc);
      const d = 'value' in desc ? { ...desc, value: toRaw(desc.value) } : desc;
      const ok = Reflect.defineProperty(target, key, d);
      this.moved(target, key, d.value);
      this.record(target, key);
      return ok;
    },
  };
}
