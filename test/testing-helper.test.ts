// CI suites: `tenant-emulator/testing` used exactly as a user would (imported by package name), the vitest
// globalSetup in a child vitest run, `tenant-emulator credentials --format env` evaluated by bash, `tenant-emulator wait`,
// and SEED_JSON.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startTenantEmulator, type TenantEmulator } from 'tenant-emulator/testing';
import { CLI, banner as bannerOf } from './cli.js';


/** A child process run without blocking this one (the emulator it talks to answers from this process). */
function runAsync(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const ESV = '/environment/variables/esv-ci-flag';

async function json(res: Response): Promise<any> {
  return JSON.parse(await res.text());
}

describe('tenant-emulator/testing in a suite (beforeAll / afterEach reset / afterAll close)', () => {
  let emu: TenantEmulator;
  beforeAll(async () => {
    emu = await startTenantEmulator();
  });
  afterEach(() => emu.reset());
  afterAll(() => emu.close());

  it('listens on free ports and hands out URLs and credentials', async () => {
    expect(Object.keys(emu.urls)).toEqual(['dev', 'staging', 'prod', 'isc']);
    for (const url of Object.values(emu.urls)) expect((await fetch(`${url}/monitoring/health`)).status).toBe(200);
    expect(emu.credentials.environments.dev!.tokenUrl).toBe(`${emu.urls.dev}/am/oauth2/access_token`);
  });

  it('an AIC flow: a token without the OAuth dance writes an ESV that a read then sees', async () => {
    const token = await emu.token('dev', { scopes: ['fr:idc:esv:*'], subject: 'ci-pipeline' });
    const put = await fetch(`${emu.urls.dev}${ESV}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ valueBase64: Buffer.from('on').toString('base64'), expressionType: 'string' }),
    });
    expect(put.status).toBe(200);
    const read = await json(await fetch(`${emu.urls.dev}${ESV}`, { headers: { authorization: `Bearer ${token}` } }));
    expect(read.lastChangedBy).toBe('ci-pipeline');
  });

  it('reset between tests: the previous test left nothing behind', async () => {
    const token = await emu.token('dev', { scopes: ['fr:idc:esv:read'] });
    expect((await fetch(`${emu.urls.dev}${ESV}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });

  it('an ISC flow: a reviewer token by name lists her certifications; advance() moves emulator time', async () => {
    const token = await emu.iscToken('alice.reviewer');
    const certs = await json(await fetch(`${emu.urls.isc}/v3/certifications?reviewer-identity=me`, { headers: { authorization: `Bearer ${token}` } }));
    expect(certs.length).toBeGreaterThan(0);
    const alice = (emu.credentials.environments.isc!.personalAccessTokens as Array<{ ownerId: string; ownerName: string }>).find((p) => p.ownerName === 'alice.reviewer')!;
    expect(certs.every((c: { reviewer: { id: string } }) => c.reviewer.id === alice.ownerId)).toBe(true);
    const before = Date.parse((await json(await fetch(`${emu.urls.dev}/__emulator/clock`))).now);
    await emu.advance(3_600_000);
    const after = Date.parse((await json(await fetch(`${emu.urls.dev}/__emulator/clock`))).now);
    expect(after - before).toBe(3_600_000);
    const snap = await emu.snapshot();
    expect((snap.aic as { environments: unknown[] }).environments).toHaveLength(3);
  });

  it('works from CommonJS too (jest without ESM): require("tenant-emulator/testing")', () => {
    const res = spawnSync(process.execPath, ['-e', "require('tenant-emulator/testing').startTenantEmulator().then(async (e) => { const r = await fetch(e.urls.isc + '/monitoring/health'); console.log(r.status); await e.close(); })"], { encoding: 'utf8', timeout: 30_000 });
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toBe('200');
  });
});

describe('tenant-emulator/vitest-setup (globalSetup)', () => {
  it('a child vitest run reads the URLs and credentials from process.env and inject()', () => {
    const res = spawnSync(process.execPath, [join('node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/fixtures/vitest-global/vitest.config.ts'], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, CI: 'true' } });
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/1 passed/);
  }, 120_000);
});

