// The emulator: a clock, the environments of both tenants, and the operations the control plane offers
// (reset, seed, snapshot). createEmulator() is the library entry for in-process tests; cli.ts adds listeners.
import { Clock, type ClockOptions } from './core/clock.js';
import { Environment, type ProductName } from './environment.js';
import { buildApp } from './app.js';
import type { EnvApp } from './core/types.js';
import { aicAreas } from './aic/index.js';
import { iscAreas } from './isc/index.js';
import { TopologyError, parseFixture, readFixtureSource, type FixtureSource } from './fixtures/load.js';

export { TopologyError };
import type { Fixture, FixtureInput } from './fixtures/schema.js';
import { buildState, envFixtures, snapshotEnv, type EnvFixture } from './fixtures/seed.js';
import { derivedSecret } from './fixtures/faker.js';
import { FaultRegistry } from './admin/faults.js';
import { DEFAULT_BODY_LIMITS, type BodyLimits } from './core/limits.js';
import { ChangeFeed } from './core/changes.js';
import { parseAllowedHosts } from './core/hosts.js';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SEED = join(PACKAGE_ROOT, 'seeds', 'default.json');
export const DEFAULT_SOURCE_SEED = join(PACKAGE_ROOT, 'seeds', 'default.source.json');
/** SHA-256 of the shipped default.json as generated (scripts/seed-default.mjs): a match skips re-validation. */
export const DEFAULT_SEED_HASH = join(PACKAGE_ROOT, 'seeds', 'default.json.sha256');
/** Where its environments and their members lie in the file, recorded with its SHA-256 by scripts/build.mjs. */
export const DEFAULT_SEED_LAYOUT = join(PACKAGE_ROOT, 'dist', 'default-seed.layout.json');

export interface EmulatorOptions {
  /** A fixture document (object) — takes precedence over seedFile. */
  fixture?: FixtureInput | Fixture | unknown;
  /** What to call `fixture` in error messages (default `document`; the CLI says `SEED_JSON`). */
  fixtureSource?: string;
  /** Path of a fixture file; default seeds/default.json. */
  seedFile?: string;
  /** Overrides the fixture's fakerSeed (generated values and derived secrets). */
  fakerSeed?: number;
  /** Persist each environment to <dataDir>/<env>.json (atomic writes) and reload it at start. */
  dataDir?: string;
  /** Clock: scale (`--time-scale`), frozen, startAt. */
  clock?: ClockOptions | Clock;
  /** Mount the /__emulator control plane (default true; `--no-admin` turns it off). */
  admin?: boolean;
  /** Listen address used in URLs (default 127.0.0.1). */
  host?: string;
  /** First port: environments get port, port+1, … in fixture order. Omit for in-process use (no listeners). */
  port?: number;
  /** Largest request body per route class, in bytes (`--body-limit`; default 1 MiB for product APIs, 64 MiB for /__emulator). */
  bodyLimits?: Partial<BodyLimits>;
  /** The URL clients reach the first environment at when it differs from the listener (Docker `-p 30100:8080`):
   *  `http://localhost:30100` (environment i at port + i) or `http://{env}.localhost:30100` (host-based routing).
   *  Every advertised URL derives from it: banner, /__emulator/environments, credentials, token issuers. */
  publicUrl?: string;
  /** Log entries kept per environment, oldest dropped first (`--log-max-entries`; a fixture's `logs.maxEntries` wins). */
  logMaxEntries?: number;
  /** Extra Host names the control plane answers to besides loopback ones (`--allowed-host`, `ALLOWED_HOSTS`). */
  allowedHosts?: string[];
}

