// Cold start: from spawning the process to the first 200 on /monitoring/health from all four environments' listeners
// (dev, staging, prod, isc), against a bare Hono process opening four listeners, measured alternately in the same run
// (issue #17 target: emulator < 1.5× bare Hono). A second measure goes on to the first answer of a product API route
// on every environment (an unauthenticated ESV list on the three AIC ones, the ISC certification list on ISC: 401 from
// both servers): the emulator registers a product's routes on its first request that is not a health check, so the
// health-only figure does not show that cost and this one does (what a CI job that waits for health, then calls the
// API, waits in all). Usage: node bench/startup.mjs [runs=7]
import { spawn } from 'node:child_process';
import http from 'node:http';
import { loadavg } from 'node:os';
import { writeResults } from './results.mjs';

const runs = Number(process.argv[2] ?? 7);
const BARE = `import { Hono } from 'hono'; import { serve } from '@hono/node-server';
const app = new Hono(); app.get('/monitoring/health', (c) => c.text('OK'));
// the same first API calls as the emulator's, answered 401 (no auth state, no routes beyond these)
app.get('/environment/variables', (c) => c.json({ code: 401, reason: 'Unauthorized', message: 'Access Denied' }, 401));
app.get('/v3/certifications', (c) => c.json({ error: 'JWT validation failed: JWT is missing' }, 401));
for (let i = 0; i < 4; i++) serve({ fetch: app.fetch, port: Number(process.env.PORT) + i, hostname: '127.0.0.1' });`;

function probe(port, path = '/monitoring/health', status = 200) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === status);
    });
    req.on('error', () => resolve(false));
  });
}

async function time(args, port) {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: 'ignore', env: { ...process.env, PORT: String(port) } });
  const pending = new Set([port, port + 1, port + 2, port + 3]);
  while (pending.size) {
    for (const p of [...pending]) if (await probe(p)) pending.delete(p);
    if (pending.size) await new Promise((r) => setTimeout(r, 2));
  }
  const ms = performance.now() - t0;
  // then the first product API answer on each environment (ports P..P+2 are AIC, P+3 is ISC)
  const api = await Promise.all([0, 1, 2, 3].map((i) => probe(port + i, i < 3 ? '/environment/variables' : '/v3/certifications', 401)));
  const apiMs = performance.now() - t0;
  if (!api.every(Boolean)) throw new Error(`first API answer was not a 401 on one of ports ${port}..${port + 3}`);
  child.kill();
  await new Promise((r) => child.on('exit', r));
  return { ms, apiMs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = 20000 + Math.floor(Math.random() * 20000);
const emu = [];
const bare = [];
const emuApi = [];
const bareApi = [];
const load0 = loadavg();
for (let i = 0; i < runs; i++) {
  const b = await time(['--input-type=module', '-e', BARE], base + 10);
  const e = await time(['dist/cli.js', 'start', '--port', String(base)], base);
  bare.push(b.ms);
  bareApi.push(b.apiMs);
  emu.push(e.ms);
  emuApi.push(e.apiMs);
}
const ratio = median(emu) / median(bare);
const apiRatio = median(emuApi) / median(bareApi);
console.log(`cold start to first 200 on all four environments: emulator median ${median(emu).toFixed(0)} ms (runs: ${emu.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`bare Hono (four listeners) median ${median(bare).toFixed(0)} ms (runs: ${bare.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`ratio ${ratio.toFixed(2)}× (target < 1.5×) ${ratio < 1.5 ? 'PASS' : 'FAIL'}; load average ${load0.map((x) => x.toFixed(1)).join(' ')}`);
console.log(`to the first product API answer on all four (health first, then one API call each): emulator median ${median(emuApi).toFixed(0)} ms (runs: ${emuApi.map((x) => x.toFixed(0)).join(', ')}), bare Hono ${median(bareApi).toFixed(0)} ms: ratio ${apiRatio.toFixed(2)}× (INFO: issue #17's target is the first 200 above; this one also counts registering a product's routes)`);
writeResults('startup', { when: new Date().toISOString(), runs, emulatorMedianMs: Math.round(median(emu)), bareMedianMs: Math.round(median(bare)), ratio: Number(ratio.toFixed(2)), emulatorRunsMs: emu.map(Math.round), bareRunsMs: bare.map(Math.round), emulatorFirstApiMedianMs: Math.round(median(emuApi)), bareFirstApiMedianMs: Math.round(median(bareApi)), firstApiRatio: Number(apiRatio.toFixed(2)), loadavg: load0 });
