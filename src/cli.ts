// tenant-emulator start | validate FILE | schema | openapi [--out DIR] | generate [FILE]
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createEmulator, DEFAULT_SEED, publicUrlProblem } from './emulator.js';
import { listen, ListenError } from './server.js';
import { FixtureError, parseFixture, readFixtureFile } from './fixtures/load.js';
import { fixtureJsonSchema } from './fixtures/schema.js';
import { openApiDocument } from './openapi.js';
import { credentialsAsEnv, type Credentials } from './admin/credentialsEnv.js';
import { setLogTraffic } from './aic/logs/index.js';
import { parseSize } from './core/limits.js';
import { parseAllowedHosts } from './core/hosts.js';

const USAGE = `usage:
  tenant-emulator start [--port N] [--host H] [--public-url URL] [--seed FILE] [--data-dir DIR] [--faker-seed N] [--time-scale X] [--frozen] [--no-admin] [--log-traffic RATE]
                        [--log-max-entries N] [--body-limit SIZE] [--admin-body-limit SIZE] [--allowed-host NAME]...
      (environment variables: PORT, HOST, PUBLIC_URL, SEED, SEED_JSON (an inline fixture), DATA_DIR, FAKER_SEED, TIME_SCALE, FROZEN=1, NO_ADMIN=1, LOG_TRAFFIC, LOG_MAX_ENTRIES, BODY_LIMIT, ADMIN_BODY_LIMIT, ALLOWED_HOSTS=a,b;
       through npm: npm start -- --port 9000)
  tenant-emulator credentials [--url URL] [--env NAME] [--format json|env]
                                    print a running emulator's credentials; in a shell: eval "$(tenant-emulator credentials --format env)"
  tenant-emulator wait [--url URL] [--timeout 30s]   exit 0 once health answers, 1 on timeout
  tenant-emulator validate FILE     check a fixture file; exits 1 listing every error's JSON path
  tenant-emulator schema            print the fixture JSON Schema
  tenant-emulator openapi [--out DIR]   write openapi/aic.json and openapi/isc.json
  tenant-emulator generate [FILE]   print the fully generated state of a fixture (as a fixture)`;

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) fail(`--${name} must be a number, got ${v}`);
  return n;
}

/** A usage error: one line, the usage, exit 2 (never a stack trace). */
function fail(msg: string): never {
  console.error(`tenant-emulator: ${msg}\n${USAGE}`);
  process.exit(2);
}

/** A start-up failure: one clear line, exit 1 (never a stack trace). */
function die(msg: string): never {
  console.error(`tenant-emulator: ${msg}`);
  process.exit(1);
}

/** node:util parseArgs, with its errors (unknown option, stray positional, missing value) as usage errors. */
function parse<O extends ParseArgsConfig['options']>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (err) {
    const e = err as Error & { code?: string };
    if (!e.code?.startsWith('ERR_PARSE_ARGS')) throw err;
    // `npm start --port 9000` (no `--`): npm keeps `--port` for itself and passes only `9000` on
    const viaNpm = e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && process.env.npm_lifecycle_event ? ' (options go after `--` through npm: npm start -- --port 9000)' : '';
    fail(`${e.message.split('\n')[0]}${viaNpm}`);
  }
}

/** --url, else URL / the default first port, without a trailing slash. */
function baseUrl(url: string | undefined): string {
  const u = url || process.env.TENANT_EMULATOR_URL || `http://127.0.0.1:${process.env.PORT || 8080}`;
  if (!/^https?:\/\/[^/]+/.test(u)) fail(`--url must be an http(s) URL such as http://127.0.0.1:8080, got ${u}`);
  return u.replace(/\/+$/, '');
}

/** `30s`, `2m`, `500ms`, `1500` (ms) → milliseconds. */
function duration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 1);
}

