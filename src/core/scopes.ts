// AIC scope implication (S4 L4352–4480): a `:*` scope grants its sub-scopes; `fr:idm:*` also reaches
// the ESV endpoints (deprecated behaviour, still honoured by real tenants).

const EXTRA_IMPLICATIONS: Record<string, string[]> = {
  // S4 L4360: "Service account access tokens granted the fr:idm:* scope also have access to ... fr:idc:esv:*"
  'fr:idm:*': ['fr:idc:esv:*'],
};

/** Does a single granted scope cover the required one? */
export function scopeCovers(granted: string, required: string): boolean {
  if (granted === required) return true;
  if (granted.endsWith(':*')) {
    const prefix = granted.slice(0, -1); // keep the trailing ':'
    if (required.startsWith(prefix)) return true;
  }
  for (const implied of EXTRA_IMPLICATIONS[granted] ?? []) {
    if (scopeCovers(implied, required)) return true;
  }
  return false;
}

/** True when every required scope is covered by some granted scope. */
export function hasScopes(granted: readonly string[], required: readonly string[]): boolean {
  return required.every((r) => granted.some((g) => scopeCovers(g, r)));
}

/** True when at least one of `anyOf` is covered. */
export function hasAnyScope(granted: readonly string[], anyOf: readonly string[]): boolean {
  return anyOf.length === 0 || anyOf.some((r) => granted.some((g) => scopeCovers(g, r)));
}
