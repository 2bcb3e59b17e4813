// bench/results.json: one section per benchmark (throughput, startup, logs, memory), merged so each script can run alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function writeResults(section, value) {
  const file = new URL('./results.json', import.meta.url);
  const all = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  all[section] = value;
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
}
