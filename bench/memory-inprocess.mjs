// Log-store memory per logged request, measured in-process (fast enough on a loaded machine, where driving 1,000,000
// requests through a listener takes too long): N authenticated requests through the environment's Hono app (ESV GETs
// → idm-access; AM serverinfo → am-access attempt + outcome, alternately), heap measured after a full GC. Then the
// same with a small cap to show memory is flat once the cap is reached.
// Usage: node --expose-gc bench/memory-inprocess.mjs [requests=100000] [cap=20000]
import { createEmulator } from '../dist/index.js';
import { writeResults } from './results.mjs';

const N = Number(process.argv[2] ?? 100_000);
const CAP = Number(process.argv[3] ?? 20_000);
const gc = () => {
  globalThis.gc();
  globalThis.gc();
};
const mb = (b) => Math.round((b / 1048576) * 10) / 10;

async function drive(emu, n, samples) {
  const tok = await (await emu.request('dev', '/__emulator/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env: 'dev', subject: 'bench-sa', scopes: ['fr:idc:esv:*'], expiresIn: 86400 }) })).json();
  const esv = { authorization: `Bearer ${tok.access_token}`, 'user-agent': 'bench/1.0', accept: 'application/json' };
  const am = { 'user-agent': 'bench/1.0', accept: 'application/json' };
  for (let i = 1; i <= n; i++) {
    const res = i % 2 ? await emu.request('dev', '/environment/variables/esv-smtp-host', { headers: esv }) : await emu.request('dev', `/am/json/serverinfo/version?i=${i}`, { headers: am });
    await res.arrayBuffer();
    if (samples && i % samples.every === 0) {
      gc();
      samples.list.push({ requests: i, entries: emu.env('dev').logbook.count(), heapMb: mb(process.memoryUsage().heapUsed), rssMb: mb(process.memoryUsage().rss) });
    }
  }
}

// 1. bytes per logged request with the default cap (nothing dropped yet)
let emu = createEmulator({});
await drive(emu, 200); // warm-up: apps built, token verified
gc();
const before = process.memoryUsage();
await drive(emu, N);
gc();
const after = process.memoryUsage();
const entries = emu.env('dev').logbook.count();
const perRequest = (after.heapUsed - before.heapUsed) / N;
const perEntry = (after.heapUsed - before.heapUsed) / entries;
console.log(`${N.toLocaleString('en')} requests → ${entries.toLocaleString('en')} entries; heap +${mb(after.heapUsed - before.heapUsed)} MB: ${perRequest.toFixed(0)} B/request, ${perEntry.toFixed(0)} B/entry; RSS ${mb(after.rss)} MB`);
const projected = mb(before.rss + perEntry * 1_000_000);
console.log(`projected RSS with the default cap full (1,000,000 entries): ≈ ${projected} MB`);

// 2. flat at the cap
emu = createEmulator({ logMaxEntries: CAP });
const flat = { every: Math.max(1, Math.floor((CAP * 3) / 6)), list: [] };
await drive(emu, CAP * 3, flat);
for (const s of flat.list) console.log(`cap ${CAP.toLocaleString('en')}: after ${s.requests.toLocaleString('en')} requests ${s.entries.toLocaleString('en')} entries, heap ${s.heapMb} MB, RSS ${s.rssMb} MB`);

writeResults('memoryInProcess', { when: new Date().toISOString(), requests: N, entries, bytesPerRequest: Math.round(perRequest), bytesPerEntry: Math.round(perEntry), rssAfterMb: mb(after.rss), projectedRssAtDefaultCapMb: projected, flat: { cap: CAP, samples: flat.list } });
