// A newcomer's first hour: CLI argument errors, start-up failures (busy port, unwritable data dir, unreadable seed) are
// one clear line with a non-zero exit and no stack trace; --public-url drives every advertised URL; snapshots are
// byte-stable through a reload.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { createEmulator } from '../src/emulator.js';
import { call, testEmulator } from './helpers.js';
import { CLI, banner as bannerOf } from './cli.js';


function run(args: string[], opts: { env?: Record<string, string>; uid?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...opts.env },
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
}

/** Exactly one line of error (optionally followed by the usage), and nothing that looks like a stack trace. */
function expectOneLine(res: SpawnSyncReturns<string>, status: number, pattern: RegExp): void {
  expect(res.status, res.stderr).toBe(status);
  const [first, ...rest] = res.stderr.trimEnd().split('\n');
  expect(first).toMatch(/^tenant-emulator: /);
  expect(first).toMatch(pattern);
  if (rest.length) expect(rest[0]).toBe('usage:');
  expect(res.stderr).not.toMatch(/^\s+at /m);
  expect(res.stderr).not.toMatch(/TypeError|RangeError|node:internal/);
}

function busyPort(): Promise<Server> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

// each case spawns the CLI: generous timeouts for a loaded CI machine
describe('CLI argument errors: one line, the usage, exit 2', { timeout: 90_000 }, () => {
  it('`npm start --port 9000` (npm swallowed --port) names the stray argument and the `--` fix', () => {
    const res = run(['start', '9000'], { env: { npm_lifecycle_event: 'start' } });
    expectOneLine(res, 2, /Unexpected argument '9000'.*npm start -- --port 9000/);
    expect(res.stderr).toContain('tenant-emulator start [--port N]');
  });

  it('an unknown option, a missing value, a bad number and an unknown command', () => {
    expectOneLine(run(['start', '--bogus']), 2, /Unknown option '--bogus'/);
    expectOneLine(run(['start', '--port']), 2, /--port/);
    expectOneLine(run(['start', '--port', 'eighty']), 2, /--port must be a number/);
    expectOneLine(run(['start', '--port', '70000']), 2, /--port must be a port number/);
    expectOneLine(run(['frobnicate']), 2, /unknown command frobnicate/);
    expectOneLine(run(['start', '--public-url', 'localhost:30100/x']), 2, /--public-url must be/);
  });
});

