// Log storage benchmark (issue 6 "Performance"): with 1,000,000 stored entries, a one-hour /monitoring/logs query for
// one source and a /monitoring/logs/tail call must each answer in < 50 ms. Requests go through the environment's
// Hono app in-process (routing, API-key check, rate limiter, JSON), after a synthetic 1M-entry history is appended.
// Usage: node --expose-gc bench/logs.mjs [entries=1000000] [runs=30]
import { createEmulator } from '../dist/index.js';
import { writeResults } from './results.mjs';

const N = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 30);
const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const SPAN = 24 * 3600_000; // the history covers the last 24 h

const emu = createEmulator({ clock: { frozen: true, startAt: NOW } });
const env = emu.env('dev');
env.slice('logs').rateLimit = 1_000_000;
const key = env.slice('credentials').logApiKeys[0];
const headers = { 'x-api-key': key.id, 'x-api-secret': key.secret };

// the worst case for a one-source query: 70 % of all entries in am-access, the rest over five other sources
const others = ['am-authentication', 'am-core', 'idm-access', 'idm-activity', 'idm-core'];
let t0 = performance.now();
for (let i = 0; i < N; i++) {
  const t = NOW - SPAN + Math.floor((i * SPAN) / N);
  const source = i % 10 < 7 ? 'am-access' : others[i % others.length];
  env.logbook.append(
    source,
    { _id: `id-${i}`, eventName: 'AM-ACCESS-OUTCOME', level: i % 97 === 0 ? 'ERROR' : 'INFO', transactionId: `tx-${i}/0`, client: { ip: `10.0.${i % 255}.${i % 7}` }, response: { elapsedTime: i % 500 } },
    t,
  );
}
const fillMs = performance.now() - t0;
// settle the heap after the bulk fill so the first measurements don't pay its major GC (run.mjs passes --expose-gc)
globalThis.gc?.();

async function get(path) {
  const res = await emu.request('dev', path, { headers });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function measure(label, path) {
  const times = [];
  let count = 0;
  for (let i = 0; i < RUNS + 5; i++) {
    const s = performance.now();
    const body = await get(typeof path === 'function' ? path(i) : path);
    const ms = performance.now() - s;
    if (i >= 5) times.push(ms); // warm-up
    count = body.result.length;
  }
  times.sort((a, b) => a - b);
  const p = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { label, results: count, median: p(0.5), p95: p(0.95), max: times[times.length - 1] };
}

const q = (o) => new URLSearchParams(o).toString();
const hourAgo = new Date(NOW - 3600_000).toISOString();
const now = new Date(NOW).toISOString();

const rows = [];
rows.push(await measure('one-hour query, one source (1000 of ~29k)', `/monitoring/logs?${q({ source: 'am-access', beginTime: hourAgo, endTime: now })}`));
rows.push(await measure('one-hour query, am-everything (merge of 3 sources)', `/monitoring/logs?${q({ source: 'am-everything', beginTime: hourAgo, endTime: now })}`));
rows.push(await measure('one-hour query, one source, _queryFilter level eq ERROR', `/monitoring/logs?${q({ source: 'am-access', beginTime: hourAgo, endTime: now, _queryFilter: '/payload/level eq "ERROR"' })}`));
{
  // page 2 of the one-hour query: the cookie seeks by binary search
  const first = await get(`/monitoring/logs?${q({ source: 'am-access', beginTime: hourAgo, endTime: now })}`);
  rows.push(await measure('one-hour query, one source, next page via cookie', `/monitoring/logs?${q({ source: 'am-access', beginTime: hourAgo, endTime: now, _pagedResultsCookie: first.pagedResultsCookie })}`));
}
rows.push(await measure('tail, first call (last 15 s), am-everything', `/monitoring/logs/tail?${q({ source: 'am-everything' })}`));
{
  const first = await get(`/monitoring/logs/tail?${q({ source: 'am-everything,idm-everything' })}`);
  rows.push(await measure('tail with cookie, am-everything,idm-everything', `/monitoring/logs/tail?${q({ source: 'am-everything,idm-everything', _pagedResultsCookie: first.pagedResultsCookie })}`));
}
rows.push(await measure('transactionId over the default 24 h, one source (full-window scan)', `/monitoring/logs?${q({ source: 'am-access', transactionId: `tx-${Math.floor(N / 2) - (Math.floor(N / 2) % 10)}` })}`));

console.log(`logs bench: ${N.toLocaleString('en')} entries appended in ${fillMs.toFixed(0)} ms (${((fillMs * 1000) / N).toFixed(2)} µs/entry); ${RUNS} runs each`);
console.log('query'.padEnd(72), 'results'.padStart(8), 'median ms'.padStart(10), 'p95 ms'.padStart(8), 'max ms'.padStart(8));
for (const r of rows) console.log(r.label.padEnd(72), String(r.results).padStart(8), r.median.toFixed(2).padStart(10), r.p95.toFixed(2).padStart(8), r.max.toFixed(2).padStart(8));
const budget = rows.filter((r) => /^one-hour query, one source \(|^tail/.test(r.label));
const ok = budget.every((r) => r.median < 50);
console.log(`load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(ok ? 'PASS: one-hour one-source query and tail answer in < 50 ms (median; p95 shown for noise)' : 'FAIL: over the 50 ms budget');
writeResults('logs', { when: new Date().toISOString(), entries: N, runs: RUNS, fillMs: Math.round(fillMs), rows: rows.map((r) => ({ ...r, median: Number(r.median.toFixed(2)), p95: Number(r.p95.toFixed(2)), max: Number(r.max.toFixed(2)) })), pass: ok });
process.exitCode = ok ? 0 : 1;
