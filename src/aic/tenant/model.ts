// Tenant-level facts an admin client reads first (issue 15): the environment's info, the scopes a service account
// may be given, and the tenant's realms. Realms are state (fixture `realms`); info derives from the environment chain.
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';

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

const realm = lazy(() =>
  z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'realm names are letters, digits, - and _'),
    parentPath: z.string().default('/'),
    active: z.boolean().default(true),
    aliases: z.array(z.string()).default([]),
  }),
);

/**
 * PUT /am/json/global-config/realms/{id}: frodo sends the whole realm back; only `active` and `aliases` change (the
 * name is checked against the stored realm by the service). Messages are AM-style sentences (routes: productMessageHook).
 */
const ALIASES = 'aliases must be an array of strings';
export const realmUpdateBody = lazy(() =>
  z
    .object({
      name: z.unknown().optional(),
      active: z.boolean({ error: 'active must be a boolean' }).optional(),
      aliases: z.array(z.string({ error: ALIASES }), { error: ALIASES }).optional(),
    })
    .passthrough(),
);
export type RealmUpdate = z.infer<ReturnType<typeof realmUpdateBody>>;

export const tenantFixture = lazy(() =>
  z.object({
    /** The tenant's realms below root (default: alpha and bravo, as every AIC tenant has). */
    realms: z.array(realm()).optional(),
  }),
);
export type TenantFixture = z.infer<ReturnType<typeof tenantFixture>>;

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
