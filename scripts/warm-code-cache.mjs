// The CLI's V8 code cache (dist/cli.cjs.cache, read by scripts/cli-loader.mjs) made at build time: a bundle identical
// to the previous build's keeps its cache (`npm start` builds before every start); otherwise a warm run starts the
// CLI on free ports, asks each environment for /monitoring/health, then for a request its product routes answer (they
// are registered on the first such request: Emulator.appOf), and stops it with SIGTERM; the loader saves the cache at
// exit with everything start-up compiled. A failure only warns: the first start then makes the cache itself.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';

/** The bundle and its cache before the build wipes dist/ (undefined when there is none). */
export function previousCodeCache(bundle) {
  try {
    return { bundle: readFileSync(bundle), cache: readFileSync(`${bundle}.cache`) };
  } catch {
    return undefined;
  }
}

const probe = (url) =>
  new Promise((resolve) => {
    const req = get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', resolve);
  });

export async function warmCodeCache(cli, bundle, previous) {
  if (previous && previous.bundle.equals(readFileSync(bundle))) {
    writeFileSync(`${bundle}.cache`, previous.cache);
    return;
  }
  // the default start, whatever the building shell has set (seed, data dir, Node options)
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--host', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const ok = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 30_000);
    child.stdout.on('data', async (d) => {
      out += d;
      if (!/credentials: GET/.test(out)) return;
      clearTimeout(timer);
      // a health check, then a request the product routes answer (registered on the first such request: Emulator.appOf)
      for (const [, url] of out.matchAll(/^ {2}(?:AIC|ISC) +\S+ +(http\S+)$/gm)) {
        await probe(`${url}/monitoring/health`);
        await probe(`${url}/monitoring/health?warm`);
      }
      resolve(true);
    });
    child.stderr.on('data', (d) => (out += d));
    void exited.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  child.kill('SIGTERM');
  await exited;
  if (!ok || !existsSync(`${bundle}.cache`)) console.warn(`build: no V8 code cache for the CLI (the first start makes it)\n${out}`);
}
