// The real process: CLI commands, banner, SIGTERM, and persistence across kill -9 (a data-dir round trip).
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, banner } from './cli.js';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Start the CLI and resolve with the dev URL from its banner. */
function start(args: string[]): Promise<{ child: ChildProcess; devUrl: string; banner: string }> {
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return banner(child).then((out) => {
    const m = /AIC\s+dev\s+(http:\/\/\S+)/.exec(out);
    if (!m) throw new Error(`no dev URL in the banner: ${out}`);
    return { child, devUrl: m[1]!, banner: out };
  });
}

describe('CLI', () => {
  it('validate: exits 0 for a good fixture, 1 with every bad JSON path otherwise', () => {
    const ok = spawnSync(process.execPath, [CLI, 'validate', 'seeds/default.json'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'emu-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ aic: { environments: [{ name: 'dev', oauthClients: [{ clientId: '' }] }] }, isc: { name: 'NOPE' } }));
    const res = spawnSync(process.execPath, [CLI, 'validate', bad], { encoding: 'utf8' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('$.aic.environments[0].oauthClients[0].clientId');
    expect(res.stderr).toContain('$.aic.environments[0].oauthClients[0].clientSecret');
    expect(res.stderr).toContain('$.isc.name');
    rmSync(dir, { recursive: true });
  });

  it('schema prints the fixture JSON Schema', () => {
    const res = spawnSync(process.execPath, [CLI, 'schema'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    const schema = JSON.parse(res.stdout);
    expect(schema.type).toBe('object');
    expect(schema.properties.aic).toBeDefined();
  });

  it('start refuses an invalid seed file, naming the bad path, and never listens', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ fakerSeed: -1 }));
    const res = spawnSync(process.execPath, [CLI, 'start', '--seed', bad, '--port', '0'], { encoding: 'utf8', timeout: 30_000 });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('$.fakerSeed');
    rmSync(dir, { recursive: true });
  });
});

describe('server process', () => {
  it('prints the banner, answers health, and stops cleanly on SIGTERM within 2 s', { timeout: 60_000 }, async () => {
    const { child, devUrl, banner } = await start([]);
    expect(banner).toMatch(/ISC\s+isc\s+http:\/\/127\.0\.0\.1:\d+/);
    const res = await fetch(`${devUrl}/monitoring/health`);
    expect(res.status).toBe(200);
    const t0 = Date.now();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('with --data-dir, kill -9 in the middle of concurrent writes loses no acknowledged write (journal, docs/persistence.md)', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-data-'));
    try {
      const first = await start(['--data-dir', dir]);
      const tokenOf = async (url: string) => ((await (await fetch(`${url}/__emulator/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env: 'dev', subject: 'crash-test', scopes: ['fr:idc:esv:*'] }) })).json()) as any).access_token as string;
      const headers = { authorization: `Bearer ${await tokenOf(first.devUrl)}`, 'content-type': 'application/json' };
      const acked = new Map<string, string>();
      let next = 0;
      let killed = false;
      // 8 writers in parallel: new variables (inserted into the sorted list) and updates of earlier ones
      const writer = async () => {
        while (!killed) {
          const i = next++;
          const name = `esv-crash-${i % 40}`;
          const value = Buffer.from(`value-${i}`).toString('base64');
          try {
            const res = await fetch(`${first.devUrl}/environment/variables/${name}`, { method: 'PUT', headers, body: JSON.stringify({ valueBase64: value, expressionType: 'string' }) });
            if (res.status === 200 || res.status === 201) acked.set(name, value);
          } catch {
            return; // the process is gone
          }
          if (acked.size >= 30 && i >= 120 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, writer));
      await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode ? r(undefined) : first.child.on('exit', r)));
      const second = await start(['--data-dir', dir]);
      const h2 = { authorization: `Bearer ${await tokenOf(second.devUrl)}` };
      const list = ((await (await fetch(`${second.devUrl}/environment/variables`, { headers: h2 })).json()) as any).result as Array<{ _id: string; valueBase64: string }>;
      const have = new Map(list.map((v) => [v._id, v.valueBase64]));
      // every acknowledged write is there; a write in flight at the kill may or may not be (it was never answered)
      for (const [name, value] of acked) {
        const got = have.get(name);
        expect(got, name).toBeDefined();
        if (got !== value) expect(Number(Buffer.from(got!, 'base64').toString().slice(6)), name).toBeGreaterThan(Number(Buffer.from(value, 'base64').toString().slice(6)));
      }
      second.child.kill('SIGKILL');
      await new Promise((r) => second.child.on('exit', r));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with --data-dir, group commit under 32 concurrent writers: every acknowledged write survives kill -9 (docs/persistence.md)', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-data-'));
    try {
      const first = await start(['--data-dir', dir]);
      const tokenOf = async (url: string) => ((await (await fetch(`${url}/__emulator/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env: 'dev', subject: 'crash-test', scopes: ['fr:idc:esv:*'] }) })).json()) as any).access_token as string;
      const headers = { authorization: `Bearer ${await tokenOf(first.devUrl)}`, 'content-type': 'application/json' };
      // each writer owns one variable and writes 1, 2, 3 … to it: the last acknowledged count must be on disk
      const acked = new Map<string, number>();
      let total = 0;
      let killed = false;
      const writer = async (w: number) => {
        const name = `esv-group-${String(w).padStart(2, '0')}`;
        for (let n = 1; !killed; n++) {
          let res: { status: number; text: string };
          try {
            const r = await fetch(`${first.devUrl}/environment/variables/${name}`, { method: 'PUT', headers, body: JSON.stringify({ valueBase64: Buffer.from(String(n)).toString('base64'), expressionType: 'int' }) });
            res = { status: r.status, text: await r.text() };
          } catch {
            return; // the process is gone
          }
          expect(res.status, res.text).toBeLessThan(300);
          acked.set(name, n);
          if (++total >= 400 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 32 }, (_, w) => writer(w)));
      await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode ? r(undefined) : first.child.on('exit', r)));
      const second = await start(['--data-dir', dir]);
      const list = ((await (await fetch(`${second.devUrl}/environment/variables`, { headers: { authorization: `Bearer ${await tokenOf(second.devUrl)}` } })).json()) as any).result as Array<{ _id: string; valueBase64: string }>;
      const have = new Map(list.map((v) => [v._id, Number(Buffer.from(v.valueBase64, 'base64').toString())]));
      expect(acked.size).toBe(32);
      // a write in flight at the kill may be there too (it was never answered), never one less than acknowledged
      for (const [name, n] of acked) expect(have.get(name), name).toBeGreaterThanOrEqual(n);
      second.child.kill('SIGKILL');
      await new Promise((r) => second.child.on('exit', r));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with --data-dir, state written before kill -9 is there after restart and the file always parses', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-data-'));
    try {
      const first = await start(['--data-dir', dir]);
      const snap = (await (await fetch(`${first.devUrl}/__emulator/snapshot`)).json()) as any;
      snap.aic.environments[0].governance.users[0].givenName = 'Persisted';
      const seeded = await fetch(`${first.devUrl}/__emulator/seed`, { method: 'POST', body: JSON.stringify(snap), headers: { 'content-type': 'application/json' } });
      expect(seeded.status).toBe(200);
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.on('exit', r));
      const onDisk = JSON.parse(readFileSync(join(dir, 'dev.json'), 'utf8'));
      expect(onDisk.governance.users[0].givenName).toBe('Persisted');
      const second = await start(['--data-dir', dir]);
      const again = (await (await fetch(`${second.devUrl}/__emulator/snapshot`)).json()) as any;
      expect(again.aic.environments[0].governance.users[0].givenName).toBe('Persisted');
      second.child.kill('SIGKILL');
      await new Promise((r) => second.child.on('exit', r));
      // emulator time resumes from the last write, it does not fall back to real time
      const third = await start(['--data-dir', dir, '--frozen']);
      const advanced = await fetch(`${third.devUrl}/__emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 86_400_000 }), headers: { 'content-type': 'application/json' } });
      const at = ((await advanced.json()) as any).now as string;
      third.child.kill('SIGKILL');
      await new Promise((r) => third.child.on('exit', r));
      const fourth = await start(['--data-dir', dir, '--frozen']);
      const clock = (await (await fetch(`${fourth.devUrl}/__emulator/clock`)).json()) as any;
      expect(Date.parse(clock.now)).toBeGreaterThanOrEqual(Date.parse(at));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
