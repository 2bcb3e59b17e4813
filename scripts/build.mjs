// Bundles src/ and its runtime dependencies into dist/ with esbuild (≈0.3 s), so `npm start` can build first
// and still start fast: one bundled file loads far quicker than hundreds of ESM modules (start-up budget 300 ms).
// Faker stays external (loaded lazily, only when a fixture asks for generated data). Type checking: `npm run typecheck`.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

// split chunks get new names on every build: start clean
rmSync('dist', { recursive: true, force: true });
const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['@faker-js/faker', '@faker-js/faker/*'],
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
  entryPoints: ['src/cli.ts', 'src/index.ts', 'src/testing.ts', 'src/vitest-setup.ts'],
  outdir: 'dist',
  splitting: true,
  format: 'esm',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
// CommonJS copy of the testing helper, for jest and other require() users (import.meta.url shimmed from __filename)
await build({
  ...shared,
  entryPoints: { testing: 'src/testing.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});
