// dist/cli.js (copied by scripts/build.mjs): runs the CommonJS CLI bundle dist/cli.cjs through vm.Script with V8's
// code cache (dist/cli.cjs.cache), so a start skips most of the parse and compile work (issue #17: start-up). Node 20 has
// no module.enableCompileCache, and the ESM loader takes no cachedData. The cache is made by the build (a warm run)
// and re-made at exit when missing, stale (another bundle) or rejected (another Node version or V8 flags); a cache
// that cannot be written (a read-only install) only costs speed. With --enable-source-maps the bundle is required as
// usual (vm.Script stack traces are not source-mapped on Node 20).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync, rmSync, accessSync, constants } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const file = fileURLToPath(new URL('./cli.cjs', import.meta.url));
const require = createRequire(file);

if (process.sourceMapsEnabled || process.env.TENANT_EMULATOR_CODE_CACHE === '0') require(file);
else {
  const cacheFile = `${file}.cache`;
  const bytes = readFileSync(file);
  // V8 checks a cache against the source's length only: the first line of the file names the bundle's SHA-1 (≈1 ms)
  const key = Buffer.from(`tenant-emulator code cache ${createHash('sha1').update(bytes).digest('hex')}\n`);
  let cachedData;
  try {
    const buf = readFileSync(cacheFile);
    if (buf.subarray(0, key.length).equals(key)) cachedData = buf.subarray(key.length);
  } catch {
    /* no cache yet */
  }
  // the bundle is ASCII (esbuild's default charset), so latin1 decoding is exact and the cheapest
  const source = bytes.toString('latin1');
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // at exit the cache also holds every function compiled while running (start-up's lazily compiled code)
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        accessSync(dirname(file), constants.W_OK);
        writeFileSync(tmp, Buffer.concat([key, script.createCachedData()]));
        renameSync(tmp, cacheFile);
      } catch {
        try {
          rmSync(tmp, { force: true });
        } catch {
          /* nothing to clean */
        }
      }
    });
  }
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, require, module, file, dirname(file));
}
