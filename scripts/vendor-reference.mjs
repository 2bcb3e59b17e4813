#!/usr/bin/env node
// Copies the reference material the tests use from ../shared (beside a developer's checkout) into test/reference/, so
// that `npm test` needs nothing outside the repository. A maintainer tool, never run by tests or CI:
//   node scripts/vendor-reference.mjs [--shared ../shared]
// Whole recordings and contracts are copied as they are; from the seed documents only the examples the tests assert on
// are extracted, as data, keyed by the line they start on (so tests keep citing `S4 L3288`).
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = process.argv.indexOf('--shared');
const shared = arg > 0 ? process.argv[arg + 1] : join(root, '..', 'shared');
const out = join(root, 'test', 'reference');

const RECORDINGS = [
  'am-authentication-and-service-accounts.json',
  'esv-variables.json',
  'esv-secrets.json',
  'environment-startup-release-count.json',
  'iga-certification-templates.json',
  'iga-request-types-and-forms.json',
];
const CONTRACTS = ['isc-v3-certifications-access-requests.openapi.json'];

mkdirSync(join(out, 'recordings'), { recursive: true });
mkdirSync(join(out, 'isc'), { recursive: true });
mkdirSync(join(out, 'seeds'), { recursive: true });
for (const f of RECORDINGS) copyFileSync(join(shared, 'reference', 'recordings', f), join(out, 'recordings', f));
for (const f of CONTRACTS) copyFileSync(join(shared, 'reference', 'isc', f), join(out, 'isc', f));

const seedFile = (prefix) => join(shared, 'seeds', readdirSync(join(shared, 'seeds')).find((f) => f.startsWith(prefix)));

/** JSON blocks starting with a line that is one of `openers` (trimmed), between two 1-based lines, keyed by start line. */
function jsonBlocks(lines, from, to, openers) {
  const blocks = {};
  for (let i = from - 1; i < to; i++) {
    if (!openers.includes(lines[i].trim())) continue;
    let depth = 0;
    for (let j = i; j < to; j++) {
      for (const ch of lines[j]) depth += ch === '{' || ch === '[' ? 1 : ch === '}' || ch === ']' ? -1 : 0;
      if (depth === 0) {
        try {
          blocks[String(i + 1)] = JSON.parse(lines.slice(i, j + 1).join('\n'));
        } catch {
          /* prose that only looks like JSON */
        }
        i = j;
        break;
      }
    }
  }
  return blocks;
}

const s4 = readFileSync(seedFile('004_'), 'utf8').split('\n');
writeFileSync(
  join(out, 'seeds', 's4-promotion-api-bodies.json'),
  JSON.stringify({ source: 'S4 (AIC documentation), "Manage self-service promotions using the API", lines 3180–3900', bodies: jsonBlocks(s4, 3180, 3900, ['{', '[']) }, null, 2) + '\n',
);
const s2 = readFileSync(seedFile('002_'), 'utf8').split('\n');
writeFileSync(
  join(out, 'seeds', 's2-sign-off-examples.json'),
  JSON.stringify({ source: 'S2 (ISC "Finalize Identity Certification Decisions" API reference), response examples', examples: jsonBlocks(s2, 1, s2.length, ['{']) }, null, 2) + '\n',
);
console.log(`vendored ${RECORDINGS.length} recordings, ${CONTRACTS.length} contracts and 2 seed extracts into ${out}`);
