#!/usr/bin/env node
// `npx tenant-emulator start`: runs the bundled CLI (built by `npm run build`, which `npm start` runs first).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist', 'cli.js'))) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
await import(join(root, 'dist', 'cli.js'));
