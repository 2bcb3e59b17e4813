// Regenerates seeds/default.json (the generated, fully explicit form of seeds/default.source.json), its SHA-256
// (seeds/default.json.sha256: start-up skips re-validating the shipped seed when the hash matches — a test proves the
// file is valid and parses to itself) and seeds/schema.json. Run after `npm run build` (npm run seed:default does both).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const run = (...args) => execFileSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
// non-ASCII characters as \u escapes (the same JSON): an ASCII file loads as a one-byte string, decoded by a plain
// copy and parsed faster at every start (src/fixtures/load.ts; issue #17)
const text = run('generate', 'seeds/default.source.json').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync('seeds/default.json', text);
writeFileSync('seeds/default.json.sha256', createHash('sha256').update(text).digest('hex') + '\n');
writeFileSync('seeds/schema.json', run('schema'));
console.log(`seeds/default.json: ${(text.length / 1024).toFixed(0)} KiB`);
