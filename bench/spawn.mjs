// Start a benchmark server in a child process: `code` is an ES module that prints `READY {json}` once it listens;
// resolves with the child and that JSON (ports), rejects if the child exits first. Shared by the benchmarks.
import { spawn } from 'node:child_process';

export function startServer(code, env = process.env) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'], env });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /READY (.*)\n/.exec(out);
      if (m) resolve({ child, ...JSON.parse(m[1]) });
    });
    child.on('exit', (c) => reject(new Error('server exited ' + c)));
  });
}
