// Log storage benchmark (issue #17): with 1,000,000 stored entries, a one-hour /monitoring/logs query for one source
// and a /monitoring/logs/tail call with cookie must each answer in < 50 ms — through a real listener, as frodo
// `log fetch` / `log tail` reach it. Each query is timed twice: in-process through the environment's Hono app
// (routing, API-key check, rate limiter, JSON) and through `listen()` (src/server.ts) over loopback HTTP with the body
// read to its last byte (keep-alive client in this process; parsing the JSON is not timed).
// The entries are the emulator's own access entries: a pool of real requests (the memory run's mix — authed ESV GETs
// → idm-access, AM serverinfo → am-access attempt + outcome — plus 404s, query strings, token grants) is served
// in-process and its compact records are replayed with fresh numbers and transaction ids over the last 24 h, so
// every entry is rendered by the access log's own code (≈ 0.7 KB of JSON each, as in a real run).
// Usage: node --expose-gc bench/logs.mjs [entries=1000000] [runs=30] [--in-process | --listener] (default: both)
//        [--only=REGEX] (only the rows whose label matches, e.g. for `node --cpu-prof`)
//        [--dist=DIR] (another build, e.g. another worktree's dist/; bench/results.json is then left alone)
// Wall times on a shared machine are noisy: each row also reports the process CPU time of the round trip (server and
// client; parsing the JSON is outside it), the steadier number for a before/after comparison.
import http from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { writeResults } from './results.mjs';

const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const pos = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const N = Number(pos[0] ?? 1_000_000);
const RUNS = Number(pos[1] ?? 30);
const MODES = flags.includes('--in-process') ? ['in-process'] : flags.includes('--listener') ? ['listener'] : ['in-process', 'listener'];
// another worktree's dist/ measures another version on this machine (as bench/throughput.mjs --dist)
const DIST = flags.find((a) => a.startsWith('--dist='))?.slice(7);
const { createEmulator, listen } = await import(pathToFileURL(resolve(DIST ?? fileURLToPath(new URL('../dist', import.meta.url)), 'index.js')).href);
const ONLY = new RegExp(flags.find((a) => a.startsWith('--only='))?.slice(7) ?? '');
const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const SPAN = 24 * 3600_000; // the history covers the last 24 h

const emu = createEmulator({ clock: { frozen: true, startAt: NOW }, port: 0, logMaxEntries: N + 100_000 });
const env = emu.env('dev');
env.slice('logs').rateLimit = 1_000_000_000;
const key = env.slice('credentials').logApiKeys[0];
const keyHeaders = { 'x-api-key': key.id, 'x-api-secret': key.secret };

