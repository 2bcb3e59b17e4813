// The identities a SEARCH campaign's query selects. Interim until the search area serves the `identities` index
// (issue 13): liqe (the Lucene parser the project adopted) evaluated over each identity's attributes document
// ({id, name, displayName, email, lifecycleState, attributes, manager}); `attributes.department:Finance` style
// queries. Differences from Elasticsearch until then: liqe matches an unquoted term as a case-insensitive substring.
import { parse, test } from 'liqe';
import type { Environment } from '../../environment.js';
import { findIdentity, identities } from '../identities/service.js';
import { badRequest } from '../shared/errors.js';

/** The parsed query; a syntax error is the ISC 400 (checked when the campaign is created). */
export function parseIdentityQuery(query: string): ReturnType<typeof parse> {
  try {
    return parse(query);
  } catch {
    throw badRequest(`searchCampaignInfo.query: invalid query ${query}`);
  }
}

export function searchIdentityIds(env: Environment, query: string): string[] {
  const ast = parseIdentityQuery(query);
  return identities(env)
    .filter((i) => {
      const manager = i.managerId ? findIdentity(env, i.managerId) : undefined;
      const doc = { id: i.id, name: i.name, displayName: i.displayName ?? i.name, email: i.email, lifecycleState: i.lifecycleState, attributes: i.attributes, manager: manager ? { id: manager.id, name: manager.name } : null };
      return test(ast, doc);
    })
    .map((i) => i.id);
}
