// Builds dist/ once so the few tests that are about the real process (CLI, kill -9 persistence) can spawn it.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
