// Memory under sustained traffic (issue #17): RSS of `node dist/cli.js start` (default seed, default log cap) idle,
// then after every 250,000 authenticated requests up to 1,000,000 and on to 1,500,000 (flat after the cap), each
// request logged (ESV GETs → idm-access; AM serverinfo → am-access attempt + outcome, alternately). Targets: < 150 MB
// idle, < 400 MB after 1,000,000 requests, flat after. Then a one-hour /monitoring/logs query and a tail with cookie
// over the store as it stands, timed through the real listener.
// Usage: node bench/memory.mjs [requests=1500000] [connections=50] [-- extra CLI args, e.g. --log-max-entries 200000]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { writeResults } from './results.mjs';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
const extra = dash >= 0 ? args.slice(dash + 1) : [];
const pos = dash >= 0 ? args.slice(0, dash) : args;
const TOTAL = Number(pos[0] ?? 1_500_000);
const CONNECTIONS = Number(pos[1] ?? 50);
const STEP = 250_000;

const port = 20000 + Math.floor(Math.random() * 20000);
const child = spawn(process.execPath, ['dist/cli.js', 'start', '--port', String(port), ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    if (out.includes('listening')) resolve();
  });
  child.on('exit', (c) => reject(new Error('emulator exited ' + c)));
});
const base = `http://127.0.0.1:${port}`;

function rssMb() {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return Math.round(Number(m[1]) / 1024);
}
const settle = () => new Promise((r) => setTimeout(r, 2000));

const post = (path, body) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
await settle();
const samples = [{ requests: 0, rssMb: rssMb() }];
console.log(`idle: ${samples[0].rssMb} MB`);
const { access_token } = await post('/__emulator/token', { env: 'dev', subject: 'bench-sa', scopes: ['fr:idc:esv:*'], expiresIn: 86400 });
const auth = { authorization: `Bearer ${access_token}` };
const requests = [
  { method: 'GET', path: '/environment/variables/esv-smtp-host', headers: auth },
  { method: 'GET', path: '/am/json/serverinfo/version', headers: { 'user-agent': 'bench', accept: 'application/json' } },
];

let done = 0;
let bad = 0;
const t0 = Date.now();
while (done < TOTAL) {
  const amount = Math.min(STEP, TOTAL - done);
  const r = await new Promise((resolve, reject) => autocannon({ url: base, connections: CONNECTIONS, amount, requests }, (e, res) => (e ? reject(e) : resolve(res))));
  done += amount;
  bad += r.non2xx + r.errors;
  await settle();
  samples.push({ requests: done, rssMb: rssMb() });
  console.log(`after ${done.toLocaleString('en')} requests: ${samples.at(-1).rssMb} MB (${Math.round(r.requests.average)} req/s, ${r.non2xx} non-2xx)`);
}

// queries over what is stored now, through the listener (the logs API's rate limit is lifted for the bench)
const creds = await fetch(`${base}/__emulator/credentials`).then((r) => r.json());
const key = creds.environments.dev.logApiKeys[0];
const keyHeaders = { 'x-api-key': key.id, 'x-api-secret': key.secret };
const q = (o) => new URLSearchParams(o).toString();
const now = Date.now();
async function timed(path) {
  const times = [];
  let body;
  for (let i = 0; i < 12; i++) {
    await fetch(`${base}/__emulator/logs/rate-limit?env=dev`, { method: 'DELETE' });
    const s = performance.now();
    const res = await fetch(base + path, { headers: keyHeaders });
    body = await res.json();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    if (i >= 2) times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return { median: Number(times[times.length >> 1].toFixed(1)), results: body.result.length, cookie: body.pagedResultsCookie };
}
const hour = await timed(`/monitoring/logs?${q({ source: 'idm-access', beginTime: new Date(now - 3600_000).toISOString(), endTime: new Date(now).toISOString() })}`);
const tail0 = await timed(`/monitoring/logs/tail?${q({ source: 'am-everything,idm-everything' })}`);
// a tail client follows the cookie (frodo's `logs tail`): right after the load the first call's last 15 s hold more than
// one page (at most 15,000 lines, tailLogs in src/aic/logs/service.ts), so page through them as a client would, then
// time the tail it keeps calling once caught up (the cookie's position found in the full store); a full page is
// reported beside it, it is the cost of rendering 15,000 lines, not of finding the position
let cookie = tail0.cookie;
let fullPageMs;
for (let page = 0; page < 100; page++) {
  await fetch(`${base}/__emulator/logs/rate-limit?env=dev`, { method: 'DELETE' });
  const s = performance.now();
  const res = await fetch(`${base}/monitoring/logs/tail?${q({ source: 'am-everything,idm-everything', _pagedResultsCookie: cookie })}`, { headers: keyHeaders });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`tail: ${res.status} ${JSON.stringify(body)}`);
  const ms = Number((performance.now() - s).toFixed(1));
  cookie = body.pagedResultsCookie;
  if (body.result.length < 15000) break;
  fullPageMs ??= ms;
}
const tail = await timed(`/monitoring/logs/tail?${q({ source: 'am-everything,idm-everything', _pagedResultsCookie: cookie })}`);
const rssEnd = rssMb();
child.kill('SIGTERM');

const idle = samples[0].rssMb;
const at1m = samples.find((s) => s.requests >= 1_000_000)?.rssMb;
const last = samples.at(-1).rssMb;
const result = {
  when: new Date().toISOString(),
  extraArgs: extra,
  connections: CONNECTIONS,
  seconds: Math.round((Date.now() - t0) / 1000),
  non2xx: bad,
  samples,
  queries: { oneHourMs: hour.median, oneHourResults: hour.results, tailWithCookieMs: tail.median, tailResults: tail.results, tailFullPageMs: fullPageMs },
  rssAfterQueriesMb: rssEnd,
  loadavg: loadavg(),
  pass: idle < 150 && (at1m === undefined || at1m < 400) && last <= (at1m ?? last) * 1.1 && hour.median < 50 && tail.median < 50,
};
console.log(`one-hour query (idm-access, ${hour.results} results): ${hour.median} ms; tail with cookie: ${tail.median} ms (${tail.results} results)${fullPageMs === undefined ? '' : `; a full 15,000-line tail page on the way: ${fullPageMs} ms`}`);
console.log(`RSS idle ${idle} MB; after 1,000,000 requests ${at1m ?? '-'} MB; after ${done.toLocaleString('en')} ${last} MB; ${result.pass ? 'PASS' : 'FAIL'} (targets < 150 / < 400 / flat)`);
writeResults('memory', result);
