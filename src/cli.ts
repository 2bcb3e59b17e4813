// tenant-emulator start | validate FILE | schema | openapi [--out DIR] | generate [FILE]
import { parseArgs } from 'node:util';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createEmulator, DEFAULT_SEED } from './emulator.js';
import { listen } from './server.js';
import { FixtureError, parseFixture, readFixtureFile } from './fixtures/load.js';
import { fixtureJsonSchema } from './fixtures/schema.js';
import { openApiDocument } from './openapi.js';
import { setLogTraffic } from './aic/logs/index.js';
import { parseSize } from './core/limits.js';

const USAGE = `usage:
  tenant-emulator start [--port N] [--host H] [--seed FILE] [--data-dir DIR] [--faker-seed N] [--time-scale X] [--frozen] [--no-admin] [--log-traffic RATE]
                        [--body-limit SIZE] [--admin-body-limit SIZE]
      (environment variables: PORT, HOST, SEED, DATA_DIR, FAKER_SEED, TIME_SCALE, FROZEN=1, NO_ADMIN=1, LOG_TRAFFIC, BODY_LIMIT, ADMIN_BODY_LIMIT)
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

function fail(msg: string): never {
  console.error(`tenant-emulator: ${msg}`);
  process.exit(2);
}

async function start(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string' },
      'faker-seed': { type: 'string' },
      'time-scale': { type: 'string' },
      frozen: { type: 'boolean' },
      'no-admin': { type: 'boolean' },
      'log-traffic': { type: 'string' },
      'body-limit': { type: 'string' },
      'admin-body-limit': { type: 'string' },
    },
    strict: true,
  });
  const env = process.env;
  const port = num('port', values.port ?? env.PORT) ?? 8080;
  const host = values.host ?? env.HOST ?? '127.0.0.1';
  const seedFile = values.seed ?? env.SEED;
  const dataDir = values['data-dir'] ?? env.DATA_DIR;
  const fakerSeed = num('faker-seed', values['faker-seed'] ?? env.FAKER_SEED);
  const scale = num('time-scale', values['time-scale'] ?? env.TIME_SCALE) ?? 1;
  const frozen = values.frozen ?? env.FROZEN === '1';
  const admin = !(values['no-admin'] ?? env.NO_ADMIN === '1');
  if (!(scale > 0)) fail('--time-scale must be > 0');
  const logTraffic = num('log-traffic', values['log-traffic'] ?? env.LOG_TRAFFIC);
  if (logTraffic !== undefined && !(logTraffic >= 0 && logTraffic <= 60_000)) fail('--log-traffic must be between 0 and 60000 entries a minute');

  const size = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined || v === '') return undefined;
    return parseSize(v) ?? fail(`--${name} must be a size such as 1mb, 512kb or 1048576, got ${v}`);
  };
  const bodyLimits = { api: size('body-limit', values['body-limit'] ?? env.BODY_LIMIT), controlPlane: size('admin-body-limit', values['admin-body-limit'] ?? env.ADMIN_BODY_LIMIT) };

  let emulator;
  try {
    emulator = createEmulator({
      seedFile, dataDir, fakerSeed, clock: { scale, frozen }, admin, host, port,
      bodyLimits: Object.fromEntries(Object.entries(bodyLimits).filter(([, v]) => v !== undefined)),
    });
  } catch (err) {
    if (err instanceof FixtureError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // background log traffic (docs/logs.md) for AIC environments whose fixture sets none
  if (logTraffic) setLogTraffic(emulator, logTraffic);
  const listening = await listen(emulator);
  const lines = emulator.environments.map((e) => `  ${e.product.toUpperCase()}  ${e.name.padEnd(10)} ${e.url}`);
  console.log(
    [
      `tenant-emulator listening (seed: ${seedFile ?? (fakerSeed !== undefined ? 'seeds/default.source.json' : DEFAULT_SEED)}, storage: ${dataDir ?? 'memory'}, time scale: ${scale})`,
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
    case 'openapi': {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
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
      fail(`unknown command ${cmd}\n${USAGE}`);
  }
}

await main();
