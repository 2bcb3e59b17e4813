// `npm run screenshots`: PNGs of every console page at 1280×800 into screenshots/ (git-ignored), after a short
// scripted story so the pages have something to show: staging locked, a dry run stopped at a missing ESV, one
// access request approved by its approver, an ISC decision. Uses the built library (dist/) and Debian's chromium.
import { mkdirSync } from 'node:fs';
import { createEmulator, listen } from '../dist/index.js';
import { chromiumAvailable, launchChromium } from './chromium.mjs';

if (!chromiumAvailable()) {
  console.error('screenshots: /usr/bin/chromium not found (apt-get install chromium, or set CHROMIUM_PATH)');
  process.exit(1);
}
const out = process.argv[2] ?? 'screenshots';
mkdirSync(out, { recursive: true });

const emu = createEmulator({ clock: { frozen: true, startAt: Date.parse('2026-11-23T12:00:00.000Z') }, port: 0 });
const server = await listen(emu);
const ui = `${emu.env('dev').url}/__emulator/ui`;
const act = (action, form) => fetch(`${ui}/do/${action}`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
const advance = (advanceMs) => fetch(`${emu.env('dev').url}/__emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs }) });

// the story, through the same console actions a trainer clicks
await act('promo-lock', { env: 'staging' });
await advance(5_000);
await act('promo-dryrun', { env: 'staging' });
await advance(5_000);
const staging = emu.env('staging');
const requests = staging.state.requests?.requests ?? [];
const pending = requests.find((r) => r.decision?.status === 'in-progress' && r.decision.actors.active.length);
let approver;
if (pending) {
  approver = pending.decision.actors.active[0].id.replace('managed/user/', '');
  await act('request-decide', { env: 'staging', kind: 'user', id: approver, requestId: pending.id, decision: 'approve', comment: 'Looks right' });
}
await advance(1_000);
const isc = emu.isc;
const cert = isc.state.iscCertifications?.certifications.find((c) => c.phase !== 'SIGNED' && c.items.length);
if (cert) await act('isc-decide', { env: isc.name, kind: 'identity', id: cert.reviewer.id, certId: cert.id, itemId: cert.items[0].id, decision: 'APPROVE' });

const pages = [
  ['overview', ''],
  ['promotion', '/promotion?env=staging'],
  ['esv', '/esv?env=staging'],
  ['governance', '/governance?env=staging'],
  ['isc', '/isc'],
  ['logs', '/logs?env=staging&source=idm-activity'],
  ['act-as', approver ? `/act?env=staging&who=${encodeURIComponent(`user:${approver}`)}` : '/act?env=staging'],
];
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  for (const [name, path] of pages) {
    await page.goto(`${ui}${path}`);
    await page.waitForSelector('body[data-live=on]', { timeout: 10_000 });
    await page.screenshot({ path: `${out}/${name}.png` });
    console.log(`${out}/${name}.png`);
  }
} finally {
  await browser.close();
  await server.close();
}
