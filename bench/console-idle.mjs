// What the console's change feed costs the product request path (issue 16 "idle cost"): in-process requests to
// staging (an authed ESV list GET, an ESV PUT that writes state and logs) with nobody watching vs one watcher on
// GET /__emulator/events' feed. Rounds are interleaved; medians reported. Run after a build:
//   node scripts/build.mjs && node --expose-gc bench/console-idle.mjs
import { createEmulator } from '../dist/index.js';

const ROUNDS = 7;
const PER_ROUND = 1500;
const emu = createEmulator({ clock: { frozen: true } });
const token = await emu
  .request('staging', '/__emulator/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env: 'staging', subject: 'bench', scopes: ['fr:idc:esv:*'] }) })
  .then((r) => r.json())
  .then((b) => b.access_token);
const auth = { authorization: `Bearer ${token}`, 'accept-api-version': 'resource=2.0' };
const calls = {
  'GET /environment/variables': () => emu.request('staging', '/environment/variables', { headers: auth }),
  'PUT /environment/variables/esv-bench': (i) =>
    emu.request('staging', '/environment/variables/esv-bench', {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ valueBase64: Buffer.from(`v${i}`).toString('base64'), expressionType: 'string' }),
    }),
};

async function round(fn) {
  globalThis.gc?.();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i++) await (await fn(i)).arrayBuffer();
  return Number(process.hrtime.bigint() - t0) / PER_ROUND / 1000; // µs per request
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results = {};
for (const [name, fn] of Object.entries(calls)) {
  await round(fn); // warm-up
  const idle = [];
  const watched = [];
  for (let r = 0; r < ROUNDS; r++) {
    idle.push(await round(fn));
    let batches = 0;
    const off = emu.changes.subscribe(() => batches++);
    watched.push(await round(fn));
    off();
  }
  const attached = emu.env('staging').store.onChange !== undefined;
  results[name] = { idleMicros: +median(idle).toFixed(1), watchedMicros: +median(watched).toFixed(1), hooksAttachedWhenIdle: attached };
}
console.table(results);
