// AIC scope implication (S4 L4352–4480): a `:*` scope grants its sub-scopes; `fr:idm:*` also reaches
// the ESV endpoints (deprecated behaviour, still honoured by real tenants).

const EXTRA_IMPLICATIONS = new Map<string, readonly string[]>([
  // S4 L4360: "Service account access tokens granted the fr:idm:* scope also have access to ... fr:idc:esv:*"
  ['fr:idm:*', ['fr:idc:esv:*']],
]);

const COLON = 58;
const STAR = 42;

/** Does a single granted scope cover the required one? (Checked on every authenticated request: no allocation.) */
export function scopeCovers(granted: string, required: string): boolean {
  if (granted === required) return true;
  // `a:b:*` covers every scope starting with `a:b:` (its own text up to the ':')
  const n = granted.length - 1;
  if (n > 0 && granted.charCodeAt(n) === STAR && granted.charCodeAt(n - 1) === COLON && required.length >= n) {
    let i = 0;
    while (i < n && required.charCodeAt(i) === granted.charCodeAt(i)) i++;
    if (i === n) return true;
  }
  const implied = EXTRA_IMPLICATIONS.get(granted);
  if (implied !== undefined) for (const s of implied) if (scopeCovers(s, required)) return true;
  return false;
}

/** Is `required` covered by some granted scope? */
function covered(granted: readonly string[], required: string): boolean {
  for (let i = 0; i < granted.length; i++) if (scopeCovers(granted[i]!, required)) return true;
  return false;
}

/** True when every required scope is covered by some granted scope. */
export function hasScopes(granted: readonly string[], required: readonly string[]): boolean {
  for (let i = 0; i < required.length; i++) if (!covered(granted, required[i]!)) return false;
  return true;
}

/** True when at least one of `anyOf` is covered. */
export function hasAnyScope(granted: readonly string[], anyOf: readonly string[]): boolean {
  if (anyOf.length === 0) return true;
  for (let i = 0; i < anyOf.length; i++) if (covered(granted, anyOf[i]!)) return true;
  return false;
}
