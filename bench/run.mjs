// `npm run bench` (after the build): throughput under autocannon against bare Hono (authed GETs, health, ESV PUT with a
// data dir), cold start to first 200 against bare Hono, and the log-storage benchmark (1,000,000 entries). Each writes
// its section of bench/results.json. Benchmarks are never part of `npm test`.
// Options after the names go to the throughput script (e.g. `npm run bench -- throughput --duration 5`).
// Usage: node bench/run.mjs [startup|throughput|logs ...]
import { spawnSync } from 'node:child_process';

const all = { throughput: 'bench/throughput.mjs', startup: 'bench/startup.mjs', logs: 'bench/logs.mjs' };
const picked = process.argv.slice(2).filter((a) => a in all);
const passThrough = process.argv.slice(2).filter((a) => !(a in all));
const scripts = (picked.length ? picked : Object.keys(all)).map((k) => all[k]);
let failed = false;
for (const s of scripts) {
  console.log(`\n== ${s}`);
  const r = spawnSync(process.execPath, ['--expose-gc', s, ...(s.endsWith('throughput.mjs') ? passThrough : [])], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
