// Bundles src/ and its runtime dependencies into dist/ with esbuild (≈0.3 s), so `npm start` can build first
// and still start fast: one bundled file loads far quicker than hundreds of ESM modules (start-up budget 300 ms).
// Faker stays external (loaded lazily, only when a fixture asks for generated data). Type checking: `npm run typecheck`.
import { build } from 'esbuild';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { previousCodeCache, warmCodeCache } from './warm-code-cache.mjs';

// zod re-exports all its locales as `z.locales` (≈0.35 MB of source, parsed at every start); the emulator uses only
// the English messages zod configures for itself (classic/schemas.js imports locales/en.js directly), so the
// aggregate is an empty module (issue #17: start-up)
const zodLocales = {
  name: 'zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'zod-locales' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

// data files of src/ (IGA workflows and request types, AM node types and defaults: ≈0.35 MB) become
// `JSON.parse('…')`: V8 reads a JSON string several times faster than the same object literal (issue #17: start-up)
const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.json$/ }, async (args) => ({ contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(await readFile(args.path, 'utf8'))))});`, loader: 'js' }));
  },
};

// split chunks get new names on every build: start clean (keeping the CLI's code cache if its bundle is unchanged)
const previous = previousCodeCache('dist/cli.cjs');
rmSync('dist', { recursive: true, force: true });
const shared = {
  plugins: [zodLocales, jsonAsParse],
  bundle: true,
  platform: 'node',
  target: 'node20',
  // loaded on first use with createRequire, not at start-up (src/core/re2.ts, src/aic/logs/traffic.ts)
  external: ['@faker-js/faker', '@faker-js/faker/*', 're2js'],
  sourcemap: true,
  minifySyntax: true,
  minifyWhitespace: true,
  // the console's pages are .tsx rendered by Hono's JSX (tsconfig: jsx react-jsx, jsxImportSource hono/jsx)
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  logLevel: 'warning',
};
await build({
  ...shared,
  entryPoints: ['src/index.ts', 'src/testing.ts', 'src/vitest-setup.ts'],
  outdir: 'dist',
  splitting: true,
  format: 'esm',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
// CommonJS copies of the testing helper, for jest and other require() users, and of the CLI, which dist/cli.js
// (scripts/cli-loader.mjs) runs with V8's code cache (import.meta.url shimmed from __filename)
await build({
  ...shared,
  entryPoints: { testing: 'src/testing.ts', cli: 'src/cli.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});
copyFileSync('scripts/cli-loader.mjs', 'dist/cli.js');
// where the shipped seed's environments and their members lie (src/fixtures/lazy.ts seedLayout), with the SHA-256 of the
// bytes it describes: start-up reads the seed's large members from its bytes when first used, without decoding or
// scanning the ≈2 MB text (src/fixtures/load.ts; a seed regenerated after this build is scanned instead; issue #17)
const lazy = await build({ entryPoints: ['src/fixtures/lazy.ts'], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
const { seedLayout } = await import(`data:text/javascript;base64,${Buffer.from(lazy.outputFiles[0].contents).toString('base64')}`);
const seed = readFileSync('seeds/default.json');
const layout = isAscii(seed) ? seedLayout(seed.toString('latin1')) : undefined;
if (layout) writeFileSync('dist/default-seed.layout.json', JSON.stringify({ sha256: createHash('sha256').update(seed).digest('hex'), envs: layout }));
await warmCodeCache('dist/cli.js', 'dist/cli.cjs', previous);
