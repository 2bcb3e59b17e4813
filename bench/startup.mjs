// Cold start: from spawning the process to the first 200 on /monitoring/health from all four environments' listeners
// (dev, staging, prod, isc), against a bare Hono process opening four listeners, measured alternately in the same run
// (issue #17 target: emulator < 1.5× bare Hono). Usage: node bench/startup.mjs [runs=7]
import { spawn } from 'node:child_process';
import http from 'node:http';
import { loadavg } from 'node:os';
import { writeResults } from './results.mjs';

const runs = Number(process.argv[2] ?? 7);
const BARE = `import { Hono } from 'hono'; import { serve } from '@hono/node-server';
const app = new Hono(); app.get('/monitoring/health', (c) => c.text('OK'));
for (let i = 0; i < 4; i++) serve({ fetch: app.fetch, port: Number(process.env.PORT) + i, hostname: '127.0.0.1' });`;

function probe(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/monitoring/health', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
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
  child.kill();
  await new Promise((r) => child.on('exit', r));
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = 20000 + Math.floor(Math.random() * 20000);
const emu = [];
const bare = [];
const load0 = loadavg();
for (let i = 0; i < runs; i++) {
  bare.push(await time(['--input-type=module', '-e', BARE], base + 10));
  emu.push(await time(['dist/cli.js', 'start', '--port', String(base)], base));
}
const ratio = median(emu) / median(bare);
console.log(`cold start to first 200 on all four environments: emulator median ${median(emu).toFixed(0)} ms (runs: ${emu.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`bare Hono (four listeners) median ${median(bare).toFixed(0)} ms (runs: ${bare.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`ratio ${ratio.toFixed(2)}× (target < 1.5×) ${ratio < 1.5 ? 'PASS' : 'FAIL'}; load average ${load0.map((x) => x.toFixed(1)).join(' ')}`);
writeResults('startup', { when: new Date().toISOString(), runs, emulatorMedianMs: Math.round(median(emu)), bareMedianMs: Math.round(median(bare)), ratio: Number(ratio.toFixed(2)), emulatorRunsMs: emu.map(Math.round), bareRunsMs: bare.map(Math.round), loadavg: load0 });
