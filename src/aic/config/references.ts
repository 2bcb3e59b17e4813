// ESV placeholders in configuration (S4 L1535–1544, L3144–3180): `&{esv.my.name}` and `&{esv.port|1389}` refer to
// the ESV `esv-my-name` / `esv-port`. Used by the ESV area (delete precondition) and by promotion (missing ESVs).
// Walks whatever the config area stores, so it holds for any config shape.
import type { Environment } from '../../environment.js';

const PLACEHOLDER = /&\{(esv\.[A-Za-z0-9._-]+?)(?:\|[^}]*)?\}/g;

/** `esv.my.name` → `esv-my-name` (S4 L1535: dots in placeholders are hyphens in ESV names). */
export function esvNameOfPlaceholder(placeholder: string): string {
  return placeholder.replace(/\./g, '-');
}

/** Every ESV name referenced from `value`, with the JSON path where it appears. */
export function placeholdersIn(value: unknown, path = '', out: Array<{ esv: string; path: string }> = []): Array<{ esv: string; path: string }> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) out.push({ esv: esvNameOfPlaceholder(m[1]!), path: path || '/' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => placeholdersIn(v, `${path}/${i}`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) placeholdersIn(v, `${path}/${k}`, out);
  }
  return out;
}

/** Where `esvName` is referenced in this environment's configuration (config area state, scripts included). */
export function esvReferences(env: Environment, esvName: string): string[] {
  const config = env.state.config;
  if (!config) return [];
  return placeholdersIn(config)
    .filter((r) => r.esv === esvName || r.esv === esvName.replace(/_/g, '-'))
    .map((r) => r.path);
}
