// The built CLI (dist/cli.js, built by test/global-setup.ts) as the process tests start it.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(process.cwd(), 'dist', 'cli.js');

/**
 * Everything a started CLI printed (stdout and stderr) up to the end of its banner (the `credentials: GET` line);
 * rejects if the process exits first or prints no banner within 30 s.
 */
export function banner(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (/credentials: GET/.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}
