// Start-up: time from spawning `node dist/cli.js start` to the first 200 on /monitoring/health (budget 300 ms),
// next to a bare Hono server measured the same way. Usage: node bench/startup.mjs [runs=5]
import { spawn } from 'node:child_process';
import http from 'node:http';

const runs = Number(process.argv[2] ?? 5);
const BARE = `import { Hono } from 'hono'; import { serve } from '@hono/node-server';
const app = new Hono(); app.get('/monitoring/health', (c) => c.text('OK'));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });`;

function probe(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/monitoring/health' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });
}

async function time(args, port) {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: 'ignore', env: { ...process.env, PORT: String(port) } });
  while (!(await probe(port))) await new Promise((r) => setTimeout(r, 2));
  const ms = performance.now() - t0;
  child.kill();
  await new Promise((r) => child.on('exit', r));
  return ms;
}

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const emu = [];
const bare = [];
for (let i = 0; i < runs; i++) {
  emu.push(await time(['dist/cli.js', 'start', '--port', '18580'], 18580));
  bare.push(await time(['--input-type=module', '-e', BARE], 18590));
}
console.log(`start-up to first 200: emulator median ${median(emu).toFixed(0)} ms (runs: ${emu.map((x) => x.toFixed(0)).join(', ')}), bare Hono median ${median(bare).toFixed(0)} ms`);