describe('start-up failures: one line, exit 1, never listening', { timeout: 90_000 }, () => {
  it('a busy port names the port, the environment that wanted it, and --port', async () => {
    const blocker = await busyPort();
    try {
      const port = (blocker.address() as { port: number }).port;
      // the staging listener (index 1) is the one that finds its port taken
      const res = run(['start', '--port', String(port - 1), '--frozen']);
      expectOneLine(res, 1, new RegExp(`port ${port} \\(environment staging\\) is already in use.*--port`));
    } finally {
      blocker.close();
    }
  });

  it('an unwritable data directory names the path and the user it runs as', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-ro-'));
    try {
      chmodSync(dir, 0o755);
      const data = join(dir, 'data');
      mkdirSync(data);
      chmodSync(data, 0o555);
      // root writes anywhere: run the CLI as an unprivileged user when the checkout is readable to it
      const asRoot = process.getuid?.() === 0;
      const nobodyCanRun = asRoot && spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(CLI)})`], { uid: 65534, gid: 65534 }).status === 0;
      if (!asRoot || nobodyCanRun) {
        const res = run(['start', '--port', '0', '--data-dir', data], asRoot ? { uid: 65534 } : {});
        expectOneLine(res, 1, new RegExp(`data directory ${data} is not writable \\(EACCES\\): the emulator runs as uid \\d+`));
      } else {
        // a checkout only root can read (a private temp clone): a data dir below a plain file fails the same way
        writeFileSync(join(dir, 'file'), '');
        const res = run(['start', '--port', '0', '--data-dir', join(dir, 'file', 'data')]);
        expectOneLine(res, 1, /data directory .*file\/data is not writable \(ENOTDIR\)/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unreadable or invalid seed file is one line naming the file or the JSON path', () => {
    expectOneLine(run(['start', '--port', '0', '--seed', '/nonexistent/seed.json']), 1, /\/nonexistent\/seed\.json.*cannot read file/);
    const dir = mkdtempSync(join(tmpdir(), 'emu-seed-'));
    try {
      writeFileSync(join(dir, 'broken.json'), '{"aic": ');
      expectOneLine(run(['start', '--port', '0', '--seed', join(dir, 'broken.json')]), 1, /broken\.json.*not JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an empty DATA_DIR (the Docker image default) means memory in the banner', async () => {
    const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--public-url', 'http://localhost:30100'], { env: { ...process.env, DATA_DIR: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const banner = await bannerOf(child);
      expect(banner).toMatch(/storage: memory,/);
      // the banner advertises the public URLs, environment i at port + i
      expect(banner).toMatch(/AIC\s+dev\s+http:\/\/localhost:30100\n/);
      expect(banner).toMatch(/AIC\s+staging\s+http:\/\/localhost:30101\n/);
      expect(banner).toMatch(/ISC\s+isc\s+http:\/\/localhost:30103\n/);
      expect(banner).toContain('credentials: GET http://localhost:30100/__emulator/credentials');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('--public-url: every advertised URL derives from it', () => {
  it('port form: environments, credentials (tokenUrl) and token issuers say port + index', async () => {
    const emu = createEmulator({ clock: { frozen: true }, publicUrl: 'http://localhost:30100/' });
    const envs = (await call(emu, 'dev', 'GET', '/__emulator/environments')).body.environments;
    expect(envs.map((e: { name: string; url: string }) => `${e.name} ${e.url}`)).toEqual(['dev http://localhost:30100', 'staging http://localhost:30101', 'prod http://localhost:30102', 'isc http://localhost:30103']);
    const creds = (await call(emu, 'dev', 'GET', '/__emulator/credentials')).body;
    expect(JSON.stringify(creds)).toContain('"tokenUrl":"http://localhost:30101/am/oauth2/access_token"');
    expect(JSON.stringify(creds)).toContain('"tokenUrl":"http://localhost:30103/oauth/token"');
    expect(JSON.stringify(creds)).not.toContain('127.0.0.1');
    // a token from the advertised token URL (client credentials) carries the advertised issuer
    const client = creds.environments.staging.oauthClients[0];
    const res = await emu.request('staging', 'http://localhost:30101/am/oauth2/access_token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'fr:idc:esv:read' }).toString(),
    });
    expect(res.status).toBe(200);
    const token = ((await res.json()) as { access_token: string }).access_token;
    expect(decodeJwt(token).iss).toBe('http://localhost:30101/am/oauth2');
    expect((await call(emu, 'staging', 'GET', '/environment/variables', { token })).status).toBe(200);
    const isc = (await call(emu, 'isc', 'POST', '/__emulator/token', { body: { env: 'isc', identityId: creds.environments.isc.apiClients[0].identityId } })).body;
    expect(decodeJwt(isc.access_token).iss).toBe('http://localhost:30103/oauth/token');
  });

  it('{env} form: host-based routing, one port for all', async () => {
    const emu = createEmulator({ clock: { frozen: true }, publicUrl: 'http://{env}.localhost:30100' });
    const envs = (await call(emu, 'dev', 'GET', '/__emulator/environments')).body.environments;
    expect(envs.map((e: { url: string }) => e.url)).toEqual(['http://dev.localhost:30100', 'http://staging.localhost:30100', 'http://prod.localhost:30100', 'http://isc.localhost:30100']);
    expect(() => createEmulator({ publicUrl: 'ftp://x' })).toThrow(/publicUrl must be an http/);
  });
});

describe('control plane polish', () => {
  it('/__emulator/ answers as /__emulator does', async () => {
    const emu = testEmulator();
    const bare = await emu.request('dev', '/__emulator');
    const slash = await emu.request('dev', '/__emulator/');
    expect(slash.status).toBe(bare.status);
    expect(slash.headers.get('location')).toBe(bare.headers.get('location'));
  });
});

describe('snapshots are byte-stable', () => {
  it('snapshot → --seed → snapshot gives the same bytes, after writes, through a file, a data dir and POST /seed', async () => {
    const emu = testEmulator();
    const admin = (await call(emu, 'dev', 'POST', '/__emulator/token', { body: { env: 'dev', subject: 'ci', scopes: ['fr:idm:*', 'fr:idc:esv:*'] } })).body.access_token;
    // writes of several kinds first: a service account created and changed, an ESV
    const { exportJWK, generateKeyPair } = await import('jose');
    const jwk = { ...(await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey)), kid: 'k1', alg: 'RS256' };
    const sa = await call(emu, 'dev', 'POST', '/openidm/managed/svcacct?_action=create', { token: admin, body: { name: 'ci-bot', description: 'CI', accountStatus: 'Active', scopes: ['fr:idc:esv:read'], jwks: JSON.stringify({ keys: [jwk] }) } });
    expect(sa.status).toBe(201);
    expect((await call(emu, 'dev', 'PUT', `/openidm/managed/svcacct/${sa.body._id}`, { token: admin, headers: { 'if-match': '*' }, body: { name: 'ci-bot', accountStatus: 'Active', scopes: ['fr:idc:esv:read'], jwks: sa.body.jwks, description: 'changed' } })).status).toBe(200);
    expect((await call(emu, 'dev', 'PUT', '/environment/variables/esv-stable-bytes', { token: admin, body: { valueBase64: Buffer.from('x').toString('base64'), expressionType: 'string' } })).status).toBe(200);

    const first = (await call(emu, 'dev', 'GET', '/__emulator/snapshot')).text;
    const dir = mkdtempSync(join(tmpdir(), 'emu-snap-'));
    try {
      writeFileSync(join(dir, 'seed.json'), first);
      const fromFile = testEmulator({ seedFile: join(dir, 'seed.json') });
      expect((await call(fromFile, 'dev', 'GET', '/__emulator/snapshot')).text).toBe(first);

      const persisted = testEmulator({ seedFile: join(dir, 'seed.json'), dataDir: join(dir, 'data') });
      await persisted.flush();
      const reloaded = testEmulator({ seedFile: join(dir, 'seed.json'), dataDir: join(dir, 'data') });
      expect((await call(reloaded, 'dev', 'GET', '/__emulator/snapshot')).text).toBe(first);

      const seeded = testEmulator();
      expect((await call(seeded, 'dev', 'POST', '/__emulator/seed', { raw: first })).status).toBe(200);
      expect((await call(seeded, 'dev', 'GET', '/__emulator/snapshot')).text).toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
