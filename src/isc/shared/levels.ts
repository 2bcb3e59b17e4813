// The contract's `x-sailpoint-userLevels` per operation: which identities (by authority) may call it with a user token.
// USER (or "Any") means every identity. An API client's client-credentials token carries no user context: only its
// scopes apply (contract `applicationAuth`), as on a real tenant.
import type { Principal } from '../../core/auth.js';
import { forbidden } from './errors.js';

export function hasLevel(p: Principal, levels: readonly string[]): boolean {
  if (!levels.length || levels.includes('USER') || levels.includes('Any')) return true;
  if (p.type === 'apiClient') return true;
  return p.authorities.some((a) => levels.includes(a));
}

/** Throw the ISC 403 unless the caller has one of the operation's user levels. */
export function requireLevel(p: Principal, levels: readonly string[]): void {
  if (!hasLevel(p, levels)) throw forbidden();
}

export const isOrgAdmin = (p: Principal): boolean => p.authorities.includes('ORG_ADMIN');