/** Why a --public-url cannot be used, or undefined when it can. */
export function publicUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url.replaceAll('{env}', 'env'));
  } catch {
    return `must be an absolute URL such as http://localhost:30100, got ${url}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `must be an http or https URL, got ${url}`;
  if (u.pathname !== '/' || u.search || u.hash) return `must be an origin without a path, got ${url}`;
  return undefined;
}

export class Emulator {
  readonly clock: Clock;
  readonly environments: Environment[] = [];
  private readonly byName = new Map<string, Environment>();
  /** The fixture the emulator was loaded from (its area sections are owned by the state after seeding). */
  fixture: Fixture;
  /** Text of that fixture: reset() re-parses it for a pristine copy (the shipped seed's is decoded then). */
  private fixtureSource: { readonly text: string };
  readonly admin: boolean;
  readonly host: string;
  readonly dataDir: string | undefined;
  /** Injected faults (POST /__emulator/faults). */
  readonly faults = new FaultRegistry();
  readonly bodyLimits: BodyLimits;
  /** Change notifications for watchers (GET /__emulator/events, the console); free while nobody subscribes. */
  readonly changes = new ChangeFeed(() => this.environments);
  readonly allowedHosts: string[];
  /** One Hono app per product, shared by its environments (app.ts buildApp), built on first use. */
  private readonly apps = new Map<ProductName, EnvApp>();
  /** Registers a product's routes (after its middleware and health route) on first use by anything but a health check. */
  private readonly routesToAdd = new Map<ProductName, () => void>();

  constructor(source: FixtureSource, readonly options: EmulatorOptions) {
    const problem = options.publicUrl !== undefined ? publicUrlProblem(options.publicUrl) : undefined;
    if (problem) throw new TypeError(`publicUrl ${problem}`);
    const fixture = source.fixture;
    this.fixture = fixture;
    this.fixtureSource = source;
    this.clock = options.clock instanceof Clock ? options.clock : new Clock(options.clock);
    this.admin = options.admin ?? true;
    this.host = options.host ?? '127.0.0.1';
    this.dataDir = options.dataDir;
    this.bodyLimits = { ...DEFAULT_BODY_LIMITS, ...options.bodyLimits };
    this.allowedHosts = parseAllowedHosts(options.allowedHosts);
    const envs = envFixtures(fixture);
    const aicNames = fixture.aic.environments.map((e) => e.name);
    envs.forEach((ef, index) => {
      const product = index < aicNames.length ? 'aic' : 'isc';
      const env = new Environment(this, {
        name: ef.name,
        product,
        index,
        lower: product === 'aic' && index > 0 ? aicNames[index - 1]! : null,
        upper: product === 'aic' && index < aicNames.length - 1 ? aicNames[index + 1]! : null,
        port: options.port !== undefined ? (options.port === 0 ? 0 : options.port + index) : undefined,
        host: this.host,
        signingSecret: (ef.signingSecret as string | undefined) ?? derivedSecret(fixture.fakerSeed, ef.name),
        dataDir: options.dataDir,
        areas: product === 'aic' ? aicAreas : iscAreas,
      });
      this.environments.push(env);
      this.byName.set(env.name, env);
    });
    for (const env of this.environments) for (const area of env.areas) area.init?.(env);
    let savedNow = 0;
    for (const env of this.environments) {
      const saved = env.store.loadSaved();
      if (saved) {
        env.store.replace(saved);
        if (typeof saved.clockNow === 'number') savedNow = Math.max(savedNow, saved.clockNow);
      } else {
        const ef = this.envFixture(env.name)!;
        // in memory, an environment without seeded jobs builds its state when something first reads it (a health
        // check does not; issue #17: start-up): the same state, from the same fixture objects, built by the same code
        if (!env.store.persistent && idleSeed(ef)) {
          env.store.defer(() => buildState(env, ef, fixture));
          env.forget();
        } else this.seedEnv(env, ef);
      }
    }
    // emulator time never goes backwards across a restart with a data dir
    if (savedNow > this.clock.now()) this.clock.advance(savedNow - this.clock.now());
  }

  env(name: string): Environment | undefined {
    return this.byName.get(name);
  }

  /**
   * The app that serves every environment of `product` (a request names its environment in its bindings). Its product
   * routes are registered on the first call that is not for a listener's `GET /monitoring/health` (`healthCheck`),
   * which the middleware and the health route, registered before them, answer alone: the routes end up in the same
   * order, and a health check at start-up does not wait for them (issue #17).
   */
  appOf(product: ProductName, healthCheck = false): EnvApp {
    let app = this.apps.get(product);
    if (!app) {
      const areas = this.environments.find((e) => e.product === product)?.areas ?? [];
      this.apps.set(product, (app = buildApp(this, product, areas, (register) => this.routesToAdd.set(product, register))));
    }
    if (!healthCheck && this.routesToAdd.size) {
      const register = this.routesToAdd.get(product);
      if (register) {
        this.routesToAdd.delete(product);
        register();
      }
    }
    return app;
  }

  /** The AIC environments in fixture order: one array for the emulator's life (the environments are fixed when it is
   *  built; every request's promotion settle reads it: issue #17). Read-only to callers (not frozen: iterating a
   *  frozen array allocated an iterator per request). */
  get aicEnvironments(): Environment[] {
    return (this.aicList ??= this.environments.filter((e) => e.product === 'aic'));
  }
  private aicList: Environment[] | undefined;

  get isc(): Environment {
    return this.environments.find((e) => e.product === 'isc')!;
  }

  /** An environment's fixture object in the current seed (what a deferred state is built from). */
  envFixture(name: string, fixture = this.fixture): EnvFixture | undefined {
    return envFixtures(fixture).find((e) => e.name === name);
  }

  private seedEnv(env: Environment, ef: EnvFixture, fixture = this.fixture): void {
    env.store.replace(buildState(env, ef, fixture));
    env.forget();
  }

  private freshFixture(): Fixture {
    const fixture = parseFixture(JSON.parse(this.fixtureSource.text));
    return this.options.fakerSeed !== undefined ? { ...fixture, fakerSeed: this.options.fakerSeed } : fixture;
  }

  /** Back to the loaded fixture: every environment, or one. */
  async reset(envName?: string): Promise<void> {
    const targets = envName ? [this.env(envName)!] : this.environments;
    const fresh = this.freshFixture();
    for (const env of targets) this.seedEnv(env, this.envFixture(env.name, fresh)!, fresh);
    this.faults.clear(envName);
    await this.flush();
  }

  /** Replace all state with a new fixture document or its JSON text (validated first: nothing half-loaded). */
  async seed(doc: unknown): Promise<void> {
    const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
    const fixture = parseFixture(JSON.parse(text), 'seed document');
    const names = envFixtures(fixture).map((e) => e.name).join(',');
    const running = this.environments.map((e) => e.name).join(',');
    if (names !== running) {
      throw new TopologyError(`the seed declares environments [${names}] but this emulator runs [${running}]; restart with --seed to change the topology`);
    }
    for (const env of this.environments) this.seedEnv(env, this.envFixture(env.name, fixture)!, fixture);
    this.fixture = fixture;
    this.fixtureSource = { text };
    await this.flush();
  }

  /** Current state of every environment as a fixture document that --seed accepts back. */
  snapshot(): Fixture {
    const aicEnvs = this.aicEnvironments.map((env) => snapshotEnv(env, this.envFixture(env.name) ?? { name: env.name }));
    const isc = snapshotEnv(this.isc, this.envFixture(this.isc.name) ?? { name: this.isc.name });
    return {
      fakerSeed: this.fixture.fakerSeed,
      referenceTime: this.fixture.referenceTime,
      aic: { tenant: this.fixture.aic.tenant, environments: aicEnvs },
      isc: { ...isc, tenant: this.fixture.isc.tenant },
    } as Fixture;
  }

  /** Run due clock-driven jobs everywhere (after the clock moves). */
  tick(): void {
    for (const env of this.environments) env.tick();
  }

  /** In-process request to one environment (no listener needed). */
  request(envName: string, path: string, init?: RequestInit): Promise<Response> {
    const env = this.env(envName);
    if (!env) throw new Error(`no environment ${envName}`);
    const url = path.startsWith('http') ? path : `${env.url}${path}`;
    return Promise.resolve(env.app.request(url, init));
  }

  async flush(): Promise<void> {
    await Promise.all(this.environments.map((e) => e.store.flush()));
  }
}


/**
 * Whether an environment's seeded state has no clock-driven work: no jobs and no promotion lock or run to settle, so
 * its state can be built on first read (Environment.tick and promotion's settle skip a state still to be built).
 */
function idleSeed(ef: EnvFixture): boolean {
  if (Array.isArray(ef.jobs) && ef.jobs.length) return false;
  const promotion = ef.promotion as { lock?: unknown; run?: unknown } | undefined;
  return !promotion || (promotion.lock == null && promotion.run == null);
}

/** Load the fixture (file or document), apply option overrides, and build the emulator. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  let source: FixtureSource;
  if (options.fixture !== undefined) {
    // a text copy, so the caller's object is never mutated and reset() has a pristine source
    const text = JSON.stringify(options.fixture);
    source = { text, fixture: parseFixture(JSON.parse(text), options.fixtureSource) };
  } else if (options.seedFile) source = readFixtureSource(options.seedFile);
  else if (options.fakerSeed !== undefined) source = readFixtureSource(DEFAULT_SOURCE_SEED);
  else source = readFixtureSource(DEFAULT_SEED, DEFAULT_SEED_HASH, DEFAULT_SEED_LAYOUT);
  if (options.fakerSeed !== undefined) source.fixture = { ...source.fixture, fakerSeed: options.fakerSeed };
  return new Emulator(source, options);
}
