// `npm run bench` (after the build): throughput under autocannon against bare Hono (authed GETs, health, ESV PUT with a
// data dir), cold start to first 200 against bare Hono, the log-storage benchmark (1,000,000 entries) and log-store
// memory per request (in-process; `memory` drives 1.5M requests through a listener). Each writes
// its section of bench/results.json. Benchmarks are never part of `npm test`.
// Options after the names go to the throughput and writes scripts (e.g. `npm run bench -- throughput --duration 5`).
// Usage: node bench/run.mjs [throughput|startup|logs|memory-inprocess|memory|writes ...]
import { spawnSync } from 'node:child_process';

const all = { throughput: 'bench/throughput.mjs', startup: 'bench/startup.mjs', logs: 'bench/logs.mjs', 'memory-inprocess': 'bench/memory-inprocess.mjs', memory: 'bench/memory.mjs', writes: 'bench/writes.mjs' };
// bench/memory.mjs drives 1,500,000 requests through a listener (minutes), bench/writes.mjs seeds a 10 MB state: only
// when named
const defaults = ['throughput', 'startup', 'logs', 'memory-inprocess'];
const picked = process.argv.slice(2).filter((a) => a in all);
const passThrough = process.argv.slice(2).filter((a) => !(a in all));
const scripts = (picked.length ? picked : defaults).map((k) => all[k]);
let failed = false;
for (const s of scripts) {
  console.log(`\n== ${s}`);
  const r = spawnSync(process.execPath, ['--expose-gc', s, ...(s.endsWith('throughput.mjs') || s.endsWith('writes.mjs') ? passThrough : [])], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
