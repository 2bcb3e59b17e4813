// One environment of a tenant: its own state, token keys, jobs and logs (DESIGN.md "Environments are isolated"), served
// by its product's Hono app (one per emulator, app.ts).
import type { Emulator } from './emulator.js';
import type { AnyArea, EnvApp } from './core/types.js';
import { EnvStore, type StateDoc } from './core/store.js';
import { TokenService } from './core/auth.js';
import { JobQueue, type Job } from './core/jobs.js';
import { LogBook } from './core/logbook.js';
import type { Clock } from './core/clock.js';
import { environmentApp } from './app.js';

export type ProductName = 'aic' | 'isc';

/**
 * An environment's URL from the public URL: a `{env}` placeholder takes the environment's name (host-based routing:
 * `http://{env}.localhost:30100`); otherwise the environment at index i gets the URL's port + i, as listeners get
 * --port + i (`http://localhost:30100` → dev :30100, staging :30101, …). A trailing slash is dropped.
 */
export function advertisedUrl(publicUrl: string, envName: string, index: number): string {
  if (publicUrl.includes('{env}')) return publicUrl.replaceAll('{env}', envName).replace(/\/+$/, '');
  const u = new URL(publicUrl);
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  u.port = String(port + index);
  return u.toString().replace(/\/+$/, '');
}

export interface EnvironmentInit {
  name: string;
  product: ProductName;
  index: number;
  lower: string | null;
  upper: string | null;
  port: number | undefined;
  host: string;
  signingSecret: string;
  dataDir?: string;
  areas: AnyArea[];
}

export class Environment {
  readonly name: string;
  readonly product: ProductName;
  readonly index: number;
  readonly lower: string | null;
  readonly upper: string | null;
  port: number | undefined;
  readonly host: string;
  readonly store: EnvStore;
  readonly tokens: TokenService;
  readonly jobs: JobQueue;
  readonly logbook = new LogBook();
  readonly areas: AnyArea[];
  private appView: EnvApp | undefined;
  /** Runtime memory outside the store (see memory()). */
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly emulator: Emulator,
    init: EnvironmentInit,
  ) {
    this.name = init.name;
    this.product = init.product;
    this.index = init.index;
    this.lower = init.lower;
    this.upper = init.upper;
    this.port = init.port;
    this.host = init.host;
    this.areas = init.areas;
    this.store = new EnvStore(init.name, init.dataDir);
    this.tokens = new TokenService(init.signingSecret, () => this.issuer, () => this.clock.nowSeconds());
    // the emulator time of the last write: a restart resumes the clock from there (a scaled or advanced clock
    // would otherwise fall back to real time, and jobs and tokens would wait for it to catch up)
    this.store.beforeWrite = () => {
      this.store.data.clockNow = this.clock.now();
    };
    this.jobs = new JobQueue(
      () => (this.store.data.jobs ??= []) as Job[],
      () => this.clock.now(),
      () => this.store.touch(),
      (t, fn) => this.clock.at(t, fn),
    );
  }

  /** The environment's view of its product's Hono app (built once per emulator on first use, shared by the product's
   *  environments): `app.request()` and `app.fetch()` answer as this environment. */
  get app(): EnvApp {
    return (this.appView ??= environmentApp(this.emulator.appOf(this.product), this));
  }

  get clock(): Clock {
    return this.emulator.clock;
  }

  /** Base URL clients use for this environment: derived from --public-url when given (ports remapped by Docker,
   *  a proxy in front), else the address it listens on. */
  get url(): string {
    const pub = this.emulator.options.publicUrl;
    if (pub) return advertisedUrl(pub, this.name, this.index);
    const host = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host;
    return this.port !== undefined ? `http://${host}:${this.port}` : `http://${this.name}.localhost`;
  }

  /** AIC token issuer (`https://<fqdn>/am/oauth2` on a real tenant); ISC: the tenant's token URL. */
  get issuer(): string {
    return this.product === 'aic' ? `${this.url}/am/oauth2` : `${this.url}/oauth/token`;
  }

  get state(): StateDoc {
    return this.store.data;
  }

  /** The state slice of an area (see Area.name). */
  slice<T>(area: string): T {
    return this.store.data[area] as T;
  }

  /**
   * Runtime memory this environment holds outside its store — sessions, authorization codes, refresh tokens, used
   * jtis, revocations, caches, control-plane switches — created on first use by `init` and dropped by forget(),
   * which reset and seed call (DESIGN.md: no module-level map outlives a reset). Keys are `<area>.<what>`.
   * Never persisted: a restart forgets it, like a real tenant forgets a login after its sessions expire.
   */
  memory<T>(key: string, init: () => T): T {
    // one lookup when the value is there (an init answering undefined is found by has())
    const kept = this.memo.get(key);
    if (kept !== undefined || this.memo.has(key)) return kept as T;
    const value = init();
    this.memo.set(key, value);
    return value;
  }

  /** Drop everything held outside the store: runtime memory, verified-token cache, logs (reset and seed). */
  forget(): void {
    this.memo.clear();
    this.tokens.clearCache();
    this.logbook.clear();
  }

  /** Record that state changed (persisted after the request when a data dir is set). */
  changed(): void {
    this.store.touch();
  }

  /** The neighbour environments in the promotion chain. */
  get lowerEnv(): Environment | undefined {
    return this.lower ? this.emulator.env(this.lower) : undefined;
  }

  get upperEnv(): Environment | undefined {
    return this.upper ? this.emulator.env(this.upper) : undefined;
  }

  /** Append a log entry at the current emulator time (see aic/logs for sources and payload shapes). */
  log(source: string, payload: unknown): void {
    this.logbook.append(source, payload, this.clock.now());
  }

  /** Run jobs that came due (called at the start of each request and on clock moves). */
  tick(): void {
    // a state not yet seeded (seeded lazily only without jobs: Emulator) has nothing due
    if (this.store.deferred) return;
    // the clock is read only when a job is queued (issue #17: a read of real time per request less)
    const due = this.jobs.nextDue();
    if (due !== undefined && due <= this.clock.now()) this.jobs.runDue();
  }
}
