// The one deep copy of state (docs/persistence.md): structuredClone refuses the change-tracking proxies a persistent
// store hands out (and objects holding them), so every copy of state goes through here. In memory no proxy exists
// and this is structuredClone as before.
import { raw, tracking } from './tracking.js';

export function clone<T>(value: T): T {
  return tracking.active ? (copy(value) as T) : structuredClone(value);
}

function copy(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const r = raw(v);
  if (Array.isArray(r)) return r.map(copy);
  const proto = Object.getPrototypeOf(r) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(r);
  const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
  for (const k of Object.keys(r)) {
    const c = copy((r as Record<string, unknown>)[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: c, writable: true, enumerable: true, configurable: true });
    else out[k] = c;
  }
  return out;
}

/** A value handed to code that structuredClones it (jose): as is in memory, a proxy-free copy with a data dir. */
export function plain<T>(value: T): T {
  return tracking.active ? (copy(value) as T) : value;
}
