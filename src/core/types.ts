// The shapes every area plugs into: the Hono context of a request, and the Area plug-in contract.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import type { Faker } from '@faker-js/faker';
import type { Principal } from './auth.js';
import type { ErrorShape } from './http.js';
import type { Environment } from '../environment.js';
import type { Emulator } from '../emulator.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Who acts in a request, as services take it: the transaction id and the principal behind the token (seeds 000/001). */
export interface RequestActor {
  txId: string;
  principal: Principal;
}

export type AppEnv = {
  Variables: {
    env: Environment;
    /** Set by the route's auth middleware (aicAuth / iscAuth): the identity behind the token. */
    principal: Principal;
    /** Set with `principal` by the same middleware: what a handler passes to a service that audits or attributes. */
    actor: RequestActor;
    txId: string;
    /** The error body family of the route (core/http.ts errorShape); unset: the product's default (CREST / ISC). */
    errorShape: ErrorShape;
    /** The body text read by the limits middleware (core/http.ts bodyTextOf; issue #17), undefined when it read none. */
    bodyText: string | undefined;
    /** `JSON.parse(bodyText)` once made (core/http.ts parsedBody), shared by the request's readers. */
    bodyJson: unknown;
  };
};

export type EnvApp = OpenAPIHono<AppEnv>;

/**
 * A request's fetch bindings (Hono's `c.env`): the environment it is for (one app serves all of a product's
 * environments, app.ts), and on a listener @hono/node-server's Node request and response.
 */
export interface EnvBindings {
  environment: Environment;
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

export interface SeedContext {
  envName: string;
  product: 'aic' | 'isc';
  /** Faker seeded from (fixture seed, environment, area): same seed → same data. */
  faker: Faker;
  /** Fixed reference time for generated timestamps (ms), so a seed always produces identical state. */
  referenceTime: number;
  /** State slices of the areas seeded before this one (in area order). */
  state: Record<string, unknown>;
}

/**
 * One feature area of one product (DESIGN.md "Each feature area is a folder"): its fixture section, how that
 * section becomes state, how state goes back to a fixture section (snapshot), and its routes.
 * The state slice lives at `env.state[area.name]`; the area's fixture keys sit flat in the environment object.
 */
export interface Area<F = unknown, S = F> {
  name: string;
  /**
   * The keys this area owns in an environment's fixture object, as a zod object whose keys are all optional
   * (they are merged with the other areas' keys: an environment fixture stays flat). Areas must not share keys.
   * Built on first use (core/lazy.ts: a trusted seed starts without any fixture schema).
   */
  fixture?: () => z.ZodObject<z.ZodRawShape>;
  /** Build the initial state from the (validated) fixture keys, generating what they leave out. */
  seed?(section: F, ctx: SeedContext): S;
  /** State → fixture section for GET /__emulator/snapshot; default: the state itself. Must round-trip through seed(). */
  snapshot?(state: S): F;
  /** Runtime wiring, called once when the environment is created (before seeding): job handlers, token guards.
   *  Read state lazily through env.slice(): reset/seed replace it. */
  init?(env: Environment): void;
  /** Product routes on the product's app, shared by all its environments: a handler reads c.get('env'), never an
   *  environment captured at registration (there is none to capture). */
  routes?(app: EnvApp): void;
  /** Middleware for every request of the product's environments, registered before any route (e.g. access logging);
   *  like routes, it reads the request's environment from c.get('env'). */
  middleware?(app: EnvApp): void;
  /** Control-plane routes, registered on an app mounted at /__emulator (so declare '/promotion/faults', not the prefix). */
  adminRoutes?(admin: EnvApp, emulator: Emulator): void;
  /** Working credentials this area contributes to GET /__emulator/credentials. */
  credentials?(env: Environment): Record<string, unknown>;
}

/**
 * Any area, its fixture and state types erased: what a product's area list, an environment and the fixture schema hold.
 * (Area's hooks are methods, so an `Area<F, S>` is one without a cast; each area reads its own slice typed.)
 */
export type AnyArea = Area<unknown, unknown>;
