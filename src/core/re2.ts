// RE2 regular expressions (re2js: linear time, no backtracking) for patterns that come from requests: ISC search
// regexes and wildcards, fault-rule paths. Loaded on first use, not at start-up: its 260 KB take ~20 ms to evaluate
// and ~15 ms more for the first compile (issue #17's cold-start budget; external in scripts/build.mjs, as faker is).
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';

let loaded: typeof RE2JS | undefined;

/** The RE2JS class (compile, quote, flags). */
export function re2(): typeof RE2JS {
  return (loaded ??= (createRequire(import.meta.url)('re2js') as typeof import('re2js')).RE2JS);
}
export type { RE2JS };