// ------------------------------------------------------------------------------------------- the request pool
// Real requests served in-process; every entry they leave is captured as a template (compact kind + record, or a
// payload) so the fill below replays exactly what the access log writes.
const tok = await (await emu.request('dev', '/__emulator/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env: 'dev', subject: 'bench-sa', scopes: ['fr:idc:esv:*'], expiresIn: 86400 }) })).json();
const base = { host: '127.0.0.1:8080', 'user-agent': 'frodo/3.3.3 (node)', accept: 'application/json, text/plain, */*', 'x-forwarded-for': '203.0.113.7, 10.0.0.2' };
const esv = { ...base, authorization: `Bearer ${tok.access_token}` };
const pool = [
  ...Array(45).fill(['/environment/variables/esv-smtp-host', { headers: esv }]),
  ...Array(45).fill(['/am/json/serverinfo/version', { headers: base }]),
  ['/environment/variables/esv-missing', { headers: esv }], // 404
  ['/environment/variables?_pageSize=10&_queryFilter=true', { headers: esv }],
  ['/am/json/realms/root/realms/alpha/users?_queryFilter=true&_fields=userName', { headers: { ...base, 'accept-api-version': 'resource=4.0, protocol=2.1' } }],
  ['/am/json/serverinfo/*', { headers: { ...base, 'user-agent': 'curl/8.5.0' } }],
  ['/am/oauth2/realms/root/realms/alpha/access_token', { method: 'POST', headers: { ...base, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=bench&client_secret=nope&scope=fr:idm:*' }],
  ['/openidm/managed/alpha_user?_queryFilter=true&_pageSize=5', { headers: esv }],
  ['/am/json/realms/root/realms/alpha/sessions?_action=validate', { method: 'POST', headers: { ...base, 'content-type': 'application/json' }, body: '{}' }],
  ['/environment/variables/esv-smtp-host', { headers: { ...esv, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' } }],
  ['/am/json/serverinfo/version', { headers: { ...base, 'x-forwarded-for': '198.51.100.23' } }],
];
const templates = [];
let current;
const stop = env.logbook.onAppend((e) => current.push(e.kind ? { source: e.source, kind: e.kind, data: e.data } : { source: e.source, payload: e.payload }));
for (const [path, init] of pool) {
  current = [];
  await (await emu.request('dev', path, init)).arrayBuffer();
  if (current.length) templates.push(current);
}
stop();
if (!templates.some((g) => g.some((x) => x.kind))) throw new Error('bench/logs.mjs: no compact access entries captured (LogBook entry fields renamed?)');
env.logbook.clear();

/** Append the entries of request `i` (template i mod pool) at time t, with its own record number and transaction id. */
let txN = 1_000_000_000;
function appendRequest(i, t) {
  const group = templates[i % templates.length];
  const copies = new Map(); // attempt and outcome share one record, as the access log writes them
  for (const x of group) {
    if (x.kind) {
      let d = copies.get(x.data);
      if (!d) copies.set(x.data, (d = { ...x.data, n: txN, tx: txN }));
      env.logbook.appendCompact(x.source, t, x.kind, d);
    } else env.logbook.append(x.source, x.payload, t);
  }
  txN++;
}

let t0 = performance.now();
const perRequest = templates.reduce((s, g) => s + g.length, 0) / templates.length;
const requests = Math.round(N / perRequest);
for (let i = 0; i < requests; i++) appendRequest(i, NOW - SPAN + Math.floor((i * SPAN) / requests));
const fillMs = performance.now() - t0;
const stored = env.logbook.count();
// settle the heap after the bulk fill so the first measurements don't pay its major GC (run.mjs passes --expose-gc)
globalThis.gc?.();

// ------------------------------------------------------------------------------------------- clients
async function inProcess(path) {
  const res = await emu.request('dev', path, { headers: keyHeaders });
  const text = await res.text();
  return { status: res.status, text };
}

let listening;
let agent;
let port;
function overHttp(path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: keyHeaders, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function get(client, path) {
  const cpu = process.cpuUsage();
  const s = performance.now();
  const r = await client(path);
  const ms = performance.now() - s;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const body = JSON.parse(r.text);
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text.slice(0, 300)}`);
  return { ms, cpuMs, body, bytes: Buffer.byteLength(r.text) };
}

/** `path(i, previous body)`; `before(i)` runs untimed before call i (e.g. new entries for a tail). */
async function measure(client, label, path, before) {
  const times = [];
  const cpus = [];
  let count = 0;
  let bytes = 0;
  let prev;
  for (let i = 0; i < RUNS + 5; i++) {
    before?.(i);
    const r = await get(client, typeof path === 'function' ? path(i, prev) : path);
    if (i >= 5) times.push(r.ms), cpus.push(r.cpuMs); // warm-up
    count = r.body.result.length;
    bytes = r.bytes;
    prev = r.body;
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const p = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { label, results: count, kb: Math.round(bytes / 1024), median: p(0.5), p95: p(0.95), max: times[times.length - 1], cpuMedian: cpus[cpus.length >> 1] };
}

const q = (o) => new URLSearchParams(o).toString();
const hourAgo = new Date(NOW - 3600_000).toISOString();
const now = new Date(NOW).toISOString();
// the middle am-access entry (span: entries are made on read, a view() would make all of them)
const amSpan = env.logbook.span('am-access');
const midTx = amSpan.entry(amSpan.start + Math.floor((amSpan.end - amSpan.start) / 2)).tx.split('/')[0];

// each row is measured in every mode back to back, over the same stored entries (the tail row that writes entries
// comes after the rows it would change)
const clients = { 'in-process': inProcess, listener: overHttp };
const results = Object.fromEntries(MODES.map((m) => [m, []]));
async function row(label, path, before) {
  if (!ONLY.test(label)) return;
  for (const m of MODES) results[m].push(await measure(clients[m], label, path, before));
}
if (MODES.includes('listener')) {
  listening = await listen(emu);
  port = env.port;
  // the in-process run of a row lasts longer than Node's 5 s keep-alive: keep the bench's one socket open
  for (const s of listening.servers) s.keepAliveTimeout = 600_000;
  agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
}
await row('one-hour query, one source (am-access)', `/monitoring/logs?${q({ source: 'am-access', beginTime: hourAgo, endTime: now })}`);
await row('one-hour query, one source (idm-access)', `/monitoring/logs?${q({ source: 'idm-access', beginTime: hourAgo, endTime: now })}`);
await row('one-hour query, am-everything (merge of 3 sources)', `/monitoring/logs?${q({ source: 'am-everything', beginTime: hourAgo, endTime: now })}`);
await row('one-hour query, am-access, _queryFilter response status FAILED', `/monitoring/logs?${q({ source: 'am-access', beginTime: hourAgo, endTime: now, _queryFilter: '/payload/response/status eq "FAILED"' })}`);
{
  // page 2 of the one-hour query: the cookie seeks by binary search
  const first = await get(inProcess, `/monitoring/logs?${q({ source: 'am-access', beginTime: hourAgo, endTime: now })}`);
  await row('one-hour query, am-access, next page via cookie', `/monitoring/logs?${q({ source: 'am-access', beginTime: hourAgo, endTime: now, _pagedResultsCookie: first.body.pagedResultsCookie })}`);
}
await row('tail, first call (last 15 s), am-everything', `/monitoring/logs/tail?${q({ source: 'am-everything' })}`);
await row('transactionId over the default 24 h, one source (full-window scan)', `/monitoring/logs?${q({ source: 'am-access', transactionId: midTx })}`);
{
  const first = await get(inProcess, `/monitoring/logs/tail?${q({ source: 'am-everything,idm-everything' })}`);
  await row('tail with cookie, am-everything,idm-everything (nothing new)', `/monitoring/logs/tail?${q({ source: 'am-everything,idm-everything', _pagedResultsCookie: first.body.pagedResultsCookie })}`);
  // a poller's steady state: 100 requests served since its previous call (≈ 150 entries), each call with the cookie
  // of the previous answer
  let next = requests;
  await row(
    'tail with cookie, 100 requests since the last call',
    (i, prev) => `/monitoring/logs/tail?${q({ source: 'am-everything,idm-everything', _pagedResultsCookie: (prev ?? first.body).pagedResultsCookie })}`,
    () => {
      for (let k = 0; k < 100; k++) appendRequest(next++, NOW);
    },
  );
}
if (listening) {
  agent.destroy();
  await listening.close();
}

const load = loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`logs bench: ${stored.toLocaleString('en')} access entries (${requests.toLocaleString('en')} requests from a pool of ${templates.length}) appended in ${fillMs.toFixed(0)} ms (${((fillMs * 1000) / stored).toFixed(2)} µs/entry); ${RUNS} runs each; load average ${load}`);
let ok = true;
for (const mode of MODES) {
  console.log(`\n${mode === 'listener' ? 'through listen() over loopback HTTP, body read to the last byte' : 'in-process (the environment app, body read as text)'}`);
  console.log('query'.padEnd(68), 'results'.padStart(8), 'KB'.padStart(6), 'median ms'.padStart(10), 'p95 ms'.padStart(8), 'max ms'.padStart(8), 'CPU ms'.padStart(8));
  for (const r of results[mode]) console.log(r.label.padEnd(68), String(r.results).padStart(8), String(r.kb).padStart(6), r.median.toFixed(2).padStart(10), r.p95.toFixed(2).padStart(8), r.max.toFixed(2).padStart(8), r.cpuMedian.toFixed(2).padStart(8));
  const budget = results[mode].filter((r) => /^one-hour query, one source|^tail with cookie/.test(r.label));
  ok &&= budget.every((r) => r.median < 50);
}
console.log(ok ? '\nPASS: one-hour one-source queries and tail with cookie answer in < 50 ms (median; p95 shown for noise)' : '\nFAIL: over the 50 ms budget');
const round = (r) => ({ ...r, median: Number(r.median.toFixed(2)), p95: Number(r.p95.toFixed(2)), max: Number(r.max.toFixed(2)), cpuMedian: Number(r.cpuMedian.toFixed(2)) });
if (!DIST) writeResults('logs', {
  when: new Date().toISOString(),
  entries: stored,
  runs: RUNS,
  fillMs: Math.round(fillMs),
  loadavg: loadavg(),
  ...Object.fromEntries(MODES.map((m) => [m === 'listener' ? 'listener' : 'rows', results[m].map(round)])),
  pass: ok,
});
process.exitCode = ok ? 0 : 1;
