// Write latency with a data dir (issue #19 item 8, docs/persistence.md): authenticated ESV PUTs through a listener
// (autocannon), on an emulator whose dev state is ~10 MB (the default seed plus thousands of large ESV variables)
// and on the default seed (a few hundred KB). Each PUT updates one existing variable in place; the response is sent
// after the write is on disk (the acknowledged-write guarantee), so its latency includes the persistence cost.
// Usage: node bench/writes.mjs [--duration 10] [--connections 10] [--mb 10] [--dist dist] [--label journal]
//   --dist: the built emulator to load (another worktree's dist/ measures another version on the same machine)
// Writes the `writes` section of bench/results.json (keyed by --label, so several versions can be recorded).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { writeResults } from './results.mjs';
import { startServer } from './spawn.mjs';

const { values: opt } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    mb: { type: 'string', default: '10' },
    dist: { type: 'string', default: 'dist' },
    label: { type: 'string', default: 'journal' },
  },
});
const DIST = resolve(opt.dist, 'index.js');
const tmp = mkdtempSync(join(tmpdir(), 'emu-bench-writes-'));

const VALUE = Buffer.from('v'.repeat(750)).toString('base64'); // 1,000 characters of valueBase64 per variable
function fixtureOf(mb) {
  const fixture = JSON.parse(readFileSync('seeds/default.json', 'utf8'));
  if (mb > 0) {
    const dev = fixture.aic.environments.find((e) => e.name === 'dev');
    // ~1.2 KB per variable in the pretty-printed snapshot
    const n = Math.round((mb * 1024 * 1024) / 1200);
    for (let i = 0; i < n; i++) {
      dev.esv.variables.push({ _id: `esv-bulk-${String(i).padStart(6, '0')}`, description: `bulk variable ${i} for the write benchmark`, expressionType: 'string', valueBase64: VALUE, lastChangeDate: '2025-10-09T04:55:11.151401Z', lastChangedBy: 'bench', loaded: true });
    }
  }
  return fixture;
}

function start(fixtureFile, dataDir) {
  const code = `
import { readFileSync } from 'node:fs';
import { createEmulator, listen } from ${JSON.stringify(DIST)};
const emu = createEmulator({ port: 0, fixture: JSON.parse(readFileSync(${JSON.stringify(fixtureFile)}, 'utf8')), dataDir: ${JSON.stringify(dataDir)} });
await listen(emu);
console.log('READY ' + JSON.stringify({ aic: emu.env('dev').port }));
`;
  return startServer(code);
}

const cannon = (opts) => new Promise((res, rej) => autocannon({ connections: Number(opt.connections), pipelining: 1, ...opts }, (e, r) => (e ? rej(e) : res(r))));
const sizes = (dir) => Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).size]));

async function run(name, mb) {
  const fixtureFile = join(tmp, `${name}.json`);
  writeFileSync(fixtureFile, JSON.stringify(fixtureOf(mb)));
  const dataDir = join(tmp, `data-${name}`);
  const emu = await start(fixtureFile, dataDir);
  try {
    const base = `http://127.0.0.1:${emu.aic}`;
    const tokRes = await fetch(`${base}/__emulator/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env: 'dev', subject: 'bench-sa', scopes: ['fr:idc:esv:*'], expiresIn: 86400 }) });
    const headers = { authorization: `Bearer ${(await tokRes.json()).access_token}`, 'content-type': 'application/json' };
    const target = mb > 0 ? `esv-bulk-${String(Math.round((mb * 1024 * 1024) / 2400)).padStart(6, '0')}` : 'esv-email-from';
    const url = `${base}/environment/variables/${target}`;
    const body = JSON.stringify({ valueBase64: Buffer.from('bench-value').toString('base64'), description: 'written by the bench' });
    // the first write after start-up writes the whole snapshot (docs/persistence.md); measure from the second on
    const probe = await fetch(url, { method: 'PUT', headers, body });
    if (probe.status >= 300) throw new Error(`PUT ${target}: ${probe.status} ${await probe.text()}`);
    const before = sizes(dataDir);
    await cannon({ url, method: 'PUT', headers, body, duration: Number(opt.warmup) });
    const load0 = loadavg();
    const r = await cannon({ url, method: 'PUT', headers, body, duration: Number(opt.duration) });
    const load1 = loadavg();
    const row = {
      state: name,
      stateFileBytes: before['dev.json'],
      reqPerSec: Math.round(r.requests.average),
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      requests: r.requests.total,
      non2xx: r.non2xx + r.errors + r.timeouts,
      filesAfter: sizes(dataDir),
      loadavgBefore: load0.map((x) => Number(x.toFixed(2))),
      loadavgAfter: load1.map((x) => Number(x.toFixed(2))),
    };
    console.log(`${opt.label} ${name} (dev.json ${(row.stateFileBytes / 1048576).toFixed(1)} MB): ${row.reqPerSec} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, max ${row.max} ms, ${row.non2xx} non-2xx; load ${row.loadavgBefore.join(' ')} → ${row.loadavgAfter.join(' ')}; files after ${JSON.stringify(row.filesAfter)}`);
    return row;
  } finally {
    emu.child.kill();
  }
}

try {
  const rows = [await run('small', 0), await run(`${opt.mb}MB`, Number(opt.mb))];
  const file = new URL('./results.json', import.meta.url);
  let prior = {};
  try {
    prior = JSON.parse(readFileSync(file, 'utf8')).writes ?? {};
  } catch {
    /* first run */
  }
  writeResults('writes', { ...prior, [opt.label]: { when: new Date().toISOString(), node: process.version, cpus: cpus().length, autocannon: { connections: Number(opt.connections), durationSeconds: Number(opt.duration) }, rows } });
  console.log('\n| version | state | dev.json | req/s | p50 ms | p99 ms | max ms | load average (1/5/15 min) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${opt.label} | ${r.state} | ${(r.stateFileBytes / 1048576).toFixed(1)} MB | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.max} | ${r.loadavgBefore.join(' / ')} |`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
