// The one deep copy of state (docs/persistence.md): structuredClone refuses the change-tracking proxies a persistent
// store hands out, so every copy of state goes through here and copies the raw document instead.
import { raw } from './tracking.js';

export function clone<T>(value: T): T {
  return structuredClone(raw(value));
}
