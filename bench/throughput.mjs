// Throughput of an authenticated, stateful GET on the emulator versus a bare Hono route, measured in the same run
// (target: ≥ 60 % of bare Hono). Both servers run in child processes; this process drives keep-alive load on loopback
// for a bounded time, then stops them. Usage: node bench/throughput.mjs [seconds=5] [concurrency=32]
import { spawn } from 'node:child_process';
import http from 'node:http';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 32);

const BARE = `
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono();
// the same-sized body the emulator returns for one variable, from a constant: no auth, no state, no logging
const body = { _id: 'esv-smtp-host', description: 'Outbound SMTP server for email notifications', expressionType: 'string', lastChangeDate: '2025-07-24T15:19:29.371242Z', lastChangedBy: '55ed8d3f-2367-421a-ad51-c4ea47893289', loaded: true, valueBase64: 'c210cC5kZXYuZXhhbXBsZS5jb20=' };
app.get('/environment/variables/:name', (c) => c.json(body));
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log('PORT ' + info.port));
`;

const EMU = `
import { createEmulator, listen } from './dist/index.js';
const emu = createEmulator({ port: 0 });
await listen(emu);
console.log('PORT ' + emu.env('dev').port);
`;

function startServer(code) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (c) => reject(new Error('server exited ' + c)));
  });
}

function request(agent, port, path, headers) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
  });
}

async function load(port, path, headers) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  // warm-up
  for (let i = 0; i < 200; i++) await request(agent, port, path, headers);
  let count = 0;
  let bad = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const status = await request(agent, port, path, headers);
        if (status === 200) count++;
        else bad++;
      }
    }),
  );
  agent.destroy();
  return { rps: count / seconds, bad };
}

const bare = await startServer(BARE);
const emu = await startServer(EMU);
try {
  const tokenRes = await fetch(`http://127.0.0.1:${emu.port}/__emulator/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ env: 'dev', subject: 'bench-sa', scopes: ['fr:idc:esv:*'], expiresIn: 86400 }),
  });
  const { access_token } = await tokenRes.json();
  const auth = { authorization: `Bearer ${access_token}` };
  const path = '/environment/variables/esv-smtp-host';
  const probe = await fetch(`http://127.0.0.1:${emu.port}${path}`, { headers: auth });
  if (probe.status !== 200) throw new Error(`authed GET answered ${probe.status}`);
  const b = await load(bare.port, path, {});
  const e = await load(emu.port, path, auth);
  const list = await load(emu.port, '/environment/variables', auth);
  console.log(`bare Hono route (same-size constant body):      ${b.rps.toFixed(0)} req/s`);
  console.log(`emulator authed GET ${path}: ${e.rps.toFixed(0)} req/s (${e.bad} non-200)`);
  console.log(`emulator authed GET /environment/variables (list, 2.3 KB): ${list.rps.toFixed(0)} req/s`);
  console.log(`ratio: ${((e.rps / b.rps) * 100).toFixed(1)} % of bare Hono (target ≥ 60 %)`);
} finally {
  bare.child.kill();
  emu.child.kill();
}
