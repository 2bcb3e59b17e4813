// The identities a SEARCH campaign's query selects: the search area's `identities` index (documents derived from the
// access model, Elasticsearch query_string semantics), exactly as POST /v3/search answers the same query.
import type { Environment } from '../../environment.js';
import { compileQuery } from '../search/query.js';
import { search } from '../search/service.js';

/** A syntax error in the query is the ISC 400 (checked when the campaign is created). */
export function checkIdentityQuery(env: Environment, query: string): void {
  compileQuery(query, env.clock.now());
}

export function searchIdentityIds(env: Environment, query: string): string[] {
  return search(env, { indices: ['identities'], query: { query } }, { limit: Number.MAX_SAFE_INTEGER, offset: 0 }).rows.map((d) => d.id);
}
