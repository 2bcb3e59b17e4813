// Tenant-level facts an admin client reads first (issue 15): the environment's info, the scopes a service account
// may be given, and the tenant's realms. Realms are state (fixture `realms`); info derives from the environment chain.
import { z } from 'zod';

/** AM realm as `GET /am/json/global-config/realms` lists it (recording platform-realms-roles-config: RealmOps/getRealms). */
export interface Realm {
  name: string;
  parentPath: string;
  active: boolean;
  aliases: string[];
}

export interface TenantState {
  realms: Realm[];
}

const realm = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'realm names are letters, digits, - and _'),
  parentPath: z.string().default('/'),
  active: z.boolean().default(true),
  aliases: z.array(z.string()).default([]),
});

export const tenantFixture = z.object({
  /** The tenant's realms below root (default: alpha and bravo, as every AIC tenant has). */
  realms: z.array(realm).optional(),
});
export type TenantFixture = z.infer<typeof tenantFixture>;

/** Recording RealmOps/getRealms: an AIC tenant's realms under root. */
export const DEFAULT_REALMS: Realm[] = [
  { name: 'alpha', parentPath: '/', active: true, aliases: [] },
  { name: 'bravo', parentPath: '/', active: true, aliases: [] },
];

/** One service-account scope as `GET /environment/scopes/service-accounts` returns it (frodo-lib EnvServiceAccountScopesApi). */
export interface ScopeNode {
  scope: string;
  description: string;
  childScopes?: ScopeNode[];
}