describe('CLI for CI scripts', { timeout: 90_000 }, () => {
  let emu: TenantEmulator;
  beforeAll(async () => {
    emu = await startTenantEmulator();
  });
  afterAll(() => emu.close());

  it('credentials --format env, eval-ed in bash, gives working credentials', async () => {
    const script = `set -e; eval "$("${process.execPath}" "${CLI}" credentials --url ${emu.urls.dev} --format env)"; printf '%s\\n' "$AIC_STAGING_TOKEN_URL" "$AIC_STAGING_CLIENT_ID" "$AIC_STAGING_CLIENT_SECRET" "$AIC_DEV_SA_JWK" "$ISC_TOKEN_URL" "$ISC_PAT_ALICE_REVIEWER_CLIENT_ID" "$ISC_PAT_ALICE_REVIEWER_CLIENT_SECRET" "$AIC_DEV_LOG_API_KEY"`;
    const res = await runAsync('bash', ['-c', script]);
    expect(res.status, res.stderr).toBe(0);
    const [tokenUrl, clientId, clientSecret, jwk, iscTokenUrl, patId, patSecret, logKey] = res.stdout.trimEnd().split('\n');
    expect(tokenUrl).toBe(`${emu.urls.staging}/am/oauth2/access_token`);
    expect(JSON.parse(jwk!)).toEqual((emu.credentials.environments.dev!.serviceAccounts as Array<{ privateJwk: unknown }>)[0]!.privateJwk);
    expect(logKey).toMatch(/\S/);
    // the values work: a client-credentials token for staging, a PAT token for ISC
    const aic = await fetch(tokenUrl!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId!, client_secret: clientSecret!, scope: 'fr:idc:esv:read' }) });
    expect(aic.status).toBe(200);
    const isc = await fetch(iscTokenUrl!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: patId!, client_secret: patSecret! }) });
    expect(isc.status).toBe(200);
    const { access_token } = await json(isc);
    expect((await fetch(`${emu.urls.isc}/v3/certifications?reviewer-identity=me`, { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(200);
  });

  it('credentials --env picks one environment; --format json is the control-plane document', async () => {
    const res = await runAsync(process.execPath, [CLI, 'credentials', '--url', emu.urls.dev!, '--env', 'isc']);
    expect(res.status, res.stderr).toBe(0);
    expect(Object.keys(JSON.parse(res.stdout).environments)).toEqual(['isc']);
    const bad = await runAsync(process.execPath, [CLI, 'credentials', '--url', emu.urls.dev!, '--env', 'qa']);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('tenant-emulator: no environment qa (the emulator has dev, staging, prod, isc)');
  });

  it('wait exits 0 against a running emulator and 1 within its timeout against a closed port', async () => {
    const up = await runAsync(process.execPath, [CLI, 'wait', '--url', emu.urls.prod!, '--timeout', '10s']);
    expect(up.status, up.stderr).toBe(0);
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const t0 = Date.now();
    const down = await runAsync(process.execPath, [CLI, 'wait', '--url', `http://127.0.0.1:${closed}`, '--timeout', '1s']);
    expect(down.status).toBe(1);
    expect(down.stderr.trim()).toBe(`tenant-emulator: http://127.0.0.1:${closed}/monitoring/health did not answer 200 within 1s`);
    // the timeout is honoured (node start-up aside)
    expect(Date.now() - t0).toBeLessThan(8_000);
  });
});

describe('SEED_JSON', { timeout: 90_000 }, () => {
  it('an inline fixture seeds the emulator; a bad one is one line naming the JSON path', async () => {
    const fixture = readFileSync('seeds/examples/ci-small.json', 'utf8');
    const child = spawn(process.execPath, [CLI, 'start', '--port', '0'], { env: { ...process.env, SEED_JSON: fixture, SEED: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const banner = await bannerOf(child);
      expect(banner).toContain('seed: SEED_JSON');
      // ci-small declares dev → prod only
      expect(banner).toMatch(/AIC\s+prod\s+http/);
      expect(banner).not.toMatch(/AIC\s+staging/);
    } finally {
      child.kill('SIGKILL');
    }
    const bad = spawnSync(process.execPath, [CLI, 'start', '--port', '0'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SEED_JSON: JSON.stringify({ fakerSeed: -1 }) } });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^tenant-emulator: invalid fixture SEED_JSON: \$\.fakerSeed: /);
    const notJson = spawnSync(process.execPath, [CLI, 'start', '--port', '0'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SEED_JSON: '{"aic":' } });
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toMatch(/^tenant-emulator: SEED_JSON is not JSON: /);
  });
});
