// `npm run bench` (after the build): the log-storage benchmark, then start-up and throughput when asked.
// Usage: node bench/run.mjs [--all]
import { spawnSync } from 'node:child_process';

const scripts = ['bench/logs.mjs'];
if (process.argv.includes('--all')) scripts.push('bench/startup.mjs', 'bench/throughput.mjs');
let failed = false;
for (const s of scripts) {
  console.log(`\n== ${s}`);
  const r = spawnSync(process.execPath, ['--expose-gc', s], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
