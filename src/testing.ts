// `tenant-emulator/testing`: the emulator inside a test process, on free ports, with the glue every suite writes
// otherwise (URLs, credentials, tokens without the OAuth dance, reset between tests, the clock). Works the same under
// vitest and jest (beforeAll/afterAll); `tenant-emulator/vitest-setup` is a vitest globalSetup built on it.
import { createEmulator, type Emulator } from './emulator.js';
import { listen, type Listening } from './server.js';
import type { FixtureInput } from './fixtures/schema.js';
import type { Credentials } from './admin/credentialsEnv.js';

export interface StartOptions {
  /** Path of a fixture file (default: the shipped default organisation). */
  seed?: string;
  /** A fixture document (takes precedence over `seed`). */
  fixture?: FixtureInput | Record<string, unknown>;
  /** Seed for generated data (same seed → same data). */
  fakerSeed?: number;
  /** Freeze emulator time: it then moves only through `advance()` (default true: tests are deterministic). */
  frozen?: boolean;
  /** Start the clock at this instant (ISO string or epoch ms). */
  startAt?: string | number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
}

export interface TokenOptions {
  /** Scopes the token carries (AIC; default: every scope of the product areas). */
  scopes?: string[];
  /** The identity the token acts as (AIC `sub`; default `test-service-account`). */
  subject?: string;
  /** AIC token kind (default `serviceAccount`). */
  type?: 'serviceAccount' | 'oauthClient' | 'user';
  /** Lifetime in seconds of emulator time. */
  expiresIn?: number;
}

export type { Credentials } from './admin/credentialsEnv.js';

export interface TenantEmulator {
  /** Base URL of each environment by name (`dev`, `staging`, `prod`, `isc` with the default seed). */
  urls: Record<string, string>;
  /** Working credentials of every environment (OAuth clients, service accounts with private JWKs, log keys, ISC API clients and PATs). */
  credentials: Credentials;
  /** An access token for an AIC environment, minted without the OAuth dance. */
  token(env: string, opts?: TokenOptions): Promise<string>;
  /** An ISC access token acting as an identity: its id, or the name of a PAT owner (`alice.reviewer`). */
  iscToken(identity: string, opts?: { expiresIn?: number }): Promise<string>;
  /** Back to the seeded state: every environment, or one. */
  reset(env?: string): Promise<void>;
  /** Move emulator time forward; asynchronous work that came due runs at once. */
  advance(ms: number): Promise<void>;
  /** The whole state as a fixture document (`fixture:` accepts it back). */
  snapshot(): Promise<Record<string, unknown>>;
  /** Stop listening and release everything. */
  close(): Promise<void>;
  /** The emulator itself, for anything else (its `request(env, path)` answers without the network). */
  emulator: Emulator;
}

const AIC_SCOPES = ['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*', 'fr:idc:promotion:*', 'fr:idc:release:*', 'fr:iga:*'];

/** Start an emulator in this process on free ports (port 0) and resolve once every environment listens. */
export async function startTenantEmulator(options: StartOptions = {}): Promise<TenantEmulator> {
  const startAt = typeof options.startAt === 'string' ? Date.parse(options.startAt) : options.startAt;
  const emulator = createEmulator({
    fixture: options.fixture,
    seedFile: options.fixture === undefined ? options.seed : undefined,
    fakerSeed: options.fakerSeed,
    clock: { frozen: options.frozen ?? true, ...(startAt !== undefined ? { startAt } : {}) },
    host: options.host,
    port: 0,
  });
  const listening: Listening = await listen(emulator);
  const first = emulator.environments[0]!.name;

  /** A control-plane call, in-process (the same JSON API curl uses). */
  const admin = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await emulator.request(first, `/__emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`tenant-emulator: ${method} /__emulator${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  const credentials = (await admin('GET', '/credentials')) as Credentials;
  const urls = Object.fromEntries(emulator.environments.map((e) => [e.name, e.url]));

  return {
    urls,
    credentials,
    emulator,
    async token(env, opts = {}) {
      const res = await admin('POST', '/token', { env, subject: opts.subject ?? 'test-service-account', scopes: opts.scopes ?? AIC_SCOPES, type: opts.type ?? 'serviceAccount', expiresIn: opts.expiresIn });
      return res.access_token as string;
    },
    async iscToken(identity, opts = {}) {
      const isc = emulator.isc.name;
      const pats = (credentials.environments[isc]?.personalAccessTokens ?? []) as Array<{ ownerId: string; ownerName: string }>;
      const identityId = pats.find((p) => p.ownerName === identity)?.ownerId ?? identity;
      const res = await admin('POST', '/token', { env: isc, identityId, expiresIn: opts.expiresIn });
      return res.access_token as string;
    },
    async reset(env) {
      await admin('POST', env ? `/reset?env=${encodeURIComponent(env)}` : '/reset');
    },
    async advance(ms) {
      await admin('POST', '/clock', { advanceMs: ms });
    },
    async snapshot() {
      return (await admin('GET', '/snapshot')) as Record<string, unknown>;
    },
    close: () => listening.close(),
  };
}

/** The environment variable holding an environment's URL: `TENANT_EMULATOR_DEV_URL`, `TENANT_EMULATOR_ISC_URL`, … */
export function urlVariable(env: string): string {
  return `TENANT_EMULATOR_${env.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
}