/** The data directory exists (or can be made) and takes a file: checked before anything is loaded. */
function checkDataDir(dir: string): void {
  const probe = join(dir, `.write-test-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    die(
      `data directory ${dir} is not writable (${code})` +
        (code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? `: the emulator runs as uid ${uid ?? '?'}` + (uid === 1000 ? ' (user node in the Docker image): chown the volume to 1000:1000 or mount a named volume' : '') + ', or choose another --data-dir'
          : ': choose another --data-dir'),
    );
  }
}

async function start(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      'public-url': { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string' },
      'faker-seed': { type: 'string' },
      'time-scale': { type: 'string' },
      frozen: { type: 'boolean' },
      'no-admin': { type: 'boolean' },
      'log-traffic': { type: 'string' },
      'body-limit': { type: 'string' },
      'admin-body-limit': { type: 'string' },
      'log-max-entries': { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
  });
  const env = process.env;
  const port = num('port', values.port ?? env.PORT) ?? 8080;
  const host = values.host ?? env.HOST ?? '127.0.0.1';
  const seedFile = values.seed || env.SEED || undefined;
  // an empty DATA_DIR (the Docker image's default) means memory
  const dataDir = values['data-dir'] || env.DATA_DIR || undefined;
  const publicUrl = values['public-url'] || env.PUBLIC_URL || undefined;
  if (publicUrl !== undefined) {
    const problem = publicUrlProblem(publicUrl);
    if (problem) fail(`--public-url ${problem}`);
  }
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) fail(`--port must be a port number (0–65535), got ${values.port ?? env.PORT}`);
  const fakerSeed = num('faker-seed', values['faker-seed'] ?? env.FAKER_SEED);
  const scale = num('time-scale', values['time-scale'] ?? env.TIME_SCALE) ?? 1;
  const frozen = values.frozen ?? env.FROZEN === '1';
  const admin = !(values['no-admin'] ?? env.NO_ADMIN === '1');
  if (!(scale > 0)) fail('--time-scale must be > 0');
  const logTraffic = num('log-traffic', values['log-traffic'] ?? env.LOG_TRAFFIC);
  if (logTraffic !== undefined && !(logTraffic >= 0 && logTraffic <= 60_000)) fail('--log-traffic must be between 0 and 60000 entries a minute');
  // docs/logs.md "What the emulator keeps": entries kept per environment, the oldest dropped first
  const logMaxEntries = num('log-max-entries', values['log-max-entries'] ?? env.LOG_MAX_ENTRIES);
  if (logMaxEntries !== undefined && !(Number.isInteger(logMaxEntries) && logMaxEntries >= 1 && logMaxEntries <= 100_000_000)) fail('--log-max-entries must be a whole number between 1 and 100000000');

  const size = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined || v === '') return undefined;
    return parseSize(v) ?? fail(`--${name} must be a size such as 1mb, 512kb or 1048576, got ${v}`);
  };
  const bodyLimits = { api: size('body-limit', values['body-limit'] ?? env.BODY_LIMIT), controlPlane: size('admin-body-limit', values['admin-body-limit'] ?? env.ADMIN_BODY_LIMIT) };

  if (dataDir) checkDataDir(dataDir);
  // SEED_JSON: the fixture document itself, for CI systems that pass configuration as variables (a --seed file wins)
  let fixture: unknown;
  if (!values.seed && env.SEED_JSON) {
    try {
      fixture = JSON.parse(env.SEED_JSON);
    } catch (err) {
      die(`SEED_JSON is not JSON: ${(err as Error).message}`);
    }
  }
  let emulator;
  try {
    emulator = createEmulator({
      fixture, fixtureSource: fixture !== undefined ? 'SEED_JSON' : undefined,
      seedFile, dataDir, fakerSeed, clock: { scale, frozen }, admin, host, port, publicUrl, logMaxEntries,
      allowedHosts: [...(values['allowed-host'] ?? []), ...parseAllowedHosts(env.ALLOWED_HOSTS)],
      bodyLimits: Object.fromEntries(Object.entries(bodyLimits).filter(([, v]) => v !== undefined)),
    });
  } catch (err) {
    if (err instanceof FixtureError) die(err.oneLine);
    if (err instanceof SyntaxError && dataDir) die(`a state file in ${dataDir} is not valid JSON (${err.message}); move it away or choose another --data-dir`);
    throw err;
  }
  // background log traffic (docs/logs.md) for AIC environments whose fixture sets none
  if (logTraffic) setLogTraffic(emulator, logTraffic);
  let listening;
  try {
    listening = await listen(emulator);
  } catch (err) {
    if (err instanceof ListenError) die(err.message);
    throw err;
  }
  const lines = emulator.environments.map((e) => `  ${e.product.toUpperCase()}  ${e.name.padEnd(10)} ${e.url}`);
  console.log(
    [
      `tenant-emulator listening (seed: ${fixture !== undefined ? 'SEED_JSON' : seedFile ?? (fakerSeed !== undefined ? 'seeds/default.source.json' : DEFAULT_SEED)}, storage: ${dataDir ?? 'memory'}, time scale: ${scale})`,
      ...lines,
      admin
        ? `credentials: GET ${emulator.environments[0]!.url}/__emulator/credentials   control plane: ${emulator.environments[0]!.url}/__emulator`
        : 'control plane disabled (--no-admin)',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 1800);
    force.unref();
    await listening.close();
    console.log(`tenant-emulator stopped (${sig})`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  switch (cmd) {
    case 'start':
    case undefined:
      return start(rest);
    case 'validate': {
      const file = rest[0];
      if (!file) fail('validate needs a FILE');
      try {
        readFixtureFile(file);
        console.log(`${file}: valid`);
      } catch (err) {
        if (err instanceof FixtureError) {
          console.error(err.message);
          process.exit(1);
        }
        throw err;
      }
      return;
    }
    case 'schema':
      console.log(JSON.stringify(fixtureJsonSchema(), null, 2));
      return;
    case 'credentials': {
      const { values } = parse(rest, { url: { type: 'string' }, env: { type: 'string' }, format: { type: 'string' } });
      const format = values.format ?? 'json';
      if (format !== 'json' && format !== 'env') fail(`--format must be json or env, got ${format}`);
      const url = baseUrl(values.url);
      let doc: Credentials;
      try {
        const res = await fetch(`${url}/__emulator/credentials`, { signal: AbortSignal.timeout(10_000) });
        if (!res.ok) die(`${url}/__emulator/credentials answered ${res.status} (is the control plane on? --no-admin removes it)`);
        doc = (await res.json()) as Credentials;
      } catch (err) {
        die(`cannot reach ${url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
      }
      if (values.env && !doc.environments[values.env]) die(`no environment ${values.env} (the emulator has ${Object.keys(doc.environments).join(', ')})`);
      const picked = values.env ? { environments: { [values.env]: doc.environments[values.env]! } } : doc;
      console.log(format === 'json' ? JSON.stringify(picked, null, 2) : credentialsAsEnv(picked).join('\n'));
      return;
    }
    case 'wait': {
      const { values } = parse(rest, { url: { type: 'string' }, timeout: { type: 'string' } });
      const url = baseUrl(values.url);
      const timeoutMs = duration(values.timeout ?? '30s');
      if (timeoutMs === undefined) fail(`--timeout must be a duration such as 30s, 2m or 500ms, got ${values.timeout}`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          const res = await fetch(`${url}/monitoring/health`, { signal: AbortSignal.timeout(Math.max(100, Math.min(2000, deadline - Date.now()))) });
          if (res.ok) {
            console.log(`${url} is up`);
            return;
          }
        } catch {
          /* not listening yet */
        }
        if (Date.now() >= deadline) die(`${url}/monitoring/health did not answer 200 within ${values.timeout ?? '30s'}`);
        await new Promise((r) => setTimeout(r, Math.min(250, Math.max(0, deadline - Date.now()))));
      }
    }
    case 'openapi': {
      const { values } = parse(rest, { out: { type: 'string' } });
      const out = values.out ?? 'openapi';
      mkdirSync(out, { recursive: true });
      const emu = createEmulator({});
      writeFileSync(join(out, 'aic.json'), JSON.stringify(openApiDocument(emu.aicEnvironments[0]!), null, 2) + '\n');
      writeFileSync(join(out, 'isc.json'), JSON.stringify(openApiDocument(emu.isc), null, 2) + '\n');
      console.log(`wrote ${join(out, 'aic.json')} and ${join(out, 'isc.json')}`);
      return;
    }
    case 'generate': {
      const emu = createEmulator(rest[0] ? { seedFile: rest[0] } : {});
      // printed in the fixture schema's key order, so the file parses to exactly itself (start-up may then skip validation)
      console.log(JSON.stringify(parseFixture({ $schema: './schema.json', ...emu.snapshot() }), null, 2));
      return;
    }
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE);
      return;
    default:
      fail(`unknown command ${cmd}`);
  }
}

// anything unexpected is still one line (set DEBUG=tenant-emulator for the stack); no top-level await: dist/cli.cjs is CommonJS
void main().catch((err: unknown) => {
  if (process.env.DEBUG?.includes('tenant-emulator')) console.error(err);
  if (err instanceof FixtureError) die(err.oneLine);
  die(err instanceof Error ? err.message.split('\n')[0]! : String(err));
});
