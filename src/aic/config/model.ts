// Promotable static configuration (issue 5 "Configuration that can be promoted"; S4 L3009–3180): IDM config objects
// by id (`emailTemplate/welcome`, `ui/themerealm`, `managed`, …) and AM config per realm (scripts, journeys, OAuth2 clients).
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';

export type JsonObject = Record<string, unknown>;

export interface AmRealmConfig {
  /** AM scripts by `_id` (uuid). */
  scripts: Record<string, JsonObject>;
  /** Journeys (authentication trees) by name. */
  trees: Record<string, JsonObject>;
  /** OAuth2 clients by client id. */
  oauth2Clients: Record<string, JsonObject>;
  /** Journey nodes by id (uuid), inner nodes of page nodes included; each carries `_type: {_id, name, collection, version}`. */
  nodes: Record<string, JsonObject>;
  /**
   * Other AM realm configuration by its path below the realm (`realm-config/services/oauth-oidc`,
   * `realm-config/webhooks/<id>`, `realm-config/agents/WebAgent/<id>`): services, agents, webhooks, secret stores…
   */
  entities: Record<string, JsonObject>;
}

export interface ConfigState {
  /** IDM config objects by id; stored without `_id` (it is the key). */
  idm: Record<string, JsonObject>;
  /** AM config by realm name (`alpha`, `bravo`). */
  am: Record<string, AmRealmConfig>;
  /** AM global configuration by its path below /am/json/global-config (`services/CorsService`, …). */
  amGlobal?: Record<string, JsonObject>;
}

export const AM_KINDS = ['scripts', 'trees', 'oauth2Clients', 'nodes', 'entities'] as const;
export type AmKind = (typeof AM_KINDS)[number];

const obj = lazy(() => z.record(z.string(), z.unknown()));
const realm = lazy(() =>
  z.object({
    scripts: z.record(z.string(), obj()).default({}),
    trees: z.record(z.string(), obj()).default({}),
    oauth2Clients: z.record(z.string(), obj()).default({}),
    nodes: z.record(z.string(), obj()).default({}),
    entities: z.record(z.string(), obj()).default({}),
  }),
);

export const configFixture = lazy(() =>
  z.object({
    /** This environment's promotable configuration; default: generated (dev differs from staging/prod in a few items). */
    config: z
      .object({
        idm: z.record(z.string(), obj()).default({}),
        am: z.record(z.string(), realm()).default({}),
        amGlobal: z.record(z.string(), obj()).default({}),
      })
      .optional(),
  }),
);

export type ConfigFixture = z.infer<ReturnType<typeof configFixture>>;
