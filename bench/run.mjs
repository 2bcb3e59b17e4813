// `npm run bench` (after the build): start-up to first 200, authed-GET throughput against bare Hono, and the
// log-storage benchmark (1,000,000 entries). Benchmarks are never part of `npm test`.
// Usage: node bench/run.mjs [startup|throughput|logs ...]
import { spawnSync } from 'node:child_process';

const all = { startup: 'bench/startup.mjs', throughput: 'bench/throughput.mjs', logs: 'bench/logs.mjs' };
const picked = process.argv.slice(2).filter((a) => a in all);
const scripts = (picked.length ? picked : Object.keys(all)).map((k) => all[k]);
let failed = false;
for (const s of scripts) {
  console.log(`\n== ${s}`);
  const r = spawnSync(process.execPath, ['--expose-gc', s], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
